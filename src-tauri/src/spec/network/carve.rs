//! Carving new subnets out of a VPC's free space.
//!
//! Layout (it reproduces the seed for 10.0.0.0/16 and 3 AZs):
//!
//! 1. Control-plane /28s first, preferring the upper quarter of the VPC's
//!    first /24 (10.0.0.192/26: .192, .208, .224), lowest address first,
//!    then any free /28, lowest first. Keeping them together in one corner
//!    of the first /24 leaves the rest of the VPC in large pieces.
//! 2. Then one node subnet per AZ: the lowest free aligned blocks of the
//!    requested size. For the seed the first /20 (10.0.0.0/20) holds the
//!    control-plane /28s, so the nodes get 10.0.16.0/20, .32.0/20, .48.0/20.
//!
//! If that layout does not fit (a small or crowded VPC), a second layout
//! is tried: the larger blocks first, then the smaller ones, each at the
//! lowest free aligned address. From an empty VPC this one always succeeds
//! when the sizes add up to no more than the VPC, because every earlier
//! block is a multiple of every later one, so nothing is wasted on
//! alignment.

use super::cidr::{bounds, parse_net, NetworkError};
use crate::spec::model::SubnetSpec;
use ipnet::Ipv4Net;
use serde::Serialize;
use specta::Type;
use std::net::Ipv4Addr;

/// New subnets proposed for a VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedSubnets {
    pub control_plane: Vec<SubnetSpec>,
    pub nodes: Vec<SubnetSpec>,
    /// For NAT gateways and internet-facing load balancers (empty when no
    /// public subnets were asked for).
    pub public: Vec<SubnetSpec>,
}

/// Public subnets hold NAT gateways and load balancers: a /24 each is
/// plenty and keeps the VPC's space for nodes.
pub const PUBLIC_PREFIX: u8 = 24;

/// The size EKS's control-plane ENIs need: AWS's smallest subnet.
const CONTROL_PLANE_PREFIX: u8 = 28;

/// Proposes `control_plane_count` /28s and one /`node_prefix` subnet per AZ
/// inside `vpc_cidr`, overlapping neither each other nor `taken`. AZs are
/// handed out round-robin in the order given.
pub fn suggest_subnets(
    vpc_cidr: &str,
    taken: &[String],
    azs: &[String],
    control_plane_count: usize,
    node_prefix: u8,
) -> Result<SuggestedSubnets, NetworkError> {
    suggest_subnets_with_public(vpc_cidr, taken, azs, control_plane_count, node_prefix, 0)
}

/// [`suggest_subnets`], and `public_count` public /24s (one per AZ for
/// NAT egress), carved after the control-plane subnets and before the
/// node subnets.
pub fn suggest_subnets_with_public(
    vpc_cidr: &str,
    taken: &[String],
    azs: &[String],
    control_plane_count: usize,
    node_prefix: u8,
    public_count: usize,
) -> Result<SuggestedSubnets, NetworkError> {
    let vpc = parse_cidr(vpc_cidr)?;
    let occupied = taken
        .iter()
        .map(|t| parse_cidr(t))
        .collect::<Result<Vec<_>, _>>()?;
    if azs.is_empty() {
        return Err(NetworkError::NoAvailabilityZones);
    }
    if !(2..=3).contains(&control_plane_count) {
        return Err(NetworkError::ControlPlaneCount {
            count: control_plane_count,
        });
    }
    if !(16..=28).contains(&node_prefix) {
        return Err(NetworkError::SubnetPrefix {
            prefix: node_prefix,
        });
    }
    let wanted = Wanted {
        control_plane: control_plane_count,
        nodes: azs.len(),
        node_prefix,
        public: public_count,
    };
    let (control_plane, nodes, public) = seed_layout(&vpc, &occupied, &wanted)
        .or_else(|_| largest_first_layout(&vpc, &occupied, &wanted))?;
    let in_azs = |nets: Vec<Ipv4Net>| {
        nets.into_iter()
            .enumerate()
            .map(|(i, net)| SubnetSpec {
                cidr: net.to_string(),
                availability_zone: azs[i % azs.len()].clone(),
            })
            .collect()
    };
    Ok(SuggestedSubnets {
        control_plane: in_azs(control_plane),
        nodes: in_azs(nodes),
        public: in_azs(public),
    })
}

struct Wanted {
    control_plane: usize,
    nodes: usize,
    node_prefix: u8,
    public: usize,
}

/// Control-plane, node and public subnets.
type Layout = (Vec<Ipv4Net>, Vec<Ipv4Net>, Vec<Ipv4Net>);

fn parse_cidr(cidr: &str) -> Result<Ipv4Net, NetworkError> {
    parse_net(cidr).ok_or_else(|| NetworkError::InvalidCidr {
        cidr: cidr.to_string(),
    })
}

/// Control plane first, in the upper quarter of the first /24, then nodes.
fn seed_layout(vpc: &Ipv4Net, taken: &[Ipv4Net], wanted: &Wanted) -> Result<Layout, NetworkError> {
    let mut occupied = taken.to_vec();
    let preferred = control_plane_corner(vpc);
    let mut control_plane = Vec::with_capacity(wanted.control_plane);
    for _ in 0..wanted.control_plane {
        let net = preferred
            .and_then(|corner| lowest_free(&corner, CONTROL_PLANE_PREFIX, &occupied))
            .or_else(|| lowest_free(vpc, CONTROL_PLANE_PREFIX, &occupied))
            .ok_or_else(|| no_space(vpc, CONTROL_PLANE_PREFIX))?;
        occupied.push(net);
        control_plane.push(net);
    }
    let public = carve_many(vpc, PUBLIC_PREFIX, wanted.public, &mut occupied)?;
    let nodes = carve_many(vpc, wanted.node_prefix, wanted.nodes, &mut occupied)?;
    Ok((control_plane, nodes, public))
}

/// Larger blocks first so that small ones cannot fragment the space.
fn largest_first_layout(
    vpc: &Ipv4Net,
    taken: &[Ipv4Net],
    wanted: &Wanted,
) -> Result<Layout, NetworkError> {
    let mut occupied = taken.to_vec();
    // A larger prefix length is a smaller block: the largest go first, so
    // that small blocks cannot fragment the space they need.
    let mut kinds = [
        (wanted.node_prefix, wanted.nodes, 0),
        (PUBLIC_PREFIX, wanted.public, 1),
        (CONTROL_PLANE_PREFIX, wanted.control_plane, 2),
    ];
    kinds.sort_by_key(|(prefix, _, kind)| (*prefix, *kind));
    let mut carved: [Vec<Ipv4Net>; 3] = Default::default();
    for (prefix, count, kind) in kinds {
        carved[kind] = carve_many(vpc, prefix, count, &mut occupied)?;
    }
    let [nodes, public, control_plane] = carved;
    Ok((control_plane, nodes, public))
}

fn carve_many(
    vpc: &Ipv4Net,
    prefix: u8,
    count: usize,
    occupied: &mut Vec<Ipv4Net>,
) -> Result<Vec<Ipv4Net>, NetworkError> {
    let mut carved = Vec::with_capacity(count);
    for _ in 0..count {
        let net = lowest_free(vpc, prefix, occupied).ok_or_else(|| no_space(vpc, prefix))?;
        occupied.push(net);
        carved.push(net);
    }
    Ok(carved)
}

fn no_space(vpc: &Ipv4Net, prefix: u8) -> NetworkError {
    NetworkError::NoSpace {
        wanted: format!("/{prefix}"),
        vpc: vpc.to_string(),
    }
}

/// The upper quarter of the VPC's first /24 (of the VPC itself when it is
/// smaller than a /24), or `None` when that is smaller than a /28.
fn control_plane_corner(vpc: &Ipv4Net) -> Option<Ipv4Net> {
    let first = if vpc.prefix_len() <= 24 {
        Ipv4Net::new(vpc.network(), 24).ok()?
    } else {
        *vpc
    };
    let quarter = first.prefix_len() + 2;
    if quarter > CONTROL_PLANE_PREFIX {
        return None;
    }
    // The fourth of the four quarters: the last subnet of that size.
    first.subnets(quarter).ok()?.last()
}

/// The lowest aligned /`prefix` block inside `window` that overlaps
/// nothing in `occupied`. Jumps past each obstacle instead of testing
/// every block, so a /16 searched for /28s stays cheap.
fn lowest_free(window: &Ipv4Net, prefix: u8, occupied: &[Ipv4Net]) -> Option<Ipv4Net> {
    if prefix < window.prefix_len() || prefix > 32 {
        return None;
    }
    let size = 1u64 << (32 - u32::from(prefix));
    let (start, end) = bounds(window);
    let mut candidate = start;
    while candidate + size - 1 <= end {
        let last = candidate + size - 1;
        let obstacle_end = occupied
            .iter()
            .map(bounds)
            .filter(|(s, e)| *s <= last && *e >= candidate)
            .map(|(_, e)| e)
            .max();
        match obstacle_end {
            None => {
                let addr = Ipv4Addr::from(u32::try_from(candidate).ok()?);
                return Ipv4Net::new(addr, prefix).ok();
            }
            // Next aligned block after the obstacle.
            Some(e) => candidate = (e + 1).div_ceil(size) * size,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::{ClusterSpec, NodeSubnets};
    use proptest::prelude::*;

    fn azs(n: usize) -> Vec<String> {
        ["a", "b", "c"][..n]
            .iter()
            .map(|l| format!("ap-northeast-2{l}"))
            .collect()
    }

    fn cidrs(subnets: &[SubnetSpec]) -> Vec<&str> {
        subnets.iter().map(|s| s.cidr.as_str()).collect()
    }

    #[test]
    fn reproduces_the_seed() {
        let got = suggest_subnets_with_public("10.0.0.0/16", &[], &azs(3), 3, 20, 3).unwrap();
        let seed = ClusterSpec::default();
        assert_eq!(got.control_plane, seed.network.control_plane_subnets);
        assert_eq!(got.public, seed.network.public_subnets);
        assert_eq!(
            got.nodes,
            match seed.network.node_subnets {
                NodeSubnets::Create(s) => s,
                NodeSubnets::Existing(_) => unreachable!(),
            }
        );
    }

    #[test]
    fn skips_taken_blocks() {
        let taken = vec!["10.0.0.192/27".to_string(), "10.0.16.0/21".to_string()];
        let got = suggest_subnets("10.0.0.0/16", &taken, &azs(3), 3, 20).unwrap();
        assert_eq!(
            cidrs(&got.control_plane),
            ["10.0.0.224/28", "10.0.0.240/28", "10.0.0.0/28"]
        );
        assert_eq!(
            cidrs(&got.nodes),
            ["10.0.32.0/20", "10.0.48.0/20", "10.0.64.0/20"]
        );
    }

    #[test]
    fn fewer_azs_than_subnets_go_round_robin() {
        let got = suggest_subnets("10.0.0.0/16", &[], &azs(2), 3, 20).unwrap();
        let zones: Vec<_> = got
            .control_plane
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        assert_eq!(
            zones,
            ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2a"]
        );
        assert_eq!(got.nodes.len(), 2);
    }

    #[test]
    fn a_crowded_vpc_falls_back_to_largest_first() {
        // Free: 10.0.0.0/24 and 10.0.1.192/26. The seed layout puts the
        // /28s at 10.0.0.192 and then finds room for only one /25; largest
        // first gives the /25s the free /24 and the /28s the rest.
        let taken = vec!["10.0.1.0/25".to_string(), "10.0.1.128/26".to_string()];
        let got = suggest_subnets("10.0.0.0/23", &taken, &azs(2), 2, 25).unwrap();
        assert_eq!(cidrs(&got.nodes), ["10.0.0.0/25", "10.0.0.128/25"]);
        assert_eq!(
            cidrs(&got.control_plane),
            ["10.0.1.192/28", "10.0.1.208/28"]
        );
    }

    #[test]
    fn a_small_vpc_keeps_the_corner_for_the_control_plane() {
        let got = suggest_subnets("10.0.0.0/24", &[], &azs(3), 2, 26).unwrap();
        assert_eq!(
            cidrs(&got.control_plane),
            ["10.0.0.192/28", "10.0.0.208/28"]
        );
        assert_eq!(
            cidrs(&got.nodes),
            ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26"]
        );
    }

    #[test]
    fn a_full_vpc_is_no_space() {
        let taken = vec!["10.0.0.0/24".to_string()];
        let got = suggest_subnets("10.0.0.0/24", &taken, &azs(2), 2, 28);
        assert_eq!(
            got.unwrap_err().to_string(),
            "not enough free space in VPC 10.0.0.0/24 for another /28 subnet; free up space or use a larger VPC"
        );
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(
            suggest_subnets("10.0.0.0/33", &[], &azs(3), 3, 20),
            Err(NetworkError::InvalidCidr {
                cidr: "10.0.0.0/33".into()
            })
        );
        assert_eq!(
            suggest_subnets("10.0.0.0/16", &["nope".into()], &azs(3), 3, 20),
            Err(NetworkError::InvalidCidr {
                cidr: "nope".into()
            })
        );
        assert_eq!(
            suggest_subnets("10.0.0.0/16", &[], &[], 3, 20),
            Err(NetworkError::NoAvailabilityZones)
        );
        assert_eq!(
            suggest_subnets("10.0.0.0/16", &[], &azs(3), 1, 20),
            Err(NetworkError::ControlPlaneCount { count: 1 })
        );
        assert_eq!(
            suggest_subnets("10.0.0.0/16", &[], &azs(3), 3, 29),
            Err(NetworkError::SubnetPrefix { prefix: 29 })
        );
    }

    /// A VPC of /16 to /24 and up to six taken blocks inside it (they may
    /// overlap each other, as nothing stops a caller passing that).
    fn vpc_and_taken() -> impl Strategy<Value = (Ipv4Net, Vec<Ipv4Net>)> {
        (any::<u32>(), 16u8..=24).prop_flat_map(|(addr, prefix)| {
            let vpc = Ipv4Net::new(Ipv4Addr::from(addr), prefix).unwrap().trunc();
            let span = 1u32 << (32 - u32::from(prefix));
            let inside = (0..span, prefix..=28).prop_map(move |(offset, p)| {
                let addr = Ipv4Addr::from(u32::from(vpc.network()) + offset);
                Ipv4Net::new(addr, p).unwrap().trunc()
            });
            (Just(vpc), prop::collection::vec(inside, 0..6))
        })
    }

    fn overlaps(a: &Ipv4Net, b: &Ipv4Net) -> bool {
        a.contains(b) || b.contains(a)
    }

    proptest! {
        #[test]
        fn carved_subnets_are_disjoint_inside_and_sized(
            (vpc, taken) in vpc_and_taken(),
            az_count in 2usize..=3,
            control_plane_count in 2usize..=3,
            node_size_step in 0u8..=12,
        ) {
            // Node subnets no larger than the VPC, so that most cases fit.
            let node_prefix = (vpc.prefix_len() + node_size_step).min(28);
            let taken_text: Vec<String> = taken.iter().map(Ipv4Net::to_string).collect();
            match suggest_subnets(&vpc.to_string(), &taken_text, &azs(az_count), control_plane_count, node_prefix) {
                Ok(got) => {
                    prop_assert_eq!(got.control_plane.len(), control_plane_count);
                    prop_assert_eq!(got.nodes.len(), az_count);
                    let carved: Vec<(Ipv4Net, u8)> = got.control_plane.iter().map(|s| (s, 28))
                        .chain(got.nodes.iter().map(|s| (s, node_prefix)))
                        .map(|(s, p)| (s.cidr.parse().unwrap(), p))
                        .collect();
                    for (i, (net, prefix)) in carved.iter().enumerate() {
                        prop_assert_eq!(net.prefix_len(), *prefix);
                        prop_assert_eq!(*net, net.trunc());
                        prop_assert!(vpc.contains(net), "{} outside {}", net, vpc);
                        for t in &taken {
                            prop_assert!(!overlaps(net, t), "{} overlaps taken {}", net, t);
                        }
                        for (other, _) in &carved[i + 1..] {
                            prop_assert!(!overlaps(net, other), "{} overlaps {}", net, other);
                        }
                    }
                }
                Err(e) => prop_assert!(matches!(e, NetworkError::NoSpace { .. }), "{e:?}"),
            }
        }

        #[test]
        fn an_empty_vpc_fits_whatever_adds_up(
            vpc_prefix in 16u8..=26,
            az_count in 2usize..=3,
            control_plane_count in 2usize..=3,
            node_prefix in 16u8..=28,
        ) {
            let vpc = format!("10.0.0.0/{vpc_prefix}");
            let size = |p: u8| 1u64 << (32 - u32::from(p));
            let needed = control_plane_count as u64 * size(28) + az_count as u64 * size(node_prefix);
            let fits = node_prefix >= vpc_prefix && needed <= size(vpc_prefix);
            let got = suggest_subnets(&vpc, &[], &azs(az_count), control_plane_count, node_prefix);
            prop_assert_eq!(got.is_ok(), fits, "{:?}", got);
        }
    }
}

//! The IP guard: how many IPs each subnet of the spec needs at max scale
//! and during a Kubernetes upgrade, and whether it has them.
//!
//! Why it exists (the seed's scenario): during an upgrade EKS creates new
//! control-plane ENIs in the cluster subnets before removing the old ones.
//! If nodes and pods have used every IP there, the upgrade cannot proceed.
//!
//! Model:
//! - Control plane: 4 ENIs in total, spread over the control-plane subnets
//!   (ceil(4 / n) per subnet); twice that during an upgrade.
//! - Nodes: each node group at max size, spread evenly over its subnets
//!   (ceil), each node holding `max_enis * ipv4_per_eni` IPs, since the
//!   VPC CNI can attach every ENI with all its secondary IPs. With several
//!   instance types the hungriest one counts.

use super::cidr::{parse_net, usable_ips, ExistingSubnet};
use crate::spec::catalog;
use crate::spec::model::{ClusterSpec, NodeGroupSpec, NodeSubnets};
use crate::spec::validate::FieldIssue;
use ipnet::Ipv4Net;
use serde::Serialize;
use specta::Type;

/// Control-plane ENIs EKS keeps in the cluster subnets (the seed's example).
const CONTROL_PLANE_ENIS: u32 = 4;
/// Free IPs a control-plane subnet must keep during an upgrade.
const UPGRADE_RESERVE: i32 = 5;

const SHARED_SUBNET_RISK: &str = "During a Kubernetes upgrade EKS adds control-plane ENIs in these subnets; if nodes and pods have taken every IP, the upgrade cannot proceed.";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SubnetRole {
    ControlPlane,
    Nodes,
    /// A control-plane subnet that a node group also uses.
    Shared,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SubnetUsage {
    /// Where the subnet is in the spec, e.g. "network.controlPlaneSubnets[0]".
    pub field: String,
    pub cidr: String,
    pub availability_zone: String,
    pub role: SubnetRole,
    /// Size minus the 5 addresses AWS reserves.
    pub usable_ips: u32,
    pub control_plane_enis: u32,
    pub control_plane_enis_during_upgrade: u32,
    pub node_ips_at_max_scale: u32,
    /// usable - ENIs during an upgrade - node IPs at max scale. i32, not
    /// i64: it crosses to the UI as a JS number, and no subnet (at most a
    /// /16) comes near the limit once the sums saturate.
    pub headroom: i32,
}

/// Usage of every subnet of the spec whose CIDR is known. `existing`
/// resolves node subnets given by id; ids it does not list are left out.
pub fn ip_guard(spec: &ClusterSpec, existing: &[ExistingSubnet]) -> Vec<SubnetUsage> {
    assess(spec, existing)
        .subnets
        .into_iter()
        .map(|s| s.usage)
        .collect()
}

/// What the guard has to say about the spec, field by field.
pub fn ip_guard_issues(spec: &ClusterSpec, existing: &[ExistingSubnet]) -> Vec<FieldIssue> {
    let assessment = assess(spec, existing);
    let mut issues = Vec::new();
    for subnet in &assessment.subnets {
        let u = &subnet.usage;
        // AWS refuses subnets smaller than /28; validation says so, and
        // an IP count for a subnet that cannot exist would only add noise.
        if subnet.net.prefix_len() > 28 {
            continue;
        }
        match u.role {
            SubnetRole::ControlPlane | SubnetRole::Shared if u.headroom < UPGRADE_RESERVE => {
                issues.push(FieldIssue::error(&subnet.issue_field, upgrade_shortage(u)));
            }
            SubnetRole::Nodes if u.headroom < 0 => {
                issues.push(FieldIssue::warning(
                    &subnet.issue_field,
                    format!(
                        "{} could run out of IPs at max scale: nodes need {} IPs but only {} are usable",
                        u.cidr, u.node_ips_at_max_scale, u.usable_ips
                    ),
                ));
            }
            _ => {}
        }
    }
    for shared in &assessment.shared {
        issues.push(FieldIssue::warning(
            format!(
                "nodeGroups[{}].subnets[{}]",
                shared.node_group, shared.entry
            ),
            format!(
                "Node group {} uses control-plane subnet {}. {SHARED_SUBNET_RISK}",
                spec.node_groups[shared.node_group].name, shared.cidr
            ),
        ));
    }
    issues
}

fn upgrade_shortage(u: &SubnetUsage) -> String {
    let detail = format!(
        "{} usable, {} for control-plane ENIs, {} for nodes at max scale",
        u.usable_ips, u.control_plane_enis_during_upgrade, u.node_ips_at_max_scale
    );
    if u.headroom < 0 {
        format!(
            "{} is {} short during a Kubernetes upgrade ({detail}); keep at least {UPGRADE_RESERVE} free",
            u.cidr,
            ips(-i64::from(u.headroom))
        )
    } else {
        format!(
            "{} would have only {} free during a Kubernetes upgrade ({detail}); keep at least {UPGRADE_RESERVE} free",
            u.cidr,
            ips(i64::from(u.headroom))
        )
    }
}

/// "1 IP", "3 IPs".
fn ips(count: i64) -> String {
    if count == 1 {
        "1 IP".to_string()
    } else {
        format!("{count} IPs")
    }
}

struct GuardedSubnet {
    usage: SubnetUsage,
    net: Ipv4Net,
    /// Subnet id when the subnet exists already.
    id: Option<String>,
    /// Field of the CIDR input (or the id input) issues point at.
    issue_field: String,
}

/// A node group entry that points at a control-plane subnet.
struct SharedPlacement {
    node_group: usize,
    entry: usize,
    cidr: String,
}

struct Assessment {
    subnets: Vec<GuardedSubnet>,
    shared: Vec<SharedPlacement>,
}

fn assess(spec: &ClusterSpec, existing: &[ExistingSubnet]) -> Assessment {
    let mut subnets = known_subnets(spec, existing);
    let control_plane_count = subnets
        .iter()
        .filter(|s| s.usage.role == SubnetRole::ControlPlane)
        .count() as u32;
    if control_plane_count > 0 {
        let per_subnet = CONTROL_PLANE_ENIS.div_ceil(control_plane_count);
        for s in subnets
            .iter_mut()
            .filter(|s| s.usage.role == SubnetRole::ControlPlane)
        {
            s.usage.control_plane_enis = per_subnet;
            s.usage.control_plane_enis_during_upgrade = per_subnet * 2;
        }
    }
    let mut shared = Vec::new();
    for (g, group) in spec.node_groups.iter().enumerate() {
        let targets = placement(group, &subnets, existing);
        let Some(per_node) = ips_per_node(group) else {
            continue;
        };
        if targets.is_empty() {
            continue;
        }
        let nodes_per_subnet = group.max_size.div_ceil(targets.len() as u32);
        for &(entry, index) in &targets {
            let usage = &mut subnets[index].usage;
            usage.node_ips_at_max_scale = usage
                .node_ips_at_max_scale
                .saturating_add(nodes_per_subnet.saturating_mul(per_node));
            if let (Some(entry), SubnetRole::ControlPlane | SubnetRole::Shared) =
                (entry, usage.role)
            {
                usage.role = SubnetRole::Shared;
                shared.push(SharedPlacement {
                    node_group: g,
                    entry,
                    cidr: usage.cidr.clone(),
                });
            }
        }
    }
    for s in &mut subnets {
        let u = &mut s.usage;
        let headroom = i64::from(u.usable_ips)
            - i64::from(u.control_plane_enis_during_upgrade)
            - i64::from(u.node_ips_at_max_scale);
        u.headroom = headroom.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    }
    Assessment { subnets, shared }
}

/// The control-plane subnets, then the node subnets, skipping any whose
/// CIDR is invalid or unknown (validation reports those).
fn known_subnets(spec: &ClusterSpec, existing: &[ExistingSubnet]) -> Vec<GuardedSubnet> {
    let new_subnet =
        |field: String, cidr: &str, az: &str, role, id: Option<&str>, issue_field: String| {
            let net = parse_net(cidr)?;
            Some(GuardedSubnet {
                usage: SubnetUsage {
                    field,
                    cidr: net.to_string(),
                    availability_zone: az.to_string(),
                    role,
                    usable_ips: usable_ips(&net),
                    control_plane_enis: 0,
                    control_plane_enis_during_upgrade: 0,
                    node_ips_at_max_scale: 0,
                    headroom: 0,
                },
                net,
                id: id.map(str::to_string),
                issue_field,
            })
        };
    let mut subnets = Vec::new();
    for (i, s) in spec.network.control_plane_subnets.iter().enumerate() {
        let field = format!("network.controlPlaneSubnets[{i}]");
        let issue_field = format!("{field}.cidr");
        subnets.extend(new_subnet(
            field,
            &s.cidr,
            &s.availability_zone,
            SubnetRole::ControlPlane,
            None,
            issue_field,
        ));
    }
    match &spec.network.node_subnets {
        NodeSubnets::Create(list) => {
            for (i, s) in list.iter().enumerate() {
                let field = format!("network.nodeSubnets[{i}]");
                let issue_field = format!("{field}.cidr");
                subnets.extend(new_subnet(
                    field,
                    &s.cidr,
                    &s.availability_zone,
                    SubnetRole::Nodes,
                    None,
                    issue_field,
                ));
            }
        }
        NodeSubnets::Existing(ids) => {
            for (i, id) in ids.iter().enumerate() {
                let Some(found) = existing.iter().find(|e| &e.id == id) else {
                    continue;
                };
                let field = format!("network.nodeSubnets[{i}]");
                subnets.extend(new_subnet(
                    field.clone(),
                    &found.cidr,
                    &found.availability_zone,
                    SubnetRole::Nodes,
                    Some(id),
                    field,
                ));
            }
        }
    }
    subnets
}

/// Where a node group's nodes go: (index of the entry in `group.subnets`,
/// index into `subnets`). No entries = every node subnet, with no entry.
fn placement(
    group: &NodeGroupSpec,
    subnets: &[GuardedSubnet],
    existing: &[ExistingSubnet],
) -> Vec<(Option<usize>, usize)> {
    if group.subnets.is_empty() {
        return subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| s.usage.role == SubnetRole::Nodes)
            .map(|(i, _)| (None, i))
            .collect();
    }
    let mut targets: Vec<(Option<usize>, usize)> = Vec::new();
    for (entry, reference) in group.subnets.iter().enumerate() {
        if let Some(index) = resolve_subnet_reference(reference, subnets, existing) {
            // Naming the same subnet twice does not put more nodes there.
            if !targets.iter().any(|&(_, i)| i == index) {
                targets.push((Some(entry), index));
            }
        }
    }
    targets
}

/// A node group's subnet entry is a CIDR or a subnet id; either may name a
/// node subnet or a control-plane subnet.
fn resolve_subnet_reference(
    reference: &str,
    subnets: &[GuardedSubnet],
    existing: &[ExistingSubnet],
) -> Option<usize> {
    let by_net = |net: Ipv4Net| subnets.iter().position(|s| s.net == net);
    if let Some(net) = parse_net(reference) {
        return by_net(net);
    }
    subnets
        .iter()
        .position(|s| s.id.as_deref() == Some(reference))
        .or_else(|| {
            let found = existing.iter().find(|e| e.id == reference)?;
            by_net(parse_net(&found.cidr)?)
        })
}

/// Whether `reference` names one of the spec's subnets; `None` when that
/// cannot be known (an id, and no existing subnets to look it up in).
pub(crate) fn subnet_reference_known(
    spec: &ClusterSpec,
    existing: &[ExistingSubnet],
    reference: &str,
) -> Option<bool> {
    let subnets = known_subnets(spec, existing);
    if resolve_subnet_reference(reference, &subnets, existing).is_some() {
        return Some(true);
    }
    let is_listed_id = matches!(&spec.network.node_subnets, NodeSubnets::Existing(ids) if ids.iter().any(|id| id == reference));
    if is_listed_id {
        return Some(true);
    }
    if parse_net(reference).is_some() || !existing.is_empty() {
        Some(false)
    } else {
        None
    }
}

/// IPs one node of the group can hold; `None` when no instance type of
/// the group is in the catalog.
fn ips_per_node(group: &NodeGroupSpec) -> Option<u32> {
    group
        .instance_types
        .iter()
        .filter_map(|t| catalog::instance_type(t))
        .map(|t| t.max_enis * t.ipv4_per_eni)
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::SubnetSpec;
    use crate::spec::validate::Severity;

    fn seed() -> ClusterSpec {
        ClusterSpec::default()
    }

    #[test]
    fn the_seed_has_room_everywhere() {
        let usage = ip_guard(&seed(), &[]);
        assert_eq!(usage.len(), 6);
        let cp = &usage[0];
        assert_eq!(cp.field, "network.controlPlaneSubnets[0]");
        assert_eq!(cp.cidr, "10.0.0.192/28");
        assert_eq!(cp.role, SubnetRole::ControlPlane);
        assert_eq!(
            (
                cp.usable_ips,
                cp.control_plane_enis,
                cp.control_plane_enis_during_upgrade
            ),
            (11, 2, 4)
        );
        assert_eq!(cp.headroom, 7);
        let nodes = &usage[3];
        assert_eq!(nodes.field, "network.nodeSubnets[0]");
        assert_eq!(nodes.role, SubnetRole::Nodes);
        // max 3 over 3 subnets = 1 t4g.xlarge each = 4 ENIs x 15 IPs.
        assert_eq!(nodes.node_ips_at_max_scale, 60);
        assert_eq!(nodes.headroom, 4091 - 60);
        assert!(ip_guard_issues(&seed(), &[]).is_empty());
    }

    #[test]
    fn two_control_plane_subnets_hold_two_enis_each() {
        let mut spec = seed();
        spec.network.control_plane_subnets.pop();
        let usage = ip_guard(&spec, &[]);
        assert_eq!(usage[0].control_plane_enis, 2);
        assert_eq!(usage[0].control_plane_enis_during_upgrade, 4);
    }

    #[test]
    fn one_control_plane_subnet_cannot_take_an_upgrade() {
        let mut spec = seed();
        spec.network.control_plane_subnets.truncate(1);
        let issues = ip_guard_issues(&spec, &[]);
        assert_eq!(
            issues,
            [FieldIssue::error(
                "network.controlPlaneSubnets[0].cidr",
                "10.0.0.192/28 would have only 3 IPs free during a Kubernetes upgrade (11 usable, 8 for control-plane ENIs, 0 for nodes at max scale); keep at least 5 free"
            )]
        );
    }

    #[test]
    fn nodes_in_a_control_plane_subnet_are_warned_about_and_counted() {
        let mut spec = seed();
        spec.node_groups[0].subnets = vec!["10.0.0.192/28".into()];
        let usage = ip_guard(&spec, &[]);
        assert_eq!(usage[0].role, SubnetRole::Shared);
        assert_eq!(usage[0].node_ips_at_max_scale, 180);
        assert_eq!(usage[3].node_ips_at_max_scale, 0);
        let issues = ip_guard_issues(&spec, &[]);
        assert_eq!(
            issues,
            [
                FieldIssue::error(
                    "network.controlPlaneSubnets[0].cidr",
                    "10.0.0.192/28 is 173 IPs short during a Kubernetes upgrade (11 usable, 4 for control-plane ENIs, 180 for nodes at max scale); keep at least 5 free"
                ),
                FieldIssue::warning(
                    "nodeGroups[0].subnets[0]",
                    "Node group default_node_group uses control-plane subnet 10.0.0.192/28. During a Kubernetes upgrade EKS adds control-plane ENIs in these subnets; if nodes and pods have taken every IP, the upgrade cannot proceed."
                ),
            ]
        );
    }

    #[test]
    fn a_node_subnet_that_fills_up_at_max_scale_is_a_warning() {
        let mut spec = seed();
        spec.network.node_subnets = NodeSubnets::Create(vec![SubnetSpec {
            cidr: "10.0.16.0/24".into(),
            availability_zone: "ap-northeast-2a".into(),
        }]);
        spec.node_groups[0].max_size = 5;
        let issues = ip_guard_issues(&spec, &[]);
        assert_eq!(
            issues,
            [FieldIssue::warning(
                "network.nodeSubnets[0].cidr",
                "10.0.16.0/24 could run out of IPs at max scale: nodes need 300 IPs but only 251 are usable"
            )]
        );
        assert_eq!(issues[0].severity, Severity::Warning);
    }

    #[test]
    fn existing_node_subnets_are_resolved_by_id_or_left_out() {
        let mut spec = seed();
        spec.network.node_subnets =
            NodeSubnets::Existing(vec!["subnet-0aaa".into(), "subnet-0bbb".into()]);
        let existing = [ExistingSubnet {
            id: "subnet-0aaa".into(),
            cidr: "10.0.64.0/26".into(),
            availability_zone: "ap-northeast-2a".into(),
        }];
        let usage = ip_guard(&spec, &existing);
        assert_eq!(usage.len(), 4);
        assert_eq!(usage[3].field, "network.nodeSubnets[0]");
        // All 3 nodes land in the one subnet whose CIDR is known.
        assert_eq!(usage[3].node_ips_at_max_scale, 180);
        assert_eq!(
            ip_guard_issues(&spec, &existing),
            [FieldIssue::warning(
                "network.nodeSubnets[0]",
                "10.0.64.0/26 could run out of IPs at max scale: nodes need 180 IPs but only 59 are usable"
            )]
        );
    }

    #[test]
    fn a_node_group_may_name_subnets_by_id() {
        let mut spec = seed();
        spec.node_groups[0].subnets = vec!["subnet-0cp".into()];
        let existing = [ExistingSubnet {
            id: "subnet-0cp".into(),
            cidr: "10.0.0.208/28".into(),
            availability_zone: "ap-northeast-2b".into(),
        }];
        let usage = ip_guard(&spec, &existing);
        assert_eq!(usage[1].role, SubnetRole::Shared);
        assert_eq!(
            subnet_reference_known(&spec, &existing, "subnet-0cp"),
            Some(true)
        );
        assert_eq!(
            subnet_reference_known(&spec, &existing, "subnet-0zz"),
            Some(false)
        );
        assert_eq!(subnet_reference_known(&spec, &[], "subnet-0zz"), None);
        assert_eq!(
            subnet_reference_known(&spec, &[], "10.0.32.0/20"),
            Some(true)
        );
        assert_eq!(
            subnet_reference_known(&spec, &[], "10.9.0.0/20"),
            Some(false)
        );
    }

    #[test]
    fn unknown_instance_types_are_left_out() {
        let mut spec = seed();
        spec.node_groups[0].instance_types = vec!["x9z.huge".into()];
        assert!(ip_guard(&spec, &[])
            .iter()
            .all(|u| u.node_ips_at_max_scale == 0));
    }

    #[test]
    fn the_hungriest_instance_type_counts() {
        let mut spec = seed();
        spec.node_groups[0].instance_types = vec!["t4g.medium".into(), "m6g.4xlarge".into()];
        assert_eq!(ip_guard(&spec, &[])[3].node_ips_at_max_scale, 240);
    }

    #[test]
    fn usage_serializes_in_camel_case() {
        let json = serde_json::to_value(&ip_guard(&seed(), &[])[0]).unwrap();
        assert_eq!(json["controlPlaneEnisDuringUpgrade"], 4);
        assert_eq!(json["role"], "controlPlane");
    }
}

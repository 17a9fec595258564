//! IPv4 CIDR arithmetic the planner and the IP guard share, the subnets
//! that already exist in a VPC, and what can go wrong carving new ones.

use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use specta::Type;

/// A subnet that already exists in the chosen VPC, as DescribeSubnets
/// reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExistingSubnet {
    pub id: String,
    pub cidr: String,
    pub availability_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("{cidr} is not a valid IPv4 CIDR")]
    InvalidCidr { cidr: String },
    #[error("no availability zones were given to spread the subnets over")]
    NoAvailabilityZones,
    #[error("EKS Desk plans 2 or 3 control-plane subnets, not {count}")]
    ControlPlaneCount { count: usize },
    #[error("/{prefix} is not a subnet size AWS allows (/16 to /28)")]
    SubnetPrefix { prefix: u8 },
    #[error("not enough free space in VPC {vpc} for another {wanted} subnet; free up space or use a larger VPC")]
    NoSpace { wanted: String, vpc: String },
}

impl NetworkError {
    /// The form field to fix.
    pub fn field(&self) -> &'static str {
        match self {
            NetworkError::InvalidCidr { .. } | NetworkError::NoSpace { .. } => "network.vpc.cidr",
            NetworkError::NoAvailabilityZones | NetworkError::ControlPlaneCount { .. } => {
                "network.controlPlaneSubnets"
            }
            NetworkError::SubnetPrefix { .. } => "network.nodeSubnets",
        }
    }
}

/// Parses a CIDR the way the planner needs it: invalid text is `None`
/// (validation reports it with a proper message), and stray host bits are
/// dropped, since AWS reads the network part only.
pub(crate) fn parse_net(cidr: &str) -> Option<Ipv4Net> {
    cidr.trim().parse::<Ipv4Net>().ok().map(|n| n.trunc())
}

/// The first and last address of `net`, as numbers for range arithmetic.
/// u64 so that `last + 1` cannot overflow at 255.255.255.255.
pub(super) fn bounds(net: &Ipv4Net) -> (u64, u64) {
    (
        u64::from(u32::from(net.network())),
        u64::from(u32::from(net.broadcast())),
    )
}

/// Addresses a subnet offers to ENIs: AWS reserves the first four and the
/// last one of every subnet.
pub fn usable_ips(net: &Ipv4Net) -> u32 {
    let size = 1u64 << (32 - u32::from(net.prefix_len()));
    u32::try_from(size.saturating_sub(5)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_reserves_five_addresses_per_subnet() {
        assert_eq!(usable_ips(&"10.0.0.192/28".parse().unwrap()), 11);
        assert_eq!(usable_ips(&"10.0.16.0/20".parse().unwrap()), 4091);
        assert_eq!(usable_ips(&"10.0.0.0/30".parse().unwrap()), 0);
    }

    #[test]
    fn parse_net_drops_host_bits_and_refuses_junk() {
        assert_eq!(parse_net("10.0.0.193/28"), "10.0.0.192/28".parse().ok());
        assert_eq!(parse_net("10.0.0.300/28"), None);
        assert_eq!(parse_net("subnet-0123"), None);
    }

    #[test]
    fn no_space_names_the_size_and_the_vpc() {
        let err = NetworkError::NoSpace {
            wanted: "/28".into(),
            vpc: "10.0.0.0/24".into(),
        };
        assert_eq!(
            err.to_string(),
            "not enough free space in VPC 10.0.0.0/24 for another /28 subnet; free up space or use a larger VPC"
        );
    }
}

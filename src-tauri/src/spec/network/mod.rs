//! Subnet planning (carving free CIDRs out of a VPC) and the IP guard
//! (will every subnet still have IPs at max scale and during an upgrade).
//!
//! Pure computation over the spec and what the caller knows of the VPC;
//! AWS is never asked from here.

mod carve;
mod ip_guard;

pub use carve::{suggest_subnets, suggest_subnets_with_public, SuggestedSubnets, PUBLIC_PREFIX};
pub(crate) use ip_guard::subnet_reference_known;
pub use ip_guard::{ip_guard, ip_guard_issues, SubnetRole, SubnetUsage};

mod cidr;

pub(crate) use cidr::parse_net;
pub use cidr::{usable_ips, ExistingSubnet, NetworkError};

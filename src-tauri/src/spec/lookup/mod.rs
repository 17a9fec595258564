//! Read-only look-ups of what already exists in the account, for validation
//! (names taken, AZs of the region, subnets of the VPC, addon versions) and
//! for the plan (what will be reused or conflicts). Every look-up degrades:
//! an API the endpoint does not offer yields "unknown", not a failure, and
//! the caller falls back to built-in knowledge.

mod account_view;
mod cache;
mod facts;
mod gather;
mod network_facts;
mod vpcs;

pub use account_view::{AccountView, Offline};
pub use cache::FactsCache;
pub use facts::{
    AccountFacts, CallerPrincipal, RouteOut, SubnetDetail, SubnetFact, VpcFact, VpcLookup, ZoneFact,
};
pub use gather::gather;
pub use vpcs::{vpcs, VpcInfo};

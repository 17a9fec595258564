//! What the look-ups found in the account, as validation and the plan use it.

use crate::spec::plan::ExistingResources;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetFact {
    pub id: String,
    pub cidr: String,
    pub availability_zone: String,
    pub owner_spec_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    /// Clusters in the region that are not this spec's own.
    pub other_cluster_names: Vec<String>,
    /// The region's zones (DescribeAvailabilityZones); `None` = unknown.
    pub availability_zones: Option<Vec<ZoneFact>>,
    /// The picked existing VPC, when the spec picks one.
    pub existing_vpc: Option<VpcLookup>,
    /// Subnets of the target VPC (the picked one, or the one this spec made).
    pub vpc_subnets: Vec<SubnetFact>,
    /// Versions per addon for the spec's Kubernetes version; an addon that
    /// is missing here falls back to the built-in table.
    pub addon_versions: BTreeMap<String, Vec<String>>,
    /// The version EKS installs by default, per addon (from the same call).
    pub addon_defaults: BTreeMap<String, String>,
    /// Kubernetes versions EKS offers (DescribeClusterVersions), newest
    /// first; empty when the API is not available.
    pub kubernetes_versions: Vec<String>,
    pub existing: ExistingResources,
    /// The identity that would create the cluster (STS).
    pub caller_arn: Option<String>,
    /// Its principal for access entries (an assumed role's IAM ARN, path
    /// included), or why IAM could not say.
    pub caller_principal: Option<CallerPrincipal>,
    /// Look-ups that could not be made, in words for the UI.
    pub unavailable: Vec<String>,
}

/// An availability zone of the region, as DescribeAvailabilityZones lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneFact {
    /// `us-east-1a`: differs per account for the same physical zone.
    pub name: String,
    /// `use1-az1`: the same physical zone in every account.
    pub id: String,
    /// `availability-zone`, `local-zone` or `wavelength-zone`.
    pub zone_type: String,
}

impl ZoneFact {
    /// An ordinary availability zone.
    pub fn availability_zone(name: &str, id: &str) -> Self {
        Self {
            name: name.to_string(),
            id: id.to_string(),
            zone_type: "availability-zone".to_string(),
        }
    }
}

/// The picked VPC as AWS has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VpcLookup {
    /// DescribeVpcs does not know the id in this account and region.
    Missing,
    Found(VpcFact),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpcFact {
    pub id: String,
    pub cidr: String,
    pub subnets: Vec<SubnetDetail>,
    /// Services of the VPC's endpoints (`s3`, `ecr.api`…).
    pub endpoint_services: Vec<String>,
}

/// A subnet of the picked VPC, with what decides whether nodes can run there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetDetail {
    pub id: String,
    pub cidr: String,
    pub availability_zone: String,
    pub available_ips: u32,
    pub map_public_ip: bool,
    /// Where 0.0.0.0/0 goes from it (its own route table, or the VPC's main one).
    pub route_out: RouteOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteOut {
    NatGateway,
    InternetGateway,
    /// Something else: a transit gateway, a peering, an appliance's ENI.
    Other,
    None,
}

/// The principal access entries name for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerPrincipal {
    Known(String),
    /// An assumed role whose IAM ARN (and so its path) IAM would not give.
    Unreadable {
        role: String,
        reason: String,
    },
}

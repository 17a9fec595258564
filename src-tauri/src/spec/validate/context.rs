//! What validation knows beyond the spec itself.

use crate::spec::network::ExistingSubnet;
use std::collections::BTreeMap;

/// What is known about the account and region beyond the spec itself.
/// `Default` is "offline": nothing known, the catalog stands in.
#[derive(Debug, Clone, Default)]
pub struct ValidationContext {
    /// Clusters already in the region (not counting this spec's own).
    pub existing_cluster_names: Vec<String>,
    /// AZs of the region; `None` = unknown (offline): an AZ then only has
    /// to start with the region code and end in a letter.
    pub availability_zones: Option<Vec<String>>,
    /// Subnets of the chosen existing VPC, for overlap checks and to look
    /// up subnets given by id. Leave out the subnets this spec created
    /// itself, or they would overlap themselves.
    pub existing_subnets: Vec<ExistingSubnet>,
    /// Versions per addon from DescribeAddonVersions for the spec's
    /// Kubernetes version; an addon missing here is checked against the
    /// catalog.
    pub addon_versions: BTreeMap<String, Vec<String>>,
    /// Kubernetes versions from DescribeClusterVersions; empty = the catalog.
    pub kubernetes_versions: Vec<String>,
    /// Who creates the cluster (STS), for entries that name "the creator".
    pub caller_arn: Option<String>,
}

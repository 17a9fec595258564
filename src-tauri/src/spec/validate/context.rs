//! What validation knows beyond the spec itself.

use crate::spec::lookup::{CallerPrincipal, VpcLookup, ZoneFact};
use crate::spec::network::ExistingSubnet;
use std::collections::BTreeMap;

/// What is known about the account and region beyond the spec itself.
/// `Default` is "offline": nothing known, the catalog stands in.
#[derive(Debug, Clone, Default)]
pub struct ValidationContext {
    /// Clusters already in the region (not counting this spec's own).
    pub existing_cluster_names: Vec<String>,
    /// Zones of the region (name, id, type); `None` = unknown (offline): a
    /// zone then only has to start with the region code and end in a letter.
    pub availability_zones: Option<Vec<ZoneFact>>,
    /// The picked existing VPC as AWS has it; `None` = not looked up.
    pub existing_vpc: Option<VpcLookup>,
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
    /// Its principal for access entries, or why IAM could not give it.
    pub caller_principal: Option<CallerPrincipal>,
}

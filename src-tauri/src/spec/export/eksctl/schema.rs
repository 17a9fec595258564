//! The fields of eksctl's `ClusterConfig` (`eksctl.io/v1alpha5`) this
//! export writes, as serde structs spelled the way eksctl spells them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Spelled as eksctl spells them: camelCase, with `ARN`/`IDs` in capitals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterConfig {
    pub api_version: String,
    pub kind: String,
    pub metadata: Metadata,
    pub vpc: Vpc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_cluster: Option<PrivateCluster>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<ClusterIam>,
    pub access_config: AccessConfig,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_node_groups: Vec<ManagedNodeGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<Addon>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub name: String,
    pub region: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vpc {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub cidr: String,
    pub subnets: Subnets,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nat: Option<Nat>,
    pub cluster_endpoints: ClusterEndpoints,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nat {
    /// `Disable`, `Single` (eksctl's default) or `HighlyAvailable`.
    pub gateway: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnets {
    /// Keyed by availability zone, or by a name when that is not unique
    /// (eksctl accepts any key, with `az` or `id` set).
    pub private: BTreeMap<String, Subnet>,
    /// For the NAT gateways and internet-facing load balancers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub public: BTreeMap<String, Subnet>,
}

/// A cluster without internet: eksctl makes the VPC endpoints (EC2, ECR
/// api and dkr, S3, STS, plus the additional ones) and turns the public
/// API endpoint off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateCluster {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_endpoint_services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub cidr: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub az: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterEndpoints {
    pub public_access: bool,
    pub private_access: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterIam {
    #[serde(rename = "serviceRoleARN")]
    pub service_role_arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessConfig {
    pub authentication_mode: String,
    pub bootstrap_cluster_creator_admin_permissions: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_entries: Vec<AccessEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessEntry {
    #[serde(rename = "principalARN")]
    pub principal_arn: String,
    pub access_policies: Vec<AccessPolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicy {
    #[serde(rename = "policyARN")]
    pub policy_arn: String,
    pub access_scope: AccessScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessScope {
    /// `cluster` or `namespace`.
    #[serde(rename = "type")]
    pub scope_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedNodeGroup {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ami_family: Option<String>,
    pub instance_types: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spot: bool,
    pub min_size: u32,
    pub desired_capacity: u32,
    pub max_size: u32,
    /// GiB.
    pub volume_size: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    pub private_networking: bool,
    /// Keys of `vpc.subnets.private`, or subnet ids.
    pub subnets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam: Option<NodeIam>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeIam {
    #[serde(rename = "instanceRoleARN")]
    pub instance_role_arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taint {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    pub effect: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addon {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
}

//! The cluster spec: everything the Create form edits, saved as YAML.
//!
//! One type serves the form (over IPC), the YAML file, the CLI, the planner
//! and the exporters. Field names are camelCase in YAML and JSON alike;
//! unknown fields are refused so that a typo in a file is an error, not a
//! silently ignored setting. `Default` is the seed's architecture
//! (../shared/seed): my-eks in ap-northeast-2 with dedicated /28
//! control-plane subnets.

use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::BTreeMap;

/// Version of the YAML format, written at the top of every saved spec.
pub const API_VERSION: &str = "eksdesk.dev/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(default = "api_version")]
    pub api_version: String,
    /// Stable id of this spec; resources the app creates are tagged with it.
    #[serde(default)]
    pub id: String,
    pub cluster: ClusterSettings,
    pub network: NetworkSpec,
    pub iam: IamSpec,
    #[serde(default)]
    pub node_groups: Vec<NodeGroupSpec>,
    #[serde(default)]
    pub addons: Vec<AddonSpec>,
    #[serde(default)]
    pub access: AccessSpec,
}

fn api_version() -> String {
    API_VERSION.to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthenticationMode {
    /// Access entries only (the EKS API); aws-auth ConfigMap is ignored.
    Api,
    /// Access entries and the aws-auth ConfigMap (EKS default for new clusters).
    ApiAndConfigMap,
    /// The aws-auth ConfigMap only (legacy).
    ConfigMap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSettings {
    pub name: String,
    pub region: String,
    pub kubernetes_version: String,
    pub authentication_mode: AuthenticationMode,
    #[serde(default = "yes")]
    pub endpoint_public_access: bool,
    #[serde(default)]
    pub endpoint_private_access: bool,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum VpcChoice {
    /// A new VPC with this IPv4 CIDR.
    #[serde(rename_all = "camelCase")]
    Create { cidr: String },
    /// An existing VPC, looked up by id; the app never modifies or deletes it.
    #[serde(rename_all = "camelCase")]
    Existing { vpc_id: String, cidr: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubnetSpec {
    pub cidr: String,
    pub availability_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum NodeSubnets {
    /// New private subnets carved from the VPC.
    Create(Vec<SubnetSpec>),
    /// Existing subnets, by id.
    Existing(Vec<String>),
}

/// How the nodes and the cluster reach ECR, S3, STS and the EKS API: without
/// a way out, nodes never join and the node group fails after ~20 minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Egress {
    /// One NAT gateway, in the first zone's public subnet, for every
    /// private subnet: the cheapest way out.
    #[default]
    NatGateway,
    /// A NAT gateway in each zone: a zone keeps its way out when another
    /// zone fails.
    NatPerZone,
    /// No internet at all: VPC interface endpoints for ECR (api and dkr),
    /// STS, EC2 and Elastic Load Balancing, the S3 gateway endpoint, and the
    /// cluster endpoint reachable privately.
    PrivateEndpoints,
    /// An existing VPC's own way out (NAT, internet gateway or endpoints),
    /// checked before apply; nothing is added to the VPC.
    Existing,
}

impl Egress {
    /// Public subnets (and an internet gateway) are part of the network.
    pub fn has_public_subnets(self) -> bool {
        matches!(self, Egress::NatGateway | Egress::NatPerZone)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkSpec {
    pub vpc: VpcChoice,
    /// Dedicated subnets for the control plane's ENIs: one /28 per AZ.
    pub control_plane_subnets: Vec<SubnetSpec>,
    pub node_subnets: NodeSubnets,
    /// The way out of the VPC (default: one NAT gateway).
    #[serde(default)]
    pub egress: Egress,
    /// Public subnets for the NAT gateways and internet-facing load
    /// balancers, one per zone; only with a NAT egress.
    #[serde(default)]
    pub public_subnets: Vec<SubnetSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum RoleChoice {
    /// A new role the app creates and owns.
    #[serde(rename_all = "camelCase")]
    Create {
        name: String,
        /// Cluster role only: also attach AmazonEKSVPCResourceController.
        #[serde(default)]
        vpc_resource_controller: bool,
    },
    /// An existing role, by ARN; never modified or deleted.
    #[serde(rename_all = "camelCase")]
    Existing { arn: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IamSpec {
    pub cluster_role: RoleChoice,
    pub node_role: RoleChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CapacityType {
    OnDemand,
    Spot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaintEffect {
    NoSchedule,
    NoExecute,
    PreferNoSchedule,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Taint {
    pub key: String,
    #[serde(default)]
    pub value: String,
    pub effect: TaintEffect,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeGroupSpec {
    pub name: String,
    /// Subnet CIDRs or ids to use; empty = all node subnets of the network.
    #[serde(default)]
    pub subnets: Vec<String>,
    pub min_size: u32,
    pub desired_size: u32,
    pub max_size: u32,
    /// EKS AMI type, e.g. AL2023_ARM_64_STANDARD.
    pub ami_type: String,
    pub instance_types: Vec<String>,
    pub capacity_type: CapacityType,
    pub disk_size_gib: u32,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub taints: Vec<Taint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddonSpec {
    pub name: String,
    /// Empty = the default version EKS picks for the Kubernetes version.
    #[serde(default)]
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields, tag = "type")]
pub enum AccessScope {
    Cluster,
    #[serde(rename_all = "camelCase")]
    Namespace {
        namespaces: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessEntrySpec {
    /// IAM user or role ARN; empty = the identity that creates the cluster.
    #[serde(default)]
    pub principal_arn: String,
    /// Access policy name, e.g. AmazonEKSClusterAdminPolicy.
    pub policy: String,
    pub scope: AccessScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessSpec {
    /// EKS's bootstrapClusterCreatorAdminPermissions: the creator gets
    /// cluster-admin through an access entry made by EKS itself.
    #[serde(default = "yes")]
    pub grant_creator_admin: bool,
    #[serde(default)]
    pub entries: Vec<AccessEntrySpec>,
}

impl Default for AccessSpec {
    fn default() -> Self {
        Self {
            grant_creator_admin: true,
            entries: Vec::new(),
        }
    }
}

fn subnet(cidr: &str, az: &str) -> SubnetSpec {
    SubnetSpec {
        cidr: cidr.into(),
        availability_zone: az.into(),
    }
}

impl Default for ClusterSpec {
    /// The seed's cluster, with the post's known mistakes fixed: node
    /// subnets exist (carved from the VPC) and the access entry is for the
    /// caller's identity, not the account root.
    fn default() -> Self {
        let region = "ap-northeast-2";
        let az = |s: &str| format!("{region}{s}");
        Self {
            api_version: api_version(),
            id: String::new(),
            cluster: ClusterSettings {
                name: "my-eks".into(),
                region: region.into(),
                kubernetes_version: "1.33".into(),
                authentication_mode: AuthenticationMode::ApiAndConfigMap,
                endpoint_public_access: true,
                endpoint_private_access: false,
                tags: BTreeMap::new(),
            },
            network: NetworkSpec {
                vpc: VpcChoice::Create {
                    cidr: "10.0.0.0/16".into(),
                },
                control_plane_subnets: vec![
                    subnet("10.0.0.192/28", &az("a")),
                    subnet("10.0.0.208/28", &az("b")),
                    subnet("10.0.0.224/28", &az("c")),
                ],
                node_subnets: NodeSubnets::Create(vec![
                    subnet("10.0.16.0/20", &az("a")),
                    subnet("10.0.32.0/20", &az("b")),
                    subnet("10.0.48.0/20", &az("c")),
                ]),
                // The seed's post never gave its private subnets a way
                // out; without one, nodes cannot reach ECR or the API.
                egress: Egress::NatGateway,
                public_subnets: vec![
                    subnet("10.0.1.0/24", &az("a")),
                    subnet("10.0.2.0/24", &az("b")),
                    subnet("10.0.3.0/24", &az("c")),
                ],
            },
            iam: IamSpec {
                cluster_role: RoleChoice::Create {
                    name: "AmazonEKSClusterRole-my-eks".into(),
                    vpc_resource_controller: true,
                },
                node_role: RoleChoice::Create {
                    name: "AmazonEKSNodeRole-my-eks".into(),
                    vpc_resource_controller: false,
                },
            },
            node_groups: vec![NodeGroupSpec {
                name: "default_node_group".into(),
                subnets: Vec::new(),
                min_size: 1,
                desired_size: 1,
                max_size: 3,
                ami_type: "AL2023_ARM_64_STANDARD".into(),
                instance_types: vec!["t4g.xlarge".into()],
                capacity_type: CapacityType::OnDemand,
                disk_size_gib: 20,
                labels: BTreeMap::new(),
                taints: Vec::new(),
            }],
            addons: vec![
                AddonSpec {
                    name: "vpc-cni".into(),
                    version: "v1.19.5-eksbuild.3".into(),
                },
                AddonSpec {
                    name: "coredns".into(),
                    version: "v1.12.1-eksbuild.2".into(),
                },
                AddonSpec {
                    name: "kube-proxy".into(),
                    version: "v1.33.0-eksbuild.2".into(),
                },
            ],
            access: AccessSpec {
                grant_creator_admin: false,
                entries: vec![AccessEntrySpec {
                    principal_arn: String::new(),
                    policy: "AmazonEKSClusterAdminPolicy".into(),
                    scope: AccessScope::Cluster,
                }],
            },
        }
    }
}

impl ClusterSpec {
    /// The seed's architecture moved to `region` (AZs `<region>a/b/c`),
    /// with a fresh id, as the Create form starts.
    pub fn new_for_region(region: &str) -> Self {
        let mut spec = Self::default();
        let old = spec.cluster.region.clone();
        let move_az = |s: &mut SubnetSpec| {
            if let Some(suffix) = s.availability_zone.strip_prefix(&old) {
                s.availability_zone = format!("{region}{suffix}");
            }
        };
        spec.network
            .control_plane_subnets
            .iter_mut()
            .for_each(move_az);
        spec.network.public_subnets.iter_mut().for_each(move_az);
        if let NodeSubnets::Create(subnets) = &mut spec.network.node_subnets {
            subnets.iter_mut().for_each(move_az);
        }
        spec.cluster.region = region.to_string();
        spec.id = uuid::Uuid::new_v4().to_string();
        spec
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_spec_moves_the_seed_to_the_region_with_a_fresh_id() {
        let a = ClusterSpec::new_for_region("eu-west-1");
        let b = ClusterSpec::new_for_region("eu-west-1");
        assert_ne!(a.id, b.id);
        assert_eq!(a.cluster.region, "eu-west-1");
        let azs: Vec<_> = a
            .network
            .control_plane_subnets
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        assert_eq!(azs, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        assert!(matches!(&a.network.node_subnets,
            NodeSubnets::Create(s) if s[2].availability_zone == "eu-west-1c"));
    }
}

//! What a plan is made of: steps, their kinds and targets, and what the
//! look-ups found in the account.

use serde::Serialize;
use specta::Type;
use std::collections::{BTreeMap, BTreeSet};

/// The tag every resource the app creates carries, with the spec's id.
pub const OWNER_TAG: &str = "eks-desk:spec-id";

/// AWS-managed policies the roles get, by name; their ARNs take the
/// partition of the spec's region ([`crate::aws::arn::managed_policy_arn`]).
pub const CLUSTER_POLICY: &str = "AmazonEKSClusterPolicy";
pub const VPC_RESOURCE_CONTROLLER_POLICY: &str = "AmazonEKSVPCResourceController";
pub const NODE_POLICIES: [&str; 3] = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
];

/// Subnet tags the AWS Load Balancer Controller (and the cloud provider)
/// find subnets by: internet-facing load balancers go in public subnets,
/// internal ones in the private (node) subnets.
pub const PUBLIC_ELB_TAG: (&str, &str) = ("kubernetes.io/role/elb", "1");
pub const INTERNAL_ELB_TAG: (&str, &str) = ("kubernetes.io/role/internal-elb", "1");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Vpc,
    InternetGateway,
    Subnet,
    RouteTable,
    ElasticIp,
    NatGateway,
    SecurityGroup,
    VpcEndpoint,
    /// What Kubernetes made in the VPC (destroy only).
    KubernetesLeftovers,
    IamRole,
    RolePolicyAttachment,
    Cluster,
    NodeGroup,
    Addon,
    AccessEntry,
    AccessPolicyAssociation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Will be created.
    Create,
    /// Exists already and is this spec's (or was picked by the user): reused.
    Reuse,
    /// This spec's, but broken (a node group in CREATE_FAILED): deleted and
    /// made again.
    Replace,
    /// Something else by that name/CIDR exists: apply would stop here.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanStep {
    /// Stable across edits, so the UI can tell what changed.
    pub id: String,
    pub kind: ResourceKind,
    /// The AWS name of the object (role name, CIDR, cluster name...).
    pub name: String,
    /// Settings that matter, one line, for the list and graph.
    pub detail: String,
    pub depends_on: Vec<String>,
    pub action: StepAction,
    /// Why a step is reused or in conflict.
    pub note: Option<String>,
    /// What the step makes, typed, so that the engine never parses ids.
    #[serde(skip)]
    pub target: StepTarget,
}

/// Which of the spec's two roles a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleUse {
    Cluster,
    Node,
}

/// A VPC endpoint of the private-endpoints egress: what nodes need of AWS
/// without the internet (images from ECR, layers from S3, credentials from
/// STS, and EC2/ELB for the CNI and load balancers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EndpointService {
    S3,
    EcrApi,
    EcrDkr,
    Sts,
    Ec2,
    ElasticLoadBalancing,
}

impl EndpointService {
    pub const ALL: [EndpointService; 6] = [
        EndpointService::S3,
        EndpointService::EcrApi,
        EndpointService::EcrDkr,
        EndpointService::Sts,
        EndpointService::Ec2,
        EndpointService::ElasticLoadBalancing,
    ];

    /// The last part of the service name: `com.amazonaws.<region>.<this>`.
    pub fn short_name(self) -> &'static str {
        match self {
            EndpointService::S3 => "s3",
            EndpointService::EcrApi => "ecr.api",
            EndpointService::EcrDkr => "ecr.dkr",
            EndpointService::Sts => "sts",
            EndpointService::Ec2 => "ec2",
            EndpointService::ElasticLoadBalancing => "elasticloadbalancing",
        }
    }

    /// `com.amazonaws.eu-west-1.ecr.api` (China: `cn.com.amazonaws.…` for
    /// the interface services).
    pub fn service_name(self, region: &str) -> String {
        let prefix = if region.starts_with("cn-") && self.is_interface() {
            "cn.com.amazonaws"
        } else {
            "com.amazonaws"
        };
        format!("{prefix}.{region}.{}", self.short_name())
    }

    /// S3 is a gateway endpoint (a route, free); the others are interface
    /// endpoints (ENIs in the node subnets, billed per hour and zone).
    pub fn is_interface(self) -> bool {
        self != EndpointService::S3
    }
}

/// The spec object behind a step; indices point into the spec's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepTarget {
    Vpc,
    InternetGateway,
    ControlPlaneSubnet(usize),
    NodeSubnet(usize),
    /// `network.publicSubnets[i]`.
    PublicSubnet(usize),
    /// Public subnets → the internet gateway.
    PublicRouteTable,
    /// Private subnets → NAT gateway `i` (one table with one NAT; one per
    /// zone with NAT per zone), or, with private endpoints, the table the S3
    /// gateway endpoint adds its route to.
    PrivateRouteTable(usize),
    /// The elastic IP of NAT gateway `i`.
    ElasticIp(usize),
    /// In `network.publicSubnets[i]`.
    NatGateway(usize),
    /// Lets the VPC reach the interface endpoints on 443.
    EndpointSecurityGroup,
    VpcEndpoint(EndpointService),
    /// Destroy only: load balancers and the like that Kubernetes left in
    /// the VPC, between the cluster and the network.
    KubernetesLeftovers,
    Role(RoleUse),
    RolePolicy {
        role: RoleUse,
        policy_arn: String,
    },
    Cluster,
    NodeGroup(usize),
    Addon(usize),
    /// `access.entries[i]`: the first entry of its principal.
    AccessEntry(usize),
    /// `access.entries[i]`'s policy.
    AccessPolicy(usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub cluster_name: String,
    pub region: String,
    /// Topologically ordered: every step comes after its dependencies.
    pub steps: Vec<PlanStep>,
}

/// An object found in the account, with its owner tag (if any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub owner_spec_id: Option<String>,
}

/// A node group of the spec's cluster that exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoundNodeGroup {
    pub owner_spec_id: Option<String>,
    /// EKS's status (ACTIVE, CREATE_FAILED…).
    pub status: String,
}

/// What the lookups found, keyed by AWS name.
#[derive(Debug, Clone, Default)]
pub struct ExistingResources {
    pub clusters: BTreeMap<String, Found>,
    pub roles: BTreeMap<String, Found>,
    /// Subnets of the target VPC by CIDR.
    pub subnets_by_cidr: BTreeMap<String, Found>,
    /// Node groups of the spec's cluster, by name.
    pub node_groups: BTreeMap<String, FoundNodeGroup>,
}

impl Plan {
    /// Steps in waves that can run concurrently: every step's dependencies
    /// are in earlier waves. The number of waves is the critical path.
    pub fn waves(&self) -> Vec<Vec<&PlanStep>> {
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let mut left: Vec<&PlanStep> = self.steps.iter().collect();
        let mut waves = Vec::new();
        while !left.is_empty() {
            let (ready, rest): (Vec<_>, Vec<_>) = left
                .into_iter()
                .partition(|s| s.depends_on.iter().all(|d| done.contains(d.as_str())));
            assert!(!ready.is_empty(), "plan has a dependency cycle");
            done.extend(ready.iter().map(|s| s.id.as_str()));
            waves.push(ready);
            left = rest;
        }
        waves
    }

    pub fn conflicts(&self) -> impl Iterator<Item = &PlanStep> {
        self.steps
            .iter()
            .filter(|s| s.action == StepAction::Conflict)
    }

    /// The plan for taking it all down: steps in reverse order, each
    /// waiting for what depended on it (a step goes once its dependents are
    /// gone).
    pub fn reversed(self) -> Plan {
        let mut dependents: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for step in &self.steps {
            for dep in &step.depends_on {
                dependents
                    .entry(dep.clone())
                    .or_default()
                    .push(step.id.clone());
            }
        }
        let steps = self
            .steps
            .into_iter()
            .rev()
            .map(|mut step| {
                step.depends_on = dependents.remove(&step.id).unwrap_or_default();
                step
            })
            .collect();
        Plan { steps, ..self }
    }
}

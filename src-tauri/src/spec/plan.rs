//! The resource plan: every AWS object a valid spec creates, in dependency
//! order, each marked as new, reused or in conflict with what already exists.
//! No AWS call happens here: what exists is looked up beforehand and passed
//! in as [`ExistingResources`], so the plan is a pure function of its inputs.

use super::model::{AccessScope, ClusterSpec, NodeSubnets, RoleChoice, VpcChoice};
use serde::Serialize;
use specta::Type;
use std::collections::{BTreeMap, BTreeSet};

/// The tag every resource the app creates carries, with the spec's id.
pub const OWNER_TAG: &str = "eks-desk:spec-id";

pub const CLUSTER_POLICY: &str = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";
pub const VPC_RESOURCE_CONTROLLER_POLICY: &str =
    "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController";
pub const NODE_POLICIES: [&str; 3] = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Vpc,
    Subnet,
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

/// The spec object behind a step; indices point into the spec's lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepTarget {
    Vpc,
    ControlPlaneSubnet(usize),
    NodeSubnet(usize),
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

/// What the lookups found, keyed by AWS name.
#[derive(Debug, Clone, Default)]
pub struct ExistingResources {
    pub clusters: BTreeMap<String, Found>,
    pub roles: BTreeMap<String, Found>,
    /// Subnets of the target VPC by CIDR.
    pub subnets_by_cidr: BTreeMap<String, Found>,
}

struct Builder<'a> {
    spec: &'a ClusterSpec,
    existing: &'a ExistingResources,
    steps: Vec<PlanStep>,
}

fn short_policy(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

impl Builder<'_> {
    fn push(
        &mut self,
        id: String,
        kind: ResourceKind,
        name: String,
        detail: String,
        depends_on: Vec<String>,
        target: StepTarget,
    ) {
        self.steps.push(PlanStep {
            id,
            kind,
            name,
            detail,
            depends_on,
            action: StepAction::Create,
            note: None,
            target,
        });
    }

    /// Marks the last step as reused or conflicting given what was found.
    fn against(&mut self, found: Option<&Found>, what: &str) {
        let spec_id = &self.spec.id;
        let step = self.steps.last_mut().expect("a step was pushed");
        match found {
            None => {}
            Some(f) if !spec_id.is_empty() && f.owner_spec_id.as_deref() == Some(spec_id) => {
                step.action = StepAction::Reuse;
                step.note = Some("exists (created by this spec), will reuse".to_string());
            }
            Some(f) => {
                step.action = StepAction::Conflict;
                step.note = Some(match &f.owner_spec_id {
                    Some(other) => format!("{what} exists and belongs to another spec ({other})"),
                    None => format!("{what} exists and was not created by EKS Desk"),
                });
            }
        }
    }

    fn reuse(&mut self, note: &str) {
        let step = self.steps.last_mut().expect("a step was pushed");
        step.action = StepAction::Reuse;
        step.note = Some(note.to_string());
    }

    fn role(
        &mut self,
        role: RoleUse,
        choice: &RoleChoice,
        policies: &[&str],
    ) -> (String, Vec<String>) {
        let which = match role {
            RoleUse::Cluster => "cluster",
            RoleUse::Node => "node",
        };
        let id = format!("role/{which}");
        match choice {
            RoleChoice::Create { name, .. } => {
                let trust = if which == "cluster" {
                    "eks.amazonaws.com"
                } else {
                    "ec2.amazonaws.com"
                };
                self.push(
                    id.clone(),
                    ResourceKind::IamRole,
                    name.clone(),
                    format!("{which} role, trusted by {trust}"),
                    vec![],
                    StepTarget::Role(role),
                );
                let found = self.existing.roles.get(name).cloned();
                self.against(found.as_ref(), &format!("Role {name}"));
                let mut after = vec![id.clone()];
                for policy in policies {
                    let attach = format!("attach/{which}/{}", short_policy(policy));
                    self.push(
                        attach.clone(),
                        ResourceKind::RolePolicyAttachment,
                        short_policy(policy).to_string(),
                        format!("attached to {name}"),
                        vec![id.clone()],
                        StepTarget::RolePolicy {
                            role,
                            policy_arn: policy.to_string(),
                        },
                    );
                    after.push(attach);
                }
                (id, after)
            }
            RoleChoice::Existing { arn } => {
                self.push(
                    id.clone(),
                    ResourceKind::IamRole,
                    arn.rsplit('/').next().unwrap_or(arn).to_string(),
                    format!("existing {which} role {arn}"),
                    vec![],
                    StepTarget::Role(role),
                );
                self.reuse("picked existing role; never modified");
                (id.clone(), vec![id])
            }
        }
    }
}

/// Builds the plan. The spec should be valid (see `validate`); the plan
/// does not re-check values, only lays out objects and dependencies.
pub fn build(spec: &ClusterSpec, existing: &ExistingResources) -> Plan {
    let mut b = Builder {
        spec,
        existing,
        steps: Vec::new(),
    };
    let name = spec.cluster.name.clone();

    // Network.
    let vpc_id = "vpc/main".to_string();
    match &spec.network.vpc {
        VpcChoice::Create { cidr } => {
            b.push(
                vpc_id.clone(),
                ResourceKind::Vpc,
                cidr.clone(),
                "new VPC, DNS hostnames on".into(),
                vec![],
                StepTarget::Vpc,
            );
        }
        VpcChoice::Existing { vpc_id: id, cidr } => {
            b.push(
                vpc_id.clone(),
                ResourceKind::Vpc,
                id.clone(),
                format!("existing VPC {cidr}"),
                vec![],
                StepTarget::Vpc,
            );
            b.reuse("picked existing VPC; never modified");
        }
    }
    let mut cp_subnets = Vec::new();
    for (i, s) in spec.network.control_plane_subnets.iter().enumerate() {
        let id = format!("subnet/control-plane-{i}");
        b.push(
            id.clone(),
            ResourceKind::Subnet,
            s.cidr.clone(),
            format!("control plane ENIs, {}", s.availability_zone),
            vec![vpc_id.clone()],
            StepTarget::ControlPlaneSubnet(i),
        );
        let found = existing.subnets_by_cidr.get(&s.cidr).cloned();
        b.against(found.as_ref(), &format!("Subnet {}", s.cidr));
        cp_subnets.push(id);
    }
    let mut node_subnets = Vec::new();
    match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => {
            for (i, s) in subnets.iter().enumerate() {
                let id = format!("subnet/nodes-{i}");
                b.push(
                    id.clone(),
                    ResourceKind::Subnet,
                    s.cidr.clone(),
                    format!("private node subnet, {}", s.availability_zone),
                    vec![vpc_id.clone()],
                    StepTarget::NodeSubnet(i),
                );
                let found = existing.subnets_by_cidr.get(&s.cidr).cloned();
                b.against(found.as_ref(), &format!("Subnet {}", s.cidr));
                node_subnets.push(id);
            }
        }
        NodeSubnets::Existing(ids) => {
            for (i, subnet_id) in ids.iter().enumerate() {
                let id = format!("subnet/nodes-{i}");
                b.push(
                    id.clone(),
                    ResourceKind::Subnet,
                    subnet_id.clone(),
                    "existing node subnet".into(),
                    vec![vpc_id.clone()],
                    StepTarget::NodeSubnet(i),
                );
                b.reuse("picked existing subnet; never modified");
                node_subnets.push(id);
            }
        }
    }

    // IAM.
    let mut cluster_policies = vec![CLUSTER_POLICY];
    if let RoleChoice::Create {
        vpc_resource_controller: true,
        ..
    } = spec.iam.cluster_role
    {
        cluster_policies.push(VPC_RESOURCE_CONTROLLER_POLICY);
    }
    let (_, cluster_role_ready) =
        b.role(RoleUse::Cluster, &spec.iam.cluster_role, &cluster_policies);
    let (_, node_role_ready) = b.role(RoleUse::Node, &spec.iam.node_role, &NODE_POLICIES);

    // Cluster.
    let cluster_id = format!("cluster/{name}");
    let mut deps = cp_subnets.clone();
    deps.extend(cluster_role_ready);
    b.push(
        cluster_id.clone(),
        ResourceKind::Cluster,
        name.clone(),
        format!(
            "Kubernetes {}, {:?} auth, {} control-plane subnets",
            spec.cluster.kubernetes_version,
            spec.cluster.authentication_mode,
            spec.network.control_plane_subnets.len()
        ),
        deps,
        StepTarget::Cluster,
    );
    let found = existing.clusters.get(&name).cloned();
    b.against(found.as_ref(), &format!("Cluster {name}"));

    // Node groups.
    let mut node_group_ids = Vec::new();
    for (i, ng) in spec.node_groups.iter().enumerate() {
        let id = format!("nodegroup/{}", ng.name);
        let mut deps = vec![cluster_id.clone()];
        deps.extend(node_role_ready.iter().cloned());
        deps.extend(node_subnets.iter().cloned());
        b.push(
            id.clone(),
            ResourceKind::NodeGroup,
            ng.name.clone(),
            format!(
                "{} × {}..{} (desired {}), {}",
                ng.instance_types.join(","),
                ng.min_size,
                ng.max_size,
                ng.desired_size,
                ng.ami_type
            ),
            deps,
            StepTarget::NodeGroup(i),
        );
        node_group_ids.push(id);
    }

    // Addons: coredns needs nodes to schedule on before it can turn ACTIVE.
    for (i, addon) in spec.addons.iter().enumerate() {
        let mut deps = vec![cluster_id.clone()];
        if addon.name == "coredns" {
            deps.extend(node_group_ids.iter().cloned());
        }
        let version = if addon.version.is_empty() {
            "default version"
        } else {
            &addon.version
        };
        b.push(
            format!("addon/{}", addon.name),
            ResourceKind::Addon,
            addon.name.clone(),
            version.to_string(),
            deps,
            StepTarget::Addon(i),
        );
    }

    // Access entries.
    let mut seen = BTreeSet::new();
    for (i, entry) in spec.access.entries.iter().enumerate() {
        let principal = if entry.principal_arn.is_empty() {
            "caller"
        } else {
            &entry.principal_arn
        };
        let key = principal
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(principal)
            .to_string();
        let entry_id = format!("access-entry/{key}");
        if seen.insert(entry_id.clone()) {
            let shown = if entry.principal_arn.is_empty() {
                "your identity (the caller)".to_string()
            } else {
                entry.principal_arn.clone()
            };
            b.push(
                entry_id.clone(),
                ResourceKind::AccessEntry,
                shown,
                "access entry".into(),
                vec![cluster_id.clone()],
                StepTarget::AccessEntry(i),
            );
        }
        let scope = match &entry.scope {
            AccessScope::Cluster => "cluster-wide".to_string(),
            AccessScope::Namespace { namespaces } => {
                format!("namespaces {}", namespaces.join(", "))
            }
        };
        b.push(
            format!("access-policy/{key}/{}", entry.policy),
            ResourceKind::AccessPolicyAssociation,
            entry.policy.clone(),
            scope,
            vec![entry_id],
            StepTarget::AccessPolicy(i),
        );
    }

    Plan {
        cluster_name: name,
        region: spec.cluster.region.clone(),
        steps: b.steps,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(plan: &Plan, kind: ResourceKind) -> Vec<&str> {
        plan.steps
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.name.as_str())
            .collect()
    }

    #[test]
    fn the_seed_plan_has_every_object_of_the_seed() {
        let plan = build(&ClusterSpec::default(), &ExistingResources::default());
        assert_eq!(ids(&plan, ResourceKind::Vpc), ["10.0.0.0/16"]);
        assert_eq!(
            ids(&plan, ResourceKind::Subnet)[..3],
            ["10.0.0.192/28", "10.0.0.208/28", "10.0.0.224/28"]
        );
        assert_eq!(
            ids(&plan, ResourceKind::IamRole),
            ["AmazonEKSClusterRole-my-eks", "AmazonEKSNodeRole-my-eks"]
        );
        assert_eq!(
            ids(&plan, ResourceKind::RolePolicyAttachment),
            [
                "AmazonEKSClusterPolicy",
                "AmazonEKSVPCResourceController",
                "AmazonEKSWorkerNodePolicy",
                "AmazonEKS_CNI_Policy",
                "AmazonEC2ContainerRegistryReadOnly"
            ]
        );
        assert_eq!(ids(&plan, ResourceKind::Cluster), ["my-eks"]);
        assert_eq!(ids(&plan, ResourceKind::NodeGroup), ["default_node_group"]);
        assert_eq!(
            ids(&plan, ResourceKind::Addon),
            ["vpc-cni", "coredns", "kube-proxy"]
        );
        assert_eq!(
            ids(&plan, ResourceKind::AccessPolicyAssociation),
            ["AmazonEKSClusterAdminPolicy"]
        );
        assert!(plan.steps.iter().all(|s| s.action == StepAction::Create));
    }

    #[test]
    fn steps_come_after_their_dependencies_and_coredns_waits_for_nodes() {
        let plan = build(&ClusterSpec::default(), &ExistingResources::default());
        let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
        for (i, step) in plan.steps.iter().enumerate() {
            for dep in &step.depends_on {
                assert!(pos(dep) < i, "{} before its dependency {dep}", step.id);
            }
        }
        let coredns = &plan.steps[pos("addon/coredns")];
        assert!(coredns
            .depends_on
            .contains(&"nodegroup/default_node_group".to_string()));
        let cluster = &plan.steps[pos("cluster/my-eks")];
        assert!(cluster
            .depends_on
            .contains(&"attach/cluster/AmazonEKSClusterPolicy".to_string()));
    }

    #[test]
    fn waves_run_roles_and_subnets_together() {
        let plan = build(&ClusterSpec::default(), &ExistingResources::default());
        let waves = plan.waves();
        let first: Vec<&str> = waves[0].iter().map(|s| s.id.as_str()).collect();
        assert_eq!(first, ["vpc/main", "role/cluster", "role/node"]);
        let last: Vec<&str> = waves
            .last()
            .unwrap()
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert!(last.contains(&"addon/coredns"), "{last:?}");
        assert!(
            waves.len() < plan.steps.len() / 2,
            "the plan has real parallelism"
        );
    }

    #[test]
    fn existing_objects_are_reused_when_ours_and_conflicts_otherwise() {
        let spec = ClusterSpec {
            id: "spec-123".into(),
            ..Default::default()
        };
        let mut existing = ExistingResources::default();
        existing.roles.insert(
            "AmazonEKSClusterRole-my-eks".into(),
            Found {
                owner_spec_id: Some("spec-123".into()),
            },
        );
        existing.clusters.insert(
            "my-eks".into(),
            Found {
                owner_spec_id: None,
            },
        );
        let plan = build(&spec, &existing);
        let step = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap();
        assert_eq!(step("role/cluster").action, StepAction::Reuse);
        assert_eq!(step("cluster/my-eks").action, StepAction::Conflict);
        assert_eq!(
            step("cluster/my-eks").note.as_deref(),
            Some("Cluster my-eks exists and was not created by EKS Desk")
        );
        assert_eq!(plan.conflicts().count(), 1);
    }

    #[test]
    fn the_reversed_plan_deletes_dependents_first() {
        let apply = build(&ClusterSpec::default(), &ExistingResources::default());
        let waves = apply.waves().len();
        let plan = apply.reversed();
        let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
        for (i, step) in plan.steps.iter().enumerate() {
            for dep in &step.depends_on {
                assert!(pos(dep) < i, "{} before {dep}", step.id);
            }
        }
        let cluster = &plan.steps[pos("cluster/my-eks")];
        for id in [
            "nodegroup/default_node_group",
            "addon/vpc-cni",
            "access-entry/caller",
        ] {
            assert!(cluster.depends_on.contains(&id.to_string()), "{id}");
        }
        let vpc = &plan.steps[pos("vpc/main")];
        assert!(vpc
            .depends_on
            .contains(&"subnet/control-plane-0".to_string()));
        let role = &plan.steps[pos("role/cluster")];
        assert!(role.depends_on.contains(&"cluster/my-eks".to_string()));
        assert!(role
            .depends_on
            .contains(&"attach/cluster/AmazonEKSClusterPolicy".to_string()));
        assert_eq!(plan.waves().len(), waves);
    }

    #[test]
    fn picked_existing_roles_get_no_attachments() {
        let mut spec = ClusterSpec::default();
        spec.iam.node_role = RoleChoice::Existing {
            arn: "arn:aws:iam::111122223333:role/nodes".into(),
        };
        let plan = build(&spec, &ExistingResources::default());
        assert!(!plan.steps.iter().any(|s| s.id.starts_with("attach/node/")));
        let ng = plan
            .steps
            .iter()
            .find(|s| s.id == "nodegroup/default_node_group")
            .unwrap();
        assert!(ng.depends_on.contains(&"role/node".to_string()));
    }
}

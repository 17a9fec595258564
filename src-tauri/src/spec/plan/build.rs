//! Builds the plan from a spec and what exists.

use super::builder::Builder;
use super::network_steps;
use super::steps::*;
use crate::spec::model::{AccessScope, ClusterSpec, RoleChoice};
use std::collections::BTreeSet;

/// Builds the plan. The spec should be valid (see `validate`); the plan
/// does not re-check values, only lays out objects and dependencies.
pub fn build(spec: &ClusterSpec, existing: &ExistingResources) -> Plan {
    let mut b = Builder {
        spec,
        existing,
        steps: Vec::new(),
    };
    let name = spec.cluster.name.clone();

    let network = network_steps::add(&mut b);

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
    let mut deps = network.control_plane_subnets.clone();
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
        deps.extend(network.node_subnets.iter().cloned());
        // Nodes join only once they have a way out.
        deps.extend(network.egress_ready.iter().cloned());
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
        if let Some(found) = existing.node_groups.get(&ng.name) {
            b.node_group_against(found, &ng.name);
        }
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

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;

//! eksctl export: an `eksctl.io/v1alpha5` `ClusterConfig` for a spec.
//!
//! The config is built as serde structs and serialized, so it is valid YAML
//! by construction. What eksctl cannot say the way the spec does (dedicated
//! control-plane subnets it creates itself, role names, "the caller" as a
//! principal) is said in comment lines at the top instead of being dropped
//! silently.

mod network;
mod schema;

use std::collections::BTreeMap;

use super::api_names::authentication_mode;
use crate::aws::arn::{access_policy_arn, partition_of_region};
use crate::spec::model::{
    AccessScope as SpecScope, CapacityType, ClusterSpec, NodeGroupSpec, RoleChoice, TaintEffect,
};
pub use schema::*;

pub const API_VERSION: &str = "eksctl.io/v1alpha5";
const CLUSTER_ADMIN_POLICY: &str = "AmazonEKSClusterAdminPolicy";

/// The `ClusterConfig` YAML for `spec`: comment lines saying what eksctl
/// does differently, then the config.
pub fn render(spec: &ClusterSpec) -> String {
    let (config, notes) = cluster_config(spec);
    let mut out = String::new();
    for note in notes {
        let note: String = note
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let note = note.trim_end();
        out.push('#');
        if !note.is_empty() {
            out.push(' ');
            out.push_str(note);
        }
        out.push('\n');
    }
    out.push_str(&to_yaml(&config));
    out
}

/// The config as YAML. Block scalars are turned off so that a long ARN
/// stays a plain one-line string.
pub fn to_yaml(config: &ClusterConfig) -> String {
    let options = serde_saphyr::ser_options! { prefer_block_scalars: false };
    serde_saphyr::to_string_with_options(config, options)
        // Strings, numbers, booleans, lists and string-keyed maps only:
        // nothing here that YAML cannot hold.
        .expect("a ClusterConfig always serializes")
}

/// The config for `spec`, and the notes to put above it.
pub fn cluster_config(spec: &ClusterSpec) -> (ClusterConfig, Vec<String>) {
    let settings = &spec.cluster;
    let mut notes = vec![
        format!(
            "eksctl ClusterConfig for the EKS cluster \"{}\" ({}),",
            settings.name, settings.region
        ),
        "exported by EKS Desk. Create the cluster with:".to_string(),
        "  eksctl create cluster -f <this file>".to_string(),
    ];
    let (vpc, private_cluster, node_subnet_keys) = network::vpc(spec, &mut notes);

    let role_arn = |choice: &RoleChoice| match choice {
        RoleChoice::Existing { arn } => Some(arn.clone()),
        RoleChoice::Create { .. } => None,
    };
    let service_role_arn = role_arn(&spec.iam.cluster_role);
    let instance_role_arn = role_arn(&spec.iam.node_role);
    if service_role_arn.is_none() || instance_role_arn.is_none() {
        notes.push(String::new());
        notes.push(
            "IAM: eksctl creates the roles the spec would create, under names of its own.".into(),
        );
    }

    if !is_stack_name_safe(&settings.name) {
        notes.push(String::new());
        notes.push(format!(
            "eksctl refuses the cluster name \"{}\": it names CloudFormation stacks after",
            settings.name
        ));
        notes.push("the cluster, and stack names take only letters, digits and hyphens.".into());
    }
    let mut node_group_names: Vec<String> = Vec::new();
    let managed_node_groups = spec
        .node_groups
        .iter()
        .map(|group| {
            let name = stack_safe_name(&group.name, &node_group_names);
            if name != group.name {
                notes.push(String::new());
                notes.push(format!(
                    "Node group \"{}\" is named {name} here: eksctl names a",
                    group.name
                ));
                notes.push(
                    "CloudFormation stack after each node group, and stack names take".into(),
                );
                notes.push("only letters, digits and hyphens.".into());
            }
            node_group_names.push(name.clone());
            node_group(
                group,
                name,
                &node_subnet_keys,
                instance_role_arn.as_deref(),
                &mut notes,
            )
        })
        .collect();

    let config = ClusterConfig {
        api_version: API_VERSION.to_string(),
        kind: "ClusterConfig".to_string(),
        metadata: Metadata {
            name: settings.name.clone(),
            region: settings.region.clone(),
            version: settings.kubernetes_version.clone(),
            tags: settings.tags.clone(),
        },
        vpc,
        private_cluster,
        iam: service_role_arn.map(|service_role_arn| ClusterIam { service_role_arn }),
        access_config: access_config(spec, &mut notes),
        managed_node_groups,
        addons: spec
            .addons
            .iter()
            .map(|a| Addon {
                name: a.name.clone(),
                version: a.version.clone(),
            })
            .collect(),
    };
    notes.push(String::new());
    (config, notes)
}

/// Whether CloudFormation accepts the name inside a stack name.
fn is_stack_name_safe(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `name` with everything but letters, digits and hyphens turned into
/// hyphens (`default_node_group` gives `default-node-group`), starting with
/// a letter, and not one of `taken`.
fn stack_safe_name(name: &str, taken: &[String]) -> String {
    let mut safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if !safe.starts_with(|c: char| c.is_ascii_alphabetic()) {
        safe.insert_str(0, "ng-");
    }
    let mut candidate = safe.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{safe}-{n}");
        n += 1;
    }
    candidate
}

/// eksctl's AMI family for an EKS AMI type; it picks the architecture and
/// GPU variant from the instance types.
fn ami_family(ami_type: &str) -> Option<&'static str> {
    let families = [
        ("AL2023_", "AmazonLinux2023"),
        ("AL2_", "AmazonLinux2"),
        ("BOTTLEROCKET_", "Bottlerocket"),
        ("WINDOWS_CORE_2019_", "WindowsServer2019CoreContainer"),
        ("WINDOWS_FULL_2019_", "WindowsServer2019FullContainer"),
        ("WINDOWS_CORE_2022_", "WindowsServer2022CoreContainer"),
        ("WINDOWS_FULL_2022_", "WindowsServer2022FullContainer"),
    ];
    let ami_type = ami_type.to_ascii_uppercase();
    families
        .iter()
        .find(|(prefix, _)| ami_type.starts_with(prefix))
        .map(|(_, family)| *family)
}

fn node_group(
    group: &NodeGroupSpec,
    name: String,
    node_subnet_keys: &BTreeMap<String, String>,
    instance_role_arn: Option<&str>,
    notes: &mut Vec<String>,
) -> ManagedNodeGroup {
    let ami_family = ami_family(&group.ami_type);
    if ami_family.is_none() {
        notes.push(String::new());
        notes.push(format!(
            "Node group {}: AMI type {} has no eksctl amiFamily; eksctl uses its default.",
            group.name, group.ami_type
        ));
    }
    // The group's own subnets by their key where the VPC section lists
    // them, else as given (a subnet id).
    let subnets = if group.subnets.is_empty() {
        let mut keys: Vec<String> = node_subnet_keys.values().cloned().collect();
        keys.sort();
        keys
    } else {
        group
            .subnets
            .iter()
            .map(|s| {
                node_subnet_keys
                    .get(s)
                    .cloned()
                    .unwrap_or_else(|| s.clone())
            })
            .collect()
    };
    ManagedNodeGroup {
        name,
        ami_family: ami_family.map(str::to_string),
        instance_types: group.instance_types.clone(),
        spot: group.capacity_type == CapacityType::Spot,
        min_size: group.min_size,
        desired_capacity: group.desired_size,
        max_size: group.max_size,
        volume_size: group.disk_size_gib,
        labels: group.labels.clone(),
        taints: group
            .taints
            .iter()
            .map(|t| Taint {
                key: t.key.clone(),
                value: t.value.clone(),
                effect: match t.effect {
                    TaintEffect::NoSchedule => "NoSchedule",
                    TaintEffect::NoExecute => "NoExecute",
                    TaintEffect::PreferNoSchedule => "PreferNoSchedule",
                }
                .to_string(),
            })
            .collect(),
        // The spec's node subnets are private; eksctl would otherwise
        // expect public ones for the group.
        private_networking: true,
        subnets,
        iam: instance_role_arn.map(|arn| NodeIam {
            instance_role_arn: arn.to_string(),
        }),
    }
}

/// Entries grouped by principal (EKS allows one entry per principal). The
/// caller cannot be named in a config file: cluster admin for the caller
/// is what `bootstrapClusterCreatorAdminPermissions` grants, and anything
/// else for the caller is left to a note.
fn access_config(spec: &ClusterSpec, notes: &mut Vec<String>) -> AccessConfig {
    let mut bootstrap_admin = spec.access.grant_creator_admin;
    let mut access_entries: Vec<AccessEntry> = Vec::new();
    for entry in &spec.access.entries {
        let (scope_type, namespaces) = match &entry.scope {
            SpecScope::Cluster => ("cluster", Vec::new()),
            SpecScope::Namespace { namespaces } => ("namespace", namespaces.clone()),
        };
        if entry.principal_arn.is_empty() {
            notes.push(String::new());
            let policy_name = entry.policy.rsplit('/').next().unwrap_or_default();
            if policy_name == CLUSTER_ADMIN_POLICY && scope_type == "cluster" {
                bootstrap_admin = true;
                notes.push(
                    "Access: the spec makes the identity that creates the cluster an admin".into(),
                );
                notes.push(format!(
                    "({CLUSTER_ADMIN_POLICY}, whole cluster); eksctl says that with"
                ));
                notes.push("bootstrapClusterCreatorAdminPermissions.".into());
            } else {
                notes.push("Access: the spec grants the identity that creates the cluster".into());
                notes.push(format!(
                    "{} ({}{}), which eksctl cannot name in a config file: add an entry",
                    entry.policy,
                    scope_type,
                    if namespaces.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", namespaces.join(", "))
                    }
                ));
                notes.push("with your IAM user or role ARN to accessConfig.accessEntries.".into());
            }
            continue;
        }
        let policy = AccessPolicy {
            policy_arn: access_policy_arn(partition_of_region(&spec.cluster.region), &entry.policy),
            access_scope: AccessScope {
                scope_type: scope_type.to_string(),
                namespaces,
            },
        };
        match access_entries
            .iter_mut()
            .find(|e| e.principal_arn == entry.principal_arn)
        {
            Some(existing) => existing.access_policies.push(policy),
            None => access_entries.push(AccessEntry {
                principal_arn: entry.principal_arn.clone(),
                access_policies: vec![policy],
            }),
        }
    }
    AccessConfig {
        authentication_mode: authentication_mode(spec.cluster.authentication_mode).to_string(),
        bootstrap_cluster_creator_admin_permissions: bootstrap_admin,
        access_entries,
    }
}

#[cfg(test)]
mod tests;

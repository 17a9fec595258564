//! Rules for `nodeGroups`: names, scaling, instance and AMI types, disks,
//! labels, taints and subnet references.

use super::label_rules;
use super::names::eks_name_problem;
use super::{FieldIssue, ValidationContext};
use crate::spec::catalog::{self, AmiType};
use crate::spec::model::{ClusterSpec, NodeGroupSpec};
use crate::spec::network::subnet_reference_known;

/// EBS's largest gp3 volume.
const MAX_DISK_GIB: u32 = 16_384;

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    for (i, group) in spec.node_groups.iter().enumerate() {
        let path = format!("nodeGroups[{i}]");
        if let Some(problem) = eks_name_problem("Node group name", &group.name, 63) {
            issues.push(FieldIssue::error(format!("{path}.name"), problem));
        } else if spec.node_groups[..i].iter().any(|g| g.name == group.name) {
            issues.push(FieldIssue::error(
                format!("{path}.name"),
                format!("Another node group is already named {}", group.name),
            ));
        }
        sizes(group, &path, issues);
        let ami = ami_type(group, &spec.cluster.kubernetes_version, &path, issues);
        instance_types(group, ami, &path, issues);
        if group.disk_size_gib == 0 {
            issues.push(FieldIssue::error(
                format!("{path}.diskSizeGib"),
                "Disk size must be at least 1 GiB",
            ));
        } else if group.disk_size_gib > MAX_DISK_GIB {
            issues.push(FieldIssue::error(
                format!("{path}.diskSizeGib"),
                format!("Disk size must be at most {MAX_DISK_GIB} GiB (the EBS volume limit)"),
            ));
        }
        label_rules::check(group, &path, issues);
        for (s, reference) in group.subnets.iter().enumerate() {
            if subnet_reference_known(spec, &ctx.existing_subnets, reference) == Some(false) {
                issues.push(FieldIssue::error(
                    format!("{path}.subnets[{s}]"),
                    format!("{reference} is not one of this cluster's subnets"),
                ));
            }
        }
    }
}

/// EKS's quota of nodes in one managed node group (EKS service quotas).
pub const MAX_NODES_PER_GROUP: u32 = 450;

fn sizes(group: &NodeGroupSpec, path: &str, issues: &mut Vec<FieldIssue>) {
    let (min, desired, max) = (group.min_size, group.desired_size, group.max_size);
    if max < 1 {
        issues.push(FieldIssue::error(
            format!("{path}.maxSize"),
            "Max size must be at least 1",
        ));
    }
    for (field, value) in [("minSize", min), ("desiredSize", desired), ("maxSize", max)] {
        if value > MAX_NODES_PER_GROUP {
            issues.push(FieldIssue::error(
                format!("{path}.{field}"),
                format!("{value} is more nodes than EKS allows in one managed node group ({MAX_NODES_PER_GROUP}); use several node groups"),
            ));
        }
    }
    if min > desired {
        issues.push(FieldIssue::error(
            format!("{path}.minSize"),
            format!("Min size {min} is larger than desired size {desired}"),
        ));
    }
    if desired > max {
        issues.push(FieldIssue::error(
            format!("{path}.desiredSize"),
            format!("Desired size {desired} is larger than max size {max}"),
        ));
    }
}

/// Checks the AMI type; returns it when the catalog knows it, for the
/// architecture check.
fn ami_type(
    group: &NodeGroupSpec,
    kubernetes_version: &str,
    path: &str,
    issues: &mut Vec<FieldIssue>,
) -> Option<&'static AmiType> {
    let field = format!("{path}.amiType");
    if group.ami_type.is_empty() {
        issues.push(FieldIssue::error(field, "Choose an AMI type"));
        return None;
    }
    let Some(ami) = catalog::ami_type(&group.ami_type) else {
        issues.push(FieldIssue::warning(
            field,
            format!(
                "EKS Desk does not know the AMI type {}; EKS will refuse it if it does not exist",
                group.ami_type
            ),
        ));
        return None;
    };
    if !catalog::ami_offered_for(ami, kubernetes_version) {
        issues.push(FieldIssue::error(
            field,
            format!(
                "{} is not built for Kubernetes {kubernetes_version} (the last version is {}); choose an AL2023 or Bottlerocket AMI",
                ami.name,
                ami.last_kubernetes_version.unwrap_or_default()
            ),
        ));
    }
    Some(ami)
}

fn instance_types(
    group: &NodeGroupSpec,
    ami: Option<&AmiType>,
    path: &str,
    issues: &mut Vec<FieldIssue>,
) {
    let field = format!("{path}.instanceTypes");
    if group.instance_types.is_empty() {
        issues.push(FieldIssue::error(
            field,
            "Choose at least one instance type",
        ));
        return;
    }
    for name in &group.instance_types {
        let Some(architecture) = catalog::architecture_of(name) else {
            issues.push(FieldIssue::error(
                &field,
                format!("\"{name}\" is not an EC2 instance type name (like t3.large)"),
            ));
            continue;
        };
        if let Some(ami) = ami.filter(|a| a.architecture != architecture) {
            issues.push(FieldIssue::error(
                &field,
                format!(
                    "{name} is an {} type but {} is an {} AMI",
                    architecture.describe(),
                    ami.name,
                    ami.architecture.as_str()
                ),
            ));
        }
        if catalog::instance_type(name).is_none() {
            issues.push(FieldIssue::warning(
                &field,
                format!("EKS Desk does not know the network limits of {name}, so the IP guard leaves its nodes out"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::spec::model::{Taint, TaintEffect};

    fn seed() -> ClusterSpec {
        ClusterSpec::default()
    }

    fn group(spec: &mut ClusterSpec) -> &mut NodeGroupSpec {
        &mut spec.node_groups[0]
    }

    #[test]
    fn node_group_names_follow_the_eks_rule_and_are_unique() {
        let mut spec = seed();
        group(&mut spec).name = "a".repeat(64);
        assert_eq!(
            message_at(&spec, "nodeGroups[0].name"),
            "Node group name must be 1–63 characters (it has 64)"
        );
        group(&mut spec).name = "-workers".into();
        assert_eq!(
            message_at(&spec, "nodeGroups[0].name"),
            "Node group name must start with a letter or digit"
        );
        let mut spec = seed();
        spec.node_groups.push(spec.node_groups[0].clone());
        assert_eq!(
            message_at(&spec, "nodeGroups[1].name"),
            "Another node group is already named default_node_group"
        );
    }

    #[test]
    fn sizes_are_ordered() {
        let mut spec = seed();
        group(&mut spec).desired_size = 5;
        assert_eq!(
            message_at(&spec, "nodeGroups[0].desiredSize"),
            "Desired size 5 is larger than max size 3"
        );
        let mut spec = seed();
        group(&mut spec).min_size = 2;
        assert_eq!(
            message_at(&spec, "nodeGroups[0].minSize"),
            "Min size 2 is larger than desired size 1"
        );
        let mut spec = seed();
        let g = group(&mut spec);
        (g.min_size, g.desired_size, g.max_size) = (0, 0, 0);
        assert_eq!(
            message_at(&spec, "nodeGroups[0].maxSize"),
            "Max size must be at least 1"
        );
    }

    #[test]
    fn sizes_stay_within_eks_limits_even_when_huge() {
        let mut spec = seed();
        let g = group(&mut spec);
        // Past i32::MAX: would have wrapped negative in the API call.
        (g.min_size, g.desired_size, g.max_size) = (1, 451, u32::MAX);
        assert_eq!(
            message_at(&spec, "nodeGroups[0].maxSize"),
            "4294967295 is more nodes than EKS allows in one managed node group (450); use several node groups"
        );
        assert!(message_at(&spec, "nodeGroups[0].desiredSize").starts_with("451 is more nodes"));
        let mut spec = seed();
        group(&mut spec).max_size = 450;
        assert!(issues_at(&spec, "nodeGroups[0].maxSize").is_empty());
    }

    #[test]
    fn instance_types_must_match_the_ami_architecture() {
        let mut spec = seed();
        group(&mut spec).ami_type = "AL2023_x86_64_STANDARD".into();
        assert_eq!(
            message_at(&spec, "nodeGroups[0].instanceTypes"),
            "t4g.xlarge is an arm64 (Graviton) type but AL2023_x86_64_STANDARD is an x86_64 AMI"
        );
        let mut spec = seed();
        group(&mut spec).instance_types = vec!["m5.large".into()];
        assert_eq!(
            message_at(&spec, "nodeGroups[0].instanceTypes"),
            "m5.large is an x86_64 type but AL2023_ARM_64_STANDARD is an arm64 AMI"
        );
    }

    #[test]
    fn instance_types_are_required_and_named_like_ec2() {
        let mut spec = seed();
        group(&mut spec).instance_types.clear();
        assert_eq!(
            message_at(&spec, "nodeGroups[0].instanceTypes"),
            "Choose at least one instance type"
        );
        group(&mut spec).instance_types = vec!["t4g xlarge".into()];
        assert_eq!(
            message_at(&spec, "nodeGroups[0].instanceTypes"),
            "\"t4g xlarge\" is not an EC2 instance type name (like t3.large)"
        );
    }

    #[test]
    fn unknown_instance_types_are_a_warning() {
        let mut spec = seed();
        group(&mut spec).instance_types = vec!["m8g.large".into()];
        let issues = issues_at(&spec, "nodeGroups[0].instanceTypes");
        assert_eq!(
            issues,
            [FieldIssue::warning(
                "nodeGroups[0].instanceTypes",
                "EKS Desk does not know the network limits of m8g.large, so the IP guard leaves its nodes out"
            )]
        );
    }

    #[test]
    fn ami_types_must_exist_for_the_version() {
        let mut spec = seed();
        group(&mut spec).ami_type = "AL2_ARM_64".into();
        assert_eq!(
            message_at(&spec, "nodeGroups[0].amiType"),
            "AL2_ARM_64 is not built for Kubernetes 1.33 (the last version is 1.32); choose an AL2023 or Bottlerocket AMI"
        );
        spec.cluster.kubernetes_version = "1.32".into();
        assert!(issues_at(&spec, "nodeGroups[0].amiType").is_empty());
        group(&mut spec).ami_type = "WINDOWS_CORE_2022_x86_64".into();
        assert_eq!(
            issues_at(&spec, "nodeGroups[0].amiType"),
            [FieldIssue::warning(
                "nodeGroups[0].amiType",
                "EKS Desk does not know the AMI type WINDOWS_CORE_2022_x86_64; EKS will refuse it if it does not exist"
            )]
        );
        group(&mut spec).ami_type = String::new();
        assert_eq!(
            message_at(&spec, "nodeGroups[0].amiType"),
            "Choose an AMI type"
        );
    }

    #[test]
    fn disks_labels_and_taints() {
        let mut spec = seed();
        group(&mut spec).disk_size_gib = 0;
        assert_eq!(
            message_at(&spec, "nodeGroups[0].diskSizeGib"),
            "Disk size must be at least 1 GiB"
        );
        group(&mut spec).disk_size_gib = 16_385;
        assert_eq!(
            message_at(&spec, "nodeGroups[0].diskSizeGib"),
            "Disk size must be at most 16384 GiB (the EBS volume limit)"
        );
        let mut spec = seed();
        group(&mut spec).labels.insert(String::new(), "x".into());
        assert_eq!(
            message_at(&spec, "nodeGroups[0].labels"),
            "Label keys cannot be empty"
        );
        group(&mut spec).taints = vec![
            Taint {
                key: "dedicated".into(),
                value: "gpu".into(),
                effect: TaintEffect::NoSchedule,
            },
            Taint {
                key: String::new(),
                value: String::new(),
                effect: TaintEffect::NoExecute,
            },
        ];
        assert_eq!(
            message_at(&spec, "nodeGroups[0].taints[1].key"),
            "Taint keys cannot be empty"
        );
        assert!(issues_at(&spec, "nodeGroups[0].taints[0].key").is_empty());
    }

    #[test]
    fn subnet_entries_must_name_the_clusters_subnets() {
        let mut spec = seed();
        group(&mut spec).subnets = vec!["10.0.32.0/20".into(), "10.0.99.0/24".into()];
        assert!(issues_at(&spec, "nodeGroups[0].subnets[0]").is_empty());
        assert_eq!(
            message_at(&spec, "nodeGroups[0].subnets[1]"),
            "10.0.99.0/24 is not one of this cluster's subnets"
        );
    }

    #[test]
    fn a_node_group_in_a_control_plane_subnet_is_warned_about() {
        let mut spec = seed();
        let g = group(&mut spec);
        g.subnets = vec!["10.0.0.208/28".into()];
        g.max_size = 1;
        g.instance_types = vec!["t3.medium".into()];
        g.ami_type = "AL2023_x86_64_STANDARD".into();
        // 11 usable - 4 upgrade ENIs - 18 node IPs: the guard's error too.
        let issues = issues_at(&spec, "nodeGroups[0].subnets[0]");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].severity, super::super::Severity::Warning);
        assert!(issues[0].message.starts_with(
            "Node group default_node_group uses control-plane subnet 10.0.0.208/28. During a Kubernetes upgrade"
        ));
        assert_eq!(
            message_at(&spec, "network.controlPlaneSubnets[1].cidr"),
            "10.0.0.208/28 is 11 IPs short during a Kubernetes upgrade (11 usable, 4 for control-plane ENIs, 18 for nodes at max scale); keep at least 5 free"
        );
    }
}

//! Rules for `addons`: unique names, versions EKS offers.

use super::{FieldIssue, ValidationContext};
use crate::spec::catalog::{self, ADDON_NAMES, KUBERNETES_VERSIONS};
use crate::spec::model::ClusterSpec;

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let kubernetes_version = spec.cluster.kubernetes_version.as_str();
    for (i, addon) in spec.addons.iter().enumerate() {
        let name_field = format!("addons[{i}].name");
        if addon.name.is_empty() {
            issues.push(FieldIssue::error(name_field, "Choose an addon"));
            continue;
        }
        if spec.addons[..i].iter().any(|a| a.name == addon.name) {
            issues.push(FieldIssue::error(
                name_field,
                format!("{} is already in the list of addons", addon.name),
            ));
            continue;
        }
        let live = ctx.addon_versions.get(&addon.name);
        if live.is_none() && !ADDON_NAMES.contains(&addon.name.as_str()) {
            issues.push(FieldIssue::warning(
                name_field,
                format!(
                    "EKS Desk does not know the addon {}; EKS will check that it exists",
                    addon.name
                ),
            ));
            continue;
        }
        // Empty = EKS's default version, always acceptable.
        if addon.version.is_empty() {
            continue;
        }
        let offered: Vec<String> = match live {
            Some(versions) => versions.clone(),
            // The version rule already reports a version the catalog lacks.
            None if !KUBERNETES_VERSIONS.contains(&kubernetes_version) => continue,
            None => catalog::addon_versions(&addon.name, kubernetes_version)
                .into_iter()
                .map(|v| v.version)
                .collect(),
        };
        if !offered.is_empty() && !offered.contains(&addon.version) {
            issues.push(FieldIssue::error(
                format!("addons[{i}].version"),
                format!(
                    "{} is not a {} version for Kubernetes {kubernetes_version}; choose one of {}",
                    addon.version,
                    addon.name,
                    offered.join(", ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::spec::model::AddonSpec;
    use std::collections::BTreeMap;

    fn seed() -> ClusterSpec {
        ClusterSpec::default()
    }

    #[test]
    fn versions_come_from_the_catalog_offline() {
        let mut spec = seed();
        spec.addons[2].version = "v1.32.0-eksbuild.1".into();
        assert_eq!(
            message_at(&spec, "addons[2].version"),
            "v1.32.0-eksbuild.1 is not a kube-proxy version for Kubernetes 1.33; choose one of v1.33.3-eksbuild.4, v1.33.0-eksbuild.2"
        );
    }

    #[test]
    fn versions_from_aws_win_over_the_catalog() {
        let ctx = ValidationContext {
            addon_versions: BTreeMap::from([(
                "vpc-cni".to_string(),
                vec!["v1.21.0-eksbuild.1".to_string()],
            )]),
            ..Default::default()
        };
        assert_eq!(
            message_at_with(&seed(), &ctx, "addons[0].version"),
            "v1.19.5-eksbuild.3 is not a vpc-cni version for Kubernetes 1.33; choose one of v1.21.0-eksbuild.1"
        );
        let mut spec = seed();
        spec.addons[0].version = "v1.21.0-eksbuild.1".into();
        assert!(issues_at_with(&spec, &ctx, "addons[0].version").is_empty());
    }

    #[test]
    fn an_empty_version_is_the_default() {
        let mut spec = seed();
        for a in &mut spec.addons {
            a.version.clear();
        }
        assert!(validate_addons(&spec).is_empty());
    }

    #[test]
    fn names_are_unique_and_known() {
        let mut spec = seed();
        spec.addons.push(AddonSpec {
            name: "coredns".into(),
            version: String::new(),
        });
        spec.addons.push(AddonSpec {
            name: "metrics-server".into(),
            version: "v0.7.2-eksbuild.1".into(),
        });
        spec.addons.push(AddonSpec {
            name: String::new(),
            version: String::new(),
        });
        assert_eq!(
            message_at(&spec, "addons[3].name"),
            "coredns is already in the list of addons"
        );
        assert_eq!(
            issues_at(&spec, "addons[4].name"),
            [FieldIssue::warning(
                "addons[4].name",
                "EKS Desk does not know the addon metrics-server; EKS will check that it exists"
            )]
        );
        assert_eq!(message_at(&spec, "addons[5].name"), "Choose an addon");
    }

    #[test]
    fn an_unknown_kubernetes_version_is_not_reported_twice() {
        let mut spec = seed();
        spec.cluster.kubernetes_version = "1.29".into();
        assert!(validate_addons(&spec).is_empty());
    }

    fn validate_addons(spec: &ClusterSpec) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        check(spec, &ValidationContext::default(), &mut issues);
        issues
    }
}

//! Every rule a spec must pass before anything is created, reported per
//! field so that the form can put each message next to its input.
//!
//! Field paths use the camelCase names and indexes the YAML and JSON use,
//! flattening the create/existing choices (`network.vpc.cidr`,
//! `iam.clusterRole.name`, `network.nodeSubnets[0].cidr`) because the form
//! shows one input for each. Rules are grouped by section of the spec in
//! the `*_rules` files; the IP guard's findings are added last.

mod access_rules;
mod addon_rules;
mod cluster_rules;
mod egress_rules;
mod existing_vpc_rules;
mod iam_rules;
mod label_rules;
mod network_rules;
mod node_group_rules;

mod context;
mod field_issue;
mod names;
pub mod zone_rules;

pub use crate::spec::network::ExistingSubnet;
pub use context::ValidationContext;
pub use field_issue::{FieldIssue, Severity};

use crate::spec::model::ClusterSpec;
use crate::spec::network::ip_guard_issues;

/// All issues of `spec`, errors and warnings, in the order of the form.
pub fn validate(spec: &ClusterSpec, ctx: &ValidationContext) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    cluster_rules::check(spec, ctx, &mut issues);
    network_rules::check(spec, ctx, &mut issues);
    egress_rules::check(spec, &mut issues);
    existing_vpc_rules::check(spec, ctx, &mut issues);
    iam_rules::check(spec, &mut issues);
    node_group_rules::check(spec, ctx, &mut issues);
    addon_rules::check(spec, ctx, &mut issues);
    access_rules::check(spec, ctx, &mut issues);
    issues.extend(ip_guard_issues(spec, &ctx.existing_subnets));
    issues
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// The issues `validate` reports at `field`, offline.
    pub fn issues_at(spec: &ClusterSpec, field: &str) -> Vec<FieldIssue> {
        issues_at_with(spec, &ValidationContext::default(), field)
    }

    pub fn issues_at_with(
        spec: &ClusterSpec,
        ctx: &ValidationContext,
        field: &str,
    ) -> Vec<FieldIssue> {
        validate(spec, ctx)
            .into_iter()
            .filter(|i| i.field == field)
            .collect()
    }

    /// The one message at `field`; fails when there is not exactly one.
    pub fn message_at(spec: &ClusterSpec, field: &str) -> String {
        message_at_with(spec, &ValidationContext::default(), field)
    }

    pub fn message_at_with(spec: &ClusterSpec, ctx: &ValidationContext, field: &str) -> String {
        let issues = issues_at_with(spec, ctx, field);
        assert_eq!(
            issues.len(),
            1,
            "expected one issue at {field}, got {issues:#?}"
        );
        issues[0].message.clone()
    }

    pub fn errors(spec: &ClusterSpec, ctx: &ValidationContext) -> Vec<FieldIssue> {
        validate(spec, ctx)
            .into_iter()
            .filter(|i| i.severity == Severity::Error)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::names::eks_name_problem;
    use super::test_support::*;
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_seed_has_no_errors() {
        let issues = validate(&ClusterSpec::default(), &ValidationContext::default());
        let errors: Vec<_> = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }

    #[test]
    fn the_seed_has_no_errors_against_a_live_region_either() {
        let ctx = ValidationContext {
            existing_cluster_names: vec!["other".into()],
            availability_zones: Some(
                ["a", "b", "c", "d"]
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        crate::spec::lookup::ZoneFact::availability_zone(
                            &format!("ap-northeast-2{l}"),
                            &format!("apne2-az{}", i + 1),
                        )
                    })
                    .collect(),
            ),
            existing_subnets: Vec::new(),
            addon_versions: BTreeMap::from([(
                "vpc-cni".to_string(),
                vec!["v1.19.5-eksbuild.3".to_string()],
            )]),
            kubernetes_versions: vec!["1.34".into(), "1.33".into()],
            caller_arn: Some("arn:aws:iam::111122223333:user/dev".into()),
            ..Default::default()
        };
        assert_eq!(errors(&ClusterSpec::default(), &ctx), []);
    }

    #[test]
    fn issues_serialize_for_the_ui() {
        let issue = FieldIssue::warning("cluster.name", "x");
        assert_eq!(
            serde_json::to_string(&issue).unwrap(),
            r#"{"field":"cluster.name","message":"x","severity":"warning"}"#
        );
    }

    #[test]
    fn eks_names_report_the_first_rule_broken() {
        let problem = |n: &str| eks_name_problem("Name", n, 10);
        assert_eq!(problem("ok-name_1"), None);
        assert_eq!(
            problem("").unwrap(),
            "Name must be 1–10 characters (it has 0)"
        );
        assert_eq!(
            problem("elevenchars").unwrap(),
            "Name must be 1–10 characters (it has 11)"
        );
        assert_eq!(
            problem("-x").unwrap(),
            "Name must start with a letter or digit"
        );
        assert_eq!(
            problem("a.b").unwrap(),
            "Name may only contain letters, digits, hyphens and underscores (not \".\")"
        );
    }

    #[test]
    fn issues_come_with_the_field_they_belong_to() {
        let mut spec = ClusterSpec::default();
        spec.cluster.name = String::new();
        assert_eq!(
            message_at(&spec, "cluster.name"),
            "Cluster name must be 1–100 characters (it has 0)"
        );
        assert!(issues_at(&spec, "cluster.region").is_empty());
    }
}

#[cfg(test)]
#[path = "eks_rules_tests.rs"]
mod eks_rules_tests;

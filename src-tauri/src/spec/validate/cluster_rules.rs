//! Rules for the `cluster` section: name, region, Kubernetes version, tags.

use super::names::{eks_name_problem, length};
use super::{FieldIssue, ValidationContext};
use crate::spec::catalog::KUBERNETES_VERSIONS;
use crate::spec::model::ClusterSpec;
use std::collections::BTreeMap;

/// AWS's limits on resource tags.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let cluster = &spec.cluster;
    if let Some(problem) = eks_name_problem("Cluster name", &cluster.name, 100) {
        issues.push(FieldIssue::error("cluster.name", problem));
    } else if ctx.existing_cluster_names.contains(&cluster.name) {
        issues.push(FieldIssue::error(
            "cluster.name",
            format!(
                "A cluster named {} already exists in {}",
                cluster.name, cluster.region
            ),
        ));
    }
    if let Some(problem) = region_problem(&cluster.region) {
        issues.push(FieldIssue::error("cluster.region", problem));
    }
    if let Some(problem) =
        kubernetes_version_problem(&cluster.kubernetes_version, &ctx.kubernetes_versions)
    {
        issues.push(FieldIssue::error("cluster.kubernetesVersion", problem));
    }
    for problem in tag_problems(&cluster.tags) {
        issues.push(FieldIssue::error("cluster.tags", problem));
    }
}

fn region_problem(region: &str) -> Option<String> {
    if region.is_empty() {
        return Some("Choose a region".into());
    }
    if is_region_code(region) {
        None
    } else {
        Some(format!(
            "{region} is not an AWS region code (like ap-northeast-2)"
        ))
    }
}

/// The shape of every AWS region code: a two-letter area, words, a number
/// (ap-northeast-2, us-gov-west-1, eu-central-1). Checked by shape, not a
/// list, so that regions newer than the app still pass.
pub(super) fn is_region_code(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let lower_word = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase());
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1].iter().all(lower_word)
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// `offered`: what DescribeClusterVersions listed; empty = use the catalog.
fn kubernetes_version_problem(version: &str, offered: &[String]) -> Option<String> {
    if version.is_empty() {
        return Some("Choose a Kubernetes version".into());
    }
    let offered: Vec<&str> = if offered.is_empty() {
        KUBERNETES_VERSIONS.to_vec()
    } else {
        offered.iter().map(String::as_str).collect()
    };
    if offered.contains(&version) {
        return None;
    }
    Some(format!(
        "Kubernetes {version} is not offered by EKS; choose one of {}",
        offered.join(", ")
    ))
}

fn tag_problems(tags: &BTreeMap<String, String>) -> Vec<String> {
    let mut problems = Vec::new();
    if tags.len() > MAX_TAGS {
        problems.push(format!(
            "At most {MAX_TAGS} tags are allowed; there are {}",
            tags.len()
        ));
    }
    for (key, value) in tags {
        if key.is_empty() {
            problems.push("Tag keys cannot be empty".into());
        } else if length(key) > MAX_TAG_KEY {
            problems.push(format!(
                "Tag key \"{key}\" is longer than {MAX_TAG_KEY} characters"
            ));
        } else if key.to_ascii_lowercase().starts_with("aws:") {
            // AWS refuses to let users set or change these.
            problems.push(format!(
                "Tag key \"{key}\" is reserved: keys starting with aws: belong to AWS"
            ));
        }
        if length(value) > MAX_TAG_VALUE {
            problems.push(format!(
                "The value of tag \"{key}\" is longer than {MAX_TAG_VALUE} characters"
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    fn seed() -> ClusterSpec {
        ClusterSpec::default()
    }

    fn with_name(name: &str) -> ClusterSpec {
        let mut spec = seed();
        spec.cluster.name = name.into();
        spec
    }

    #[test]
    fn cluster_names_follow_the_eks_rule() {
        assert!(issues_at(&with_name("my-eks_2"), "cluster.name").is_empty());
        assert!(issues_at(&with_name("9lives"), "cluster.name").is_empty());
        assert_eq!(
            message_at(&with_name(&"a".repeat(101)), "cluster.name"),
            "Cluster name must be 1–100 characters (it has 101)"
        );
        assert_eq!(
            message_at(&with_name("_eks"), "cluster.name"),
            "Cluster name must start with a letter or digit"
        );
        assert_eq!(
            message_at(&with_name("my eks"), "cluster.name"),
            "Cluster name may only contain letters, digits, hyphens and underscores (not \" \")"
        );
    }

    #[test]
    fn cluster_names_must_be_free_in_the_region() {
        let ctx = ValidationContext {
            existing_cluster_names: vec!["my-eks".into()],
            ..Default::default()
        };
        assert_eq!(
            message_at_with(&seed(), &ctx, "cluster.name"),
            "A cluster named my-eks already exists in ap-northeast-2"
        );
    }

    #[test]
    fn regions_are_checked_by_shape() {
        for good in [
            "ap-northeast-2",
            "us-gov-west-1",
            "eu-central-1",
            "cn-north-1",
            "us-isob-east-1",
        ] {
            assert!(is_region_code(good), "{good}");
        }
        for bad in [
            "",
            "ap-northeast",
            "apne2",
            "AP-NORTHEAST-2",
            "ap-northeast-2a",
            "ap--2",
            "a-b-1",
        ] {
            assert!(!is_region_code(bad), "{bad}");
        }
        let mut spec = seed();
        spec.cluster.region = "seoul".into();
        assert_eq!(
            message_at(&spec, "cluster.region"),
            "seoul is not an AWS region code (like ap-northeast-2)"
        );
        spec.cluster.region = String::new();
        assert_eq!(message_at(&spec, "cluster.region"), "Choose a region");
    }

    #[test]
    fn versions_offered_by_the_api_replace_the_built_in_list() {
        let offered = vec!["1.35".to_string(), "1.34".to_string()];
        assert_eq!(kubernetes_version_problem("1.35", &offered), None);
        assert_eq!(
            kubernetes_version_problem("1.33", &offered).as_deref(),
            Some("Kubernetes 1.33 is not offered by EKS; choose one of 1.35, 1.34")
        );
    }

    #[test]
    fn kubernetes_version_must_be_offered() {
        let mut spec = seed();
        spec.cluster.kubernetes_version = "1.29".into();
        assert_eq!(
            message_at(&spec, "cluster.kubernetesVersion"),
            "Kubernetes 1.29 is not offered by EKS; choose one of 1.34, 1.33, 1.32, 1.31, 1.30"
        );
        spec.cluster.kubernetes_version = String::new();
        assert_eq!(
            message_at(&spec, "cluster.kubernetesVersion"),
            "Choose a Kubernetes version"
        );
    }

    fn with_tags(tags: &[(&str, &str)]) -> ClusterSpec {
        let mut spec = seed();
        spec.cluster.tags = tags
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        spec
    }

    #[test]
    fn tags_follow_the_aws_limits() {
        assert!(issues_at(
            &with_tags(&[("team", "platform"), ("env", "")]),
            "cluster.tags"
        )
        .is_empty());
        assert_eq!(
            message_at(&with_tags(&[("", "x")]), "cluster.tags"),
            "Tag keys cannot be empty"
        );
        let long_key = "k".repeat(129);
        assert_eq!(
            message_at(&with_tags(&[(&long_key, "x")]), "cluster.tags"),
            format!("Tag key \"{long_key}\" is longer than 128 characters")
        );
        assert_eq!(
            message_at(&with_tags(&[("AWS:owner", "x")]), "cluster.tags"),
            "Tag key \"AWS:owner\" is reserved: keys starting with aws: belong to AWS"
        );
        let long_value = "v".repeat(257);
        assert_eq!(
            message_at(&with_tags(&[("team", &long_value)]), "cluster.tags"),
            "The value of tag \"team\" is longer than 256 characters"
        );
        // Lengths are characters, as AWS counts them, not bytes.
        let korean = "팀".repeat(128);
        assert!(issues_at(&with_tags(&[(&korean, "x")]), "cluster.tags").is_empty());
    }

    #[test]
    fn at_most_fifty_tags() {
        let keys: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
        let tags: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "v")).collect();
        assert_eq!(
            message_at(&with_tags(&tags), "cluster.tags"),
            "At most 50 tags are allowed; there are 51"
        );
        assert!(issues_at(&with_tags(&tags[..50]), "cluster.tags").is_empty());
    }
}

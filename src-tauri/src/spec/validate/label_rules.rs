//! Node labels and taints as EKS and Kubernetes take them: EKS limits keys
//! and values to 63 characters (and at most 50 taints), and Kubernetes
//! wants a key to be an optional DNS-subdomain prefix and `/`, then a name
//! of letters, digits, `-`, `_` and `.` that starts and ends alphanumeric.

use super::FieldIssue;
use crate::spec::model::NodeGroupSpec;

/// EKS's CreateNodegroup limits.
const MAX_LENGTH: usize = 63;
const MAX_TAINTS: usize = 50;

/// A Kubernetes name segment: 1–63 of `[A-Za-z0-9_.-]`, alphanumeric at both ends.
fn name_problem(name: &str) -> Option<&'static str> {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    if name.is_empty() {
        return Some("is empty");
    }
    if !name.starts_with(alnum) || !name.ends_with(alnum) {
        return Some("must start and end with a letter or digit");
    }
    if !name
        .chars()
        .all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
    {
        return Some("may only contain letters, digits, '-', '_' and '.'");
    }
    None
}

/// A DNS subdomain: dot-separated lowercase labels.
fn prefix_problem(prefix: &str) -> Option<&'static str> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && l.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    (!prefix.split('.').all(label_ok))
        .then_some("has a prefix that is not a DNS subdomain (like example.com)")
}

fn key_problem(key: &str) -> Option<String> {
    if key.chars().count() > MAX_LENGTH {
        return Some(format!(
            "\"{key}\" is longer than the {MAX_LENGTH} characters EKS allows for a key"
        ));
    }
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    let problem = prefix
        .and_then(prefix_problem)
        .or_else(|| name_problem(name));
    problem.map(|p| format!("Key \"{key}\" {p}"))
}

fn value_problem(value: &str, may_be_empty: bool) -> Option<String> {
    if value.is_empty() {
        return (!may_be_empty).then(|| "A label value cannot be empty for EKS".to_string());
    }
    if value.chars().count() > MAX_LENGTH {
        return Some(format!(
            "\"{value}\" is longer than the {MAX_LENGTH} characters EKS allows for a value"
        ));
    }
    name_problem(value).map(|p| format!("Value \"{value}\" {p}"))
}

pub(super) fn check(group: &NodeGroupSpec, path: &str, issues: &mut Vec<FieldIssue>) {
    for (key, value) in &group.labels {
        let field = format!("{path}.labels");
        if key.is_empty() {
            issues.push(FieldIssue::error(&field, "Label keys cannot be empty"));
            continue;
        }
        if let Some(problem) = key_problem(key).or_else(|| value_problem(value, false)) {
            issues.push(FieldIssue::error(&field, format!("Label {key}: {problem}")));
        }
    }
    if group.taints.len() > MAX_TAINTS {
        issues.push(FieldIssue::error(
            format!("{path}.taints"),
            format!(
                "{} taints: EKS allows at most {MAX_TAINTS} per node group",
                group.taints.len()
            ),
        ));
    }
    for (t, taint) in group.taints.iter().enumerate() {
        if taint.key.is_empty() {
            issues.push(FieldIssue::error(
                format!("{path}.taints[{t}].key"),
                "Taint keys cannot be empty",
            ));
            continue;
        }
        if let Some(problem) = key_problem(&taint.key) {
            issues.push(FieldIssue::error(
                format!("{path}.taints[{t}].key"),
                problem,
            ));
        }
        if let Some(problem) = value_problem(&taint.value, true) {
            issues.push(FieldIssue::error(
                format!("{path}.taints[{t}].value"),
                problem,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_kubernetes_and_eks_limits() {
        assert_eq!(key_problem("team"), None);
        assert_eq!(key_problem("example.com/team"), None);
        assert_eq!(key_problem("node.kubernetes.io/role"), None);
        assert!(key_problem("-team").unwrap().contains("start and end"));
        assert!(key_problem("team name")
            .unwrap()
            .contains("may only contain"));
        assert!(key_problem("Example.com/team")
            .unwrap()
            .contains("DNS subdomain"));
        let long = "a".repeat(64);
        assert!(key_problem(&long).unwrap().contains("63 characters"));
    }

    #[test]
    fn values_may_be_empty_for_taints_only() {
        assert_eq!(value_problem("", true), None);
        assert!(value_problem("", false).is_some());
        assert_eq!(value_problem("gpu-1.x", false), None);
        assert!(value_problem("a/b", false).is_some());
        assert!(value_problem(&"v".repeat(64), true)
            .unwrap()
            .contains("63 characters"));
    }
}

//! EKS's health issues of a cluster, node group or addon, in AWS's own
//! words: `Code: message (resource ids)`, joined. One formatter for the
//! three SDK types, so a failure reads the same whatever failed.

use aws_sdk_eks::types::{AddonIssue, ClusterIssue, Issue};

/// What the three SDK issue types have in common.
pub(crate) trait HealthIssue {
    fn code(&self) -> Option<&str>;
    fn message(&self) -> Option<&str>;
    fn resource_ids(&self) -> &[String];
}

impl HealthIssue for ClusterIssue {
    fn code(&self) -> Option<&str> {
        self.code().map(|c| c.as_str())
    }
    fn message(&self) -> Option<&str> {
        self.message()
    }
    fn resource_ids(&self) -> &[String] {
        self.resource_ids()
    }
}

/// A node group's issue.
impl HealthIssue for Issue {
    fn code(&self) -> Option<&str> {
        self.code().map(|c| c.as_str())
    }
    fn message(&self) -> Option<&str> {
        self.message()
    }
    fn resource_ids(&self) -> &[String] {
        self.resource_ids()
    }
}

impl HealthIssue for AddonIssue {
    fn code(&self) -> Option<&str> {
        self.code().map(|c| c.as_str())
    }
    fn message(&self) -> Option<&str> {
        self.message()
    }
    fn resource_ids(&self) -> &[String] {
        self.resource_ids()
    }
}

pub(crate) fn describe_issues<I: HealthIssue>(issues: &[I]) -> String {
    if issues.is_empty() {
        return "no health issues reported".into();
    }
    issues
        .iter()
        .map(|i| {
            let ids = match i.resource_ids() {
                [] => String::new(),
                ids => format!(" ({})", ids.join(", ")),
            };
            format!(
                "{}: {}{ids}",
                i.code().unwrap_or("Issue"),
                i.message().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eks::types::NodegroupIssueCode;

    #[test]
    fn issues_read_as_aws_words_them() {
        let issue = Issue::builder()
            .code(NodegroupIssueCode::NodeCreationFailure)
            .message("Instances failed to join the kubernetes cluster")
            .resource_ids("i-1")
            .resource_ids("i-2")
            .build();
        assert_eq!(
            describe_issues(&[issue]),
            "NodeCreationFailure: Instances failed to join the kubernetes cluster (i-1, i-2)"
        );
        assert_eq!(
            describe_issues::<AddonIssue>(&[]),
            "no health issues reported"
        );
    }
}

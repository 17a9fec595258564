//! Rules for the `iam` section, and the IAM ARN reading that the access
//! rules share.

use super::names::length;
use super::FieldIssue;
use crate::spec::model::{ClusterSpec, RoleChoice};

const MAX_ROLE_NAME: usize = 64;
const ARN_EXAMPLE: &str = "arn:aws:iam::123456789012:role/NAME";

pub(super) fn check(spec: &ClusterSpec, issues: &mut Vec<FieldIssue>) {
    role(&spec.iam.cluster_role, "iam.clusterRole", issues);
    role(&spec.iam.node_role, "iam.nodeRole", issues);
    if let (RoleChoice::Create { name: cluster, .. }, RoleChoice::Create { name: node, .. }) =
        (&spec.iam.cluster_role, &spec.iam.node_role)
    {
        // IAM role names are unique per account, case-insensitively.
        if !cluster.is_empty() && cluster.eq_ignore_ascii_case(node) {
            issues.push(FieldIssue::error(
                "iam.nodeRole.name",
                format!("The cluster role is already named {cluster}; give the node role a name of its own"),
            ));
        }
    }
}

fn role(choice: &RoleChoice, path: &str, issues: &mut Vec<FieldIssue>) {
    match choice {
        RoleChoice::Create { name, .. } => {
            if let Some(problem) = role_name_problem(name) {
                issues.push(FieldIssue::error(format!("{path}.name"), problem));
            }
        }
        RoleChoice::Existing { arn } => {
            if !matches!(parse_iam_arn(arn), Some(IamPrincipal::Role)) {
                let problem = if arn.is_empty() {
                    "Enter the ARN of the role to use".to_string()
                } else {
                    format!("{arn} is not an IAM role ARN (like {ARN_EXAMPLE})")
                };
                issues.push(FieldIssue::error(format!("{path}.arn"), problem));
            }
        }
    }
}

/// IAM's rule for role (and user) names: 1–64 of `[\w+=,.@-]`.
fn role_name_problem(name: &str) -> Option<String> {
    let n = length(name);
    if n == 0 || n > MAX_ROLE_NAME {
        return Some(format!(
            "Role name must be 1–{MAX_ROLE_NAME} characters (it has {n})"
        ));
    }
    name.chars().find(|c| !is_iam_name_char(*c)).map(|bad| {
        format!("Role name may only contain letters, digits and + = , . @ _ - (not \"{bad}\")")
    })
}

fn is_iam_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)
}

/// What an IAM ARN names, as far as cluster access cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum IamPrincipal {
    Role,
    User,
    /// The account root, `arn:aws:iam::<account>:root`.
    Root,
}

/// Reads `arn:<partition>:iam::<12 digits>:(role|user)/<path/>name` or
/// `...:root`. Partitions: aws, aws-cn, aws-us-gov.
pub(super) fn parse_iam_arn(arn: &str) -> Option<IamPrincipal> {
    let rest = arn_after_account(arn, "iam")?.1;
    if rest == "root" {
        return Some(IamPrincipal::Root);
    }
    let (kind, path_and_name) = rest.split_once('/')?;
    let principal = match kind {
        "role" => IamPrincipal::Role,
        "user" => IamPrincipal::User,
        _ => return None,
    };
    let segments: Vec<&str> = path_and_name.split('/').collect();
    let (name, path) = segments.split_last()?;
    let path_ok = path
        .iter()
        .all(|s| !s.is_empty() && s.chars().all(is_iam_name_char));
    (path_ok && role_name_problem(name).is_none()).then_some(principal)
}

/// Splits `arn:<partition>:<service>::<account>:<resource>` into
/// (account, resource) when the partition and account are well formed.
pub(super) fn arn_after_account<'a>(arn: &'a str, service: &str) -> Option<(&'a str, &'a str)> {
    let arn = crate::aws::arn::Arn::parse(arn)?;
    (arn.known_partition()
        && arn.service == service
        && arn.region.is_empty()
        && arn.account_well_formed())
    .then_some((arn.account, arn.resource))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn role_arns_are_read() {
        assert_eq!(
            parse_iam_arn("arn:aws:iam::123456789012:role/AmazonEKSClusterRole"),
            Some(IamPrincipal::Role)
        );
        assert_eq!(
            parse_iam_arn("arn:aws-cn:iam::123456789012:role/service-role/eks/Admin"),
            Some(IamPrincipal::Role)
        );
        assert_eq!(
            parse_iam_arn("arn:aws-us-gov:iam::123456789012:user/alice"),
            Some(IamPrincipal::User)
        );
        assert_eq!(
            parse_iam_arn("arn:aws:iam::123456789012:root"),
            Some(IamPrincipal::Root)
        );
        for bad in [
            "",
            "AmazonEKSClusterRole",
            "arn:aws:iam::12345678901:role/x",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::123456789012:role//x",
            "arn:aws:iam::123456789012:group/devs",
            "arn:aws:iam:us-east-1:123456789012:role/x",
            "arn:aws:sts::123456789012:assumed-role/x/y",
            "arn:azure:iam::123456789012:role/x",
            "arn:aws:iam::123456789012:role/has space",
        ] {
            assert_eq!(parse_iam_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn new_role_names_follow_the_iam_rule() {
        let mut spec = ClusterSpec::default();
        spec.iam.cluster_role = RoleChoice::Create {
            name: "eks role".into(),
            vpc_resource_controller: true,
        };
        assert_eq!(
            message_at(&spec, "iam.clusterRole.name"),
            "Role name may only contain letters, digits and + = , . @ _ - (not \" \")"
        );
        spec.iam.cluster_role = RoleChoice::Create {
            name: "r".repeat(65),
            vpc_resource_controller: true,
        };
        assert_eq!(
            message_at(&spec, "iam.clusterRole.name"),
            "Role name must be 1–64 characters (it has 65)"
        );
        spec.iam.cluster_role = RoleChoice::Create {
            name: "Eks+Role=a,b.c@d_e-f".into(),
            vpc_resource_controller: true,
        };
        assert!(issues_at(&spec, "iam.clusterRole.name").is_empty());
    }

    #[test]
    fn existing_roles_need_a_role_arn() {
        let mut spec = ClusterSpec::default();
        spec.iam.node_role = RoleChoice::Existing {
            arn: "arn:aws:iam::123456789012:user/alice".into(),
        };
        assert_eq!(
            message_at(&spec, "iam.nodeRole.arn"),
            "arn:aws:iam::123456789012:user/alice is not an IAM role ARN (like arn:aws:iam::123456789012:role/NAME)"
        );
        spec.iam.node_role = RoleChoice::Existing { arn: String::new() };
        assert_eq!(
            message_at(&spec, "iam.nodeRole.arn"),
            "Enter the ARN of the role to use"
        );
        spec.iam.node_role = RoleChoice::Existing {
            arn: "arn:aws:iam::123456789012:role/AmazonEKSNodeRole".into(),
        };
        assert!(issues_at(&spec, "iam.nodeRole.arn").is_empty());
    }

    #[test]
    fn the_two_new_roles_need_different_names() {
        let mut spec = ClusterSpec::default();
        spec.iam.node_role = RoleChoice::Create {
            name: "amazoneksclusterrole-my-eks".into(),
            vpc_resource_controller: false,
        };
        assert_eq!(
            message_at(&spec, "iam.nodeRole.name"),
            "The cluster role is already named AmazonEKSClusterRole-my-eks; give the node role a name of its own"
        );
    }
}

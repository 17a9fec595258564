//! Rules for `access`: who gets into the cluster, with which policy, where.

use super::iam_rules::{arn_after_account, parse_iam_arn, IamPrincipal};
use super::{FieldIssue, ValidationContext};
use crate::spec::lookup::CallerPrincipal;
use crate::spec::model::{AccessScope, AuthenticationMode, ClusterSpec};

/// The EKS access policies meant for people (the others are for AWS
/// services and not for access entries made by hand).
const ACCESS_POLICIES: &[&str] = &[
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy",
];

/// Policies that let a principal administer the cluster (and so grant
/// others access through the Kubernetes API or fix aws-auth).
const ADMIN_POLICIES: &[&str] = &["AmazonEKSClusterAdminPolicy", "AmazonEKSAdminPolicy"];

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let access = &spec.access;
    creator_and_admins(spec, issues);
    if spec.cluster.authentication_mode == AuthenticationMode::ConfigMap
        && !access.entries.is_empty()
    {
        issues.push(FieldIssue::error(
            "access.entries",
            "Access entries need authentication mode API or API_AND_CONFIG_MAP; CONFIG_MAP reads only the aws-auth ConfigMap",
        ));
    }
    for (i, entry) in access.entries.iter().enumerate() {
        let path = format!("access.entries[{i}]");
        let principal_field = format!("{path}.principalArn");
        let arn = entry.principal_arn.as_str();
        if arn.is_empty() {
            // Empty = the identity that creates the cluster.
            if let Some(caller) = ctx.caller_arn.as_deref().filter(|a| a.ends_with(":root")) {
                issues.push(FieldIssue::error(
                    &principal_field,
                    format!("You are signed in as the account root ({caller}); root must not be used for everyday cluster access. Sign in with an IAM role or user, or name one here"),
                ));
            }
            if access.grant_creator_admin {
                issues.push(FieldIssue::error(
                    &principal_field,
                    "EKS already gives the creator an access entry (grantCreatorAdmin is on); an empty principal is the creator too, so it would get two. Remove this entry or turn grantCreatorAdmin off",
                ));
            }
            if let Some(CallerPrincipal::Unreadable { role, reason }) = &ctx.caller_principal {
                issues.push(FieldIssue::error(
                    &principal_field,
                    format!("You are signed in through role {role}, but IAM would not give its ARN ({reason}); EKS needs the role's full ARN, path included (IAM Identity Center roles live under /aws-reserved/sso.amazonaws.com/...). Enter it here"),
                ));
            }
        } else if let Some(problem) = principal_problem(arn) {
            issues.push(FieldIssue::error(&principal_field, problem));
        }
        if access.entries[..i]
            .iter()
            .any(|e| e.principal_arn == entry.principal_arn)
        {
            let who = if arn.is_empty() { "the creator" } else { arn };
            issues.push(FieldIssue::error(
                &principal_field,
                format!("Another access entry is already for {who}"),
            ));
        }
        if let Some(problem) = policy_problem(&entry.policy) {
            issues.push(FieldIssue::error(format!("{path}.policy"), problem));
        }
        if let AccessScope::Namespace { namespaces } = &entry.scope {
            let field = format!("{path}.scope.namespaces");
            if namespaces.is_empty() {
                issues.push(FieldIssue::error(
                    field.clone(),
                    "A namespace scope needs at least one namespace",
                ));
            }
            for (n, namespace) in namespaces.iter().enumerate() {
                if !is_dns_label(namespace) {
                    issues.push(FieldIssue::error(
                        format!("{field}[{n}]"),
                        format!("\"{namespace}\" is not a valid namespace name: lowercase letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit"),
                    ));
                }
            }
        }
    }
}

/// EKS's rules on who can administer the new cluster: CONFIG_MAP requires
/// EKS to map the creator (bootstrapClusterCreatorAdminPermissions), and
/// without that and without an admin access entry no one could administer
/// the cluster at all.
fn creator_and_admins(spec: &ClusterSpec, issues: &mut Vec<FieldIssue>) {
    let access = &spec.access;
    if access.grant_creator_admin {
        return;
    }
    if spec.cluster.authentication_mode == AuthenticationMode::ConfigMap {
        issues.push(FieldIssue::error(
            "access.grantCreatorAdmin",
            "With authentication mode CONFIG_MAP, EKS requires grantCreatorAdmin (bootstrapClusterCreatorAdminPermissions): the creator is the only way into a new aws-auth cluster",
        ));
        return;
    }
    let admin = access.entries.iter().any(|e| {
        let name = e.policy.rsplit('/').next().unwrap_or(&e.policy);
        ADMIN_POLICIES.contains(&name) && e.scope == AccessScope::Cluster
    });
    if !admin {
        issues.push(FieldIssue::error(
            "access.entries",
            "No one could administer this cluster: turn grantCreatorAdmin on, or add an access entry with AmazonEKSClusterAdminPolicy (or AmazonEKSAdminPolicy) at cluster scope",
        ));
    }
}

fn principal_problem(arn: &str) -> Option<String> {
    match parse_iam_arn(arn) {
        Some(IamPrincipal::Role | IamPrincipal::User) => None,
        // The seed's post did this and then told readers not to.
        Some(IamPrincipal::Root) => Some(format!(
            "{arn} is the account root, which must not be used for everyday cluster access; grant an IAM role or user instead"
        )),
        None => Some(match assumed_role(arn) {
            Some((account, role)) => format!(
                "{arn} is a role session; use the role itself: arn:aws:iam::{account}:role/{role}"
            ),
            None => format!(
                "{arn} is not an IAM user or role ARN (like arn:aws:iam::123456789012:role/NAME)"
            ),
        }),
    }
}

/// `arn:aws:sts::<account>:assumed-role/<role>/<session>`, which is what
/// `aws sts get-caller-identity` shows and people paste; access entries
/// need the role's IAM ARN instead.
fn assumed_role(arn: &str) -> Option<(&str, &str)> {
    let (account, resource) = arn_after_account(arn, "sts")?;
    let (role, _session) = resource.strip_prefix("assumed-role/")?.split_once('/')?;
    Some((account, role))
}

fn policy_problem(policy: &str) -> Option<String> {
    if policy.is_empty() {
        return Some("Choose an access policy".into());
    }
    let name = policy
        .strip_prefix("arn:aws:eks::aws:cluster-access-policy/")
        .or_else(|| policy.strip_prefix("arn:aws-cn:eks::aws:cluster-access-policy/"))
        .or_else(|| policy.strip_prefix("arn:aws-us-gov:eks::aws:cluster-access-policy/"))
        .unwrap_or(policy);
    if ACCESS_POLICIES.contains(&name) {
        return None;
    }
    let (last, rest) = ACCESS_POLICIES.split_last().unwrap_or((&"", &[]));
    Some(format!(
        "{policy} is not an EKS access policy; choose {} or {last}",
        rest.join(", ")
    ))
}

/// Kubernetes namespace names are DNS-1123 labels.
fn is_dns_label(name: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| alnum(c) || c == '-')
        && name.starts_with(alnum)
        && name.ends_with(alnum)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::spec::model::AccessEntrySpec;

    fn with_entries(entries: Vec<AccessEntrySpec>) -> ClusterSpec {
        let mut spec = ClusterSpec::default();
        spec.access.entries = entries;
        spec
    }

    fn entry(arn: &str, policy: &str) -> AccessEntrySpec {
        AccessEntrySpec {
            principal_arn: arn.into(),
            policy: policy.into(),
            scope: AccessScope::Cluster,
        }
    }

    const ADMIN: &str = "AmazonEKSClusterAdminPolicy";

    #[test]
    fn principals_are_iam_users_or_roles() {
        let spec = with_entries(vec![
            entry("arn:aws:iam::123456789012:role/platform/Admin", ADMIN),
            entry("arn:aws:iam::123456789012:user/alice", ADMIN),
            entry("alice", ADMIN),
        ]);
        assert!(issues_at(&spec, "access.entries[0].principalArn").is_empty());
        assert!(issues_at(&spec, "access.entries[1].principalArn").is_empty());
        assert_eq!(
            message_at(&spec, "access.entries[2].principalArn"),
            "alice is not an IAM user or role ARN (like arn:aws:iam::123456789012:role/NAME)"
        );
    }

    #[test]
    fn an_empty_principal_is_refused_when_the_caller_is_root() {
        let spec = with_entries(vec![entry("", ADMIN)]);
        let ctx = ValidationContext {
            caller_arn: Some("arn:aws:iam::123456789012:root".into()),
            ..Default::default()
        };
        let mut issues = Vec::new();
        check(&spec, &ctx, &mut issues);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].field, "access.entries[0].principalArn");
        assert!(issues[0]
            .message
            .starts_with("You are signed in as the account root"));
        let mut fine = Vec::new();
        let user = ValidationContext {
            caller_arn: Some("arn:aws:iam::123456789012:user/dev".into()),
            ..Default::default()
        };
        check(&spec, &user, &mut fine);
        assert!(fine.is_empty(), "{fine:?}");
    }

    #[test]
    fn the_account_root_is_refused() {
        let spec = with_entries(vec![entry("arn:aws:iam::123456789012:root", ADMIN)]);
        assert_eq!(
            message_at(&spec, "access.entries[0].principalArn"),
            "arn:aws:iam::123456789012:root is the account root, which must not be used for everyday cluster access; grant an IAM role or user instead"
        );
    }

    #[test]
    fn a_role_session_points_to_its_role() {
        let spec = with_entries(vec![entry(
            "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com",
            ADMIN,
        )]);
        assert_eq!(
            message_at(&spec, "access.entries[0].principalArn"),
            "arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com is a role session; use the role itself: arn:aws:iam::123456789012:role/Admin"
        );
    }

    #[test]
    fn policies_are_eks_access_policies() {
        let spec = with_entries(vec![
            entry(
                "",
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
            ),
            entry("arn:aws:iam::123456789012:user/bob", "AdministratorAccess"),
            entry("arn:aws:iam::123456789012:user/carol", ""),
        ]);
        assert!(issues_at(&spec, "access.entries[0].policy").is_empty());
        assert_eq!(
            message_at(&spec, "access.entries[1].policy"),
            "AdministratorAccess is not an EKS access policy; choose AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy"
        );
        assert_eq!(
            message_at(&spec, "access.entries[2].policy"),
            "Choose an access policy"
        );
    }

    #[test]
    fn namespace_scopes_need_valid_namespaces() {
        let mut spec = with_entries(vec![AccessEntrySpec {
            principal_arn: String::new(),
            policy: "AmazonEKSEditPolicy".into(),
            scope: AccessScope::Namespace { namespaces: vec![] },
        }]);
        assert_eq!(
            message_at(&spec, "access.entries[0].scope.namespaces"),
            "A namespace scope needs at least one namespace"
        );
        spec.access.entries[0].scope = AccessScope::Namespace {
            namespaces: vec!["team-a".into(), "Team_B".into()],
        };
        assert!(issues_at(&spec, "access.entries[0].scope.namespaces[0]").is_empty());
        assert_eq!(
            message_at(&spec, "access.entries[0].scope.namespaces[1]"),
            "\"Team_B\" is not a valid namespace name: lowercase letters, digits and hyphens, at most 63 characters, starting and ending with a letter or digit"
        );
        for bad in ["-a", "a-", "", &"a".repeat(64)] {
            assert!(!is_dns_label(bad), "{bad}");
        }
    }

    #[test]
    fn each_principal_gets_one_entry() {
        let spec = with_entries(vec![
            entry("arn:aws:iam::123456789012:user/alice", ADMIN),
            entry(
                "arn:aws:iam::123456789012:user/alice",
                "AmazonEKSViewPolicy",
            ),
            entry("", ADMIN),
            entry("", ADMIN),
        ]);
        assert_eq!(
            message_at(&spec, "access.entries[1].principalArn"),
            "Another access entry is already for arn:aws:iam::123456789012:user/alice"
        );
        assert_eq!(
            message_at(&spec, "access.entries[3].principalArn"),
            "Another access entry is already for the creator"
        );
    }

    #[test]
    fn the_creator_cannot_be_granted_twice() {
        let mut spec = with_entries(vec![entry("", ADMIN)]);
        spec.access.grant_creator_admin = true;
        assert_eq!(
            message_at(&spec, "access.entries[0].principalArn"),
            "EKS already gives the creator an access entry (grantCreatorAdmin is on); an empty principal is the creator too, so it would get two. Remove this entry or turn grantCreatorAdmin off"
        );
    }

    #[test]
    fn access_entries_need_the_api_authentication_mode() {
        let mut spec = ClusterSpec::default();
        spec.cluster.authentication_mode = AuthenticationMode::ConfigMap;
        assert_eq!(
            message_at(&spec, "access.entries"),
            "Access entries need authentication mode API or API_AND_CONFIG_MAP; CONFIG_MAP reads only the aws-auth ConfigMap"
        );
        spec.cluster.authentication_mode = AuthenticationMode::Api;
        assert!(issues_at(&spec, "access.entries").is_empty());
    }
}

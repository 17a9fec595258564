//! The IAM half of the Terraform export: the cluster and node roles the
//! spec creates (trust policy, role, managed-policy attachments) and the
//! access entries with their policy associations.

use super::attributes::{access_policy_arn, managed_policy_arn, service_principal, tags, Labels};
use crate::spec::export::hcl_writer::{Block, Body, Expr};
use crate::spec::model::{AccessScope, ClusterSpec, RoleChoice};

const NODE_ROLE_POLICIES: [&str; 3] = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
];

#[derive(Clone, Copy)]
pub(super) enum Trust {
    Cluster,
    Node,
}

/// How the cluster or node groups refer to a role, and what to wait for.
pub(super) struct RoleRef {
    pub arn: Expr,
    /// The policy attachments, which must exist before the role is used.
    pub attachments: Vec<String>,
}

/// Blocks for a role the spec creates (trust policy, role, attachments),
/// or nothing for an existing one, which is used by its ARN.
pub(super) fn role(
    spec: &ClusterSpec,
    choice: &RoleChoice,
    trust: Trust,
    blocks: &mut Vec<Block>,
) -> RoleRef {
    let (name, vpc_resource_controller) = match choice {
        RoleChoice::Existing { arn } => {
            return RoleRef {
                arn: Expr::str(arn),
                attachments: Vec::new(),
            }
        }
        RoleChoice::Create {
            name,
            vpc_resource_controller,
        } => (name, *vpc_resource_controller),
    };
    // The seed's labels, so that the export reads like the post.
    let (label, service, policies) = match trust {
        Trust::Cluster => {
            let mut policies = vec!["AmazonEKSClusterPolicy"];
            if vpc_resource_controller {
                policies.push("AmazonEKSVPCResourceController");
            }
            ("eks", "eks", policies)
        }
        Trust::Node => ("node_group", "ec2", NODE_ROLE_POLICIES.to_vec()),
    };
    let document = format!("{label}_role");

    let mut principals = Body::default();
    principals
        .attr("type", Expr::str("Service"))
        .attr("identifiers", Expr::List(vec![service_principal(service)]));
    let mut statement = Body::default();
    statement
        .attr("effect", Expr::str("Allow"))
        .attr("actions", Expr::strings(&["sts:AssumeRole"]))
        .block(Block::new("principals", &[], principals));
    let mut body = Body::default();
    body.block(Block::new("statement", &[], statement));
    blocks.push(Block::new(
        "data",
        &["aws_iam_policy_document", &document],
        body,
    ));

    let mut body = Body::default();
    body.attr("name", Expr::str(name)).attr(
        "assume_role_policy",
        Expr::raw(format!("data.aws_iam_policy_document.{document}.json")),
    );
    if let Some(tags) = tags(spec, Vec::new()) {
        body.blank().attr("tags", tags);
    }
    blocks.push(Block::new("resource", &["aws_iam_role", label], body));

    let mut attachments = Vec::new();
    for policy in policies {
        let attachment = format!("{label}_{policy}");
        let mut body = Body::default();
        body.attr("role", Expr::raw(format!("aws_iam_role.{label}.name")))
            .attr("policy_arn", managed_policy_arn(policy));
        blocks.push(Block::new(
            "resource",
            &["aws_iam_role_policy_attachment", &attachment],
            body,
        ));
        attachments.push(format!("aws_iam_role_policy_attachment.{attachment}"));
    }
    RoleRef {
        arn: Expr::raw(format!("aws_iam_role.{label}.arn")),
        attachments,
    }
}

/// One access entry per principal (EKS allows no more), and one policy
/// association per entry of the spec.
pub(super) fn access_entries(spec: &ClusterSpec, blocks: &mut Vec<Block>) {
    let entries = &spec.access.entries;
    if entries.iter().any(|e| e.principal_arn.is_empty()) {
        blocks.push(
            Block::new("data", &["aws_caller_identity", "current"], Body::default()).with_comment(
                &[
                    "The identity running Terraform. For an assumed role (SSO, CI) its ARN is the",
                    "STS session's, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, which EKS",
                    "refuses as an access-entry principal: the session context below gives the",
                    "IAM role's ARN instead, path included (and a user's own ARN for an IAM user).",
                ],
            ),
        );
        let mut body = Body::default();
        body.attr("arn", Expr::raw("data.aws_caller_identity.current.arn"));
        blocks.push(Block::new(
            "data",
            &["aws_iam_session_context", "current"],
            body,
        ));
    }

    let mut entry_labels = Labels::default();
    let mut association_labels = Labels::default();
    let mut principals: Vec<(&str, String)> = Vec::new();
    for entry in entries {
        let principal = entry.principal_arn.as_str();
        let entry_label = match principals.iter().find(|(p, _)| *p == principal) {
            Some((_, label)) => label.clone(),
            None => {
                let label = entry_labels.unique(&principal_name(principal));
                let arn = if principal.is_empty() {
                    Expr::raw("data.aws_iam_session_context.current.issuer_arn")
                } else {
                    Expr::str(principal)
                };
                let mut body = Body::default();
                body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
                    .attr("principal_arn", arn);
                blocks.push(Block::new(
                    "resource",
                    &["aws_eks_access_entry", &label],
                    body,
                ));
                principals.push((principal, label.clone()));
                label
            }
        };

        let policy_name = entry.policy.rsplit('/').next().unwrap_or_default();
        let mut scope = Body::default();
        match &entry.scope {
            AccessScope::Cluster => scope.attr("type", Expr::str("cluster")),
            AccessScope::Namespace { namespaces } => scope
                .attr("type", Expr::str("namespace"))
                .attr("namespaces", Expr::strings(namespaces)),
        };
        let mut body = Body::default();
        body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
            .attr("policy_arn", access_policy_arn(&entry.policy))
            // Through the entry, so that Terraform creates the entry first.
            .attr(
                "principal_arn",
                Expr::raw(format!("aws_eks_access_entry.{entry_label}.principal_arn")),
            )
            .block(Block::new("access_scope", &[], scope));
        let label = association_labels.unique(&format!("{entry_label}_{policy_name}"));
        blocks.push(Block::new(
            "resource",
            &["aws_eks_access_policy_association", &label],
            body,
        ));
    }
}

/// A readable label for a principal: `caller` for the identity running
/// Terraform, else the ARN's last part (`role/platform-admins` gives
/// `platform-admins`).
fn principal_name(principal_arn: &str) -> String {
    if principal_arn.is_empty() {
        return "caller".to_string();
    }
    principal_arn
        .rsplit(['/', ':'])
        .find(|part| !part.is_empty())
        .unwrap_or("principal")
        .to_string()
}

//! The cluster and node roles and their managed policies. Roles are found
//! by name; one that exists without this spec's owner tag is a conflict,
//! never adopted. A picked existing role is only checked, never changed.

use super::engine::{code_of, StepCall};
use super::error::ProvisionError;
use super::scheduler::StepDone;
use crate::spec::model::RoleChoice;
use crate::spec::plan::{RoleUse, OWNER_TAG};
use aws_sdk_iam::types::Tag;

fn trust_policy(role: RoleUse) -> String {
    let service = match role {
        RoleUse::Cluster => "eks.amazonaws.com",
        RoleUse::Node => "ec2.amazonaws.com",
    };
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// The role as IAM knows it: its ARN and owner tag, or `None` if missing.
async fn get_role(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Option<(String, Option<String>)>, ProvisionError> {
    let op = "iam:GetRole";
    match call.session().iam().get_role().role_name(name).send().await {
        Ok(out) => {
            let role = out
                .role()
                .ok_or_else(|| call.internal("GetRole answered without a role"))?;
            let owner = role
                .tags()
                .iter()
                .find(|t| t.key() == OWNER_TAG)
                .map(|t| t.value().to_string());
            Ok(Some((role.arn().to_string(), owner)))
        }
        Err(e) => {
            let err = call.classify(op, e);
            if code_of(&err) == Some("NoSuchEntity") {
                Ok(None)
            } else {
                Err(call.aws(op, err))
            }
        }
    }
}

fn reuse_if_ours(
    call: &StepCall<'_>,
    name: &str,
    arn: String,
    owner: Option<String>,
) -> Result<StepDone, ProvisionError> {
    if call.env.is_ours(owner.as_deref()) {
        return Ok(StepDone::new(Some(arn), "reused (created by this spec)"));
    }
    Err(call.conflict(format!(
        "{}; pick it as an existing role in the spec, or choose another role name",
        call.env.not_ours(&format!("Role {name}"), owner.as_deref())
    )))
}

pub(crate) async fn role(call: &StepCall<'_>, role: RoleUse) -> Result<StepDone, ProvisionError> {
    let choice = match role {
        RoleUse::Cluster => &call.spec().iam.cluster_role,
        RoleUse::Node => &call.spec().iam.node_role,
    };
    let name = match choice {
        RoleChoice::Existing { arn } => {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            return match get_role(call, name).await? {
                Some(_) => Ok(StepDone::new(
                    Some(arn.clone()),
                    "picked existing role; never modified",
                )),
                None => Err(call.failed(
                    "iam:GetRole",
                    format!("The picked role {arn} does not exist."),
                )),
            };
        }
        RoleChoice::Create { name, .. } => name,
    };
    if let Some((arn, owner)) = get_role(call, name).await? {
        return reuse_if_ours(call, name, arn, owner);
    }
    let op = "iam:CreateRole";
    let tags = call
        .env
        .tags()
        .into_iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| call.internal(e.to_string()))?;
    let created = call
        .session()
        .iam()
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust_policy(role))
        .description(format!(
            "EKS Desk: {} role of cluster {}",
            match role {
                RoleUse::Cluster => "cluster",
                RoleUse::Node => "node",
            },
            call.spec().cluster.name
        ))
        .set_tags(Some(tags))
        .send()
        .await;
    match created {
        Ok(out) => {
            let arn = out
                .role()
                .map(|r| r.arn().to_string())
                .ok_or_else(|| call.internal("CreateRole answered without a role"))?;
            Ok(StepDone::new(Some(arn), "created"))
        }
        Err(e) => {
            let err = call.classify(op, e);
            // Made meanwhile (by a retried request whose answer was lost, or
            // by someone else): decide by its tag like any existing role.
            if code_of(&err) == Some("EntityAlreadyExists") {
                if let Some((arn, owner)) = get_role(call, name).await? {
                    return reuse_if_ours(call, name, arn, owner);
                }
            }
            Err(call.aws(op, err))
        }
    }
}

/// Managed policies attached to `role_name`, all pages.
pub(crate) async fn attached_policies(
    call: &StepCall<'_>,
    role_name: &str,
) -> Result<Vec<String>, ProvisionError> {
    let op = "iam:ListAttachedRolePolicies";
    let mut arns = Vec::new();
    let mut marker = None;
    loop {
        let out = call
            .session()
            .iam()
            .list_attached_role_policies()
            .role_name(role_name)
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| call.aws(op, call.classify(op, e)))?;
        arns.extend(
            out.attached_policies()
                .iter()
                .filter_map(|p| p.policy_arn().map(str::to_string)),
        );
        match (out.is_truncated(), out.marker()) {
            (true, Some(next)) => marker = Some(next.to_string()),
            _ => return Ok(arns),
        }
    }
}

pub(crate) async fn attach(
    call: &StepCall<'_>,
    role: RoleUse,
    policy_arn: &str,
) -> Result<StepDone, ProvisionError> {
    let name = call
        .env
        .role_name(role)
        .ok_or_else(|| call.internal("policy attachment for a picked role"))?;
    if attached_policies(call, name)
        .await?
        .iter()
        .any(|p| p == policy_arn)
    {
        return Ok(StepDone::new(
            Some(policy_arn.to_string()),
            "already attached",
        ));
    }
    let op = "iam:AttachRolePolicy";
    call.session()
        .iam()
        .attach_role_policy()
        .role_name(name)
        .policy_arn(policy_arn)
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    Ok(StepDone::new(
        Some(policy_arn.to_string()),
        format!("attached to {name}"),
    ))
}

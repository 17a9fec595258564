//! The cluster and node roles and their managed policies. Roles are found
//! by name; one that exists without this spec's owner tag is a conflict,
//! never adopted. A picked existing role is only checked, never changed.

use super::error::ProvisionError;
use super::iam_lookup::{attached_policies, get_role, FoundRole};
use super::ownership::ours_or_conflict;
use super::scheduler::StepDone;
use super::step_call::{code_of, StepCall};
use crate::aws::arn::{partition_of_region, service_principal};
use crate::spec::model::RoleChoice;
use crate::spec::plan::RoleUse;
use aws_sdk_iam::types::Tag;

fn trust_policy(role: RoleUse, region: &str) -> String {
    let service = service_principal(
        partition_of_region(region),
        match role {
            RoleUse::Cluster => "eks",
            RoleUse::Node => "ec2",
        },
    );
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

fn reuse_if_ours(
    call: &StepCall<'_>,
    name: &str,
    role: FoundRole,
) -> Result<StepDone, ProvisionError> {
    ours_or_conflict(
        call,
        &format!("Role {name}"),
        role.owner.as_deref(),
        "pick it as an existing role in the spec, or choose another role name",
    )?;
    Ok(StepDone::new(
        Some(role.arn),
        "reused (created by this spec)",
    ))
}

pub(crate) async fn role(call: &StepCall<'_>, role: RoleUse) -> Result<StepDone, ProvisionError> {
    let name = match call.env.role_choice(role) {
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
    if let Some(found) = get_role(call, name).await? {
        return reuse_if_ours(call, name, found);
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
        .assume_role_policy_document(trust_policy(role, &call.spec().cluster.region))
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
                if let Some(found) = get_role(call, name).await? {
                    return reuse_if_ours(call, name, found);
                }
            }
            Err(call.aws(op, err))
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
        .map_err(|e| call.sdk(op, e))?;
    Ok(StepDone::new(
        Some(policy_arn.to_string()),
        format!("attached to {name}"),
    ))
}

//! IAM roles as the steps see them: the role (ARN and owner tag) or absent,
//! and the managed policies attached to it.

use super::error::ProvisionError;
use super::ownership::iam_owner;
use super::step_call::{AwsId, StepCall};

/// A role that exists: its ARN and owner tag.
pub(crate) struct FoundRole {
    pub arn: String,
    pub owner: Option<String>,
}

pub(crate) async fn get_role(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Option<FoundRole>, ProvisionError> {
    let out = call.session().iam().get_role().role_name(name).send().await;
    let Some(out) = call.found("iam:GetRole", out)? else {
        return Ok(None);
    };
    let role = out
        .role()
        .ok_or_else(|| call.internal("GetRole answered without a role"))?;
    Ok(Some(FoundRole {
        arn: role.arn().to_string(),
        owner: iam_owner(role.tags()).map(str::to_string),
    }))
}

/// Managed policies attached to `role_name`, all pages.
pub(crate) async fn attached_policies(
    call: &StepCall<'_>,
    role_name: &str,
) -> Result<Vec<AwsId>, ProvisionError> {
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
            .map_err(|e| call.sdk(op, e))?;
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

//! Destroy of the spec's IAM roles: their policy attachments, then the
//! role itself (after detaching what an older spec or a person attached,
//! deleting inline policies, and taking it out of instance profiles).
//! A picked role, or one without this spec's owner tag, is never touched.

use super::error::ProvisionError;
use super::iam_lookup::{attached_policies, get_role, FoundRole};
use super::removal::{claim, remove_owned, Removal, Removed, PICKED};
use super::scheduler::StepDone;
use super::step_call::StepCall;
use super::waits::delete_retrying;
use crate::spec::plan::RoleUse;

fn role_owner(role: &FoundRole) -> Option<&str> {
    role.owner.as_deref()
}

async fn detach(call: &StepCall<'_>, name: &str, policy_arn: &str) -> Result<bool, ProvisionError> {
    let op = "iam:DetachRolePolicy";
    let iam = &call.session().iam();
    delete_retrying(
        call,
        op,
        &[],
        call.config().delete_timeout,
        move || async move {
            iam.detach_role_policy()
                .role_name(name)
                .policy_arn(policy_arn)
                .send()
                .await
                .map_err(|e| call.classify(op, e))
        },
    )
    .await
}

pub(crate) async fn role_policy(
    call: &StepCall<'_>,
    role: RoleUse,
    policy_arn: &str,
) -> Result<StepDone, ProvisionError> {
    let Some(name) = call.env.role_name(role) else {
        return Ok(StepDone::new(None, PICKED));
    };
    let removal = Removal {
        what: format!("Role {name}"),
        describe_operation: "iam:GetRole",
        delete_operation: "iam:DetachRolePolicy",
        busy_codes: &[],
        busy_timeout: call.config().delete_timeout,
        owner: role_owner,
        resource_id: |_| None,
        status: None,
    };
    let iam = &call.session().iam();
    let removed = remove_owned(
        call,
        &removal,
        || get_role(call, name),
        move |_| async move {
            iam.detach_role_policy()
                .role_name(name)
                .policy_arn(policy_arn)
                .send()
                .await
                .map_err(|e| call.classify("iam:DetachRolePolicy", e))
        },
    )
    .await?;
    Ok(match removed {
        Removed::Deleted(_) => StepDone::new(
            Some(policy_arn.to_string()),
            format!("detached from {name}"),
        ),
        other => other.into_done(),
    })
}

/// Everything IAM wants gone before it deletes a role: attached and
/// inline policies, and its place in instance profiles (a node group's
/// profile, or one someone added) — otherwise DeleteRole answers
/// DeleteConflict until the destroy gives up.
async fn empty_role(call: &StepCall<'_>, name: &str) -> Result<(), ProvisionError> {
    let iam = &call.session().iam();
    let op = "iam:ListInstanceProfilesForRole";
    let profiles = iam
        .list_instance_profiles_for_role()
        .role_name(name)
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    for profile in profiles.instance_profiles() {
        let profile = profile.instance_profile_name();
        call.handle.progress(format!(
            "taking role {name} out of instance profile {profile}"
        ));
        let op = "iam:RemoveRoleFromInstanceProfile";
        delete_retrying(
            call,
            op,
            &[],
            call.config().delete_timeout,
            move || async move {
                iam.remove_role_from_instance_profile()
                    .instance_profile_name(profile)
                    .role_name(name)
                    .send()
                    .await
                    .map_err(|e| call.classify(op, e))
            },
        )
        .await?;
    }
    // Policies attached by an older version of the spec, or by hand.
    for policy in attached_policies(call, name).await? {
        detach(call, name, &policy).await?;
    }
    let op = "iam:ListRolePolicies";
    let inline = iam
        .list_role_policies()
        .role_name(name)
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    for policy in inline.policy_names() {
        let op = "iam:DeleteRolePolicy";
        delete_retrying(
            call,
            op,
            &[],
            call.config().delete_timeout,
            move || async move {
                iam.delete_role_policy()
                    .role_name(name)
                    .policy_name(policy)
                    .send()
                    .await
                    .map_err(|e| call.classify(op, e))
            },
        )
        .await?;
    }
    Ok(())
}

pub(crate) async fn role(call: &StepCall<'_>, role: RoleUse) -> Result<StepDone, ProvisionError> {
    let Some(name) = call.env.role_name(role) else {
        return Ok(StepDone::new(None, PICKED));
    };
    let what = format!("Role {name}");
    if let Err(nothing_to_do) = claim(call, &what, get_role(call, name).await?, role_owner) {
        return Ok(nothing_to_do.into_done());
    }
    empty_role(call, name).await?;
    let op = "iam:DeleteRole";
    let iam = &call.session().iam();
    // An instance profile of a node group being deleted holds the role
    // until EKS removes it, which takes a short while; a profile someone
    // else added is theirs to change, so the wait is short too.
    let timeout = call.config().iam_propagation_timeout;
    let gone = delete_retrying(call, op, &["DeleteConflict"], timeout, move || async move {
        iam.delete_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    Ok(if gone {
        StepDone::new(Some(name.to_string()), "deleted")
    } else {
        Removed::NotFound.into_done()
    })
}

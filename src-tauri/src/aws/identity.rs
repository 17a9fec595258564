//! Who the selected environment signs in as (STS GetCallerIdentity).

use super::{AwsError, AwsSession};
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    /// The account root: the UI warns, and later access grants refuse it.
    pub is_root: bool,
}

pub fn is_root_arn(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":root")
}

pub async fn caller_identity(session: &AwsSession) -> Result<CallerIdentity, AwsError> {
    let out = session
        .sts()
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| session.classify("sts:GetCallerIdentity", e))?;
    let arn = out.arn().unwrap_or_default().to_string();
    Ok(CallerIdentity {
        account: out.account().unwrap_or_default().to_string(),
        is_root: is_root_arn(&arn),
        arn,
        user_id: out.user_id().unwrap_or_default().to_string(),
    })
}

/// The IAM principal behind the caller, as access entries want it: an
/// assumed-role session (SSO, `role_arn` profiles) becomes its role's ARN
/// as IAM has it, path included — IAM Identity Center roles live under
/// `/aws-reserved/sso.amazonaws.com/…/`, and EKS refuses the role ARN
/// without its path.
pub async fn caller_principal(session: &AwsSession) -> Result<String, AwsError> {
    let arn = caller_identity(session).await?.arn;
    principal_of(session, &arn).await
}

/// The principal ARN of `arn` (see [`caller_principal`]); anything but an
/// assumed-role session is its own principal.
pub async fn principal_of(session: &AwsSession, arn: &str) -> Result<String, AwsError> {
    let Some(role) = super::arn::Arn::parse(arn).and_then(|a| a.assumed_role_name()) else {
        return Ok(arn.to_string());
    };
    let out = session
        .iam()
        .get_role()
        .role_name(role)
        .send()
        .await
        .map_err(|e| session.classify("iam:GetRole", e))?;
    out.role()
        .map(|r| r.arn().to_string())
        .ok_or_else(|| AwsError::Service {
            operation: "iam:GetRole".into(),
            code: "EmptyResponse".into(),
            message: format!("IAM answered GetRole for {role} without the role"),
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn root_arns_are_recognised() {
        assert!(super::is_root_arn("arn:aws:iam::123456789012:root"));
        assert!(!super::is_root_arn("arn:aws:iam::123456789012:user/root"));
    }
}

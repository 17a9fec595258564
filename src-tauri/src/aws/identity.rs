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

#[cfg(test)]
mod tests {
    #[test]
    fn root_arns_are_recognised() {
        assert!(super::is_root_arn("arn:aws:iam::123456789012:root"));
        assert!(!super::is_root_arn("arn:aws:iam::123456789012:user/root"));
    }
}

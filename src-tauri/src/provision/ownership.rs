//! What belongs to this spec: the owner tag (`eks-desk:spec-id`) read from
//! EC2, IAM and EKS tags, the EC2 filter that finds what carries it, and the
//! two verdicts on something that exists — reuse it or stop (apply), delete
//! it or leave it alone (destroy). The one place these rules are written.

use super::error::ProvisionError;
use super::step_call::{code_of, StepCall};
use crate::aws::AwsError;
use crate::spec::plan::OWNER_TAG;
use std::collections::HashMap;
use std::future::Future;

/// The owner tag among EC2 tags.
pub(crate) fn ec2_owner(tags: &[aws_sdk_ec2::types::Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key() == Some(OWNER_TAG))
        .and_then(|t| t.value())
}

/// The owner tag among IAM tags.
pub(crate) fn iam_owner(tags: &[aws_sdk_iam::types::Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key() == OWNER_TAG)
        .map(|t| t.value())
}

/// The owner tag in an EKS tag map.
pub(crate) fn eks_owner(tags: Option<&HashMap<String, String>>) -> Option<&str> {
    tags.and_then(|t| t.get(OWNER_TAG)).map(String::as_str)
}

/// EC2 filter for what carries `spec_id`'s owner tag.
pub(crate) fn owner_filter(spec_id: &str) -> aws_sdk_ec2::types::Filter {
    aws_sdk_ec2::types::Filter::builder()
        .name(format!("tag:{OWNER_TAG}"))
        .values(spec_id)
        .build()
}

/// "X exists and was not created by EKS Desk" / "… belongs to another spec".
pub(crate) fn not_ours(what: &str, owner: Option<&str>) -> String {
    match owner {
        Some(other) => format!("{what} exists and belongs to another EKS Desk spec ({other})"),
        None => format!("{what} exists and was not created by EKS Desk"),
    }
}

/// Why destroy did not touch something.
pub(crate) fn left_alone(what: &str, owner: Option<&str>) -> String {
    match owner {
        Some(other) => format!("{what} belongs to another spec ({other}); left alone"),
        None => format!("{what} was not created by EKS Desk; left alone"),
    }
}

/// Apply's verdict on something that exists: this spec's → reuse it;
/// anything else → a conflict, with `hint` saying what the user can do.
pub(crate) fn ours_or_conflict(
    call: &StepCall<'_>,
    what: &str,
    owner: Option<&str>,
    hint: &str,
) -> Result<(), ProvisionError> {
    if call.env.is_ours(owner) {
        Ok(())
    } else {
        Err(conflict(call, what, owner, hint))
    }
}

/// The conflict apply stops with at something that is not this spec's.
pub(crate) fn conflict(
    call: &StepCall<'_>,
    what: &str,
    owner: Option<&str>,
    hint: &str,
) -> ProvisionError {
    let message = not_ours(what, owner);
    call.conflict(if hint.is_empty() {
        message
    } else {
        format!("{message}; {hint}")
    })
}

/// Something a look-up found: its owner tag and its id (ARN).
pub(crate) struct Tagged {
    pub owner: Option<String>,
    pub id: String,
}

/// The id of what a create made. EKS answering "in use" means it exists
/// already — made by an earlier attempt whose answer was lost (an endpoint
/// that ignores the client request token says so), or by someone else — so
/// it is looked up with `look` and taken only when it is this spec's.
pub(crate) async fn created_or_ours<O, L, LF>(
    call: &StepCall<'_>,
    operation: &str,
    what: &str,
    hint: &str,
    sent: Result<O, AwsError>,
    made: impl FnOnce(O) -> String,
    look: L,
) -> Result<String, ProvisionError>
where
    L: FnOnce() -> LF,
    LF: Future<Output = Result<Option<Tagged>, ProvisionError>>,
{
    match sent {
        Ok(out) => Ok(made(out)),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            let found = look()
                .await?
                .ok_or_else(|| call.aws(operation, err.clone()))?;
            ours_or_conflict(call, what, found.owner.as_deref(), hint)?;
            Ok(found.id)
        }
        Err(err) => Err(call.aws(operation, err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_name_the_other_owner_when_there_is_one() {
        assert_eq!(
            not_ours("Role r", None),
            "Role r exists and was not created by EKS Desk"
        );
        assert_eq!(
            not_ours("Role r", Some("s2")),
            "Role r exists and belongs to another EKS Desk spec (s2)"
        );
        assert_eq!(
            left_alone("Addon a", Some("s2")),
            "Addon a belongs to another spec (s2); left alone"
        );
    }

    #[test]
    fn owners_are_read_from_each_services_tags() {
        let ec2 = [aws_sdk_ec2::types::Tag::builder()
            .key(OWNER_TAG)
            .value("s1")
            .build()];
        assert_eq!(ec2_owner(&ec2), Some("s1"));
        let iam = [aws_sdk_iam::types::Tag::builder()
            .key(OWNER_TAG)
            .value("s1")
            .build()
            .unwrap()];
        assert_eq!(iam_owner(&iam), Some("s1"));
        let eks: HashMap<String, String> = [(OWNER_TAG.to_string(), "s1".to_string())].into();
        assert_eq!(eks_owner(Some(&eks)), Some("s1"));
        assert_eq!(eks_owner(None), None);
    }
}

//! The one routine behind every destroy step: look the object up, leave it
//! alone unless it carries this spec's owner tag, send the delete (again
//! while AWS says it is in use), and wait until it is gone.

use super::error::ProvisionError;
use super::ownership::left_alone;
use super::scheduler::StepDone;
use super::step_call::StepCall;
use super::waits::{delete_retrying, wait_gone};
use crate::aws::AwsError;
use std::future::Future;
use std::time::Duration;

pub(crate) const NOT_FOUND: &str = "nothing to delete (not found)";
pub(crate) const PICKED: &str = "picked by the user; never touched";

/// What a removal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Removed {
    /// Deleted; the id of what was deleted.
    Deleted(Option<String>),
    NotFound,
    /// Someone else's: why it was left alone.
    LeftAlone(String),
}

impl Removed {
    pub fn into_done(self) -> StepDone {
        match self {
            Removed::Deleted(id) => StepDone::new(id, "deleted"),
            Removed::NotFound => StepDone::new(None, NOT_FOUND),
            Removed::LeftAlone(why) => StepDone::new(None, why),
        }
    }
}

/// How to remove one kind of object `T` (an SDK type).
pub(crate) struct Removal<'a, T> {
    /// "Addon vpc-cni", in messages.
    pub what: String,
    /// `eks:DescribeAddon`, for a failure while waiting.
    pub describe_operation: &'a str,
    /// `eks:DeleteAddon`.
    pub delete_operation: &'a str,
    /// Codes meaning "still in use, try later" (ResourceInUseException…).
    pub busy_codes: &'a [&'a str],
    /// How long the delete is sent again while busy.
    pub busy_timeout: Duration,
    pub owner: fn(&T) -> Option<&str>,
    pub resource_id: fn(&T) -> Option<String>,
    /// The status shown while it goes away; `None`: gone once the delete
    /// is accepted (associations, entries, attachments).
    pub status: Option<fn(&T) -> String>,
}

impl<'a, T> Removal<'a, T> {
    /// A removal that is done once the delete is accepted, with no retry
    /// while busy; see [`Removal::busy_while`] and [`Removal::waited`].
    pub fn new(
        call: &StepCall<'_>,
        what: String,
        describe_operation: &'a str,
        delete_operation: &'a str,
        owner: fn(&T) -> Option<&str>,
        resource_id: fn(&T) -> Option<String>,
    ) -> Self {
        Self {
            what,
            describe_operation,
            delete_operation,
            busy_codes: &[],
            busy_timeout: call.config().delete_timeout,
            owner,
            resource_id,
            status: None,
        }
    }

    /// The delete is sent again while AWS answers one of `codes`.
    pub fn busy_while(self, codes: &'a [&'a str]) -> Self {
        Self {
            busy_codes: codes,
            ..self
        }
    }

    /// After the delete, waits until the object is gone, showing `status`.
    pub fn waited(self, status: fn(&T) -> String) -> Self {
        Self {
            status: Some(status),
            ..self
        }
    }
}

/// The first two questions of every removal: is it there, and is it this
/// spec's? `Ok` with the object when both are yes; else what to report.
pub(crate) fn claim<T>(
    call: &StepCall<'_>,
    what: &str,
    found: Option<T>,
    owner: fn(&T) -> Option<&str>,
) -> Result<T, Removed> {
    let Some(found) = found else {
        return Err(Removed::NotFound);
    };
    let tag = owner(&found);
    if call.env.is_ours(tag) {
        Ok(found)
    } else {
        Err(Removed::LeftAlone(left_alone(what, tag)))
    }
}

/// Removes what `describe` finds when it is this spec's. `delete` sends
/// one delete request for the object found.
pub(crate) async fn remove_owned<T, D, DF, X, XF, R>(
    call: &StepCall<'_>,
    removal: &Removal<'_, T>,
    describe: D,
    mut delete: X,
) -> Result<Removed, ProvisionError>
where
    D: Fn() -> DF,
    DF: Future<Output = Result<Option<T>, ProvisionError>>,
    X: FnMut(&T) -> XF,
    XF: Future<Output = Result<R, AwsError>>,
{
    let found = match claim(call, &removal.what, describe().await?, removal.owner) {
        Ok(found) => found,
        Err(nothing_to_do) => return Ok(nothing_to_do),
    };
    let id = (removal.resource_id)(&found);
    let deleted = delete_retrying(
        call,
        removal.delete_operation,
        removal.busy_codes,
        removal.busy_timeout,
        || delete(&found),
    )
    .await?;
    if let Some(status) = removal.status {
        let describe = &describe;
        wait_gone(
            call,
            &removal.what,
            removal.describe_operation,
            move || async move { Ok(describe().await?.map(|f| status(&f))) },
        )
        .await?;
    }
    Ok(if deleted {
        Removed::Deleted(id)
    } else {
        Removed::NotFound
    })
}

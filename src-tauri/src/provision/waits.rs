//! Waiting on AWS: until something EKS creates turns ACTIVE, until
//! something deleted is gone, and sending a delete again while AWS says the
//! object is still in use. One loop each, so polling, backoff, progress
//! lines and deadlines behave the same for every kind of resource.

use super::config::Backoff;
use super::error::ProvisionError;
use super::step_call::{code_of, is_gone, StepCall};
use crate::aws::AwsError;
use std::future::Future;
use std::time::{Duration, Instant};

/// What one look at a resource being created said.
pub(crate) enum Seen {
    Active,
    /// It will not become ACTIVE (FAILED, DELETING...): the whole message.
    Broken(String),
    /// Still on its way. `status` is shown in the progress line;
    /// `at_deadline` ends the message if the deadline passes now.
    Waiting {
        status: String,
        at_deadline: String,
    },
}

/// Polls `look` with backoff until it sees ACTIVE. `what` names the object
/// in messages ("Cluster my-eks"), `kind` in progress lines ("cluster");
/// `look` answers `None` when the object no longer exists.
pub(crate) async fn wait_active<F, Fut>(
    call: &StepCall<'_>,
    operation: &str,
    what: &str,
    kind: &str,
    timeout: Duration,
    mut look: F,
) -> Result<(), ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<Seen>, ProvisionError>>,
{
    let deadline = Instant::now() + timeout;
    let mut backoff = Backoff::new(call.config());
    let mut last: Option<String> = None;
    loop {
        let seen = look().await?.ok_or_else(|| {
            call.failed(
                operation,
                format!("{what} disappeared while it was being created"),
            )
        })?;
        let (status, at_deadline) = match seen {
            Seen::Active => return Ok(()),
            Seen::Broken(message) => return Err(call.failed(operation, message)),
            Seen::Waiting {
                status,
                at_deadline,
            } => (status, at_deadline),
        };
        if last.as_deref() != Some(status.as_str()) {
            call.handle
                .progress(format!("waiting for {kind} ACTIVE (now {status})"));
            last = Some(status);
        }
        if Instant::now() >= deadline {
            return Err(call.failed(
                operation,
                format!(
                    "{what} was not ACTIVE after {} s{at_deadline}",
                    timeout.as_secs()
                ),
            ));
        }
        call.handle.sleep(backoff.next_pause()).await?;
    }
}

/// The status EKS reported, or "unknown".
pub(crate) fn shown(status: Option<&str>) -> String {
    status.unwrap_or("unknown").to_string()
}

/// The status AWS reports for something going away (`DELETING`).
pub(crate) type Status = String;

/// Polls `status` until it answers `None` (gone), reporting changes.
pub(crate) async fn wait_gone<F, Fut>(
    call: &StepCall<'_>,
    what: &str,
    operation: &str,
    mut status: F,
) -> Result<(), ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<Status>, ProvisionError>>,
{
    let timeout = call.config().delete_timeout;
    let deadline = Instant::now() + timeout;
    let mut backoff = Backoff::new(call.config());
    let mut last = None;
    loop {
        let Some(now) = status().await? else {
            return Ok(());
        };
        if last.as_ref() != Some(&now) {
            call.handle
                .progress(format!("waiting for {what} to be gone (now {now})"));
            last = Some(now.clone());
        }
        if Instant::now() >= deadline {
            return Err(call.failed(
                operation,
                format!(
                    "{what} was still {now} after {} s; destroy again later",
                    timeout.as_secs()
                ),
            ));
        }
        call.handle.sleep(backoff.next_pause()).await?;
    }
}

/// Sends a delete, again while AWS answers one of `busy_codes` (something
/// still uses the resource), for at most `timeout`. `Ok(false)` when it was
/// already gone.
pub(crate) async fn delete_retrying<T, F, Fut>(
    call: &StepCall<'_>,
    operation: &str,
    busy_codes: &[&str],
    timeout: Duration,
    mut send: F,
) -> Result<bool, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let deadline = Instant::now() + timeout;
    let mut backoff = Backoff::new(call.config());
    loop {
        match send().await {
            Ok(_) => return Ok(true),
            Err(err) if is_gone(&err) => return Ok(false),
            Err(err)
                if code_of(&err).is_some_and(|c| busy_codes.contains(&c))
                    && Instant::now() < deadline =>
            {
                call.handle
                    .progress(format!("waiting before deleting again: {err}"));
                call.handle.sleep(backoff.next_pause()).await?;
            }
            Err(err) => return Err(call.aws(operation, err)),
        }
    }
}

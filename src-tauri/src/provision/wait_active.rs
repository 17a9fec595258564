//! Waiting for a resource EKS is creating (cluster, node group, addon) to
//! turn ACTIVE: one loop for all three, so polling, backoff, progress and
//! the deadline behave the same everywhere.

use super::engine::{Backoff, StepCall};
use super::error::ProvisionError;
use std::future::Future;
use std::time::{Duration, Instant};

/// What one look at the resource said.
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
    let mut backoff = Backoff::new(&call.env.config);
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

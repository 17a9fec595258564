//! Runs a graph of steps: each step starts as soon as every step it depends
//! on is done, independent steps run concurrently, every transition is
//! written to the journal before it is reported. After a failure or a
//! cancel no new step starts; the steps in flight finish first, so the
//! journal always ends in a state that resume can continue from.

use super::error::ProvisionError;
use super::journal::{now_rfc3339, Journal, JournalFile, Operation, RunStatus, StepState};
use super::progress::{millis, Cancellation, ProgressEvent, ProgressSink};
use crate::spec::plan::PlanStep;
use futures::future::BoxFuture;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// What a finished step leaves behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDone {
    pub resource_id: Option<String>,
    /// created / reused … / deleted / not ours, left alone …
    pub message: String,
}

impl StepDone {
    pub fn new(resource_id: Option<String>, message: impl Into<String>) -> Self {
        Self {
            resource_id,
            message: message.into(),
        }
    }
}

/// Does the work of one step; the scheduler does the bookkeeping.
pub trait StepRunner: Send + Sync + 'static {
    fn run(
        self: Arc<Self>,
        step: PlanStep,
        handle: StepHandle,
    ) -> BoxFuture<'static, Result<StepDone, ProvisionError>>;
}

/// What every step of a run shares.
#[derive(Clone)]
pub struct RunContext {
    journal: Arc<Mutex<JournalFile>>,
    sink: Option<ProgressSink>,
    cancel: Cancellation,
    started: Instant,
    spec_id: String,
    operation: Operation,
    /// Nanoseconds spent sleeping between polls, summed over steps.
    waited: Arc<AtomicU64>,
}

impl RunContext {
    pub fn new(journal: JournalFile, sink: Option<ProgressSink>, cancel: Cancellation) -> Self {
        let j = journal.journal();
        Self {
            spec_id: j.spec_id.clone(),
            operation: j.operation,
            journal: Arc::new(Mutex::new(journal)),
            sink,
            cancel,
            started: Instant::now(),
            waited: Arc::new(AtomicU64::new(0)),
        }
    }

    pub fn cancel(&self) -> &Cancellation {
        &self.cancel
    }

    /// Changes and writes the journal.
    pub fn update(&self, change: impl FnOnce(&mut Journal)) -> Result<(), ProvisionError> {
        self.journal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .update(change)
    }

    pub fn snapshot(&self) -> Journal {
        self.lock().journal().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JournalFile> {
        self.journal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Journal writes so far and the time they took.
    pub fn journal_stats(&self) -> (usize, Duration) {
        let j = self.lock();
        (j.writes, j.write_time)
    }

    pub fn waited(&self) -> Duration {
        Duration::from_nanos(self.waited.load(Ordering::Relaxed))
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Sends an event; a watcher that went away is not an error.
    pub fn emit(
        &self,
        step_id: &str,
        state: StepState,
        step_elapsed: Duration,
        message: String,
        resource_id: Option<String>,
    ) {
        let Some(sink) = &self.sink else { return };
        let (steps_done, steps_total) = {
            let j = self.lock();
            let steps = &j.journal().steps;
            let done = steps.iter().filter(|s| s.state == StepState::Done).count();
            (done as u32, steps.len() as u32)
        };
        let _ = sink.send(ProgressEvent {
            spec_id: self.spec_id.clone(),
            operation: self.operation,
            step_id: step_id.to_string(),
            state,
            elapsed_ms: millis(step_elapsed),
            run_elapsed_ms: millis(self.started.elapsed()),
            message,
            resource_id,
            steps_done,
            steps_total,
        });
    }
}

/// A running step's view of the run: its dependencies' resource ids, its
/// token, its progress messages, and cancellable sleeps.
#[derive(Clone)]
pub struct StepHandle {
    ctx: RunContext,
    step_id: String,
    started: Instant,
    dependencies: BTreeMap<String, String>,
}

impl StepHandle {
    pub fn step_id(&self) -> &str {
        &self.step_id
    }

    /// The resource id a finished step (a dependency, direct or not) recorded.
    pub fn dependency(&self, step_id: &str) -> Option<&str> {
        self.dependencies.get(step_id).map(String::as_str)
    }

    /// This step's client request token: the one in the journal, or a new
    /// one that is written to the journal before it is returned (so that a
    /// crash right after the create call still resumes with it).
    pub fn token(&self) -> Result<String, ProvisionError> {
        let existing = self
            .ctx
            .lock()
            .journal()
            .step(&self.step_id)
            .and_then(|s| s.client_request_token.clone());
        if let Some(token) = existing {
            return Ok(token);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let id = self.step_id.clone();
        let value = token.clone();
        self.ctx.update(move |j| {
            if let Some(step) = j.step_mut(&id) {
                step.client_request_token = Some(value);
            }
        })?;
        Ok(token)
    }

    /// A new client request token for this step, replacing the journal's:
    /// a create after the step's object was deleted (a failed node group
    /// being replaced) must not look like a repeat of the first create.
    pub fn fresh_token(&self) -> Result<String, ProvisionError> {
        let token = uuid::Uuid::new_v4().to_string();
        let id = self.step_id.clone();
        let value = token.clone();
        self.ctx.update(move |j| {
            if let Some(step) = j.step_mut(&id) {
                step.client_request_token = Some(value);
            }
        })?;
        Ok(token)
    }

    /// Records the AWS id as soon as it is known, before any wait.
    pub fn record_resource(&self, resource_id: &str) -> Result<(), ProvisionError> {
        let id = self.step_id.clone();
        let value = resource_id.to_string();
        self.ctx.update(move |j| {
            if let Some(step) = j.step_mut(&id) {
                step.resource_id = Some(value);
            }
        })
    }

    /// The resource id this step recorded earlier (in this run or before).
    pub fn recorded_resource(&self) -> Option<String> {
        self.ctx
            .lock()
            .journal()
            .step(&self.step_id)
            .and_then(|s| s.resource_id.clone())
    }

    /// A message while running (a status seen while waiting).
    pub fn progress(&self, message: impl Into<String>) {
        self.ctx.emit(
            &self.step_id,
            StepState::Running,
            self.started.elapsed(),
            message.into(),
            None,
        );
    }

    pub fn is_cancelled(&self) -> bool {
        self.ctx.cancel.is_cancelled()
    }

    /// Sleeps between polls; ends early with `Cancelled` on cancel.
    pub async fn sleep(&self, duration: Duration) -> Result<(), ProvisionError> {
        if self.is_cancelled() {
            return Err(ProvisionError::Cancelled);
        }
        let started = Instant::now();
        let cancelled = tokio::select! {
            _ = tokio::time::sleep(duration) => false,
            _ = self.ctx.cancel.cancelled() => true,
        };
        self.ctx
            .waited
            .fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        if cancelled {
            Err(ProvisionError::Cancelled)
        } else {
            Ok(())
        }
    }
}

fn mark_running(ctx: &RunContext, id: &str) -> Result<(), ProvisionError> {
    let now = now_rfc3339();
    ctx.update(|j| {
        if let Some(step) = j.step_mut(id) {
            step.state = StepState::Running;
            step.started_at = Some(now);
            step.finished_at = None;
            step.message = None;
        }
    })
}

fn mark_finished(
    ctx: &RunContext,
    id: &str,
    state: StepState,
    done: Option<&StepDone>,
) -> Result<(), ProvisionError> {
    let now = now_rfc3339();
    ctx.update(|j| {
        if let Some(step) = j.step_mut(id) {
            step.state = state;
            step.finished_at = Some(now);
            if let Some(done) = done {
                if done.resource_id.is_some() {
                    step.resource_id = done.resource_id.clone();
                }
                step.message = Some(done.message.clone());
            }
        }
    })
}

/// Runs `steps` (topologically ordered, `depends_on` within the list) to
/// the end, or until the first failure or a cancel. Steps already done in
/// the journal are skipped; every other step starts from pending.
/// `max_concurrency` 0 means no limit; 1 runs the steps one by one.
pub async fn run_graph<R: StepRunner>(
    steps: Vec<PlanStep>,
    runner: Arc<R>,
    ctx: RunContext,
    max_concurrency: usize,
) -> Result<(), ProvisionError> {
    let mut done: Vec<bool> = {
        let j = ctx.snapshot();
        steps
            .iter()
            .map(|s| j.step(&s.id).is_some_and(|r| r.state == StepState::Done))
            .collect()
    };
    // A step left running, failed or cancelled by an earlier run starts over.
    ctx.update(|j| {
        j.status = RunStatus::Running;
        for (step, is_done) in steps.iter().zip(&done) {
            if let (false, Some(record)) = (*is_done, j.step_mut(&step.id)) {
                record.state = StepState::Pending;
            }
        }
    })?;
    let skipped = done.iter().filter(|d| **d).count();
    ctx.emit(
        "run",
        StepState::Running,
        Duration::ZERO,
        format!(
            "{} of {} steps to run ({skipped} already done)",
            steps.len() - skipped,
            steps.len()
        ),
        None,
    );

    let index_of: HashMap<&str, usize> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut started = vec![false; steps.len()];
    for (i, d) in done.iter().enumerate() {
        started[i] = *d;
    }
    let mut running = JoinSet::new();
    let mut task_step: HashMap<tokio::task::Id, usize> = HashMap::new();
    let mut first_error: Option<ProvisionError> = None;
    let mut journal_error: Option<ProvisionError> = None;

    loop {
        let stopping =
            first_error.is_some() || journal_error.is_some() || ctx.cancel.is_cancelled();
        if !stopping {
            for i in 0..steps.len() {
                if started[i] || (max_concurrency > 0 && running.len() >= max_concurrency) {
                    continue;
                }
                let ready = steps[i]
                    .depends_on
                    .iter()
                    .all(|d| index_of.get(d.as_str()).is_none_or(|&di| done[di]));
                if !ready {
                    continue;
                }
                if let Err(e) = mark_running(&ctx, &steps[i].id) {
                    journal_error = Some(e);
                    break;
                }
                started[i] = true;
                ctx.emit(
                    &steps[i].id,
                    StepState::Running,
                    Duration::ZERO,
                    "started".into(),
                    None,
                );
                // Every finished step, not only the direct dependencies: a
                // node group may name a subnet that only its cluster uses.
                let dependencies = ctx
                    .snapshot()
                    .steps
                    .into_iter()
                    .filter(|s| s.state == StepState::Done)
                    .filter_map(|s| Some((s.id, s.resource_id?)))
                    .collect();
                let handle = StepHandle {
                    ctx: ctx.clone(),
                    step_id: steps[i].id.clone(),
                    started: Instant::now(),
                    dependencies,
                };
                let step = steps[i].clone();
                let runner = runner.clone();
                let began = Instant::now();
                let abort = running.spawn(async move {
                    let result = runner.run(step, handle).await;
                    (result, began.elapsed())
                });
                task_step.insert(abort.id(), i);
            }
        }
        let Some(joined) = running.join_next_with_id().await else {
            break;
        };
        let (i, result, elapsed) = match joined {
            Ok((id, (result, elapsed))) => (task_step[&id], result, elapsed),
            Err(e) => {
                let i = task_step[&e.id()];
                let error = ProvisionError::Internal {
                    step: steps[i].id.clone(),
                    message: format!("the step's task ended abnormally: {e}"),
                };
                (i, Err(error), Duration::ZERO)
            }
        };
        let id = &steps[i].id;
        let outcome = match result {
            Ok(step_done) => {
                done[i] = true;
                let r = mark_finished(&ctx, id, StepState::Done, Some(&step_done));
                ctx.emit(
                    id,
                    StepState::Done,
                    elapsed,
                    step_done.message,
                    step_done.resource_id,
                );
                r
            }
            Err(ProvisionError::Cancelled) => {
                let r = mark_finished(&ctx, id, StepState::Cancelled, None);
                ctx.emit(
                    id,
                    StepState::Cancelled,
                    elapsed,
                    "cancelled; resume continues here".into(),
                    None,
                );
                r
            }
            Err(error) => {
                let state = StepState::Failed {
                    message: error.detail(),
                    operation: error.operation(),
                };
                let r = mark_finished(&ctx, id, state.clone(), None);
                ctx.emit(id, state, elapsed, error.detail(), None);
                first_error.get_or_insert(error);
                r
            }
        };
        if let Err(e) = outcome {
            journal_error.get_or_insert(e);
        }
    }

    let all_done = done.iter().all(|d| *d);
    let (status, result) = match (journal_error, first_error) {
        (Some(e), _) => (RunStatus::Failed, Err(e)),
        (None, Some(e)) => (RunStatus::Failed, Err(e)),
        (None, None) if all_done => (RunStatus::Done, Ok(())),
        (None, None) => (RunStatus::Cancelled, Err(ProvisionError::Cancelled)),
    };
    // The run's own status; if this write fails the journal still says
    // `running`, which resume handles the same way.
    let _ = ctx.update(|j| j.status = status);
    let message = match &result {
        Ok(()) => "finished".to_string(),
        Err(e) => e.to_string(),
    };
    let state = match status {
        RunStatus::Done => StepState::Done,
        RunStatus::Cancelled => StepState::Cancelled,
        _ => StepState::Failed {
            message: message.clone(),
            operation: result
                .as_ref()
                .err()
                .map(|e| e.operation())
                .unwrap_or_default(),
        },
    };
    ctx.emit("run", state, ctx.elapsed(), message, None);
    result
}

#[cfg(test)]
#[path = "scheduler_tests.rs"]
mod tests;

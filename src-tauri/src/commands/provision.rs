//! Apply, resume, destroy and cancel, with progress streamed to the UI.
//!
//! A run's command returns when the run ends: its result is the run's
//! outcome (a summary, or the `AppError` that stopped it, `cancelled`
//! included), typed like every other command. While it runs, progress
//! arrives over the `on_progress` channel in batches (about every 200 ms,
//! never one IPC message per event); the last batch is sent before the
//! command returns, and the engine's final `run` event in it says how the
//! run ended as well.

use super::{AppError, AppState};
use crate::aws::Environment;
use crate::provision::leftovers::Leftovers;
use crate::provision::{
    self, operations, Journal, Operation, ProgressEvent, RunReport, UnfinishedRuns,
};
use crate::spec::plan::Plan;
use crate::spec::ClusterSpec;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

/// How a finished run went.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub operation: Operation,
    pub steps: u32,
    /// Length of the critical path, in steps.
    pub waves: u32,
    pub wall_ms: u32,
    pub journal_path: String,
}

impl From<RunReport> for RunSummary {
    fn from(r: RunReport) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            operation: r.operation,
            steps: count(r.steps),
            waves: count(r.waves),
            wall_ms: u32::try_from(r.wall.as_millis()).unwrap_or(u32::MAX),
            journal_path: r.journal_path.display().to_string(),
        }
    }
}

/// Sends each batch to the window; a window that went away does not stop the run.
fn send_to(channel: &Channel<Vec<ProgressEvent>>) -> impl FnMut(Vec<ProgressEvent>) + '_ {
    move |batch| {
        let _ = channel.send(batch);
    }
}

/// Creates what the spec describes in the environment's account (in the
/// spec's region). Refused while the spec has errors or its plan conflicts,
/// or while another run of the spec is going on.
#[tauri::command]
#[specta::specta]
pub async fn start_apply(
    state: State<'_, AppState>,
    environment: Environment,
    spec: ClusterSpec,
    on_progress: Channel<Vec<ProgressEvent>>,
) -> Result<RunSummary, AppError> {
    let report = operations::apply(
        &state.runs,
        &state.sessions,
        &state.facts,
        &environment,
        &spec,
        send_to(&on_progress),
    )
    .await?;
    Ok(report.into())
}

/// Continues the journal of `spec_id` in the account and region it recorded.
#[tauri::command]
#[specta::specta]
pub async fn resume_run(
    state: State<'_, AppState>,
    spec_id: String,
    on_progress: Channel<Vec<ProgressEvent>>,
) -> Result<RunSummary, AppError> {
    let report = operations::resume(
        &state.runs,
        &state.sessions,
        &spec_id,
        None,
        send_to(&on_progress),
    )
    .await?;
    Ok(report.into())
}

/// Deletes what the app created for the spec; `confirm_name` must be the
/// cluster's name, typed by the user, and `confirm_leftovers` "delete" to
/// delete what Kubernetes left in the VPC too.
#[tauri::command]
#[specta::specta]
pub async fn start_destroy(
    state: State<'_, AppState>,
    environment: Environment,
    spec: ClusterSpec,
    confirm_name: String,
    confirm_leftovers: Option<String>,
    on_progress: Channel<Vec<ProgressEvent>>,
) -> Result<RunSummary, AppError> {
    let report = operations::destroy(
        &state.runs,
        &state.sessions,
        &environment,
        &spec,
        &confirm_name,
        confirm_leftovers.as_deref(),
        send_to(&on_progress),
    )
    .await?;
    Ok(report.into())
}

/// What Kubernetes left in the spec's VPC (load balancers and the like),
/// for the destroy dialog.
#[tauri::command]
#[specta::specta]
pub async fn destroy_leftovers(
    state: State<'_, AppState>,
    environment: Environment,
    spec: ClusterSpec,
) -> Result<Leftovers, AppError> {
    Ok(operations::leftovers(&state.sessions, &environment, &spec).await?)
}

/// Stops the run of `spec_id` after the calls in flight; false when none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_run(state: State<'_, AppState>, spec_id: String) -> bool {
    state.runs.cancel(&spec_id)
}

/// Applies and destroys that did not finish (not those still running), newest first.
#[tauri::command]
#[specta::specta]
pub fn unfinished_runs(state: State<'_, AppState>) -> Result<UnfinishedRuns, AppError> {
    Ok(state.runs.unfinished()?)
}

/// The journal of the last run of `spec_id`.
#[tauri::command]
#[specta::specta]
pub fn run_journal(
    state: State<'_, AppState>,
    spec_id: String,
) -> Result<Option<Journal>, AppError> {
    Ok(state.runs.journal(&spec_id)?)
}

/// The steps an apply or a destroy of the spec goes through, in order.
#[tauri::command]
#[specta::specta]
pub fn run_plan(operation: Operation, spec: ClusterSpec) -> Plan {
    provision::steps_for(operation, &spec)
}

//! The live views of an opened cluster: start watching it (its state comes
//! over a channel, at most every 100 ms and only when it changed), ask for
//! a window of pods, the overview's counts and the node map's cards.

use std::sync::Arc;
use std::time::Duration;

use super::{AppError, AppState, ErrorCode};
use crate::connect::eks_token::TokenError;
use crate::workloads::cluster_lists::NamespaceRow;
use crate::workloads::label_selector::SelectorError;
use crate::workloads::pod_detail::EventRow;
use crate::workloads::{
    self, Controllers, DeletePodRequest, EventQuery, LiveCluster, LiveState, LogEnd, LogRequest,
    NodeCard, NodeDetail, Overview, PodDetail, PodQuery, PodRef, PodWindow, RestartRequest,
    ScaleRequest, WorkloadError,
};
use tauri::ipc::Channel;
use tauri::State;

/// How often at most the window hears that the stores changed.
const STATE_EVERY: Duration = Duration::from_millis(100);

impl From<SelectorError> for AppError {
    fn from(e: SelectorError) -> Self {
        AppError::for_field(ErrorCode::InvalidInput, "labels", e.to_string())
    }
}

fn not_open(connection: &str) -> AppError {
    AppError::new(
        ErrorCode::InvalidInput,
        format!("{connection} is not open: connect to it first"),
    )
}

async fn live(state: &AppState, connection: &str) -> Result<Arc<LiveCluster>, AppError> {
    state
        .live
        .lock()
        .await
        .get(connection)
        .cloned()
        .ok_or_else(|| not_open(connection))
}

/// Starts the live view of `connection` (or joins the one running) and
/// sends its state on `on_state` until the window stops listening.
#[tauri::command]
#[specta::specta]
pub async fn watch_workloads(
    state: State<'_, AppState>,
    connection: String,
    on_state: Channel<LiveState>,
) -> Result<(), AppError> {
    let cluster = {
        let mut live = state.live.lock().await;
        match live.get(&connection) {
            Some(running) => running.clone(),
            None => {
                let client = state
                    .connections
                    .lock()
                    .await
                    .get(&connection)
                    .cloned()
                    .ok_or_else(|| not_open(&connection))?;
                let started = Arc::new(LiveCluster::start(client));
                live.insert(connection.clone(), started.clone());
                started
            }
        }
    };
    let mut changes = cluster.subscribe();
    tokio::spawn(async move {
        loop {
            let now = changes.borrow_and_update().clone();
            if on_state.send(now).is_err() {
                return;
            }
            // Batch: one message per period, however many events came in.
            tokio::time::sleep(STATE_EVERY).await;
            if changes.changed().await.is_err() {
                return;
            }
        }
    });
    Ok(())
}

/// Stops the live view of `connection` (its watches end).
#[tauri::command]
#[specta::specta]
pub async fn stop_workloads(
    state: State<'_, AppState>,
    connection: String,
) -> Result<(), AppError> {
    state.live.lock().await.remove(&connection);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn pods_window(
    state: State<'_, AppState>,
    connection: String,
    query: PodQuery,
) -> Result<PodWindow, AppError> {
    Ok(live(&state, &connection).await?.pods(&query)?)
}

#[tauri::command]
#[specta::specta]
pub async fn workloads_overview(
    state: State<'_, AppState>,
    connection: String,
) -> Result<Overview, AppError> {
    Ok(live(&state, &connection).await?.overview())
}

#[tauri::command]
#[specta::specta]
pub async fn node_cards(
    state: State<'_, AppState>,
    connection: String,
) -> Result<Vec<NodeCard>, AppError> {
    Ok(live(&state, &connection).await?.node_cards())
}

/// The kube client of an opened connection.
async fn client(state: &AppState, connection: &str) -> Result<kube::Client, AppError> {
    state
        .connections
        .lock()
        .await
        .get(connection)
        .cloned()
        .ok_or_else(|| not_open(connection))
}

impl From<&WorkloadError> for AppError {
    fn from(e: &WorkloadError) -> Self {
        let message = e.to_string();
        match e {
            WorkloadError::Forbidden { .. } => AppError::new(ErrorCode::Forbidden, message),
            WorkloadError::NotFound { .. } | WorkloadError::Api { .. } => {
                AppError::new(ErrorCode::KubeApi, message)
            }
            WorkloadError::Unreachable { .. } => {
                AppError::new(ErrorCode::EndpointUnreachable, message)
            }
            WorkloadError::Token(TokenError::Aws(aws)) => AppError {
                message,
                ..AppError::from(aws.clone())
            },
            WorkloadError::Token(TokenError::Signing(_)) => {
                AppError::new(ErrorCode::Internal, message)
            }
            WorkloadError::Invalid { field, .. } => {
                AppError::for_field(ErrorCode::InvalidInput, field, message)
            }
        }
    }
}

impl From<WorkloadError> for AppError {
    fn from(e: WorkloadError) -> Self {
        AppError::from(&e)
    }
}

#[tauri::command]
#[specta::specta]
pub async fn pod_detail(
    state: State<'_, AppState>,
    connection: String,
    pod: PodRef,
) -> Result<PodDetail, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::pod_detail(&client, &pod).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn delete_pod(
    state: State<'_, AppState>,
    connection: String,
    request: DeletePodRequest,
) -> Result<(), AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::delete_pod(&client, &request).await?)
}

/// Streams a container's log in batches of lines until it ends or the
/// window stops listening.
#[tauri::command]
#[specta::specta]
pub async fn stream_pod_logs(
    state: State<'_, AppState>,
    connection: String,
    request: LogRequest,
    on_lines: Channel<Vec<String>>,
) -> Result<LogEnd, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::stream_logs(&client, &request, |lines| on_lines.send(lines).is_ok()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_controllers(
    state: State<'_, AppState>,
    connection: String,
    namespace: Option<String>,
) -> Result<Controllers, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::controllers(&client, namespace.as_deref()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn scale_controller(
    state: State<'_, AppState>,
    connection: String,
    request: ScaleRequest,
) -> Result<(), AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::scale(&client, &request).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn restart_controller(
    state: State<'_, AppState>,
    connection: String,
    request: RestartRequest,
) -> Result<(), AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::rollout_restart(&client, &request).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_namespaces(
    state: State<'_, AppState>,
    connection: String,
) -> Result<Vec<NamespaceRow>, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::namespaces(&client).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn list_events(
    state: State<'_, AppState>,
    connection: String,
    query: EventQuery,
) -> Result<Vec<EventRow>, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::events(&client, &query).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn node_detail(
    state: State<'_, AppState>,
    connection: String,
    name: String,
) -> Result<NodeDetail, AppError> {
    let client = client(&state, &connection).await?;
    Ok(workloads::node_detail(&client, &name).await?)
}

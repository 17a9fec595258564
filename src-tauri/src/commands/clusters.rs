use super::{AppError, AppState};
use crate::aws::clusters::{self, ClusterSummary};
use crate::aws::Environment;
use crate::connect::kubeconfig::{self, KubeContexts};
use tauri::State;

/// EKS clusters of the environment's account and region.
#[tauri::command]
#[specta::specta]
pub async fn list_clusters(
    state: State<'_, AppState>,
    environment: Environment,
) -> Result<Vec<ClusterSummary>, AppError> {
    Ok(state
        .sessions
        .with(&environment, |s| async move { clusters::list(&s).await })
        .await?)
}

/// Contexts from KUBECONFIG or ~/.kube/config.
#[tauri::command]
#[specta::specta]
pub async fn kube_contexts() -> Result<KubeContexts, AppError> {
    Ok(kubeconfig::read_user_contexts()?)
}

//! Connecting: open an EKS cluster with EKS Desk's own sign-in or a
//! kubeconfig context, agree to a context's exec plugin, add a cluster to
//! the kubeconfig. The opened client is kept for the views of the cluster.

use super::{AppError, AppState, ErrorCode};
use crate::aws::Environment;
use crate::connect::exec_consent::{self, ExecCommand};
use crate::connect::kubeconfig_entry::KubeconfigWriteOutcome;
use crate::connect::kubeconfig_write_error::KubeconfigWriteError;
use crate::connect::{
    self, AddToKubeconfigRequest, ClusterOverview, ConnectError, ExecPolicy, OpenClusterRequest,
    OpenContextRequest,
};
use crate::connect::{eks_token::TokenError, kubeconfig_target::KubeconfigLocation};
use tauri::State;

impl From<&ConnectError> for AppError {
    fn from(e: &ConnectError) -> Self {
        let message = e.to_string();
        let code = match e {
            ConnectError::Aws(aws) | ConnectError::Token(TokenError::Aws(aws)) => {
                return AppError {
                    message,
                    ..AppError::from(aws.clone())
                }
            }
            ConnectError::Token(TokenError::Signing(_)) => ErrorCode::Internal,
            ConnectError::NotActive { .. } => ErrorCode::Conflict,
            ConnectError::NoAccessEntry { .. } => ErrorCode::NoAccessEntry,
            ConnectError::Unauthorized { .. } => ErrorCode::Unauthorized,
            ConnectError::Forbidden { .. } => ErrorCode::Forbidden,
            ConnectError::PrivateEndpoint { .. } => ErrorCode::PrivateEndpoint,
            ConnectError::Unreachable { .. } => ErrorCode::EndpointUnreachable,
            ConnectError::Api { .. } => ErrorCode::KubeApi,
            ConnectError::Credentials { .. } => ErrorCode::KubeCredentials,
            ConnectError::ConsentRequired { .. } => ErrorCode::ExecConsentRequired,
            ConnectError::KubeconfigWrite(KubeconfigWriteError::InvalidEntry(invalid)) => {
                return AppError::for_field(ErrorCode::InvalidInput, invalid.field, message)
            }
            ConnectError::Kubeconfig(_)
            | ConnectError::KubeconfigWrite(_)
            | ConnectError::Context { .. }
            | ConnectError::Consent(_) => ErrorCode::ConfigFile,
        };
        AppError::new(code, message)
    }
}

impl From<ConnectError> for AppError {
    fn from(e: ConnectError) -> Self {
        AppError::from(&e)
    }
}

/// This binary, which may run as a kubeconfig credential plugin.
pub fn own_binary() -> Option<std::path::PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::canonicalize(p).ok())
}

/// Opens an EKS cluster of the environment with an in-process EKS token.
#[tauri::command]
#[specta::specta]
pub async fn connect_cluster(
    state: State<'_, AppState>,
    environment: Environment,
    request: OpenClusterRequest,
) -> Result<ClusterOverview, AppError> {
    let session = state.sessions.get(&environment).await?;
    let opened = connect::open_cluster(&session, &request, state.simulated_api.as_ref()).await?;
    // A new client for the connection: its live views restart with it.
    state.live.lock().await.remove(&opened.overview.connection);
    state
        .connections
        .lock()
        .await
        .insert(opened.overview.connection.clone(), opened.client);
    Ok(opened.overview)
}

/// Opens a kubeconfig context (asking first for an unknown exec plugin:
/// the error `exec_consent_required` names it).
#[tauri::command]
#[specta::specta]
pub async fn connect_context(
    state: State<'_, AppState>,
    request: OpenContextRequest,
) -> Result<ClusterOverview, AppError> {
    let store = exec_consent::default_store();
    let binary = own_binary();
    let policy = ExecPolicy {
        consent_store: &store,
        own_binary: binary.as_deref(),
        search_path: std::env::var_os("PATH"),
    };
    let opened =
        connect::open_context(&request, &KubeconfigLocation::from_environment(), &policy).await?;
    // A new client for the connection: its live views restart with it.
    state.live.lock().await.remove(&opened.overview.connection);
    state
        .connections
        .lock()
        .await
        .insert(opened.overview.connection.clone(), opened.client);
    Ok(opened.overview)
}

/// Remembers that the user agreed to run the context's exec plugin.
#[tauri::command]
#[specta::specta]
pub async fn allow_exec_plugin(request: OpenContextRequest) -> Result<ExecCommand, AppError> {
    let store = exec_consent::default_store();
    let binary = own_binary();
    let policy = ExecPolicy {
        consent_store: &store,
        own_binary: binary.as_deref(),
        search_path: std::env::var_os("PATH"),
    };
    Ok(connect::allow_exec_plugin(
        &request,
        &KubeconfigLocation::from_environment(),
        &policy,
    )?)
}

/// Writes the cluster's entries into the kubeconfig, as
/// `aws eks update-kubeconfig` would.
#[tauri::command]
#[specta::specta]
pub async fn add_to_kubeconfig(
    state: State<'_, AppState>,
    environment: Environment,
    request: AddToKubeconfigRequest,
) -> Result<KubeconfigWriteOutcome, AppError> {
    let session = state.sessions.get(&environment).await?;
    Ok(connect::add_cluster_to_kubeconfig(
        &session,
        &request,
        &KubeconfigLocation::from_environment(),
        own_binary().as_deref(),
        state.simulated_api.as_ref(),
    )
    .await?)
}

use super::{AppError, AppState};
use crate::aws::environments::{self, EnvironmentChoices};
use crate::aws::identity::{self, CallerIdentity};
use crate::aws::Environment;
use tauri::State;

/// Profiles, regions and the environment to start on.
#[tauri::command]
#[specta::specta]
pub async fn environment_choices(
    state: State<'_, AppState>,
) -> Result<EnvironmentChoices, AppError> {
    Ok(environments::choices(state.sessions.emulator_endpoint()).await?)
}

/// Account and ARN the environment signs in as.
#[tauri::command]
#[specta::specta]
pub async fn caller_identity(
    state: State<'_, AppState>,
    environment: Environment,
) -> Result<CallerIdentity, AppError> {
    Ok(state
        .sessions
        .with(&environment, |s| async move {
            identity::caller_identity(&s).await
        })
        .await?)
}

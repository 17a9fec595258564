//! The Create form's commands: each calls one spec operation.

use super::{AppError, AppState, ErrorCode};
use crate::aws::Environment;
use crate::spec::check::SpecCheck;
use crate::spec::choices::SpecChoices;
use crate::spec::cost::{self, CostEstimate};
use crate::spec::export::{self, ExportFormat};
use crate::spec::in_account::{self, PlannedSpec};
use crate::spec::lookup::VpcInfo;
use crate::spec::network::SuggestedSubnets;
use crate::spec::store::SavedFile;
use crate::spec::{yaml, ClusterSpec};
use tauri::State;

/// A new spec: the seed's architecture in `region`.
#[tauri::command]
#[specta::specta]
pub fn new_cluster_spec(region: String) -> ClusterSpec {
    ClusterSpec::new_for_region(&region)
}

/// Field issues and the IP guard, checked against the account when possible.
#[tauri::command]
#[specta::specta]
pub async fn check_cluster_spec(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<SpecCheck, AppError> {
    Ok(in_account::check(&state.sessions, &state.facts, environment.as_ref(), &spec).await)
}

/// Versions, AMI and instance types, addon versions and access policies.
#[tauri::command]
#[specta::specta]
pub async fn spec_choices(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<SpecChoices, AppError> {
    Ok(in_account::choices(&state.sessions, &state.facts, environment.as_ref(), &spec).await)
}

/// The ordered resource plan; refused while the spec has errors.
#[tauri::command]
#[specta::specta]
pub async fn plan_cluster_spec(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<PlannedSpec, AppError> {
    Ok(in_account::plan(&state.sessions, &state.facts, environment.as_ref(), &spec).await?)
}

/// The estimated monthly cost of what the spec creates, from the built-in
/// price table: no account is read, and a spec with errors is estimated
/// too, so that the form can show it while the spec is edited.
#[tauri::command]
#[specta::specta]
pub fn estimate_cost(spec: ClusterSpec) -> CostEstimate {
    cost::estimate(&spec)
}

/// Terraform, eksctl ClusterConfig, or the spec as YAML.
#[tauri::command]
#[specta::specta]
pub fn export_cluster_spec(spec: ClusterSpec, format: ExportFormat) -> Result<String, AppError> {
    Ok(export::render(&spec, format)?)
}

/// Reads a spec from YAML text; nothing changes when it is invalid.
#[tauri::command]
#[specta::specta]
pub fn parse_cluster_spec(yaml_text: String) -> Result<ClusterSpec, AppError> {
    Ok(yaml::from_yaml(&yaml_text)?)
}

/// Control-plane and node subnets carved from the spec's VPC around what
/// already exists there.
#[tauri::command]
#[specta::specta]
pub async fn suggest_subnets(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<SuggestedSubnets, AppError> {
    in_account::suggest_subnets(&state.sessions, &state.facts, environment.as_ref(), &spec)
        .await
        .map_err(|e| AppError::for_field(ErrorCode::InvalidInput, e.field(), e.to_string()))
}

/// Saves the spec in the app's spec folder; returns where.
#[tauri::command]
#[specta::specta]
pub fn save_cluster_spec(
    state: State<'_, AppState>,
    spec: ClusterSpec,
) -> Result<SavedFile, AppError> {
    Ok(state.specs.save(&spec)?)
}

/// Saves an export beside the spec; returns where.
#[tauri::command]
#[specta::specta]
pub fn save_cluster_export(
    state: State<'_, AppState>,
    spec: ClusterSpec,
    format: ExportFormat,
) -> Result<SavedFile, AppError> {
    Ok(state.specs.save_export(&spec, format)?)
}

/// Specs saved earlier.
#[tauri::command]
#[specta::specta]
pub fn saved_cluster_specs(state: State<'_, AppState>) -> Result<Vec<SavedFile>, AppError> {
    Ok(state.specs.list()?)
}

#[tauri::command]
#[specta::specta]
pub fn load_cluster_spec(
    state: State<'_, AppState>,
    name: String,
) -> Result<ClusterSpec, AppError> {
    Ok(state.specs.load(&name)?)
}

/// VPCs (with their subnets) of `region` in the environment's account.
#[tauri::command]
#[specta::specta]
pub async fn list_vpcs(
    state: State<'_, AppState>,
    environment: Environment,
    region: String,
) -> Result<Vec<VpcInfo>, AppError> {
    Ok(state
        .sessions
        .with(&environment.with_region(&region), |s| async move {
            crate::spec::lookup::vpcs(&s).await
        })
        .await?)
}

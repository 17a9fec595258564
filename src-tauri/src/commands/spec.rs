use super::{AppError, AppState, ErrorCode};
use crate::aws::Environment;
use crate::spec::check::{self, SpecCheck};
use crate::spec::choices::{self, SpecChoices};
use crate::spec::export::{eksctl, terraform};
use crate::spec::network::{self, SuggestedSubnets};
use crate::spec::plan::{self, Plan};
use crate::spec::store::SavedFile;
use crate::spec::{yaml, ClusterSpec};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Terraform,
    Eksctl,
    /// The spec itself.
    Yaml,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanResult {
    pub plan: Plan,
    pub check: SpecCheck,
}

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
    Ok(check::check_in_account(&state.sessions, &state.facts, environment.as_ref(), &spec).await)
}

/// Versions, AMI and instance types, addon versions and access policies.
#[tauri::command]
#[specta::specta]
pub async fn spec_choices(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<SpecChoices, AppError> {
    let from_api = match environment {
        Some(env) => state
            .facts
            .gather(
                &state.sessions,
                &env.with_region(&spec.cluster.region),
                &spec,
            )
            .await
            .map(|f| choices::FromApi::from(&f))
            .unwrap_or_default(),
        None => Default::default(),
    };
    Ok(choices::build(&spec.cluster.kubernetes_version, &from_api))
}

/// The ordered resource plan; refused while the spec has errors.
#[tauri::command]
#[specta::specta]
pub async fn plan_cluster_spec(
    state: State<'_, AppState>,
    environment: Option<Environment>,
    spec: ClusterSpec,
) -> Result<PlanResult, AppError> {
    let facts = match &environment {
        Some(env) => state
            .facts
            .gather(
                &state.sessions,
                &env.with_region(&spec.cluster.region),
                &spec,
            )
            .await
            .ok(),
        None => None,
    };
    let check = match &facts {
        Some(f) => check::check(&spec, Ok(f)),
        None => check::check(&spec, Err("checked offline".into())),
    };
    if let Some(first) = check.errors().next() {
        return Err(AppError::for_field(
            ErrorCode::InvalidInput,
            &first.field,
            format!(
                "{} error(s) in the spec; first: {}",
                check.errors().count(),
                first.message
            ),
        ));
    }
    let existing = facts.map(|f| f.existing).unwrap_or_default();
    Ok(PlanResult {
        plan: plan::build(&spec, &existing),
        check,
    })
}

/// Terraform, eksctl ClusterConfig, or the spec as YAML.
#[tauri::command]
#[specta::specta]
pub fn export_cluster_spec(spec: ClusterSpec, format: ExportFormat) -> Result<String, AppError> {
    Ok(match format {
        ExportFormat::Terraform => terraform::render(&spec),
        ExportFormat::Eksctl => eksctl::render(&spec),
        ExportFormat::Yaml => yaml::to_yaml(&spec)?,
    })
}

/// Reads a spec from YAML text; nothing changes when it is invalid.
#[tauri::command]
#[specta::specta]
pub fn parse_cluster_spec(yaml_text: String) -> Result<ClusterSpec, AppError> {
    Ok(yaml::from_yaml(&yaml_text)?)
}

/// Proposes control-plane and node subnets inside `vpc_cidr`.
#[tauri::command]
#[specta::specta]
pub fn suggest_subnets(
    vpc_cidr: String,
    taken: Vec<String>,
    availability_zones: Vec<String>,
    control_plane_count: u32,
) -> Result<SuggestedSubnets, AppError> {
    network::suggest_subnets(
        &vpc_cidr,
        &taken,
        &availability_zones,
        control_plane_count as usize,
        20,
    )
    .map_err(|e| AppError::for_field(ErrorCode::InvalidInput, "network.vpc.cidr", e.to_string()))
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
    let suffix = match format {
        ExportFormat::Terraform => ".tf",
        ExportFormat::Eksctl => ".eksctl.yaml",
        ExportFormat::Yaml => return save_cluster_spec(state, spec),
    };
    let text = export_cluster_spec(spec.clone(), format)?;
    Ok(state.specs.save_export(&spec.cluster.name, suffix, &text)?)
}

/// Specs saved earlier.
#[tauri::command]
#[specta::specta]
pub fn saved_cluster_specs(state: State<'_, AppState>) -> Vec<SavedFile> {
    state.specs.list()
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
) -> Result<Vec<crate::spec::lookup::VpcInfo>, AppError> {
    Ok(state
        .sessions
        .with(&environment.with_region(&region), |s| async move {
            crate::spec::lookup::vpcs(&s).await
        })
        .await?)
}

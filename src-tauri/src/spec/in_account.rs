//! The spec operations that read the account: check, plan, the pickers'
//! choices and subnet suggestions. The Create form's commands and
//! `eks-desk validate|plan` both call these, so the window and the command
//! line apply the same rules to the same facts. Nothing here writes.

use super::check::{self, SpecCheck};
use super::choices::{self, SpecChoices};
use super::cost::{self, CostEstimate};
use super::lookup::{AccountView, FactsCache};
use super::model::{ClusterSpec, NodeSubnets, VpcChoice};
use super::network::{self, NetworkError, SuggestedSubnets};
use super::plan::{self, Plan};
use super::validate::FieldIssue;
use crate::aws::{Environment, Sessions};
use serde::Serialize;
use specta::Type;

/// What a plan of a valid spec shows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlannedSpec {
    pub plan: Plan,
    pub check: SpecCheck,
    /// Why this plan cannot be applied as it stands (conflicts, an account
    /// that was not read); `None` when it can.
    pub apply_blocked_by: Option<String>,
    /// The estimated monthly cost of what the plan creates.
    pub cost: CostEstimate,
}

/// A spec with errors is not planned.
#[derive(Debug, Clone, thiserror::Error)]
#[error("The spec has {} error(s); first: {}: {}", .errors.len(), .errors[0].field, .errors[0].message)]
pub struct SpecHasErrors {
    /// Never empty.
    pub errors: Vec<FieldIssue>,
}

impl SpecHasErrors {
    /// `Err` with the errors of `check`, if it has any.
    pub fn of(check: &SpecCheck) -> Result<(), SpecHasErrors> {
        let errors: Vec<FieldIssue> = check.errors().cloned().collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SpecHasErrors { errors })
        }
    }
}

/// Every field issue and the IP guard, against the account of
/// `environment` (in the spec's region) or offline.
pub async fn check(
    sessions: &Sessions,
    cache: &FactsCache,
    environment: Option<&Environment>,
    spec: &ClusterSpec,
) -> SpecCheck {
    check::check(spec, &cache.view(sessions, environment, spec).await)
}

/// The resource plan: what exists is looked up once, and marks steps as
/// reused or in conflict. Refused while the spec has errors.
pub async fn plan(
    sessions: &Sessions,
    cache: &FactsCache,
    environment: Option<&Environment>,
    spec: &ClusterSpec,
) -> Result<PlannedSpec, SpecHasErrors> {
    let view = cache.view(sessions, environment, spec).await;
    plan_against(spec, &view)
}

/// [`plan`] with the account already read.
pub fn plan_against(spec: &ClusterSpec, view: &AccountView) -> Result<PlannedSpec, SpecHasErrors> {
    let check = check::check(spec, view);
    SpecHasErrors::of(&check)?;
    let plan = plan::build(
        spec,
        &view.facts().map(|f| f.existing.clone()).unwrap_or_default(),
    );
    let conflicts = plan.conflicts().count();
    let apply_blocked_by = match view {
        AccountView::Offline(offline) => Some(format!(
            "{offline} What exists in the account is unknown, so nothing can be applied."
        )),
        AccountView::Account(_) if conflicts > 0 => Some(format!(
            "The plan has {conflicts} conflict(s): resolve {} before applying.",
            if conflicts == 1 { "it" } else { "them" }
        )),
        AccountView::Account(_) => None,
    };
    Ok(PlannedSpec {
        plan,
        check,
        apply_blocked_by,
        cost: cost::estimate(spec),
    })
}

/// What the form's pickers offer: the EKS API's versions where the account
/// answers, the built-in tables otherwise (and a note saying why).
pub async fn choices(
    sessions: &Sessions,
    cache: &FactsCache,
    environment: Option<&Environment>,
    spec: &ClusterSpec,
) -> SpecChoices {
    let view = cache.view(sessions, environment, spec).await;
    let from_api = view.facts().map(choices::FromApi::from).unwrap_or_default();
    let mut built = choices::build(&spec.cluster.kubernetes_version, &from_api);
    if let AccountView::Offline(offline) = &view {
        built
            .notes
            .push(format!("{offline} Versions come from the built-in table."));
    }
    built
}

/// New control-plane and node subnets carved from the spec's VPC: as many
/// control-plane subnets as the spec has (2 or 3), node subnets of the
/// spec's node-subnet size, spread over the region's zones, around the
/// subnets that already exist in the VPC.
pub async fn suggest_subnets(
    sessions: &Sessions,
    cache: &FactsCache,
    environment: Option<&Environment>,
    spec: &ClusterSpec,
) -> Result<SuggestedSubnets, NetworkError> {
    let view = cache.view(sessions, environment, spec).await;
    let checked = check::check(spec, &view);
    let taken: Vec<String> = view
        .facts()
        .map(|f| check::context_from(spec, f).existing_subnets)
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.cidr)
        .collect();
    let vpc_cidr = match &spec.network.vpc {
        VpcChoice::Create { cidr } | VpcChoice::Existing { cidr, .. } => cidr,
    };
    let node_prefix = match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => subnets
            .first()
            .and_then(|s| network::parse_net(&s.cidr))
            .map_or(DEFAULT_NODE_PREFIX, |n| n.prefix_len()),
        NodeSubnets::Existing(_) => DEFAULT_NODE_PREFIX,
    };
    // Zones where EKS can put a control plane (carving gives each zone a
    // control-plane subnet).
    let zones: Vec<String> = checked
        .account
        .availability_zones
        .iter()
        .filter(|z| z.problem.is_none() && z.control_plane_problem.is_none())
        .map(|z| z.name.clone())
        .collect();
    // NAT egress: a public subnet in every zone (for per-zone NATs and
    // for internet-facing load balancers).
    let public = if spec.network.egress.has_public_subnets() {
        zones.len()
    } else {
        0
    };
    network::suggest_subnets_with_public(
        vpc_cidr,
        &taken,
        &zones,
        spec.network.control_plane_subnets.len().clamp(2, 3),
        node_prefix,
        public,
    )
}

/// The seed's node subnets are /20s: 4,091 IPs each, room for large node
/// groups with VPC CNI's per-pod IPs.
const DEFAULT_NODE_PREFIX: u8 = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::lookup::Offline;

    #[test]
    fn a_plan_shows_the_estimated_monthly_total() {
        let offline = AccountView::Offline(Offline::NoEnvironment);
        let planned = plan_against(&ClusterSpec::default(), &offline).unwrap();
        assert_eq!(planned.cost.total_monthly_usd, 242.14);
        assert_eq!(planned.cost.prices_as_of, "2026-12-01");
        let json = serde_json::to_value(&planned).unwrap();
        assert_eq!(json["cost"]["totalMonthlyUsd"], 242.14);
    }
}

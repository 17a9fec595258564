//! Read-only look-ups of what already exists in the account, for validation
//! (names taken, AZs of the region, subnets of the VPC, addon versions) and
//! for the plan (what will be reused or conflicts). Every look-up degrades:
//! an API the endpoint does not offer yields "unknown", not a failure, and
//! the caller falls back to built-in knowledge.

use super::model::{ClusterSpec, RoleChoice, VpcChoice};
use super::plan::{ExistingResources, Found, OWNER_TAG};
use crate::aws::{clusters, AwsError, AwsSession};
use aws_sdk_ec2::types::Filter;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetFact {
    pub id: String,
    pub cidr: String,
    pub availability_zone: String,
    pub owner_spec_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFacts {
    /// Clusters in the region that are not this spec's own.
    pub other_cluster_names: Vec<String>,
    pub availability_zones: Option<Vec<String>>,
    /// Subnets of the target VPC (the picked one, or the one this spec made).
    pub vpc_subnets: Vec<SubnetFact>,
    /// Versions per addon for the spec's Kubernetes version; an addon that
    /// is missing here falls back to the built-in table.
    pub addon_versions: BTreeMap<String, Vec<String>>,
    /// The version EKS installs by default, per addon (from the same call).
    pub addon_defaults: BTreeMap<String, String>,
    /// Kubernetes versions EKS offers (DescribeClusterVersions), newest
    /// first; empty when the API is not available.
    pub kubernetes_versions: Vec<String>,
    pub existing: ExistingResources,
    /// The identity that would create the cluster.
    pub caller_arn: Option<String>,
    /// Look-ups that could not be made, in words for the UI.
    pub unavailable: Vec<String>,
}

fn ec2_owner(tags: &[aws_sdk_ec2::types::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some(OWNER_TAG))
        .and_then(|t| t.value().map(str::to_string))
}

/// True for "this endpoint does not implement that": the emulator answers
/// some operations with InvalidRequest/InvalidAction/NotImplemented.
fn unsupported(err: &AwsError) -> bool {
    matches!(err, AwsError::Service { code, .. }
        if matches!(code.as_str(), "InvalidRequestException" | "InvalidAction" | "NotImplemented" | "UnknownOperationException"))
}

async fn clusters_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    for c in clusters::list(session).await? {
        let ours = !spec.id.is_empty() && c.tags.get(OWNER_TAG) == Some(&spec.id);
        if !ours {
            facts.other_cluster_names.push(c.name.clone());
        }
        facts.existing.clusters.insert(
            c.name.clone(),
            Found {
                owner_spec_id: c.tags.get(OWNER_TAG).cloned(),
            },
        );
    }
    Ok(())
}

async fn role_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    let iam = session.iam();
    for choice in [&spec.iam.cluster_role, &spec.iam.node_role] {
        let RoleChoice::Create { name, .. } = choice else {
            continue;
        };
        match iam.get_role().role_name(name).send().await {
            Ok(out) => {
                let tags = out.role().map(|r| r.tags()).unwrap_or_default();
                let owner = tags
                    .iter()
                    .find(|t| t.key() == OWNER_TAG)
                    .map(|t| t.value().to_string());
                facts.existing.roles.insert(
                    name.clone(),
                    Found {
                        owner_spec_id: owner,
                    },
                );
            }
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) => {}
            Err(e) => return Err(session.classify("iam:GetRole", e)),
        }
    }
    Ok(())
}

async fn network_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    let ec2 = session.ec2();
    let zones = ec2
        .describe_availability_zones()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeAvailabilityZones", e))?;
    let names: Vec<String> = zones
        .availability_zones()
        .iter()
        .filter_map(|z| z.zone_name().map(str::to_string))
        .collect();
    if !names.is_empty() {
        facts.availability_zones = Some(names);
    }

    let vpc_id = match &spec.network.vpc {
        VpcChoice::Existing { vpc_id, .. } => Some(vpc_id.clone()),
        VpcChoice::Create { .. } if !spec.id.is_empty() => {
            let vpcs = ec2
                .describe_vpcs()
                .filters(
                    Filter::builder()
                        .name(format!("tag:{OWNER_TAG}"))
                        .values(&spec.id)
                        .build(),
                )
                .send()
                .await
                .map_err(|e| session.classify("ec2:DescribeVpcs", e))?;
            vpcs.vpcs()
                .first()
                .and_then(|v| v.vpc_id().map(str::to_string))
        }
        VpcChoice::Create { .. } => None,
    };
    let Some(vpc_id) = vpc_id else { return Ok(()) };
    let subnets = ec2
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    for s in subnets.subnets() {
        let fact = SubnetFact {
            id: s.subnet_id().unwrap_or_default().to_string(),
            cidr: s.cidr_block().unwrap_or_default().to_string(),
            availability_zone: s.availability_zone().unwrap_or_default().to_string(),
            owner_spec_id: ec2_owner(s.tags()),
        };
        facts.existing.subnets_by_cidr.insert(
            fact.cidr.clone(),
            Found {
                owner_spec_id: fact.owner_spec_id.clone(),
            },
        );
        facts.vpc_subnets.push(fact);
    }
    Ok(())
}

async fn addon_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    let out = session
        .eks()
        .describe_addon_versions()
        .kubernetes_version(&spec.cluster.kubernetes_version)
        .send()
        .await
        .map_err(|e| session.classify("eks:DescribeAddonVersions", e))?;
    for addon in out.addons() {
        let Some(name) = addon.addon_name() else {
            continue;
        };
        let versions = addon
            .addon_versions()
            .iter()
            .filter_map(|v| v.addon_version().map(str::to_string))
            .collect();
        facts.addon_versions.insert(name.to_string(), versions);
        let default = addon
            .addon_versions()
            .iter()
            .find(|v| v.compatibilities().iter().any(|c| c.default_version()));
        if let Some(version) = default.and_then(|v| v.addon_version()) {
            facts
                .addon_defaults
                .insert(name.to_string(), version.to_string());
        }
    }
    Ok(())
}

async fn version_facts(session: &AwsSession, facts: &mut AccountFacts) -> Result<(), AwsError> {
    let out = session
        .eks()
        .describe_cluster_versions()
        .send()
        .await
        .map_err(|e| session.classify("eks:DescribeClusterVersions", e))?;
    let mut versions: Vec<String> = out
        .cluster_versions()
        .iter()
        .filter_map(|v| v.cluster_version().map(str::to_string))
        .collect();
    super::catalog::sort_newest_first(&mut versions);
    facts.kubernetes_versions = versions;
    Ok(())
}

/// Looks up everything validation and planning want to know. Errors that
/// mean "you cannot use this account" (credentials, access, endpoint) are
/// returned; an operation the endpoint lacks is noted in `unavailable`.
pub async fn gather(session: &AwsSession, spec: &ClusterSpec) -> Result<AccountFacts, AwsError> {
    let mut facts = AccountFacts {
        caller_arn: Some(crate::aws::identity::caller_identity(session).await?.arn),
        ..Default::default()
    };
    clusters_facts(session, spec, &mut facts).await?;
    let steps: [(&str, Result<(), AwsError>); 4] = [
        ("IAM roles", role_facts(session, spec, &mut facts).await),
        (
            "Kubernetes versions",
            version_facts(session, &mut facts).await,
        ),
        (
            "VPC and availability zones",
            network_facts(session, spec, &mut facts).await,
        ),
        (
            "addon versions",
            addon_facts(session, spec, &mut facts).await,
        ),
    ];
    for (what, result) in steps {
        match result {
            Ok(()) => {}
            Err(e) if unsupported(&e) => facts.unavailable.push(format!(
                "{what}: not offered by this endpoint, using built-in values"
            )),
            Err(e @ AwsError::AccessDenied { .. }) => {
                facts.unavailable.push(format!("{what}: {e}"))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(facts)
}

/// What the checks and the plan were made against.
#[derive(Debug, Clone)]
pub enum AccountView {
    /// The account's facts (read now, or within the cache's TTL).
    Account(AccountFacts),
    /// Built-in knowledge only, and why.
    Offline(Offline),
}

/// Why a spec was looked at without its account.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Offline {
    /// `--offline`, or no environment with credentials.
    #[error("No AWS environment selected: checked offline.")]
    NoEnvironment,
    /// The account could not be read; what AWS (or the network) said.
    #[error("Could not read the account, checked offline: {0}")]
    Unreadable(#[source] AwsError),
}

impl AccountView {
    pub fn facts(&self) -> Option<&AccountFacts> {
        match self {
            AccountView::Account(facts) => Some(facts),
            AccountView::Offline(_) => None,
        }
    }
}

/// Facts are looked up again at most every `TTL`: the form re-checks the
/// spec on every edit, and most edits do not change what is in the account.
pub struct FactsCache {
    entries: tokio::sync::Mutex<BTreeMap<String, (std::time::Instant, AccountFacts)>>,
}

const TTL: std::time::Duration = std::time::Duration::from_secs(20);

impl Default for FactsCache {
    fn default() -> Self {
        Self {
            entries: tokio::sync::Mutex::new(BTreeMap::new()),
        }
    }
}

impl FactsCache {
    /// The parts of a spec the look-ups depend on.
    fn key(environment: &crate::aws::Environment, spec: &ClusterSpec) -> String {
        format!(
            "{environment:?}|{}|{:?}|{:?}|{:?}|{}",
            spec.id,
            spec.network.vpc,
            spec.iam.cluster_role,
            spec.iam.node_role,
            spec.cluster.kubernetes_version
        )
    }

    /// The account as far as `spec` needs it, in the spec's region of
    /// `environment`; offline (saying why) without an environment or when
    /// the account cannot be read.
    pub async fn view(
        &self,
        sessions: &crate::aws::Sessions,
        environment: Option<&crate::aws::Environment>,
        spec: &ClusterSpec,
    ) -> AccountView {
        let Some(environment) = environment else {
            return AccountView::Offline(Offline::NoEnvironment);
        };
        let env = environment.with_region(&spec.cluster.region);
        match self.gather(sessions, &env, spec).await {
            Ok(facts) => AccountView::Account(facts),
            Err(e) => AccountView::Offline(Offline::Unreadable(e)),
        }
    }

    pub async fn gather(
        &self,
        sessions: &crate::aws::Sessions,
        environment: &crate::aws::Environment,
        spec: &ClusterSpec,
    ) -> Result<AccountFacts, AwsError> {
        let key = Self::key(environment, spec);
        if let Some((at, facts)) = self.entries.lock().await.get(&key) {
            if at.elapsed() < TTL {
                return Ok(facts.clone());
            }
        }
        let facts = sessions
            .with(environment, |s| async move { gather(&s, spec).await })
            .await?;
        let mut entries = self.entries.lock().await;
        entries.retain(|_, (at, _)| at.elapsed() < TTL);
        entries.insert(key, (std::time::Instant::now(), facts.clone()));
        Ok(facts)
    }
}

/// A VPC the user may build the cluster in, with its subnets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VpcInfo {
    pub id: String,
    pub cidr: String,
    /// The `Name` tag.
    pub name: Option<String>,
    pub is_default: bool,
    pub subnets: Vec<super::network::ExistingSubnet>,
}

/// The VPCs of the session's region, for the "existing VPC" picker.
pub async fn vpcs(session: &AwsSession) -> Result<Vec<VpcInfo>, AwsError> {
    let ec2 = session.ec2();
    let out = ec2
        .describe_vpcs()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeVpcs", e))?;
    let subnets = ec2
        .describe_subnets()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    let mut vpcs: Vec<VpcInfo> = out
        .vpcs()
        .iter()
        .map(|v| {
            let id = v.vpc_id().unwrap_or_default().to_string();
            VpcInfo {
                subnets: subnets
                    .subnets()
                    .iter()
                    .filter(|s| s.vpc_id() == Some(id.as_str()))
                    .map(|s| super::network::ExistingSubnet {
                        id: s.subnet_id().unwrap_or_default().to_string(),
                        cidr: s.cidr_block().unwrap_or_default().to_string(),
                        availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                    })
                    .collect(),
                id,
                cidr: v.cidr_block().unwrap_or_default().to_string(),
                name: v
                    .tags()
                    .iter()
                    .find(|t| t.key() == Some("Name"))
                    .and_then(|t| t.value().map(str::to_string)),
                is_default: v.is_default().unwrap_or(false),
            }
        })
        .collect();
    vpcs.sort_by(|a, b| (!a.is_default, &a.id).cmp(&(!b.is_default, &b.id)));
    Ok(vpcs)
}

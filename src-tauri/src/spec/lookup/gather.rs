//! Looks up what validation and the plan need to know of the account:
//! every look-up degrades — an API the endpoint does not offer, or one the
//! identity may not call, is noted, and built-in knowledge stands in.

use super::facts::{AccountFacts, CallerPrincipal};
use super::network_facts::network_facts;
use crate::aws::{clusters, AwsError, AwsSession};
use crate::spec::model::{ClusterSpec, RoleChoice};
use crate::spec::plan::{Found, FoundNodeGroup, OWNER_TAG};

/// True for "this endpoint does not implement that": the emulator answers
/// some operations with InvalidRequest/InvalidAction/NotImplemented.
pub(super) fn unsupported(err: &AwsError) -> bool {
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
    crate::spec::catalog::sort_newest_first(&mut versions);
    facts.kubernetes_versions = versions;
    Ok(())
}

/// The principal of `caller` for access entries: an assumed role's IAM ARN
/// with its path (EKS refuses an IAM Identity Center role ARN without it).
/// When IAM will not say, that is noted, so the form asks for the ARN
/// instead of guessing one EKS would refuse.
async fn caller_principal(session: &AwsSession, caller: &str) -> Result<CallerPrincipal, AwsError> {
    let role = crate::aws::arn::Arn::parse(caller).and_then(|a| a.assumed_role_name());
    match crate::aws::identity::principal_of(session, caller).await {
        Ok(arn) => Ok(CallerPrincipal::Known(arn)),
        Err(e @ AwsError::AccessDenied { .. }) => Ok(CallerPrincipal::Unreadable {
            role: role.unwrap_or_default().to_string(),
            reason: e.to_string(),
        }),
        Err(e) if unsupported(&e) => Ok(CallerPrincipal::Unreadable {
            role: role.unwrap_or_default().to_string(),
            reason: e.to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// The spec's node groups on its cluster, with their status: a node group
/// of this spec that failed is replaced by the next apply.
async fn node_group_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    let cluster = &spec.cluster.name;
    if !facts.existing.clusters.contains_key(cluster) {
        return Ok(());
    }
    let eks = session.eks();
    for group in &spec.node_groups {
        let out = match eks
            .describe_nodegroup()
            .cluster_name(cluster)
            .nodegroup_name(&group.name)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                let err = session.classify("eks:DescribeNodegroup", e);
                if matches!(&err, AwsError::Service { code, .. } if code == "ResourceNotFoundException")
                {
                    continue;
                }
                return Err(err);
            }
        };
        if let Some(g) = out.nodegroup() {
            facts.existing.node_groups.insert(
                group.name.clone(),
                FoundNodeGroup {
                    owner_spec_id: g.tags().and_then(|t| t.get(OWNER_TAG)).cloned(),
                    status: g
                        .status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                },
            );
        }
    }
    Ok(())
}

/// Looks up everything validation and planning want to know. Errors that
/// mean "you cannot use this account" (credentials, access, endpoint) are
/// returned; an operation the endpoint lacks is noted in `unavailable`.
pub async fn gather(session: &AwsSession, spec: &ClusterSpec) -> Result<AccountFacts, AwsError> {
    let caller = crate::aws::identity::caller_identity(session).await?.arn;
    let mut facts = AccountFacts {
        caller_principal: Some(caller_principal(session, &caller).await?),
        caller_arn: Some(caller),
        ..Default::default()
    };
    clusters_facts(session, spec, &mut facts).await?;
    let steps: [(&str, Result<(), AwsError>); 5] = [
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
        (
            "node groups",
            node_group_facts(session, spec, &mut facts).await,
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

//! Addons, access entries and access policy associations of the cluster.
//! They run once the cluster is ACTIVE (coredns also after a node group),
//! as the plan's dependencies say.

use super::engine::{code_of, StepCall};
use super::ensure_cluster::{eks_owner, send_create};
use super::error::ProvisionError;
use super::scheduler::StepDone;
use super::wait_active::{shown, wait_active, Seen};
use crate::spec::model::AccessScope as SpecScope;
use crate::spec::plan::StepTarget;
use aws_sdk_eks::types::{
    AccessEntry, AccessScope, AccessScopeType, Addon, AddonStatus, ResolveConflicts,
};
use std::collections::HashMap;

pub(crate) async fn describe_addon(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<Option<Addon>, ProvisionError> {
    let op = "eks:DescribeAddon";
    let out = call
        .session()
        .eks()
        .describe_addon()
        .cluster_name(cluster)
        .addon_name(name)
        .send()
        .await;
    Ok(call.found(op, out)?.and_then(|out| out.addon().cloned()))
}

fn addon_issues(addon: &Addon) -> String {
    let issues: Vec<String> = addon
        .health()
        .map(|h| h.issues())
        .unwrap_or_default()
        .iter()
        .map(|i| {
            format!(
                "{}: {}",
                i.code().map(|c| c.as_str()).unwrap_or("Issue"),
                i.message().unwrap_or("")
            )
        })
        .collect();
    if issues.is_empty() {
        "no health issues reported".into()
    } else {
        issues.join("; ")
    }
}

async fn wait_addon_active(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<(), ProvisionError> {
    let what = format!("Addon {name}");
    wait_active(
        call,
        "eks:DescribeAddon",
        &what,
        "addon",
        call.env.config.addon_timeout,
        || async {
            Ok(describe_addon(call, cluster, name).await?.map(|addon| {
                match addon.status() {
                    Some(AddonStatus::Active) => Seen::Active,
                    Some(s @ (AddonStatus::CreateFailed | AddonStatus::UpdateFailed)) => {
                        Seen::Broken(format!(
                            "{what} is {}: {}",
                            s.as_str(),
                            addon_issues(&addon)
                        ))
                    }
                    Some(AddonStatus::Deleting) => Seen::Broken(format!("{what} is being deleted")),
                    // DEGRADED can be transient (no node yet); past the
                    // deadline its health issues say why it stayed so.
                    status => {
                        let status = shown(status.map(|s| s.as_str()));
                        Seen::Waiting {
                            at_deadline: format!(" ({status}): {}", addon_issues(&addon)),
                            status,
                        }
                    }
                }
            }))
        },
    )
    .await
}

fn ours_or_conflict(
    call: &StepCall<'_>,
    what: &str,
    tags: Option<&HashMap<String, String>>,
) -> Result<(), ProvisionError> {
    let owner = eks_owner(tags);
    if call.env.is_ours(owner) {
        Ok(())
    } else {
        Err(call.conflict(format!(
            "{}; delete it or remove it from the spec",
            call.env.not_ours(what, owner)
        )))
    }
}

pub(crate) async fn addon(call: &StepCall<'_>, index: usize) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let cluster = &spec.cluster.name;
    let wanted = spec
        .addons
        .get(index)
        .ok_or_else(|| call.internal("addon index out of range"))?;
    let name = &wanted.name;
    let what = format!("Addon {name} of cluster {cluster}");
    let version = (!wanted.version.is_empty()).then_some(wanted.version.as_str());

    if let Some(existing) = describe_addon(call, cluster, name).await? {
        ours_or_conflict(call, &what, existing.tags())?;
        let arn = existing.addon_arn().unwrap_or_default().to_string();
        call.handle.record_resource(&arn)?;
        let mut message = "reused (created by this spec)".to_string();
        if let Some(v) = version.filter(|v| existing.addon_version() != Some(*v)) {
            let op = "eks:UpdateAddon";
            call.session()
                .eks()
                .update_addon()
                .cluster_name(cluster)
                .addon_name(name)
                .addon_version(v)
                .resolve_conflicts(ResolveConflicts::Overwrite)
                .send()
                .await
                .map_err(|e| call.aws(op, call.classify(op, e)))?;
            message = format!(
                "updated from {} to {v}",
                existing.addon_version().unwrap_or("?")
            );
        }
        wait_addon_active(call, cluster, name).await?;
        return Ok(StepDone::new(Some(arn), message));
    }

    let token = &call.handle.token()?;
    let tags: &HashMap<String, String> = &call.env.tags().into_iter().collect();
    let op = "eks:CreateAddon";
    let eks = &call.session().eks();
    let sent = send_create(call, move || async move {
        eks.create_addon()
            .cluster_name(cluster)
            .addon_name(name)
            .set_addon_version(version.map(str::to_string))
            // EKS installs vpc-cni, kube-proxy and coredns itself when the
            // cluster is made; taking them over must overwrite its settings.
            .resolve_conflicts(ResolveConflicts::Overwrite)
            .set_tags(Some(tags.clone()))
            .client_request_token(token)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    let arn = match sent {
        Ok(out) => out
            .addon()
            .and_then(|a| a.addon_arn())
            .unwrap_or_default()
            .to_string(),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            let existing = describe_addon(call, cluster, name)
                .await?
                .ok_or_else(|| call.aws(op, err.clone()))?;
            ours_or_conflict(call, &what, existing.tags())?;
            existing.addon_arn().unwrap_or_default().to_string()
        }
        Err(err) => return Err(call.aws(op, err)),
    };
    call.handle.record_resource(&arn)?;
    wait_addon_active(call, cluster, name).await?;
    Ok(StepDone::new(
        Some(arn),
        format!("created {}", version.unwrap_or("(default version)")),
    ))
}

/// The principal of `access.entries[index]`: its ARN, or the caller's.
pub(crate) async fn principal_of_entry(
    call: &StepCall<'_>,
    index: usize,
) -> Result<String, ProvisionError> {
    let entry = call
        .spec()
        .access
        .entries
        .get(index)
        .ok_or_else(|| call.internal("access entry index out of range"))?;
    if !entry.principal_arn.is_empty() {
        return Ok(entry.principal_arn.clone());
    }
    call.env
        .caller_arn()
        .await
        .map_err(|e| call.aws("sts:GetCallerIdentity", e))
}

pub(crate) async fn describe_access_entry(
    call: &StepCall<'_>,
    cluster: &str,
    principal: &str,
) -> Result<Option<AccessEntry>, ProvisionError> {
    let op = "eks:DescribeAccessEntry";
    let out = call
        .session()
        .eks()
        .describe_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal)
        .send()
        .await;
    Ok(call
        .found(op, out)?
        .and_then(|out| out.access_entry().cloned()))
}

/// An existing entry is reused when it is this spec's, or when it is the
/// one EKS made for the cluster's creator (this spec made the cluster, so
/// the creator is the caller).
async fn reuse_entry(
    call: &StepCall<'_>,
    cluster: &str,
    principal: &str,
    entry: &AccessEntry,
) -> Result<StepDone, ProvisionError> {
    let owner = eks_owner(entry.tags());
    if call.env.is_ours(owner) {
        return Ok(StepDone::new(
            Some(principal.to_string()),
            "reused (created by this spec)",
        ));
    }
    let caller = call
        .env
        .caller_arn()
        .await
        .map_err(|e| call.aws("sts:GetCallerIdentity", e))?;
    if owner.is_none() && caller == principal {
        return Ok(StepDone::new(
            Some(principal.to_string()),
            "reused the entry EKS made for the cluster's creator",
        ));
    }
    Err(call.conflict(format!(
        "{}; delete it or remove it from the spec",
        call.env.not_ours(
            &format!("Access entry for {principal} on cluster {cluster}"),
            owner
        )
    )))
}

pub(crate) async fn access_entry(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let principal = &principal_of_entry(call, index).await?;
    if let Some(existing) = describe_access_entry(call, cluster, principal).await? {
        return reuse_entry(call, cluster, principal, &existing).await;
    }
    let token = &call.handle.token()?;
    let tags: &HashMap<String, String> = &call.env.tags().into_iter().collect();
    let op = "eks:CreateAccessEntry";
    let eks = &call.session().eks();
    let sent = send_create(call, move || async move {
        eks.create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal)
            .r#type("STANDARD")
            .set_tags(Some(tags.clone()))
            .client_request_token(token)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    match sent {
        Ok(_) => Ok(StepDone::new(Some(principal.clone()), "created")),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            let existing = describe_access_entry(call, cluster, principal)
                .await?
                .ok_or_else(|| call.aws(op, err.clone()))?;
            reuse_entry(call, cluster, principal, &existing).await
        }
        Err(err) => Err(call.aws(op, err)),
    }
}

/// `arn:<partition>:eks::aws:cluster-access-policy/<name>`, with the
/// partition of the cluster's ARN.
pub(crate) fn access_policy_arn(cluster_arn: &str, policy: &str) -> String {
    let partition = cluster_arn.split(':').nth(1).filter(|p| !p.is_empty());
    format!(
        "arn:{}:eks::aws:cluster-access-policy/{policy}",
        partition.unwrap_or("aws")
    )
}

pub(crate) async fn access_policy(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let cluster = &spec.cluster.name;
    let entry = spec
        .access
        .entries
        .get(index)
        .ok_or_else(|| call.internal("access entry index out of range"))?;
    let principal = principal_of_entry(call, index).await?;
    let cluster_arn = call.output_of(&StepTarget::Cluster)?;
    let policy_arn = access_policy_arn(&cluster_arn, &entry.policy);
    let (scope_type, namespaces) = match &entry.scope {
        SpecScope::Cluster => (AccessScopeType::Cluster, Vec::new()),
        SpecScope::Namespace { namespaces } => (AccessScopeType::Namespace, namespaces.clone()),
    };

    let op = "eks:ListAssociatedAccessPolicies";
    let eks = call.session().eks();
    let listed = eks
        .list_associated_access_policies()
        .cluster_name(cluster)
        .principal_arn(&principal)
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    let same = listed.associated_access_policies().iter().any(|p| {
        let scope = p.access_scope();
        let mut theirs: Vec<String> = scope.map(|s| s.namespaces().to_vec()).unwrap_or_default();
        let mut ours = namespaces.clone();
        theirs.sort();
        ours.sort();
        p.policy_arn() == Some(policy_arn.as_str())
            && scope.and_then(|s| s.r#type()) == Some(&scope_type)
            && theirs == ours
    });
    if same {
        return Ok(StepDone::new(Some(policy_arn), "already associated"));
    }
    let op = "eks:AssociateAccessPolicy";
    eks.associate_access_policy()
        .cluster_name(cluster)
        .principal_arn(&principal)
        .policy_arn(&policy_arn)
        .access_scope(
            AccessScope::builder()
                .r#type(scope_type)
                .set_namespaces((!namespaces.is_empty()).then_some(namespaces))
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    Ok(StepDone::new(
        Some(policy_arn),
        format!("associated with {principal}"),
    ))
}

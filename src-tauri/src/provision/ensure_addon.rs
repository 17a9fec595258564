//! Addons of the cluster: created (or taken over from what EKS installed)
//! with the spec's version once the cluster is ACTIVE (coredns also after a
//! node group, as the plan's dependencies say), updated when the version
//! changed, and waited for until ACTIVE.

use super::eks_lookup::describe_addon;
use super::error::ProvisionError;
use super::health::describe_issues;
use super::ownership::{created_or_ours, eks_owner, ours_or_conflict, Tagged};
use super::scheduler::StepDone;
use super::step_call::{send_create, StepCall};
use super::waits::{shown, wait_active, Seen};
use aws_sdk_eks::types::{Addon, AddonStatus, ResolveConflicts};
use std::collections::HashMap;

fn addon_issues(addon: &Addon) -> String {
    describe_issues(addon.health().map(|h| h.issues()).unwrap_or_default())
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
        call.config().addon_timeout,
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
        ours_or_conflict(
            call,
            &what,
            eks_owner(existing.tags()),
            "delete it or remove it from the spec",
        )?;
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
                .map_err(|e| call.sdk(op, e))?;
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
    let arn = created_or_ours(
        call,
        op,
        &what,
        "delete it or remove it from the spec",
        sent,
        |out| {
            out.addon()
                .and_then(|a| a.addon_arn())
                .unwrap_or_default()
                .to_string()
        },
        || async {
            Ok(describe_addon(call, cluster, name).await?.map(|a| Tagged {
                owner: eks_owner(a.tags()).map(str::to_string),
                id: a.addon_arn().unwrap_or_default().to_string(),
            }))
        },
    )
    .await?;
    call.handle.record_resource(&arn)?;
    wait_addon_active(call, cluster, name).await?;
    Ok(StepDone::new(
        Some(arn),
        format!("created {}", version.unwrap_or("(default version)")),
    ))
}

//! Destroy of the EKS side: access policies and entries, addons, node
//! groups (waiting until gone) and the cluster (which may still be
//! CREATING). Nothing on a cluster that is not this spec's is touched.

use super::destroy::{delete_retrying, left_alone, wait_gone, NOT_FOUND};
use super::engine::StepCall;
use super::ensure_access::{
    access_policy_arn, describe_access_entry, describe_addon, principal_of_entry,
};
use super::ensure_cluster::{describe_cluster, describe_node_group, eks_owner};
use super::error::ProvisionError;
use super::scheduler::StepDone;
use aws_sdk_eks::types::Cluster;

/// The cluster when it exists and is this spec's; otherwise why the step
/// has nothing to do.
async fn our_cluster(call: &StepCall<'_>) -> Result<Result<Cluster, StepDone>, ProvisionError> {
    let name = &call.spec().cluster.name;
    let Some(cluster) = describe_cluster(call, name).await? else {
        return Ok(Err(StepDone::new(
            None,
            "cluster not found: nothing to delete",
        )));
    };
    let owner = eks_owner(cluster.tags());
    if !call.env.is_ours(owner) {
        return Ok(Err(StepDone::new(
            None,
            left_alone(&format!("Cluster {name}"), owner),
        )));
    }
    Ok(Ok(cluster))
}

pub(crate) async fn access_policy(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let cluster = match our_cluster(call).await? {
        Ok(c) => c,
        Err(done) => return Ok(done),
    };
    let name = &call.spec().cluster.name;
    let entry = call
        .spec()
        .access
        .entries
        .get(index)
        .ok_or_else(|| call.internal("access entry index out of range"))?;
    let principal = &principal_of_entry(call, index).await?;
    let Some(found) = describe_access_entry(call, name, principal).await? else {
        return Ok(StepDone::new(None, NOT_FOUND));
    };
    let owner = eks_owner(found.tags());
    if !call.env.is_ours(owner) {
        // The entry EKS made for the creator: it goes with the cluster.
        return Ok(StepDone::new(
            None,
            left_alone(&format!("Access entry for {principal}"), owner),
        ));
    }
    let policy_arn = &access_policy_arn(cluster.arn().unwrap_or_default(), &entry.policy);
    let op = "eks:DisassociateAccessPolicy";
    let eks = &call.session().eks();
    let done = delete_retrying(call, op, &[], move || async move {
        eks.disassociate_access_policy()
            .cluster_name(name)
            .principal_arn(principal)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    Ok(if done {
        StepDone::new(Some(policy_arn.clone()), "disassociated")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

pub(crate) async fn access_entry(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let name = &call.spec().cluster.name;
    let principal = &principal_of_entry(call, index).await?;
    let Some(found) = describe_access_entry(call, name, principal).await? else {
        return Ok(StepDone::new(None, NOT_FOUND));
    };
    let owner = eks_owner(found.tags());
    if !call.env.is_ours(owner) {
        return Ok(StepDone::new(
            None,
            left_alone(&format!("Access entry for {principal}"), owner),
        ));
    }
    let op = "eks:DeleteAccessEntry";
    let eks = &call.session().eks();
    let done = delete_retrying(call, op, &[], move || async move {
        eks.delete_access_entry()
            .cluster_name(name)
            .principal_arn(principal)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    Ok(if done {
        StepDone::new(Some(principal.clone()), "deleted")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

async fn delete_addon(call: &StepCall<'_>, addon: &str) -> Result<bool, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let op = "eks:DeleteAddon";
    let eks = &call.session().eks();
    let deleted = delete_retrying(call, op, &["ResourceInUseException"], move || async move {
        eks.delete_addon()
            .cluster_name(cluster)
            .addon_name(addon)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    wait_gone(
        call,
        &format!("addon {addon}"),
        "eks:DescribeAddon",
        move || async move {
            Ok(describe_addon(call, cluster, addon).await?.map(|a| {
                a.status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default()
            }))
        },
    )
    .await?;
    Ok(deleted)
}

pub(crate) async fn addon(call: &StepCall<'_>, index: usize) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let cluster = &call.spec().cluster.name;
    let name = &call
        .spec()
        .addons
        .get(index)
        .ok_or_else(|| call.internal("addon index out of range"))?
        .name;
    let Some(found) = describe_addon(call, cluster, name).await? else {
        return Ok(StepDone::new(None, NOT_FOUND));
    };
    let owner = eks_owner(found.tags());
    if !call.env.is_ours(owner) {
        return Ok(StepDone::new(
            None,
            left_alone(&format!("Addon {name}"), owner),
        ));
    }
    Ok(if delete_addon(call, name).await? {
        StepDone::new(found.addon_arn().map(str::to_string), "deleted")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

/// Deletes a node group (retrying while it is still being created or
/// updated) and waits until it is gone.
async fn delete_node_group(call: &StepCall<'_>, group: &str) -> Result<bool, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let op = "eks:DeleteNodegroup";
    let eks = &call.session().eks();
    let deleted = delete_retrying(call, op, &["ResourceInUseException"], move || async move {
        eks.delete_nodegroup()
            .cluster_name(cluster)
            .nodegroup_name(group)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    wait_gone(
        call,
        &format!("node group {group}"),
        "eks:DescribeNodegroup",
        move || async move {
            Ok(describe_node_group(call, cluster, group).await?.map(|g| {
                g.status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default()
            }))
        },
    )
    .await?;
    Ok(deleted)
}

pub(crate) async fn node_group(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let cluster = &call.spec().cluster.name;
    let name = &call
        .spec()
        .node_groups
        .get(index)
        .ok_or_else(|| call.internal("node group index out of range"))?
        .name;
    let Some(found) = describe_node_group(call, cluster, name).await? else {
        return Ok(StepDone::new(None, NOT_FOUND));
    };
    let owner = eks_owner(found.tags());
    if !call.env.is_ours(owner) {
        return Ok(StepDone::new(
            None,
            left_alone(&format!("Node group {name}"), owner),
        ));
    }
    Ok(if delete_node_group(call, name).await? {
        StepDone::new(found.nodegroup_arn().map(str::to_string), "deleted")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

/// Node groups and addons of this spec that the current spec no longer
/// lists (an earlier version made them); a node group someone else added
/// stops the destroy, since EKS would refuse to delete the cluster.
async fn sweep_leftovers(call: &StepCall<'_>) -> Result<(), ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let eks = call.session().eks();
    let op = "eks:ListNodegroups";
    let groups = eks
        .list_nodegroups()
        .cluster_name(cluster)
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    let mut theirs = Vec::new();
    for group in groups.nodegroups() {
        let Some(found) = describe_node_group(call, cluster, group).await? else {
            continue;
        };
        if call.env.is_ours(eks_owner(found.tags())) {
            delete_node_group(call, group).await?;
        } else {
            theirs.push(group.clone());
        }
    }
    if !theirs.is_empty() {
        return Err(call.failed(
            "eks:DeleteCluster",
            format!(
                "Cluster {cluster} has node groups EKS Desk did not create ({}); delete them first, then destroy again",
                theirs.join(", ")
            ),
        ));
    }
    let op = "eks:ListAddons";
    let addons = eks
        .list_addons()
        .cluster_name(cluster)
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    for addon in addons.addons() {
        let ours = describe_addon(call, cluster, addon)
            .await?
            .is_some_and(|a| call.env.is_ours(eks_owner(a.tags())));
        if ours {
            delete_addon(call, addon).await?;
        }
    }
    Ok(())
}

pub(crate) async fn cluster(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let found = match our_cluster(call).await? {
        Ok(c) => c,
        Err(done) => return Ok(done),
    };
    let name = &call.spec().cluster.name;
    sweep_leftovers(call).await?;
    let op = "eks:DeleteCluster";
    let eks = &call.session().eks();
    // A cluster still CREATING (or with a node group going away) may be
    // refused as "in use" for a while; retried until the delete timeout.
    let deleted = delete_retrying(call, op, &["ResourceInUseException"], move || async move {
        eks.delete_cluster()
            .name(name)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    wait_gone(
        call,
        &format!("cluster {name}"),
        "eks:DescribeCluster",
        move || async move {
            Ok(describe_cluster(call, name).await?.map(|c| {
                c.status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default()
            }))
        },
    )
    .await?;
    Ok(if deleted {
        StepDone::new(found.arn().map(str::to_string), "deleted")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

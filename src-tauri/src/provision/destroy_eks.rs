//! Destroy of the EKS side: access policies and entries, addons, node
//! groups (waiting until gone) and the cluster (which may still be
//! CREATING). Nothing on a cluster that is not this spec's is touched.

use super::eks_lookup::{
    describe_access_entry, describe_addon, describe_cluster, describe_node_group,
};
use super::ensure_access::{policy_arn_of, principal_of_entry};
use super::error::ProvisionError;
use super::ownership::{eks_owner, left_alone};
use super::removal::{remove_owned, Removal, Removed};
use super::scheduler::StepDone;
use super::step_call::StepCall;
use super::waits::shown;
use aws_sdk_eks::types::{AccessEntry, Addon, Cluster, Nodegroup};

/// Whether the spec's cluster exists and is this spec's: the steps on the
/// cluster have nothing to do otherwise.
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

fn entry_owner(e: &AccessEntry) -> Option<&str> {
    eks_owner(e.tags())
}

pub(crate) async fn access_policy(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let name = &call.spec().cluster.name;
    let entry = call.item(&call.spec().access.entries, index, "access entry")?;
    let principal = &principal_of_entry(call, index).await?;
    let policy_arn = &policy_arn_of(call, &entry.policy);
    // The association goes with its entry: it is ours when the entry is.
    // The entry EKS made for the creator is not, and goes with the cluster.
    let removal = Removal {
        what: format!("Access entry for {principal}"),
        describe_operation: "eks:DescribeAccessEntry",
        delete_operation: "eks:DisassociateAccessPolicy",
        busy_codes: &[],
        busy_timeout: call.config().delete_timeout,
        owner: entry_owner,
        resource_id: |_| None,
        status: None,
    };
    let eks = &call.session().eks();
    let removed = remove_owned(
        call,
        &removal,
        || describe_access_entry(call, name, principal),
        move |_| async move {
            eks.disassociate_access_policy()
                .cluster_name(name)
                .principal_arn(principal)
                .policy_arn(policy_arn)
                .send()
                .await
                .map_err(|e| call.classify("eks:DisassociateAccessPolicy", e))
        },
    )
    .await?;
    Ok(match removed {
        Removed::Deleted(_) => StepDone::new(Some(policy_arn.clone()), "disassociated"),
        other => other.into_done(),
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
    let removal = Removal {
        what: format!("Access entry for {principal}"),
        describe_operation: "eks:DescribeAccessEntry",
        delete_operation: "eks:DeleteAccessEntry",
        busy_codes: &[],
        busy_timeout: call.config().delete_timeout,
        owner: entry_owner,
        resource_id: |e| e.principal_arn().map(str::to_string),
        status: None,
    };
    let eks = &call.session().eks();
    Ok(remove_owned(
        call,
        &removal,
        || describe_access_entry(call, name, principal),
        move |_| async move {
            eks.delete_access_entry()
                .cluster_name(name)
                .principal_arn(principal)
                .send()
                .await
                .map_err(|e| call.classify("eks:DeleteAccessEntry", e))
        },
    )
    .await?
    .into_done())
}

/// Deletes the addon `name` of the spec's cluster when it is this spec's,
/// and waits until it is gone.
async fn remove_addon(call: &StepCall<'_>, name: &str) -> Result<Removed, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let removal = Removal {
        what: format!("Addon {name}"),
        describe_operation: "eks:DescribeAddon",
        delete_operation: "eks:DeleteAddon",
        busy_codes: &["ResourceInUseException"],
        busy_timeout: call.config().delete_timeout,
        owner: |a: &Addon| eks_owner(a.tags()),
        resource_id: |a| a.addon_arn().map(str::to_string),
        status: Some(|a| shown(a.status().map(|s| s.as_str()))),
    };
    let eks = &call.session().eks();
    remove_owned(
        call,
        &removal,
        || describe_addon(call, cluster, name),
        move |_| async move {
            eks.delete_addon()
                .cluster_name(cluster)
                .addon_name(name)
                .send()
                .await
                .map_err(|e| call.classify("eks:DeleteAddon", e))
        },
    )
    .await
}

/// Deletes the node group `name` (again while it is still being created or
/// updated) when it is this spec's, and waits until it is gone.
pub(crate) async fn remove_node_group(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Removed, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let removal = Removal {
        what: format!("Node group {name}"),
        describe_operation: "eks:DescribeNodegroup",
        delete_operation: "eks:DeleteNodegroup",
        busy_codes: &["ResourceInUseException"],
        busy_timeout: call.config().delete_timeout,
        owner: |g: &Nodegroup| eks_owner(g.tags()),
        resource_id: |g| g.nodegroup_arn().map(str::to_string),
        status: Some(|g| shown(g.status().map(|s| s.as_str()))),
    };
    let eks = &call.session().eks();
    remove_owned(
        call,
        &removal,
        || describe_node_group(call, cluster, name),
        move |_| async move {
            eks.delete_nodegroup()
                .cluster_name(cluster)
                .nodegroup_name(name)
                .send()
                .await
                .map_err(|e| call.classify("eks:DeleteNodegroup", e))
        },
    )
    .await
}

pub(crate) async fn addon(call: &StepCall<'_>, index: usize) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let name = &call.item(&call.spec().addons, index, "addon")?.name;
    Ok(remove_addon(call, name).await?.into_done())
}

pub(crate) async fn node_group(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    let name = &call
        .item(&call.spec().node_groups, index, "node group")?
        .name;
    Ok(remove_node_group(call, name).await?.into_done())
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
        .map_err(|e| call.sdk(op, e))?;
    let mut theirs = Vec::new();
    for group in groups.nodegroups() {
        if let Removed::LeftAlone(_) = remove_node_group(call, group).await? {
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
        .map_err(|e| call.sdk(op, e))?;
    // Addons someone else added go with the cluster.
    for addon in addons.addons() {
        remove_addon(call, addon).await?;
    }
    Ok(())
}

pub(crate) async fn cluster(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    if let Err(done) = our_cluster(call).await? {
        return Ok(done);
    }
    sweep_leftovers(call).await?;
    let name = &call.spec().cluster.name;
    let removal = Removal {
        what: format!("Cluster {name}"),
        describe_operation: "eks:DescribeCluster",
        delete_operation: "eks:DeleteCluster",
        // A cluster still CREATING (or with a node group going away) may be
        // refused as "in use" for a while.
        busy_codes: &["ResourceInUseException"],
        busy_timeout: call.config().delete_timeout,
        owner: |c: &Cluster| eks_owner(c.tags()),
        resource_id: |c| c.arn().map(str::to_string),
        status: Some(|c| shown(c.status().map(|s| s.as_str()))),
    };
    let eks = &call.session().eks();
    Ok(remove_owned(
        call,
        &removal,
        || describe_cluster(call, name),
        move |_| async move {
            eks.delete_cluster()
                .name(name)
                .send()
                .await
                .map_err(|e| call.classify("eks:DeleteCluster", e))
        },
    )
    .await?
    .into_done())
}

//! Managed node groups: found by name, created with the step's client
//! request token in the spec's (or the picked) subnets, then polled until
//! ACTIVE; a node group that fails shows EKS's health issues verbatim.

use super::destroy_eks::remove_node_group;
use super::eks_lookup::describe_node_group;
use super::error::ProvisionError;
use super::health::describe_issues;
use super::ownership::{created_or_ours, eks_owner, ours_or_conflict, Tagged};
use super::scheduler::StepDone;
use super::step_call::{send_create, AwsId, StepCall};
use super::waits::{shown, wait_active, Seen};
use crate::spec::model::{self, NodeSubnets};
use crate::spec::plan::{RoleUse, StepTarget};
use aws_sdk_eks::types::{
    AmiTypes, CapacityTypes, Nodegroup, NodegroupScalingConfig, NodegroupStatus, Taint, TaintEffect,
};
use std::collections::HashMap;

/// `health.issues` of a node group, as AWS words them.
pub(crate) fn node_group_issues(group: &Nodegroup) -> String {
    describe_issues(group.health().map(|h| h.issues()).unwrap_or_default())
}

async fn wait_node_group_active(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<(), ProvisionError> {
    let what = format!("Node group {name}");
    wait_active(
        call,
        "eks:DescribeNodegroup",
        &what,
        "node group",
        call.config().nodegroup_timeout,
        || async {
            Ok(describe_node_group(call, cluster, name)
                .await?
                .map(|group| match group.status() {
                    Some(NodegroupStatus::Active) => Seen::Active,
                    Some(s @ (NodegroupStatus::CreateFailed | NodegroupStatus::Degraded)) => {
                        Seen::Broken(format!(
                            "{what} is {}: {}",
                            s.as_str(),
                            node_group_issues(&group)
                        ))
                    }
                    Some(NodegroupStatus::Deleting) => {
                        Seen::Broken(format!("{what} is being deleted"))
                    }
                    status => Seen::Waiting {
                        status: shown(status.map(|s| s.as_str())),
                        at_deadline: "; resume to keep waiting".into(),
                    },
                }))
        },
    )
    .await
}

/// The subnet ids of a node group: every node subnet when it names none;
/// otherwise each entry is an id, or the CIDR of one of the spec's subnets.
fn node_group_subnets(
    call: &StepCall<'_>,
    group: &model::NodeGroupSpec,
) -> Result<Vec<AwsId>, ProvisionError> {
    let network = &call.spec().network;
    let node_count = match &network.node_subnets {
        NodeSubnets::Create(s) => s.len(),
        NodeSubnets::Existing(ids) => ids.len(),
    };
    if group.subnets.is_empty() {
        return (0..node_count)
            .map(|i| call.output_of(&StepTarget::NodeSubnet(i)))
            .collect();
    }
    group
        .subnets
        .iter()
        .map(|wanted| {
            if wanted.starts_with("subnet-") {
                return Ok(wanted.clone());
            }
            if let NodeSubnets::Create(subnets) = &network.node_subnets {
                if let Some(i) = subnets.iter().position(|s| &s.cidr == wanted) {
                    return call.output_of(&StepTarget::NodeSubnet(i));
                }
            }
            if let Some(i) = network
                .control_plane_subnets
                .iter()
                .position(|s| &s.cidr == wanted)
            {
                return call.output_of(&StepTarget::ControlPlaneSubnet(i));
            }
            Err(call.failed(
                "eks:CreateNodegroup",
                format!(
                    "Node group {}: subnet {wanted} is not one of the spec's subnets",
                    group.name
                ),
            ))
        })
        .collect()
}

pub(crate) async fn node_group(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let cluster = &spec.cluster.name;
    let group = spec
        .node_groups
        .get(index)
        .ok_or_else(|| call.internal("node group index out of range"))?;
    let name = &group.name;
    let what = format!("Node group {name} of cluster {cluster}");
    let mut replaced = false;
    if let Some(existing) = describe_node_group(call, cluster, name).await? {
        ours_or_conflict(call, &what, eks_owner(existing.tags()), "")?;
        if existing.status() == Some(&NodegroupStatus::CreateFailed) {
            // It will never turn ACTIVE: deleted, then made again below
            // with a new client request token.
            call.handle.progress(format!(
                "{what} is CREATE_FAILED ({}); deleting it to make it again",
                node_group_issues(&existing)
            ));
            remove_node_group(call, name).await?;
            replaced = true;
        } else {
            let arn = existing.nodegroup_arn().unwrap_or_default().to_string();
            call.handle.record_resource(&arn)?;
            wait_node_group_active(call, cluster, name).await?;
            return Ok(StepDone::new(Some(arn), "reused (created by this spec)"));
        }
    }

    let subnets = &node_group_subnets(call, group)?;
    let node_role = &call.output_of(&StepTarget::Role(RoleUse::Node))?;
    let token = &if replaced {
        call.handle.fresh_token()?
    } else {
        call.handle.token()?
    };
    let tags: &HashMap<String, String> = &call.env.tags().into_iter().collect();
    let taints: &Vec<Taint> = &group
        .taints
        .iter()
        .map(|t| {
            Taint::builder()
                .key(&t.key)
                .value(&t.value)
                .effect(match t.effect {
                    model::TaintEffect::NoSchedule => TaintEffect::NoSchedule,
                    model::TaintEffect::NoExecute => TaintEffect::NoExecute,
                    model::TaintEffect::PreferNoSchedule => TaintEffect::PreferNoSchedule,
                })
                .build()
        })
        .collect();
    let capacity = match group.capacity_type {
        model::CapacityType::OnDemand => CapacityTypes::OnDemand,
        model::CapacityType::Spot => CapacityTypes::Spot,
    };
    let capacity = &capacity;
    // Validation keeps these far below i32::MAX; never wrap if it did not.
    let count = |n: u32| {
        i32::try_from(n)
            .map_err(|_| call.internal(format!("node group size {n} does not fit the API")))
    };
    let (min, desired, max, disk) = (
        count(group.min_size)?,
        count(group.desired_size)?,
        count(group.max_size)?,
        count(group.disk_size_gib)?,
    );
    let op = "eks:CreateNodegroup";
    let eks = &call.session().eks();
    let sent = send_create(call, move || async move {
        eks.create_nodegroup()
            .cluster_name(cluster)
            .nodegroup_name(name)
            .scaling_config(
                NodegroupScalingConfig::builder()
                    .min_size(min)
                    .desired_size(desired)
                    .max_size(max)
                    .build(),
            )
            .set_subnets(Some(subnets.clone()))
            .set_instance_types(Some(group.instance_types.clone()))
            .ami_type(AmiTypes::from(group.ami_type.as_str()))
            .capacity_type(capacity.clone())
            .disk_size(disk)
            .set_labels(Some(group.labels.clone().into_iter().collect()))
            .set_taints(Some(taints.clone()))
            .node_role(node_role)
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
        "",
        sent,
        |out| {
            out.nodegroup()
                .and_then(|g| g.nodegroup_arn())
                .unwrap_or_default()
                .to_string()
        },
        || async {
            Ok(describe_node_group(call, cluster, name)
                .await?
                .map(|g| Tagged {
                    owner: eks_owner(g.tags()).map(str::to_string),
                    id: g.nodegroup_arn().unwrap_or_default().to_string(),
                }))
        },
    )
    .await?;
    call.handle.record_resource(&arn)?;
    wait_node_group_active(call, cluster, name).await?;
    Ok(StepDone::new(
        Some(arn),
        if replaced {
            "replaced the CREATE_FAILED node group"
        } else {
            "created"
        },
    ))
}

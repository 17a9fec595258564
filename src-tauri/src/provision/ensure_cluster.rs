//! The EKS cluster and its managed node groups: found by name, created with
//! the step's client request token, then polled with backoff until ACTIVE.
//! A role that IAM has not propagated yet is waited for, not reported.

use super::engine::{code_of, message_of, Backoff, StepCall};
use super::error::ProvisionError;
use super::scheduler::StepDone;
use super::wait_active::{shown, wait_active, Seen};
use crate::aws::AwsError;
use crate::spec::model::{self, NodeSubnets};
use crate::spec::plan::{RoleUse, StepTarget, OWNER_TAG};
use aws_sdk_eks::types::{
    AmiTypes, AuthenticationMode, CapacityTypes, Cluster, ClusterStatus, CreateAccessConfigRequest,
    Nodegroup, NodegroupScalingConfig, NodegroupStatus, Taint, TaintEffect, VpcConfigRequest,
};
use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

/// The owner tag in an EKS tag map.
pub(crate) fn eks_owner(tags: Option<&HashMap<String, String>>) -> Option<&str> {
    tags.and_then(|t| t.get(OWNER_TAG)).map(String::as_str)
}

pub(crate) fn is_not_found(err: &AwsError) -> bool {
    code_of(err) == Some("ResourceNotFoundException")
}

/// EKS answers a role it cannot assume yet (IAM is eventually consistent)
/// with InvalidParameterException naming the role.
fn is_iam_propagation(err: &AwsError) -> bool {
    code_of(err) == Some("InvalidParameterException")
        && message_of(err).to_ascii_lowercase().contains("role")
}

/// Sends a create, retrying while IAM propagates the role (up to the
/// configured time). Other AWS errors are handed back for the caller to
/// judge (ResourceInUseException means "exists now").
pub(crate) async fn send_create<T, F, Fut>(
    call: &StepCall<'_>,
    mut send: F,
) -> Result<Result<T, AwsError>, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let deadline = Instant::now() + call.env.config.iam_propagation_timeout;
    let mut backoff = Backoff::new(&call.env.config);
    loop {
        match send().await {
            Err(err) if is_iam_propagation(&err) && Instant::now() < deadline => {
                call.handle.progress(format!(
                    "waiting for IAM to propagate the role: {}",
                    message_of(&err)
                ));
                call.handle.sleep(backoff.next_pause()).await?;
            }
            other => return Ok(other),
        }
    }
}

pub(crate) async fn describe_cluster(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Option<Cluster>, ProvisionError> {
    let op = "eks:DescribeCluster";
    Ok(call
        .found(
            op,
            call.session()
                .eks()
                .describe_cluster()
                .name(name)
                .send()
                .await,
        )?
        .and_then(|out| out.cluster().cloned()))
}

fn cluster_issues(cluster: &Cluster) -> String {
    let issues: Vec<String> = cluster
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
    issues.join("; ")
}

async fn wait_cluster_active(call: &StepCall<'_>, name: &str) -> Result<(), ProvisionError> {
    let what = format!("Cluster {name}");
    wait_active(
        call,
        "eks:DescribeCluster",
        &what,
        "cluster",
        call.env.config.cluster_timeout,
        || async {
            Ok(describe_cluster(call, name)
                .await?
                .map(|cluster| match cluster.status() {
                    Some(ClusterStatus::Active) => Seen::Active,
                    Some(ClusterStatus::Failed) => {
                        Seen::Broken(format!("{what} is FAILED: {}", cluster_issues(&cluster)))
                    }
                    Some(ClusterStatus::Deleting) => {
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

/// Reuses an existing cluster if it is this spec's, else a conflict.
fn ours_or_conflict(
    call: &StepCall<'_>,
    what: &str,
    tags: Option<&HashMap<String, String>>,
) -> Result<(), ProvisionError> {
    let owner = eks_owner(tags);
    if call.env.is_ours(owner) {
        Ok(())
    } else {
        Err(call.conflict(call.env.not_ours(what, owner)))
    }
}

pub(crate) async fn cluster(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let name = &spec.cluster.name;
    let what = format!("Cluster {name}");
    if let Some(existing) = describe_cluster(call, name).await? {
        ours_or_conflict(call, &what, existing.tags())?;
        let arn = existing.arn().unwrap_or_default().to_string();
        call.handle.record_resource(&arn)?;
        wait_cluster_active(call, name).await?;
        return Ok(StepDone::new(Some(arn), "reused (created by this spec)"));
    }

    let role_arn = call.output_of(&StepTarget::Role(RoleUse::Cluster))?;
    let subnet_ids = (0..spec.network.control_plane_subnets.len())
        .map(|i| call.output_of(&StepTarget::ControlPlaneSubnet(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let mode = match spec.cluster.authentication_mode {
        model::AuthenticationMode::Api => AuthenticationMode::Api,
        model::AuthenticationMode::ApiAndConfigMap => AuthenticationMode::ApiAndConfigMap,
        model::AuthenticationMode::ConfigMap => AuthenticationMode::ConfigMap,
    };
    let token = call.handle.token()?;
    let op = "eks:CreateCluster";
    let eks = &call.session().eks();
    let (role_arn, subnet_ids, token, mode) = (&role_arn, &subnet_ids, &token, &mode);
    let tags: HashMap<String, String> = call.env.tags().into_iter().collect();
    let tags = &tags;
    let sent = send_create(call, move || async move {
        eks.create_cluster()
            .name(name)
            .version(&spec.cluster.kubernetes_version)
            .role_arn(role_arn)
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .set_subnet_ids(Some(subnet_ids.clone()))
                    .endpoint_public_access(spec.cluster.endpoint_public_access)
                    .endpoint_private_access(spec.cluster.endpoint_private_access)
                    .build(),
            )
            .access_config(
                CreateAccessConfigRequest::builder()
                    .authentication_mode(mode.clone())
                    .bootstrap_cluster_creator_admin_permissions(spec.access.grant_creator_admin)
                    .build(),
            )
            .set_tags(Some(tags.clone()))
            .client_request_token(token)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    let arn = match sent {
        Ok(out) => out
            .cluster()
            .and_then(|c| c.arn())
            .unwrap_or_default()
            .to_string(),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            // Made by an earlier attempt whose answer was lost (an endpoint
            // that ignores the token says "in use"), or by someone else.
            let existing = describe_cluster(call, name)
                .await?
                .ok_or_else(|| call.aws(op, err.clone()))?;
            ours_or_conflict(call, &what, existing.tags())?;
            existing.arn().unwrap_or_default().to_string()
        }
        Err(err) => return Err(call.aws(op, err)),
    };
    call.handle.record_resource(&arn)?;
    wait_cluster_active(call, name).await?;
    Ok(StepDone::new(Some(arn), "created"))
}

pub(crate) async fn describe_node_group(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<Option<Nodegroup>, ProvisionError> {
    let op = "eks:DescribeNodegroup";
    let out = call
        .session()
        .eks()
        .describe_nodegroup()
        .cluster_name(cluster)
        .nodegroup_name(name)
        .send()
        .await;
    Ok(call
        .found(op, out)?
        .and_then(|out| out.nodegroup().cloned()))
}

/// `health.issues` of a node group, as AWS words them.
pub(crate) fn node_group_issues(group: &Nodegroup) -> String {
    let issues: Vec<String> = group
        .health()
        .map(|h| h.issues())
        .unwrap_or_default()
        .iter()
        .map(|i| {
            let ids = if i.resource_ids().is_empty() {
                String::new()
            } else {
                format!(" ({})", i.resource_ids().join(", "))
            };
            format!(
                "{}: {}{ids}",
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
        call.env.config.nodegroup_timeout,
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
) -> Result<Vec<String>, ProvisionError> {
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
    if let Some(existing) = describe_node_group(call, cluster, name).await? {
        ours_or_conflict(call, &what, existing.tags())?;
        let arn = existing.nodegroup_arn().unwrap_or_default().to_string();
        call.handle.record_resource(&arn)?;
        wait_node_group_active(call, cluster, name).await?;
        return Ok(StepDone::new(Some(arn), "reused (created by this spec)"));
    }

    let subnets = &node_group_subnets(call, group)?;
    let node_role = &call.output_of(&StepTarget::Role(RoleUse::Node))?;
    let token = &call.handle.token()?;
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
    let op = "eks:CreateNodegroup";
    let eks = &call.session().eks();
    let sent = send_create(call, move || async move {
        eks.create_nodegroup()
            .cluster_name(cluster)
            .nodegroup_name(name)
            .scaling_config(
                NodegroupScalingConfig::builder()
                    .min_size(group.min_size as i32)
                    .desired_size(group.desired_size as i32)
                    .max_size(group.max_size as i32)
                    .build(),
            )
            .set_subnets(Some(subnets.clone()))
            .set_instance_types(Some(group.instance_types.clone()))
            .ami_type(AmiTypes::from(group.ami_type.as_str()))
            .capacity_type(capacity.clone())
            .disk_size(group.disk_size_gib as i32)
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
    let arn = match sent {
        Ok(out) => out
            .nodegroup()
            .and_then(|g| g.nodegroup_arn())
            .unwrap_or_default()
            .to_string(),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            let existing = describe_node_group(call, cluster, name)
                .await?
                .ok_or_else(|| call.aws(op, err.clone()))?;
            ours_or_conflict(call, &what, existing.tags())?;
            existing.nodegroup_arn().unwrap_or_default().to_string()
        }
        Err(err) => return Err(call.aws(op, err)),
    };
    call.handle.record_resource(&arn)?;
    wait_node_group_active(call, cluster, name).await?;
    Ok(StepDone::new(Some(arn), "created"))
}

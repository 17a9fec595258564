//! The EKS cluster: found by name, created with the step's client request
//! token, then polled with backoff until ACTIVE. A role that IAM has not
//! propagated yet is waited for, not reported.

use super::eks_lookup::describe_cluster;
use super::error::ProvisionError;
use super::health::describe_issues;
use super::ownership::{created_or_ours, eks_owner, ours_or_conflict, Tagged};
use super::scheduler::StepDone;
use super::step_call::{send_create, StepCall};
use super::waits::{shown, wait_active, Seen};
use crate::spec::model;
use crate::spec::plan::{RoleUse, StepTarget};
use aws_sdk_eks::types::{
    AuthenticationMode, ClusterStatus, CreateAccessConfigRequest, VpcConfigRequest,
};
use std::collections::HashMap;

async fn wait_cluster_active(call: &StepCall<'_>, name: &str) -> Result<(), ProvisionError> {
    let what = format!("Cluster {name}");
    wait_active(
        call,
        "eks:DescribeCluster",
        &what,
        "cluster",
        call.config().cluster_timeout,
        || async {
            Ok(describe_cluster(call, name)
                .await?
                .map(|cluster| match cluster.status() {
                    Some(ClusterStatus::Active) => Seen::Active,
                    Some(ClusterStatus::Failed) => {
                        let issues = cluster.health().map(|h| h.issues()).unwrap_or_default();
                        Seen::Broken(format!("{what} is FAILED: {}", describe_issues(issues)))
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

pub(crate) async fn cluster(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let name = &spec.cluster.name;
    let what = format!("Cluster {name}");
    if let Some(existing) = describe_cluster(call, name).await? {
        ours_or_conflict(call, &what, eks_owner(existing.tags()), "")?;
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
    let arn = created_or_ours(
        call,
        op,
        &what,
        "",
        sent,
        |out| {
            out.cluster()
                .and_then(|c| c.arn())
                .unwrap_or_default()
                .to_string()
        },
        || async {
            Ok(describe_cluster(call, name).await?.map(|c| Tagged {
                owner: eks_owner(c.tags()).map(str::to_string),
                id: c.arn().unwrap_or_default().to_string(),
            }))
        },
    )
    .await?;
    call.handle.record_resource(&arn)?;
    wait_cluster_active(call, name).await?;
    Ok(StepDone::new(Some(arn), "created"))
}

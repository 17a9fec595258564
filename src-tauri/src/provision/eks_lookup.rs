//! The EKS objects a step looks at before it acts: found, or absent (EKS's
//! ResourceNotFoundException) — any other failure is the step's error.

use super::error::ProvisionError;
use super::step_call::StepCall;
use aws_sdk_eks::types::{AccessEntry, Addon, Cluster, Nodegroup};

pub(crate) async fn describe_cluster(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Option<Cluster>, ProvisionError> {
    let out = call
        .session()
        .eks()
        .describe_cluster()
        .name(name)
        .send()
        .await;
    Ok(call
        .found("eks:DescribeCluster", out)?
        .and_then(|out| out.cluster().cloned()))
}

pub(crate) async fn describe_node_group(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<Option<Nodegroup>, ProvisionError> {
    let out = call
        .session()
        .eks()
        .describe_nodegroup()
        .cluster_name(cluster)
        .nodegroup_name(name)
        .send()
        .await;
    Ok(call
        .found("eks:DescribeNodegroup", out)?
        .and_then(|out| out.nodegroup().cloned()))
}

pub(crate) async fn describe_addon(
    call: &StepCall<'_>,
    cluster: &str,
    name: &str,
) -> Result<Option<Addon>, ProvisionError> {
    let out = call
        .session()
        .eks()
        .describe_addon()
        .cluster_name(cluster)
        .addon_name(name)
        .send()
        .await;
    Ok(call
        .found("eks:DescribeAddon", out)?
        .and_then(|out| out.addon().cloned()))
}

pub(crate) async fn describe_access_entry(
    call: &StepCall<'_>,
    cluster: &str,
    principal: &str,
) -> Result<Option<AccessEntry>, ProvisionError> {
    let out = call
        .session()
        .eks()
        .describe_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal)
        .send()
        .await;
    Ok(call
        .found("eks:DescribeAccessEntry", out)?
        .and_then(|out| out.access_entry().cloned()))
}

//! Creating EC2 resources exactly once. EC2 has no idempotency token for
//! most creates (VPCs, subnets, gateways, addresses, route tables, security
//! groups), and the emulator ignores the ones it has: each resource is
//! tagged with the spec's owner tag and its step's id in the create call
//! itself, and looked up by those tags before any second attempt.

use super::config::Backoff;
use super::error::ProvisionError;
use super::step_call::{transient, AwsId, StepCall};
use crate::aws::AwsError;
use aws_sdk_ec2::config::retry::RetryConfig;
use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use std::future::Future;

/// The tag naming the plan step that made an EC2 resource.
pub(crate) const STEP_TAG: &str = "eks-desk:step";

/// EC2 filter for what this step made (with the owner tag filter).
pub(crate) fn step_filter(call: &StepCall<'_>) -> Filter {
    Filter::builder()
        .name(format!("tag:{STEP_TAG}"))
        .values(&call.step.id)
        .build()
}

/// Adds `tags` to a resource (idempotent: CreateTags overwrites), for
/// resources made by an older version that lacked them.
pub(crate) async fn ensure_tags(
    call: &StepCall<'_>,
    resource_id: &str,
    tags: &[(&str, &str)],
) -> Result<(), ProvisionError> {
    if tags.is_empty() {
        return Ok(());
    }
    let op = "ec2:CreateTags";
    call.session()
        .ec2()
        .create_tags()
        .resources(resource_id)
        .set_tags(Some(
            tags.iter()
                .map(|(k, v)| Tag::builder().key(*k).value(*v).build())
                .collect(),
        ))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(())
}

/// Attempts of one EC2 create, each followed (on a transient failure) by
/// a look-up for what it may have made.
const CREATE_ATTEMPTS: u32 = 5;

/// EC2 has no idempotency token for CreateVpc and CreateSubnet: a create
/// whose answer was lost, sent again by the SDK's retry, would make a
/// second VPC. So each attempt goes out once (SDK retries off), and before
/// the next one the resource is looked up by its owner tag.
pub(crate) async fn create_exactly_once<C, CF, L, LF>(
    call: &StepCall<'_>,
    operation: &str,
    mut create: C,
    mut lookup: L,
) -> Result<String, ProvisionError>
where
    C: FnMut() -> CF,
    CF: Future<Output = Result<String, AwsError>>,
    L: FnMut() -> LF,
    LF: Future<Output = Result<Option<AwsId>, ProvisionError>>,
{
    let mut backoff = Backoff::new(call.config());
    for attempt in 1.. {
        match create().await {
            Ok(id) => return Ok(id),
            Err(err) if transient(&err) && attempt < CREATE_ATTEMPTS => {
                call.handle.progress(format!(
                    "{operation} attempt {attempt} failed ({err}); looking before trying again"
                ));
                call.handle.sleep(backoff.next_pause()).await?;
                if let Some(id) = lookup().await? {
                    return Ok(id);
                }
            }
            Err(err) => return Err(call.aws(operation, err)),
        }
    }
    unreachable!("the loop returns by the last attempt")
}

pub(crate) fn without_sdk_retries() -> aws_sdk_ec2::config::Builder {
    aws_sdk_ec2::config::Builder::default().retry_config(RetryConfig::disabled())
}

/// The tags of an EC2 resource this step creates: the spec's (with the
/// owner tag), its own Name, the step's id (so that a look-up finds this
/// step's NAT gateway among the spec's others), and `extra` (load-balancer
/// roles of subnets).
pub(crate) fn tag_spec(
    call: &StepCall<'_>,
    kind: ResourceType,
    name: &str,
    extra: &[(&str, &str)],
) -> TagSpecification {
    let mut tags = call.env.tags();
    // Each resource gets its own Name, even when the cluster's tags have one.
    tags.insert("Name".to_string(), name.to_string());
    tags.insert(STEP_TAG.to_string(), call.step.id.clone());
    for (k, v) in extra {
        tags.insert(k.to_string(), v.to_string());
    }
    TagSpecification::builder()
        .resource_type(kind)
        .set_tags(Some(
            tags.into_iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .build()
}

//! VPC and subnets: found by the owner tag (a VPC) or by VPC + CIDR (a
//! subnet), created with the owner tag in the same call, so that a create
//! whose answer was lost is found again by the next look-up.

use super::config::Backoff;
use super::error::ProvisionError;
use super::ownership::{ec2_owner, not_ours, owner_filter};
use super::scheduler::StepDone;
use super::step_call::{transient, AwsId, StepCall};
use crate::aws::AwsError;
use crate::spec::model::{NodeSubnets, VpcChoice};
use crate::spec::plan::StepTarget;
use aws_sdk_ec2::config::retry::RetryConfig;
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Tag, TagSpecification};
use std::future::Future;

/// Attempts of one EC2 create, each followed (on a transient failure) by
/// a look-up for what it may have made.
const CREATE_ATTEMPTS: u32 = 5;

/// EC2 has no idempotency token for CreateVpc and CreateSubnet: a create
/// whose answer was lost, sent again by the SDK's retry, would make a
/// second VPC. So each attempt goes out once (SDK retries off), and before
/// the next one the resource is looked up by its owner tag.
async fn create_exactly_once<C, CF, L, LF>(
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

fn without_sdk_retries() -> aws_sdk_ec2::config::Builder {
    aws_sdk_ec2::config::Builder::default().retry_config(RetryConfig::disabled())
}

fn tag_spec(call: &StepCall<'_>, kind: ResourceType, name: &str) -> TagSpecification {
    let mut tags = call.env.tags();
    // Each resource gets its own Name, even when the cluster's tags have one.
    tags.insert("Name".to_string(), name.to_string());
    TagSpecification::builder()
        .resource_type(kind)
        .set_tags(Some(
            tags.into_iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .build()
}

async fn enable_dns(call: &StepCall<'_>, vpc_id: &str) -> Result<(), ProvisionError> {
    let ec2 = call.session().ec2();
    // One attribute per call, as EC2 requires; both are needed for the
    // cluster endpoint's private DNS and for nodes to register.
    for hostnames in [false, true] {
        let on = AttributeBooleanValue::builder().value(true).build();
        let request = ec2.modify_vpc_attribute().vpc_id(vpc_id);
        let request = if hostnames {
            request.enable_dns_hostnames(on)
        } else {
            request.enable_dns_support(on)
        };
        request
            .send()
            .await
            .map_err(|e| call.sdk("ec2:ModifyVpcAttribute", e))?;
    }
    Ok(())
}

/// The VPC with this spec's owner tag: the one the journal knows, else
/// the lowest id (there is one unless something went wrong before).
async fn our_vpc(call: &StepCall<'_>) -> Result<Option<aws_sdk_ec2::types::Vpc>, ProvisionError> {
    let op = "ec2:DescribeVpcs";
    let found = call
        .session()
        .ec2()
        .describe_vpcs()
        .filters(owner_filter(&call.spec().id))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    let recorded = call.handle.recorded_resource();
    let mut ours: Vec<_> = found.vpcs().to_vec();
    ours.sort_by_key(|v| {
        (
            v.vpc_id() != recorded.as_deref(),
            v.vpc_id().map(str::to_string),
        )
    });
    Ok(ours.into_iter().next())
}

pub(crate) async fn vpc(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let ec2 = call.session().ec2();
    let op = "ec2:DescribeVpcs";
    let cidr = match &call.spec().network.vpc {
        VpcChoice::Existing { vpc_id, .. } => {
            let found = call.found(op, ec2.describe_vpcs().vpc_ids(vpc_id).send().await)?;
            if found.is_none_or(|out| out.vpcs().is_empty()) {
                return Err(call.failed(
                    op,
                    format!("The picked VPC {vpc_id} does not exist in this account and region."),
                ));
            }
            return Ok(StepDone::new(
                Some(vpc_id.clone()),
                "picked existing VPC; never modified",
            ));
        }
        VpcChoice::Create { cidr } => cidr,
    };

    if let Some(existing) = our_vpc(call).await? {
        let id = existing.vpc_id().unwrap_or_default().to_string();
        if existing.cidr_block() != Some(cidr.as_str()) {
            return Err(call.conflict(format!(
                "VPC {id} of this spec has CIDR {}, but the spec now says {cidr}; destroy it first or change the spec back",
                existing.cidr_block().unwrap_or("?")
            )));
        }
        enable_dns(call, &id).await?;
        return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
    }

    let name = format!("{}-vpc", call.spec().cluster.name);
    let op = "ec2:CreateVpc";
    let tags = &tag_spec(call, ResourceType::Vpc, &name);
    let ec2 = &ec2;
    let id = create_exactly_once(
        call,
        op,
        move || async move {
            let out = ec2
                .create_vpc()
                .cidr_block(cidr)
                .tag_specifications(tags.clone())
                .customize()
                .config_override(without_sdk_retries())
                .send()
                .await
                .map_err(|e| call.classify(op, e))?;
            Ok(out
                .vpc()
                .and_then(|v| v.vpc_id())
                .unwrap_or_default()
                .to_string())
        },
        move || async move {
            Ok(our_vpc(call)
                .await?
                .and_then(|v| v.vpc_id().map(str::to_string)))
        },
    )
    .await?;
    call.handle.record_resource(&id)?;
    enable_dns(call, &id).await?;
    Ok(StepDone::new(Some(id), format!("created {cidr}")))
}

async fn find_subnet(
    call: &StepCall<'_>,
    vpc_id: &str,
    cidr: &str,
) -> Result<Option<aws_sdk_ec2::types::Subnet>, ProvisionError> {
    let op = "ec2:DescribeSubnets";
    let found = call
        .session()
        .ec2()
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .filters(Filter::builder().name("cidr-block").values(cidr).build())
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(found
        .subnets()
        .iter()
        .find(|s| s.cidr_block() == Some(cidr))
        .cloned())
}

pub(crate) async fn subnet(
    call: &StepCall<'_>,
    for_nodes: bool,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let ec2 = call.session().ec2();
    let op = "ec2:DescribeSubnets";
    let network = &call.spec().network;
    let wanted = if for_nodes {
        match &network.node_subnets {
            NodeSubnets::Existing(ids) => {
                let id = ids
                    .get(index)
                    .ok_or_else(|| call.internal("node subnet index out of range"))?;
                let found = call.found(op, ec2.describe_subnets().subnet_ids(id).send().await)?;
                if found.is_none_or(|out| out.subnets().is_empty()) {
                    return Err(call.failed(op, format!("The picked subnet {id} does not exist.")));
                }
                return Ok(StepDone::new(
                    Some(id.clone()),
                    "picked existing subnet; never modified",
                ));
            }
            NodeSubnets::Create(subnets) => subnets.get(index),
        }
    } else {
        network.control_plane_subnets.get(index)
    }
    .ok_or_else(|| call.internal("subnet index out of range"))?;

    let vpc_id = call.output_of(&StepTarget::Vpc)?;
    if let Some(existing) = find_subnet(call, &vpc_id, &wanted.cidr).await? {
        let id = existing.subnet_id().unwrap_or_default().to_string();
        let what = format!("Subnet {} ({id}) in {vpc_id}", wanted.cidr);
        let tag_owner = ec2_owner(existing.tags());
        if !call.env.is_ours(tag_owner) {
            return Err(call.conflict(not_ours(&what, tag_owner)));
        }
        if existing.availability_zone() != Some(wanted.availability_zone.as_str()) {
            return Err(call.conflict(format!(
                "{what} of this spec is in {}, but the spec now says {}; destroy it first or change the spec back",
                existing.availability_zone().unwrap_or("?"),
                wanted.availability_zone
            )));
        }
        return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
    }

    let purpose = if for_nodes { "nodes" } else { "control-plane" };
    let name = format!(
        "{}-{purpose}-{}",
        call.spec().cluster.name,
        wanted.availability_zone
    );
    let op = "ec2:CreateSubnet";
    let tags = &tag_spec(call, ResourceType::Subnet, &name);
    let (ec2, vpc_id) = (&ec2, &vpc_id);
    let id = create_exactly_once(
        call,
        op,
        move || async move {
            let out = ec2
                .create_subnet()
                .vpc_id(vpc_id)
                .cidr_block(&wanted.cidr)
                .availability_zone(&wanted.availability_zone)
                .tag_specifications(tags.clone())
                .customize()
                .config_override(without_sdk_retries())
                .send()
                .await
                .map_err(|e| call.classify(op, e))?;
            Ok(out
                .subnet()
                .and_then(|s| s.subnet_id())
                .unwrap_or_default()
                .to_string())
        },
        move || async move {
            let found = find_subnet(call, vpc_id, &wanted.cidr).await?;
            Ok(found
                .filter(|s| call.env.is_ours(ec2_owner(s.tags())))
                .and_then(|s| s.subnet_id().map(str::to_string)))
        },
    )
    .await?;
    Ok(StepDone::new(
        Some(id),
        format!("created {} in {}", wanted.cidr, wanted.availability_zone),
    ))
}

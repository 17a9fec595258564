//! VPC and subnets: found by the owner tag (a VPC) or by VPC + CIDR (a
//! subnet), created with the owner tag in the same call, so that a create
//! whose answer was lost is found again by the next look-up.

use super::ec2_create::{create_exactly_once, ensure_tags, tag_spec, without_sdk_retries};
use super::error::ProvisionError;
use super::ownership::{ec2_owner, not_ours, owner_filter};
use super::scheduler::StepDone;
use super::step_call::StepCall;
use crate::spec::model::{NodeSubnets, VpcChoice};
use crate::spec::plan::{StepTarget, INTERNAL_ELB_TAG, PUBLIC_ELB_TAG};
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType};

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
    let tags = &tag_spec(call, ResourceType::Vpc, &name, &[]);
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

/// What a subnet of the plan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SubnetUse {
    ControlPlane,
    Nodes,
    Public,
}

impl SubnetUse {
    fn word(self) -> &'static str {
        match self {
            SubnetUse::ControlPlane => "control-plane",
            SubnetUse::Nodes => "nodes",
            SubnetUse::Public => "public",
        }
    }

    /// Load balancers find their subnets by these tags.
    fn tags(self) -> &'static [(&'static str, &'static str)] {
        match self {
            SubnetUse::ControlPlane => &[],
            SubnetUse::Nodes => &[INTERNAL_ELB_TAG],
            SubnetUse::Public => &[PUBLIC_ELB_TAG],
        }
    }
}

pub(crate) async fn subnet(
    call: &StepCall<'_>,
    purpose: SubnetUse,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let ec2 = call.session().ec2();
    let op = "ec2:DescribeSubnets";
    let network = &call.spec().network;
    let wanted = match (purpose, &network.node_subnets) {
        (SubnetUse::Nodes, NodeSubnets::Existing(ids)) => {
            let id = call.item(ids, index, "node subnet")?;
            let found = call.found(op, ec2.describe_subnets().subnet_ids(id).send().await)?;
            if found.is_none_or(|out| out.subnets().is_empty()) {
                return Err(call.failed(op, format!("The picked subnet {id} does not exist.")));
            }
            return Ok(StepDone::new(
                Some(id.clone()),
                "picked existing subnet; never modified",
            ));
        }
        (SubnetUse::Nodes, NodeSubnets::Create(subnets)) => {
            call.item(subnets, index, "node subnet")?
        }
        (SubnetUse::ControlPlane, _) => call.item(
            &network.control_plane_subnets,
            index,
            "control-plane subnet",
        )?,
        (SubnetUse::Public, _) => call.item(&network.public_subnets, index, "public subnet")?,
    };

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
        // Made by a version of the app that did not tag for load balancers.
        ensure_tags(call, &id, purpose.tags()).await?;
        return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
    }

    let name = format!(
        "{}-{}-{}",
        call.spec().cluster.name,
        purpose.word(),
        wanted.availability_zone
    );
    let op = "ec2:CreateSubnet";
    let tags = &tag_spec(call, ResourceType::Subnet, &name, purpose.tags());
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

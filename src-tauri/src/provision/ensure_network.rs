//! VPC and subnets: found by the owner tag (a VPC) or by VPC + CIDR (a
//! subnet), created with the owner tag in the same call, so that a create
//! whose answer was lost is found again by the next look-up.

use super::engine::{code_of, StepCall};
use super::error::ProvisionError;
use super::scheduler::StepDone;
use crate::spec::model::{NodeSubnets, VpcChoice};
use crate::spec::plan::{StepTarget, OWNER_TAG};
use aws_sdk_ec2::types::{AttributeBooleanValue, Filter, ResourceType, Tag, TagSpecification};

fn owner(tags: &[Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key() == Some(OWNER_TAG))
        .and_then(|t| t.value())
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
        request.send().await.map_err(|e| {
            call.aws(
                "ec2:ModifyVpcAttribute",
                call.classify("ec2:ModifyVpcAttribute", e),
            )
        })?;
    }
    Ok(())
}

pub(crate) async fn vpc(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let ec2 = call.session().ec2();
    let op = "ec2:DescribeVpcs";
    let cidr = match &call.spec().network.vpc {
        VpcChoice::Existing { vpc_id, .. } => {
            ec2.describe_vpcs()
                .vpc_ids(vpc_id)
                .send()
                .await
                .map_err(|e| {
                    let err = call.classify(op, e);
                    if code_of(&err).is_some_and(|c| c.ends_with("NotFound")) {
                        call.failed(op, format!("The picked VPC {vpc_id} does not exist in this account and region."))
                    } else {
                        call.aws(op, err)
                    }
                })?;
            return Ok(StepDone::new(
                Some(vpc_id.clone()),
                "picked existing VPC; never modified",
            ));
        }
        VpcChoice::Create { cidr } => cidr,
    };

    let found = ec2
        .describe_vpcs()
        .filters(
            Filter::builder()
                .name(format!("tag:{OWNER_TAG}"))
                .values(&call.spec().id)
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    let mut ours: Vec<_> = found.vpcs().iter().collect();
    // Prefer the VPC the journal knows; else the oldest id, deterministically.
    let recorded = call.handle.recorded_resource();
    ours.sort_by_key(|v| {
        (
            v.vpc_id() != recorded.as_deref(),
            v.vpc_id().map(str::to_string),
        )
    });
    if let Some(existing) = ours.first() {
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
    let created = ec2
        .create_vpc()
        .cidr_block(cidr)
        .tag_specifications(tag_spec(call, ResourceType::Vpc, &name))
        .send()
        .await
        .map_err(|e| call.aws("ec2:CreateVpc", call.classify("ec2:CreateVpc", e)))?;
    let id = created
        .vpc()
        .and_then(|v| v.vpc_id())
        .ok_or_else(|| call.internal("CreateVpc answered without a VPC id"))?
        .to_string();
    call.handle.record_resource(&id)?;
    enable_dns(call, &id).await?;
    Ok(StepDone::new(Some(id), format!("created {cidr}")))
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
                ec2.describe_subnets()
                    .subnet_ids(id)
                    .send()
                    .await
                    .map_err(|e| {
                        let err = call.classify(op, e);
                        if code_of(&err).is_some_and(|c| c.ends_with("NotFound")) {
                            call.failed(op, format!("The picked subnet {id} does not exist."))
                        } else {
                            call.aws(op, err)
                        }
                    })?;
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
    let found = ec2
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
        .filters(
            Filter::builder()
                .name("cidr-block")
                .values(&wanted.cidr)
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    if let Some(existing) = found
        .subnets()
        .iter()
        .find(|s| s.cidr_block() == Some(wanted.cidr.as_str()))
    {
        let id = existing.subnet_id().unwrap_or_default().to_string();
        let what = format!("Subnet {} ({id}) in {vpc_id}", wanted.cidr);
        let tag_owner = owner(existing.tags());
        if !call.env.is_ours(tag_owner) {
            return Err(call.conflict(call.env.not_ours(&what, tag_owner)));
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
    let created = ec2
        .create_subnet()
        .vpc_id(&vpc_id)
        .cidr_block(&wanted.cidr)
        .availability_zone(&wanted.availability_zone)
        .tag_specifications(tag_spec(call, ResourceType::Subnet, &name))
        .send()
        .await
        .map_err(|e| call.aws("ec2:CreateSubnet", call.classify("ec2:CreateSubnet", e)))?;
    let id = created
        .subnet()
        .and_then(|s| s.subnet_id())
        .ok_or_else(|| call.internal("CreateSubnet answered without a subnet id"))?
        .to_string();
    Ok(StepDone::new(
        Some(id),
        format!("created {} in {}", wanted.cidr, wanted.availability_zone),
    ))
}

//! Destroy of the network: the spec's subnets and its VPC, found by the
//! owner tag. A picked VPC or subnet is never touched; a VPC that holds
//! subnets someone else made stops the destroy with their ids.

use super::ensure_network::SubnetUse;
use super::error::ProvisionError;
use super::ownership::{ec2_owner, owner_filter};
use super::removal::{remove_owned, Removal, Removed, PICKED};
use super::scheduler::StepDone;
use super::step_call::StepCall;
use crate::spec::model::{NodeSubnets, VpcChoice};
use aws_sdk_ec2::types::{Filter, Subnet, Vpc};

/// ENIs of a just-deleted cluster or node can hold a subnet or VPC for
/// minutes: EC2 answers DependencyViolation until they are released.
const BUSY: &[&str] = &["DependencyViolation"];

fn subnet_removal<'a>(call: &StepCall<'_>, what: String) -> Removal<'a, Subnet> {
    Removal {
        what,
        describe_operation: "ec2:DescribeSubnets",
        delete_operation: "ec2:DeleteSubnet",
        busy_codes: BUSY,
        busy_timeout: call.config().delete_timeout,
        owner: |s| ec2_owner(s.tags()),
        resource_id: |s| s.subnet_id().map(str::to_string),
        status: None,
    }
}

/// Deletes `subnet` (found by the caller, and this spec's).
async fn delete_subnet(call: &StepCall<'_>, subnet: Subnet) -> Result<Removed, ProvisionError> {
    let what = format!("Subnet {}", subnet.cidr_block().unwrap_or("?"));
    let ec2 = &call.session().ec2();
    let found = &subnet;
    remove_owned(
        call,
        &subnet_removal(call, what),
        move || async move { Ok(Some(found.clone())) },
        move |s: &Subnet| {
            let id = s.subnet_id().unwrap_or_default().to_string();
            async move {
                ec2.delete_subnet()
                    .subnet_id(id)
                    .send()
                    .await
                    .map_err(|e| call.classify("ec2:DeleteSubnet", e))
            }
        },
    )
    .await
}

async fn our_subnets(call: &StepCall<'_>, filter: Filter) -> Result<Vec<Subnet>, ProvisionError> {
    let op = "ec2:DescribeSubnets";
    let out = call
        .session()
        .ec2()
        .describe_subnets()
        .filters(owner_filter(&call.spec().id))
        .filters(filter)
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out.subnets().to_vec())
}

pub(crate) async fn subnet(
    call: &StepCall<'_>,
    purpose: SubnetUse,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let network = &call.spec().network;
    let cidr = match (purpose, &network.node_subnets) {
        (SubnetUse::Nodes, NodeSubnets::Existing(_)) => return Ok(StepDone::new(None, PICKED)),
        (SubnetUse::Nodes, NodeSubnets::Create(subnets)) => {
            &call.item(subnets, index, "node subnet")?.cidr
        }
        (SubnetUse::ControlPlane, _) => {
            &call
                .item(
                    &network.control_plane_subnets,
                    index,
                    "control-plane subnet",
                )?
                .cidr
        }
        (SubnetUse::Public, _) => {
            &call
                .item(&network.public_subnets, index, "public subnet")?
                .cidr
        }
    };
    let by_cidr = Filter::builder().name("cidr-block").values(cidr).build();
    let mut deleted = Vec::new();
    for s in our_subnets(call, by_cidr).await? {
        if let Removed::Deleted(Some(id)) = delete_subnet(call, s).await? {
            deleted.push(id);
        }
    }
    Ok(match deleted.as_slice() {
        [] => Removed::NotFound.into_done(),
        ids => StepDone::new(Some(ids.join(",")), format!("deleted {cidr}")),
    })
}

/// Subnets of `vpc_id` that are not this spec's would make the VPC's
/// delete fail after a long wait: said at once, with their ids.
async fn refuse_foreign_subnets(call: &StepCall<'_>, vpc_id: &str) -> Result<(), ProvisionError> {
    let op = "ec2:DescribeSubnets";
    let all = call
        .session()
        .ec2()
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    let theirs: Vec<&str> = all
        .subnets()
        .iter()
        .filter(|s| !call.env.is_ours(ec2_owner(s.tags())))
        .filter_map(|s| s.subnet_id())
        .collect();
    if theirs.is_empty() {
        return Ok(());
    }
    Err(call.failed(
        "ec2:DeleteVpc",
        format!(
            "VPC {vpc_id} has subnets EKS Desk did not create ({}); delete them first, then destroy again",
            theirs.join(", ")
        ),
    ))
}

pub(crate) async fn vpc(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    if let VpcChoice::Existing { .. } = call.spec().network.vpc {
        return Ok(StepDone::new(None, PICKED));
    }
    let ec2 = &call.session().ec2();
    let op = "ec2:DescribeVpcs";
    let found = ec2
        .describe_vpcs()
        .filters(owner_filter(&call.spec().id))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    let mut deleted = Vec::new();
    for v in found.vpcs() {
        let vpc_id = v.vpc_id().unwrap_or_default();
        if call.env.is_ours(ec2_owner(v.tags())) {
            refuse_foreign_subnets(call, vpc_id).await?;
            // Subnets of this spec that an older version of it made.
            let in_vpc = Filter::builder().name("vpc-id").values(vpc_id).build();
            for s in our_subnets(call, in_vpc).await? {
                delete_subnet(call, s).await?;
            }
        }
        let removal = Removal {
            what: format!("VPC {vpc_id}"),
            describe_operation: "ec2:DescribeVpcs",
            delete_operation: "ec2:DeleteVpc",
            busy_codes: BUSY,
            busy_timeout: call.config().delete_timeout,
            owner: |v: &Vpc| ec2_owner(v.tags()),
            resource_id: |v| v.vpc_id().map(str::to_string),
            status: None,
        };
        let removed = remove_owned(
            call,
            &removal,
            move || async move { Ok(Some(v.clone())) },
            move |v: &Vpc| {
                let id = v.vpc_id().unwrap_or_default().to_string();
                async move {
                    ec2.delete_vpc()
                        .vpc_id(id)
                        .send()
                        .await
                        .map_err(|e| call.classify("ec2:DeleteVpc", e))
                }
            },
        )
        .await?;
        if let Removed::Deleted(Some(id)) = removed {
            deleted.push(id);
        }
    }
    Ok(match deleted.as_slice() {
        [] => Removed::NotFound.into_done(),
        ids => StepDone::new(Some(ids.join(",")), "deleted"),
    })
}

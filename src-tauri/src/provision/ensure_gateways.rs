//! The way out of the VPC through NAT: the internet gateway (attached to
//! the VPC), an elastic IP per NAT gateway, and the NAT gateways in the
//! public subnets, waited for until available. Each is found by its owner
//! and step tags before it is made.

use super::ec2_create::{create_exactly_once, step_filter, tag_spec, without_sdk_retries};
use super::error::ProvisionError;
use super::ownership::owner_filter;
use super::scheduler::StepDone;
use super::step_call::{code_of, AwsId, StepCall};
use super::waits::{shown, wait_active, Seen};
use crate::spec::plan::StepTarget;
use aws_sdk_ec2::types::{DomainType, InternetGateway, NatGateway, NatGatewayState, ResourceType};

fn name(call: &StepCall<'_>, what: &str) -> String {
    format!("{}-{what}", call.spec().cluster.name)
}

/// This step's internet gateway, if it exists.
async fn find_igw(call: &StepCall<'_>) -> Result<Option<InternetGateway>, ProvisionError> {
    let op = "ec2:DescribeInternetGateways";
    let out = call
        .session()
        .ec2()
        .describe_internet_gateways()
        .filters(owner_filter(&call.spec().id))
        .filters(step_filter(call))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out.internet_gateways().first().cloned())
}

pub(crate) async fn internet_gateway(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let vpc_id = &call.output_of(&StepTarget::Vpc)?;
    let ec2 = &call.session().ec2();
    let (id, made) = match find_igw(call).await? {
        Some(igw) => {
            let attached = igw
                .attachments()
                .iter()
                .any(|a| a.vpc_id() == Some(vpc_id.as_str()));
            let id = igw.internet_gateway_id().unwrap_or_default().to_string();
            if attached {
                return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
            }
            (id, "reused, attached to the VPC")
        }
        None => {
            let op = "ec2:CreateInternetGateway";
            let tags = &tag_spec(call, ResourceType::InternetGateway, &name(call, "igw"), &[]);
            let id = create_exactly_once(
                call,
                op,
                move || async move {
                    let out = ec2
                        .create_internet_gateway()
                        .tag_specifications(tags.clone())
                        .customize()
                        .config_override(without_sdk_retries())
                        .send()
                        .await
                        .map_err(|e| call.classify(op, e))?;
                    Ok(out
                        .internet_gateway()
                        .and_then(|g| g.internet_gateway_id())
                        .unwrap_or_default()
                        .to_string())
                },
                move || async move {
                    Ok(find_igw(call)
                        .await?
                        .and_then(|g| g.internet_gateway_id().map(str::to_string)))
                },
            )
            .await?;
            (id, "created and attached to the VPC")
        }
    };
    call.handle.record_resource(&id)?;
    let op = "ec2:AttachInternetGateway";
    match ec2
        .attach_internet_gateway()
        .internet_gateway_id(&id)
        .vpc_id(vpc_id)
        .send()
        .await
    {
        Ok(_) => {}
        // Attached by an attempt whose answer was lost.
        Err(e) => {
            let err = call.classify(op, e);
            if code_of(&err) != Some("Resource.AlreadyAssociated") {
                return Err(call.aws(op, err));
            }
        }
    }
    Ok(StepDone::new(Some(id), made))
}

/// This step's elastic IP: (allocation id, public IP).
async fn find_address(call: &StepCall<'_>) -> Result<Option<(AwsId, String)>, ProvisionError> {
    let op = "ec2:DescribeAddresses";
    let out = call
        .session()
        .ec2()
        .describe_addresses()
        .filters(owner_filter(&call.spec().id))
        .filters(step_filter(call))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out.addresses().first().map(|a| {
        (
            a.allocation_id().unwrap_or_default().to_string(),
            a.public_ip().unwrap_or_default().to_string(),
        )
    }))
}

pub(crate) async fn elastic_ip(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    if let Some((id, ip)) = find_address(call).await? {
        return Ok(StepDone::new(
            Some(id),
            format!("reused {ip} (created by this spec)"),
        ));
    }
    let op = "ec2:AllocateAddress";
    let zone = &call
        .item(&call.spec().network.public_subnets, index, "public subnet")?
        .availability_zone;
    let tags = &tag_spec(
        call,
        ResourceType::ElasticIp,
        &name(call, &format!("nat-{zone}")),
        &[],
    );
    let ec2 = &call.session().ec2();
    let id = create_exactly_once(
        call,
        op,
        move || async move {
            let out = ec2
                .allocate_address()
                .domain(DomainType::Vpc)
                .tag_specifications(tags.clone())
                .customize()
                .config_override(without_sdk_retries())
                .send()
                .await
                .map_err(|e| call.classify(op, e))?;
            Ok(out.allocation_id().unwrap_or_default().to_string())
        },
        move || async move { Ok(find_address(call).await?.map(|(id, _)| id)) },
    )
    .await?;
    Ok(StepDone::new(Some(id), "allocated"))
}

/// This step's NAT gateway, unless it is deleted (a failed one is kept:
/// its failure is the step's message).
async fn find_nat(call: &StepCall<'_>) -> Result<Option<NatGateway>, ProvisionError> {
    let op = "ec2:DescribeNatGateways";
    let out = call
        .session()
        .ec2()
        .describe_nat_gateways()
        .filter(owner_filter(&call.spec().id))
        .filter(step_filter(call))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out
        .nat_gateways()
        .iter()
        .find(|n| {
            !matches!(
                n.state(),
                Some(NatGatewayState::Deleted | NatGatewayState::Deleting)
            )
        })
        .cloned())
}

async fn wait_nat_available(call: &StepCall<'_>, what: &str) -> Result<(), ProvisionError> {
    wait_active(
        call,
        "ec2:DescribeNatGateways",
        what,
        "NAT gateway",
        call.config().nodegroup_timeout,
        || async {
            Ok(find_nat(call).await?.map(|nat| match nat.state() {
                Some(NatGatewayState::Available) => Seen::Active,
                Some(NatGatewayState::Failed) => Seen::Broken(format!(
                    "{what} failed: {}: {}",
                    nat.failure_code().unwrap_or("Failure"),
                    nat.failure_message().unwrap_or("")
                )),
                state => Seen::Waiting {
                    status: shown(state.map(|s| s.as_str())),
                    at_deadline: "; resume to keep waiting".into(),
                },
            }))
        },
    )
    .await
}

pub(crate) async fn nat_gateway(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let zone = &call
        .item(&call.spec().network.public_subnets, index, "public subnet")?
        .availability_zone;
    let what = format!("NAT gateway in {zone}");
    if let Some(nat) = find_nat(call).await? {
        let id = nat.nat_gateway_id().unwrap_or_default().to_string();
        call.handle.record_resource(&id)?;
        wait_nat_available(call, &what).await?;
        return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
    }
    let subnet = &call.output_of(&StepTarget::PublicSubnet(index))?;
    let allocation = &call.output_of(&StepTarget::ElasticIp(index))?;
    let token = &call.handle.token()?;
    let tags = &tag_spec(
        call,
        ResourceType::Natgateway,
        &name(call, &format!("nat-{zone}")),
        &[],
    );
    let op = "ec2:CreateNatGateway";
    let ec2 = &call.session().ec2();
    let id = create_exactly_once(
        call,
        op,
        move || async move {
            let out = ec2
                .create_nat_gateway()
                .subnet_id(subnet)
                .allocation_id(allocation)
                .client_token(token)
                .tag_specifications(tags.clone())
                .customize()
                .config_override(without_sdk_retries())
                .send()
                .await
                .map_err(|e| call.classify(op, e))?;
            Ok(out
                .nat_gateway()
                .and_then(|n| n.nat_gateway_id())
                .unwrap_or_default()
                .to_string())
        },
        move || async move {
            Ok(find_nat(call)
                .await?
                .and_then(|n| n.nat_gateway_id().map(str::to_string)))
        },
    )
    .await?;
    call.handle.record_resource(&id)?;
    wait_nat_available(call, &what).await?;
    Ok(StepDone::new(Some(id), format!("created in {zone}")))
}

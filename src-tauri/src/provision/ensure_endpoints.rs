//! The private-endpoints way out: a security group letting the VPC reach
//! the interface endpoints on 443, the interface endpoints (ECR api and
//! dkr, STS, EC2, Elastic Load Balancing) in the node subnets with private
//! DNS, and the S3 gateway endpoint on the private route table.

use super::ec2_create::{create_exactly_once, step_filter, tag_spec, without_sdk_retries};
use super::error::ProvisionError;
use super::ownership::{ec2_owner, not_ours, owner_filter};
use super::scheduler::StepDone;
use super::step_call::{code_of, AwsId, StepCall};
use super::waits::{shown, wait_active, Seen};
use crate::spec::model::{NodeSubnets, VpcChoice};
use crate::spec::plan::{EndpointService, StepTarget};
use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, ResourceType, SecurityGroup, State, VpcEndpoint, VpcEndpointType,
};

async fn find_group(
    call: &StepCall<'_>,
    filter: Filter,
) -> Result<Option<SecurityGroup>, ProvisionError> {
    let op = "ec2:DescribeSecurityGroups";
    let out = call
        .session()
        .ec2()
        .describe_security_groups()
        .filters(filter)
        .filters(
            Filter::builder()
                .name("vpc-id")
                .values(call.output_of(&StepTarget::Vpc)?)
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out.security_groups().first().cloned())
}

fn vpc_cidr<'a>(call: &'a StepCall<'_>) -> &'a str {
    match &call.spec().network.vpc {
        VpcChoice::Create { cidr } | VpcChoice::Existing { cidr, .. } => cidr,
    }
}

pub(crate) async fn security_group(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let vpc_id = &call.output_of(&StepTarget::Vpc)?;
    let name = &format!("{}-endpoints", call.spec().cluster.name);
    let ec2 = &call.session().ec2();
    let (id, made) = match find_group(call, step_filter(call)).await? {
        Some(group) => (
            group.group_id().unwrap_or_default().to_string(),
            "reused (created by this spec)",
        ),
        None => {
            let op = "ec2:CreateSecurityGroup";
            let tags = &tag_spec(call, ResourceType::SecurityGroup, name, &[]);
            let created = create_exactly_once(
                call,
                op,
                move || async move {
                    let out = ec2
                        .create_security_group()
                        .group_name(name)
                        .description("EKS Desk: HTTPS from the VPC to its interface endpoints")
                        .vpc_id(vpc_id)
                        .tag_specifications(tags.clone())
                        .customize()
                        .config_override(without_sdk_retries())
                        .send()
                        .await
                        .map_err(|e| call.classify(op, e))?;
                    Ok(out.group_id().unwrap_or_default().to_string())
                },
                move || async move {
                    Ok(find_group(call, step_filter(call))
                        .await?
                        .and_then(|g| g.group_id().map(str::to_string)))
                },
            )
            .await;
            match created {
                Ok(id) => (id, "created"),
                // Its name is taken in this VPC: by this spec (an older
                // version's tags) or by someone else.
                Err(ProvisionError::Aws { source, .. })
                    if code_of(&source) == Some("InvalidGroup.Duplicate") =>
                {
                    let by_name = Filter::builder().name("group-name").values(name).build();
                    let group = find_group(call, by_name)
                        .await?
                        .ok_or_else(|| call.aws(op, *source.clone()))?;
                    let owner = ec2_owner(group.tags());
                    if !call.env.is_ours(owner) {
                        return Err(
                            call.conflict(not_ours(&format!("Security group {name}"), owner))
                        );
                    }
                    (
                        group.group_id().unwrap_or_default().to_string(),
                        "reused (created by this spec)",
                    )
                }
                Err(e) => return Err(e),
            }
        }
    };
    call.handle.record_resource(&id)?;
    let op = "ec2:AuthorizeSecurityGroupIngress";
    let https = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .ip_ranges(
            IpRange::builder()
                .cidr_ip(vpc_cidr(call))
                .description("the VPC, to its interface endpoints")
                .build(),
        )
        .build();
    if let Err(e) = ec2
        .authorize_security_group_ingress()
        .group_id(&id)
        .ip_permissions(https)
        .send()
        .await
    {
        let err = call.classify(op, e);
        if code_of(&err) != Some("InvalidPermission.Duplicate") {
            return Err(call.aws(op, err));
        }
    }
    Ok(StepDone::new(Some(id), made))
}

async fn find_endpoint(call: &StepCall<'_>) -> Result<Option<VpcEndpoint>, ProvisionError> {
    let op = "ec2:DescribeVpcEndpoints";
    let out = call
        .session()
        .ec2()
        .describe_vpc_endpoints()
        .filters(owner_filter(&call.spec().id))
        .filters(step_filter(call))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out
        .vpc_endpoints()
        .iter()
        .find(|e| !matches!(e.state(), Some(State::Deleted | State::Deleting)))
        .cloned())
}

/// The node subnets to put interface endpoints in: one per zone, as AWS
/// allows no more.
fn one_subnet_per_zone(call: &StepCall<'_>) -> Result<Vec<AwsId>, ProvisionError> {
    let NodeSubnets::Create(subnets) = &call.spec().network.node_subnets else {
        return Err(call.internal("private endpoints need subnets the spec creates"));
    };
    let mut zones = std::collections::BTreeSet::new();
    let mut ids = Vec::new();
    for (i, s) in subnets.iter().enumerate() {
        if zones.insert(s.availability_zone.clone()) {
            ids.push(call.output_of(&StepTarget::NodeSubnet(i))?);
        }
    }
    Ok(ids)
}

async fn wait_endpoint_available(call: &StepCall<'_>, what: &str) -> Result<(), ProvisionError> {
    wait_active(
        call,
        "ec2:DescribeVpcEndpoints",
        what,
        "VPC endpoint",
        call.config().addon_timeout,
        || async {
            Ok(find_endpoint(call).await?.map(|e| match e.state() {
                Some(State::Available) => Seen::Active,
                Some(s @ (State::Failed | State::Rejected | State::Expired)) => {
                    Seen::Broken(format!("{what} is {}", s.as_str()))
                }
                state => Seen::Waiting {
                    status: shown(state.map(|s| s.as_str())),
                    at_deadline: "; resume to keep waiting".into(),
                },
            }))
        },
    )
    .await
}

pub(crate) async fn endpoint(
    call: &StepCall<'_>,
    service: EndpointService,
) -> Result<StepDone, ProvisionError> {
    let service_name = &service.service_name(&call.spec().cluster.region);
    let what = format!("VPC endpoint {service_name}");
    if let Some(found) = find_endpoint(call).await? {
        let id = found.vpc_endpoint_id().unwrap_or_default().to_string();
        call.handle.record_resource(&id)?;
        wait_endpoint_available(call, &what).await?;
        return Ok(StepDone::new(Some(id), "reused (created by this spec)"));
    }
    let vpc_id = &call.output_of(&StepTarget::Vpc)?;
    let token = &call.handle.token()?;
    let name = format!("{}-{}", call.spec().cluster.name, service.short_name());
    let tags = &tag_spec(call, ResourceType::VpcEndpoint, &name, &[]);
    let (subnets, groups, tables) = if service.is_interface() {
        (
            one_subnet_per_zone(call)?,
            vec![call.output_of(&StepTarget::EndpointSecurityGroup)?],
            Vec::new(),
        )
    } else {
        (
            Vec::new(),
            Vec::new(),
            vec![call.output_of(&StepTarget::PrivateRouteTable(0))?],
        )
    };
    let (subnets, groups, tables) = (&subnets, &groups, &tables);
    let op = "ec2:CreateVpcEndpoint";
    let ec2 = &call.session().ec2();
    let id = create_exactly_once(
        call,
        op,
        move || async move {
            let request = ec2
                .create_vpc_endpoint()
                .vpc_id(vpc_id)
                .service_name(service_name)
                .client_token(token)
                .tag_specifications(tags.clone());
            let request = if service.is_interface() {
                request
                    .vpc_endpoint_type(VpcEndpointType::Interface)
                    .set_subnet_ids(Some(subnets.clone()))
                    .set_security_group_ids(Some(groups.clone()))
                    .private_dns_enabled(true)
            } else {
                request
                    .vpc_endpoint_type(VpcEndpointType::Gateway)
                    .set_route_table_ids(Some(tables.clone()))
            };
            let out = request
                .customize()
                .config_override(without_sdk_retries())
                .send()
                .await
                .map_err(|e| call.classify(op, e))?;
            Ok(out
                .vpc_endpoint()
                .and_then(|e| e.vpc_endpoint_id())
                .unwrap_or_default()
                .to_string())
        },
        move || async move {
            Ok(find_endpoint(call)
                .await?
                .and_then(|e| e.vpc_endpoint_id().map(str::to_string)))
        },
    )
    .await?;
    call.handle.record_resource(&id)?;
    wait_endpoint_available(call, &what).await?;
    Ok(StepDone::new(Some(id), "created"))
}

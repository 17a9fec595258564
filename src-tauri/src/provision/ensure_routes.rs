//! Route tables: the public one (0.0.0.0/0 → the internet gateway, for the
//! public subnets) and the private ones (0.0.0.0/0 → a NAT gateway, or no
//! route out with private endpoints), each associated with the subnets its
//! plan step depends on.

use super::ec2_create::{create_exactly_once, step_filter, tag_spec, without_sdk_retries};
use super::error::ProvisionError;
use super::ownership::{ec2_owner, not_ours, owner_filter};
use super::scheduler::StepDone;
use super::step_call::{code_of, AwsId, StepCall};
use crate::spec::plan::StepTarget;
use aws_sdk_ec2::types::{Filter, ResourceType, RouteTable};

const ANYWHERE: &str = "0.0.0.0/0";

/// Where the default route goes.
enum Via {
    InternetGateway(AwsId),
    NatGateway(AwsId),
}

async fn find_table(call: &StepCall<'_>) -> Result<Option<RouteTable>, ProvisionError> {
    let op = "ec2:DescribeRouteTables";
    let out = call
        .session()
        .ec2()
        .describe_route_tables()
        .filters(owner_filter(&call.spec().id))
        .filters(step_filter(call))
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(out.route_tables().first().cloned())
}

/// The resource ids of the subnets this step depends on (the ones the
/// table is for).
fn subnets_of_step(call: &StepCall<'_>) -> Vec<AwsId> {
    call.step
        .depends_on
        .iter()
        .filter(|dep| {
            call.env.plan.steps.iter().any(|s| {
                &s.id == *dep
                    && matches!(
                        s.target,
                        StepTarget::ControlPlaneSubnet(_)
                            | StepTarget::NodeSubnet(_)
                            | StepTarget::PublicSubnet(_)
                    )
            })
        })
        .filter_map(|dep| call.handle.dependency(dep).map(str::to_string))
        .collect()
}

pub(crate) async fn public(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let igw = call.output_of(&StepTarget::InternetGateway)?;
    ensure_table(call, "public", Some(Via::InternetGateway(igw))).await
}

pub(crate) async fn private(call: &StepCall<'_>, index: usize) -> Result<StepDone, ProvisionError> {
    let via = match call.output_of(&StepTarget::NatGateway(index)) {
        Ok(nat) => Some(Via::NatGateway(nat)),
        // Private endpoints: no NAT step in the plan, no route out.
        Err(_) if !call.spec().network.egress.has_public_subnets() => None,
        Err(e) => return Err(e),
    };
    ensure_table(call, &format!("private-{index}"), via).await
}

async fn ensure_table(
    call: &StepCall<'_>,
    suffix: &str,
    via: Option<Via>,
) -> Result<StepDone, ProvisionError> {
    let vpc_id = &call.output_of(&StepTarget::Vpc)?;
    let ec2 = &call.session().ec2();
    let table = match find_table(call).await? {
        Some(table) => table,
        None => {
            let op = "ec2:CreateRouteTable";
            let name = format!("{}-{suffix}", call.spec().cluster.name);
            let tags = &tag_spec(call, ResourceType::RouteTable, &name, &[]);
            create_exactly_once(
                call,
                op,
                move || async move {
                    let out = ec2
                        .create_route_table()
                        .vpc_id(vpc_id)
                        .tag_specifications(tags.clone())
                        .customize()
                        .config_override(without_sdk_retries())
                        .send()
                        .await
                        .map_err(|e| call.classify(op, e))?;
                    Ok(out
                        .route_table()
                        .and_then(|t| t.route_table_id())
                        .unwrap_or_default()
                        .to_string())
                },
                move || async move {
                    Ok(find_table(call)
                        .await?
                        .and_then(|t| t.route_table_id().map(str::to_string)))
                },
            )
            .await?;
            find_table(call)
                .await?
                .ok_or_else(|| call.internal("a route table made now is not found"))?
        }
    };
    let id = table.route_table_id().unwrap_or_default().to_string();
    call.handle.record_resource(&id)?;
    if let Some(via) = &via {
        default_route(call, &table, via).await?;
    }
    for subnet in subnets_of_step(call) {
        associate(call, &table, &subnet).await?;
    }
    Ok(StepDone::new(
        Some(id),
        match via {
            Some(Via::InternetGateway(igw)) => format!("0.0.0.0/0 → {igw}"),
            Some(Via::NatGateway(nat)) => format!("0.0.0.0/0 → {nat}"),
            None => "associated; no route out".to_string(),
        },
    ))
}

async fn default_route(
    call: &StepCall<'_>,
    table: &RouteTable,
    via: &Via,
) -> Result<(), ProvisionError> {
    let table_id = table.route_table_id().unwrap_or_default();
    let current = table
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some(ANYWHERE));
    let already = current.is_some_and(|r| match via {
        Via::InternetGateway(igw) => r.gateway_id() == Some(igw.as_str()),
        Via::NatGateway(nat) => r.nat_gateway_id() == Some(nat.as_str()),
    });
    if already {
        return Ok(());
    }
    let ec2 = call.session().ec2();
    // A route to a NAT gateway that was replaced is pointed at the new one.
    if current.is_some() {
        let op = "ec2:ReplaceRoute";
        let request = ec2
            .replace_route()
            .route_table_id(table_id)
            .destination_cidr_block(ANYWHERE);
        let request = match via {
            Via::InternetGateway(igw) => request.gateway_id(igw),
            Via::NatGateway(nat) => request.nat_gateway_id(nat),
        };
        request
            .send()
            .await
            .map(|_| ())
            .map_err(|e| call.sdk(op, e))
    } else {
        let op = "ec2:CreateRoute";
        let request = ec2
            .create_route()
            .route_table_id(table_id)
            .destination_cidr_block(ANYWHERE);
        let request = match via {
            Via::InternetGateway(igw) => request.gateway_id(igw),
            Via::NatGateway(nat) => request.nat_gateway_id(nat),
        };
        request
            .send()
            .await
            .map(|_| ())
            .map_err(|e| call.sdk(op, e))
    }
}

/// Associates `subnet` with `table`. A subnet explicitly on another table
/// of this spec (an older plan) moves over; on someone else's, it is a
/// conflict.
async fn associate(
    call: &StepCall<'_>,
    table: &RouteTable,
    subnet: &str,
) -> Result<(), ProvisionError> {
    if table
        .associations()
        .iter()
        .any(|a| a.subnet_id() == Some(subnet))
    {
        return Ok(());
    }
    let table_id = table.route_table_id().unwrap_or_default();
    let ec2 = call.session().ec2();
    let op = "ec2:AssociateRouteTable";
    let err = match ec2
        .associate_route_table()
        .route_table_id(table_id)
        .subnet_id(subnet)
        .send()
        .await
    {
        Ok(_) => return Ok(()),
        Err(e) => call.classify(op, e),
    };
    if code_of(&err) != Some("Resource.AlreadyAssociated") {
        return Err(call.aws(op, err));
    }
    let op = "ec2:DescribeRouteTables";
    let other = ec2
        .describe_route_tables()
        .filters(
            Filter::builder()
                .name("association.subnet-id")
                .values(subnet)
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    let Some(other) = other.route_tables().first() else {
        return Err(call.aws("ec2:AssociateRouteTable", err));
    };
    let owner = ec2_owner(other.tags());
    if !call.env.is_ours(owner) {
        let what = format!(
            "Subnet {subnet} is on route table {}",
            other.route_table_id().unwrap_or("?")
        );
        return Err(call.conflict(format!(
            "{}; EKS Desk does not move it",
            not_ours(&what, owner)
        )));
    }
    let association = other
        .associations()
        .iter()
        .find(|a| a.subnet_id() == Some(subnet))
        .and_then(|a| a.route_table_association_id())
        .unwrap_or_default();
    let op = "ec2:ReplaceRouteTableAssociation";
    ec2.replace_route_table_association()
        .association_id(association)
        .route_table_id(table_id)
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(())
}

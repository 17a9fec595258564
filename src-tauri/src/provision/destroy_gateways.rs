//! Destroy of the way out of the VPC, in the order the reversed plan gives:
//! VPC endpoints and route tables first, then NAT gateways (waited for
//! until deleted, as they hold their elastic IPs), the elastic IPs, the
//! endpoints' security group, and the internet gateway (detached first).
//! Each is found by its owner and step tags, and deleted through the one
//! removal routine.

use super::ec2_create::step_filter;
use super::error::ProvisionError;
use super::ownership::{ec2_owner, owner_filter};
use super::removal::{remove_owned, Removal};
use super::scheduler::StepDone;
use super::step_call::{code_of, StepCall};
use super::waits::shown;
use crate::aws::AwsError;
use aws_sdk_ec2::types::{
    Address, InternetGateway, NatGateway, NatGatewayState, RouteTable, SecurityGroup, State,
    VpcEndpoint,
};

/// What still holds something in the VPC: EC2 answers DependencyViolation
/// until it is gone.
const BUSY: &[&str] = &["DependencyViolation"];

pub(crate) async fn nat_gateway(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
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
        // A deleted NAT gateway stays listed for a while: it is gone.
        Ok(out
            .nat_gateways()
            .iter()
            .find(|n| n.state() != Some(&NatGatewayState::Deleted))
            .cloned())
    };
    let ec2 = &call.session().ec2();
    let plan = Removal::new(
        call,
        format!("NAT gateway of {}", call.step.id),
        "ec2:DescribeNatGateways",
        "ec2:DeleteNatGateway",
        |n: &NatGateway| ec2_owner(n.tags()),
        |n| n.nat_gateway_id().map(str::to_string),
    )
    .waited(|n| shown(n.state().map(|s| s.as_str())));
    Ok(remove_owned(call, &plan, find, |n: &NatGateway| {
        let id = n.nat_gateway_id().unwrap_or_default().to_string();
        async move {
            ec2.delete_nat_gateway()
                .nat_gateway_id(id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:DeleteNatGateway", e))
        }
    })
    .await?
    .into_done())
}

pub(crate) async fn elastic_ip(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
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
        Ok(out.addresses().first().cloned())
    };
    let ec2 = &call.session().ec2();
    // Still held by a NAT gateway that is going away.
    let plan = Removal::new(
        call,
        format!("Elastic IP of {}", call.step.id),
        "ec2:DescribeAddresses",
        "ec2:ReleaseAddress",
        |a: &Address| ec2_owner(a.tags()),
        |a| a.allocation_id().map(str::to_string),
    )
    .busy_while(&["InvalidIPAddress.InUse"]);
    Ok(remove_owned(call, &plan, find, |a: &Address| {
        let id = a.allocation_id().unwrap_or_default().to_string();
        async move {
            ec2.release_address()
                .allocation_id(id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:ReleaseAddress", e))
        }
    })
    .await?
    .into_done())
}

pub(crate) async fn internet_gateway(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
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
    };
    let ec2 = &call.session().ec2();
    // Public addresses still mapped in the VPC hold the gateway.
    let plan = Removal::new(
        call,
        "Internet gateway".into(),
        "ec2:DescribeInternetGateways",
        "ec2:DeleteInternetGateway",
        |g: &InternetGateway| ec2_owner(g.tags()),
        |g| g.internet_gateway_id().map(str::to_string),
    )
    .busy_while(BUSY);
    Ok(remove_owned(call, &plan, find, |g: &InternetGateway| {
        let id = g.internet_gateway_id().unwrap_or_default().to_string();
        let vpcs: Vec<String> = g
            .attachments()
            .iter()
            .filter_map(|a| a.vpc_id().map(str::to_string))
            .collect();
        async move {
            for vpc in vpcs {
                let detached = ec2
                    .detach_internet_gateway()
                    .internet_gateway_id(&id)
                    .vpc_id(vpc)
                    .send()
                    .await
                    .map_err(|e| call.classify("ec2:DetachInternetGateway", e));
                match detached {
                    Err(err) if code_of(&err) != Some("Gateway.NotAttached") => return Err(err),
                    _ => {}
                }
            }
            ec2.delete_internet_gateway()
                .internet_gateway_id(id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:DeleteInternetGateway", e))
        }
    })
    .await?
    .into_done())
}

pub(crate) async fn route_table(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
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
    };
    let ec2 = &call.session().ec2();
    let plan = Removal::new(
        call,
        format!("Route table of {}", call.step.id),
        "ec2:DescribeRouteTables",
        "ec2:DeleteRouteTable",
        |t: &RouteTable| ec2_owner(t.tags()),
        |t| t.route_table_id().map(str::to_string),
    )
    .busy_while(BUSY);
    Ok(remove_owned(call, &plan, find, |t: &RouteTable| {
        let id = t.route_table_id().unwrap_or_default().to_string();
        // A table with subnets on it cannot be deleted: they go back to
        // the VPC's main table first.
        let associations: Vec<String> = t
            .associations()
            .iter()
            .filter(|a| a.main() != Some(true))
            .filter_map(|a| a.route_table_association_id().map(str::to_string))
            .collect();
        async move {
            for association in associations {
                let gone = ec2
                    .disassociate_route_table()
                    .association_id(association)
                    .send()
                    .await
                    .map_err(|e| call.classify("ec2:DisassociateRouteTable", e));
                match gone {
                    Err(err) if !code_of(&err).is_some_and(|c| c.ends_with(".NotFound")) => {
                        return Err(err)
                    }
                    _ => {}
                }
            }
            ec2.delete_route_table()
                .route_table_id(id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:DeleteRouteTable", e))
        }
    })
    .await?
    .into_done())
}

pub(crate) async fn security_group(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
        let op = "ec2:DescribeSecurityGroups";
        let out = call
            .session()
            .ec2()
            .describe_security_groups()
            .filters(owner_filter(&call.spec().id))
            .filters(step_filter(call))
            .send()
            .await
            .map_err(|e| call.sdk(op, e))?;
        Ok(out.security_groups().first().cloned())
    };
    let ec2 = &call.session().ec2();
    // The interface endpoints' ENIs hold it until they are gone.
    let plan = Removal::new(
        call,
        "Security group of the endpoints".into(),
        "ec2:DescribeSecurityGroups",
        "ec2:DeleteSecurityGroup",
        |g: &SecurityGroup| ec2_owner(g.tags()),
        |g| g.group_id().map(str::to_string),
    )
    .busy_while(BUSY);
    Ok(remove_owned(call, &plan, find, |g: &SecurityGroup| {
        let id = g.group_id().unwrap_or_default().to_string();
        async move {
            ec2.delete_security_group()
                .group_id(id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:DeleteSecurityGroup", e))
        }
    })
    .await?
    .into_done())
}

pub(crate) async fn endpoint(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let find = || async {
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
            .find(|e| e.state() != Some(&State::Deleted))
            .cloned())
    };
    let ec2 = &call.session().ec2();
    let plan = Removal::new(
        call,
        format!("VPC endpoint of {}", call.step.id),
        "ec2:DescribeVpcEndpoints",
        "ec2:DeleteVpcEndpoints",
        |e: &VpcEndpoint| ec2_owner(e.tags()),
        |e| e.vpc_endpoint_id().map(str::to_string),
    )
    .waited(|e| shown(e.state().map(|s| s.as_str())));
    Ok(remove_owned(call, &plan, find, |e: &VpcEndpoint| {
        let id = e.vpc_endpoint_id().unwrap_or_default().to_string();
        async move {
            let out = ec2
                .delete_vpc_endpoints()
                .vpc_endpoint_ids(&id)
                .send()
                .await
                .map_err(|e| call.classify("ec2:DeleteVpcEndpoints", e))?;
            // A batch call: refusals come back in the answer, not as errors.
            match out.unsuccessful().first().and_then(|u| u.error()) {
                Some(refused) => Err(AwsError::Service {
                    operation: "ec2:DeleteVpcEndpoints".into(),
                    code: refused.code().unwrap_or("Unsuccessful").to_string(),
                    message: refused.message().unwrap_or_default().to_string(),
                }),
                None => Ok(()),
            }
        }
    })
    .await?
    .into_done())
}

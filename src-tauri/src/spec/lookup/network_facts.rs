//! The network side of the account: the region's zones (names, ids and
//! types), and the VPC the spec uses — for a picked VPC its CIDR, subnets
//! (zone, free IPs, route out) and endpoints, as AWS has them.

use super::facts::{
    AccountFacts, RouteOut, SubnetDetail, SubnetFact, VpcFact, VpcLookup, ZoneFact,
};
use crate::aws::{AwsError, AwsSession};
use crate::spec::model::{ClusterSpec, VpcChoice};
use crate::spec::plan::{Found, OWNER_TAG};
use aws_sdk_ec2::types::Filter;

fn ec2_owner(tags: &[aws_sdk_ec2::types::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some(OWNER_TAG))
        .and_then(|t| t.value().map(str::to_string))
}

pub(super) async fn network_facts(
    session: &AwsSession,
    spec: &ClusterSpec,
    facts: &mut AccountFacts,
) -> Result<(), AwsError> {
    let ec2 = session.ec2();
    let zones = ec2
        .describe_availability_zones()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeAvailabilityZones", e))?;
    let zones: Vec<ZoneFact> = zones
        .availability_zones()
        .iter()
        .filter_map(|z| {
            Some(ZoneFact {
                name: z.zone_name()?.to_string(),
                id: z.zone_id().unwrap_or_default().to_string(),
                zone_type: z.zone_type().unwrap_or("availability-zone").to_string(),
            })
        })
        .collect();
    if !zones.is_empty() {
        facts.availability_zones = Some(zones);
    }

    let vpc_id = match &spec.network.vpc {
        VpcChoice::Existing { vpc_id, .. } => {
            let found = picked_vpc(session, vpc_id).await?;
            let present = matches!(found, VpcLookup::Found(_));
            facts.existing_vpc = Some(found);
            present.then(|| vpc_id.clone())
        }
        VpcChoice::Create { .. } if !spec.id.is_empty() => {
            let vpcs = ec2
                .describe_vpcs()
                .filters(
                    Filter::builder()
                        .name(format!("tag:{OWNER_TAG}"))
                        .values(&spec.id)
                        .build(),
                )
                .send()
                .await
                .map_err(|e| session.classify("ec2:DescribeVpcs", e))?;
            vpcs.vpcs()
                .first()
                .and_then(|v| v.vpc_id().map(str::to_string))
        }
        VpcChoice::Create { .. } => None,
    };
    let Some(vpc_id) = vpc_id else { return Ok(()) };
    let subnets = ec2
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(&vpc_id).build())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    for s in subnets.subnets() {
        let fact = SubnetFact {
            id: s.subnet_id().unwrap_or_default().to_string(),
            cidr: s.cidr_block().unwrap_or_default().to_string(),
            availability_zone: s.availability_zone().unwrap_or_default().to_string(),
            owner_spec_id: ec2_owner(s.tags()),
        };
        facts.existing.subnets_by_cidr.insert(
            fact.cidr.clone(),
            Found {
                owner_spec_id: fact.owner_spec_id.clone(),
            },
        );
        facts.vpc_subnets.push(fact);
    }
    Ok(())
}

/// The picked VPC: its CIDR, its subnets with their free IPs and route out,
/// and its endpoints — or that it does not exist here.
async fn picked_vpc(session: &AwsSession, vpc_id: &str) -> Result<VpcLookup, AwsError> {
    let ec2 = session.ec2();
    let in_vpc = || Filter::builder().name("vpc-id").values(vpc_id).build();
    let vpcs = match ec2.describe_vpcs().vpc_ids(vpc_id).send().await {
        Ok(out) => out,
        Err(e) => {
            let err = session.classify("ec2:DescribeVpcs", e);
            if matches!(&err, AwsError::Service { code, .. } if code.ends_with(".NotFound")) {
                return Ok(VpcLookup::Missing);
            }
            return Err(err);
        }
    };
    let Some(vpc) = vpcs.vpcs().first() else {
        return Ok(VpcLookup::Missing);
    };
    let subnets = ec2
        .describe_subnets()
        .filters(in_vpc())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    let tables = ec2
        .describe_route_tables()
        .filters(in_vpc())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeRouteTables", e))?;
    let endpoints = ec2
        .describe_vpc_endpoints()
        .filters(in_vpc())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeVpcEndpoints", e))?;
    // A subnet without a table of its own uses the VPC's main table.
    let main = tables
        .route_tables()
        .iter()
        .find(|t| t.associations().iter().any(|a| a.main() == Some(true)));
    let route_out = |subnet: &str| {
        let table = tables
            .route_tables()
            .iter()
            .find(|t| {
                t.associations()
                    .iter()
                    .any(|a| a.subnet_id() == Some(subnet))
            })
            .or(main);
        let Some(default) = table.and_then(|t| {
            t.routes()
                .iter()
                .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
        }) else {
            return RouteOut::None;
        };
        if default.nat_gateway_id().is_some() {
            RouteOut::NatGateway
        } else if default.gateway_id().is_some_and(|g| g.starts_with("igw-")) {
            RouteOut::InternetGateway
        } else {
            RouteOut::Other
        }
    };
    let prefix = format!("com.amazonaws.{}.", session.environment.region());
    Ok(VpcLookup::Found(VpcFact {
        id: vpc_id.to_string(),
        cidr: vpc.cidr_block().unwrap_or_default().to_string(),
        subnets: subnets
            .subnets()
            .iter()
            .map(|s| {
                let id = s.subnet_id().unwrap_or_default();
                SubnetDetail {
                    id: id.to_string(),
                    cidr: s.cidr_block().unwrap_or_default().to_string(),
                    availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                    available_ips: s
                        .available_ip_address_count()
                        .and_then(|n| u32::try_from(n).ok())
                        .unwrap_or(0),
                    map_public_ip: s.map_public_ip_on_launch().unwrap_or(false),
                    route_out: route_out(id),
                }
            })
            .collect(),
        endpoint_services: endpoints
            .vpc_endpoints()
            .iter()
            .filter_map(|e| e.service_name())
            // China's interface services are `cn.com.amazonaws.…`.
            .map(|n| n.strip_prefix("cn.").unwrap_or(n))
            .map(|n| n.strip_prefix(&prefix).unwrap_or(n).to_string())
            .collect(),
    }))
}

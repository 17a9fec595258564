//! The way out of a spec's VPC, as the emulator holds it (read through the
//! SDK, never through the app's journal): what carries the owner tag, and
//! the seed's NAT layout checked route by route.

#![allow(dead_code)]

use aws_sdk_ec2::types::{Filter, NatGatewayState, State};
use eks_desk::aws::AwsSession;
use eks_desk::spec::plan::OWNER_TAG;
use std::collections::BTreeSet;

fn owner_filter(spec_id: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{OWNER_TAG}"))
        .values(spec_id)
        .build()
}

fn has_tag(tags: &[aws_sdk_ec2::types::Tag], key: &str, value: &str) -> bool {
    tags.iter()
        .any(|t| t.key() == Some(key) && t.value() == Some(value))
}

/// Ids of every internet gateway, NAT gateway (not deleted), elastic IP,
/// route table, VPC endpoint (not deleted) and security group that carries
/// the spec's owner tag, sorted.
pub async fn owned_gateways(session: &AwsSession, spec_id: &str) -> Vec<String> {
    let ec2 = session.ec2();
    let mut ids = Vec::new();
    let out = ec2
        .describe_internet_gateways()
        .filters(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeInternetGateways");
    ids.extend(
        out.internet_gateways()
            .iter()
            .filter_map(|g| g.internet_gateway_id().map(str::to_string)),
    );
    let out = ec2
        .describe_nat_gateways()
        .filter(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeNatGateways");
    ids.extend(
        out.nat_gateways()
            .iter()
            .filter(|n| n.state() != Some(&NatGatewayState::Deleted))
            .filter_map(|n| n.nat_gateway_id().map(str::to_string)),
    );
    let out = ec2
        .describe_addresses()
        .filters(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeAddresses");
    ids.extend(
        out.addresses()
            .iter()
            .filter_map(|a| a.allocation_id().map(str::to_string)),
    );
    let out = ec2
        .describe_route_tables()
        .filters(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeRouteTables");
    ids.extend(
        out.route_tables()
            .iter()
            .filter_map(|t| t.route_table_id().map(str::to_string)),
    );
    let out = ec2
        .describe_vpc_endpoints()
        .filters(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeVpcEndpoints");
    ids.extend(
        out.vpc_endpoints()
            .iter()
            .filter(|e| e.state() != Some(&State::Deleted))
            .filter_map(|e| e.vpc_endpoint_id().map(str::to_string)),
    );
    let out = ec2
        .describe_security_groups()
        .filters(owner_filter(spec_id))
        .send()
        .await
        .expect("ec2:DescribeSecurityGroups");
    ids.extend(
        out.security_groups()
            .iter()
            .filter_map(|g| g.group_id().map(str::to_string)),
    );
    ids.sort();
    ids
}

/// The seed's way out: the node and control-plane subnets route 0.0.0.0/0
/// to one NAT gateway, which sits in a public subnet whose route table
/// sends 0.0.0.0/0 to an internet gateway attached to the VPC; public
/// subnets are tagged for internet-facing load balancers, node subnets for
/// internal ones.
pub async fn assert_seed_egress(
    session: &AwsSession,
    vpc_id: &str,
    public_cidrs: &[String],
    private_cidrs: &[String],
    node_cidrs: &[String],
) {
    let ec2 = session.ec2();
    let in_vpc = || Filter::builder().name("vpc-id").values(vpc_id).build();
    let subnets = ec2
        .describe_subnets()
        .filters(in_vpc())
        .send()
        .await
        .expect("ec2:DescribeSubnets");
    let id_of = |cidr: &str| {
        subnets
            .subnets()
            .iter()
            .find(|s| s.cidr_block() == Some(cidr))
            .and_then(|s| s.subnet_id())
            .unwrap_or_else(|| panic!("no subnet {cidr} in {vpc_id}"))
            .to_string()
    };
    for s in subnets.subnets() {
        let cidr = s.cidr_block().unwrap_or_default().to_string();
        if public_cidrs.contains(&cidr) {
            assert!(
                has_tag(s.tags(), "kubernetes.io/role/elb", "1"),
                "{cidr}: elb tag"
            );
        }
        if node_cidrs.contains(&cidr) {
            assert!(
                has_tag(s.tags(), "kubernetes.io/role/internal-elb", "1"),
                "{cidr}: internal-elb tag"
            );
        }
    }

    let igws = ec2
        .describe_internet_gateways()
        .filters(
            Filter::builder()
                .name("attachment.vpc-id")
                .values(vpc_id)
                .build(),
        )
        .send()
        .await
        .expect("ec2:DescribeInternetGateways");
    let [igw] = igws.internet_gateways() else {
        panic!("one internet gateway attached to {vpc_id}: {igws:?}")
    };
    let igw = igw.internet_gateway_id().unwrap();

    let nats = ec2
        .describe_nat_gateways()
        .filter(in_vpc())
        .send()
        .await
        .expect("ec2:DescribeNatGateways");
    let live: Vec<_> = nats
        .nat_gateways()
        .iter()
        .filter(|n| n.state() == Some(&NatGatewayState::Available))
        .collect();
    let [nat] = live.as_slice() else {
        panic!("one available NAT gateway: {live:?}")
    };
    let public_ids: BTreeSet<String> = public_cidrs.iter().map(|c| id_of(c)).collect();
    assert!(
        public_ids.contains(nat.subnet_id().unwrap_or_default()),
        "the NAT gateway is in a public subnet"
    );
    // The emulator does not list a NAT gateway's addresses; AWS does.
    let addresses: Vec<_> = nat
        .nat_gateway_addresses()
        .iter()
        .filter_map(|a| a.allocation_id())
        .collect();
    let eips = ec2
        .describe_addresses()
        .send()
        .await
        .expect("ec2:DescribeAddresses");
    let allocated: Vec<_> = eips
        .addresses()
        .iter()
        .filter_map(|a| a.allocation_id())
        .collect();
    assert!(
        addresses.iter().all(|a| allocated.contains(a)) && !allocated.is_empty(),
        "the NAT gateway's elastic IP is allocated: {addresses:?} in {allocated:?}"
    );
    let nat = nat.nat_gateway_id().unwrap();

    let tables = ec2
        .describe_route_tables()
        .filters(in_vpc())
        .send()
        .await
        .expect("ec2:DescribeRouteTables");
    let default_route_of = |subnet: &str| {
        let table = tables
            .route_tables()
            .iter()
            .find(|t| {
                t.associations()
                    .iter()
                    .any(|a| a.subnet_id() == Some(subnet))
            })
            .unwrap_or_else(|| panic!("subnet {subnet} is on no route table of its own"));
        table
            .routes()
            .iter()
            .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
            .map(|r| {
                r.nat_gateway_id()
                    .or(r.gateway_id())
                    .unwrap_or_default()
                    .to_string()
            })
            .unwrap_or_else(|| panic!("subnet {subnet} has no route out"))
    };
    for id in &public_ids {
        assert_eq!(
            default_route_of(id),
            igw,
            "public subnet {id} → internet gateway"
        );
    }
    for cidr in private_cidrs {
        assert_eq!(
            default_route_of(&id_of(cidr)),
            nat,
            "private subnet {cidr} → NAT gateway"
        );
    }
}

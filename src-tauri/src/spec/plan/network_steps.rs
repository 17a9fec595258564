//! The network part of the plan: the VPC, its subnets, and the way out of
//! it that the spec's egress asks for (internet gateway, public subnets and
//! route table, elastic IPs, NAT gateways and private route tables; or the
//! VPC endpoints and their security group).

use super::builder::Builder;
use super::steps::*;
use crate::spec::model::{Egress, NodeSubnets, SubnetSpec, VpcChoice};

/// Step ids the rest of the plan waits for.
pub(super) struct NetworkSteps {
    pub control_plane_subnets: Vec<String>,
    pub node_subnets: Vec<String>,
    /// What nodes need before they can join: their route out (NAT or
    /// endpoints).
    pub egress_ready: Vec<String>,
}

const VPC: &str = "vpc/main";

pub(super) fn add(b: &mut Builder<'_>) -> NetworkSteps {
    let spec = b.spec;
    let vpc = VPC.to_string();
    match &spec.network.vpc {
        VpcChoice::Create { cidr } => {
            b.push(
                vpc.clone(),
                ResourceKind::Vpc,
                cidr.clone(),
                "new VPC, DNS hostnames on".into(),
                vec![],
                StepTarget::Vpc,
            );
        }
        VpcChoice::Existing { vpc_id: id, cidr } => {
            b.push(
                vpc.clone(),
                ResourceKind::Vpc,
                id.clone(),
                format!("existing VPC {cidr}"),
                vec![],
                StepTarget::Vpc,
            );
            b.reuse("picked existing VPC; never modified");
        }
    }
    let control_plane_subnets = spec
        .network
        .control_plane_subnets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            new_subnet(
                b,
                format!("subnet/control-plane-{i}"),
                s,
                format!("control plane ENIs, {}", s.availability_zone),
                StepTarget::ControlPlaneSubnet(i),
            )
        })
        .collect();
    let node_subnets = match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => subnets
            .iter()
            .enumerate()
            .map(|(i, s)| {
                new_subnet(
                    b,
                    format!("subnet/nodes-{i}"),
                    s,
                    format!(
                        "private node subnet, {}, tagged for internal load balancers",
                        s.availability_zone
                    ),
                    StepTarget::NodeSubnet(i),
                )
            })
            .collect(),
        NodeSubnets::Existing(ids) => ids
            .iter()
            .enumerate()
            .map(|(i, subnet_id)| {
                let id = format!("subnet/nodes-{i}");
                b.push(
                    id.clone(),
                    ResourceKind::Subnet,
                    subnet_id.clone(),
                    "existing node subnet".into(),
                    vec![vpc.clone()],
                    StepTarget::NodeSubnet(i),
                );
                b.reuse("picked existing subnet; never modified");
                id
            })
            .collect(),
    };
    let mut steps = NetworkSteps {
        control_plane_subnets,
        node_subnets,
        egress_ready: Vec::new(),
    };
    match spec.network.egress {
        Egress::NatGateway | Egress::NatPerZone => nat(b, &mut steps),
        Egress::PrivateEndpoints => endpoints(b, &mut steps),
        Egress::Existing => {}
    }
    steps
}

fn new_subnet(
    b: &mut Builder<'_>,
    id: String,
    s: &SubnetSpec,
    detail: String,
    target: StepTarget,
) -> String {
    b.push(
        id.clone(),
        ResourceKind::Subnet,
        s.cidr.clone(),
        detail,
        vec![VPC.to_string()],
        target,
    );
    let found = b.existing.subnets_by_cidr.get(&s.cidr).cloned();
    b.against(found.as_ref(), &format!("Subnet {}", s.cidr));
    id
}

/// The zone of a private subnet, when the spec says it (existing node
/// subnets are in zones the account knows).
fn zones_of(b: &Builder<'_>) -> Vec<(String, Option<String>)> {
    let spec = b.spec;
    let mut private = Vec::new();
    for (i, s) in spec.network.control_plane_subnets.iter().enumerate() {
        private.push((
            format!("subnet/control-plane-{i}"),
            Some(s.availability_zone.clone()),
        ));
    }
    match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => {
            for (i, s) in subnets.iter().enumerate() {
                private.push((
                    format!("subnet/nodes-{i}"),
                    Some(s.availability_zone.clone()),
                ));
            }
        }
        NodeSubnets::Existing(ids) => {
            for i in 0..ids.len() {
                private.push((format!("subnet/nodes-{i}"), None));
            }
        }
    }
    private
}

/// Internet gateway, public subnets routed to it, a NAT gateway (with its
/// elastic IP) in one or every public subnet, and private route tables
/// sending the private subnets' traffic to a NAT gateway.
fn nat(b: &mut Builder<'_>, steps: &mut NetworkSteps) {
    let spec = b.spec;
    let igw = "igw/main".to_string();
    b.push(
        igw.clone(),
        ResourceKind::InternetGateway,
        format!("{}-igw", spec.cluster.name),
        "internet gateway, attached to the VPC".into(),
        vec![VPC.to_string()],
        StepTarget::InternetGateway,
    );
    let public: Vec<(String, &SubnetSpec)> = spec
        .network
        .public_subnets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let id = new_subnet(
                b,
                format!("subnet/public-{i}"),
                s,
                format!(
                    "public subnet, {}, tagged for internet-facing load balancers",
                    s.availability_zone
                ),
                StepTarget::PublicSubnet(i),
            );
            (id, s)
        })
        .collect();
    let mut deps = vec![VPC.to_string(), igw.clone()];
    deps.extend(public.iter().map(|(id, _)| id.clone()));
    b.push(
        "route-table/public".into(),
        ResourceKind::RouteTable,
        format!("{}-public", spec.cluster.name),
        "0.0.0.0/0 → internet gateway, for the public subnets".into(),
        deps,
        StepTarget::PublicRouteTable,
    );
    let nat_count = match spec.network.egress {
        Egress::NatPerZone => public.len(),
        _ => public.len().min(1),
    };
    let private = zones_of(b);
    for (i, (subnet, zone_subnet)) in public.iter().take(nat_count).enumerate() {
        let zone = &zone_subnet.availability_zone;
        let eip = format!("eip/nat-{i}");
        b.push(
            eip.clone(),
            ResourceKind::ElasticIp,
            format!("{}-nat-{zone}", spec.cluster.name),
            format!("public IPv4 address of the NAT gateway in {zone}"),
            vec![],
            StepTarget::ElasticIp(i),
        );
        let nat = format!("nat/{i}");
        b.push(
            nat.clone(),
            ResourceKind::NatGateway,
            format!("{}-nat-{zone}", spec.cluster.name),
            format!("NAT gateway in {zone} ({})", zone_subnet.cidr),
            vec![
                eip,
                subnet.clone(),
                igw.clone(),
                "route-table/public".into(),
            ],
            StepTarget::NatGateway(i),
        );
        // One NAT: every private subnet uses it. One per zone: the private
        // subnets of its zone (and those whose zone is not known, to zone 0).
        let served: Vec<String> = private
            .iter()
            .filter(|(_, z)| {
                nat_count == 1 || z.as_deref() == Some(zone.as_str()) || (i == 0 && z.is_none())
            })
            .map(|(id, _)| id.clone())
            .collect();
        let route_table = format!("route-table/private-{i}");
        let mut deps = vec![nat];
        deps.extend(served);
        b.push(
            route_table.clone(),
            ResourceKind::RouteTable,
            format!("{}-private-{zone}", spec.cluster.name),
            if nat_count == 1 {
                "0.0.0.0/0 → NAT gateway, for every private subnet".to_string()
            } else {
                format!("0.0.0.0/0 → NAT gateway, for the private subnets in {zone}")
            },
            deps,
            StepTarget::PrivateRouteTable(i),
        );
        steps.egress_ready.push(route_table);
    }
}

/// Interface endpoints (with a security group letting the VPC reach them
/// on 443) in the node subnets, and the S3 gateway endpoint on a route
/// table of the private subnets.
fn endpoints(b: &mut Builder<'_>, steps: &mut NetworkSteps) {
    let spec = b.spec;
    let region = spec.cluster.region.clone();
    let route_table = "route-table/private-0".to_string();
    let mut deps = vec![VPC.to_string()];
    deps.extend(zones_of(b).into_iter().map(|(id, _)| id));
    b.push(
        route_table.clone(),
        ResourceKind::RouteTable,
        format!("{}-private", spec.cluster.name),
        "no route out: the S3 gateway endpoint's route, for every private subnet".into(),
        deps,
        StepTarget::PrivateRouteTable(0),
    );
    let sg = "security-group/endpoints".to_string();
    b.push(
        sg.clone(),
        ResourceKind::SecurityGroup,
        format!("{}-endpoints", spec.cluster.name),
        "HTTPS (443) from the VPC to the interface endpoints".into(),
        vec![VPC.to_string()],
        StepTarget::EndpointSecurityGroup,
    );
    for service in EndpointService::ALL {
        let id = format!("endpoint/{}", service.short_name());
        let (detail, deps) = if service.is_interface() {
            let mut deps = vec![sg.clone()];
            deps.extend(steps.node_subnets.iter().cloned());
            ("interface endpoint in every node subnet, private DNS", deps)
        } else {
            (
                "gateway endpoint on the private route table",
                vec![route_table.clone()],
            )
        };
        b.push(
            id.clone(),
            ResourceKind::VpcEndpoint,
            service.service_name(&region),
            detail.into(),
            deps,
            StepTarget::VpcEndpoint(service),
        );
        steps.egress_ready.push(id);
    }
    steps.egress_ready.push(route_table);
}

//! The network half of the Terraform export: the VPC (created or looked
//! up), its subnets, and the way out the spec's egress asks for, as the
//! engine makes it: an internet gateway, public subnets and their route
//! table, elastic IPs, NAT gateways and private route tables; or the S3
//! gateway endpoint and interface endpoints behind a security group.

use super::attributes::{depends_on, named, tags};
use crate::spec::export::hcl_writer::{escape, Block, Body, Expr, TemplatePart};
use crate::spec::model::{ClusterSpec, Egress, NodeSubnets, VpcChoice};
use crate::spec::plan::EndpointService;

/// What the rest of the configuration refers to.
pub(super) struct Network {
    /// What nodes need before they can join: their route out.
    pub egress_ready: Vec<String>,
}

pub(super) fn blocks(spec: &ClusterSpec, blocks: &mut Vec<Block>) -> Network {
    let vpc_id = match &spec.network.vpc {
        VpcChoice::Create { cidr } => {
            blocks.push(created_vpc(spec, cidr));
            "aws_vpc.main.id"
        }
        VpcChoice::Existing { vpc_id, .. } => {
            let mut body = Body::default();
            body.attr("id", Expr::str(vpc_id));
            blocks.push(Block::new("data", &["aws_vpc", "main"], body));
            "data.aws_vpc.main.id"
        }
    };
    blocks.push(subnets(spec, Purpose::ControlPlane, vpc_id));
    if let NodeSubnets::Create(_) = spec.network.node_subnets {
        blocks.push(subnets(spec, Purpose::Nodes, vpc_id));
    }
    let egress_ready = match spec.network.egress {
        Egress::NatGateway | Egress::NatPerZone => nat(spec, vpc_id, blocks),
        Egress::PrivateEndpoints => endpoints(spec, vpc_id, blocks),
        Egress::Existing => Vec::new(),
    };
    Network { egress_ready }
}

fn created_vpc(spec: &ClusterSpec, cidr: &str) -> Block {
    let mut body = Body::default();
    body.attr("cidr_block", Expr::str(cidr))
        // EKS needs both: nodes register by their private DNS names.
        .attr("enable_dns_hostnames", Expr::Bool(true))
        .attr("enable_dns_support", Expr::Bool(true));
    named(&mut body, spec, format!("{}-vpc", spec.cluster.name));
    Block::new("resource", &["aws_vpc", "main"], body)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    ControlPlane,
    Nodes,
    Public,
}

impl Purpose {
    /// The resource label and the `local.` list it counts over.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Purpose::ControlPlane => ("eks_control_plane", "control_plane_subnets"),
            Purpose::Nodes => ("nodes", "node_subnets"),
            Purpose::Public => ("public", "public_subnets"),
        }
    }
}

/// `aws_subnet.<label>`, one per entry of `local.<list>`.
fn subnets(spec: &ClusterSpec, purpose: Purpose, vpc_id: &str) -> Block {
    let (label, list) = purpose.names();
    let item = format!("local.{list}[count.index]");
    let name_part = match purpose {
        Purpose::ControlPlane => "control-plane",
        Purpose::Nodes => "nodes",
        Purpose::Public => "public",
    };
    let name = Expr::Template(vec![
        TemplatePart::Text(format!("{}-{name_part}-", spec.cluster.name)),
        TemplatePart::Interpolation(format!("{item}.az")),
    ]);
    let mut extra = vec![("Name".to_string(), name)];
    // Let the AWS Load Balancer Controller (and the cloud provider) find
    // the subnets for internal and internet-facing load balancers.
    match purpose {
        Purpose::Nodes => extra.push(("kubernetes.io/role/internal-elb".into(), Expr::str("1"))),
        Purpose::Public => extra.push(("kubernetes.io/role/elb".into(), Expr::str("1"))),
        Purpose::ControlPlane => {}
    }
    let mut body = Body::default();
    body.attr("count", Expr::raw(format!("length(local.{list})")))
        .blank()
        .attr("vpc_id", Expr::raw(vpc_id))
        .attr("cidr_block", Expr::raw(format!("{item}.cidr")))
        .attr("availability_zone", Expr::raw(format!("{item}.az")));
    if let Some(tags) = tags(spec, extra) {
        body.blank().attr("tags", tags);
    }
    Block::new("resource", &["aws_subnet", label], body)
}

/// A route table's one `0.0.0.0/0` route.
fn default_route(target: &str, reference: &str) -> Block {
    let mut route = Body::default();
    route
        .attr("cidr_block", Expr::str("0.0.0.0/0"))
        .attr(target, Expr::raw(reference));
    Block::new("route", &[], route)
}

/// `aws_route_table_association.<label>` for each of a purpose's subnets.
fn associations(purpose: Purpose, route_table_id: Expr) -> Block {
    let (label, list) = purpose.names();
    let mut body = Body::default();
    body.attr("count", Expr::raw(format!("length(local.{list})")))
        .blank()
        .attr(
            "subnet_id",
            Expr::raw(format!("aws_subnet.{label}[count.index].id")),
        )
        .attr("route_table_id", route_table_id);
    Block::new("resource", &["aws_route_table_association", label], body)
}

/// The private subnets the spec creates (existing ones keep their own
/// routes).
fn private_purposes(spec: &ClusterSpec) -> Vec<Purpose> {
    let mut purposes = vec![Purpose::ControlPlane];
    if let NodeSubnets::Create(_) = spec.network.node_subnets {
        purposes.push(Purpose::Nodes);
    }
    purposes
}

fn nat(spec: &ClusterSpec, vpc_id: &str, blocks: &mut Vec<Block>) -> Vec<String> {
    let name = &spec.cluster.name;
    let mut body = Body::default();
    body.attr("vpc_id", Expr::raw(vpc_id));
    named(&mut body, spec, format!("{name}-igw"));
    blocks.push(Block::new(
        "resource",
        &["aws_internet_gateway", "main"],
        body,
    ));
    blocks.push(subnets(spec, Purpose::Public, vpc_id));

    let mut body = Body::default();
    body.attr("vpc_id", Expr::raw(vpc_id))
        .block(default_route("gateway_id", "aws_internet_gateway.main.id"));
    named(&mut body, spec, format!("{name}-public"));
    blocks.push(Block::new("resource", &["aws_route_table", "public"], body));
    blocks.push(associations(
        Purpose::Public,
        Expr::raw("aws_route_table.public.id"),
    ));

    // One NAT gateway is three plain resources; one per zone, three with a
    // count over the public subnets (NAT gateway i in public subnet i).
    let per_zone = spec.network.egress == Egress::NatPerZone;
    let first_zone = spec
        .network
        .public_subnets
        .first()
        .map(|s| s.availability_zone.clone())
        .unwrap_or_default();
    let zone_name = |prefix: String| -> Expr {
        if per_zone {
            Expr::Template(vec![
                TemplatePart::Text(prefix),
                TemplatePart::Interpolation("local.public_subnets[count.index].az".into()),
            ])
        } else {
            Expr::str(format!("{prefix}{first_zone}"))
        }
    };
    let (index, public_subnet) = if per_zone {
        ("[count.index]", "aws_subnet.public[count.index].id")
    } else {
        ("", "aws_subnet.public[0].id")
    };
    let counted = |body: &mut Body| {
        if per_zone {
            body.attr("count", Expr::raw("length(local.public_subnets)"))
                .blank();
        }
    };
    let with_name = |body: &mut Body, name: Expr| {
        if let Some(tags) = tags(spec, vec![("Name".into(), name)]) {
            body.blank().attr("tags", tags);
        }
    };
    let igw = ["aws_internet_gateway.main".to_string()];

    let mut body = Body::default();
    counted(&mut body);
    body.attr("domain", Expr::str("vpc"));
    with_name(&mut body, zone_name(format!("{name}-nat-")));
    depends_on(&mut body, &igw);
    blocks.push(Block::new("resource", &["aws_eip", "nat"], body));

    let mut body = Body::default();
    counted(&mut body);
    body.attr("allocation_id", Expr::raw(format!("aws_eip.nat{index}.id")))
        .attr("subnet_id", Expr::raw(public_subnet));
    with_name(&mut body, zone_name(format!("{name}-nat-")));
    depends_on(&mut body, &igw);
    blocks.push(Block::new("resource", &["aws_nat_gateway", "main"], body));

    let mut body = Body::default();
    counted(&mut body);
    body.attr("vpc_id", Expr::raw(vpc_id)).block(default_route(
        "nat_gateway_id",
        &format!("aws_nat_gateway.main{index}.id"),
    ));
    with_name(&mut body, zone_name(format!("{name}-private-")));
    blocks.push(Block::new(
        "resource",
        &["aws_route_table", "private"],
        body,
    ));

    let mut ready = vec!["aws_nat_gateway.main".to_string()];
    for purpose in private_purposes(spec) {
        let (label, list) = purpose.names();
        // A private subnet uses its zone's NAT gateway.
        let table = if per_zone {
            Expr::raw(format!(
                "aws_route_table.private[index(local.public_subnets[*].az, local.{list}[count.index].az)].id"
            ))
        } else {
            Expr::raw("aws_route_table.private.id")
        };
        blocks.push(associations(purpose, table));
        ready.push(format!("aws_route_table_association.{label}"));
    }
    ready
}

fn endpoints(spec: &ClusterSpec, vpc_id: &str, blocks: &mut Vec<Block>) -> Vec<String> {
    let name = &spec.cluster.name;
    let region = &spec.cluster.region;
    let mut body = Body::default();
    body.attr("vpc_id", Expr::raw(vpc_id));
    named(&mut body, spec, format!("{name}-private"));
    blocks.push(
        Block::new("resource", &["aws_route_table", "private"], body).with_comment(&[
            "No route out of the VPC: the private subnets reach AWS through the endpoints",
            "below (S3 by a gateway endpoint route on this table).",
        ]),
    );
    let mut ready = Vec::new();
    for purpose in private_purposes(spec) {
        blocks.push(associations(
            purpose,
            Expr::raw("aws_route_table.private.id"),
        ));
        ready.push(format!("aws_route_table_association.{}", purpose.names().0));
    }

    let cidr = match &spec.network.vpc {
        VpcChoice::Create { .. } => Expr::raw("aws_vpc.main.cidr_block"),
        VpcChoice::Existing { .. } => Expr::raw("data.aws_vpc.main.cidr_block"),
    };
    let mut ingress = Body::default();
    ingress
        .attr("description", Expr::str("HTTPS from the VPC"))
        .attr("from_port", Expr::Number(443))
        .attr("to_port", Expr::Number(443))
        .attr("protocol", Expr::str("tcp"))
        .attr("cidr_blocks", Expr::List(vec![cidr]));
    let mut body = Body::default();
    body.attr("name", Expr::str(format!("{name}-endpoints")))
        .attr(
            "description",
            Expr::str("HTTPS (443) from the VPC to the interface endpoints"),
        )
        .attr("vpc_id", Expr::raw(vpc_id))
        .block(Block::new("ingress", &[], ingress));
    named(&mut body, spec, format!("{name}-endpoints"));
    blocks.push(Block::new(
        "resource",
        &["aws_security_group", "endpoints"],
        body,
    ));

    let mut body = Body::default();
    body.attr("vpc_id", Expr::raw(vpc_id))
        .attr(
            "service_name",
            Expr::str(EndpointService::S3.service_name(region)),
        )
        .attr("vpc_endpoint_type", Expr::str("Gateway"))
        .attr(
            "route_table_ids",
            Expr::List(vec![Expr::raw("aws_route_table.private.id")]),
        );
    named(&mut body, spec, format!("{name}-s3"));
    blocks.push(Block::new("resource", &["aws_vpc_endpoint", "s3"], body));

    let interface: Vec<String> = EndpointService::ALL
        .iter()
        .filter(|s| s.is_interface())
        .map(|s| s.service_name(region))
        .collect();
    let node_subnets = match &spec.network.node_subnets {
        NodeSubnets::Create(_) => Expr::raw("aws_subnet.nodes[*].id"),
        NodeSubnets::Existing(_) => Expr::raw("local.node_subnet_ids"),
    };
    let mut body = Body::default();
    body.attr(
        "for_each",
        Expr::raw(format!(
            "toset([{}])",
            interface
                .iter()
                .map(|n| format!("\"{}\"", escape(n)))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    )
    .blank()
    .attr("vpc_id", Expr::raw(vpc_id))
    .attr("service_name", Expr::raw("each.value"))
    .attr("vpc_endpoint_type", Expr::str("Interface"))
    .attr("subnet_ids", node_subnets)
    .attr(
        "security_group_ids",
        Expr::List(vec![Expr::raw("aws_security_group.endpoints.id")]),
    )
    .attr("private_dns_enabled", Expr::Bool(true));
    blocks.push(
        Block::new("resource", &["aws_vpc_endpoint", "interface"], body).with_comment(&[
            "ECR (api and dkr) for images, STS for IAM roles of service accounts, EC2 for",
            "the VPC CNI and Elastic Load Balancing for the load balancer controller.",
        ]),
    );
    ready.push("aws_vpc_endpoint.s3".into());
    ready.push("aws_vpc_endpoint.interface".into());
    ready
}

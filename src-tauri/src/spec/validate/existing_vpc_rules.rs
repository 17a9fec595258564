//! Rules for a picked VPC, against what AWS says of it: that it exists,
//! that its CIDR is the one typed, and that each picked node subnet is in
//! it, in a zone EKS uses, with free IPs and a way out.

use super::zone_rules::zone_problem;
use super::{FieldIssue, ValidationContext};
use crate::spec::catalog;
use crate::spec::lookup::{RouteOut, SubnetDetail, VpcFact, VpcLookup};
use crate::spec::model::{ClusterSpec, Egress, NodeSubnets, VpcChoice};

/// What nodes need of AWS when they have no NAT or internet gateway.
const NODE_ENDPOINTS: &[&str] = &["ecr.api", "ecr.dkr", "s3", "sts"];

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let VpcChoice::Existing { vpc_id, cidr } = &spec.network.vpc else {
        return;
    };
    let vpc = match &ctx.existing_vpc {
        // Offline: nothing to check against.
        None => return,
        Some(VpcLookup::Missing) => {
            issues.push(FieldIssue::error(
                "network.vpc.vpcId",
                format!("{vpc_id} does not exist in this account and region"),
            ));
            return;
        }
        Some(VpcLookup::Found(vpc)) => vpc,
    };
    if &vpc.cidr != cidr {
        issues.push(FieldIssue::error(
            "network.vpc.cidr",
            format!(
                "{vpc_id}'s CIDR is {} (as AWS has it), not {cidr}: pick the VPC again to take its CIDR",
                vpc.cidr
            ),
        ));
    }
    let NodeSubnets::Existing(ids) = &spec.network.node_subnets else {
        return;
    };
    for (i, id) in ids.iter().enumerate() {
        let field = format!("network.nodeSubnets[{i}]");
        let Some(subnet) = vpc.subnets.iter().find(|s| &s.id == id) else {
            issues.push(FieldIssue::error(
                field,
                format!("{id} is not a subnet of {vpc_id}"),
            ));
            continue;
        };
        node_subnet(spec, ctx, vpc, subnet, &field, issues);
    }
}

fn node_subnet(
    spec: &ClusterSpec,
    ctx: &ValidationContext,
    vpc: &VpcFact,
    subnet: &SubnetDetail,
    field: &str,
    issues: &mut Vec<FieldIssue>,
) {
    let id = &subnet.id;
    let zone = ctx
        .availability_zones
        .iter()
        .flatten()
        .find(|z| z.name == subnet.availability_zone);
    if let Some(problem) = zone.and_then(|z| zone_problem(z, false)) {
        issues.push(FieldIssue::error(field, format!("{id}: {problem}")));
    }
    // Each node takes an IP for itself and, with the VPC CNI, one per pod.
    let nodes: u32 = spec
        .node_groups
        .iter()
        .map(|g| g.max_size)
        .max()
        .unwrap_or(0);
    let per_node = spec
        .node_groups
        .iter()
        .filter_map(|g| g.instance_types.first())
        .filter_map(|t| catalog::instance_type(t))
        .map(|t| catalog::max_pods_ips(t) + 1)
        .max()
        .unwrap_or(1);
    if subnet.available_ips == 0 {
        issues.push(FieldIssue::error(
            field,
            format!("{id} has no free IP addresses left: nodes cannot start there"),
        ));
    } else if subnet.available_ips < nodes.saturating_mul(per_node) {
        issues.push(FieldIssue::warning(
            field,
            format!(
                "{id} has {} free IPs; {nodes} nodes with their pods could need up to {}",
                subnet.available_ips,
                nodes.saturating_mul(per_node)
            ),
        ));
    }
    if spec.network.egress != Egress::Existing {
        return;
    }
    let endpoints_cover = NODE_ENDPOINTS
        .iter()
        .all(|e| vpc.endpoint_services.iter().any(|s| s == e));
    match subnet.route_out {
        RouteOut::NatGateway | RouteOut::Other => {}
        RouteOut::InternetGateway if subnet.map_public_ip => {}
        RouteOut::InternetGateway => issues.push(FieldIssue::error(
            field,
            format!("{id} routes to an internet gateway but gives instances no public IP: nodes there cannot reach ECR or the EKS API. Use a subnet routed to a NAT gateway"),
        )),
        RouteOut::None if endpoints_cover => {}
        RouteOut::None => issues.push(FieldIssue::error(
            field,
            format!(
                "{id} has no route out (no NAT or internet gateway on its route table) and {} has no VPC endpoints for {}: nodes there could not pull images or join the cluster",
                vpc.id,
                NODE_ENDPOINTS.join(", ")
            ),
        )),
    }
}

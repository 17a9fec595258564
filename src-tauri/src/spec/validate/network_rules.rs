//! Rules for the `network` section: CIDR syntax, sizes, containment,
//! overlaps and availability zones.

use super::zone_rules::zone_problem;
use super::{FieldIssue, ValidationContext};
use crate::spec::model::{ClusterSpec, NodeSubnets, SubnetSpec, VpcChoice};
use crate::spec::network::parse_net;
use ipnet::Ipv4Net;
use std::collections::BTreeSet;

/// AWS's limits: a VPC is /16 to /28, and so is a subnet.
const LARGEST_PREFIX: u8 = 16;
const SMALLEST_PREFIX: u8 = 28;

pub(super) fn check(spec: &ClusterSpec, ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let vpc = vpc(spec, issues);
    let region = &spec.cluster.region;
    let mut created: Vec<PlannedSubnet> = Vec::new();
    for (i, s) in spec.network.control_plane_subnets.iter().enumerate() {
        let field = format!("network.controlPlaneSubnets[{i}]");
        let label = format!("control-plane subnet {}", i + 1);
        if let Some(net) = subnet(s, &field, vpc.as_ref(), region, ctx, true, issues) {
            if net.prefix_len() < SMALLEST_PREFIX {
                issues.push(FieldIssue::warning(
                    format!("{field}.cidr"),
                    format!("{net} is larger than the recommended /28: the control plane needs only a few IPs, and a small dedicated subnet leaves the rest of the VPC to nodes"),
                ));
            }
            created.push(PlannedSubnet { field, label, net });
        }
    }
    control_plane_spread(&spec.network.control_plane_subnets, issues);
    match &spec.network.node_subnets {
        NodeSubnets::Create(list) => {
            for (i, s) in list.iter().enumerate() {
                let field = format!("network.nodeSubnets[{i}]");
                let label = format!("node subnet {}", i + 1);
                if let Some(net) = subnet(s, &field, vpc.as_ref(), region, ctx, false, issues) {
                    created.push(PlannedSubnet { field, label, net });
                }
            }
        }
        NodeSubnets::Existing(ids) => existing_node_subnets(spec, ids, ctx, issues),
    }
    for (i, s) in spec.network.public_subnets.iter().enumerate() {
        let field = format!("network.publicSubnets[{i}]");
        let label = format!("public subnet {}", i + 1);
        if let Some(net) = subnet(s, &field, vpc.as_ref(), region, ctx, false, issues) {
            created.push(PlannedSubnet { field, label, net });
        }
    }
    let node_subnet_count = match &spec.network.node_subnets {
        NodeSubnets::Create(list) => list.len(),
        NodeSubnets::Existing(ids) => ids.len(),
    };
    if node_subnet_count == 0 {
        if let Some(group) = spec.node_groups.iter().find(|g| g.subnets.is_empty()) {
            issues.push(FieldIssue::error(
                "network.nodeSubnets",
                format!(
                    "Add at least one node subnet: node group {} has no subnets to run in",
                    group.name
                ),
            ));
        }
    }
    overlaps(&created, ctx, issues);
}

/// A subnet the spec will create, once its CIDR has been read.
struct PlannedSubnet {
    field: String,
    /// How the form names it, e.g. "node subnet 2".
    label: String,
    net: Ipv4Net,
}

/// What is wrong with a typed CIDR, in the words the form shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum CidrProblem {
    #[error("Enter an IPv4 CIDR such as 10.0.0.0/16")]
    Empty,
    #[error("{0} is missing its prefix length (the /NN part)")]
    NoPrefix(String),
    #[error("{0} is not a valid IPv4 CIDR")]
    Invalid(String),
    #[error("{typed} is not a network address; did you mean {network}?")]
    HostBits { typed: String, network: Ipv4Net },
}

/// Reads a CIDR strictly: unlike the planner, host bits are an error here,
/// because AWS would silently use a different network than the one typed.
pub(super) fn read_cidr(text: &str) -> Result<Ipv4Net, CidrProblem> {
    if text.trim().is_empty() {
        return Err(CidrProblem::Empty);
    }
    if !text.contains('/') {
        return Err(CidrProblem::NoPrefix(text.to_string()));
    }
    let net: Ipv4Net = text
        .parse()
        .map_err(|_| CidrProblem::Invalid(text.to_string()))?;
    if net != net.trunc() {
        return Err(CidrProblem::HostBits {
            typed: text.to_string(),
            network: net.trunc(),
        });
    }
    Ok(net)
}

fn vpc(spec: &ClusterSpec, issues: &mut Vec<FieldIssue>) -> Option<Ipv4Net> {
    let cidr = match &spec.network.vpc {
        VpcChoice::Create { cidr } => cidr,
        VpcChoice::Existing { vpc_id, cidr } => {
            if !is_aws_id(vpc_id, "vpc") {
                issues.push(FieldIssue::error(
                    "network.vpc.vpcId",
                    format!("\"{vpc_id}\" is not a VPC id (like vpc-0123456789abcdef0)"),
                ));
            }
            cidr
        }
    };
    match read_cidr(cidr) {
        Ok(net) if !(LARGEST_PREFIX..=SMALLEST_PREFIX).contains(&net.prefix_len()) => {
            issues.push(FieldIssue::error(
                "network.vpc.cidr",
                format!(
                    "/{} is outside the VPC sizes AWS allows (/16 to /28)",
                    net.prefix_len()
                ),
            ));
            // Still usable for the containment checks below.
            Some(net)
        }
        Ok(net) => Some(net),
        Err(problem) => {
            issues.push(FieldIssue::error("network.vpc.cidr", problem.to_string()));
            None
        }
    }
}

/// Checks one new subnet's CIDR and AZ; returns the CIDR when it reads.
fn subnet(
    s: &SubnetSpec,
    field: &str,
    vpc: Option<&Ipv4Net>,
    region: &str,
    ctx: &ValidationContext,
    control_plane: bool,
    issues: &mut Vec<FieldIssue>,
) -> Option<Ipv4Net> {
    if let Some(problem) =
        availability_zone_problem(&s.availability_zone, region, ctx, control_plane)
    {
        issues.push(FieldIssue::error(
            format!("{field}.availabilityZone"),
            problem,
        ));
    }
    let cidr_field = format!("{field}.cidr");
    let net = match read_cidr(&s.cidr) {
        Ok(net) => net,
        Err(problem) => {
            issues.push(FieldIssue::error(cidr_field, problem.to_string()));
            return None;
        }
    };
    if net.prefix_len() > SMALLEST_PREFIX {
        issues.push(FieldIssue::error(
            &cidr_field,
            format!(
                "/{} is too small: AWS subnets are /28 or larger",
                net.prefix_len()
            ),
        ));
    } else if net.prefix_len() < LARGEST_PREFIX {
        issues.push(FieldIssue::error(
            &cidr_field,
            format!(
                "/{} is too large: AWS subnets are /16 or smaller",
                net.prefix_len()
            ),
        ));
    }
    if let Some(vpc) = vpc {
        if !vpc.contains(&net) {
            issues.push(FieldIssue::error(
                &cidr_field,
                format!("{net} is outside the VPC {vpc}"),
            ));
        }
    }
    Some(net)
}

fn availability_zone_problem(
    az: &str,
    region: &str,
    ctx: &ValidationContext,
    control_plane: bool,
) -> Option<String> {
    if az.is_empty() {
        return Some("Choose an availability zone".into());
    }
    match &ctx.availability_zones {
        Some(known) => match known.iter().find(|k| k.name == az) {
            Some(zone) => zone_problem(zone, control_plane),
            None => Some(format!(
                "{az} is not an availability zone of {region} (it has {})",
                known
                    .iter()
                    .map(|z| format!("{} ({})", z.name, z.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        None => {
            let zone = az.strip_prefix(region).unwrap_or("");
            let shaped = !zone.is_empty() && zone.ends_with(|c: char| c.is_ascii_lowercase());
            (!shaped).then(|| {
                format!("{az} is not an availability zone of {region} (expected something like {region}a)")
            })
        }
    }
}

/// EKS refuses a cluster whose subnets are not in at least two AZs.
fn control_plane_spread(subnets: &[SubnetSpec], issues: &mut Vec<FieldIssue>) {
    if subnets.len() < 2 {
        issues.push(FieldIssue::error(
            "network.controlPlaneSubnets",
            "EKS needs at least two control-plane subnets, in different availability zones",
        ));
        return;
    }
    let zones: BTreeSet<&str> = subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .filter(|z| !z.is_empty())
        .collect();
    if zones.len() == 1 {
        issues.push(FieldIssue::error(
            "network.controlPlaneSubnets",
            format!(
                "EKS needs control-plane subnets in at least two availability zones; all are in {}",
                zones.first().copied().unwrap_or_default()
            ),
        ));
    }
}

fn existing_node_subnets(
    spec: &ClusterSpec,
    ids: &[String],
    ctx: &ValidationContext,
    issues: &mut Vec<FieldIssue>,
) {
    if matches!(spec.network.vpc, VpcChoice::Create { .. }) && !ids.is_empty() {
        issues.push(FieldIssue::error(
            "network.nodeSubnets",
            "Existing node subnets need an existing VPC; a new VPC has no subnets yet",
        ));
    }
    for (i, id) in ids.iter().enumerate() {
        let field = format!("network.nodeSubnets[{i}]");
        if !is_aws_id(id, "subnet") {
            issues.push(FieldIssue::error(
                field,
                format!("\"{id}\" is not a subnet id (like subnet-0123456789abcdef0)"),
            ));
        } else if ids[..i].contains(id) {
            issues.push(FieldIssue::error(field, format!("{id} is listed twice")));
        } else if !ctx.existing_subnets.is_empty()
            && !ctx.existing_subnets.iter().any(|e| &e.id == id)
        {
            issues.push(FieldIssue::error(
                field,
                format!("{id} is not a subnet of the chosen VPC"),
            ));
        }
    }
}

/// `vpc-0123abcd` or `subnet-0123456789abcdef0`: the prefix, then 8 or 17
/// hex digits.
fn is_aws_id(id: &str, prefix: &str) -> bool {
    id.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|hex| {
            matches!(hex.len(), 8 | 17)
                && hex
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        })
}

/// Every new subnet against the ones before it and against the VPC's
/// existing subnets; the later one of a pair carries the error.
fn overlaps(created: &[PlannedSubnet], ctx: &ValidationContext, issues: &mut Vec<FieldIssue>) {
    let overlapping = |a: &Ipv4Net, b: &Ipv4Net| a.contains(b) || b.contains(a);
    for (i, s) in created.iter().enumerate() {
        let field = format!("{}.cidr", s.field);
        for earlier in &created[..i] {
            if overlapping(&s.net, &earlier.net) {
                issues.push(FieldIssue::error(
                    &field,
                    format!("{} overlaps {} ({})", s.net, earlier.label, earlier.net),
                ));
            }
        }
        for e in &ctx.existing_subnets {
            if let Some(net) = parse_net(&e.cidr).filter(|n| overlapping(&s.net, n)) {
                issues.push(FieldIssue::error(
                    &field,
                    format!("{} overlaps existing subnet {} ({net})", s.net, e.id),
                ));
            }
        }
    }
}

#[cfg(test)]
#[path = "network_rules_tests.rs"]
mod tests;

//! Rules for `network.egress` and `network.publicSubnets`: the way out must
//! fit the VPC (a new VPC has none of its own; a picked one is never
//! changed), NAT needs public subnets in the zones it serves, and private
//! endpoints need the cluster endpoint reachable from inside the VPC.

use super::FieldIssue;
use crate::spec::model::{ClusterSpec, Egress, NodeSubnets, VpcChoice};
use std::collections::BTreeSet;

pub(super) fn check(spec: &ClusterSpec, issues: &mut Vec<FieldIssue>) {
    let network = &spec.network;
    let egress = network.egress;
    let field = "network.egress";
    match (&network.vpc, egress) {
        (VpcChoice::Create { .. }, Egress::Existing) => issues.push(FieldIssue::error(
            field,
            "A new VPC has no way out of its own: pick one NAT gateway, a NAT gateway per zone, or private endpoints",
        )),
        (VpcChoice::Existing { .. }, Egress::NatGateway | Egress::NatPerZone | Egress::PrivateEndpoints) => {
            issues.push(FieldIssue::error(
                field,
                "EKS Desk never changes a VPC it did not create: with an existing VPC, its own way out is used (and checked)",
            ))
        }
        _ => {}
    }
    if !egress.has_public_subnets() {
        if !network.public_subnets.is_empty() {
            issues.push(FieldIssue::error(
                "network.publicSubnets",
                "Public subnets are only for NAT gateways: remove them, or pick a NAT egress",
            ));
        }
    } else if network.public_subnets.is_empty() {
        issues.push(FieldIssue::error(
            "network.publicSubnets",
            "A NAT gateway lives in a public subnet: add at least one (Re-carve adds one per zone)",
        ));
    } else if egress == Egress::NatPerZone {
        let public: BTreeSet<&str> = network
            .public_subnets
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        let mut private: BTreeSet<&str> = network
            .control_plane_subnets
            .iter()
            .map(|s| s.availability_zone.as_str())
            .collect();
        if let NodeSubnets::Create(nodes) = &network.node_subnets {
            private.extend(nodes.iter().map(|s| s.availability_zone.as_str()));
        }
        let missing: Vec<&str> = private
            .difference(&public)
            .copied()
            .filter(|z| !z.is_empty())
            .collect();
        if !missing.is_empty() {
            issues.push(FieldIssue::error(
                "network.publicSubnets",
                format!(
                    "With a NAT gateway per zone, every zone with private subnets needs a public subnet for its NAT gateway; none in {}",
                    missing.join(", ")
                ),
            ));
        }
    }
    if egress == Egress::PrivateEndpoints && !spec.cluster.endpoint_private_access {
        issues.push(FieldIssue::error(
            "cluster.endpointPrivateAccess",
            "With private endpoints only, nodes reach the Kubernetes API from inside the VPC: turn private endpoint access on",
        ));
    }
}

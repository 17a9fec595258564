//! Terraform export: HCL declaring what EKS Desk creates for a spec. The
//! resources are the seed post's, with its known mistakes fixed: `local.`
//! (not `locals.`), `instance_types` as a list, node subnets that are
//! actually defined, and an access entry for the caller instead of root.

mod attributes;
mod iam;
mod network;

use super::api_names::authentication_mode;
use super::hcl_writer::{render_file, Block, Body, Expr};
use crate::spec::model::{
    CapacityType, ClusterSpec, NodeGroupSpec, NodeSubnets, SubnetSpec, TaintEffect,
};
use attributes::{depends_on, tags, Labels};
use iam::{RoleRef, Trust};

/// The AWS provider versions this export works with: 5.33 added access
/// entries (`aws_eks_access_entry`, `aws_eks_access_policy_association`)
/// and `access_config.bootstrap_cluster_creator_admin_permissions`, which
/// every export uses; 6.x keeps all of it.
const PROVIDER_VERSIONS: &str = ">= 5.33, < 7.0";

/// The Terraform configuration for `spec`, formatted as `terraform fmt`
/// leaves it.
pub fn render(spec: &ClusterSpec) -> String {
    let name = &spec.cluster.name;
    let header = format!(
        "Terraform for the EKS cluster \"{name}\" ({}), exported by EKS Desk.",
        spec.cluster.region
    );
    let mut blocks = vec![
        required_providers(),
        provider(spec),
        Block::new("data", &["aws_partition", "current"], Body::default()).with_comment(&[
            "The partition (aws, aws-cn, aws-us-gov) every ARN below is built in.",
        ]),
        locals(spec),
    ];
    let network = network::blocks(spec, &mut blocks);
    let cluster_role = iam::role(spec, &spec.iam.cluster_role, Trust::Cluster, &mut blocks);
    let node_role = iam::role(spec, &spec.iam.node_role, Trust::Node, &mut blocks);
    blocks.push(cluster(spec, &cluster_role));
    let node_groups = node_groups(spec, &node_role, &network.egress_ready, &mut blocks);
    addons(spec, &node_groups, &mut blocks);
    iam::access_entries(spec, &mut blocks);
    render_file(
        &[
            &header,
            "It declares what EKS Desk creates for this spec. A VPC, subnets or IAM roles",
            "that the spec names as existing are only referenced, never managed here.",
        ],
        &blocks,
    )
}

fn required_providers() -> Block {
    let aws = Expr::Object(vec![
        ("source".into(), Expr::str("hashicorp/aws")),
        ("version".into(), Expr::str(PROVIDER_VERSIONS)),
    ]);
    let mut providers = Body::default();
    providers.attr("aws", aws);
    let mut body = Body::default();
    body.block(Block::new("required_providers", &[], providers));
    Block::new("terraform", &[], body)
}

fn provider(spec: &ClusterSpec) -> Block {
    let mut body = Body::default();
    body.attr("region", Expr::str(&spec.cluster.region));
    Block::new("provider", &["aws"], body)
}

/// The subnets as data, so that each `aws_subnet` resource is one block
/// with a `count` over its list, as in the seed.
fn locals(spec: &ClusterSpec) -> Block {
    let subnet_list = |subnets: &[SubnetSpec]| {
        Expr::ListLines(
            subnets
                .iter()
                .map(|s| {
                    Expr::InlineObject(vec![
                        ("cidr".into(), Expr::str(&s.cidr)),
                        ("az".into(), Expr::str(&s.availability_zone)),
                    ])
                })
                .collect(),
        )
    };
    let mut body = Body::default();
    body.attr(
        "control_plane_subnets",
        subnet_list(&spec.network.control_plane_subnets),
    );
    match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => body.attr("node_subnets", subnet_list(subnets)),
        NodeSubnets::Existing(ids) => body.attr(
            "node_subnet_ids",
            Expr::ListLines(ids.iter().map(Expr::str).collect()),
        ),
    };
    if spec.network.egress.has_public_subnets() {
        body.attr("public_subnets", subnet_list(&spec.network.public_subnets));
    }
    Block::new("locals", &[], body)
}

fn cluster(spec: &ClusterSpec, role: &RoleRef) -> Block {
    let settings = &spec.cluster;
    let mut vpc_config = Body::default();
    vpc_config
        .attr(
            "subnet_ids",
            Expr::raw("aws_subnet.eks_control_plane[*].id"),
        )
        .attr(
            "endpoint_public_access",
            Expr::Bool(settings.endpoint_public_access),
        )
        .attr(
            "endpoint_private_access",
            Expr::Bool(settings.endpoint_private_access),
        );
    let mut access_config = Body::default();
    access_config
        .attr(
            "authentication_mode",
            Expr::str(authentication_mode(settings.authentication_mode)),
        )
        .attr(
            "bootstrap_cluster_creator_admin_permissions",
            Expr::Bool(spec.access.grant_creator_admin),
        );

    let mut body = Body::default();
    body.attr("name", Expr::str(&settings.name))
        .attr("role_arn", role.arn.clone())
        .attr("version", Expr::str(&settings.kubernetes_version));
    if let Some(tags) = tags(spec, Vec::new()) {
        body.blank().attr("tags", tags);
    }
    body.block(Block::new("vpc_config", &[], vpc_config))
        .block(Block::new("access_config", &[], access_config));
    depends_on(&mut body, &role.attachments);
    Block::new("resource", &["aws_eks_cluster", "main"], body)
}

/// The node groups' blocks; returns their addresses. They wait for their
/// role's policies and for the way out of the VPC: nodes that boot before
/// their route to ECR and the EKS API exists never join.
fn node_groups(
    spec: &ClusterSpec,
    role: &RoleRef,
    egress_ready: &[String],
    blocks: &mut Vec<Block>,
) -> Vec<String> {
    let mut labels = Labels::default();
    let mut addresses = Vec::new();
    let mut wait_for = role.attachments.clone();
    wait_for.extend(egress_ready.iter().cloned());
    for group in &spec.node_groups {
        let label = labels.unique(&group.name);
        blocks.push(node_group(spec, group, role, &wait_for, &label));
        addresses.push(format!("aws_eks_node_group.{label}"));
    }
    addresses
}

fn node_group(
    spec: &ClusterSpec,
    group: &NodeGroupSpec,
    role: &RoleRef,
    wait_for: &[String],
    label: &str,
) -> Block {
    let capacity_type = match group.capacity_type {
        CapacityType::OnDemand => "ON_DEMAND",
        CapacityType::Spot => "SPOT",
    };
    let mut body = Body::default();
    body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
        .attr("node_group_name", Expr::str(&group.name))
        .attr("node_role_arn", role.arn.clone())
        .attr("subnet_ids", node_group_subnets(spec, group))
        .attr("ami_type", Expr::str(&group.ami_type))
        .attr("instance_types", Expr::strings(&group.instance_types))
        .attr("capacity_type", Expr::str(capacity_type))
        .attr("disk_size", Expr::Number(group.disk_size_gib.into()));
    if !group.labels.is_empty() {
        let labels = group
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), Expr::str(v)))
            .collect();
        body.blank().attr("labels", Expr::Object(labels));
    }
    if let Some(tags) = tags(spec, Vec::new()) {
        body.blank().attr("tags", tags);
    }

    let mut scaling = Body::default();
    scaling
        .attr("desired_size", Expr::Number(group.desired_size.into()))
        .attr("max_size", Expr::Number(group.max_size.into()))
        .attr("min_size", Expr::Number(group.min_size.into()));
    body.block(Block::new("scaling_config", &[], scaling));
    for taint in &group.taints {
        let effect = match taint.effect {
            TaintEffect::NoSchedule => "NO_SCHEDULE",
            TaintEffect::NoExecute => "NO_EXECUTE",
            TaintEffect::PreferNoSchedule => "PREFER_NO_SCHEDULE",
        };
        let mut block = Body::default();
        block.attr("key", Expr::str(&taint.key));
        if !taint.value.is_empty() {
            block.attr("value", Expr::str(&taint.value));
        }
        block.attr("effect", Expr::str(effect));
        body.block(Block::new("taint", &[], block));
    }
    depends_on(&mut body, wait_for);
    Block::new("resource", &["aws_eks_node_group", label], body)
}

/// All node subnets, or the group's own choice: a CIDR of a node subnet the
/// spec creates becomes a reference to it; anything else is a subnet id.
fn node_group_subnets(spec: &ClusterSpec, group: &NodeGroupSpec) -> Expr {
    match &spec.network.node_subnets {
        NodeSubnets::Create(_) if group.subnets.is_empty() => Expr::raw("aws_subnet.nodes[*].id"),
        NodeSubnets::Existing(_) if group.subnets.is_empty() => Expr::raw("local.node_subnet_ids"),
        NodeSubnets::Create(created) => Expr::List(
            group
                .subnets
                .iter()
                .map(|s| match created.iter().position(|c| &c.cidr == s) {
                    Some(i) => Expr::raw(format!("aws_subnet.nodes[{i}].id")),
                    None => Expr::str(s),
                })
                .collect(),
        ),
        NodeSubnets::Existing(_) => Expr::strings(&group.subnets),
    }
}

fn addons(spec: &ClusterSpec, node_groups: &[String], blocks: &mut Vec<Block>) {
    let mut labels = Labels::default();
    for addon in &spec.addons {
        let mut body = Body::default();
        body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
            .attr("addon_name", Expr::str(&addon.name));
        if !addon.version.is_empty() {
            body.attr("addon_version", Expr::str(&addon.version));
        }
        if addon.name == "coredns" {
            // CoreDNS pods need nodes; without any the add-on stays
            // DEGRADED and Terraform times out waiting for it.
            depends_on(&mut body, node_groups);
        }
        let label = labels.unique(&addon.name);
        blocks.push(Block::new("resource", &["aws_eks_addon", &label], body));
    }
}

#[cfg(test)]
mod tests;

//! Terraform export: HCL declaring what EKS Desk creates for a spec. The
//! resources are the seed post's, with its known mistakes fixed: `local.`
//! (not `locals.`), `instance_types` as a list, node subnets that are
//! actually defined, and an access entry for the caller instead of root.

use std::collections::HashSet;

use super::api_names::{access_policy_arn, authentication_mode};
use super::hcl_writer::{identifier, render_file, Block, Body, Expr, TemplatePart};
use crate::spec::model::{
    AccessScope, CapacityType, ClusterSpec, NodeGroupSpec, NodeSubnets, RoleChoice, SubnetSpec,
    TaintEffect, VpcChoice,
};

const IAM_POLICY_PREFIX: &str = "arn:aws:iam::aws:policy/";
const NODE_ROLE_POLICIES: [&str; 3] = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
];

/// The Terraform configuration for `spec`, formatted as `terraform fmt`
/// leaves it.
pub fn render(spec: &ClusterSpec) -> String {
    let name = &spec.cluster.name;
    let header = format!(
        "Terraform for the EKS cluster \"{name}\" ({}), exported by EKS Desk.",
        spec.cluster.region
    );
    let mut blocks = vec![required_providers(), provider(spec), locals(spec)];
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
    blocks.push(subnets(
        spec,
        "eks_control_plane",
        "control_plane_subnets",
        vpc_id,
    ));
    if let NodeSubnets::Create(_) = spec.network.node_subnets {
        blocks.push(subnets(spec, "nodes", "node_subnets", vpc_id));
    }
    let cluster_role = role(spec, &spec.iam.cluster_role, Trust::Cluster, &mut blocks);
    let node_role = role(spec, &spec.iam.node_role, Trust::Node, &mut blocks);
    blocks.push(cluster(spec, &cluster_role));
    let node_groups = node_groups(spec, &node_role, &mut blocks);
    addons(spec, &node_groups, &mut blocks);
    access_entries(spec, &mut blocks);
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
        ("version".into(), Expr::str("~> 5.0")),
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
    Block::new("locals", &[], body)
}

/// The spec's tags plus `extra` (which win on a clash), or `None` when
/// there are none at all.
fn tags(spec: &ClusterSpec, extra: Vec<(String, Expr)>) -> Option<Expr> {
    let mut entries: Vec<(String, Expr)> = spec
        .cluster
        .tags
        .iter()
        .filter(|(key, _)| !extra.iter().any(|(k, _)| k == *key))
        .map(|(key, value)| (key.clone(), Expr::str(value)))
        .collect();
    entries.extend(extra);
    (!entries.is_empty()).then_some(Expr::Object(entries))
}

fn created_vpc(spec: &ClusterSpec, cidr: &str) -> Block {
    let mut body = Body::default();
    body.attr("cidr_block", Expr::str(cidr))
        // EKS needs both: nodes register by their private DNS names.
        .attr("enable_dns_hostnames", Expr::Bool(true))
        .attr("enable_dns_support", Expr::Bool(true));
    let name = format!("{}-vpc", spec.cluster.name);
    if let Some(tags) = tags(spec, vec![("Name".into(), Expr::str(name))]) {
        body.blank().attr("tags", tags);
    }
    Block::new("resource", &["aws_vpc", "main"], body).with_comment(&[
        "The spec adds no internet gateway, NAT gateway or VPC endpoints: nodes in the",
        "private subnets below can join the cluster only once the VPC has a route to",
        "the EKS API, ECR and S3 (a NAT gateway or VPC endpoints).",
    ])
}

/// `aws_subnet.<label>`, one per entry of `local.<list>`.
fn subnets(spec: &ClusterSpec, label: &str, list: &str, vpc_id: &str) -> Block {
    let item = format!("local.{list}[count.index]");
    let purpose = if label == "nodes" {
        "nodes"
    } else {
        "control-plane"
    };
    let name = Expr::Template(vec![
        TemplatePart::Text(format!("{}-{purpose}-", spec.cluster.name)),
        TemplatePart::Interpolation(format!("{item}.az")),
    ]);
    let mut extra = vec![("Name".to_string(), name)];
    if label == "nodes" {
        // Lets the AWS Load Balancer Controller find the subnets for
        // internal load balancers.
        extra.push(("kubernetes.io/role/internal-elb".into(), Expr::str("1")));
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

#[derive(Clone, Copy)]
enum Trust {
    Cluster,
    Node,
}

/// How the cluster or node groups refer to a role, and what to wait for.
struct RoleRef {
    arn: Expr,
    /// The policy attachments, which must exist before the role is used.
    attachments: Vec<String>,
}

/// Blocks for a role the spec creates (trust policy, role, attachments),
/// or nothing for an existing one, which is used by its ARN.
fn role(spec: &ClusterSpec, choice: &RoleChoice, trust: Trust, blocks: &mut Vec<Block>) -> RoleRef {
    let (name, vpc_resource_controller) = match choice {
        RoleChoice::Existing { arn } => {
            return RoleRef {
                arn: Expr::str(arn),
                attachments: Vec::new(),
            }
        }
        RoleChoice::Create {
            name,
            vpc_resource_controller,
        } => (name, *vpc_resource_controller),
    };
    // The seed's labels, so that the export reads like the post.
    let (label, service, policies) = match trust {
        Trust::Cluster => {
            let mut policies = vec!["AmazonEKSClusterPolicy"];
            if vpc_resource_controller {
                policies.push("AmazonEKSVPCResourceController");
            }
            ("eks", "eks.amazonaws.com", policies)
        }
        Trust::Node => (
            "node_group",
            "ec2.amazonaws.com",
            NODE_ROLE_POLICIES.to_vec(),
        ),
    };
    let document = format!("{label}_role");

    let mut principals = Body::default();
    principals
        .attr("type", Expr::str("Service"))
        .attr("identifiers", Expr::strings(&[service]));
    let mut statement = Body::default();
    statement
        .attr("effect", Expr::str("Allow"))
        .attr("actions", Expr::strings(&["sts:AssumeRole"]))
        .block(Block::new("principals", &[], principals));
    let mut body = Body::default();
    body.block(Block::new("statement", &[], statement));
    blocks.push(Block::new(
        "data",
        &["aws_iam_policy_document", &document],
        body,
    ));

    let mut body = Body::default();
    body.attr("name", Expr::str(name)).attr(
        "assume_role_policy",
        Expr::raw(format!("data.aws_iam_policy_document.{document}.json")),
    );
    if let Some(tags) = tags(spec, Vec::new()) {
        body.blank().attr("tags", tags);
    }
    blocks.push(Block::new("resource", &["aws_iam_role", label], body));

    let mut attachments = Vec::new();
    for policy in policies {
        let attachment = format!("{label}_{policy}");
        let mut body = Body::default();
        body.attr("role", Expr::raw(format!("aws_iam_role.{label}.name")))
            .attr(
                "policy_arn",
                Expr::str(format!("{IAM_POLICY_PREFIX}{policy}")),
            );
        blocks.push(Block::new(
            "resource",
            &["aws_iam_role_policy_attachment", &attachment],
            body,
        ));
        attachments.push(format!("aws_iam_role_policy_attachment.{attachment}"));
    }
    RoleRef {
        arn: Expr::raw(format!("aws_iam_role.{label}.arn")),
        attachments,
    }
}

fn depends_on(body: &mut Body, references: &[String]) {
    if !references.is_empty() {
        let list = references.iter().map(Expr::raw).collect();
        body.blank().attr("depends_on", Expr::ListLines(list));
    }
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

/// Makes labels unique within one resource type: names that differ only in
/// characters an identifier cannot hold (`a-b`, `a.b`) would clash.
#[derive(Default)]
struct Labels(HashSet<String>);

impl Labels {
    fn unique(&mut self, name: &str) -> String {
        let base = identifier(name);
        let mut label = base.clone();
        let mut n = 2;
        while !self.0.insert(label.clone()) {
            label = format!("{base}_{n}");
            n += 1;
        }
        label
    }
}

/// The node groups' blocks; returns their addresses.
fn node_groups(spec: &ClusterSpec, role: &RoleRef, blocks: &mut Vec<Block>) -> Vec<String> {
    let mut labels = Labels::default();
    let mut addresses = Vec::new();
    for group in &spec.node_groups {
        let label = labels.unique(&group.name);
        blocks.push(node_group(spec, group, role, &label));
        addresses.push(format!("aws_eks_node_group.{label}"));
    }
    addresses
}

fn node_group(spec: &ClusterSpec, group: &NodeGroupSpec, role: &RoleRef, label: &str) -> Block {
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
    depends_on(&mut body, &role.attachments);
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

/// One access entry per principal (EKS allows no more), and one policy
/// association per entry of the spec.
fn access_entries(spec: &ClusterSpec, blocks: &mut Vec<Block>) {
    let entries = &spec.access.entries;
    if entries.iter().any(|e| e.principal_arn.is_empty()) {
        blocks.push(
            Block::new("data", &["aws_caller_identity", "current"], Body::default()).with_comment(
                &[
                    "The identity running Terraform. For an assumed role (SSO, CI) its ARN is the",
                    "STS session's, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, which EKS",
                    "refuses as an access-entry principal: the session context below gives the",
                    "IAM role's ARN instead (and a user's own ARN for an IAM user).",
                ],
            ),
        );
        let mut body = Body::default();
        body.attr("arn", Expr::raw("data.aws_caller_identity.current.arn"));
        blocks.push(Block::new(
            "data",
            &["aws_iam_session_context", "current"],
            body,
        ));
    }

    let mut entry_labels = Labels::default();
    let mut association_labels = Labels::default();
    let mut principals: Vec<(&str, String)> = Vec::new();
    for entry in entries {
        let principal = entry.principal_arn.as_str();
        let entry_label = match principals.iter().find(|(p, _)| *p == principal) {
            Some((_, label)) => label.clone(),
            None => {
                let label = entry_labels.unique(&principal_name(principal));
                let arn = if principal.is_empty() {
                    Expr::raw("data.aws_iam_session_context.current.issuer_arn")
                } else {
                    Expr::str(principal)
                };
                let mut body = Body::default();
                body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
                    .attr("principal_arn", arn);
                blocks.push(Block::new(
                    "resource",
                    &["aws_eks_access_entry", &label],
                    body,
                ));
                principals.push((principal, label.clone()));
                label
            }
        };

        let policy_arn = access_policy_arn(&entry.policy);
        let policy_name = entry.policy.rsplit('/').next().unwrap_or_default();
        let mut scope = Body::default();
        match &entry.scope {
            AccessScope::Cluster => scope.attr("type", Expr::str("cluster")),
            AccessScope::Namespace { namespaces } => scope
                .attr("type", Expr::str("namespace"))
                .attr("namespaces", Expr::strings(namespaces)),
        };
        let mut body = Body::default();
        body.attr("cluster_name", Expr::raw("aws_eks_cluster.main.name"))
            .attr("policy_arn", Expr::str(policy_arn))
            // Through the entry, so that Terraform creates the entry first.
            .attr(
                "principal_arn",
                Expr::raw(format!("aws_eks_access_entry.{entry_label}.principal_arn")),
            )
            .block(Block::new("access_scope", &[], scope));
        let label = association_labels.unique(&format!("{entry_label}_{policy_name}"));
        blocks.push(Block::new(
            "resource",
            &["aws_eks_access_policy_association", &label],
            body,
        ));
    }
}

/// A readable label for a principal: `caller` for the identity running
/// Terraform, else the ARN's last part (`role/platform-admins` gives
/// `platform-admins`).
fn principal_name(principal_arn: &str) -> String {
    if principal_arn.is_empty() {
        return "caller".to_string();
    }
    principal_arn
        .rsplit(['/', ':'])
        .find(|part| !part.is_empty())
        .unwrap_or("principal")
        .to_string()
}

#[cfg(test)]
#[path = "terraform_tests.rs"]
mod tests;

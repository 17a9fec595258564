//! Tests of the Terraform export: the golden file for the seed, the output
//! read back by an HCL parser, and (where `terraform` is installed) the
//! output checked against `terraform fmt` itself.

use super::render;
use crate::spec::export::golden;
use crate::spec::model::{
    AccessEntrySpec, AccessScope, AddonSpec, CapacityType, ClusterSpec, Egress, NodeSubnets,
    RoleChoice, Taint, TaintEffect, VpcChoice,
};
use hcl::{Body, Expression};

fn parse(text: &str) -> Body {
    hcl::parse(text).unwrap_or_else(|e| panic!("not HCL: {e}\n{text}"))
}

/// `(kind, labels)` of every top-level block, e.g. `("resource", ["aws_vpc", "main"])`.
fn blocks(body: &Body) -> Vec<(String, Vec<String>)> {
    body.blocks()
        .map(|b| {
            let labels = b.labels().iter().map(|l| l.as_str().to_string()).collect();
            (b.identifier().to_string(), labels)
        })
        .collect()
}

fn block<'a>(body: &'a Body, kind: &str, labels: &[&str]) -> &'a Body {
    body.blocks()
        .find(|b| {
            b.identifier() == kind
                && b.labels()
                    .iter()
                    .map(|l| l.as_str())
                    .eq(labels.iter().copied())
        })
        .map(|b| b.body())
        .unwrap_or_else(|| panic!("no {kind} {labels:?}"))
}

fn attr<'a>(body: &'a Body, key: &str) -> &'a Expression {
    body.attributes()
        .find(|a| a.key() == key)
        .map(|a| a.expr())
        .unwrap_or_else(|| panic!("no attribute {key}"))
}

fn string(body: &Body, key: &str) -> String {
    match attr(body, key) {
        Expression::String(s) => s.clone(),
        other => panic!("{key} is not a plain string: {other:?}"),
    }
}

fn number(body: &Body, key: &str) -> u64 {
    match attr(body, key) {
        Expression::Number(n) => n.as_u64().expect("whole number"),
        other => panic!("{key} is not a number: {other:?}"),
    }
}

fn strings(expr: &Expression) -> Vec<String> {
    match expr {
        Expression::Array(items) => items
            .iter()
            .map(|i| match i {
                Expression::String(s) => s.clone(),
                other => panic!("not a string: {other:?}"),
            })
            .collect(),
        other => panic!("not a list: {other:?}"),
    }
}

fn resource_types(body: &Body) -> Vec<String> {
    blocks(body)
        .into_iter()
        .filter(|(kind, _)| kind == "resource")
        .map(|(_, labels)| labels[0].clone())
        .collect()
}

/// Existing VPC, subnets and roles; a spot group with taints and labels;
/// an entry for a named role scoped to namespaces.
fn existing_network_variant() -> ClusterSpec {
    let mut spec = ClusterSpec::default();
    spec.cluster.tags.insert("team".into(), "platform".into());
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "vpc-0abc".into(),
        cidr: "10.0.0.0/16".into(),
    };
    spec.network.node_subnets = NodeSubnets::Existing(vec!["subnet-1".into(), "subnet-2".into()]);
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    spec.iam.cluster_role = RoleChoice::Existing {
        arn: "arn:aws:iam::111122223333:role/eks-cluster".into(),
    };
    spec.iam.node_role = RoleChoice::Existing {
        arn: "arn:aws:iam::111122223333:role/eks-node".into(),
    };
    let group = &mut spec.node_groups[0];
    group.name = "gpu-spot".into();
    group.subnets = vec!["subnet-2".into()];
    group.capacity_type = CapacityType::Spot;
    group.ami_type = "AL2023_x86_64_NVIDIA".into();
    group.instance_types = vec!["g5.xlarge".into(), "g5.2xlarge".into()];
    group
        .labels
        .insert("node.kubernetes.io/pool".into(), "gpu".into());
    group.taints = vec![
        Taint {
            key: "nvidia.com/gpu".into(),
            value: "true".into(),
            effect: TaintEffect::NoSchedule,
        },
        Taint {
            key: "spot".into(),
            value: String::new(),
            effect: TaintEffect::PreferNoSchedule,
        },
    ];
    spec.addons.push(AddonSpec {
        name: "eks-pod-identity-agent".into(),
        version: String::new(),
    });
    spec.access.grant_creator_admin = true;
    spec.access.entries = vec![AccessEntrySpec {
        principal_arn: "arn:aws:iam::111122223333:role/developers".into(),
        policy: "AmazonEKSEditPolicy".into(),
        scope: AccessScope::Namespace {
            namespaces: vec!["dev".into(), "staging".into()],
        },
    }];
    spec
}

#[test]
fn the_seed_matches_its_golden_file() {
    golden::check("seed.tf", &render(&ClusterSpec::default()));
}

#[test]
fn the_seed_parses_with_the_seeds_resources_and_values() {
    let body = parse(&render(&ClusterSpec::default()));
    let expected: Vec<(&str, Vec<&str>)> = vec![
        ("terraform", vec![]),
        ("provider", vec!["aws"]),
        ("data", vec!["aws_partition", "current"]),
        ("locals", vec![]),
        ("resource", vec!["aws_vpc", "main"]),
        ("resource", vec!["aws_subnet", "eks_control_plane"]),
        ("resource", vec!["aws_subnet", "nodes"]),
        ("resource", vec!["aws_internet_gateway", "main"]),
        ("resource", vec!["aws_subnet", "public"]),
        ("resource", vec!["aws_route_table", "public"]),
        ("resource", vec!["aws_route_table_association", "public"]),
        ("resource", vec!["aws_eip", "nat"]),
        ("resource", vec!["aws_nat_gateway", "main"]),
        ("resource", vec!["aws_route_table", "private"]),
        (
            "resource",
            vec!["aws_route_table_association", "eks_control_plane"],
        ),
        ("resource", vec!["aws_route_table_association", "nodes"]),
        ("data", vec!["aws_iam_policy_document", "eks_role"]),
        ("resource", vec!["aws_iam_role", "eks"]),
        (
            "resource",
            vec![
                "aws_iam_role_policy_attachment",
                "eks_AmazonEKSClusterPolicy",
            ],
        ),
        (
            "resource",
            vec![
                "aws_iam_role_policy_attachment",
                "eks_AmazonEKSVPCResourceController",
            ],
        ),
        ("data", vec!["aws_iam_policy_document", "node_group_role"]),
        ("resource", vec!["aws_iam_role", "node_group"]),
        (
            "resource",
            vec![
                "aws_iam_role_policy_attachment",
                "node_group_AmazonEKSWorkerNodePolicy",
            ],
        ),
        (
            "resource",
            vec![
                "aws_iam_role_policy_attachment",
                "node_group_AmazonEKS_CNI_Policy",
            ],
        ),
        (
            "resource",
            vec![
                "aws_iam_role_policy_attachment",
                "node_group_AmazonEC2ContainerRegistryReadOnly",
            ],
        ),
        ("resource", vec!["aws_eks_cluster", "main"]),
        ("resource", vec!["aws_eks_node_group", "default_node_group"]),
        ("resource", vec!["aws_eks_addon", "vpc_cni"]),
        ("resource", vec!["aws_eks_addon", "coredns"]),
        ("resource", vec!["aws_eks_addon", "kube_proxy"]),
        ("data", vec!["aws_caller_identity", "current"]),
        ("data", vec!["aws_iam_session_context", "current"]),
        ("resource", vec!["aws_eks_access_entry", "caller"]),
        (
            "resource",
            vec![
                "aws_eks_access_policy_association",
                "caller_AmazonEKSClusterAdminPolicy",
            ],
        ),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .into_iter()
        .map(|(k, l)| (k.to_string(), l.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(blocks(&body), expected);

    let cluster = block(&body, "resource", &["aws_eks_cluster", "main"]);
    assert_eq!(string(cluster, "name"), "my-eks");
    assert_eq!(string(cluster, "version"), "1.33");
    let access = block(cluster, "access_config", &[]);
    assert_eq!(string(access, "authentication_mode"), "API_AND_CONFIG_MAP");
    assert_eq!(
        attr(access, "bootstrap_cluster_creator_admin_permissions"),
        &Expression::Bool(false)
    );

    // The post's `locals.` mistake: every reference must be `local.`.
    let locals = block(&body, "locals", &[]);
    let Expression::Array(subnets) = attr(locals, "control_plane_subnets") else {
        panic!("control_plane_subnets is not a list");
    };
    let cidrs: Vec<String> = subnets
        .iter()
        .map(|s| match s {
            Expression::Object(o) => match o.iter().find(|(k, _)| k.to_string() == "cidr") {
                Some((_, Expression::String(c))) => c.clone(),
                other => panic!("cidr: {other:?}"),
            },
            other => panic!("not an object: {other:?}"),
        })
        .collect();
    assert_eq!(cidrs, ["10.0.0.192/28", "10.0.0.208/28", "10.0.0.224/28"]);

    let group = block(
        &body,
        "resource",
        &["aws_eks_node_group", "default_node_group"],
    );
    assert_eq!(strings(attr(group, "instance_types")), ["t4g.xlarge"]);
    assert_eq!(string(group, "ami_type"), "AL2023_ARM_64_STANDARD");
    let scaling = block(group, "scaling_config", &[]);
    assert_eq!(
        [
            number(scaling, "min_size"),
            number(scaling, "desired_size"),
            number(scaling, "max_size")
        ],
        [1, 1, 3]
    );

    for (label, version) in [
        ("vpc_cni", "v1.19.5-eksbuild.3"),
        ("coredns", "v1.12.1-eksbuild.2"),
        ("kube_proxy", "v1.33.0-eksbuild.2"),
    ] {
        let addon = block(&body, "resource", &["aws_eks_addon", label]);
        assert_eq!(string(addon, "addon_version"), version);
    }
    let coredns = block(&body, "resource", &["aws_eks_addon", "coredns"]);
    assert!(matches!(attr(coredns, "depends_on"), Expression::Array(a) if a.len() == 1));
}

#[test]
fn the_seeds_mistakes_are_not_repeated() {
    let text = render(&ClusterSpec::default());
    assert!(
        !text.contains("locals."),
        "`locals.` is not a Terraform reference"
    );
    assert!(
        !text.contains("aws_subnets.private"),
        "undefined data source"
    );
    assert!(!text.contains(":root"), "access for the account root");
    assert!(!text.contains("export "), "shell in Terraform");
}

#[test]
fn an_existing_network_and_roles_are_referenced_not_created() {
    let text = render(&existing_network_variant());
    let body = parse(&text);
    let types = resource_types(&body);
    for managed in [
        "aws_vpc",
        "aws_iam_role",
        "aws_iam_role_policy_attachment",
        "aws_internet_gateway",
        "aws_nat_gateway",
        "aws_route_table",
        "aws_vpc_endpoint",
    ] {
        assert!(!types.iter().any(|t| t == managed), "{managed} in\n{text}");
    }
    let subnets: Vec<Vec<String>> = blocks(&body)
        .into_iter()
        .filter(|(kind, labels)| kind == "resource" && labels[0] == "aws_subnet")
        .map(|(_, labels)| labels)
        .collect();
    assert_eq!(
        subnets,
        [["aws_subnet", "eks_control_plane"]],
        "no node subnets"
    );
    let control_plane = block(&body, "resource", &["aws_subnet", "eks_control_plane"]);
    assert_eq!(
        attr(control_plane, "vpc_id").to_string(),
        "data.aws_vpc.main.id",
        "control-plane subnets are still created, in the existing VPC"
    );
    assert_eq!(
        string(block(&body, "data", &["aws_vpc", "main"]), "id"),
        "vpc-0abc"
    );
    let locals = block(&body, "locals", &[]);
    assert_eq!(
        strings(attr(locals, "node_subnet_ids")),
        ["subnet-1", "subnet-2"]
    );

    let cluster = block(&body, "resource", &["aws_eks_cluster", "main"]);
    assert_eq!(
        string(cluster, "role_arn"),
        "arn:aws:iam::111122223333:role/eks-cluster"
    );
    assert!(cluster.attributes().all(|a| a.key() != "depends_on"));

    let group = block(&body, "resource", &["aws_eks_node_group", "gpu_spot"]);
    assert_eq!(string(group, "node_group_name"), "gpu-spot");
    assert_eq!(string(group, "capacity_type"), "SPOT");
    assert_eq!(strings(attr(group, "subnet_ids")), ["subnet-2"]);
    assert_eq!(
        strings(attr(group, "instance_types")),
        ["g5.xlarge", "g5.2xlarge"]
    );
    let taints: Vec<(String, String)> = group
        .blocks()
        .filter(|b| b.identifier() == "taint")
        .map(|b| (string(b.body(), "key"), string(b.body(), "effect")))
        .collect();
    assert_eq!(
        taints,
        [
            ("nvidia.com/gpu".to_string(), "NO_SCHEDULE".to_string()),
            ("spot".to_string(), "PREFER_NO_SCHEDULE".to_string())
        ]
    );

    let addon = block(
        &body,
        "resource",
        &["aws_eks_addon", "eks_pod_identity_agent"],
    );
    assert!(addon.attributes().all(|a| a.key() != "addon_version"));

    assert!(!blocks(&body)
        .iter()
        .any(|(_, l)| l.first().is_some_and(|t| t == "aws_caller_identity")));
    let entry = block(&body, "resource", &["aws_eks_access_entry", "developers"]);
    assert_eq!(
        string(entry, "principal_arn"),
        "arn:aws:iam::111122223333:role/developers"
    );
    let association = block(
        &body,
        "resource",
        &[
            "aws_eks_access_policy_association",
            "developers_AmazonEKSEditPolicy",
        ],
    );
    let scope = block(association, "access_scope", &[]);
    assert_eq!(string(scope, "type"), "namespace");
    assert_eq!(strings(attr(scope, "namespaces")), ["dev", "staging"]);
}

#[test]
fn node_groups_may_pick_created_subnets_by_cidr() {
    let mut spec = ClusterSpec::default();
    spec.node_groups[0].subnets = vec!["10.0.32.0/20".into(), "subnet-other".into()];
    let body = parse(&render(&spec));
    let group = block(
        &body,
        "resource",
        &["aws_eks_node_group", "default_node_group"],
    );
    let Expression::Array(subnet_ids) = attr(group, "subnet_ids") else {
        panic!("subnet_ids is not a list");
    };
    assert_eq!(subnet_ids[0].to_string(), "aws_subnet.nodes[1].id");
    assert_eq!(subnet_ids[1], Expression::String("subnet-other".into()));
    assert_eq!(subnet_ids.len(), 2);
}

#[test]
fn quotes_backslashes_and_template_introducers_round_trip() {
    let tricky = r#"say "hi" \ ${var.x} %{ if } $${y} $ % end\"#;
    let mut spec = ClusterSpec::default();
    spec.cluster.name = tricky.into();
    spec.node_groups[0]
        .labels
        .insert(tricky.into(), tricky.into());
    let body = parse(&render(&spec));
    let cluster = block(&body, "resource", &["aws_eks_cluster", "main"]);
    assert_eq!(string(cluster, "name"), tricky);
    let group = block(
        &body,
        "resource",
        &["aws_eks_node_group", "default_node_group"],
    );
    let Expression::Object(labels) = attr(group, "labels") else {
        panic!("labels is not an object");
    };
    let (key, value) = labels.iter().next().expect("one label");
    assert_eq!(key.to_string(), tricky);
    assert_eq!(value, &Expression::String(tricky.into()));
}

#[test]
fn names_that_are_not_identifiers_get_distinct_labels() {
    let mut spec = ClusterSpec::default();
    let mut second = spec.node_groups[0].clone();
    spec.node_groups[0].name = "ng-1".into();
    second.name = "ng.1".into();
    spec.node_groups.push(second);
    let body = parse(&render(&spec));
    block(&body, "resource", &["aws_eks_node_group", "ng_1"]);
    let second = block(&body, "resource", &["aws_eks_node_group", "ng_1_2"]);
    assert_eq!(string(second, "node_group_name"), "ng.1");
    let coredns = block(&body, "resource", &["aws_eks_addon", "coredns"]);
    assert!(matches!(attr(coredns, "depends_on"), Expression::Array(a) if a.len() == 2));
}

/// Variants whose exports are kept as golden files too: HashiCorp's own
/// HCL parser and formatter check every golden file in `make test`
/// (tests/terraform-export), which is what `terraform fmt -check` does.
#[test]
fn variants_match_their_golden_files() {
    let mut tricky = ClusterSpec::default();
    tricky.cluster.name = r#"a"b\c${d}"#.into();
    tricky
        .cluster
        .tags
        .insert("kubernetes.io/x".into(), "1".into());
    golden::check("existing-network.tf", &render(&existing_network_variant()));
    golden::check("tricky-strings.tf", &render(&tricky));
    let mut per_zone = ClusterSpec::default();
    per_zone.network.egress = Egress::NatPerZone;
    golden::check("nat-per-zone.tf", &render(&per_zone));
    let mut private = ClusterSpec::default();
    private.network.egress = Egress::PrivateEndpoints;
    private.network.public_subnets.clear();
    private.cluster.endpoint_private_access = true;
    golden::check("private-endpoints.tf", &render(&private));
}

/// The reference inside `${...}` of a one-interpolation template, or the
/// text of a plain reference.
fn reference(expr: &Expression) -> String {
    expr.to_string()
}

#[test]
fn the_seeds_node_subnets_route_to_a_nat_gateway_in_a_public_subnet_routed_to_the_igw() {
    let body = parse(&render(&ClusterSpec::default()));
    let igw = block(&body, "resource", &["aws_internet_gateway", "main"]);
    assert_eq!(reference(attr(igw, "vpc_id")), "aws_vpc.main.id");

    let public = block(&body, "resource", &["aws_route_table", "public"]);
    let route = block(public, "route", &[]);
    assert_eq!(string(route, "cidr_block"), "0.0.0.0/0");
    assert_eq!(
        reference(attr(route, "gateway_id")),
        "aws_internet_gateway.main.id"
    );
    let public_assoc = block(
        &body,
        "resource",
        &["aws_route_table_association", "public"],
    );
    assert_eq!(
        reference(attr(public_assoc, "route_table_id")),
        "aws_route_table.public.id"
    );

    // One NAT gateway, in the first public subnet, with its elastic IP.
    let nat = block(&body, "resource", &["aws_nat_gateway", "main"]);
    assert!(nat.attributes().all(|a| a.key() != "count"));
    assert_eq!(reference(attr(nat, "subnet_id")), "aws_subnet.public[0].id");
    assert_eq!(reference(attr(nat, "allocation_id")), "aws_eip.nat.id");
    assert_eq!(
        string(block(&body, "resource", &["aws_eip", "nat"]), "domain"),
        "vpc"
    );
    let private = block(&body, "resource", &["aws_route_table", "private"]);
    assert_eq!(
        reference(attr(block(private, "route", &[]), "nat_gateway_id")),
        "aws_nat_gateway.main.id"
    );
    for label in ["nodes", "eks_control_plane"] {
        let assoc = block(&body, "resource", &["aws_route_table_association", label]);
        assert_eq!(
            reference(attr(assoc, "route_table_id")),
            "aws_route_table.private.id",
            "{label}"
        );
        assert_eq!(
            reference(attr(assoc, "subnet_id")),
            format!("aws_subnet.{label}[count.index].id")
        );
    }

    // Load-balancer discovery tags, as the engine sets them.
    let lb_tag = |label: &str, key: &str| -> bool {
        let subnet = block(&body, "resource", &["aws_subnet", label]);
        let Expression::Object(tags) = attr(subnet, "tags") else {
            panic!("{label} tags")
        };
        tags.iter().any(|(k, v)| {
            k.to_string().trim_matches('"') == key && v == &Expression::String("1".into())
        })
    };
    assert!(lb_tag("public", "kubernetes.io/role/elb"));
    assert!(lb_tag("nodes", "kubernetes.io/role/internal-elb"));
    let locals = block(&body, "locals", &[]);
    let Expression::Array(public_subnets) = attr(locals, "public_subnets") else {
        panic!("public_subnets")
    };
    assert_eq!(public_subnets.len(), 3);

    // Nodes boot only once their way out exists.
    let group = block(
        &body,
        "resource",
        &["aws_eks_node_group", "default_node_group"],
    );
    let Expression::Array(waits) = attr(group, "depends_on") else {
        panic!("depends_on")
    };
    let waits: Vec<String> = waits.iter().map(reference).collect();
    for needed in [
        "aws_nat_gateway.main",
        "aws_route_table_association.nodes",
        "aws_iam_role_policy_attachment.node_group_AmazonEKSWorkerNodePolicy",
    ] {
        assert!(waits.iter().any(|w| w == needed), "{needed} in {waits:?}");
    }
}

#[test]
fn a_nat_gateway_per_zone_serves_the_private_subnets_of_its_zone() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::NatPerZone;
    let body = parse(&render(&spec));
    for (kind, label) in [
        ("aws_eip", "nat"),
        ("aws_nat_gateway", "main"),
        ("aws_route_table", "private"),
    ] {
        let b = block(&body, "resource", &[kind, label]);
        assert_eq!(
            reference(attr(b, "count")),
            "length(local.public_subnets)",
            "{kind}"
        );
    }
    let nat = block(&body, "resource", &["aws_nat_gateway", "main"]);
    assert_eq!(
        reference(attr(nat, "subnet_id")),
        "aws_subnet.public[count.index].id"
    );
    let assoc = block(&body, "resource", &["aws_route_table_association", "nodes"]);
    assert_eq!(
        reference(attr(assoc, "route_table_id")),
        "aws_route_table.private[index(local.public_subnets[*].az, local.node_subnets[count.index].az)].id"
    );
}

#[test]
fn private_endpoints_replace_the_internet_with_the_s3_gateway_and_interface_endpoints() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::PrivateEndpoints;
    spec.network.public_subnets.clear();
    spec.cluster.region = "cn-north-1".into();
    let text = render(&spec);
    let body = parse(&text);
    let types = resource_types(&body);
    for absent in ["aws_internet_gateway", "aws_nat_gateway", "aws_eip"] {
        assert!(!types.iter().any(|t| t == absent), "{absent} in\n{text}");
    }
    let private = block(&body, "resource", &["aws_route_table", "private"]);
    assert!(
        private.blocks().all(|b| b.identifier() != "route"),
        "no route out"
    );
    let s3 = block(&body, "resource", &["aws_vpc_endpoint", "s3"]);
    assert_eq!(string(s3, "service_name"), "com.amazonaws.cn-north-1.s3");
    assert_eq!(string(s3, "vpc_endpoint_type"), "Gateway");
    let interface = block(&body, "resource", &["aws_vpc_endpoint", "interface"]);
    assert_eq!(
        reference(attr(interface, "for_each")),
        "toset([\"cn.com.amazonaws.cn-north-1.ecr.api\", \"cn.com.amazonaws.cn-north-1.ecr.dkr\", \"cn.com.amazonaws.cn-north-1.sts\", \"cn.com.amazonaws.cn-north-1.ec2\", \"cn.com.amazonaws.cn-north-1.elasticloadbalancing\"])"
    );
    assert_eq!(
        reference(attr(interface, "subnet_ids")),
        "aws_subnet.nodes[*].id"
    );
    assert_eq!(
        attr(interface, "private_dns_enabled"),
        &Expression::Bool(true)
    );
    let sg = block(&body, "resource", &["aws_security_group", "endpoints"]);
    let ingress = block(sg, "ingress", &[]);
    assert_eq!(number(ingress, "from_port"), 443);
    let Expression::Array(cidrs) = attr(ingress, "cidr_blocks") else {
        panic!("cidr_blocks")
    };
    assert_eq!(reference(&cidrs[0]), "aws_vpc.main.cidr_block");
}

#[test]
fn every_arn_and_the_ec2_principal_come_from_the_partition() {
    let text = render(&ClusterSpec::default());
    let code: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    assert!(
        !code.iter().any(|l| l.contains("arn:aws:")),
        "a hard-coded partition in\n{text}"
    );
    let body = parse(&text);
    let attachment = block(
        &body,
        "resource",
        &[
            "aws_iam_role_policy_attachment",
            "eks_AmazonEKSClusterPolicy",
        ],
    );
    assert_eq!(
        reference(attr(attachment, "policy_arn")),
        "\"arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonEKSClusterPolicy\""
    );
    let association = block(
        &body,
        "resource",
        &[
            "aws_eks_access_policy_association",
            "caller_AmazonEKSClusterAdminPolicy",
        ],
    );
    assert!(reference(attr(association, "policy_arn")).starts_with(
        "\"arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/"
    ));
    let trust = block(
        &body,
        "data",
        &["aws_iam_policy_document", "node_group_role"],
    );
    let principals = block(block(trust, "statement", &[]), "principals", &[]);
    let Expression::Array(identifiers) = attr(principals, "identifiers") else {
        panic!("identifiers")
    };
    assert_eq!(
        reference(&identifiers[0]),
        "\"ec2.${data.aws_partition.current.dns_suffix}\""
    );
}

#[test]
fn the_provider_constraint_admits_only_versions_with_access_entries() {
    let body = parse(&render(&ClusterSpec::default()));
    let terraform = block(&body, "terraform", &[]);
    let providers = block(terraform, "required_providers", &[]);
    let Expression::Object(aws) = attr(providers, "aws") else {
        panic!("aws")
    };
    let version = aws
        .iter()
        .find(|(k, _)| k.to_string() == "version")
        .map(|(_, v)| v.clone())
        .expect("a version constraint");
    let Expression::String(version) = version else {
        panic!("{version:?}")
    };
    // The lowest version admitted is the first with access entries and
    // bootstrap_cluster_creator_admin_permissions (5.33.0).
    let lowest = version
        .split(',')
        .map(str::trim)
        .find_map(|c| c.strip_prefix(">= "))
        .expect("a lower bound");
    let parts: Vec<u32> = lowest.split('.').map(|p| p.parse().unwrap()).collect();
    assert!(parts >= vec![5, 33], "{version}");
    assert!(version.contains("< "), "an upper bound: {version}");
}

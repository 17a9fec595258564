//! Tests of the Terraform export: the golden file for the seed, the output
//! read back by an HCL parser, and (where `terraform` is installed) the
//! output checked against `terraform fmt` itself.

use super::render;
use crate::spec::export::golden;
use crate::spec::model::{
    AccessEntrySpec, AccessScope, AddonSpec, CapacityType, ClusterSpec, NodeSubnets, RoleChoice,
    Taint, TaintEffect, VpcChoice,
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
        ("locals", vec![]),
        ("resource", vec!["aws_vpc", "main"]),
        ("resource", vec!["aws_subnet", "eks_control_plane"]),
        ("resource", vec!["aws_subnet", "nodes"]),
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
    for managed in ["aws_vpc", "aws_iam_role", "aws_iam_role_policy_attachment"] {
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
}

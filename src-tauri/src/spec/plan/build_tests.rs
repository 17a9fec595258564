use super::*;
use crate::spec::model::Egress;

fn ids(plan: &Plan, kind: ResourceKind) -> Vec<&str> {
    plan.steps
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.name.as_str())
        .collect()
}

#[test]
fn the_seed_plan_has_every_object_of_the_seed() {
    let plan = build(&ClusterSpec::default(), &ExistingResources::default());
    assert_eq!(ids(&plan, ResourceKind::Vpc), ["10.0.0.0/16"]);
    assert_eq!(
        ids(&plan, ResourceKind::Subnet)[..3],
        ["10.0.0.192/28", "10.0.0.208/28", "10.0.0.224/28"]
    );
    assert_eq!(
        ids(&plan, ResourceKind::IamRole),
        ["AmazonEKSClusterRole-my-eks", "AmazonEKSNodeRole-my-eks"]
    );
    assert_eq!(
        ids(&plan, ResourceKind::RolePolicyAttachment),
        [
            "AmazonEKSClusterPolicy",
            "AmazonEKSVPCResourceController",
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryReadOnly"
        ]
    );
    assert_eq!(ids(&plan, ResourceKind::Cluster), ["my-eks"]);
    assert_eq!(ids(&plan, ResourceKind::NodeGroup), ["default_node_group"]);
    assert_eq!(
        ids(&plan, ResourceKind::Addon),
        ["vpc-cni", "coredns", "kube-proxy"]
    );
    assert_eq!(
        ids(&plan, ResourceKind::AccessPolicyAssociation),
        ["AmazonEKSClusterAdminPolicy"]
    );
    assert!(plan.steps.iter().all(|s| s.action == StepAction::Create));
}

#[test]
fn steps_come_after_their_dependencies_and_coredns_waits_for_nodes() {
    let plan = build(&ClusterSpec::default(), &ExistingResources::default());
    let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
    for (i, step) in plan.steps.iter().enumerate() {
        for dep in &step.depends_on {
            assert!(pos(dep) < i, "{} before its dependency {dep}", step.id);
        }
    }
    let coredns = &plan.steps[pos("addon/coredns")];
    assert!(coredns
        .depends_on
        .contains(&"nodegroup/default_node_group".to_string()));
    let cluster = &plan.steps[pos("cluster/my-eks")];
    assert!(cluster
        .depends_on
        .contains(&"attach/cluster/AmazonEKSClusterPolicy".to_string()));
}

#[test]
fn waves_run_roles_and_subnets_together() {
    let plan = build(&ClusterSpec::default(), &ExistingResources::default());
    let waves = plan.waves();
    let first: Vec<&str> = waves[0].iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        first,
        ["vpc/main", "eip/nat-0", "role/cluster", "role/node"]
    );
    let last: Vec<&str> = waves
        .last()
        .unwrap()
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert!(last.contains(&"addon/coredns"), "{last:?}");
    assert!(
        waves.len() < plan.steps.len() / 2,
        "the plan has real parallelism"
    );
}

#[test]
fn existing_objects_are_reused_when_ours_and_conflicts_otherwise() {
    let spec = ClusterSpec {
        id: "spec-123".into(),
        ..Default::default()
    };
    let mut existing = ExistingResources::default();
    existing.roles.insert(
        "AmazonEKSClusterRole-my-eks".into(),
        Found {
            owner_spec_id: Some("spec-123".into()),
        },
    );
    existing.clusters.insert(
        "my-eks".into(),
        Found {
            owner_spec_id: None,
        },
    );
    let plan = build(&spec, &existing);
    let step = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap();
    assert_eq!(step("role/cluster").action, StepAction::Reuse);
    assert_eq!(step("cluster/my-eks").action, StepAction::Conflict);
    assert_eq!(
        step("cluster/my-eks").note.as_deref(),
        Some("Cluster my-eks exists and was not created by EKS Desk")
    );
    assert_eq!(plan.conflicts().count(), 1);
}

#[test]
fn the_reversed_plan_deletes_dependents_first() {
    let apply = build(&ClusterSpec::default(), &ExistingResources::default());
    let waves = apply.waves().len();
    let plan = apply.reversed();
    let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
    for (i, step) in plan.steps.iter().enumerate() {
        for dep in &step.depends_on {
            assert!(pos(dep) < i, "{} before {dep}", step.id);
        }
    }
    let cluster = &plan.steps[pos("cluster/my-eks")];
    for id in [
        "nodegroup/default_node_group",
        "addon/vpc-cni",
        "access-entry/caller",
    ] {
        assert!(cluster.depends_on.contains(&id.to_string()), "{id}");
    }
    let vpc = &plan.steps[pos("vpc/main")];
    assert!(vpc
        .depends_on
        .contains(&"subnet/control-plane-0".to_string()));
    let role = &plan.steps[pos("role/cluster")];
    assert!(role.depends_on.contains(&"cluster/my-eks".to_string()));
    assert!(role
        .depends_on
        .contains(&"attach/cluster/AmazonEKSClusterPolicy".to_string()));
    assert_eq!(plan.waves().len(), waves);
}

#[test]
fn picked_existing_roles_get_no_attachments() {
    let mut spec = ClusterSpec::default();
    spec.iam.node_role = RoleChoice::Existing {
        arn: "arn:aws:iam::111122223333:role/nodes".into(),
    };
    let plan = build(&spec, &ExistingResources::default());
    assert!(!plan.steps.iter().any(|s| s.id.starts_with("attach/node/")));
    let ng = plan
        .steps
        .iter()
        .find(|s| s.id == "nodegroup/default_node_group")
        .unwrap();
    assert!(ng.depends_on.contains(&"role/node".to_string()));
}

fn step<'a>(plan: &'a Plan, id: &str) -> &'a PlanStep {
    plan.steps
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn ids_of(plan: &Plan, kind: ResourceKind) -> Vec<&str> {
    plan.steps
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.id.as_str())
        .collect()
}

#[test]
fn one_nat_gateway_gives_every_private_subnet_a_way_out() {
    let plan = build(&ClusterSpec::default(), &ExistingResources::default());
    assert_eq!(ids_of(&plan, ResourceKind::InternetGateway), ["igw/main"]);
    assert_eq!(ids_of(&plan, ResourceKind::NatGateway), ["nat/0"]);
    assert_eq!(ids_of(&plan, ResourceKind::ElasticIp), ["eip/nat-0"]);
    assert_eq!(
        ids_of(&plan, ResourceKind::RouteTable),
        ["route-table/public", "route-table/private-0"]
    );
    let public = step(&plan, "route-table/public");
    for dep in [
        "igw/main",
        "subnet/public-0",
        "subnet/public-1",
        "subnet/public-2",
    ] {
        assert!(public.depends_on.contains(&dep.to_string()), "{dep}");
    }
    let nat = step(&plan, "nat/0");
    for dep in ["eip/nat-0", "subnet/public-0", "igw/main"] {
        assert!(nat.depends_on.contains(&dep.to_string()), "{dep}");
    }
    // Every node and control-plane subnet is on the private table.
    let private = step(&plan, "route-table/private-0");
    for i in 0..3 {
        for id in [
            format!("subnet/nodes-{i}"),
            format!("subnet/control-plane-{i}"),
        ] {
            assert!(private.depends_on.contains(&id), "{id}");
        }
    }
    // Nodes join only once they have a way out.
    let group = step(&plan, "nodegroup/default_node_group");
    assert!(group
        .depends_on
        .contains(&"route-table/private-0".to_string()));
}

#[test]
fn nat_per_zone_routes_each_zone_through_its_own_nat() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::NatPerZone;
    let plan = build(&spec, &ExistingResources::default());
    assert_eq!(
        ids_of(&plan, ResourceKind::NatGateway),
        ["nat/0", "nat/1", "nat/2"]
    );
    assert_eq!(ids_of(&plan, ResourceKind::ElasticIp).len(), 3);
    let zone_b = step(&plan, "route-table/private-1");
    assert!(zone_b.depends_on.contains(&"nat/1".to_string()));
    assert!(zone_b.depends_on.contains(&"subnet/nodes-1".to_string()));
    assert!(zone_b
        .depends_on
        .contains(&"subnet/control-plane-1".to_string()));
    assert!(!zone_b.depends_on.contains(&"subnet/nodes-0".to_string()));
    let group = step(&plan, "nodegroup/default_node_group");
    for i in 0..3 {
        assert!(group
            .depends_on
            .contains(&format!("route-table/private-{i}")));
    }
}

#[test]
fn private_endpoints_replace_the_internet_with_vpc_endpoints() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::PrivateEndpoints;
    spec.network.public_subnets.clear();
    let plan = build(&spec, &ExistingResources::default());
    assert!(ids_of(&plan, ResourceKind::InternetGateway).is_empty());
    assert!(ids_of(&plan, ResourceKind::NatGateway).is_empty());
    assert_eq!(
        ids_of(&plan, ResourceKind::VpcEndpoint),
        [
            "endpoint/s3",
            "endpoint/ecr.api",
            "endpoint/ecr.dkr",
            "endpoint/sts",
            "endpoint/ec2",
            "endpoint/elasticloadbalancing"
        ]
    );
    assert_eq!(
        step(&plan, "endpoint/ecr.api").name,
        "com.amazonaws.ap-northeast-2.ecr.api"
    );
    assert!(step(&plan, "endpoint/s3")
        .depends_on
        .contains(&"route-table/private-0".to_string()));
    assert!(step(&plan, "endpoint/sts")
        .depends_on
        .contains(&"security-group/endpoints".to_string()));
    let group = step(&plan, "nodegroup/default_node_group");
    assert!(group.depends_on.contains(&"endpoint/ecr.dkr".to_string()));
}

#[test]
fn an_existing_vpcs_own_way_out_adds_nothing() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    let plan = build(&spec, &ExistingResources::default());
    for kind in [
        ResourceKind::InternetGateway,
        ResourceKind::NatGateway,
        ResourceKind::RouteTable,
        ResourceKind::VpcEndpoint,
    ] {
        assert!(ids_of(&plan, kind).is_empty(), "{kind:?}");
    }
}

#[test]
fn destroy_takes_the_way_out_apart_in_the_order_ec2_needs() {
    let plan = build(&ClusterSpec::default(), &ExistingResources::default()).reversed();
    let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
    // Route tables go before the NAT gateway they route to, the NAT before
    // its elastic IP, subnet and the internet gateway, all before the VPC.
    assert!(pos("route-table/private-0") < pos("nat/0"));
    assert!(pos("nat/0") < pos("eip/nat-0"));
    assert!(pos("nat/0") < pos("igw/main"));
    assert!(pos("nat/0") < pos("subnet/public-0"));
    assert!(pos("route-table/public") < pos("igw/main"));
    assert!(pos("igw/main") < pos("vpc/main"));
    assert!(pos("route-table/private-0") < pos("subnet/nodes-0"));
}

#[test]
fn policy_arns_take_the_partition_of_the_region() {
    let spec = ClusterSpec::new_for_region("cn-north-1");
    let plan = build(&spec, &ExistingResources::default());
    let arns: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.target {
            StepTarget::RolePolicy { policy_arn, .. } => Some(policy_arn.as_str()),
            _ => None,
        })
        .collect();
    assert!(!arns.is_empty());
    assert!(
        arns.iter()
            .all(|a| a.starts_with("arn:aws-cn:iam::aws:policy/")),
        "{arns:?}"
    );
}

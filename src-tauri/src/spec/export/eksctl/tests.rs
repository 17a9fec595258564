//! Tests of the eksctl export: the golden file for the seed, the YAML read
//! back and written again unchanged, and the fields eksctl acts on.

use super::{cluster_config, render, to_yaml, ClusterConfig};
use crate::spec::export::golden;
use crate::spec::model::{
    AccessEntrySpec, AccessScope, CapacityType, ClusterSpec, Egress, NodeSubnets, RoleChoice,
    Taint, TaintEffect, VpcChoice,
};
use serde_json::{json, Value};

/// The YAML after the leading comment lines.
fn without_comments(text: &str) -> String {
    text.lines()
        .skip_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn parse(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"))
}

#[test]
fn the_seed_matches_its_golden_file() {
    golden::check("seed-eksctl.yaml", &render(&ClusterSpec::default()));
}

#[test]
fn the_output_parses_back_and_round_trips() {
    let text = render(&ClusterSpec::default());
    let (config, _) = cluster_config(&ClusterSpec::default());
    let parsed: ClusterConfig = serde_saphyr::from_str(&text).expect("reads as a ClusterConfig");
    assert_eq!(parsed, config);
    let yaml = without_comments(&text);
    assert_eq!(
        to_yaml(&parsed),
        yaml,
        "parse then serialize changes nothing"
    );
    assert_eq!(parse(&text), parse(&yaml), "the comments are only comments");
}

#[test]
fn the_seed_has_the_seeds_cluster() {
    let doc = parse(&render(&ClusterSpec::default()));
    assert_eq!(doc["apiVersion"], "eksctl.io/v1alpha5");
    assert_eq!(doc["kind"], "ClusterConfig");
    assert_eq!(
        doc["metadata"],
        json!({"name": "my-eks", "region": "ap-northeast-2", "version": "1.33"}),
        "the version stays a string, not the number 1.33"
    );
    assert_eq!(doc["vpc"]["cidr"], "10.0.0.0/16");
    assert!(doc["vpc"].get("id").is_none(), "eksctl creates the VPC");
    assert_eq!(
        doc["vpc"]["nat"],
        json!({"gateway": "Single"}),
        "the seed's one NAT gateway"
    );
    assert_eq!(
        doc["vpc"]["subnets"]["public"]["ap-northeast-2a"],
        json!({"cidr": "10.0.1.0/24", "az": "ap-northeast-2a"})
    );
    assert_eq!(
        doc["vpc"]["subnets"]["public"].as_object().map(|o| o.len()),
        Some(3)
    );
    let private = doc["vpc"]["subnets"]["private"]
        .as_object()
        .expect("private subnets");
    let keys: Vec<&str> = private.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ap-northeast-2a",
            "ap-northeast-2b",
            "ap-northeast-2c",
            "control-plane-ap-northeast-2a",
            "control-plane-ap-northeast-2b",
            "control-plane-ap-northeast-2c",
        ]
    );
    assert_eq!(
        private["ap-northeast-2b"],
        json!({"cidr": "10.0.32.0/20", "az": "ap-northeast-2b"})
    );
    assert_eq!(
        private["control-plane-ap-northeast-2c"]["cidr"],
        "10.0.0.224/28"
    );
    assert_eq!(
        doc["vpc"]["clusterEndpoints"],
        json!({"publicAccess": true, "privateAccess": false})
    );
    assert!(doc.get("iam").is_none(), "eksctl creates the roles");
    assert_eq!(
        doc["accessConfig"],
        json!({
            "authenticationMode": "API_AND_CONFIG_MAP",
            "bootstrapClusterCreatorAdminPermissions": true,
        }),
        "the caller's cluster-admin entry becomes the creator's bootstrap permission"
    );
    assert_eq!(
        doc["managedNodeGroups"],
        json!([{
            "name": "default-node-group",
            "amiFamily": "AmazonLinux2023",
            "instanceTypes": ["t4g.xlarge"],
            "minSize": 1,
            "desiredCapacity": 1,
            "maxSize": 3,
            "volumeSize": 20,
            "privateNetworking": true,
            "subnets": ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
        }])
    );
    assert_eq!(
        doc["addons"],
        json!([
            {"name": "vpc-cni", "version": "v1.19.5-eksbuild.3"},
            {"name": "coredns", "version": "v1.12.1-eksbuild.2"},
            {"name": "kube-proxy", "version": "v1.33.0-eksbuild.2"},
        ])
    );
}

#[test]
fn the_control_plane_subnets_come_with_instructions() {
    let text = render(&ClusterSpec::default());
    assert!(text.contains(
        "eksctl utils update-cluster-vpc-config --cluster my-eks --region ap-northeast-2"
    ));
    assert!(
        !text.contains("controlPlaneSubnetIDs:"),
        "no ids exist to put there"
    );
}

#[test]
fn existing_network_roles_spot_taints_and_namespaced_access() {
    let mut spec = ClusterSpec::default();
    spec.cluster.tags.insert("team".into(), "platform".into());
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "vpc-0abc".into(),
        cidr: "10.0.0.0/16".into(),
    };
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    spec.network.node_subnets = NodeSubnets::Existing(vec!["subnet-1".into(), "subnet-2".into()]);
    spec.iam.cluster_role = RoleChoice::Existing {
        arn: "arn:aws:iam::111122223333:role/eks-cluster".into(),
    };
    spec.iam.node_role = RoleChoice::Existing {
        arn: "arn:aws:iam::111122223333:role/eks-node".into(),
    };
    let group = &mut spec.node_groups[0];
    group.subnets = vec!["subnet-2".into()];
    group.capacity_type = CapacityType::Spot;
    group.ami_type = "BOTTLEROCKET_x86_64".into();
    group.taints = vec![Taint {
        key: "dedicated".into(),
        value: String::new(),
        effect: TaintEffect::NoExecute,
    }];
    let developers = "arn:aws:iam::111122223333:role/developers";
    spec.access.entries = vec![
        AccessEntrySpec {
            principal_arn: developers.into(),
            policy: "AmazonEKSEditPolicy".into(),
            scope: AccessScope::Namespace {
                namespaces: vec!["dev".into()],
            },
        },
        AccessEntrySpec {
            principal_arn: developers.into(),
            policy: "AmazonEKSViewPolicy".into(),
            scope: AccessScope::Cluster,
        },
    ];

    let text = render(&spec);
    let doc = parse(&text);
    assert_eq!(doc["metadata"]["tags"], json!({"team": "platform"}));
    assert_eq!(doc["vpc"]["id"], "vpc-0abc");
    assert!(
        doc["vpc"].get("nat").is_none(),
        "eksctl decides NAT for its own VPC only"
    );
    assert_eq!(
        doc["vpc"]["subnets"]["private"]["nodes-2"],
        json!({"id": "subnet-2"})
    );
    assert!(text.contains("eksctl creates no subnets in an existing VPC"));
    assert_eq!(
        doc["iam"],
        json!({"serviceRoleARN": "arn:aws:iam::111122223333:role/eks-cluster"})
    );
    let group = &doc["managedNodeGroups"][0];
    assert_eq!(group["spot"], true);
    assert_eq!(group["amiFamily"], "Bottlerocket");
    assert_eq!(group["subnets"], json!(["nodes-2"]));
    assert_eq!(
        group["taints"],
        json!([{"key": "dedicated", "effect": "NoExecute"}])
    );
    assert_eq!(
        group["iam"],
        json!({"instanceRoleARN": "arn:aws:iam::111122223333:role/eks-node"})
    );
    assert_eq!(
        doc["accessConfig"],
        json!({
            "authenticationMode": "API_AND_CONFIG_MAP",
            "bootstrapClusterCreatorAdminPermissions": false,
            "accessEntries": [{
                "principalARN": developers,
                "accessPolicies": [
                    {
                        "policyARN": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
                        "accessScope": {"type": "namespace", "namespaces": ["dev"]},
                    },
                    {
                        "policyARN": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                        "accessScope": {"type": "cluster"},
                    },
                ],
            }],
        })
    );
    let parsed: ClusterConfig = serde_saphyr::from_str(&text).expect("reads back");
    assert_eq!(to_yaml(&parsed), without_comments(&text));
}

#[test]
fn access_for_the_caller_that_eksctl_cannot_express_is_a_note() {
    let mut spec = ClusterSpec::default();
    spec.access.entries[0].policy = "AmazonEKSViewPolicy".into();
    let text = render(&spec);
    let doc = parse(&text);
    assert_eq!(
        doc["accessConfig"]["bootstrapClusterCreatorAdminPermissions"],
        false
    );
    assert!(doc["accessConfig"].get("accessEntries").is_none());
    assert!(
        text.contains("# AmazonEKSViewPolicy (cluster), which eksctl cannot name in a config file")
    );
}

#[test]
fn odd_names_stay_inside_their_strings_and_comments() {
    let mut spec = ClusterSpec::default();
    spec.cluster.name = "a: b\n# c \"d\"".into();
    spec.node_groups[0]
        .labels
        .insert("x: y".into(), "- z".into());
    let text = render(&spec);
    assert!(
        text.lines().all(|l| !l.starts_with("# c")),
        "a name cannot start a line"
    );
    let doc = parse(&text);
    assert_eq!(doc["metadata"]["name"], "a: b\n# c \"d\"");
    assert_eq!(
        doc["managedNodeGroups"][0]["labels"],
        json!({"x: y": "- z"})
    );
}

#[test]
fn node_group_names_become_names_cloudformation_accepts() {
    let mut spec = ClusterSpec::default();
    let mut second = spec.node_groups[0].clone();
    second.name = "default-node-group".into();
    let mut third = spec.node_groups[0].clone();
    third.name = "1.gpu".into();
    spec.node_groups.extend([second, third]);
    let text = render(&spec);
    let doc = parse(&text);
    let names: Vec<&str> = doc["managedNodeGroups"]
        .as_array()
        .expect("node groups")
        .iter()
        .map(|g| g["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["default-node-group", "default-node-group-2", "ng-1-gpu"]
    );
    assert!(text.contains("# Node group \"default_node_group\" is named default-node-group here:"));
    assert!(!text.contains("eksctl refuses the cluster name"));

    spec.cluster.name = "my_eks".into();
    assert!(render(&spec).contains("# eksctl refuses the cluster name \"my_eks\""));
}

#[test]
fn egress_becomes_eksctls_nat_mode_or_a_private_cluster() {
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::NatPerZone;
    let doc = parse(&render(&spec));
    assert_eq!(doc["vpc"]["nat"], json!({"gateway": "HighlyAvailable"}));
    assert!(doc.get("privateCluster").is_none());

    spec.network.egress = Egress::PrivateEndpoints;
    spec.network.public_subnets.clear();
    let text = render(&spec);
    let doc = parse(&text);
    assert_eq!(doc["vpc"]["nat"], json!({"gateway": "Disable"}));
    assert_eq!(doc["privateCluster"], json!({"enabled": true}));
    assert!(doc["vpc"]["subnets"].get("public").is_none());
    assert!(text.contains("Elastic Load Balancing endpoint"), "{text}");
}

#[test]
fn access_policy_arns_are_in_the_regions_partition() {
    let mut spec = ClusterSpec::default();
    spec.cluster.region = "cn-northwest-1".into();
    spec.access.entries = vec![AccessEntrySpec {
        principal_arn: "arn:aws-cn:iam::111122223333:role/dev".into(),
        policy: "AmazonEKSViewPolicy".into(),
        scope: AccessScope::Cluster,
    }];
    let doc = parse(&render(&spec));
    assert_eq!(
        doc["accessConfig"]["accessEntries"][0]["accessPolicies"][0]["policyARN"],
        "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
    );
}

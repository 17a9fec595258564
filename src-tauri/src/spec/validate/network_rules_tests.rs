//! Tests of the network rules, with the messages a user sees.

use super::super::test_support::*;
use super::*;
use crate::spec::lookup::ZoneFact;
use crate::spec::network::ExistingSubnet;

fn seed() -> ClusterSpec {
    ClusterSpec::default()
}

fn set_cp_cidr(spec: &mut ClusterSpec, i: usize, cidr: &str) {
    spec.network.control_plane_subnets[i].cidr = cidr.into();
}

fn node_subnets(spec: &mut ClusterSpec) -> &mut Vec<SubnetSpec> {
    match &mut spec.network.node_subnets {
        NodeSubnets::Create(list) => list,
        NodeSubnets::Existing(_) => panic!("the seed creates its node subnets"),
    }
}

#[test]
fn cidr_syntax_errors_say_what_is_wrong() {
    assert_eq!(
        read_cidr("10.0.0.192/28"),
        Ok("10.0.0.192/28".parse().unwrap())
    );
    assert_eq!(
        read_cidr("10.0.0.300/28").unwrap_err().to_string(),
        "10.0.0.300/28 is not a valid IPv4 CIDR"
    );
    assert_eq!(
        read_cidr("10.0.0.193/28").unwrap_err().to_string(),
        "10.0.0.193/28 is not a network address; did you mean 10.0.0.192/28?"
    );
    assert_eq!(
        read_cidr("10.0.0.0").unwrap_err().to_string(),
        "10.0.0.0 is missing its prefix length (the /NN part)"
    );
    assert_eq!(
        read_cidr("").unwrap_err().to_string(),
        "Enter an IPv4 CIDR such as 10.0.0.0/16"
    );
    assert_eq!(
        read_cidr("10.0.0.0/33").unwrap_err().to_string(),
        "10.0.0.0/33 is not a valid IPv4 CIDR"
    );
}

#[test]
fn subnet_cidr_errors_land_on_the_subnet() {
    let mut spec = seed();
    set_cp_cidr(&mut spec, 1, "10.0.0.300/28");
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[1].cidr"),
        "10.0.0.300/28 is not a valid IPv4 CIDR"
    );
    set_cp_cidr(&mut spec, 1, "10.0.0.193/28");
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[1].cidr"),
        "10.0.0.193/28 is not a network address; did you mean 10.0.0.192/28?"
    );
}

#[test]
fn the_vpc_must_be_a_size_aws_allows() {
    let mut spec = seed();
    spec.network.vpc = VpcChoice::Create {
        cidr: "10.0.0.0/12".into(),
    };
    assert_eq!(
        message_at(&spec, "network.vpc.cidr"),
        "/12 is outside the VPC sizes AWS allows (/16 to /28)"
    );
    spec.network.vpc = VpcChoice::Create {
        cidr: "10.0.0.1/16".into(),
    };
    assert_eq!(
        message_at(&spec, "network.vpc.cidr"),
        "10.0.0.1/16 is not a network address; did you mean 10.0.0.0/16?"
    );
}

#[test]
fn an_existing_vpc_needs_a_vpc_id() {
    let mut spec = seed();
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "my-vpc".into(),
        cidr: "10.0.0.0/16".into(),
    };
    assert_eq!(
        message_at(&spec, "network.vpc.vpcId"),
        "\"my-vpc\" is not a VPC id (like vpc-0123456789abcdef0)"
    );
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "vpc-0123456789abcdef0".into(),
        cidr: "10.0.0.0/16".into(),
    };
    assert!(issues_at(&spec, "network.vpc.vpcId").is_empty());
}

#[test]
fn subnets_must_be_inside_the_vpc() {
    let mut spec = seed();
    node_subnets(&mut spec)[0].cidr = "10.1.16.0/20".into();
    assert_eq!(
        message_at(&spec, "network.nodeSubnets[0].cidr"),
        "10.1.16.0/20 is outside the VPC 10.0.0.0/16"
    );
}

#[test]
fn subnet_sizes_follow_aws_limits_and_the_control_plane_recommendation() {
    let mut spec = seed();
    set_cp_cidr(&mut spec, 0, "10.0.0.192/29");
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[0].cidr"),
        "/29 is too small: AWS subnets are /28 or larger"
    );
    let mut spec = seed();
    set_cp_cidr(&mut spec, 2, "10.0.1.0/24");
    let issues = issues_at(&spec, "network.controlPlaneSubnets[2].cidr");
    assert_eq!(
        issues,
        [FieldIssue::warning(
            "network.controlPlaneSubnets[2].cidr",
            "10.0.1.0/24 is larger than the recommended /28: the control plane needs only a few IPs, and a small dedicated subnet leaves the rest of the VPC to nodes"
        )]
    );
    let mut spec = seed();
    node_subnets(&mut spec)[0].cidr = "10.0.0.0/15".into();
    assert!(issues_at(&spec, "network.nodeSubnets[0].cidr")
        .iter()
        .any(|i| i.message == "/15 is too large: AWS subnets are /16 or smaller"));
}

#[test]
fn overlaps_name_both_subnets() {
    let mut spec = seed();
    node_subnets(&mut spec)[0].cidr = "10.0.0.0/20".into();
    assert_eq!(
        issues_at(&spec, "network.nodeSubnets[0].cidr")
            .iter()
            .map(|i| i.message.as_str())
            .collect::<Vec<_>>(),
        [
            "10.0.0.0/20 overlaps control-plane subnet 1 (10.0.0.192/28)",
            "10.0.0.0/20 overlaps control-plane subnet 2 (10.0.0.208/28)",
            "10.0.0.0/20 overlaps control-plane subnet 3 (10.0.0.224/28)",
        ]
    );
    let mut spec = seed();
    node_subnets(&mut spec)[2].cidr = "10.0.32.0/20".into();
    assert_eq!(
        message_at(&spec, "network.nodeSubnets[2].cidr"),
        "10.0.32.0/20 overlaps node subnet 2 (10.0.32.0/20)"
    );
}

#[test]
fn overlaps_with_existing_subnets_name_the_existing_one() {
    let ctx = ValidationContext {
        existing_subnets: vec![ExistingSubnet {
            id: "subnet-0123456789abcdef0".into(),
            cidr: "10.0.0.128/25".into(),
            availability_zone: "ap-northeast-2a".into(),
        }],
        ..Default::default()
    };
    assert_eq!(
        message_at_with(&seed(), &ctx, "network.controlPlaneSubnets[0].cidr"),
        "10.0.0.192/28 overlaps existing subnet subnet-0123456789abcdef0 (10.0.0.128/25)"
    );
}

#[test]
fn the_control_plane_needs_two_subnets_in_two_zones() {
    let mut spec = seed();
    spec.network.control_plane_subnets.truncate(1);
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets"),
        "EKS needs at least two control-plane subnets, in different availability zones"
    );
    let mut spec = seed();
    for s in &mut spec.network.control_plane_subnets {
        s.availability_zone = "ap-northeast-2a".into();
    }
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets"),
        "EKS needs control-plane subnets in at least two availability zones; all are in ap-northeast-2a"
    );
}

#[test]
fn offline_zones_must_belong_to_the_region() {
    let mut spec = seed();
    spec.network.control_plane_subnets[1].availability_zone = "us-east-1a".into();
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[1].availabilityZone"),
        "us-east-1a is not an availability zone of ap-northeast-2 (expected something like ap-northeast-2a)"
    );
    spec.network.control_plane_subnets[1].availability_zone = "ap-northeast-2".into();
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[1].availabilityZone"),
        "ap-northeast-2 is not an availability zone of ap-northeast-2 (expected something like ap-northeast-2a)"
    );
    spec.network.control_plane_subnets[1].availability_zone = String::new();
    assert_eq!(
        message_at(&spec, "network.controlPlaneSubnets[1].availabilityZone"),
        "Choose an availability zone"
    );
}

#[test]
fn known_zones_are_checked_against_the_list() {
    let ctx = ValidationContext {
        availability_zones: Some(vec![
            ZoneFact::availability_zone("ap-northeast-2a", "apne2-az1"),
            ZoneFact::availability_zone("ap-northeast-2b", "apne2-az2"),
            ZoneFact::availability_zone("ap-northeast-2d", "apne2-az4"),
        ]),
        ..Default::default()
    };
    assert_eq!(
        message_at_with(&seed(), &ctx, "network.controlPlaneSubnets[2].availabilityZone"),
        "ap-northeast-2c is not an availability zone of ap-northeast-2 (it has ap-northeast-2a (apne2-az1), ap-northeast-2b (apne2-az2), ap-northeast-2d (apne2-az4))"
    );
    assert_eq!(
        message_at_with(&seed(), &ctx, "network.nodeSubnets[2].availabilityZone"),
        "ap-northeast-2c is not an availability zone of ap-northeast-2 (it has ap-northeast-2a (apne2-az1), ap-northeast-2b (apne2-az2), ap-northeast-2d (apne2-az4))"
    );
}

fn with_existing_node_subnets(ids: &[&str]) -> ClusterSpec {
    let mut spec = seed();
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "vpc-0123456789abcdef0".into(),
        cidr: "10.0.0.0/16".into(),
    };
    spec.network.node_subnets = NodeSubnets::Existing(ids.iter().map(|s| s.to_string()).collect());
    spec
}

#[test]
fn existing_node_subnets_are_ids_of_the_vpc() {
    let spec = with_existing_node_subnets(&["subnet-0aaa1111", "subnet-0aaa1111", "sn-1"]);
    assert_eq!(
        message_at(&spec, "network.nodeSubnets[1]"),
        "subnet-0aaa1111 is listed twice"
    );
    assert_eq!(
        message_at(&spec, "network.nodeSubnets[2]"),
        "\"sn-1\" is not a subnet id (like subnet-0123456789abcdef0)"
    );
    let ctx = ValidationContext {
        existing_subnets: vec![ExistingSubnet {
            id: "subnet-0bbb2222".into(),
            cidr: "10.0.128.0/20".into(),
            availability_zone: "ap-northeast-2a".into(),
        }],
        ..Default::default()
    };
    assert_eq!(
        message_at_with(&spec, &ctx, "network.nodeSubnets[0]"),
        "subnet-0aaa1111 is not a subnet of the chosen VPC"
    );
}

#[test]
fn existing_node_subnets_need_an_existing_vpc() {
    let mut spec = with_existing_node_subnets(&["subnet-0aaa1111"]);
    spec.network.vpc = VpcChoice::Create {
        cidr: "10.0.0.0/16".into(),
    };
    assert_eq!(
        message_at(&spec, "network.nodeSubnets"),
        "Existing node subnets need an existing VPC; a new VPC has no subnets yet"
    );
}

#[test]
fn node_groups_need_node_subnets() {
    let mut spec = seed();
    spec.network.node_subnets = NodeSubnets::Create(Vec::new());
    assert_eq!(
        message_at(&spec, "network.nodeSubnets"),
        "Add at least one node subnet: node group default_node_group has no subnets to run in"
    );
}

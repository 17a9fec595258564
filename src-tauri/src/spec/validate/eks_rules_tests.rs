//! What EKS and EC2 would refuse, caught as field errors before any AWS
//! call: who can administer the cluster, zones, the way out of the VPC, a
//! picked VPC as AWS has it, and a caller whose role IAM would not name.

use super::test_support::*;
use super::*;
use crate::spec::lookup::{CallerPrincipal, RouteOut, SubnetDetail, VpcFact, VpcLookup, ZoneFact};
use crate::spec::model::{AuthenticationMode, Egress, NodeSubnets, VpcChoice};

fn message(spec: &ClusterSpec, ctx: &ValidationContext, field: &str) -> String {
    let found = issues_at_with(spec, ctx, field);
    assert!(
        !found.is_empty(),
        "no issue at {field}: {:#?}",
        validate(spec, ctx)
    );
    found[0].message.clone()
}

#[test]
fn config_map_mode_needs_the_creator_mapped_by_eks() {
    let mut spec = ClusterSpec::default();
    spec.cluster.authentication_mode = AuthenticationMode::ConfigMap;
    spec.access.entries.clear();
    let ctx = ValidationContext::default();
    assert!(
        message(&spec, &ctx, "access.grantCreatorAdmin").contains("EKS requires grantCreatorAdmin")
    );
    spec.access.grant_creator_admin = true;
    assert!(issues_at_with(&spec, &ctx, "access.grantCreatorAdmin").is_empty());
}

#[test]
fn no_admin_at_all_locks_everyone_out() {
    let mut spec = ClusterSpec::default();
    spec.access.entries[0].policy = "AmazonEKSViewPolicy".into();
    let ctx = ValidationContext::default();
    for mode in [AuthenticationMode::Api, AuthenticationMode::ApiAndConfigMap] {
        spec.cluster.authentication_mode = mode;
        assert!(message(&spec, &ctx, "access.entries")
            .starts_with("No one could administer this cluster"));
    }
    spec.access.grant_creator_admin = true;
    spec.access.entries.clear();
    assert!(
        issues_at_with(&spec, &ctx, "access.entries").is_empty(),
        "the creator is admin"
    );
}

#[test]
fn labels_and_taints_are_held_to_eks_limits() {
    let mut spec = ClusterSpec::default();
    spec.node_groups[0]
        .labels
        .insert("a".repeat(64), "x".into());
    assert!(
        message(&spec, &ValidationContext::default(), "nodeGroups[0].labels")
            .contains("63 characters")
    );
    let mut spec = ClusterSpec::default();
    spec.node_groups[0].taints = vec![crate::spec::model::Taint {
        key: "dedicated".into(),
        value: "gpu workers".into(),
        effect: crate::spec::model::TaintEffect::NoSchedule,
    }];
    assert!(message(
        &spec,
        &ValidationContext::default(),
        "nodeGroups[0].taints[0].value"
    )
    .contains("may only contain"));
}

fn zones(list: &[(&str, &str, &str)]) -> ValidationContext {
    ValidationContext {
        availability_zones: Some(
            list.iter()
                .map(|(name, id, zone_type)| ZoneFact {
                    name: name.to_string(),
                    id: id.to_string(),
                    zone_type: zone_type.to_string(),
                })
                .collect(),
        ),
        ..Default::default()
    }
}

#[test]
fn zones_eks_refuses_are_field_errors_with_the_reason() {
    let mut spec = ClusterSpec::new_for_region("us-east-1");
    spec.network.control_plane_subnets[2].availability_zone = "us-east-1e".into();
    let ctx = zones(&[
        ("us-east-1a", "use1-az1", "availability-zone"),
        ("us-east-1b", "use1-az2", "availability-zone"),
        ("us-east-1c", "use1-az4", "availability-zone"),
        ("us-east-1e", "use1-az3", "availability-zone"),
        ("us-east-1-bos-1a", "use1-bos1-az1", "local-zone"),
    ]);
    assert_eq!(
        message(&spec, &ctx, "network.controlPlaneSubnets[2].availabilityZone"),
        "us-east-1e is zone use1-az3, where EKS does not place control planes: pick another zone for this subnet"
    );
    if let NodeSubnets::Create(nodes) = &mut spec.network.node_subnets {
        nodes[1].availability_zone = "us-east-1-bos-1a".into();
    }
    assert!(
        message(&spec, &ctx, "network.nodeSubnets[1].availabilityZone").contains("is a Local Zone")
    );
}

#[test]
fn the_way_out_must_fit_the_vpc() {
    let ctx = ValidationContext::default();
    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    assert!(
        message(&spec, &ctx, "network.egress").starts_with("A new VPC has no way out of its own")
    );

    let mut spec = ClusterSpec::default();
    spec.network.public_subnets.clear();
    assert!(message(&spec, &ctx, "network.publicSubnets")
        .starts_with("A NAT gateway lives in a public subnet"));

    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::NatPerZone;
    spec.network.public_subnets.truncate(2);
    assert!(message(&spec, &ctx, "network.publicSubnets").ends_with("none in ap-northeast-2c"));

    let mut spec = ClusterSpec::default();
    spec.network.egress = Egress::PrivateEndpoints;
    assert!(message(&spec, &ctx, "network.publicSubnets")
        .starts_with("Public subnets are only for NAT"));
    spec.network.public_subnets.clear();
    assert!(message(&spec, &ctx, "cluster.endpointPrivateAccess")
        .contains("turn private endpoint access on"));
    spec.cluster.endpoint_private_access = true;
    assert!(validate(&spec, &ctx)
        .iter()
        .all(|i| i.severity != Severity::Error));
}

fn existing_vpc_spec() -> ClusterSpec {
    let mut spec = ClusterSpec::default();
    spec.network.vpc = VpcChoice::Existing {
        vpc_id: "vpc-0123456789abcdef0".into(),
        cidr: "10.0.0.0/16".into(),
    };
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    spec.network.node_subnets = NodeSubnets::Existing(vec![
        "subnet-0000000000000000a".into(),
        "subnet-0000000000000000b".into(),
    ]);
    spec
}

fn detail(id: &str, ips: u32, route_out: RouteOut, public_ip: bool) -> SubnetDetail {
    SubnetDetail {
        id: id.into(),
        cidr: "10.0.64.0/20".into(),
        availability_zone: "ap-northeast-2a".into(),
        available_ips: ips,
        map_public_ip: public_ip,
        route_out,
    }
}

fn with_vpc(vpc: VpcLookup) -> ValidationContext {
    ValidationContext {
        existing_vpc: Some(vpc),
        ..Default::default()
    }
}

#[test]
fn a_picked_vpc_is_checked_as_aws_has_it() {
    let spec = existing_vpc_spec();
    let missing = with_vpc(VpcLookup::Missing);
    assert_eq!(
        message(&spec, &missing, "network.vpc.vpcId"),
        "vpc-0123456789abcdef0 does not exist in this account and region"
    );
    let vpc = |cidr: &str, subnets: Vec<SubnetDetail>, endpoints: &[&str]| {
        with_vpc(VpcLookup::Found(VpcFact {
            id: "vpc-0123456789abcdef0".into(),
            cidr: cidr.into(),
            subnets,
            endpoint_services: endpoints.iter().map(|e| e.to_string()).collect(),
        }))
    };
    let ctx = vpc(
        "10.1.0.0/16",
        vec![detail(
            "subnet-0000000000000000a",
            4000,
            RouteOut::NatGateway,
            false,
        )],
        &[],
    );
    assert!(
        message(&spec, &ctx, "network.vpc.cidr").contains("CIDR is 10.1.0.0/16 (as AWS has it)")
    );
    assert!(message(&spec, &ctx, "network.nodeSubnets[1]")
        .contains("is not a subnet of vpc-0123456789abcdef0"));

    let ctx = vpc(
        "10.0.0.0/16",
        vec![
            detail("subnet-0000000000000000a", 0, RouteOut::NatGateway, false),
            detail("subnet-0000000000000000b", 4000, RouteOut::None, false),
        ],
        &[],
    );
    assert!(message(&spec, &ctx, "network.nodeSubnets[0]").contains("no free IP addresses"));
    assert!(message(&spec, &ctx, "network.nodeSubnets[1]").contains("has no route out"));

    // Endpoints for ECR, S3 and STS are a way out too; an internet gateway
    // is one only when instances get public IPs.
    let ctx = vpc(
        "10.0.0.0/16",
        vec![
            detail(
                "subnet-0000000000000000a",
                4000,
                RouteOut::InternetGateway,
                false,
            ),
            detail("subnet-0000000000000000b", 4000, RouteOut::None, false),
        ],
        &["ecr.api", "ecr.dkr", "s3", "sts"],
    );
    assert!(message(&spec, &ctx, "network.nodeSubnets[0]").contains("gives instances no public IP"));
    assert!(issues_at_with(&spec, &ctx, "network.nodeSubnets[1]").is_empty());
}

#[test]
fn a_role_iam_will_not_name_is_asked_for_not_guessed() {
    let spec = ClusterSpec::default();
    let ctx = ValidationContext {
        caller_principal: Some(CallerPrincipal::Unreadable {
            role: "AWSReservedSSO_Admin_0123".into(),
            reason: "access denied: iam:GetRole".into(),
        }),
        ..Default::default()
    };
    let text = message(&spec, &ctx, "access.entries[0].principalArn");
    assert!(
        text.contains("AWSReservedSSO_Admin_0123") && text.contains("path included"),
        "{text}"
    );
}

//! Destroy with what Kubernetes left in the VPC (a load balancer, its
//! target group and security group, as the AWS Load Balancer Controller
//! makes them), against the emulator: without the typed confirmation the
//! destroy stops at them and lists them, leaving the network for later;
//! with it, they go, and so does everything the spec made. A load balancer
//! that is not the cluster's is never touched.

#[path = "support/architecture.rs"]
mod architecture;
#[path = "support/emulator.rs"]
mod emulator;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use eks_desk::aws::{AwsSession, Environment, Sessions};
use eks_desk::provision::{EngineConfig, ProvisionError, Provisioner};
use eks_desk::spec::ClusterSpec;
use std::path::Path;

const REGION: &str = "ap-northeast-2";

async fn sign_in(emu: &emulator::Emulator) -> AwsSession {
    Sessions::new(emu.url.clone())
        .get(&Environment::Emulator {
            region: REGION.into(),
        })
        .await
        .unwrap()
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build()
}

/// The ids of the spec's VPC and public subnets.
async fn network(session: &AwsSession, spec: &ClusterSpec) -> (String, Vec<String>) {
    let owned = architecture::owned(session, spec).await;
    let vpc = owned.vpcs[0].clone();
    let subnets = session
        .ec2()
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("tag:kubernetes.io/role/elb")
                .values("1")
                .build(),
        )
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&vpc)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let ids = subnets
        .subnets()
        .iter()
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .collect();
    (vpc, ids)
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_stops_at_kubernetes_leftovers_until_told_to_delete_them() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let session = sign_in(&emu).await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let mut p = Provisioner::new(session.clone(), dir.path().to_path_buf());
    p.config = EngineConfig::quick();
    p.apply(&spec).await.unwrap();

    // What a Service of type LoadBalancer leaves behind.
    let (vpc, public) = network(&session, &spec).await;
    let elb = session.elbv2();
    let lb = elb
        .create_load_balancer()
        .name("k8s-shop-web-0123456789")
        .set_subnets(Some(public.clone()))
        .tags(tag("elbv2.k8s.aws/cluster", "my-eks"))
        .send()
        .await
        .unwrap();
    let lb_arn = lb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    let tg = elb
        .create_target_group()
        .name("k8s-shop-web-tg")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&vpc)
        .tags(tag("elbv2.k8s.aws/cluster", "my-eks"))
        .send()
        .await
        .unwrap();
    let tg_arn = tg.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string();
    let sg = session
        .ec2()
        .create_security_group()
        .group_name("k8s-elb-a1b2c3")
        .description("Security group for Kubernetes ELB")
        .vpc_id(&vpc)
        .tag_specifications(
            aws_sdk_ec2::types::TagSpecification::builder()
                .resource_type(aws_sdk_ec2::types::ResourceType::SecurityGroup)
                .tags(
                    aws_sdk_ec2::types::Tag::builder()
                        .key("kubernetes.io/cluster/my-eks")
                        .value("owned")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let sg_id = sg.group_id().unwrap().to_string();
    // Someone else's load balancer, in another VPC.
    let ec2 = session.ec2();
    let other = ec2
        .create_vpc()
        .cidr_block("172.31.0.0/16")
        .send()
        .await
        .unwrap();
    let other = other.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut foreign_subnets = Vec::new();
    for (cidr, zone) in [("172.31.0.0/20", "a"), ("172.31.16.0/20", "b")] {
        let s = ec2
            .create_subnet()
            .vpc_id(&other)
            .cidr_block(cidr)
            .availability_zone(format!("{REGION}{zone}"))
            .send()
            .await
            .unwrap();
        foreign_subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    let foreign = elb
        .create_load_balancer()
        .name("someone-elses")
        .set_subnets(Some(foreign_subnets))
        .tags(tag("elbv2.k8s.aws/cluster", "my-eks"))
        .send()
        .await
        .unwrap();
    let foreign_arn = foreign.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();

    // They are found, and listed, before anything is deleted.
    let found = eks_desk::provision::leftovers::find(&session, &spec)
        .await
        .unwrap();
    let ids: Vec<&str> = found.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids.len(), 3, "{found:?}");
    for id in [&lb_arn, &tg_arn, &sg_id] {
        assert!(ids.contains(&id.as_str()), "{id} in {ids:?}");
    }

    // Without the confirmation: the destroy stops there, naming them.
    let err = p.destroy(&spec).await.unwrap_err();
    let ProvisionError::Failed { step, message, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(step, "leftovers/kubernetes");
    assert!(message.contains("k8s-shop-web-0123456789"), "{message}");
    assert!(message.contains("--delete-leftovers"), "{message}");
    assert_eq!(
        architecture::owned(&session, &spec).await.vpcs,
        std::slice::from_ref(&vpc)
    );

    // With it: they go, and the rest of the destroy with them.
    p.delete_leftovers = true;
    p.destroy(&spec).await.unwrap();
    architecture::assert_nothing_owned(&session, &spec).await;
    let left = elb.describe_load_balancers().send().await.unwrap();
    let arns: Vec<&str> = left
        .load_balancers()
        .iter()
        .filter_map(|l| l.load_balancer_arn())
        .collect();
    assert_eq!(arns, [foreign_arn.as_str()], "only the foreign one is left");
    let groups = elb.describe_target_groups().send().await.unwrap();
    assert!(groups
        .target_groups()
        .iter()
        .all(|g| g.target_group_arn() != Some(tg_arn.as_str())));
}

//! What the planner learns from the account, against the emulator.

#[path = "support/emulator.rs"]
mod emulator;

use eks_desk::aws::{Environment, Sessions};
use eks_desk::spec::lookup;
use eks_desk::spec::plan::{self, StepAction, OWNER_TAG};
use eks_desk::spec::ClusterSpec;
use std::path::Path;

#[tokio::test]
async fn lookups_find_zones_roles_and_degrade_where_the_emulator_lacks_an_api() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let sessions = Sessions::new(emu.url.clone());
    let session = sessions
        .get(&Environment::Emulator {
            region: "ap-northeast-2".into(),
        })
        .await
        .unwrap();
    let spec = ClusterSpec {
        id: "spec-abc".into(),
        ..Default::default()
    };

    // A role of the same name that this spec made earlier, and one that
    // someone else made.
    let iam = session.iam();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role()
        .role_name("AmazonEKSClusterRole-my-eks")
        .assume_role_policy_document(trust)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key(OWNER_TAG)
                .value("spec-abc")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("AmazonEKSNodeRole-my-eks")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();

    let facts = lookup::gather(&session, &spec).await.unwrap();
    let zones = facts
        .availability_zones
        .clone()
        .expect("the emulator lists AZs");
    let zone = zones
        .iter()
        .find(|z| z.name == "ap-northeast-2a")
        .unwrap_or_else(|| panic!("{zones:?}"));
    assert_eq!(zone.zone_type, "availability-zone");
    assert!(!zone.id.is_empty(), "zones come with their IDs: {zone:?}");
    assert!(
        facts
            .unavailable
            .iter()
            .any(|u| u.starts_with("addon versions")),
        "DescribeAddonVersions is not offered by the emulator: {:?}",
        facts.unavailable
    );

    let plan = plan::build(&spec, &facts.existing);
    let action = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap().action;
    assert_eq!(action("role/cluster"), StepAction::Reuse);
    assert_eq!(action("role/node"), StepAction::Conflict);
    assert_eq!(action("cluster/my-eks"), StepAction::Create);
}

#[tokio::test]
async fn existing_vpcs_are_listed_with_their_subnets() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let sessions = Sessions::new(emu.url.clone());
    let session = sessions
        .get(&Environment::Emulator {
            region: "eu-west-1".into(),
        })
        .await
        .unwrap();
    let ec2 = session.ec2();
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.42.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.create_subnet()
        .vpc_id(&vpc_id)
        .cidr_block("10.42.1.0/24")
        .availability_zone("eu-west-1b")
        .send()
        .await
        .unwrap();
    let vpcs = lookup::vpcs(&session).await.unwrap();
    let ours = vpcs
        .iter()
        .find(|v| v.id == vpc_id)
        .expect("the new VPC is listed");
    assert_eq!(ours.cidr, "10.42.0.0/16");
    assert_eq!(ours.subnets.len(), 1);
    assert_eq!(ours.subnets[0].cidr, "10.42.1.0/24");
    assert_eq!(ours.subnets[0].availability_zone, "eu-west-1b");
}

//! The estimate of the seed and of its variations, totals worked out by
//! hand from the price table's rows.

use super::*;
use crate::spec::model::{AddonSpec, NodeGroupSpec};

fn seed() -> ClusterSpec {
    ClusterSpec::default()
}

fn group(spec: &mut ClusterSpec) -> &mut NodeGroupSpec {
    &mut spec.node_groups[0]
}

/// The line whose `what` starts with `prefix`.
fn line_of<'a>(estimate: &'a CostEstimate, prefix: &str) -> &'a CostLine {
    estimate
        .lines
        .iter()
        .find(|l| l.what.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in {:#?}", estimate.lines))
}

fn has_line(estimate: &CostEstimate, prefix: &str) -> bool {
    estimate.lines.iter().any(|l| l.what.starts_with(prefix))
}

fn unpriced_mentions(estimate: &CostEstimate, text: &str) -> bool {
    estimate.unpriced.iter().any(|u| u.contains(text))
}

#[test]
fn the_seed_costs_what_the_table_says() {
    // ap-northeast-2 (Seoul), one t4g.xlarge, 20 GiB, one NAT gateway:
    //   EKS control plane      1 × $0.10/h × 730 h             =  $73.00
    //   t4g.xlarge             $0.1344 × (0.118 / 0.096) = $0.1652/h
    //                          1 × $0.1652/h × 730 h           = $120.60 (120.596)
    //   gp3 root volume        20 GiB × $0.0912                =   $1.82 (1.824)
    //   NAT gateway            1 × $0.059/h × 730 h            =  $43.07
    //   its elastic IP         1 × $0.005/h × 730 h            =   $3.65
    //   total                                                  = $242.14
    let e = estimate(&seed());
    assert_eq!(e.region, "ap-northeast-2");
    assert_eq!(e.currency, "USD");
    assert_eq!(e.hours_per_month, 730);
    assert_eq!(e.prices_as_of, "2026-12-01");
    assert!(e.label.contains("Estimate") && e.label.contains("2026-12-01"));
    let cp = line_of(&e, "EKS control plane, standard support");
    assert_eq!(
        (cp.quantity, cp.unit_price_usd, cp.monthly_usd),
        (1, 0.10, 73.0)
    );
    let nodes = line_of(&e, "default_node_group: t4g.xlarge instances");
    assert_eq!(
        (
            nodes.quantity,
            nodes.unit_price_usd,
            nodes.per,
            nodes.monthly_usd
        ),
        (1, 0.1652, PricePer::Hour, 120.6)
    );
    let disk = line_of(&e, "default_node_group: gp3 root volumes");
    assert_eq!(
        (
            disk.quantity,
            disk.unit.as_str(),
            disk.per,
            disk.monthly_usd
        ),
        (20, "GiB", PricePer::Month, 1.82)
    );
    assert_eq!(line_of(&e, "NAT gateway").monthly_usd, 43.07);
    assert_eq!(line_of(&e, "Public IPv4").monthly_usd, 3.65);
    assert_eq!(e.lines.len(), 5);
    assert_eq!(e.total_monthly_usd, 242.14);
    assert!(unpriced_mentions(&e, "NAT gateway data processing"));
    assert!(unpriced_mentions(&e, "Data transfer"));
}

#[test]
fn the_instance_line_says_how_it_was_priced_and_what_max_size_costs() {
    let e = estimate(&seed());
    let note = line_of(&e, "default_node_group: t4g").note.clone().unwrap();
    assert!(note.contains("us-east-1 price $0.1344 × 1.229"), "{note}");
    // 3 × $0.1652 × 730 = $361.79.
    assert!(note.contains("max size of 3 it would be $361.79"), "{note}");

    let mut spec = seed();
    group(&mut spec).instance_types = vec!["t4g.large".into(), "m6g.large".into()];
    let e = estimate(&spec);
    let note = line_of(&e, "default_node_group: t4g.large")
        .note
        .clone()
        .unwrap();
    assert!(
        note.contains("first of 2 types (t4g.large, m6g.large)"),
        "{note}"
    );
}

#[test]
fn one_nat_gateway_per_zone_is_three_gateways_and_three_addresses() {
    // 3 × $43.07 + 3 × $3.65 = $129.21 + $10.95, instead of $43.07 + $3.65:
    // $242.14 - $46.72 + $140.16 = $335.58.
    let mut spec = seed();
    spec.network.egress = Egress::NatPerZone;
    let e = estimate(&spec);
    let nat = line_of(&e, "NAT gateways, one per zone");
    assert_eq!((nat.quantity, nat.monthly_usd), (3, 129.21));
    let ips = line_of(&e, "Public IPv4");
    assert_eq!((ips.quantity, ips.monthly_usd), (3, 10.95));
    assert_eq!(e.total_monthly_usd, 335.58);
}

#[test]
fn private_endpoints_are_five_per_node_zone_and_no_nat_gateway() {
    // 5 endpoints × 3 zones × $0.013/h × 730 h = $142.35; S3's is free:
    // $73.00 + $120.60 + $1.82 + $142.35 = $337.77.
    let mut spec = seed();
    spec.network.egress = Egress::PrivateEndpoints;
    spec.network.public_subnets.clear();
    let e = estimate(&spec);
    let endpoints = line_of(
        &e,
        "Interface endpoints (ecr.api, ecr.dkr, sts, ec2, elasticloadbalancing) in 3 zone(s)",
    );
    assert_eq!(
        (
            endpoints.quantity,
            endpoints.unit_price_usd,
            endpoints.monthly_usd
        ),
        (15, 0.013, 142.35)
    );
    assert_eq!(line_of(&e, "S3 gateway endpoint").monthly_usd, 0.0);
    assert!(!has_line(&e, "NAT gateway"));
    assert!(!has_line(&e, "Public IPv4"));
    assert_eq!(e.total_monthly_usd, 337.77);
    assert!(unpriced_mentions(&e, "Interface endpoint data processing"));
    assert!(!unpriced_mentions(&e, "NAT gateway data processing"));
}

#[test]
fn private_endpoints_in_existing_subnets_assume_a_zone_each() {
    let mut spec = seed();
    spec.network.egress = Egress::PrivateEndpoints;
    spec.network.node_subnets = NodeSubnets::Existing(vec!["subnet-1".into(), "subnet-2".into()]);
    let e = estimate(&spec);
    let endpoints = line_of(&e, "Interface endpoints");
    assert_eq!(endpoints.quantity, 10);
    assert!(endpoints
        .note
        .as_deref()
        .unwrap()
        .contains("one zone per subnet"));
}

#[test]
fn an_existing_way_out_adds_no_network_cost() {
    // $73.00 + $120.60 + $1.82 = $195.42.
    let mut spec = seed();
    spec.network.egress = Egress::Existing;
    spec.network.public_subnets.clear();
    let e = estimate(&spec);
    assert_eq!(e.lines.len(), 3);
    assert!(!has_line(&e, "NAT") && !has_line(&e, "Public IPv4") && !has_line(&e, "Interface"));
    assert_eq!(e.total_monthly_usd, 195.42);
    assert!(e
        .notes
        .iter()
        .any(|n| n.contains("existing VPC's own way out")));
}

#[test]
fn spot_capacity_is_unpriced_with_what_on_demand_would_cost() {
    // The instance leaves the total; its disk stays: $242.14 - $120.60 = $121.54.
    let mut spec = seed();
    group(&mut spec).capacity_type = CapacityType::Spot;
    let e = estimate(&spec);
    assert!(!has_line(&e, "default_node_group: t4g.xlarge"));
    assert!(has_line(&e, "default_node_group: gp3"));
    assert_eq!(e.total_monthly_usd, 121.54);
    let spot = e.unpriced.iter().find(|u| u.contains("spot")).unwrap();
    assert!(spot.contains("change by the hour"), "{spot}");
    assert!(
        spot.contains("on demand they would cost $120.60/month"),
        "{spot}"
    );
}

#[test]
fn an_instance_type_not_in_the_table_is_unpriced_not_guessed() {
    let mut spec = seed();
    group(&mut spec).instance_types = vec!["m7i.large".into()];
    let e = estimate(&spec);
    assert!(!has_line(&e, "default_node_group: m7i"));
    assert!(unpriced_mentions(
        &e,
        "default_node_group: m7i.large is not in the built-in price table"
    ));
    assert_eq!(e.total_monthly_usd, 121.54);

    group(&mut spec).instance_types.clear();
    let e = estimate(&spec);
    assert!(unpriced_mentions(&e, "no instance type chosen"));
}

#[test]
fn changing_the_instance_type_moves_the_total() {
    // m5.large in Seoul: $0.118 × 730 = $86.14 instead of $120.60.
    let mut spec = seed();
    group(&mut spec).instance_types = vec!["m5.large".into()];
    group(&mut spec).ami_type = "AL2023_x86_64_STANDARD".into();
    let e = estimate(&spec);
    assert_eq!(
        line_of(&e, "default_node_group: m5.large").monthly_usd,
        86.14
    );
    assert_eq!(e.total_monthly_usd, 207.68);
}

#[test]
fn desired_size_and_disk_size_multiply() {
    // 4 × $120.60 (= 4 × 0.1652 × 730 = $482.38) and 4 × 50 GiB × $0.0912 = $18.24.
    let mut spec = seed();
    group(&mut spec).desired_size = 4;
    group(&mut spec).max_size = 4;
    group(&mut spec).disk_size_gib = 50;
    let e = estimate(&spec);
    assert_eq!(line_of(&e, "default_node_group: t4g").monthly_usd, 482.38);
    let disk = line_of(&e, "default_node_group: gp3");
    assert_eq!((disk.quantity, disk.monthly_usd), (200, 18.24));
}

#[test]
fn a_version_past_standard_support_costs_extended_support() {
    let mut spec = seed();
    spec.cluster.kubernetes_version = "1.29".into();
    let e = estimate(&spec);
    let cp = line_of(&e, "EKS control plane, extended support");
    assert_eq!(cp.monthly_usd, 438.0);
    assert!(cp.note.as_deref().unwrap().contains("1.29 is older"));
}

#[test]
fn a_stand_in_region_is_priced_like_its_neighbour_and_says_so() {
    let mut spec = seed();
    spec.cluster.region = "eu-central-2".into();
    let e = estimate(&spec);
    assert!(
        e.notes
            .iter()
            .any(|n| n.contains("no prices of its own for eu-central-2")
                && n.contains("eu-central-1"))
    );
    assert_eq!(line_of(&e, "NAT gateway").unit_price_usd, 0.052);
}

#[test]
fn a_region_not_in_the_table_prices_nothing() {
    let mut spec = seed();
    spec.cluster.region = "cn-north-1".into();
    let e = estimate(&spec);
    assert!(e.lines.is_empty());
    assert_eq!(e.total_monthly_usd, 0.0);
    assert!(unpriced_mentions(
        &e,
        "\"cn-north-1\" is not in the built-in price table"
    ));
}

#[test]
fn free_things_have_no_line() {
    let mut spec = seed();
    spec.addons.push(AddonSpec {
        name: "eks-pod-identity-agent".into(),
        version: String::new(),
    });
    let e = estimate(&spec);
    assert_eq!(e.lines.len(), 5, "addons, IAM, VPC and subnets are free");
}

#[test]
fn it_serializes_in_camel_case_for_the_form() {
    let json = serde_json::to_value(estimate(&seed())).unwrap();
    assert_eq!(json["totalMonthlyUsd"], 242.14);
    assert_eq!(json["pricesAsOf"], "2026-12-01");
    assert_eq!(json["lines"][0]["unitPriceUsd"], 0.1);
    assert_eq!(json["lines"][0]["per"], "hour");
    assert!(json["unpriced"].is_array());
}

//! One test per kind of row in the price table, and the table's coverage of
//! what the app offers (every commercial region, every catalog type).

use super::*;
use crate::aws::regions::COMMERCIAL;
use crate::spec::catalog::INSTANCE_TYPES;

fn region(code: &str) -> RegionPrices {
    region_prices(code).unwrap_or_else(|| panic!("{code} is not in the table"))
}

/// us-east-1 price of `name`, from its row.
fn us_east_1(name: &str) -> f64 {
    us_east_1_hourly(name).unwrap_or_else(|| panic!("{name} has no row"))
}

/// Monthly USD of `hourly` for one unit, to the cent.
fn month(hourly: f64) -> f64 {
    round_to(hourly * f64::from(HOURS_PER_MONTH), 2)
}

#[test]
fn every_catalog_instance_type_has_exactly_one_price() {
    for it in INSTANCE_TYPES {
        let rows = US_EAST_1_INSTANCE_PRICES
            .iter()
            .filter(|p| p.name == it.name)
            .count();
        assert_eq!(rows, 1, "{}", it.name);
    }
    assert_eq!(US_EAST_1_INSTANCE_PRICES.len(), INSTANCE_TYPES.len());
}

#[test]
fn every_commercial_region_is_listed_or_stood_in_for_once() {
    for r in COMMERCIAL {
        let listed = LISTED_REGIONS.iter().filter(|l| l.code == r.code).count();
        let stand_in = STAND_IN_REGIONS.iter().filter(|s| s.code == r.code).count();
        assert_eq!(listed + stand_in, 1, "{}", r.code);
        assert!(region_prices(r.code).is_some(), "{}", r.code);
    }
    for s in STAND_IN_REGIONS {
        assert!(
            LISTED_REGIONS.iter().any(|l| l.code == s.priced_like),
            "{} stands in for {} but is not listed",
            s.priced_like,
            s.code
        );
    }
    assert_eq!(
        region_prices("cn-north-1"),
        None,
        "China has its own prices"
    );
    assert_eq!(region_prices(""), None);
}

#[test]
fn a_stand_in_region_says_whose_prices_it_uses() {
    let zurich = region("eu-central-2");
    assert_eq!(zurich.prices.code, "eu-central-1");
    assert_eq!(zurich.stand_in_for, Some("eu-central-2"));
    assert_eq!(region("eu-central-1").stand_in_for, None);
}

/// A typo shows up as a region cheaper than N. Virginia or wildly dearer
/// (São Paulo's NAT gateway, the dearest, is 2.07 times).
#[test]
fn every_listed_region_costs_1_to_2_1_times_us_east_1() {
    let base = region("us-east-1").prices;
    for r in LISTED_REGIONS {
        let ratios = [
            r.m5_large_hourly / base.m5_large_hourly,
            r.nat_gateway_hourly / base.nat_gateway_hourly,
            r.ebs_gp3_gib_monthly / base.ebs_gp3_gib_monthly,
            r.interface_endpoint_hourly / base.interface_endpoint_hourly,
        ];
        for ratio in ratios {
            assert!((1.0..2.1).contains(&ratio), "{}: {ratios:?}", r.code);
        }
    }
}

#[test]
fn control_plane_rows() {
    // $0.10 × 730 h = $73.00; extended support $0.60 × 730 h = $438.00.
    assert_eq!(month(EKS_STANDARD_SUPPORT_HOURLY), 73.0);
    assert_eq!(month(EKS_EXTENDED_SUPPORT_HOURLY), 438.0);
}

#[test]
fn public_ipv4_row() {
    // $0.005 × 730 h = $3.65 per address.
    assert_eq!(month(PUBLIC_IPV4_HOURLY), 3.65);
}

#[test]
fn nat_gateway_rows() {
    assert_eq!(region("us-east-1").prices.nat_gateway_hourly, 0.045);
    assert_eq!(month(region("us-east-1").prices.nat_gateway_hourly), 32.85);
    assert_eq!(region("ap-northeast-2").prices.nat_gateway_hourly, 0.059);
    assert_eq!(region("eu-west-1").prices.nat_gateway_hourly, 0.048);
    assert_eq!(region("sa-east-1").prices.nat_gateway_hourly, 0.093);
}

#[test]
fn ebs_gp3_rows() {
    // gp3 is listed at 80 % of gp2 everywhere: $0.10 → $0.08, $0.114 → $0.0912.
    assert_eq!(region("us-east-1").prices.ebs_gp3_gib_monthly, 0.08);
    assert_eq!(region("ap-northeast-2").prices.ebs_gp3_gib_monthly, 0.0912);
    assert_eq!(region("eu-west-1").prices.ebs_gp3_gib_monthly, 0.088);
    assert_eq!(region("sa-east-1").prices.ebs_gp3_gib_monthly, 0.152);
}

#[test]
fn interface_endpoint_rows() {
    // Per endpoint per zone: $0.01 × 730 h = $7.30 in us-east-1.
    assert_eq!(
        month(region("us-east-1").prices.interface_endpoint_hourly),
        7.3
    );
    assert_eq!(
        region("ap-northeast-2").prices.interface_endpoint_hourly,
        0.013
    );
    assert_eq!(
        region("ap-northeast-1").prices.interface_endpoint_hourly,
        0.014
    );
}

#[test]
fn the_regional_factor_is_m5_large_there_over_us_east_1() {
    assert_eq!(region("us-east-1").ec2_factor(), 1.0);
    assert_eq!(region("us-west-2").ec2_factor(), 1.0);
    // Seoul: $0.118 / $0.096 = 1.2292.
    let seoul = region("ap-northeast-2");
    assert!((seoul.ec2_factor() - 1.2292).abs() < 1e-4);
    assert_eq!(seoul.instance_hourly("m5.large"), Some(0.118));
    // t4g.xlarge: $0.1344 × 1.2292 = $0.16520 (AWS lists $0.1664: 0.7 % off).
    assert_eq!(seoul.instance_hourly("t4g.xlarge"), Some(0.1652));
    assert_eq!(
        region("us-east-1").instance_hourly("t4g.xlarge"),
        Some(0.1344)
    );
    assert_eq!(seoul.instance_hourly("m7i.large"), None);
}

/// Within a family the price doubles with each size, as AWS lists them.
fn assert_family(family: &str, sizes: &[&str], smallest: f64) {
    let mut expected = smallest;
    for size in sizes {
        let name = format!("{family}.{size}");
        assert!(
            (us_east_1(&name) - expected).abs() < 1e-9,
            "{name}: {} ≠ {expected}",
            us_east_1(&name)
        );
        expected *= 2.0;
    }
}

const BURSTABLE: &[&str] = &["medium", "large", "xlarge", "2xlarge"];
const UP_TO_4XL: &[&str] = &["large", "xlarge", "2xlarge", "4xlarge"];
const UP_TO_2XL: &[&str] = &["large", "xlarge", "2xlarge"];

#[test]
fn t3_rows() {
    assert_family("t3", BURSTABLE, 0.0416);
}

#[test]
fn t3a_rows() {
    assert_family("t3a", BURSTABLE, 0.0376);
}

#[test]
fn t4g_rows() {
    assert_family("t4g", BURSTABLE, 0.0336);
}

#[test]
fn m5_rows() {
    assert_family("m5", UP_TO_4XL, 0.096);
}

#[test]
fn m6i_rows() {
    assert_family("m6i", UP_TO_4XL, 0.096);
}

#[test]
fn m6g_rows() {
    assert_family("m6g", UP_TO_4XL, 0.077);
}

#[test]
fn m7g_rows() {
    assert_family("m7g", UP_TO_4XL, 0.0816);
}

#[test]
fn c5_rows() {
    assert_family("c5", UP_TO_2XL, 0.085);
}

#[test]
fn c6g_rows() {
    assert_family("c6g", UP_TO_2XL, 0.068);
}

#[test]
fn c7g_rows() {
    assert_family("c7g", UP_TO_2XL, 0.0725);
}

#[test]
fn r5_rows() {
    assert_family("r5", UP_TO_2XL, 0.126);
}

#[test]
fn r6g_rows() {
    assert_family("r6g", UP_TO_2XL, 0.1008);
}

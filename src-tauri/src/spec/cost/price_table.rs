//! The built-in, dated price table the cost estimate reads: one row per
//! price. Nothing here is fetched; the AWS Price List API needs credentials
//! and a network, and the estimate must work in the form before either.
//!
//! Where the numbers come from: AWS's public on-demand list prices (Linux,
//! no Savings Plans, Reserved Instances or free tier) as known when the
//! table was compiled. The uniform prices (EKS, public IPv4) and the
//! us-east-1 rows agree with AWS's pricing pages and several public cost
//! tools; the other regions' rows are list prices as remembered, checked
//! against public write-ups where one could be found (NAT gateways in most
//! listed regions; m5.large, t3, t4g and gp3 in Seoul). They are estimates:
//! a bill can differ, and AWS changes prices without notice.
//!
//! EC2 has one price per instance type per region; rather than a 43 × 33
//! grid nobody could check, each instance type has its exact us-east-1
//! price and each region a factor — its m5.large price over us-east-1's.
//! In Seoul that factor (1.229) is within 2 % of the real t3 (1.25) and
//! t4g (1.238) ratios; expect that order of error elsewhere. Regions the
//! table has no prices of its own for are priced like a named listed
//! region, and the estimate says so.

/// When this table was compiled; shown with every estimate.
pub const PRICES_AS_OF: &str = "2026-12-01";

/// Where the prices come from, in words, for the estimate's label.
pub const PRICE_SOURCE: &str = "AWS public on-demand list prices (Linux, no discounts), \
    built into the app; EC2 outside us-east-1 is the us-east-1 price scaled by a regional factor";

/// AWS's convention for a month of hourly charges (8,760 hours / 12).
pub const HOURS_PER_MONTH: u32 = 730;

/// EKS control plane per cluster-hour in standard support, the same in
/// every commercial region.
pub const EKS_STANDARD_SUPPORT_HOURLY: f64 = 0.10;

/// EKS control plane per cluster-hour for a Kubernetes version in extended
/// support (standard + $0.50), since April 2024.
pub const EKS_EXTENDED_SUPPORT_HOURLY: f64 = 0.60;

/// Every public IPv4 address (an elastic IP included), per hour, the same
/// in every commercial region, since February 2024.
pub const PUBLIC_IPV4_HOURLY: f64 = 0.005;

/// The instance type the regional EC2 factor is measured on.
pub const EC2_REFERENCE_TYPE: &str = "m5.large";

/// An instance type's on-demand Linux price in us-east-1, USD per hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstancePrice {
    pub name: &'static str,
    pub us_east_1_hourly: f64,
}

const fn ec2(name: &'static str, us_east_1_hourly: f64) -> InstancePrice {
    InstancePrice {
        name,
        us_east_1_hourly,
    }
}

/// Every instance type of `catalog::INSTANCE_TYPES`. Within a family the
/// price doubles with each size (a test holds the rows to that).
pub const US_EAST_1_INSTANCE_PRICES: &[InstancePrice] = &[
    ec2("t3.medium", 0.0416),
    ec2("t3.large", 0.0832),
    ec2("t3.xlarge", 0.1664),
    ec2("t3.2xlarge", 0.3328),
    ec2("t3a.medium", 0.0376),
    ec2("t3a.large", 0.0752),
    ec2("t3a.xlarge", 0.1504),
    ec2("t3a.2xlarge", 0.3008),
    ec2("t4g.medium", 0.0336),
    ec2("t4g.large", 0.0672),
    ec2("t4g.xlarge", 0.1344),
    ec2("t4g.2xlarge", 0.2688),
    ec2("m5.large", 0.096),
    ec2("m5.xlarge", 0.192),
    ec2("m5.2xlarge", 0.384),
    ec2("m5.4xlarge", 0.768),
    ec2("m6i.large", 0.096),
    ec2("m6i.xlarge", 0.192),
    ec2("m6i.2xlarge", 0.384),
    ec2("m6i.4xlarge", 0.768),
    ec2("m6g.large", 0.077),
    ec2("m6g.xlarge", 0.154),
    ec2("m6g.2xlarge", 0.308),
    ec2("m6g.4xlarge", 0.616),
    ec2("m7g.large", 0.0816),
    ec2("m7g.xlarge", 0.1632),
    ec2("m7g.2xlarge", 0.3264),
    ec2("m7g.4xlarge", 0.6528),
    ec2("c5.large", 0.085),
    ec2("c5.xlarge", 0.17),
    ec2("c5.2xlarge", 0.34),
    ec2("c6g.large", 0.068),
    ec2("c6g.xlarge", 0.136),
    ec2("c6g.2xlarge", 0.272),
    ec2("c7g.large", 0.0725),
    ec2("c7g.xlarge", 0.145),
    ec2("c7g.2xlarge", 0.29),
    ec2("r5.large", 0.126),
    ec2("r5.xlarge", 0.252),
    ec2("r5.2xlarge", 0.504),
    ec2("r6g.large", 0.1008),
    ec2("r6g.xlarge", 0.2016),
    ec2("r6g.2xlarge", 0.4032),
];

/// A region's own list prices, USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListedRegion {
    pub code: &'static str,
    /// m5.large on-demand Linux per hour: the regional EC2 factor's numerator.
    pub m5_large_hourly: f64,
    /// One NAT gateway per hour (data processed is charged per GB on top).
    pub nat_gateway_hourly: f64,
    /// One GiB of EBS gp3 per month (3,000 IOPS and 125 MiB/s included).
    pub ebs_gp3_gib_monthly: f64,
    /// One interface endpoint in one zone per hour (data processed on top).
    pub interface_endpoint_hourly: f64,
}

const fn listed(
    code: &'static str,
    m5_large_hourly: f64,
    nat_gateway_hourly: f64,
    ebs_gp3_gib_monthly: f64,
    interface_endpoint_hourly: f64,
) -> ListedRegion {
    ListedRegion {
        code,
        m5_large_hourly,
        nat_gateway_hourly,
        ebs_gp3_gib_monthly,
        interface_endpoint_hourly,
    }
}

/// Regions with prices of their own: code, m5.large/h, NAT/h,
/// gp3 GiB-month, interface endpoint per zone/h.
pub const LISTED_REGIONS: &[ListedRegion] = &[
    listed("us-east-1", 0.096, 0.045, 0.08, 0.01),
    listed("us-east-2", 0.096, 0.045, 0.08, 0.01),
    listed("us-west-1", 0.112, 0.048, 0.096, 0.011),
    listed("us-west-2", 0.096, 0.045, 0.08, 0.01),
    listed("af-south-1", 0.127, 0.06, 0.1047, 0.013),
    listed("ap-east-1", 0.132, 0.065, 0.1056, 0.012),
    listed("ap-south-1", 0.101, 0.056, 0.0912, 0.011),
    listed("ap-northeast-1", 0.124, 0.062, 0.096, 0.014),
    listed("ap-northeast-2", 0.118, 0.059, 0.0912, 0.013),
    listed("ap-northeast-3", 0.124, 0.062, 0.096, 0.014),
    listed("ap-southeast-1", 0.12, 0.059, 0.096, 0.013),
    listed("ap-southeast-2", 0.12, 0.059, 0.096, 0.013),
    listed("ca-central-1", 0.107, 0.05, 0.088, 0.011),
    listed("eu-central-1", 0.115, 0.052, 0.0952, 0.012),
    listed("eu-west-1", 0.107, 0.048, 0.088, 0.011),
    listed("eu-west-2", 0.111, 0.05, 0.0928, 0.011),
    listed("eu-west-3", 0.112, 0.05, 0.0928, 0.012),
    listed("eu-south-1", 0.112, 0.052, 0.0924, 0.012),
    listed("eu-north-1", 0.102, 0.046, 0.0836, 0.011),
    listed("me-south-1", 0.117, 0.0528, 0.0968, 0.0121),
    listed("sa-east-1", 0.153, 0.093, 0.152, 0.017),
];

/// A region whose prices the table does not know (newer regions, whose list
/// prices could not be checked), and the listed region priced instead: the
/// nearest one, or the one in the same country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandInRegion {
    pub code: &'static str,
    pub priced_like: &'static str,
}

const fn like(code: &'static str, priced_like: &'static str) -> StandInRegion {
    StandInRegion { code, priced_like }
}

pub const STAND_IN_REGIONS: &[StandInRegion] = &[
    like("ap-east-2", "ap-east-1"),
    like("ap-south-2", "ap-south-1"),
    like("ap-southeast-3", "ap-southeast-1"),
    like("ap-southeast-4", "ap-southeast-2"),
    like("ap-southeast-5", "ap-southeast-1"),
    like("ap-southeast-7", "ap-southeast-1"),
    like("ca-west-1", "ca-central-1"),
    like("eu-central-2", "eu-central-1"),
    like("eu-south-2", "eu-west-3"),
    like("il-central-1", "me-south-1"),
    like("me-central-1", "me-south-1"),
    like("mx-central-1", "us-east-2"),
];

/// The prices used for a region.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionPrices {
    pub prices: &'static ListedRegion,
    /// Set when `prices` are another region's, standing in for this one.
    pub stand_in_for: Option<&'static str>,
}

impl RegionPrices {
    /// The us-east-1 → this region multiplier for EC2 prices.
    pub fn ec2_factor(&self) -> f64 {
        self.prices.m5_large_hourly / us_east_1_hourly(EC2_REFERENCE_TYPE).unwrap_or(f64::NAN)
    }

    /// On-demand Linux price of `instance_type` here, USD per hour, to the
    /// four decimals AWS lists; `None` when the type is not in the table.
    pub fn instance_hourly(&self, instance_type: &str) -> Option<f64> {
        us_east_1_hourly(instance_type).map(|p| round_to(p * self.ec2_factor(), 4))
    }
}

fn listed_region(code: &str) -> Option<&'static ListedRegion> {
    LISTED_REGIONS.iter().find(|r| r.code == code)
}

/// The prices for `code`, its own or a stand-in's; `None` when the region
/// is not in the table at all.
pub fn region_prices(code: &str) -> Option<RegionPrices> {
    if let Some(prices) = listed_region(code) {
        return Some(RegionPrices {
            prices,
            stand_in_for: None,
        });
    }
    let stand_in = STAND_IN_REGIONS.iter().find(|r| r.code == code)?;
    Some(RegionPrices {
        prices: listed_region(stand_in.priced_like)?,
        stand_in_for: Some(stand_in.code),
    })
}

/// The us-east-1 row of `instance_type`.
pub fn us_east_1_hourly(instance_type: &str) -> Option<f64> {
    US_EAST_1_INSTANCE_PRICES
        .iter()
        .find(|p| p.name == instance_type)
        .map(|p| p.us_east_1_hourly)
}

/// `value` rounded half away from zero to `decimals` places.
pub fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

#[cfg(test)]
#[path = "price_table_tests.rs"]
mod tests;

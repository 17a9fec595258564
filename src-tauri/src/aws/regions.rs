//! Commercial AWS regions in which EKS is offered. A built-in table rather than
//! EC2 DescribeRegions: the picker must work before any credentials do.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
}

const fn r(code: &'static str, name: &'static str) -> Region {
    Region { code, name }
}

pub const COMMERCIAL: &[Region] = &[
    r("us-east-1", "US East (N. Virginia)"),
    r("us-east-2", "US East (Ohio)"),
    r("us-west-1", "US West (N. California)"),
    r("us-west-2", "US West (Oregon)"),
    r("af-south-1", "Africa (Cape Town)"),
    r("ap-east-1", "Asia Pacific (Hong Kong)"),
    r("ap-east-2", "Asia Pacific (Taipei)"),
    r("ap-south-1", "Asia Pacific (Mumbai)"),
    r("ap-south-2", "Asia Pacific (Hyderabad)"),
    r("ap-northeast-1", "Asia Pacific (Tokyo)"),
    r("ap-northeast-2", "Asia Pacific (Seoul)"),
    r("ap-northeast-3", "Asia Pacific (Osaka)"),
    r("ap-southeast-1", "Asia Pacific (Singapore)"),
    r("ap-southeast-2", "Asia Pacific (Sydney)"),
    r("ap-southeast-3", "Asia Pacific (Jakarta)"),
    r("ap-southeast-4", "Asia Pacific (Melbourne)"),
    r("ap-southeast-5", "Asia Pacific (Malaysia)"),
    r("ap-southeast-7", "Asia Pacific (Thailand)"),
    r("ca-central-1", "Canada (Central)"),
    r("ca-west-1", "Canada West (Calgary)"),
    r("eu-central-1", "Europe (Frankfurt)"),
    r("eu-central-2", "Europe (Zurich)"),
    r("eu-west-1", "Europe (Ireland)"),
    r("eu-west-2", "Europe (London)"),
    r("eu-west-3", "Europe (Paris)"),
    r("eu-south-1", "Europe (Milan)"),
    r("eu-south-2", "Europe (Spain)"),
    r("eu-north-1", "Europe (Stockholm)"),
    r("il-central-1", "Israel (Tel Aviv)"),
    r("me-south-1", "Middle East (Bahrain)"),
    r("me-central-1", "Middle East (UAE)"),
    r("mx-central-1", "Mexico (Central)"),
    r("sa-east-1", "South America (São Paulo)"),
];

/// The region used when neither the profile nor the environment names one.
pub const FALLBACK: &str = "us-east-1";

pub fn is_known(code: &str) -> bool {
    COMMERCIAL.iter().any(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_include_the_seed_region() {
        let mut codes: Vec<_> = COMMERCIAL.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COMMERCIAL.len());
        assert!(is_known("ap-northeast-2"));
        assert!(!is_known("cn-north-1"), "China regions are not commercial");
    }
}

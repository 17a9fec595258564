//! What the Create form shows beside the fields: every issue, the IP guard,
//! and whether the spec was checked against the account or offline.

use super::lookup::{AccountFacts, AccountView};
use super::model::ClusterSpec;
use super::network::{ip_guard, ExistingSubnet, SubnetUsage};
use super::validate::zone_rules::zone_problem;
use super::validate::{validate, FieldIssue, Severity, ValidationContext};
use serde::Serialize;
use specta::Type;

/// A zone the pickers offer, shown as `name (id)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ZoneChoice {
    pub name: String,
    /// The zone ID (the same physical zone in every account); unknown offline.
    pub id: Option<String>,
    /// Why EKS cannot put a control-plane subnet there (a node subnet may
    /// still be fine unless the zone is not an availability zone).
    pub control_plane_problem: Option<String>,
    /// Why EKS cannot use it at all (a Local or Wavelength Zone).
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountCheck {
    /// False when no environment was given or the account could not be read.
    pub checked: bool,
    /// Why the account was not read (`None` when it was).
    pub offline_reason: Option<String>,
    /// Look-ups that were not possible (the account was read otherwise).
    pub notes: Vec<String>,
    /// Zones to offer in the pickers: the region's as the account lists
    /// them, or, offline, the usual `<region>a/b/c`.
    pub availability_zones: Vec<ZoneChoice>,
    /// True when `availability_zones` is the offline guess.
    pub zones_assumed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SpecCheck {
    pub issues: Vec<FieldIssue>,
    pub ip_guard: Vec<SubnetUsage>,
    pub account: AccountCheck,
}

impl SpecCheck {
    pub fn errors(&self) -> impl Iterator<Item = &FieldIssue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
}

fn existing_subnets(spec: &ClusterSpec, facts: &AccountFacts) -> Vec<ExistingSubnet> {
    facts
        .vpc_subnets
        .iter()
        // This spec's own subnets (from an earlier apply) are not "other"
        // subnets it could overlap.
        .filter(|s| spec.id.is_empty() || s.owner_spec_id.as_deref() != Some(spec.id.as_str()))
        .map(|s| ExistingSubnet {
            id: s.id.clone(),
            cidr: s.cidr.clone(),
            availability_zone: s.availability_zone.clone(),
        })
        .collect()
}

pub fn context_from(spec: &ClusterSpec, facts: &AccountFacts) -> ValidationContext {
    ValidationContext {
        existing_cluster_names: facts.other_cluster_names.clone(),
        availability_zones: facts.availability_zones.clone(),
        existing_vpc: facts.existing_vpc.clone(),
        existing_subnets: existing_subnets(spec, facts),
        addon_versions: facts.addon_versions.clone(),
        kubernetes_versions: facts.kubernetes_versions.clone(),
        caller_arn: facts.caller_arn.clone(),
        caller_principal: facts.caller_principal.clone(),
    }
}

/// The zones a region usually has, for the pickers when the account
/// cannot say: `<region>a`, `b`, `c` (ids unknown).
pub fn assumed_zones(region: &str) -> Vec<ZoneChoice> {
    ["a", "b", "c"]
        .iter()
        .map(|z| ZoneChoice {
            name: format!("{region}{z}"),
            id: None,
            control_plane_problem: None,
            problem: None,
        })
        .collect()
}

fn zone_choices(facts: &AccountFacts) -> Vec<ZoneChoice> {
    facts
        .availability_zones
        .iter()
        .flatten()
        .map(|z| ZoneChoice {
            name: z.name.clone(),
            id: Some(z.id.clone()),
            control_plane_problem: zone_problem(z, true),
            problem: zone_problem(z, false),
        })
        .collect()
}

/// Checks `spec` against what is known: the account's facts when they
/// were read, else built-in knowledge only (saying why).
pub fn check(spec: &ClusterSpec, view: &AccountView) -> SpecCheck {
    match view {
        AccountView::Account(facts) => {
            let ctx = context_from(spec, facts);
            let zones = zone_choices(facts);
            SpecCheck {
                issues: validate(spec, &ctx),
                ip_guard: ip_guard(spec, &ctx.existing_subnets),
                account: AccountCheck {
                    checked: true,
                    offline_reason: None,
                    notes: facts.unavailable.clone(),
                    zones_assumed: zones.is_empty(),
                    availability_zones: if zones.is_empty() {
                        assumed_zones(&spec.cluster.region)
                    } else {
                        zones
                    },
                },
            }
        }
        AccountView::Offline(offline) => SpecCheck {
            issues: validate(spec, &ValidationContext::default()),
            ip_guard: ip_guard(spec, &[]),
            account: AccountCheck {
                checked: false,
                offline_reason: Some(offline.to_string()),
                notes: Vec::new(),
                availability_zones: assumed_zones(&spec.cluster.region),
                zones_assumed: true,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::lookup::{Offline, SubnetFact};

    #[test]
    fn offline_check_of_the_seed_has_no_errors_and_says_why_it_is_offline() {
        let result = check(
            &ClusterSpec::default(),
            &AccountView::Offline(Offline::NoEnvironment),
        );
        assert_eq!(result.errors().count(), 0, "{:?}", result.issues);
        assert!(!result.account.checked);
        assert_eq!(
            result.account.offline_reason.as_deref(),
            Some("No AWS environment selected: checked offline.")
        );
        assert!(result.account.zones_assumed);
        let names: Vec<&str> = result
            .account
            .availability_zones
            .iter()
            .map(|z| z.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]
        );
        assert_eq!(result.ip_guard.len(), 6, "3 control-plane + 3 node subnets");
    }

    #[test]
    fn the_account_facts_reach_the_rules() {
        let zone = |name: &str, id: &str| crate::spec::lookup::ZoneFact {
            name: name.into(),
            id: id.into(),
            zone_type: "availability-zone".into(),
        };
        let mut facts = AccountFacts {
            other_cluster_names: vec!["my-eks".into()],
            availability_zones: Some(vec![
                zone("ap-northeast-2a", "apne2-az1"),
                zone("ap-northeast-2b", "apne2-az2"),
            ]),
            ..Default::default()
        };
        facts.vpc_subnets.push(SubnetFact {
            id: "subnet-1".into(),
            cidr: "10.0.0.192/26".into(),
            availability_zone: "ap-northeast-2a".into(),
            owner_spec_id: None,
        });
        let result = check(
            &ClusterSpec::default(),
            &AccountView::Account(Box::new(facts)),
        );
        let fields: Vec<&str> = result.errors().map(|i| i.field.as_str()).collect();
        assert!(fields.contains(&"cluster.name"), "{fields:?}");
        assert!(
            fields.contains(&"network.controlPlaneSubnets[2].availabilityZone"),
            "ap-northeast-2c is not in this region's list: {fields:?}"
        );
        assert!(
            fields
                .iter()
                .any(|f| f.starts_with("network.controlPlaneSubnets[0]")),
            "overlaps subnet-1: {fields:?}"
        );
        assert!(result.account.checked);
    }

    #[test]
    fn this_specs_own_subnets_do_not_count_as_overlaps() {
        let spec = ClusterSpec {
            id: "mine".into(),
            ..Default::default()
        };
        let mut facts = AccountFacts::default();
        facts.vpc_subnets.push(SubnetFact {
            id: "subnet-1".into(),
            cidr: "10.0.0.192/28".into(),
            availability_zone: "ap-northeast-2a".into(),
            owner_spec_id: Some("mine".into()),
        });
        assert_eq!(
            check(&spec, &AccountView::Account(Box::new(facts)))
                .errors()
                .count(),
            0
        );
    }
}

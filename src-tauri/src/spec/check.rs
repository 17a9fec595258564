//! What the Create form shows beside the fields: every issue, the IP guard,
//! and whether the spec was checked against the account or offline.

use super::lookup::AccountFacts;
use super::model::ClusterSpec;
use super::network::{ip_guard, ExistingSubnet, SubnetUsage};
use super::validate::{validate, FieldIssue, Severity, ValidationContext};
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountCheck {
    /// False when no environment was given or the account could not be read.
    pub checked: bool,
    /// Look-ups that were not possible, or why nothing was checked.
    pub notes: Vec<String>,
    /// AZs of the region, for the AZ pickers (empty when unknown).
    pub availability_zones: Vec<String>,
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
        existing_subnets: existing_subnets(spec, facts),
        addon_versions: facts.addon_versions.clone(),
        kubernetes_versions: facts.kubernetes_versions.clone(),
        caller_arn: facts.caller_arn.clone(),
    }
}

/// Checks `spec` against what is known: the account's facts when they could
/// be read, else built-in knowledge only (with `offline_reason` said).
pub fn check(spec: &ClusterSpec, facts: Result<&AccountFacts, String>) -> SpecCheck {
    match facts {
        Ok(facts) => {
            let ctx = context_from(spec, facts);
            SpecCheck {
                issues: validate(spec, &ctx),
                ip_guard: ip_guard(spec, &ctx.existing_subnets),
                account: AccountCheck {
                    checked: true,
                    notes: facts.unavailable.clone(),
                    availability_zones: facts.availability_zones.clone().unwrap_or_default(),
                },
            }
        }
        Err(reason) => SpecCheck {
            issues: validate(spec, &ValidationContext::default()),
            ip_guard: ip_guard(spec, &[]),
            account: AccountCheck {
                checked: false,
                notes: vec![reason],
                availability_zones: Vec::new(),
            },
        },
    }
}

/// Checks `spec` in the account of `environment` (moved to the spec's
/// region); offline when there is no environment or the account cannot be
/// read, saying why.
pub async fn check_in_account(
    sessions: &crate::aws::Sessions,
    cache: &super::lookup::FactsCache,
    environment: Option<&crate::aws::Environment>,
    spec: &ClusterSpec,
) -> SpecCheck {
    let Some(environment) = environment else {
        return check(
            spec,
            Err("No AWS environment selected: checked offline.".into()),
        );
    };
    let env = environment.with_region(&spec.cluster.region);
    match cache.gather(sessions, &env, spec).await {
        Ok(facts) => check(spec, Ok(&facts)),
        Err(e) => check(
            spec,
            Err(format!("Could not read the account, checked offline: {e}")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::lookup::SubnetFact;

    #[test]
    fn offline_check_of_the_seed_has_no_errors_and_says_why_it_is_offline() {
        let result = check(
            &ClusterSpec::default(),
            Err("no environment selected".into()),
        );
        assert_eq!(result.errors().count(), 0, "{:?}", result.issues);
        assert!(!result.account.checked);
        assert_eq!(result.account.notes, ["no environment selected"]);
        assert_eq!(result.ip_guard.len(), 6, "3 control-plane + 3 node subnets");
    }

    #[test]
    fn the_account_facts_reach_the_rules() {
        let mut facts = AccountFacts {
            other_cluster_names: vec!["my-eks".into()],
            availability_zones: Some(vec!["ap-northeast-2a".into(), "ap-northeast-2b".into()]),
            ..Default::default()
        };
        facts.vpc_subnets.push(SubnetFact {
            id: "subnet-1".into(),
            cidr: "10.0.0.192/26".into(),
            availability_zone: "ap-northeast-2a".into(),
            owner_spec_id: None,
        });
        let result = check(&ClusterSpec::default(), Ok(&facts));
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
        assert_eq!(check(&spec, Ok(&facts)).errors().count(), 0);
    }
}

//! What is checked before a run starts.

use super::error::ProvisionError;
use super::leftovers::LEFTOVERS_CONFIRMATION;
use crate::aws::{Environment, Sessions};
use crate::spec::in_account;
use crate::spec::lookup::{AccountView, FactsCache, Offline};
use crate::spec::ClusterSpec;

/// A destroy goes ahead only when the cluster's name was typed exactly.
pub fn confirm_destroy(spec: &ClusterSpec, typed_name: &str) -> Result<(), ProvisionError> {
    if !spec.cluster.name.is_empty() && typed_name == spec.cluster.name {
        Ok(())
    } else {
        Err(ProvisionError::NotConfirmed {
            cluster_name: spec.cluster.name.clone(),
        })
    }
}

/// Whether a destroy also deletes what Kubernetes left in the VPC: only
/// when the user typed [`LEFTOVERS_CONFIRMATION`]; anything else typed is
/// refused rather than read as "no".
pub fn confirm_leftovers(typed: Option<&str>) -> Result<bool, ProvisionError> {
    match typed {
        None => Ok(false),
        Some(LEFTOVERS_CONFIRMATION) => Ok(true),
        Some(_) => Err(ProvisionError::LeftoversNotConfirmed),
    }
}

/// Refuses an apply of a spec with errors, of one whose plan runs into
/// something that is not the spec's, and when the account cannot be read
/// (what exists there is unknown, and the run's first call would fail).
pub async fn check_before_apply(
    sessions: &Sessions,
    facts: &FactsCache,
    environment: &Environment,
    spec: &ClusterSpec,
) -> Result<(), ProvisionError> {
    let view = facts.view(sessions, Some(environment), spec).await;
    let planned = in_account::plan_against(spec, &view).map_err(|e| {
        ProvisionError::SpecErrors(e.errors.into_iter().map(|i| (i.field, i.message)).collect())
    })?;
    if let AccountView::Offline(Offline::Unreadable(e)) = view {
        return Err(ProvisionError::AccountUnreadable(Box::new(e)));
    }
    let conflicts: Vec<String> = planned
        .plan
        .conflicts()
        .map(|s| format!("{}: {}", s.id, s.note.clone().unwrap_or_default()))
        .collect();
    if !conflicts.is_empty() {
        return Err(ProvisionError::PlanConflicts(conflicts));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_cluster_name_confirms_a_destroy() {
        let spec = ClusterSpec::default();
        assert_eq!(spec.cluster.name, "my-eks");
        confirm_destroy(&spec, "my-eks").unwrap();
        for typed in ["", "my-eks ", " my-eks", "MY-EKS", "my-ek"] {
            let err = confirm_destroy(&spec, typed).unwrap_err();
            assert!(
                matches!(&err, ProvisionError::NotConfirmed { cluster_name } if cluster_name == "my-eks"),
                "{typed:?}: {err}"
            );
        }
        let unnamed = ClusterSpec {
            cluster: crate::spec::model::ClusterSettings {
                name: String::new(),
                ..ClusterSpec::default().cluster
            },
            ..ClusterSpec::default()
        };
        assert!(
            confirm_destroy(&unnamed, "").is_err(),
            "an empty name never confirms"
        );
    }

    #[tokio::test]
    async fn a_spec_with_errors_is_refused_before_anything_runs() {
        let mut spec = ClusterSpec::default();
        spec.network.control_plane_subnets[1].cidr = "10.0.0.300/28".into();
        // Nothing answers here: the check falls back to offline.
        let sessions = Sessions::new("http://127.0.0.1:9".into());
        let env = Environment::Emulator {
            region: spec.cluster.region.clone(),
        };
        let err = check_before_apply(&sessions, &FactsCache::default(), &env, &spec)
            .await
            .unwrap_err();
        let ProvisionError::SpecErrors(errors) = &err else {
            panic!("{err}")
        };
        assert_eq!(errors[0].0, "network.controlPlaneSubnets[1].cidr", "{err}");
        assert!(err.to_string().contains("nothing was changed"), "{err}");
    }
}

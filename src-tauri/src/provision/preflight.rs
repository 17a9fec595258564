//! What is checked before a run starts.

use super::error::ProvisionError;
use crate::aws::{Environment, Sessions};
use crate::spec::lookup::FactsCache;
use crate::spec::plan;
use crate::spec::{check, ClusterSpec};

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

/// Refuses an apply of a spec with errors, or whose plan runs into
/// something that is not the spec's. When the account cannot be read the
/// spec is checked offline and the run's own first call says what is wrong.
pub async fn check_before_apply(
    sessions: &Sessions,
    facts: &FactsCache,
    environment: &Environment,
    spec: &ClusterSpec,
) -> Result<(), ProvisionError> {
    let env = environment.with_region(&spec.cluster.region);
    let found = facts.gather(sessions, &env, spec).await;
    let checked = match &found {
        Ok(f) => check::check(spec, Ok(f)),
        Err(e) => check::check(spec, Err(e.to_string())),
    };
    let errors: Vec<(String, String)> = checked
        .errors()
        .map(|i| (i.field.clone(), i.message.clone()))
        .collect();
    if !errors.is_empty() {
        return Err(ProvisionError::SpecErrors(errors));
    }
    if let Ok(found) = found {
        let conflicts: Vec<String> = plan::build(spec, &found.existing)
            .conflicts()
            .map(|s| format!("{}: {}", s.id, s.note.clone().unwrap_or_default()))
            .collect();
        if !conflicts.is_empty() {
            return Err(ProvisionError::PlanConflicts(conflicts));
        }
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

//! Apply, resume and destroy as the user asks for them, in an account:
//! checked first, then run through [`Runs`] (one run per spec, progress in
//! batches, cancellable). The window's commands and `eks-desk
//! apply|resume|destroy` call exactly these.

use super::engine::RunReport;
use super::error::ProvisionError;
use super::journal::check_spec_id;
use super::leftovers::Leftovers;
use super::preflight::{check_before_apply, confirm_destroy, confirm_leftovers};
use super::progress::ProgressEvent;
use super::runs::Runs;
use crate::aws::{AwsSession, Environment, Sessions};
use crate::spec::lookup::FactsCache;
use crate::spec::ClusterSpec;

async fn session(
    sessions: &Sessions,
    environment: &Environment,
) -> Result<AwsSession, ProvisionError> {
    sessions
        .get(environment)
        .await
        .map_err(|e| ProvisionError::AccountUnreadable(Box::new(e)))
}

/// Creates what `spec` describes in `environment`'s account (in the spec's
/// region). Refused while the spec has errors, its plan conflicts, the
/// account cannot be read, or another run of the spec is going on.
pub async fn apply(
    runs: &Runs,
    sessions: &Sessions,
    facts: &FactsCache,
    environment: &Environment,
    spec: &ClusterSpec,
    watch: impl FnMut(Vec<ProgressEvent>),
) -> Result<RunReport, ProvisionError> {
    check_spec_id(&spec.id)?;
    let env = environment.with_region(&spec.cluster.region);
    check_before_apply(sessions, facts, &env, spec).await?;
    let session = session(sessions, &env).await?;
    runs.apply(session, spec, watch).await
}

/// Continues the journal of `spec_id`, in the account and region it
/// recorded unless `environment` says otherwise.
pub async fn resume(
    runs: &Runs,
    sessions: &Sessions,
    spec_id: &str,
    environment: Option<&Environment>,
    watch: impl FnMut(Vec<ProgressEvent>),
) -> Result<RunReport, ProvisionError> {
    let env = match environment {
        Some(given) => given.with_region(&runs.required_journal(spec_id)?.spec.cluster.region),
        None => runs.resume_environment(spec_id)?,
    };
    let session = session(sessions, &env).await?;
    runs.resume(session, spec_id, watch).await
}

/// Deletes what the app created for `spec`, once `typed_name` is the
/// cluster's name exactly; what Kubernetes left in the VPC goes too when
/// `leftovers` is the typed "delete".
pub async fn destroy(
    runs: &Runs,
    sessions: &Sessions,
    environment: &Environment,
    spec: &ClusterSpec,
    typed_name: &str,
    leftovers: Option<&str>,
    watch: impl FnMut(Vec<ProgressEvent>),
) -> Result<RunReport, ProvisionError> {
    check_spec_id(&spec.id)?;
    confirm_destroy(spec, typed_name)?;
    let delete_leftovers = confirm_leftovers(leftovers)?;
    let session = session(sessions, &environment.with_region(&spec.cluster.region)).await?;
    runs.destroy(session, spec, typed_name, delete_leftovers, watch)
        .await
}

/// What Kubernetes left in the spec's VPC, for the destroy dialog to show
/// before the user confirms.
pub async fn leftovers(
    sessions: &Sessions,
    environment: &Environment,
    spec: &ClusterSpec,
) -> Result<Leftovers, ProvisionError> {
    let session = session(sessions, &environment.with_region(&spec.cluster.region)).await?;
    super::leftovers::find(&session, spec)
        .await
        .map_err(|e| ProvisionError::AccountUnreadable(Box::new(e)))
}

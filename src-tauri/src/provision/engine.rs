//! Apply, resume and destroy: builds the plan, opens the journal, and runs
//! the steps through the scheduler with the per-kind ensure functions.

use super::error::ProvisionError;
use super::journal::{check_spec_id, JournalFile, Operation};
use super::progress::{Cancellation, ProgressSink};
use super::scheduler::{run_graph, RunContext, StepDone, StepHandle, StepRunner};
use super::{destroy, ensure_access, ensure_cluster, ensure_iam, ensure_network};
use crate::aws::{AwsError, AwsSession};
use crate::spec::model::RoleChoice;
use crate::spec::plan::{self, ExistingResources, Plan, PlanStep, RoleUse, StepTarget, OWNER_TAG};
use crate::spec::ClusterSpec;
use futures::future::BoxFuture;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long to wait for what, and how often to look. The defaults suit
/// AWS (a cluster takes 10–15 minutes); tests shorten the polls.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// First pause between two status polls; doubles up to `poll_max`.
    pub poll_first: Duration,
    pub poll_max: Duration,
    /// How long a freshly made role may be unknown to EKS.
    pub iam_propagation_timeout: Duration,
    pub cluster_timeout: Duration,
    pub nodegroup_timeout: Duration,
    pub addon_timeout: Duration,
    /// For each delete, including ENIs that AWS releases late.
    pub delete_timeout: Duration,
    /// Steps at once; 0 = as many as are ready, 1 = one by one.
    pub max_concurrency: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            poll_first: Duration::from_secs(5),
            poll_max: Duration::from_secs(30),
            iam_propagation_timeout: Duration::from_secs(120),
            cluster_timeout: Duration::from_secs(40 * 60),
            nodegroup_timeout: Duration::from_secs(30 * 60),
            addon_timeout: Duration::from_secs(20 * 60),
            delete_timeout: Duration::from_secs(30 * 60),
            max_concurrency: 0,
        }
    }
}

impl EngineConfig {
    /// Short polls for the emulator, where everything is ready at once.
    pub fn quick() -> Self {
        Self {
            poll_first: Duration::from_millis(20),
            poll_max: Duration::from_millis(250),
            iam_propagation_timeout: Duration::from_secs(10),
            cluster_timeout: Duration::from_secs(120),
            nodegroup_timeout: Duration::from_secs(60),
            addon_timeout: Duration::from_secs(60),
            delete_timeout: Duration::from_secs(60),
            max_concurrency: 0,
        }
    }

    /// What a run in `environment` should use: short polls against the
    /// local emulator (everything is ready at once), AWS's pace elsewhere.
    pub fn for_environment(environment: &crate::aws::Environment) -> Self {
        match environment {
            crate::aws::Environment::Emulator { .. } => Self::quick(),
            crate::aws::Environment::Profile { .. } => Self::default(),
        }
    }
}

/// Pauses between polls: `first`, doubled each time, capped at `max`.
pub(crate) struct Backoff {
    next: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(config: &EngineConfig) -> Self {
        Self {
            next: config.poll_first,
            max: config.poll_max,
        }
    }

    pub fn next_pause(&mut self) -> Duration {
        let pause = self.next;
        self.next = (self.next * 2).min(self.max);
        pause
    }
}

/// What a finished run did, for the CLI summary and the benchmark.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub operation: Operation,
    pub steps: usize,
    /// Length of the critical path, in steps.
    pub waves: usize,
    pub wall: Duration,
    /// Time steps spent sleeping between polls (summed over steps).
    pub waited: Duration,
    pub journal_writes: usize,
    pub journal_time: Duration,
    pub journal_path: PathBuf,
}

/// Everything the steps of one run share.
pub(crate) struct StepEnv {
    pub session: AwsSession,
    pub spec: ClusterSpec,
    pub plan: Plan,
    pub config: EngineConfig,
    caller: tokio::sync::OnceCell<String>,
}

impl StepEnv {
    /// The tags of everything the app creates: the cluster's tags and the
    /// owner tag (which wins over a user tag of the same key).
    pub fn tags(&self) -> BTreeMap<String, String> {
        let mut tags = self.spec.cluster.tags.clone();
        tags.insert(OWNER_TAG.to_string(), self.spec.id.clone());
        tags
    }

    pub fn is_ours(&self, owner: Option<&str>) -> bool {
        owner == Some(self.spec.id.as_str())
    }

    /// "was not created by EKS Desk" or "belongs to another spec (id)".
    pub fn not_ours(&self, what: &str, owner: Option<&str>) -> String {
        match owner {
            Some(other) => format!("{what} exists and belongs to another EKS Desk spec ({other})"),
            None => format!("{what} exists and was not created by EKS Desk"),
        }
    }

    pub fn role_name(&self, role: RoleUse) -> Option<&str> {
        let choice = match role {
            RoleUse::Cluster => &self.spec.iam.cluster_role,
            RoleUse::Node => &self.spec.iam.node_role,
        };
        match choice {
            RoleChoice::Create { name, .. } => Some(name),
            RoleChoice::Existing { .. } => None,
        }
    }

    /// The IAM identity that makes the calls, as a principal ARN for access
    /// entries: an assumed-role session becomes its role.
    pub async fn caller_arn(&self) -> Result<String, AwsError> {
        self.caller
            .get_or_try_init(|| async {
                let arn = crate::aws::identity::caller_identity(&self.session)
                    .await?
                    .arn;
                Ok(principal_of(&arn))
            })
            .await
            .cloned()
    }
}

/// `arn:aws:sts::1:assumed-role/Name/session` → `arn:aws:iam::1:role/Name`.
pub(crate) fn principal_of(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if let [_, partition, "sts", _, account, resource] = parts[..] {
        if let Some(rest) = resource.strip_prefix("assumed-role/") {
            let role = rest.split('/').next().unwrap_or(rest);
            return format!("arn:{partition}:iam::{account}:role/{role}");
        }
    }
    arn.to_string()
}

/// One step at work: its environment, its plan entry and its handle.
pub(crate) struct StepCall<'a> {
    pub env: &'a StepEnv,
    pub step: &'a PlanStep,
    pub handle: &'a StepHandle,
}

impl StepCall<'_> {
    pub fn spec(&self) -> &ClusterSpec {
        &self.env.spec
    }

    pub fn session(&self) -> &AwsSession {
        &self.env.session
    }

    /// The resource id of the dependency behind `target`.
    pub fn output_of(&self, target: &StepTarget) -> Result<String, ProvisionError> {
        self.env
            .plan
            .steps
            .iter()
            .find(|s| &s.target == target)
            .and_then(|s| self.handle.dependency(&s.id))
            .map(str::to_string)
            .ok_or_else(|| self.internal(format!("no resource id for {target:?}")))
    }

    pub fn classify<E, R>(
        &self,
        operation: &str,
        err: aws_sdk_eks::error::SdkError<E, R>,
    ) -> AwsError
    where
        E: aws_sdk_eks::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        self.env.session.classify(operation, err)
    }

    /// A describe call's output, or `None` where EKS answers that the object
    /// does not exist (the usual first look of an idempotent step).
    pub fn found<T, E, R>(
        &self,
        operation: &str,
        result: Result<T, aws_sdk_eks::error::SdkError<E, R>>,
    ) -> Result<Option<T>, ProvisionError>
    where
        E: aws_sdk_eks::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        match result {
            Ok(out) => Ok(Some(out)),
            Err(e) => {
                let err = self.classify(operation, e);
                if super::ensure_cluster::is_not_found(&err) {
                    Ok(None)
                } else {
                    Err(self.aws(operation, err))
                }
            }
        }
    }

    pub fn aws(&self, operation: &str, source: AwsError) -> ProvisionError {
        ProvisionError::Aws {
            step: self.step.id.clone(),
            operation: operation.to_string(),
            source: Box::new(source),
        }
    }

    pub fn conflict(&self, message: impl Into<String>) -> ProvisionError {
        ProvisionError::Conflict {
            step: self.step.id.clone(),
            message: message.into(),
        }
    }

    pub fn failed(&self, operation: &str, message: impl Into<String>) -> ProvisionError {
        ProvisionError::Failed {
            step: self.step.id.clone(),
            operation: operation.to_string(),
            message: message.into(),
        }
    }

    pub fn internal(&self, message: impl Into<String>) -> ProvisionError {
        ProvisionError::Internal {
            step: self.step.id.clone(),
            message: message.into(),
        }
    }
}

/// The AWS error code of a service error (`ResourceNotFoundException`,
/// `InvalidVpcID.NotFound`, `NoSuchEntity`…).
pub(crate) fn code_of(err: &AwsError) -> Option<&str> {
    match err {
        AwsError::Service { code, .. } => Some(code),
        _ => None,
    }
}

/// A failure after which the request may or may not have been carried
/// out, and that may well not happen again: worth another try.
pub(crate) fn transient(err: &AwsError) -> bool {
    match err {
        AwsError::EndpointUnreachable { .. } | AwsError::Throttled { .. } => true,
        AwsError::Service { code, .. } => matches!(
            code.as_str(),
            "InternalError"
                | "InternalFailure"
                | "ServiceUnavailable"
                | "ServiceUnavailableException"
                | "ServerException"
                | "Unavailable"
                | "RequestLimitExceeded"
                | "Unknown"
                | "ClientError"
        ),
        _ => false,
    }
}

/// Attempts of a whole step when it fails transiently (the SDK has
/// already retried each call).
const STEP_ATTEMPTS: u32 = 4;

/// Runs a step again after a transient failure. Safe because every step
/// looks before it creates: what a failed attempt made is found and reused
/// by the next one.
pub(crate) async fn with_step_retries<F, Fut>(
    handle: &StepHandle,
    config: &EngineConfig,
    mut attempt: F,
) -> Result<StepDone, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<StepDone, ProvisionError>>,
{
    let mut backoff = Backoff::new(config);
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(ProvisionError::Aws { source, .. })
                if transient(&source) && tries < STEP_ATTEMPTS =>
            {
                handle.progress(format!("{source}; trying the step again"));
                handle.sleep(backoff.next_pause()).await?;
                tries += 1;
            }
            other => return other,
        }
    }
}

pub(crate) fn message_of(err: &AwsError) -> &str {
    match err {
        AwsError::Service { message, .. } => message,
        _ => "",
    }
}

struct ApplySteps {
    env: StepEnv,
}

impl StepRunner for ApplySteps {
    fn run(
        self: Arc<Self>,
        step: PlanStep,
        handle: StepHandle,
    ) -> BoxFuture<'static, Result<StepDone, ProvisionError>> {
        Box::pin(async move {
            let call = &StepCall {
                env: &self.env,
                step: &step,
                handle: &handle,
            };
            with_step_retries(&handle, &self.env.config, || ensure(call)).await
        })
    }
}

async fn ensure(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    match &call.step.target {
        StepTarget::Vpc => ensure_network::vpc(call).await,
        StepTarget::ControlPlaneSubnet(i) => ensure_network::subnet(call, false, *i).await,
        StepTarget::NodeSubnet(i) => ensure_network::subnet(call, true, *i).await,
        StepTarget::Role(role) => ensure_iam::role(call, *role).await,
        StepTarget::RolePolicy { role, policy_arn } => {
            ensure_iam::attach(call, *role, policy_arn).await
        }
        StepTarget::Cluster => ensure_cluster::cluster(call).await,
        StepTarget::NodeGroup(i) => ensure_cluster::node_group(call, *i).await,
        StepTarget::Addon(i) => ensure_access::addon(call, *i).await,
        StepTarget::AccessEntry(i) => ensure_access::access_entry(call, *i).await,
        StepTarget::AccessPolicy(i) => ensure_access::access_policy(call, *i).await,
    }
}

/// Runs apply, resume and destroy for one account and journal folder.
pub struct Provisioner {
    pub session: AwsSession,
    pub config: EngineConfig,
    /// The app passes `<app data>/journals`.
    pub journal_dir: PathBuf,
    pub events: Option<ProgressSink>,
    pub cancel: Cancellation,
}

impl Provisioner {
    pub fn new(session: AwsSession, journal_dir: PathBuf) -> Self {
        Self {
            session,
            config: EngineConfig::default(),
            journal_dir,
            events: None,
            cancel: Cancellation::new(),
        }
    }

    fn env(&self, spec: &ClusterSpec, plan: Plan) -> StepEnv {
        StepEnv {
            session: self.session.clone(),
            spec: spec.clone(),
            plan,
            config: self.config.clone(),
            caller: tokio::sync::OnceCell::new(),
        }
    }

    /// Creates what the spec describes and is missing; reuses what this
    /// spec made before; stops at anything in the way. Tokens of an earlier
    /// apply of the same spec are reused.
    pub async fn apply(&self, spec: &ClusterSpec) -> Result<RunReport, ProvisionError> {
        check_spec_id(&spec.id)?;
        let plan = plan::build(spec, &ExistingResources::default());
        let earlier = JournalFile::load(&self.journal_dir, &spec.id)?
            .map(|f| f.journal().clone())
            .filter(|j| j.operation == Operation::Apply);
        let journal = JournalFile::create(
            &self.journal_dir,
            Operation::Apply,
            spec,
            Some(self.session.environment.clone()),
            &plan,
            earlier.as_ref(),
        )?;
        self.run_apply(spec, plan, journal).await
    }

    /// Continues the journal of `spec_id`: done steps are skipped, tokens
    /// and resource ids are reused. Works for apply and destroy journals.
    pub async fn resume(&self, spec_id: &str) -> Result<RunReport, ProvisionError> {
        let journal = JournalFile::load(&self.journal_dir, spec_id)?.ok_or_else(|| {
            ProvisionError::NoJournal {
                spec_id: spec_id.to_string(),
                dir: self.journal_dir.display().to_string(),
            }
        })?;
        let spec = journal.journal().spec.clone();
        match journal.journal().operation {
            Operation::Apply => {
                let plan = plan::build(&spec, &ExistingResources::default());
                self.run_apply(&spec, plan, journal).await
            }
            Operation::Destroy => {
                let plan = destroy::reversed_plan(&spec);
                self.run_destroy(&spec, plan, journal).await
            }
        }
    }

    /// Removes what the app created for the spec (owner tag = spec id), in
    /// reverse dependency order; never touches what it does not own.
    pub async fn destroy(&self, spec: &ClusterSpec) -> Result<RunReport, ProvisionError> {
        check_spec_id(&spec.id)?;
        let plan = destroy::reversed_plan(spec);
        let journal = JournalFile::create(
            &self.journal_dir,
            Operation::Destroy,
            spec,
            Some(self.session.environment.clone()),
            &plan,
            None,
        )?;
        self.run_destroy(spec, plan, journal).await
    }

    async fn run_apply(
        &self,
        spec: &ClusterSpec,
        plan: Plan,
        journal: JournalFile,
    ) -> Result<RunReport, ProvisionError> {
        let steps = plan.steps.clone();
        let waves = plan.waves().len();
        let runner = Arc::new(ApplySteps {
            env: self.env(spec, plan),
        });
        self.run(Operation::Apply, steps, waves, runner, journal)
            .await
    }

    async fn run_destroy(
        &self,
        spec: &ClusterSpec,
        plan: Plan,
        journal: JournalFile,
    ) -> Result<RunReport, ProvisionError> {
        let steps = plan.steps.clone();
        let waves = plan.waves().len();
        let runner = Arc::new(destroy::DestroySteps {
            env: self.env(spec, plan),
        });
        self.run(Operation::Destroy, steps, waves, runner, journal)
            .await
    }

    async fn run<R: StepRunner>(
        &self,
        operation: Operation,
        steps: Vec<PlanStep>,
        waves: usize,
        runner: Arc<R>,
        journal: JournalFile,
    ) -> Result<RunReport, ProvisionError> {
        let started = Instant::now();
        let journal_path = journal.path().to_path_buf();
        let ctx = RunContext::new(journal, self.events.clone(), self.cancel.clone());
        let count = steps.len();
        run_graph(steps, runner, ctx.clone(), self.config.max_concurrency).await?;
        let (journal_writes, journal_time) = ctx.journal_stats();
        Ok(RunReport {
            operation,
            steps: count,
            waves,
            wall: started.elapsed(),
            waited: ctx.waited(),
            journal_writes,
            journal_time,
            journal_path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assumed_role_sessions_become_their_role() {
        assert_eq!(
            principal_of("arn:aws:sts::111122223333:assumed-role/Admin/jane"),
            "arn:aws:iam::111122223333:role/Admin"
        );
        assert_eq!(
            principal_of("arn:aws:iam::111122223333:user/jane"),
            "arn:aws:iam::111122223333:user/jane"
        );
    }

    #[test]
    fn the_emulator_gets_short_polls_and_aws_its_own_pace() {
        let emulator = EngineConfig::for_environment(&crate::aws::Environment::Emulator {
            region: "us-east-1".into(),
        });
        assert_eq!(emulator.poll_first, EngineConfig::quick().poll_first);
        let aws = EngineConfig::for_environment(&crate::aws::Environment::Profile {
            profile: "dev".into(),
            region: "us-east-1".into(),
        });
        assert_eq!(aws.poll_first, EngineConfig::default().poll_first);
        assert_eq!(aws.cluster_timeout, EngineConfig::default().cluster_timeout);
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let config = EngineConfig {
            poll_first: Duration::from_secs(5),
            poll_max: Duration::from_secs(30),
            ..Default::default()
        };
        let mut b = Backoff::new(&config);
        let pauses: Vec<u64> = (0..5).map(|_| b.next_pause().as_secs()).collect();
        assert_eq!(pauses, [5, 10, 20, 30, 30]);
    }
}

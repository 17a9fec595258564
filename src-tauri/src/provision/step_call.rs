//! The toolkit every step uses: what a run's steps share ([`StepEnv`]), one
//! step at work ([`StepCall`]) with its error constructors, the AWS error
//! predicates, and the retries (whole step after a transient failure, a
//! create while IAM propagates a role). Uses only the leaves of
//! `provision/` (config, error, scheduler).

use super::config::{Backoff, EngineConfig};
use super::error::ProvisionError;
use super::scheduler::{StepDone, StepHandle};
use crate::aws::{AwsError, AwsSession};
use crate::spec::model::RoleChoice;
use crate::spec::plan::{Plan, PlanStep, RoleUse, StepTarget, OWNER_TAG};
use crate::spec::ClusterSpec;
use std::collections::BTreeMap;
use std::future::Future;
use std::time::Instant;

/// An AWS resource id or ARN (`vpc-…`, `subnet-…`, `arn:aws:…`).
pub(crate) type AwsId = String;

/// Everything the steps of one run share.
pub(crate) struct StepEnv {
    pub session: AwsSession,
    pub spec: ClusterSpec,
    pub plan: Plan,
    pub config: EngineConfig,
    /// See [`super::engine::Provisioner::delete_leftovers`].
    pub delete_leftovers: bool,
    caller: tokio::sync::OnceCell<String>,
}

impl StepEnv {
    pub fn new(session: AwsSession, spec: ClusterSpec, plan: Plan, config: EngineConfig) -> Self {
        Self {
            session,
            spec,
            plan,
            config,
            delete_leftovers: false,
            caller: tokio::sync::OnceCell::new(),
        }
    }

    pub fn deleting_leftovers(self, delete_leftovers: bool) -> Self {
        Self {
            delete_leftovers,
            ..self
        }
    }

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

    pub fn role_choice(&self, role: RoleUse) -> &RoleChoice {
        match role {
            RoleUse::Cluster => &self.spec.iam.cluster_role,
            RoleUse::Node => &self.spec.iam.node_role,
        }
    }

    /// The name of a role the spec creates (`None` for a picked role).
    pub fn role_name(&self, role: RoleUse) -> Option<&str> {
        match self.role_choice(role) {
            RoleChoice::Create { name, .. } => Some(name),
            RoleChoice::Existing { .. } => None,
        }
    }

    /// The IAM identity that makes the calls, as a principal ARN for access
    /// entries (an assumed-role session becomes its role).
    pub async fn caller_arn(&self) -> Result<String, AwsError> {
        self.caller
            .get_or_try_init(|| async {
                crate::aws::identity::caller_principal(&self.session).await
            })
            .await
            .cloned()
    }
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

    pub fn config(&self) -> &EngineConfig {
        &self.env.config
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

    /// The SDK error of `operation` as this step's failure.
    pub fn sdk<E, R>(
        &self,
        operation: &str,
        err: aws_sdk_eks::error::SdkError<E, R>,
    ) -> ProvisionError
    where
        E: aws_sdk_eks::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        self.aws(operation, self.classify(operation, err))
    }

    /// A look-up's output, or `None` where AWS answers that the object does
    /// not exist (the usual first look of an idempotent step).
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
                if is_gone(&err) {
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

    /// `list[index]`, or an internal error naming `what`.
    pub fn item<'l, T>(
        &self,
        list: &'l [T],
        index: usize,
        what: &str,
    ) -> Result<&'l T, ProvisionError> {
        list.get(index)
            .ok_or_else(|| self.internal(format!("{what} index {index} out of range")))
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

pub(crate) fn message_of(err: &AwsError) -> &str {
    match err {
        AwsError::Service { message, .. } => message,
        _ => "",
    }
}

/// The object does not exist: EKS's ResourceNotFoundException, IAM's
/// NoSuchEntity, EC2's `*.NotFound` codes.
pub(crate) fn is_gone(err: &AwsError) -> bool {
    code_of(err).is_some_and(|c| {
        c == "ResourceNotFoundException" || c == "NoSuchEntity" || c.ends_with(".NotFound")
    })
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
    Fut: Future<Output = Result<StepDone, ProvisionError>>,
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

/// EKS answers a role it cannot assume yet (IAM is eventually consistent)
/// with InvalidParameterException naming the role.
fn is_iam_propagation(err: &AwsError) -> bool {
    code_of(err) == Some("InvalidParameterException")
        && message_of(err).to_ascii_lowercase().contains("role")
}

/// Sends a create, retrying while IAM propagates the role (up to the
/// configured time). Other AWS errors are handed back for the caller to
/// judge (ResourceInUseException means "exists now").
pub(crate) async fn send_create<T, F, Fut>(
    call: &StepCall<'_>,
    mut send: F,
) -> Result<Result<T, AwsError>, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let deadline = Instant::now() + call.config().iam_propagation_timeout;
    let mut backoff = Backoff::new(call.config());
    loop {
        match send().await {
            Err(err) if is_iam_propagation(&err) && Instant::now() < deadline => {
                call.handle.progress(format!(
                    "waiting for IAM to propagate the role: {}",
                    message_of(&err)
                ));
                call.handle.sleep(backoff.next_pause()).await?;
            }
            other => return Ok(other),
        }
    }
}

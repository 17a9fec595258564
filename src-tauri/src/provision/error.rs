//! What can stop an apply, a resume or a destroy, in terms a person can act
//! on: which step, which AWS operation, and what AWS said.

use crate::aws::AwsError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum ProvisionError {
    #[error("The spec has no id. EKS Desk tags everything it creates with the spec's id to know what it owns; save the spec from the app or run `eks-desk init` to get one.")]
    MissingSpecId,

    #[error("The spec id \"{0}\" cannot name a journal file: use letters, digits, '-' and '_' (at most 100).")]
    BadSpecId(String),

    #[error("{step}: {message}")]
    Conflict { step: String, message: String },

    #[error("{step}: {source}")]
    Aws {
        step: String,
        /// `service:Operation` of the failing request.
        operation: String,
        /// Boxed: AWS errors are large, and every step returns this type.
        #[source]
        source: Box<AwsError>,
    },

    /// AWS accepted the request but the resource ended up unusable (a node
    /// group in CREATE_FAILED, an addon that stays DEGRADED, a timeout).
    #[error("{step}: {message}")]
    Failed {
        step: String,
        operation: String,
        message: String,
    },

    #[error("Cancelled. The journal is kept: resume to continue where it stopped.")]
    Cancelled,

    #[error("Journal {path}: {message}")]
    Journal { path: String, message: String },

    #[error("Nothing to resume for spec {spec_id}: no journal in {dir}.")]
    NoJournal { spec_id: String, dir: String },

    #[error("The plan has conflicts; nothing was changed:\n{}", .0.join("\n"))]
    PlanConflicts(Vec<String>),

    /// What exists in the account cannot be known: nothing is started.
    #[error("The account could not be read; nothing was changed: {0}")]
    AccountUnreadable(#[source] Box<AwsError>),

    #[error("{step}: internal error: {message}")]
    Internal { step: String, message: String },

    /// Two runs of one spec at once would fight over its journal and its
    /// resources; the second is refused.
    #[error("An apply or destroy of {cluster_name} (spec {spec_id}) is already running in this window; wait for it to end or cancel it first.")]
    AlreadyRunning {
        spec_id: String,
        cluster_name: String,
    },

    /// Deleting what Kubernetes left needs its own typed confirmation.
    #[error(
        "Type \"delete\" to also delete what Kubernetes left in the VPC; nothing was deleted."
    )]
    LeftoversNotConfirmed,

    /// Destroy needs the cluster's name typed exactly.
    #[error("Type the cluster name \"{cluster_name}\" exactly to confirm the destroy; nothing was deleted.")]
    NotConfirmed { cluster_name: String },

    /// The spec fails its own checks; `.0` is `(field, message)` per error.
    #[error("The spec has {} error(s); nothing was changed. First: {}", .0.len(), .0.first().map(|(f, m)| format!("{f}: {m}")).unwrap_or_default())]
    SpecErrors(Vec<(String, String)>),

    /// A journal that does not say which account it went to (written by
    /// an older app): resume cannot know where to continue.
    #[error("The journal of spec {spec_id} does not say which account and region it ran in; apply the spec again instead.")]
    NoEnvironment { spec_id: String },
}

impl ProvisionError {
    /// The step this error belongs to, when it belongs to one.
    pub fn step(&self) -> Option<&str> {
        match self {
            ProvisionError::Conflict { step, .. }
            | ProvisionError::Aws { step, .. }
            | ProvisionError::Failed { step, .. }
            | ProvisionError::Internal { step, .. } => Some(step),
            _ => None,
        }
    }

    /// The failing operation, for the journal: `eks:CreateCluster`, or
    /// `conflict` when the step stopped before calling AWS to create.
    pub fn operation(&self) -> String {
        match self {
            ProvisionError::Aws { operation, .. } | ProvisionError::Failed { operation, .. } => {
                operation.clone()
            }
            ProvisionError::Conflict { .. } => "conflict".into(),
            _ => String::new(),
        }
    }

    /// The message without the step prefix (the journal keeps the step apart).
    pub fn detail(&self) -> String {
        match self {
            ProvisionError::Conflict { message, .. }
            | ProvisionError::Failed { message, .. }
            | ProvisionError::Internal { message, .. } => message.clone(),
            ProvisionError::Aws { source, .. } => source.to_string(),
            other => other.to_string(),
        }
    }
}

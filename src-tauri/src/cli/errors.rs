//! Why a command stopped, typed, with the exit status each cause gets:
//! 2 for a wrong command line or file, 1 for everything that went wrong
//! after that (AWS said no, the spec has errors, the run failed).

use crate::aws::environments::EnvironmentError;
use crate::aws::AwsError;
use crate::commands::AppError;
use crate::connect::eks_token::TokenError;
use crate::connect::kubeconfig::KubeconfigReadError;
use crate::connect::ConnectError;
use crate::provision::ProvisionError;
use crate::spec::in_account::SpecHasErrors;
use crate::spec::store::StoreError;
use crate::spec::yaml::SpecFileError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{path}: {source}")]
    ReadFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    SpecFile {
        path: String,
        #[source]
        source: SpecFileError,
    },
    #[error(transparent)]
    WriteFile(#[from] StoreError),
    #[error(transparent)]
    Environment(#[from] EnvironmentError),
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    SpecHasErrors(#[from] SpecHasErrors),
    /// A run that failed, was refused or cancelled; `hint` says how to go on.
    #[error("{source}{hint}")]
    Provision {
        #[source]
        source: ProvisionError,
        hint: String,
    },
    #[error(transparent)]
    Kubeconfig(#[from] KubeconfigReadError),
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Workload(#[from] crate::workloads::WorkloadError),
    #[error(transparent)]
    Selector(#[from] crate::workloads::label_selector::SelectorError),
    #[error("not confirmed; nothing was deleted")]
    NotConfirmed,
}

impl From<TokenError> for CliError {
    fn from(e: TokenError) -> Self {
        CliError::Connect(ConnectError::Token(e))
    }
}

impl From<ProvisionError> for CliError {
    fn from(source: ProvisionError) -> Self {
        CliError::Provision {
            source,
            hint: String::new(),
        }
    }
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::ReadFile { .. }
            | CliError::SpecFile { .. }
            | CliError::Environment(_)
            | CliError::Provision {
                source: ProvisionError::MissingSpecId | ProvisionError::BadSpecId(_),
                ..
            } => 2,
            _ => 1,
        }
    }

    /// The error as the window would get it, for `--output json`.
    pub fn to_app_error(&self) -> AppError {
        use crate::commands::ErrorCode;
        let message = self.to_string();
        let typed = match self {
            CliError::Aws(e) => AppError::from(e.clone()),
            CliError::SpecHasErrors(e) => AppError::from(e.clone()),
            CliError::Provision { source, .. } => AppError::from(source.clone()),
            CliError::Connect(e) => AppError::from(e),
            CliError::Workload(e) => AppError::from(e),
            CliError::Selector(e) => AppError::from(e.clone()),
            CliError::Environment(EnvironmentError::NoCredentials) => {
                AppError::new(ErrorCode::NoCredentials, message.clone())
            }
            CliError::Environment(EnvironmentError::RegionMismatch { .. }) => {
                AppError::for_field(ErrorCode::InvalidInput, "region", message.clone())
            }
            CliError::SpecFile { .. } => {
                AppError::for_field(ErrorCode::InvalidInput, "yaml", message.clone())
            }
            CliError::ReadFile { .. } | CliError::WriteFile(_) | CliError::Kubeconfig(_) => {
                AppError::new(ErrorCode::ConfigFile, message.clone())
            }
            CliError::NotConfirmed => {
                AppError::for_field(ErrorCode::InvalidInput, "confirmName", message.clone())
            }
        };
        AppError { message, ..typed }
    }
}

/// How a command that ran to its end went: 0 done, 1 the spec has errors
/// or the plan conflicts (already printed).
pub enum Finished {
    Done,
    Refused,
}

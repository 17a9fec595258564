//! The one error type that crosses IPC: `{code, message, field?}`.
//!
//! `code` is a closed set: the UI switches on it to offer the matching fix
//! (a login command, a switch to the emulator, a retry), so adding a code is
//! a change to the UI as well.

use crate::aws::AwsError;
use crate::connect::kubeconfig::KubeconfigReadError;
use crate::provision::ProvisionError;
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No credentials in the chain for this environment.
    NoCredentials,
    /// SSO session expired or never started: `aws sso login`.
    SsoExpired,
    /// Credentials exist but AWS rejected them.
    InvalidCredentials,
    /// The identity lacks permission; the message names the action.
    AccessDenied,
    /// Nothing answers at the endpoint (offline, wrong URL, emulator down).
    EndpointUnreachable,
    /// Still throttled after automatic retries.
    Throttled,
    /// The selected profile is not in the AWS config files.
    ProfileNotFound,
    /// A file could not be read or written (AWS config, kubeconfig, a
    /// saved spec); the message names it.
    ConfigFile,
    /// A value the user gave is wrong; `field` names it.
    InvalidInput,
    /// Any other AWS API error; the message carries AWS's own words.
    AwsService,
    /// Something is in the way: a resource that is not the spec's, a plan
    /// with conflicts, a run of the same spec already going on.
    Conflict,
    /// The user stopped the run; its journal is kept for a resume.
    Cancelled,
    /// EKS knows no access entry for your IAM identity on the cluster
    /// (401 with an EKS token): the UI offers the cluster's access page.
    NoAccessEntry,
    /// The Kubernetes API refused a context's credentials (401).
    Unauthorized,
    /// Kubernetes denied the verb on the resource (403); the message says
    /// which.
    Forbidden,
    /// The cluster's endpoint is private and this machine is outside its VPC.
    PrivateEndpoint,
    /// Another answer of the Kubernetes API; the message is Kubernetes'.
    KubeApi,
    /// A kubeconfig's credentials could not be had (its exec plugin failed).
    KubeCredentials,
    /// A context's exec plugin runs an unknown program: ask the user, then
    /// `allow_exec_plugin`.
    ExecConsentRequired,
    /// A failure of the app itself (IPC, a crashed task): a bug to report.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// The form field the error belongs to, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    pub fn for_field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_string()),
            ..Self::new(code, message)
        }
    }
}

impl From<AwsError> for AppError {
    fn from(e: AwsError) -> Self {
        let code = match &e {
            AwsError::NoCredentials { .. } => ErrorCode::NoCredentials,
            AwsError::SsoExpired { .. } => ErrorCode::SsoExpired,
            AwsError::InvalidCredentials { .. } => ErrorCode::InvalidCredentials,
            AwsError::AccessDenied { .. } => ErrorCode::AccessDenied,
            AwsError::EndpointUnreachable { .. } => ErrorCode::EndpointUnreachable,
            AwsError::Throttled { .. } => ErrorCode::Throttled,
            AwsError::ProfileNotFound(_) => ErrorCode::ProfileNotFound,
            AwsError::ProfileFiles(_) => ErrorCode::ConfigFile,
            AwsError::InvalidRegion(_) => {
                return AppError::for_field(ErrorCode::InvalidInput, "region", e.to_string())
            }
            AwsError::Service { .. } => ErrorCode::AwsService,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<crate::spec::yaml::SpecFileError> for AppError {
    fn from(e: crate::spec::yaml::SpecFileError) -> Self {
        // The spec editor shows it under its YAML box.
        AppError::for_field(ErrorCode::InvalidInput, "yaml", e.to_string())
    }
}

impl From<crate::spec::store::StoreError> for AppError {
    fn from(e: crate::spec::store::StoreError) -> Self {
        use crate::spec::store::StoreError;
        match e {
            StoreError::BadName(_) => {
                AppError::for_field(ErrorCode::InvalidInput, "cluster.name", e.to_string())
            }
            StoreError::Spec { .. } => {
                AppError::for_field(ErrorCode::InvalidInput, "yaml", e.to_string())
            }
            StoreError::Read { .. } | StoreError::Write { .. } => {
                AppError::new(ErrorCode::ConfigFile, e.to_string())
            }
        }
    }
}

impl From<ProvisionError> for AppError {
    fn from(e: ProvisionError) -> Self {
        let message = e.to_string();
        match e {
            ProvisionError::MissingSpecId | ProvisionError::BadSpecId(_) => {
                AppError::for_field(ErrorCode::InvalidInput, "id", message)
            }
            ProvisionError::NotConfirmed { .. } => {
                AppError::for_field(ErrorCode::InvalidInput, "confirmName", message)
            }
            ProvisionError::LeftoversNotConfirmed => {
                AppError::for_field(ErrorCode::InvalidInput, "confirmLeftovers", message)
            }
            ProvisionError::SpecErrors(errors) => match errors.first() {
                Some((field, _)) => AppError::for_field(ErrorCode::InvalidInput, field, message),
                None => AppError::new(ErrorCode::InvalidInput, message),
            },
            ProvisionError::NoJournal { .. } | ProvisionError::NoEnvironment { .. } => {
                AppError::new(ErrorCode::InvalidInput, message)
            }
            ProvisionError::Conflict { .. }
            | ProvisionError::PlanConflicts(_)
            | ProvisionError::AlreadyRunning { .. } => AppError::new(ErrorCode::Conflict, message),
            // The AWS error's own code (access denied, throttled…); the
            // message keeps the step.
            ProvisionError::Aws { source, .. } | ProvisionError::AccountUnreadable(source) => {
                AppError {
                    message,
                    ..AppError::from(*source)
                }
            }
            ProvisionError::Failed { .. } => AppError::new(ErrorCode::AwsService, message),
            ProvisionError::Cancelled => AppError::new(ErrorCode::Cancelled, message),
            ProvisionError::Journal { .. } => AppError::new(ErrorCode::ConfigFile, message),
            ProvisionError::Internal { .. } => AppError::new(ErrorCode::Internal, message),
        }
    }
}

impl From<crate::spec::in_account::SpecHasErrors> for AppError {
    fn from(e: crate::spec::in_account::SpecHasErrors) -> Self {
        let field = e.errors[0].field.clone();
        AppError::for_field(ErrorCode::InvalidInput, &field, e.to_string())
    }
}

impl From<KubeconfigReadError> for AppError {
    fn from(e: KubeconfigReadError) -> Self {
        AppError::new(ErrorCode::ConfigFile, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI's `AppError` type depends on this exact JSON shape.
    #[test]
    fn json_shape_is_stable() {
        let plain = AppError::new(ErrorCode::SsoExpired, "log in");
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"code":"sso_expired","message":"log in"}"#
        );
        let field = AppError::for_field(ErrorCode::InvalidInput, "region", "bad");
        assert_eq!(
            serde_json::to_string(&field).unwrap(),
            r#"{"code":"invalid_input","message":"bad","field":"region"}"#
        );
    }

    #[test]
    fn every_code_serialises_in_snake_case() {
        let all = [
            (ErrorCode::NoCredentials, "no_credentials"),
            (ErrorCode::SsoExpired, "sso_expired"),
            (ErrorCode::InvalidCredentials, "invalid_credentials"),
            (ErrorCode::AccessDenied, "access_denied"),
            (ErrorCode::EndpointUnreachable, "endpoint_unreachable"),
            (ErrorCode::Throttled, "throttled"),
            (ErrorCode::ProfileNotFound, "profile_not_found"),
            (ErrorCode::ConfigFile, "config_file"),
            (ErrorCode::InvalidInput, "invalid_input"),
            (ErrorCode::AwsService, "aws_service"),
            (ErrorCode::Conflict, "conflict"),
            (ErrorCode::Cancelled, "cancelled"),
            (ErrorCode::Internal, "internal"),
            (ErrorCode::NoAccessEntry, "no_access_entry"),
            (ErrorCode::Unauthorized, "unauthorized"),
            (ErrorCode::Forbidden, "forbidden"),
            (ErrorCode::PrivateEndpoint, "private_endpoint"),
            (ErrorCode::KubeApi, "kube_api"),
            (ErrorCode::KubeCredentials, "kube_credentials"),
            (ErrorCode::ExecConsentRequired, "exec_consent_required"),
        ];
        for (code, text) in all {
            assert_eq!(serde_json::to_value(code).unwrap(), text);
        }
    }

    #[test]
    fn provisioning_errors_keep_their_step_and_get_the_code_the_ui_acts_on() {
        let denied: AppError = ProvisionError::Aws {
            step: "cluster/my-eks".into(),
            operation: "eks:CreateCluster".into(),
            source: Box::new(AwsError::AccessDenied {
                action: "eks:CreateCluster".into(),
                message: "not allowed".into(),
            }),
        }
        .into();
        assert_eq!(denied.code, ErrorCode::AccessDenied);
        assert!(
            denied.message.starts_with("cluster/my-eks: "),
            "{}",
            denied.message
        );
        assert!(denied.message.contains("not allowed"), "{}", denied.message);

        let cases: [(ProvisionError, ErrorCode, Option<&str>); 6] = [
            (ProvisionError::Cancelled, ErrorCode::Cancelled, None),
            (
                ProvisionError::AlreadyRunning {
                    spec_id: "s".into(),
                    cluster_name: "my-eks".into(),
                },
                ErrorCode::Conflict,
                None,
            ),
            (
                ProvisionError::Conflict {
                    step: "role/cluster".into(),
                    message: "not ours".into(),
                },
                ErrorCode::Conflict,
                None,
            ),
            (
                ProvisionError::NotConfirmed {
                    cluster_name: "my-eks".into(),
                },
                ErrorCode::InvalidInput,
                Some("confirmName"),
            ),
            (
                ProvisionError::SpecErrors(vec![("cluster.name".into(), "bad".into())]),
                ErrorCode::InvalidInput,
                Some("cluster.name"),
            ),
            (
                ProvisionError::MissingSpecId,
                ErrorCode::InvalidInput,
                Some("id"),
            ),
        ];
        for (error, code, field) in cases {
            let text = error.to_string();
            let app: AppError = error.into();
            assert_eq!((app.code, app.field.as_deref()), (code, field), "{text}");
            assert_eq!(app.message, text);
        }
    }

    #[test]
    fn bad_region_is_a_field_error() {
        let e: AppError = AwsError::InvalidRegion("EU West".into()).into();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert_eq!(e.field.as_deref(), Some("region"));
    }
}

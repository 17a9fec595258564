//! Turns SDK failures into errors a person can act on.
//!
//! The SDK reports failures as a layered `SdkError`; users need to know which of
//! a handful of situations they are in (no credentials, an expired SSO session,
//! a denied action, an endpoint that does not answer, throttling) and what to
//! do about it. Messages never contain credentials: they are built from error
//! codes, operation names and the service's own message.

use aws_sdk_eks::error::{ProvideErrorMetadata, SdkError};
use std::error::Error as StdError;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum AwsError {
    #[error("No AWS credentials were found{}. Add a profile to ~/.aws/config or ~/.aws/credentials, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or choose \"Local emulator\".", for_profile(.profile))]
    NoCredentials { profile: Option<String> },

    #[error("The SSO session of profile \"{profile}\" has expired or was never started. Run `aws sso login --profile {profile}` and refresh.")]
    SsoExpired { profile: String },

    #[error("The credentials{} were rejected by AWS ({code}): {message}", for_profile(.profile))]
    InvalidCredentials {
        profile: Option<String>,
        code: String,
        message: String,
    },

    #[error("Access denied for {action}: {message}")]
    AccessDenied { action: String, message: String },

    #[error("Could not reach the AWS endpoint {endpoint}: {reason}")]
    EndpointUnreachable { endpoint: String, reason: String },

    #[error("AWS kept throttling {operation} after several retries; wait a moment and refresh.")]
    Throttled { operation: String },

    #[error("AWS profile \"{0}\" does not exist in ~/.aws/config or ~/.aws/credentials.")]
    ProfileNotFound(String),

    #[error("\"{0}\" is not an AWS region code (for example us-east-1).")]
    InvalidRegion(String),

    #[error("Could not read the AWS config files: {0}")]
    ProfileFiles(String),

    #[error("{operation} failed ({code}): {message}")]
    Service {
        operation: String,
        code: String,
        message: String,
    },
}

fn for_profile(profile: &Option<String>) -> String {
    match profile {
        Some(p) => format!(" for profile \"{p}\""),
        None => String::new(),
    }
}

/// What the classifier needs to know about where the call went.
#[derive(Debug, Clone)]
pub struct CallContext<'a> {
    /// `service:Operation`, e.g. `eks:ListClusters`, as IAM names the action.
    pub action: &'a str,
    pub profile: Option<&'a str>,
    pub profile_is_sso: bool,
    pub endpoint: &'a str,
}

/// Every message in the chain of `err`, joined, for matching and for display.
fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

pub fn classify<E, R>(err: SdkError<E, R>, ctx: &CallContext<'_>) -> AwsError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let operation = ctx.action.to_string();
    let profile = ctx.profile.map(str::to_string);
    match &err {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            let code = inner.code().unwrap_or("Unknown").to_string();
            let message = inner.message().unwrap_or("").to_string();
            classify_code(&code, message, ctx)
        }
        SdkError::TimeoutError(_) => AwsError::EndpointUnreachable {
            endpoint: ctx.endpoint.to_string(),
            reason: "the request timed out".into(),
        },
        SdkError::DispatchFailure(dispatch) => {
            let text = chain_text(&err);
            if let Some(identity) = identity_failure(&text, ctx) {
                return identity;
            }
            let reason = if dispatch.is_timeout() {
                "the connection timed out".to_string()
            } else if dispatch.is_io() {
                "the connection was refused or dropped".to_string()
            } else {
                text
            };
            AwsError::EndpointUnreachable {
                endpoint: ctx.endpoint.to_string(),
                reason,
            }
        }
        _ => {
            let text = chain_text(&err);
            identity_failure(&text, ctx).unwrap_or(AwsError::Service {
                operation,
                code: "ClientError".into(),
                message: text,
            })
        }
    }
    .with_profile(profile)
}

/// A failure of the credential chain itself (when the app signs something
/// the SDK does not send, such as the EKS token).
pub fn classify_credentials(
    err: &aws_credential_types::provider::error::CredentialsError,
    ctx: &CallContext<'_>,
) -> AwsError {
    let text = chain_text(err);
    identity_failure(&text, ctx).unwrap_or(AwsError::NoCredentials {
        profile: ctx.profile.map(str::to_string),
    })
}

/// Failures of the credential chain surface as dispatch/construction errors
/// whose only distinguishing mark is their text.
fn identity_failure(text: &str, ctx: &CallContext<'_>) -> Option<AwsError> {
    let lower = text.to_ascii_lowercase();
    let profile = ctx.profile.map(str::to_string);
    if ctx.profile_is_sso
        && (lower.contains("sso") || lower.contains("token") || lower.contains("expired"))
    {
        return Some(AwsError::SsoExpired {
            profile: profile.unwrap_or_default(),
        });
    }
    if lower.contains("no credentials")
        || lower.contains("credentials provider was not enabled")
        || lower.contains("failed to load credentials")
        || lower.contains("could not find") && lower.contains("credential")
        || lower.contains("identity")
            && (lower.contains("resolve") || lower.contains("no identity"))
    {
        return Some(AwsError::NoCredentials { profile });
    }
    None
}

fn classify_code(code: &str, message: String, ctx: &CallContext<'_>) -> AwsError {
    let profile = ctx.profile.map(str::to_string);
    match code {
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" if ctx.profile_is_sso => {
            AwsError::SsoExpired {
                profile: profile.unwrap_or_default(),
            }
        }
        "InvalidClientTokenId"
        | "UnrecognizedClientException"
        | "SignatureDoesNotMatch"
        | "InvalidSignatureException"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "AuthFailure"
        | "RequestExpired" => AwsError::InvalidCredentials {
            profile,
            code: code.to_string(),
            message,
        },
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            AwsError::AccessDenied {
                action: ctx.action.to_string(),
                message,
            }
        }
        "Throttling"
        | "ThrottlingException"
        | "TooManyRequestsException"
        | "RequestLimitExceeded" => AwsError::Throttled {
            operation: ctx.action.to_string(),
        },
        _ => AwsError::Service {
            operation: ctx.action.to_string(),
            code: code.to_string(),
            message,
        },
    }
}

impl AwsError {
    fn with_profile(self, profile: Option<String>) -> Self {
        match self {
            AwsError::NoCredentials { profile: None } => AwsError::NoCredentials { profile },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(sso: bool) -> CallContext<'static> {
        CallContext {
            action: "eks:ListClusters",
            profile: Some("dev"),
            profile_is_sso: sso,
            endpoint: "https://eks.eu-west-1.amazonaws.com",
        }
    }

    #[test]
    fn denied_names_the_action() {
        let e = classify_code("AccessDeniedException", "no policy".into(), &ctx(false));
        assert_eq!(
            e.to_string(),
            "Access denied for eks:ListClusters: no policy"
        );
    }

    #[test]
    fn expired_token_on_sso_profile_says_how_to_log_in() {
        let e = classify_code("ExpiredTokenException", "expired".into(), &ctx(true));
        assert!(e.to_string().contains("aws sso login --profile dev"), "{e}");
        let e = classify_code("ExpiredTokenException", "expired".into(), &ctx(false));
        assert!(matches!(e, AwsError::InvalidCredentials { .. }));
    }

    #[test]
    fn throttling_codes_are_recognised() {
        for code in [
            "Throttling",
            "ThrottlingException",
            "TooManyRequestsException",
        ] {
            assert!(matches!(
                classify_code(code, String::new(), &ctx(false)),
                AwsError::Throttled { .. }
            ));
        }
    }

    #[test]
    fn credential_chain_text_maps_to_no_credentials() {
        let e = identity_failure(
            "dispatch failure: other: no credentials provider was found",
            &ctx(false),
        );
        assert_eq!(
            e,
            Some(AwsError::NoCredentials {
                profile: Some("dev".into())
            })
        );
    }
}

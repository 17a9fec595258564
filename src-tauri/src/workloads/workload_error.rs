//! Why a workloads call failed, as the user can act on it: Kubernetes
//! denied it (its words say which verb on which resource), the object is
//! gone, the cluster did not answer, or the request itself was refused
//! before any call (an unconfirmed delete, a bad value).

use crate::connect::eks_token::TokenError;

#[derive(Debug, thiserror::Error)]
pub enum WorkloadError {
    #[error("Kubernetes denied it (403): {message}")]
    Forbidden { message: String },
    #[error("{what} is not there any more (404): {message}")]
    NotFound { what: String, message: String },
    #[error("The Kubernetes API answered {code}: {message}")]
    Api { code: u16, message: String },
    #[error("Could not reach the Kubernetes API: {reason}")]
    Unreachable { reason: String },
    #[error(transparent)]
    Token(#[from] TokenError),
    /// Refused before any call; `field` is the form field.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
}

/// A kube error on `what` (`pod shop/web-1`).
pub fn from_kube(err: kube::Error, what: &str) -> WorkloadError {
    match err {
        kube::Error::Api(status) => match status.code {
            403 => WorkloadError::Forbidden {
                message: status.message,
            },
            404 => WorkloadError::NotFound {
                what: what.to_string(),
                message: status.message,
            },
            code => WorkloadError::Api {
                code,
                message: status.message,
            },
        },
        kube::Error::Service(inner) => match inner.downcast::<TokenError>() {
            Ok(token) => WorkloadError::Token(*token),
            Err(other) => WorkloadError::Unreachable {
                reason: other.to_string(),
            },
        },
        other => WorkloadError::Unreachable {
            reason: other.to_string(),
        },
    }
}

//! Why a cluster or context could not be opened, in words a user can act
//! on: no access entry (401 with an EKS token), a verb Kubernetes denied
//! (403), a private endpoint out of reach, an exec plugin waiting for
//! consent. Messages carry ARNs, names and Kubernetes' own words, never a
//! token or key.

use super::eks_token::TokenError;
use super::exec_consent::{ExecCommand, ExecConsentError};
use super::kubeconfig::KubeconfigReadError;
use super::kubeconfig_write_error::KubeconfigWriteError;
use crate::aws::AwsError;

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error("Cluster {cluster} is {status}: it can be opened once it is ACTIVE.")]
    NotActive { cluster: String, status: String },
    #[error("Your IAM identity {principal} has no access entry on cluster {cluster}, so EKS does not let it in (401). Grant it access on the cluster's Access page, or sign in as an identity that has an entry.")]
    NoAccessEntry { cluster: String, principal: String },
    #[error("The Kubernetes API of {target} refused the credentials (401): {message}")]
    Unauthorized { target: String, message: String },
    #[error("Kubernetes denied it (403): {message}")]
    Forbidden { message: String },
    #[error("The API endpoint of cluster {cluster} is private ({endpoint}): it answers only inside the cluster's VPC (or over a VPN or Direct Connect into it), and this machine is outside. Turn public endpoint access on, or connect from inside the VPC.")]
    PrivateEndpoint { cluster: String, endpoint: String },
    #[error("Could not reach the Kubernetes API at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("The Kubernetes API at {endpoint} answered {code}: {message}")]
    Api {
        endpoint: String,
        code: u16,
        message: String,
    },
    #[error(transparent)]
    Kubeconfig(#[from] KubeconfigReadError),
    #[error(transparent)]
    KubeconfigWrite(#[from] KubeconfigWriteError),
    #[error("Could not get credentials for {target}: {reason}")]
    Credentials { target: String, reason: String },
    #[error("Context {context} cannot be used: {reason}")]
    Context { context: String, reason: String },
    #[error("Context {context} gets its credentials by running {}; a kubeconfig exec plugin runs whatever program it names, so EKS Desk asks once before it runs one it does not know.", .command.resolved.display())]
    ConsentRequired {
        context: String,
        command: ExecCommand,
    },
    #[error(transparent)]
    Consent(#[from] ExecConsentError),
}

/// The message of a kube error and its sources (hyper and rustls say what
/// failed: refused, timed out, unknown CA). None of them holds a header.
fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

/// Where a request went, for [`classify`].
pub struct Target<'a> {
    /// The cluster's name or the context's.
    pub name: &'a str,
    pub endpoint: &'a str,
    /// Only the private endpoint is on: unreachable means outside the VPC.
    pub private_only: bool,
}

/// A kube error as what the user can do about it. `on_unauthorized` builds
/// the 401 error (an EKS cluster names the IAM identity, a context its
/// server).
pub fn classify(
    err: kube::Error,
    target: &Target<'_>,
    on_unauthorized: impl FnOnce(String) -> ConnectError,
) -> ConnectError {
    match err {
        kube::Error::Api(status) => match status.code {
            401 => on_unauthorized(status.message),
            403 => ConnectError::Forbidden {
                message: status.message,
            },
            code => ConnectError::Api {
                endpoint: target.endpoint.to_string(),
                code,
                message: status.message,
            },
        },
        kube::Error::Auth(e) => ConnectError::Credentials {
            target: target.name.to_string(),
            reason: chain_text(&e),
        },
        kube::Error::Service(inner) => match inner.downcast::<TokenError>() {
            Ok(token) => ConnectError::Token(*token),
            Err(other) => unreachable(&*other, target),
        },
        other => unreachable(&other, target),
    }
}

fn unreachable(err: &(dyn std::error::Error + 'static), target: &Target<'_>) -> ConnectError {
    if target.private_only {
        return ConnectError::PrivateEndpoint {
            cluster: target.name.to_string(),
            endpoint: target.endpoint.to_string(),
        };
    }
    ConnectError::Unreachable {
        endpoint: target.endpoint.to_string(),
        reason: chain_text(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused() -> kube::Error {
        kube::Error::Service(Box::new(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "connect timed out",
        )))
    }

    fn target(private_only: bool) -> Target<'static> {
        Target {
            name: "my-eks",
            endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
            private_only,
        }
    }

    fn unauthorized(message: String) -> ConnectError {
        ConnectError::Unauthorized {
            target: "my-eks".into(),
            message,
        }
    }

    #[test]
    fn an_unreachable_private_endpoint_says_this_machine_is_outside_the_vpc() {
        let err = classify(refused(), &target(true), unauthorized);
        assert!(
            matches!(err, ConnectError::PrivateEndpoint { .. }),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("private") && text.contains("outside"),
            "{text}"
        );

        let err = classify(refused(), &target(false), unauthorized);
        let ConnectError::Unreachable { reason, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(reason.contains("connect timed out"), "{reason}");
    }

    #[test]
    fn kubernetes_statuses_become_401_403_or_the_apis_own_words() {
        let status = |code: u16, message: &str| {
            let mut s = kube::core::Status::failure(message, "Reason");
            s.code = code;
            kube::Error::Api(Box::new(s))
        };
        let err = classify(status(401, "Unauthorized"), &target(false), unauthorized);
        assert!(matches!(err, ConnectError::Unauthorized { .. }), "{err:?}");
        let denied = "pods \"x\" is forbidden: User \"u\" cannot delete resource \"pods\"";
        let err = classify(status(403, denied), &target(false), unauthorized);
        assert!(
            matches!(&err, ConnectError::Forbidden { message } if message == denied),
            "{err:?}"
        );
        let err = classify(status(500, "etcd is sad"), &target(false), unauthorized);
        assert!(
            matches!(&err, ConnectError::Api { code: 500, message, .. } if message == "etcd is sad"),
            "{err:?}"
        );
    }

    #[test]
    fn a_token_that_cannot_be_signed_is_a_token_error_not_a_lost_connection() {
        let err = kube::Error::Service(Box::new(TokenError::Signing("no clock".into())));
        assert!(
            matches!(
                classify(err, &target(true), unauthorized),
                ConnectError::Token(_)
            ),
            "a private endpoint is not blamed for a signing failure"
        );
    }
}

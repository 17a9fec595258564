//! What kind of credentials a kubeconfig user holds, named without copying
//! any of them: the connect code picks how to connect (and whether an exec
//! plugin needs the user's consent) from this, and the window shows it.

use kube::config::AuthInfo;
use serde::Serialize;
use specta::Type;

/// The credential kubectl would use for a context's user. When a user has
/// several, the first of this order: exec, auth-provider, token, client
/// certificate, basic auth (a plugin the user set up is what they meant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ContextAuth {
    /// An exec credential plugin: the command as written (never its
    /// arguments or environment, which may hold secrets).
    Exec { command: String },
    /// A legacy auth-provider (`oidc`, `gcp`, `azure`): its name only.
    AuthProvider { name: String },
    /// `token` or `tokenFile`.
    Token,
    /// `client-certificate(-data)` with its key.
    ClientCertificate,
    /// `username`/`password`.
    Basic,
    /// The user entry has no credentials (or the context names no user).
    None,
    /// The context names a user that no kubeconfig file defines.
    UserNotFound { user: String },
}

fn present(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

pub fn classify(auth: &AuthInfo) -> ContextAuth {
    if let Some(exec) = &auth.exec {
        return ContextAuth::Exec {
            command: exec.command.clone().unwrap_or_default(),
        };
    }
    if let Some(provider) = &auth.auth_provider {
        return ContextAuth::AuthProvider {
            name: provider.name.clone(),
        };
    }
    if auth.token.is_some() || present(&auth.token_file) {
        return ContextAuth::Token;
    }
    if present(&auth.client_certificate) || present(&auth.client_certificate_data) {
        return ContextAuth::ClientCertificate;
    }
    if present(&auth.username) || auth.password.is_some() {
        return ContextAuth::Basic;
    }
    ContextAuth::None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(yaml: &str) -> AuthInfo {
        serde_saphyr::from_str(yaml).expect("an AuthInfo")
    }

    #[test]
    fn each_kind_is_named_without_its_secret() {
        let cases = [
            ("token: s3cret", ContextAuth::Token),
            ("tokenFile: /var/run/secrets/token", ContextAuth::Token),
            (
                "client-certificate-data: Q0VSVA==\nclient-key-data: S0VZ",
                ContextAuth::ClientCertificate,
            ),
            ("username: admin\npassword: hunter2", ContextAuth::Basic),
            (
                "auth-provider:\n  name: oidc\n  config:\n    client-secret: oidc-secret",
                ContextAuth::AuthProvider {
                    name: "oidc".into(),
                },
            ),
            (
                "exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: kubelogin\n  args: [--token=arg-secret]\n  env: [{name: T, value: env-secret}]\ntoken: also-here",
                ContextAuth::Exec {
                    command: "kubelogin".into(),
                },
            ),
            ("{}", ContextAuth::None),
        ];
        for (yaml, expected) in cases {
            let found = classify(&auth(yaml));
            let shown = format!("{found:?} {}", serde_json::to_string(&found).expect("json"));
            for secret in [
                "s3cret",
                "S0VZ",
                "hunter2",
                "oidc-secret",
                "arg-secret",
                "env-secret",
            ] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert_eq!(found, expected, "{yaml}");
        }
    }
}

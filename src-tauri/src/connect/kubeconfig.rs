//! The kubeconfig contexts a user already has, found as kubectl finds them:
//! the files in `KUBECONFIG` (merged, missing files skipped, as kubectl does)
//! or `~/.kube/config`. Only names and addresses leave this module; tokens,
//! client keys and certificates are never copied out.

use super::context_auth::{self, ContextAuth};
use kube::config::{Kubeconfig, KubeconfigError};
use serde::Serialize;
use specta::Type;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KubeconfigReadError {
    #[error("Could not read kubeconfig {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: KubeconfigError,
    },
    #[error("Could not merge kubeconfig {path}: {source}")]
    Merge {
        path: String,
        #[source]
        source: KubeconfigError,
    },
}

/// An EKS cluster a context points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EksClusterRef {
    pub cluster_name: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KubeContext {
    pub name: String,
    pub cluster: String,
    pub server: Option<String>,
    pub user: Option<String>,
    pub namespace: Option<String>,
    pub is_current: bool,
    /// Set when the context is recognisably an EKS cluster.
    pub eks: Option<EksClusterRef>,
    /// The kind of credentials its user holds (never the credentials).
    pub auth: ContextAuth,
    /// `insecure-skip-tls-verify: true` on its cluster: the server's
    /// certificate is not checked.
    pub insecure: bool,
    /// Its cluster is reached through a `proxy-url`.
    pub has_proxy_url: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KubeContexts {
    /// The files that were read, in merge order.
    pub files: Vec<String>,
    pub contexts: Vec<KubeContext>,
}

/// The files kubectl would read, given `KUBECONFIG` and the home directory.
pub fn config_paths(kubeconfig_env: Option<&str>, home: Option<&Path>) -> Vec<PathBuf> {
    match kubeconfig_env.filter(|v| !v.is_empty()) {
        Some(value) => std::env::split_paths(value)
            .filter(|p| !p.as_os_str().is_empty() && p.is_file())
            .collect(),
        None => home
            .map(|h| h.join(".kube").join("config"))
            .filter(|p| p.is_file())
            .into_iter()
            .collect(),
    }
}

/// `https://ABC.gr7.eu-west-1.eks.amazonaws.com` → `eu-west-1`.
fn region_from_eks_server(server: &str) -> Option<String> {
    let host = server.strip_prefix("https://")?.split(['/', ':']).next()?;
    let rest = host.strip_suffix(".eks.amazonaws.com")?;
    rest.rsplit('.').next().map(str::to_string)
}

/// `arn:aws:eks:eu-west-1:123456789012:cluster/my-eks` → (`my-eks`, `eu-west-1`).
fn from_cluster_arn(arn: &str) -> Option<(String, String)> {
    let arn = crate::aws::arn::Arn::parse(arn)?;
    let name = arn.resource.strip_prefix("cluster/")?;
    (arn.service == "eks").then(|| (name.to_string(), arn.region.to_string()))
}

/// What `aws eks get-token --cluster-name X --region R` (or
/// aws-iam-authenticator `-i X`) in the user's exec config says.
fn from_exec_args(args: &[String]) -> (Option<String>, Option<String>) {
    let after = |flags: &[&str]| {
        args.windows(2)
            .find(|w| flags.contains(&w[0].as_str()))
            .map(|w| w[1].clone())
    };
    (
        after(&["--cluster-name", "-i", "--cluster-id"]),
        after(&["--region"]),
    )
}

fn eks_ref(
    cluster_name: &str,
    server: Option<&str>,
    exec: Option<(&str, &[String])>,
) -> Option<EksClusterRef> {
    let by_arn = from_cluster_arn(cluster_name);
    let by_server = server.and_then(region_from_eks_server);
    let (exec_name, exec_region) = match exec {
        Some((cmd, args))
            if cmd.ends_with("aws") && args.iter().any(|a| a == "get-token")
                || cmd.ends_with("aws-iam-authenticator") =>
        {
            from_exec_args(args)
        }
        _ => (None, None),
    };
    if by_arn.is_none() && by_server.is_none() && exec_name.is_none() {
        return None;
    }
    Some(EksClusterRef {
        cluster_name: exec_name.or_else(|| by_arn.as_ref().map(|(n, _)| n.clone())),
        region: exec_region.or(by_server).or_else(|| by_arn.map(|(_, r)| r)),
    })
}

pub fn contexts_of(config: &Kubeconfig) -> Vec<KubeContext> {
    config
        .contexts
        .iter()
        .filter_map(|named| {
            let ctx = named.context.as_ref()?;
            let cluster = config
                .clusters
                .iter()
                .find(|c| c.name == ctx.cluster)
                .and_then(|c| c.cluster.as_ref());
            let server = cluster.and_then(|c| c.server.clone());
            let user = ctx
                .user
                .as_ref()
                .map(|u| (u, config.auth_infos.iter().find(|a| &a.name == u)));
            let auth = match user {
                None => ContextAuth::None,
                Some((name, None)) => ContextAuth::UserNotFound { user: name.clone() },
                Some((_, Some(named))) => named
                    .auth_info
                    .as_ref()
                    .map_or(ContextAuth::None, context_auth::classify),
            };
            let exec = user
                .and_then(|(_, named)| named)
                .and_then(|a| a.auth_info.as_ref())
                .and_then(|a| a.exec.as_ref());
            let exec_args = exec.and_then(|e| e.args.clone()).unwrap_or_default();
            let exec_ref = exec
                .and_then(|e| e.command.as_deref())
                .map(|cmd| (cmd, exec_args.as_slice()));
            Some(KubeContext {
                name: named.name.clone(),
                cluster: ctx.cluster.clone(),
                eks: eks_ref(&ctx.cluster, server.as_deref(), exec_ref),
                server,
                user: ctx.user.clone(),
                namespace: ctx.namespace.clone(),
                is_current: config.current_context.as_deref() == Some(named.name.as_str()),
                auth,
                insecure: cluster.and_then(|c| c.insecure_skip_tls_verify) == Some(true),
                has_proxy_url: cluster
                    .and_then(|c| c.proxy_url.as_deref())
                    .is_some_and(|p| !p.is_empty()),
            })
        })
        .collect()
}

/// Reads and merges `paths` (first file wins, as in kubectl).
pub fn read(paths: &[PathBuf]) -> Result<KubeContexts, KubeconfigReadError> {
    Ok(KubeContexts {
        files: paths.iter().map(|p| p.display().to_string()).collect(),
        contexts: contexts_of(&merged(paths)?),
    })
}

/// `paths` read and merged as kubectl merges them.
pub fn merged(paths: &[PathBuf]) -> Result<Kubeconfig, KubeconfigReadError> {
    let mut merged = Kubeconfig::default();
    for path in paths {
        let shown = path.display().to_string();
        let next = Kubeconfig::read_from(path).map_err(|source| KubeconfigReadError::Read {
            path: shown.clone(),
            source,
        })?;
        merged = merged
            .merge(next)
            .map_err(|source| KubeconfigReadError::Merge {
                path: shown,
                source,
            })?;
    }
    Ok(merged)
}

/// The contexts of this machine's user.
pub fn read_user_contexts() -> Result<KubeContexts, KubeconfigReadError> {
    let env = std::env::var("KUBECONFIG").ok();
    read(&config_paths(
        env.as_deref(),
        std::env::home_dir().as_deref(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EKS_AND_KIND: &str = r#"
apiVersion: v1
kind: Config
current-context: kind-dev
clusters:
- name: arn:aws:eks:ap-northeast-2:111122223333:cluster/my-eks
  cluster:
    server: https://ABCDEF0123.gr7.ap-northeast-2.eks.amazonaws.com
    certificate-authority-data: LS0tLS1CRUdJTg==
- name: kind-dev
  cluster:
    server: https://127.0.0.1:6443
contexts:
- name: arn:aws:eks:ap-northeast-2:111122223333:cluster/my-eks
  context:
    cluster: arn:aws:eks:ap-northeast-2:111122223333:cluster/my-eks
    user: eks-user
- name: kind-dev
  context:
    cluster: kind-dev
    user: kind-dev
    namespace: apps
users:
- name: eks-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: ["--region", "ap-northeast-2", "eks", "get-token", "--cluster-name", "my-eks"]
- name: kind-dev
  user:
    token: very-secret-bearer-token
"#;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn lists_contexts_and_marks_eks_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "config", EKS_AND_KIND);
        let found = read(&[path]).unwrap();
        assert_eq!(found.contexts.len(), 2);
        let eks = &found.contexts[0];
        assert_eq!(
            eks.eks,
            Some(EksClusterRef {
                cluster_name: Some("my-eks".into()),
                region: Some("ap-northeast-2".into())
            })
        );
        assert_eq!(eks.user.as_deref(), Some("eks-user"));
        let kind = &found.contexts[1];
        assert_eq!(kind.eks, None);
        assert!(kind.is_current);
        assert_eq!(kind.namespace.as_deref(), Some("apps"));
        assert_eq!(kind.server.as_deref(), Some("https://127.0.0.1:6443"));
        assert!(!format!("{found:?}").contains("very-secret-bearer-token"));
        assert_eq!(
            eks.auth,
            ContextAuth::Exec {
                command: "aws".into()
            }
        );
        assert_eq!(kind.auth, ContextAuth::Token);
        assert!(!eks.insecure && !eks.has_proxy_url);
    }

    #[test]
    fn credentials_tls_and_proxy_are_classified_and_no_secret_is_copied() {
        let text = r#"
apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://10.0.0.1:6443
    insecure-skip-tls-verify: true
    proxy-url: socks5://localhost:1080
contexts:
- name: cert
  context: {cluster: lab, user: cert}
- name: oidc
  context: {cluster: lab, user: oidc}
- name: ghost
  context: {cluster: lab, user: nobody}
- name: anonymous
  context: {cluster: lab}
users:
- name: cert
  user:
    client-certificate-data: Q0VSVC1EQVRB
    client-key-data: S0VZLURBVEEtU0VDUkVU
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        client-secret: oidc-client-secret
        id-token: oidc-id-token
"#;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = write(dir.path(), "config", text);
        let found = read(&[path]).expect("reads");
        let auth: Vec<&ContextAuth> = found.contexts.iter().map(|c| &c.auth).collect();
        assert_eq!(
            auth,
            [
                &ContextAuth::ClientCertificate,
                &ContextAuth::AuthProvider {
                    name: "oidc".into()
                },
                &ContextAuth::UserNotFound {
                    user: "nobody".into()
                },
                &ContextAuth::None,
            ]
        );
        assert!(found.contexts.iter().all(|c| c.insecure && c.has_proxy_url));
        let shown = format!("{found:?} {}", serde_json::to_string(&found).expect("json"));
        for secret in [
            "Q0VSVC1EQVRB",
            "S0VZLURBVEEtU0VDUkVU",
            "oidc-client-secret",
            "oidc-id-token",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn kubeconfig_variable_merges_files_and_skips_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a", EKS_AND_KIND);
        let missing = dir.path().join("missing");
        let joined = std::env::join_paths([&missing, &a]).unwrap();
        let paths = config_paths(joined.to_str(), None);
        assert_eq!(paths, vec![a]);
    }

    #[test]
    fn without_kubeconfig_variable_uses_home_kube_config() {
        let home = tempfile::tempdir().unwrap();
        assert!(config_paths(None, Some(home.path())).is_empty());
        std::fs::create_dir(home.path().join(".kube")).unwrap();
        let p = write(&home.path().join(".kube"), "config", EKS_AND_KIND);
        assert_eq!(config_paths(None, Some(home.path())), vec![p]);
    }

    #[test]
    fn broken_file_names_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "bad", "contexts: [this is: not: valid");
        let err = read(std::slice::from_ref(&p)).unwrap_err().to_string();
        assert!(err.contains(&p.display().to_string()), "{err}");
    }

    #[test]
    fn eks_server_host_gives_the_region() {
        assert_eq!(
            region_from_eks_server("https://X.yl4.eu-west-1.eks.amazonaws.com").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(region_from_eks_server("https://10.0.0.1:6443"), None);
    }
}

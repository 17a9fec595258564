//! Opening a kubeconfig context as kubectl would: every file of KUBECONFIG
//! merged (or `~/.kube/config`), with its client certificate, token, exec
//! plugin, proxy-url or insecure-skip-tls-verify. An exec plugin EKS Desk
//! does not know runs only once the user agreed to it.

use std::ffi::OsString;
use std::path::Path;

use kube::config::KubeConfigOptions;
use serde::Deserialize;
use specta::Type;

use super::connect_error::{ConnectError, Target};
use super::exec_consent::{self, ConsentState, ExecCommand};
use super::kube_client::{CONNECT_TIMEOUT, READ_TIMEOUT};
use super::kubeconfig::{self, config_paths};
use super::kubeconfig_target::KubeconfigLocation;
use super::overview::{look, ClusterOverview, Looked, OpenedCluster};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenContextRequest {
    pub context: String,
}

/// What decides whether a context's exec plugin may run.
#[derive(Debug, Clone)]
pub struct ExecPolicy<'a> {
    /// The remembered consents.
    pub consent_store: &'a Path,
    /// This app's binary, always allowed.
    pub own_binary: Option<&'a Path>,
    /// The PATH the plugin is looked up in.
    pub search_path: Option<OsString>,
}

fn paths_of(location: &KubeconfigLocation) -> Vec<std::path::PathBuf> {
    config_paths(
        location.kubeconfig_env.as_ref().and_then(|v| v.to_str()),
        location.home.as_deref(),
    )
}

/// The exec plugin `context` would run, if any.
fn exec_command(
    context: &str,
    location: &KubeconfigLocation,
    policy: &ExecPolicy<'_>,
) -> Result<Option<ExecCommand>, ConnectError> {
    Ok(exec_consent::exec_command_of(
        &paths_of(location),
        context,
        policy.search_path.as_deref(),
    )?)
}

/// Connect through `request.context`.
pub async fn open_context(
    request: &OpenContextRequest,
    location: &KubeconfigLocation,
    policy: &ExecPolicy<'_>,
) -> Result<OpenedCluster, ConnectError> {
    let name = request.context.as_str();
    let paths = paths_of(location);
    if paths.is_empty() {
        return Err(ConnectError::Context {
            context: name.to_string(),
            reason: "no kubeconfig file was found (KUBECONFIG or ~/.kube/config)".into(),
        });
    }
    if let Some(command) = exec_command(name, location, policy)? {
        if exec_consent::consent_state(policy.consent_store, &command, policy.own_binary)?
            == ConsentState::Required
        {
            return Err(ConnectError::ConsentRequired {
                context: name.to_string(),
                command,
            });
        }
    }
    let merged = kubeconfig::merged(&paths)?;
    let Some(info) = kubeconfig::contexts_of(&merged)
        .into_iter()
        .find(|c| c.name == name)
    else {
        return Err(ConnectError::Context {
            context: name.to_string(),
            reason: "no kubeconfig file defines it".into(),
        });
    };
    let options = KubeConfigOptions {
        context: Some(name.to_string()),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(merged, &options)
        .await
        .map_err(|e| ConnectError::Context {
            context: name.to_string(),
            reason: e.to_string(),
        })?;
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    config.read_timeout = Some(READ_TIMEOUT);
    let server = config.cluster_url.to_string();
    let client = kube::Client::try_from(config).map_err(|e| ConnectError::Context {
        context: name.to_string(),
        reason: e.to_string(),
    })?;
    let target = Target {
        name,
        endpoint: &server,
        private_only: false,
    };
    let Looked {
        version,
        node_count,
        nodes_hidden,
        identity,
    } = look(&client, &target, |message| ConnectError::Unauthorized {
        target: format!("context {name}"),
        message,
    })
    .await?;
    let mut warnings = Vec::new();
    if info.insecure {
        warnings.push(
            "insecure-skip-tls-verify is on: the server's certificate is not checked, so anyone on the network path could pose as this cluster".to_string(),
        );
    }
    if info.has_proxy_url {
        warnings.push("Requests go through the context's proxy-url.".to_string());
    }
    Ok(OpenedCluster {
        overview: ClusterOverview {
            connection: format!("context:{name}"),
            name: name.to_string(),
            server,
            kubernetes_version: version,
            node_count,
            nodes_hidden,
            identity,
            simulated: false,
            warnings,
        },
        client,
        tokens: None,
    })
}

/// Records the user's consent to run `request.context`'s exec plugin, and
/// says which program that is.
pub fn allow_exec_plugin(
    request: &OpenContextRequest,
    location: &KubeconfigLocation,
    policy: &ExecPolicy<'_>,
) -> Result<ExecCommand, ConnectError> {
    let Some(command) = exec_command(&request.context, location, policy)? else {
        return Err(ConnectError::Context {
            context: request.context.clone(),
            reason: "its user runs no exec plugin".into(),
        });
    };
    exec_consent::record_consent(policy.consent_store, &command)?;
    Ok(command)
}

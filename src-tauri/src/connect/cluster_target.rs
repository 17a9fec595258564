//! Where an EKS cluster's Kubernetes API is: the endpoint and CA that
//! DescribeCluster gives, or — in emulator mode only — the simulated API
//! server `make run` starts, since the emulator's clusters have no API
//! server of their own. Against AWS nothing of the simulation is used.

use std::path::PathBuf;

use base64::Engine;
use serde::Deserialize;

use super::connect_error::ConnectError;
use super::kube_client::ApiServer;
use crate::aws::{AwsSession, Environment};

/// Names the simulated API server: its ready line,
/// `{"url":"https://127.0.0.1:P","caFile":"…/ca.pem",…}`.
pub const SIMULATED_API_ENV: &str = "EKS_DESK_SIMULATED_KUBE_API";

/// The test API server standing in for the emulator's clusters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedApi {
    pub url: String,
    pub ca_file: PathBuf,
}

impl SimulatedApi {
    /// From [`SIMULATED_API_ENV`]; `None` when unset or not a ready line
    /// (a warning is logged then, since the user meant something).
    pub fn from_env() -> Option<Self> {
        let text = std::env::var(SIMULATED_API_ENV).ok()?;
        match serde_json::from_str(&text) {
            Ok(api) => Some(api),
            Err(e) => {
                tracing::warn!(%e, "{SIMULATED_API_ENV} is not the API server's ready line");
                None
            }
        }
    }
}

/// An EKS cluster's API server, as found.
#[derive(Debug, Clone)]
pub struct ClusterTarget {
    pub cluster: String,
    pub arn: String,
    pub server: ApiServer,
    /// Only the private endpoint is on.
    pub private_only: bool,
    /// The simulated API server, not the cluster's own.
    pub simulated: bool,
}

/// Looks `cluster` up (DescribeCluster). Refused unless ACTIVE.
pub async fn cluster_target(
    session: &AwsSession,
    cluster: &str,
    simulated: Option<&SimulatedApi>,
) -> Result<ClusterTarget, ConnectError> {
    let out = session
        .eks()
        .describe_cluster()
        .name(cluster)
        .send()
        .await
        .map_err(|e| session.classify("eks:DescribeCluster", e))?;
    let Some(found) = out.cluster() else {
        return Err(ConnectError::NotActive {
            cluster: cluster.to_string(),
            status: "not found".into(),
        });
    };
    let status = found.status().map(|s| s.as_str()).unwrap_or("UNKNOWN");
    if status != "ACTIVE" {
        return Err(ConnectError::NotActive {
            cluster: cluster.to_string(),
            status: status.to_string(),
        });
    }
    let arn = found.arn().unwrap_or_default().to_string();
    if let (Environment::Emulator { .. }, Some(api)) = (session.environment(), simulated) {
        let pem = std::fs::read(&api.ca_file).map_err(|e| ConnectError::Unreachable {
            endpoint: api.url.clone(),
            reason: format!(
                "the simulated API server's CA {} is unreadable: {e}",
                api.ca_file.display()
            ),
        })?;
        return Ok(ClusterTarget {
            cluster: cluster.to_string(),
            arn,
            server: ApiServer {
                url: api.url.clone(),
                ca_data: base64::engine::general_purpose::STANDARD.encode(pem),
            },
            private_only: false,
            simulated: true,
        });
    }
    let vpc = found.resources_vpc_config();
    let public = vpc.is_some_and(|v| v.endpoint_public_access());
    let private = vpc.is_some_and(|v| v.endpoint_private_access());
    let endpoint = found.endpoint().unwrap_or_default().to_string();
    let ca_data = found
        .certificate_authority()
        .and_then(|c| c.data())
        .unwrap_or_default()
        .to_string();
    if endpoint.is_empty() || ca_data.is_empty() {
        return Err(ConnectError::Unreachable {
            endpoint: cluster.to_string(),
            reason: "EKS gave no endpoint or certificate authority for the cluster".into(),
        });
    }
    Ok(ClusterTarget {
        cluster: cluster.to_string(),
        arn,
        server: ApiServer {
            url: endpoint,
            ca_data,
        },
        private_only: private && !public,
        simulated: false,
    })
}

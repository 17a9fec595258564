//! Opening an EKS cluster with EKS Desk's own sign-in: DescribeCluster for
//! the endpoint and CA, an in-process EKS token, no kubeconfig and no
//! `aws` binary.

use serde::Deserialize;
use specta::Type;

use super::cluster_target::{cluster_target, SimulatedApi};
use super::connect_error::{ConnectError, Target};
use super::kube_client::{eks_client, TokenSource};
use super::overview::{look, ClusterOverview, Looked, OpenedCluster};
use crate::aws::{identity, AwsSession};

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OpenClusterRequest {
    /// The EKS cluster's name, in the session's region.
    pub cluster: String,
}

/// Connect to `request.cluster` as the session's identity.
pub async fn open_cluster(
    session: &AwsSession,
    request: &OpenClusterRequest,
    simulated: Option<&SimulatedApi>,
) -> Result<OpenedCluster, ConnectError> {
    let found = cluster_target(session, &request.cluster, simulated).await?;
    let tokens = TokenSource::new(session.clone(), &found.cluster);
    // Sign once up front: a credential problem is named as one, not as a
    // failed connection.
    tokens.token().await?;
    let client = eks_client(&found.server, tokens.clone()).await?;
    let caller = identity::caller_identity(session).await?.arn;
    let target = Target {
        name: &found.cluster,
        endpoint: &found.server.url,
        private_only: found.private_only,
    };
    let looked = look(&client, &target, |_| ConnectError::NoAccessEntry {
        cluster: found.cluster.clone(),
        principal: caller.clone(),
    })
    .await;
    let Looked {
        version,
        node_count,
        nodes_hidden,
        identity: mut who,
    } = match looked {
        Ok(found) => found,
        // Name the principal EKS looks entries up by (an assumed role's
        // IAM role, path included), not the STS session.
        Err(ConnectError::NoAccessEntry { cluster, .. }) => {
            let principal = identity::principal_of(session, &caller)
                .await
                .unwrap_or(caller);
            return Err(ConnectError::NoAccessEntry { cluster, principal });
        }
        Err(e) => return Err(e),
    };
    who.iam_arn = Some(caller);
    Ok(OpenedCluster {
        overview: ClusterOverview {
            connection: format!("eks:{}/{}", session.region(), found.cluster),
            name: found.cluster.clone(),
            server: found.server.url.clone(),
            kubernetes_version: version,
            node_count,
            nodes_hidden,
            identity: who,
            simulated: found.simulated,
            warnings: Vec::new(),
        },
        client,
        tokens: Some(tokens),
    })
}

//! What opening a cluster shows first: its Kubernetes version, how many
//! nodes it has, and who you are in it (SelfSubjectReview: the username
//! and groups the API server mapped your credentials to).

use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use k8s_openapi::api::core::v1::Node;
use kube::api::{ListParams, PostParams};
use kube::Api;
use serde::Serialize;
use specta::Type;

use super::connect_error::{classify, ConnectError, Target};

/// Who the API server says you are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KubeIdentity {
    pub username: String,
    pub groups: Vec<String>,
    /// The IAM identity the EKS token was signed as (EKS clusters only).
    pub iam_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClusterOverview {
    /// Names this open connection in later calls (its live views):
    /// `eks:<region>/<cluster>` or `context:<name>`.
    pub connection: String,
    /// The EKS cluster's name, or the kubeconfig context's.
    pub name: String,
    pub server: String,
    /// `v1.33.1-eks-…`, as `/version` says.
    pub kubernetes_version: String,
    /// `None` when you may not list nodes (`nodes_hidden` says why).
    pub node_count: Option<u32>,
    pub nodes_hidden: Option<String>,
    pub identity: KubeIdentity,
    /// The simulated API server of local mode, not a real cluster.
    pub simulated: bool,
    /// What the user should know about how they are connected
    /// (certificate checks off, a proxy).
    pub warnings: Vec<String>,
}

/// A client that reached its cluster, and what it found there.
#[derive(Clone)]
pub struct OpenedCluster {
    pub overview: ClusterOverview,
    pub client: kube::Client,
    /// The EKS tokens the client signs in with (EKS clusters only).
    pub tokens: Option<super::kube_client::TokenSource>,
}

impl std::fmt::Debug for OpenedCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedCluster")
            .field("overview", &self.overview)
            .finish_non_exhaustive()
    }
}

/// What [`look`] found.
pub(crate) struct Looked {
    pub version: String,
    pub node_count: Option<u32>,
    pub nodes_hidden: Option<String>,
    pub identity: KubeIdentity,
}

/// Version, identity and nodes of the cluster `client` talks to. The
/// identity is asked first: it needs credentials (`/version` does not), so
/// a 401 is found there.
pub(crate) async fn look(
    client: &kube::Client,
    target: &Target<'_>,
    on_unauthorized: impl Fn(String) -> ConnectError,
) -> Result<Looked, ConnectError> {
    let reviews: Api<SelfSubjectReview> = Api::all(client.clone());
    let review = reviews
        .create(&PostParams::default(), &SelfSubjectReview::default())
        .await
        .map_err(|e| classify(e, target, &on_unauthorized))?;
    let user = review.status.and_then(|s| s.user_info).unwrap_or_default();
    let identity = KubeIdentity {
        username: user.username.unwrap_or_default(),
        groups: user.groups.unwrap_or_default(),
        iam_arn: None,
    };
    let version = client
        .apiserver_version()
        .await
        .map_err(|e| classify(e, target, &on_unauthorized))?
        .git_version;
    let (count, hidden) = match count_nodes(client).await {
        Ok(n) => (Some(n), None),
        Err(kube::Error::Api(status)) if status.code == 403 => (None, Some(status.message)),
        Err(e) => return Err(classify(e, target, &on_unauthorized)),
    };
    Ok(Looked {
        version,
        node_count: count,
        nodes_hidden: hidden,
        identity,
    })
}

/// Nodes counted page by page.
async fn count_nodes(client: &kube::Client) -> Result<u32, kube::Error> {
    let nodes: Api<Node> = Api::all(client.clone());
    let mut params = ListParams::default().limit(500);
    let mut count = 0u32;
    loop {
        let page = nodes.list(&params).await?;
        count = count.saturating_add(u32::try_from(page.items.len()).unwrap_or(u32::MAX));
        match page.metadata.continue_ {
            Some(next) if !next.is_empty() => params = params.continue_token(&next),
            _ => return Ok(count),
        }
    }
}

//! kube-rs clients: for an EKS cluster from its endpoint and CA (as
//! DescribeCluster gives them) with an in-process EKS token that is
//! renewed before it goes stale, and for a kubeconfig context as kubectl
//! would use it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, NamedAuthInfo, NamedCluster,
    NamedContext,
};
use tokio::sync::Mutex;

use super::connect_error::ConnectError;
use super::eks_token::{eks_token, EksToken, TokenError};
use crate::aws::AwsSession;

/// How long to wait for the TCP and TLS handshake: a private endpoint seen
/// from outside its VPC never answers.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest silence a connection may keep: watches are restarted by the
/// server every minute (and carry bookmarks in between), so a read that
/// waits longer is on a connection that was dropped without a word.
pub const READ_TIMEOUT: Duration = Duration::from_secs(75);

/// An API server: its URL and the CA that signed its certificate
/// (base64 of the PEM, as DescribeCluster and kubeconfig files hold it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiServer {
    pub url: String,
    pub ca_data: String,
}

/// EKS tokens for one cluster, made on first use and made again when the
/// last one is about to expire, so that a client (and a watch that
/// reconnects through it) keeps working past the 15 minutes of a token.
#[derive(Clone)]
pub struct TokenSource {
    session: AwsSession,
    cluster: String,
    current: Arc<Mutex<Option<EksToken>>>,
    minted: Arc<AtomicU32>,
}

impl TokenSource {
    pub fn new(session: AwsSession, cluster: &str) -> Self {
        Self {
            session,
            cluster: cluster.to_string(),
            current: Arc::new(Mutex::new(None)),
            minted: Arc::new(AtomicU32::new(0)),
        }
    }

    /// A token valid for at least another minute.
    pub async fn token(&self) -> Result<EksToken, TokenError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| !t.is_stale(SystemTime::now())) {
            return Ok(token.clone());
        }
        let fresh = eks_token(&self.session, &self.cluster).await?;
        tracing::debug!(cluster = %self.cluster, expires = ?fresh.expires_at, "new EKS token");
        *current = Some(fresh.clone());
        self.minted.fetch_add(1, Ordering::Relaxed);
        Ok(fresh)
    }

    /// How many tokens were signed so far.
    pub fn minted(&self) -> u32 {
        self.minted.load(Ordering::Relaxed)
    }

    /// Drops the current token: the next request signs a new one, as it
    /// would 14 minutes later (what renewal tests use instead of waiting).
    pub async fn expire_now(&self) {
        *self.current.lock().await = None;
    }
}

/// A kubeconfig holding only `server` (and no user), so that kube-rs reads
/// the CA and the URL exactly as it reads them from a file.
fn server_only(server: &ApiServer) -> Kubeconfig {
    Kubeconfig {
        clusters: vec![NamedCluster {
            name: "eks".into(),
            cluster: Some(Cluster {
                server: Some(server.url.clone()),
                certificate_authority_data: Some(server.ca_data.clone()),
                ..Default::default()
            }),
            other: Default::default(),
        }],
        contexts: vec![NamedContext {
            name: "eks".into(),
            context: Some(Context {
                cluster: "eks".into(),
                user: Some("eks".into()),
                ..Default::default()
            }),
            other: Default::default(),
        }],
        auth_infos: vec![NamedAuthInfo {
            name: "eks".into(),
            auth_info: Some(AuthInfo::default()),
            other: Default::default(),
        }],
        current_context: Some("eks".into()),
        ..Default::default()
    }
}

fn config_error(server: &str, err: impl std::fmt::Display) -> ConnectError {
    ConnectError::Unreachable {
        endpoint: server.to_string(),
        reason: format!("the connection could not be set up: {err}"),
    }
}

/// A client for `server` whose every request carries a current token of
/// `tokens` (kube's own stack, with one layer in front setting the
/// Authorization header; the header is marked sensitive so that no debug
/// output shows it).
pub async fn eks_client(
    server: &ApiServer,
    tokens: TokenSource,
) -> Result<kube::Client, ConnectError> {
    let mut config =
        kube::Config::from_custom_kubeconfig(server_only(server), &KubeConfigOptions::default())
            .await
            .map_err(|e| config_error(&server.url, e))?;
    config.connect_timeout = Some(CONNECT_TIMEOUT);
    config.read_timeout = Some(READ_TIMEOUT);
    let builder =
        kube::client::ClientBuilder::try_from(config).map_err(|e| config_error(&server.url, e))?;
    let layer = tower::filter::AsyncFilterLayer::new(
        move |mut request: http::Request<kube::client::Body>| {
            let tokens = tokens.clone();
            async move {
                let token = tokens.token().await?;
                let mut value = http::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|e| TokenError::Signing(e.to_string()))?;
                value.set_sensitive(true);
                request
                    .headers_mut()
                    .insert(http::header::AUTHORIZATION, value);
                Ok::<_, TokenError>(request)
            }
        },
    );
    // The filter clones the service under it for each request: a buffer
    // (as kube's own client has) makes kube's stack cloneable.
    let buffer = tower::buffer::BufferLayer::<http::Request<kube::client::Body>>::new(1024);
    Ok(builder.with_layer(&buffer).with_layer(&layer).build())
}

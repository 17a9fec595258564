//! A connected cluster's live data: one kube-runtime watcher per kind in
//! view (with backoff), feeding row stores that live in Rust. Views ask
//! for windows of rows; a watch channel says when the stores changed and
//! how each watch is doing (live, reconnecting since when, forbidden).

use std::sync::{Arc, RwLock};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Node, Pod};
use kube::runtime::watcher::{self, watcher};
use kube::runtime::WatchStreamExt;
use kube::Api;
use serde::Serialize;
use specta::Type;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::label_selector::SelectorError;
use super::node_row::NodeRow;
use super::pod_query::{pod_window, PodQuery, PodWindow};
use super::pod_row::PodRow;
use super::row_store::{Row, RowStore};
use super::summary::{self, NodeCard, Overview};

/// How one watch is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Connection {
    /// The first list has not arrived yet.
    Connecting,
    Live,
    /// The watch broke; the rows are those of `since` (RFC 3339) until it
    /// is back.
    Reconnecting {
        since: String,
        reason: String,
    },
    /// Kubernetes denied the list or watch; Kubernetes' words.
    Forbidden {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KindState {
    pub connection: Connection,
    /// Changes so far: a view whose rows are older asks again.
    pub version: u32,
    pub count: u32,
}

impl Default for KindState {
    fn default() -> Self {
        Self {
            connection: Connection::Connecting,
            version: 0,
            count: 0,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LiveState {
    pub pods: KindState,
    pub nodes: KindState,
}

type Shared<R> = Arc<RwLock<RowStore<R>>>;

/// How watches are run.
#[derive(Debug, Clone, Copy)]
pub struct LiveOptions {
    /// The server ends each watch after this long and it is started again
    /// from where it was (cheap); so a healthy watch never stays silent
    /// longer, and the client's read timeout (a little longer) notices a
    /// silently dropped connection.
    pub watch_timeout: std::time::Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        Self {
            watch_timeout: std::time::Duration::from_secs(60),
        }
    }
}

/// The live stores of one connection; watchers stop when it is dropped.
pub struct LiveCluster {
    pods: Shared<PodRow>,
    nodes: Shared<NodeRow>,
    state: Arc<watch::Sender<LiveState>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for LiveCluster {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Which kind a watch feeds, to update its part of the state.
#[derive(Clone, Copy)]
enum Kind {
    Pods,
    Nodes,
}

fn update(state: &watch::Sender<LiveState>, kind: Kind, f: impl FnOnce(&mut KindState)) {
    state.send_modify(|s| match kind {
        Kind::Pods => f(&mut s.pods),
        Kind::Nodes => f(&mut s.nodes),
    });
}

/// Follows one kind into its store until aborted.
async fn follow<R>(
    api: Api<R::Object>,
    store: Shared<R>,
    state: Arc<watch::Sender<LiveState>>,
    kind: Kind,
    options: LiveOptions,
) where
    R: Row,
    R::Object:
        kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    let config = watcher::Config::default().page_size(500).timeout(
        u32::try_from(options.watch_timeout.as_secs())
            .unwrap_or(60)
            .max(1),
    );
    let mut events = std::pin::pin!(watcher(api, config).default_backoff());
    while let Some(event) = events.next().await {
        match event {
            Ok(event) => {
                let (version, count) = {
                    let mut store = store.write().unwrap_or_else(|e| e.into_inner());
                    store.apply(&event);
                    (store.version(), store.len())
                };
                let settled = !matches!(event, watcher::Event::Init | watcher::Event::InitApply(_));
                update(&state, kind, |k| {
                    k.version = version;
                    k.count = u32::try_from(count).unwrap_or(u32::MAX);
                    if settled {
                        k.connection = Connection::Live;
                    }
                });
            }
            Err(err) => {
                let connection = match &err {
                    watcher::Error::InitialListFailed(kube::Error::Api(s))
                    | watcher::Error::WatchStartFailed(kube::Error::Api(s))
                        if s.code == 403 =>
                    {
                        Connection::Forbidden {
                            message: s.message.clone(),
                        }
                    }
                    other => Connection::Reconnecting {
                        since: crate::timestamps::now_rfc3339(),
                        reason: other.to_string(),
                    },
                };
                tracing::debug!(error = %err, "watch interrupted");
                update(&state, kind, |k| {
                    // Keep the first moment the rows went stale.
                    k.connection = match (&k.connection, connection) {
                        (
                            Connection::Reconnecting { since, .. },
                            Connection::Reconnecting { reason, .. },
                        ) => Connection::Reconnecting {
                            since: since.clone(),
                            reason,
                        },
                        (_, next) => next,
                    };
                });
            }
        }
    }
}

impl LiveCluster {
    /// Starts watching pods and nodes through `client`.
    pub fn start(client: kube::Client) -> Self {
        Self::start_with(client, LiveOptions::default())
    }

    pub fn start_with(client: kube::Client, options: LiveOptions) -> Self {
        let pods: Shared<PodRow> = Arc::default();
        let nodes: Shared<NodeRow> = Arc::default();
        let state = Arc::new(watch::Sender::new(LiveState::default()));
        let tasks = vec![
            tokio::spawn(follow::<PodRow>(
                Api::<Pod>::all(client.clone()),
                pods.clone(),
                state.clone(),
                Kind::Pods,
                options,
            )),
            tokio::spawn(follow::<NodeRow>(
                Api::<Node>::all(client),
                nodes.clone(),
                state.clone(),
                Kind::Nodes,
                options,
            )),
        ];
        Self {
            pods,
            nodes,
            state,
            tasks,
        }
    }

    /// The state now, and every change after.
    pub fn subscribe(&self) -> watch::Receiver<LiveState> {
        self.state.subscribe()
    }

    pub fn state(&self) -> LiveState {
        self.state.borrow().clone()
    }

    pub fn pods(&self, query: &PodQuery) -> Result<PodWindow, SelectorError> {
        pod_window(&self.pods.read().unwrap_or_else(|e| e.into_inner()), query)
    }

    /// Every pod row (for tests and counts).
    pub fn pod_rows(&self) -> Vec<PodRow> {
        let store = self.pods.read().unwrap_or_else(|e| e.into_inner());
        store.rows().cloned().collect()
    }

    pub fn node_rows(&self) -> Vec<NodeRow> {
        let store = self.nodes.read().unwrap_or_else(|e| e.into_inner());
        store.rows().cloned().collect()
    }

    /// The overview's counts.
    pub fn overview(&self) -> Overview {
        let nodes = self.node_rows();
        let pods = self.pods.read().unwrap_or_else(|e| e.into_inner());
        summary::overview(&nodes, pods.rows())
    }

    /// The node map's cards.
    pub fn node_cards(&self) -> Vec<NodeCard> {
        let nodes = self.node_rows();
        let pods = self.pods.read().unwrap_or_else(|e| e.into_inner());
        summary::node_cards(&nodes, pods.rows())
    }
}

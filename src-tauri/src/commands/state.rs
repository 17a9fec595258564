//! What the commands share for the life of the window.

use crate::aws::Sessions;
use crate::connect::SimulatedApi;
use crate::provision::Runs;
use crate::spec::lookup::FactsCache;
use crate::spec::store::SpecStore;

/// State shared by all commands.
pub struct AppState {
    pub sessions: Sessions,
    pub facts: FactsCache,
    pub specs: SpecStore,
    /// Journals in `<app data>/journals`, and the runs going on (spec id →
    /// its cancel), one per spec at a time.
    pub runs: Runs,
    /// Local mode's simulated Kubernetes API (emulator clusters only).
    pub simulated_api: Option<SimulatedApi>,
    /// Opened clusters (`eks:<name>` or `context:<name>`), for their views.
    pub connections: tokio::sync::Mutex<std::collections::HashMap<String, kube::Client>>,
    /// The live views of opened clusters, by connection.
    pub live: tokio::sync::Mutex<
        std::collections::HashMap<String, std::sync::Arc<crate::workloads::LiveCluster>>,
    >,
}

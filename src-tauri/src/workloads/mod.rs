//! What runs on a connected cluster, live: watchers feeding row stores in
//! Rust, pruned rows for the views, queries answered over the stores.

pub mod cluster_lists;
pub mod controllers;
pub mod label_selector;
pub mod live;
pub mod node_detail;
pub mod node_row;
pub mod pod_detail;
pub mod pod_logs;
pub mod pod_query;
pub mod pod_row;
pub mod quantity;
pub mod row_store;
pub mod summary;
pub mod visible_text;
pub mod workload_error;

pub use cluster_lists::{events, namespaces, EventQuery};
pub use controllers::{
    controllers, rollout_restart, scale, ControllerKind, ControllerRow, Controllers,
    RestartRequest, ScaleRequest,
};
pub use live::{Connection, KindState, LiveCluster, LiveOptions, LiveState};
pub use node_detail::{node_detail, NodeDetail};
pub use pod_detail::{delete_pod, pod_detail, DeletePodRequest, PodDetail, PodRef};
pub use pod_logs::{stream_logs, LogEnd, LogRequest};
pub use pod_query::{PodColumn, PodQuery, PodWindow, StatusFilter};
pub use pod_row::{PodPhase, PodRow};
pub use summary::{NodeCard, Overview, PodStates};
pub use workload_error::WorkloadError;

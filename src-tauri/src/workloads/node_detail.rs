//! One node in full, for its side panel: labels, annotations, conditions
//! with their messages, addresses, and its events (its pods come from the
//! live store, through the pods query's node filter).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, Node};
use kube::api::ListParams;
use kube::Api;
use serde::Serialize;
use specta::Type;

use super::node_row::NodeRow;
use super::pod_detail::{event_row, sort_events, ConditionRow, EventRow};
use super::visible_text::visible;
use super::workload_error::{from_kube, WorkloadError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeAddress {
    /// `InternalIP`, `Hostname`, `InternalDNS`…
    pub kind: String,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeDetail {
    pub row: NodeRow,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub conditions: Vec<ConditionRow>,
    pub addresses: Vec<NodeAddress>,
    /// `arm64`, `amd64`.
    pub architecture: Option<String>,
    pub os_image: Option<String>,
    pub container_runtime: Option<String>,
    /// Warnings first, then the newest.
    pub events: Vec<EventRow>,
}

pub async fn node_detail(client: &kube::Client, name: &str) -> Result<NodeDetail, WorkloadError> {
    let what = format!("node {name}");
    let node = Api::<Node>::all(client.clone())
        .get(name)
        .await
        .map_err(|e| from_kube(e, &what))?;
    let selector = format!("involvedObject.kind=Node,involvedObject.name={name}");
    let mut events: Vec<EventRow> = Api::<Event>::all(client.clone())
        .list(&ListParams::default().fields(&selector))
        .await
        .map_err(|e| from_kube(e, &what))?
        .items
        .iter()
        .map(event_row)
        .collect();
    sort_events(&mut events);
    let status = node.status.clone().unwrap_or_default();
    let info = status.node_info.clone();
    Ok(NodeDetail {
        row: NodeRow::of(&node),
        labels: node.metadata.labels.clone().unwrap_or_default(),
        annotations: node
            .metadata
            .annotations
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, visible(&v)))
            .collect(),
        conditions: status
            .conditions
            .iter()
            .flatten()
            .map(|c| ConditionRow {
                kind: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
            .collect(),
        addresses: status
            .addresses
            .iter()
            .flatten()
            .map(|a| NodeAddress {
                kind: a.type_.clone(),
                address: a.address.clone(),
            })
            .collect(),
        architecture: info.as_ref().map(|i| i.architecture.clone()),
        os_image: info.as_ref().map(|i| i.os_image.clone()),
        container_runtime: info.as_ref().map(|i| i.container_runtime_version.clone()),
        events,
    })
}

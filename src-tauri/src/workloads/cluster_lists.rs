//! Small lists the views need on demand: the namespaces, and events
//! (warnings first, newest first), optionally of one namespace or object.

use k8s_openapi::api::core::v1::{Event, Namespace};
use kube::api::ListParams;
use kube::Api;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::pod_detail::{event_row, sort_events, EventRow};
use super::workload_error::{from_kube, WorkloadError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NamespaceRow {
    pub name: String,
    /// Being deleted.
    pub terminating: bool,
}

pub async fn namespaces(client: &kube::Client) -> Result<Vec<NamespaceRow>, WorkloadError> {
    let list = Api::<Namespace>::all(client.clone())
        .list(&ListParams::default())
        .await
        .map_err(|e| from_kube(e, "namespaces"))?;
    let mut rows: Vec<NamespaceRow> = list
        .items
        .into_iter()
        .map(|n| NamespaceRow {
            terminating: n.status.and_then(|s| s.phase).as_deref() == Some("Terminating"),
            name: n.metadata.name.unwrap_or_default(),
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase", default)]
pub struct EventQuery {
    pub namespace: Option<String>,
    /// `Pod`, `Node`, `Deployment`…, with `object_name`.
    pub object_kind: Option<String>,
    pub object_name: Option<String>,
    pub warnings_only: bool,
}

/// The field selector for `query`, as the API server takes it.
fn selector(query: &EventQuery) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = &query.object_kind {
        parts.push(format!("involvedObject.kind={kind}"));
    }
    if let Some(name) = &query.object_name {
        parts.push(format!("involvedObject.name={name}"));
    }
    if query.warnings_only {
        parts.push("type=Warning".to_string());
    }
    parts.join(",")
}

/// At most this many events come back (the newest, warnings first).
pub const MAX_EVENTS: usize = 2000;

pub async fn events(
    client: &kube::Client,
    query: &EventQuery,
) -> Result<Vec<EventRow>, WorkloadError> {
    let api: Api<Event> = match &query.namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let fields = selector(query);
    let mut params = ListParams::default();
    if !fields.is_empty() {
        params = params.fields(&fields);
    }
    let list = api
        .list(&params)
        .await
        .map_err(|e| from_kube(e, "events"))?;
    let mut rows: Vec<EventRow> = list.items.iter().map(event_row).collect();
    sort_events(&mut rows);
    rows.truncate(MAX_EVENTS);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_selector_names_the_object_and_the_type() {
        assert_eq!(selector(&EventQuery::default()), "");
        let q = EventQuery {
            object_kind: Some("Pod".into()),
            object_name: Some("web-1".into()),
            warnings_only: true,
            ..Default::default()
        };
        assert_eq!(
            selector(&q),
            "involvedObject.kind=Pod,involvedObject.name=web-1,type=Warning"
        );
    }
}

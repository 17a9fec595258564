//! One pod in full, for its detail page: its containers (image, state,
//! restarts, the last termination's reason and exit code), conditions,
//! labels and annotations, its events, and its YAML with managedFields
//! left out (they are noise to a reader and can be megabytes).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Event, Pod};
use kube::api::{DeleteParams, ListParams};
use kube::Api;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::pod_row::PodRow;
use super::workload_error::{from_kube, WorkloadError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Termination {
    pub reason: Option<String>,
    pub exit_code: i32,
    pub finished: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDetail {
    pub name: String,
    pub image: String,
    /// An init container (or a sidecar started as one).
    pub init: bool,
    /// `running`, `waiting: <reason>`, `terminated: <reason>`, or `unknown`.
    pub state: String,
    pub ready: bool,
    pub restarts: u32,
    pub last_termination: Option<Termination>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConditionRow {
    pub kind: String,
    pub status: String,
    pub reason: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EventRow {
    /// `Normal` or `Warning`.
    pub kind: String,
    pub reason: String,
    pub message: String,
    pub count: u32,
    /// RFC 3339.
    pub last_seen: Option<String>,
    pub object_kind: String,
    pub object_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PodDetail {
    pub row: PodRow,
    pub containers: Vec<ContainerDetail>,
    pub conditions: Vec<ConditionRow>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// Warnings first, then the newest.
    pub events: Vec<EventRow>,
    pub yaml: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PodRef {
    pub namespace: String,
    pub name: String,
}

fn state_text(status: Option<&ContainerStatus>) -> String {
    let Some(state) = status.and_then(|s| s.state.as_ref()) else {
        return "unknown".into();
    };
    if state.running.is_some() {
        "running".into()
    } else if let Some(w) = &state.waiting {
        format!("waiting: {}", w.reason.clone().unwrap_or_default())
    } else if let Some(t) = &state.terminated {
        format!(
            "terminated: {}",
            t.reason
                .clone()
                .unwrap_or_else(|| format!("exit code {}", t.exit_code))
        )
    } else {
        "unknown".into()
    }
}

fn containers(pod: &Pod) -> Vec<ContainerDetail> {
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let find = |statuses: &Option<Vec<ContainerStatus>>, name: &str| {
        statuses.iter().flatten().find(|s| s.name == name).cloned()
    };
    let one = |c: &k8s_openapi::api::core::v1::Container, init: bool| {
        let s = find(
            if init {
                &status.init_container_statuses
            } else {
                &status.container_statuses
            },
            &c.name,
        );
        ContainerDetail {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            init,
            state: state_text(s.as_ref()),
            ready: s.as_ref().is_some_and(|s| s.ready),
            restarts: s.as_ref().map_or(0, |s| s.restart_count.max(0) as u32),
            last_termination: s
                .as_ref()
                .and_then(|s| s.last_state.as_ref()?.terminated.as_ref())
                .map(|t| Termination {
                    reason: t.reason.clone(),
                    exit_code: t.exit_code,
                    finished: t.finished_at.as_ref().map(|f| f.0.to_string()),
                }),
        }
    };
    spec.init_containers
        .iter()
        .flatten()
        .map(|c| one(c, true))
        .chain(spec.containers.iter().map(|c| one(c, false)))
        .collect()
}

pub fn event_row(e: &Event) -> EventRow {
    let last = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()));
    EventRow {
        kind: e.type_.clone().unwrap_or_else(|| "Normal".into()),
        reason: e.reason.clone().unwrap_or_default(),
        message: super::visible_text::visible(&e.message.clone().unwrap_or_default()),
        count: e.count.map_or(1, |c| c.max(0) as u32),
        last_seen: last,
        object_kind: e.involved_object.kind.clone().unwrap_or_default(),
        object_name: e.involved_object.name.clone().unwrap_or_default(),
    }
}

/// Warnings first, newest first within each.
pub fn sort_events(events: &mut [EventRow]) {
    events.sort_by(|a, b| {
        (b.kind == "Warning")
            .cmp(&(a.kind == "Warning"))
            .then_with(|| b.last_seen.cmp(&a.last_seen))
    });
}

/// The pod's YAML without managedFields.
pub fn pod_yaml(pod: &Pod) -> String {
    let mut shown = pod.clone();
    shown.metadata.managed_fields = None;
    serde_saphyr::to_string(&shown).unwrap_or_else(|e| format!("# could not write YAML: {e}\n"))
}

pub async fn pod_detail(client: &kube::Client, pod: &PodRef) -> Result<PodDetail, WorkloadError> {
    let what = format!("pod {}/{}", pod.namespace, pod.name);
    let pods: Api<Pod> = Api::namespaced(client.clone(), &pod.namespace);
    let found = pods.get(&pod.name).await.map_err(|e| from_kube(e, &what))?;
    let events: Api<Event> = Api::namespaced(client.clone(), &pod.namespace);
    let selector = format!("involvedObject.kind=Pod,involvedObject.name={}", pod.name);
    let mut events: Vec<EventRow> = events
        .list(&ListParams::default().fields(&selector))
        .await
        .map_err(|e| from_kube(e, &what))?
        .items
        .iter()
        .map(event_row)
        .collect();
    sort_events(&mut events);
    Ok(PodDetail {
        row: PodRow::of(&found),
        containers: containers(&found),
        conditions: found
            .status
            .iter()
            .flat_map(|s| s.conditions.iter().flatten())
            .map(|c| ConditionRow {
                kind: c.type_.clone(),
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: c.message.clone(),
            })
            .collect(),
        labels: found.metadata.labels.clone().unwrap_or_default(),
        annotations: found
            .metadata
            .annotations
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, super::visible_text::visible(&v)))
            .collect(),
        events,
        yaml: pod_yaml(&found),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DeletePodRequest {
    pub pod: PodRef,
    /// The user confirmed in the dialog.
    pub confirmed: bool,
}

/// Deletes the pod (gracefully; its controller makes another).
pub async fn delete_pod(
    client: &kube::Client,
    request: &DeletePodRequest,
) -> Result<(), WorkloadError> {
    if !request.confirmed {
        return Err(WorkloadError::Invalid {
            field: "confirmed",
            message: format!(
                "Deleting pod {}/{} needs your confirmation",
                request.pod.namespace, request.pod.name
            ),
        });
    }
    let what = format!("pod {}/{}", request.pod.namespace, request.pod.name);
    let pods: Api<Pod> = Api::namespaced(client.clone(), &request.pod.namespace);
    pods.delete(&request.pod.name, &DeleteParams::default())
        .await
        .map_err(|e| from_kube(e, &what))?;
    Ok(())
}

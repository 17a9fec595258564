//! A pod as one row of the pods table: only what the table shows, filters
//! and sorts on (never the object itself, its managedFields or its spec),
//! with the STATUS column worked out as `kubectl get pods` works it out.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod};

use super::quantity::{milli, units};
use serde::Serialize;
use specta::Type;

/// The pod's phase, for filters and colours.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, Type,
)]
#[serde(rename_all = "camelCase")]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    fn parse(phase: Option<&str>) -> Self {
        match phase {
            Some("Pending") => PodPhase::Pending,
            Some("Running") => PodPhase::Running,
            Some("Succeeded") => PodPhase::Succeeded,
            Some("Failed") => PodPhase::Failed,
            _ => PodPhase::Unknown,
        }
    }
}

/// What controls the pod (its first controller owner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PodRow {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub ready_containers: u32,
    pub containers: u32,
    /// kubectl's STATUS: `Running`, `CrashLoopBackOff`, `Init:0/2`,
    /// `Terminating`, `Completed`…
    pub status: String,
    pub phase: PodPhase,
    /// Restarts of its containers (init containers while it initialises).
    pub restarts: u32,
    /// RFC 3339.
    pub created: Option<String>,
    pub node: Option<String>,
    pub ip: Option<String>,
    pub owner: Option<Owner>,
    /// Something is wrong: not ready while it should be, failed, crashing.
    pub problem: bool,
    #[serde(skip)]
    pub labels: BTreeMap<String, String>,
    /// Seconds since the epoch, for sorting by age.
    #[serde(skip)]
    pub created_secs: i64,
    /// What its containers request (the node map's bars).
    #[serde(skip)]
    pub cpu_request_milli: u64,
    #[serde(skip)]
    pub memory_request: u64,
}

fn waiting_reason(c: &ContainerStatus) -> Option<&str> {
    c.state
        .as_ref()?
        .waiting
        .as_ref()?
        .reason
        .as_deref()
        .filter(|r| !r.is_empty())
}

/// The reason a terminated container shows: its reason, else its signal
/// or exit code.
fn terminated_text(c: &ContainerStatus, prefix: &str) -> Option<String> {
    let t = c.state.as_ref()?.terminated.as_ref()?;
    Some(match t.reason.as_deref().filter(|r| !r.is_empty()) {
        Some(reason) => format!("{prefix}{reason}"),
        None => match t.signal.filter(|s| *s != 0) {
            Some(signal) => format!("{prefix}Signal:{signal}"),
            None => format!("{prefix}ExitCode:{}", t.exit_code),
        },
    })
}

fn exited_ok(c: &ContainerStatus) -> bool {
    c.state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .is_some_and(|t| t.exit_code == 0)
}

fn condition_true(pod: &Pod, kind: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == kind && c.status == "True"))
}

/// STATUS and RESTARTS as kubectl's pod printer computes them.
fn status_and_restarts(pod: &Pod) -> (String, u32, u32) {
    let status = pod.status.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    let mut reason = status
        .reason
        .clone()
        .filter(|r| !r.is_empty())
        .or_else(|| status.phase.clone())
        .unwrap_or_else(|| "Unknown".into());
    let mut restarts: u32 = 0;
    let mut ready = 0;
    let init_specs = spec.init_containers.unwrap_or_default();
    let mut initializing = false;
    for (i, c) in status.init_container_statuses.iter().flatten().enumerate() {
        restarts = restarts.saturating_add(c.restart_count.max(0) as u32);
        let sidecar = init_specs
            .iter()
            .find(|s| s.name == c.name)
            .is_some_and(|s| s.restart_policy.as_deref() == Some("Always"));
        if exited_ok(c) || (sidecar && c.started == Some(true)) {
            continue;
        }
        initializing = true;
        reason = if let Some(text) = terminated_text(c, "Init:") {
            text
        } else if let Some(waiting) = waiting_reason(c).filter(|r| *r != "PodInitializing") {
            format!("Init:{waiting}")
        } else {
            format!("Init:{i}/{}", init_specs.len())
        };
        break;
    }
    if !initializing || condition_true(pod, "Initialized") {
        restarts = 0;
        let mut running = false;
        for c in status.container_statuses.iter().flatten().rev() {
            restarts = restarts.saturating_add(c.restart_count.max(0) as u32);
            if let Some(waiting) = waiting_reason(c) {
                reason = waiting.to_string();
            } else if let Some(text) = terminated_text(c, "") {
                reason = text;
            } else if c.ready && c.state.as_ref().is_some_and(|s| s.running.is_some()) {
                running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && running {
            reason = if condition_true(pod, "Ready") {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if pod.metadata.deletion_timestamp.is_some() {
        reason = if status.reason.as_deref() == Some("NodeLost") {
            "Unknown".into()
        } else {
            "Terminating".into()
        };
    }
    (reason, restarts, ready)
}

impl PodRow {
    pub fn of(pod: &Pod) -> Self {
        let meta = &pod.metadata;
        let (status, restarts, ready) = status_and_restarts(pod);
        let phase = PodPhase::parse(pod.status.as_ref().and_then(|s| s.phase.as_deref()));
        let containers = pod
            .spec
            .as_ref()
            .map_or(0, |s| u32::try_from(s.containers.len()).unwrap_or(u32::MAX));
        let created = meta.creation_timestamp.as_ref().map(|t| t.0);
        let owner = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true));
        let healthy = matches!(
            status.as_str(),
            "Running" | "Completed" | "Succeeded" | "Pending" | "ContainerCreating" | "Terminating"
        ) || is_init_progress(&status);
        PodRow {
            uid: meta.uid.clone().unwrap_or_default(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            ready_containers: ready,
            containers,
            problem: !healthy || (status == "Running" && ready < containers),
            status,
            phase,
            restarts,
            created: created.map(|t| t.to_string()),
            created_secs: created.map_or(0, |t| t.as_second()),
            node: pod.spec.as_ref().and_then(|s| s.node_name.clone()),
            ip: pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
            owner: owner.map(|o| Owner {
                kind: o.kind.clone(),
                name: o.name.clone(),
            }),
            labels: meta.labels.clone().unwrap_or_default(),
            cpu_request_milli: requested(pod, "cpu", milli),
            memory_request: requested(pod, "memory", units),
        }
    }
}

/// `Init:1/3`: init containers still running in order, nothing wrong.
fn is_init_progress(status: &str) -> bool {
    status
        .strip_prefix("Init:")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(done, all)| {
            !done.is_empty()
                && !all.is_empty()
                && done.chars().all(|c| c.is_ascii_digit())
                && all.chars().all(|c| c.is_ascii_digit())
        })
}

/// The sum of the app containers' requests of `resource` (what the
/// scheduler counts once init containers are done).
fn requested(pod: &Pod, resource: &str, parse: fn(&str) -> Option<u64>) -> u64 {
    pod.spec
        .iter()
        .flat_map(|s| &s.containers)
        .filter_map(|c| c.resources.as_ref()?.requests.as_ref()?.get(resource))
        .filter_map(|q| parse(&q.0))
        .sum()
}

#[cfg(test)]
#[path = "pod_row_tests.rs"]
mod tests;

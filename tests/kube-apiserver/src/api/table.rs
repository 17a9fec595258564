//! Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
//! answers a meta.k8s.io/v1 Table with the columns kubectl shows (READY,
//! STATUS, RESTARTS, AGE for pods...), as kube-apiserver's printers do.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::model::meta::{human_age, now};
use crate::model::object::Object;
use crate::model::pod::{ip_string, Phase, State};
use crate::model::resources::Res;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Include {
    None,
    Metadata,
    Object,
}

/// Whether the Accept header asks for a Table before plain JSON.
pub fn wants_table(accept: &str) -> bool {
    accept.split(',').next().is_some_and(|first| {
        let parts: Vec<&str> = first.split(';').map(str::trim).collect();
        parts.contains(&"as=Table") && parts.contains(&"g=meta.k8s.io")
    })
}

pub fn parse_include(q: Option<&str>) -> Include {
    match q {
        Some("None") => Include::None,
        Some("Object") => Include::Object,
        _ => Include::Metadata,
    }
}

fn col(name: &str, kind: &str, priority: u8, description: &str) -> Value {
    let mut c = json!({"name": name, "type": kind, "format": "", "description": description, "priority": priority});
    if name == "Name" {
        c["format"] = json!("name");
    }
    c
}

pub fn columns(res: Res) -> Vec<Value> {
    let name = col(
        "Name",
        "string",
        0,
        "Name must be unique within a namespace.",
    );
    let age = col("Age", "string", 0, "CreationTimestamp is a timestamp representing the server time when this object was created.");
    match res {
        Res::Pods => vec![
            name,
            col("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic."),
            col("Status", "string", 0, "The aggregate status of the containers in this pod."),
            col("Restarts", "string", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            age,
            col("IP", "string", 1, "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            col("Node", "string", 1, "NodeName is a request to schedule this pod onto a specific node."),
            col("Nominated Node", "string", 1, "nominatedNodeName is set only when this pod preempts other pods on the node."),
            col("Readiness Gates", "string", 1, "If specified, all readiness gates will be evaluated for pod readiness."),
        ],
        Res::Nodes => vec![
            name,
            col("Status", "string", 0, "The status of the node"),
            col("Roles", "string", 0, "The roles of the node"),
            age,
            col("Version", "string", 0, "Kubelet Version reported by the node."),
            col("Internal-IP", "string", 1, "List of addresses reachable to the node."),
            col("External-IP", "string", 1, "List of addresses reachable to the node."),
            col("OS-Image", "string", 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
            col("Kernel-Version", "string", 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
            col("Container-Runtime", "string", 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
        ],
        Res::Deployments => vec![
            name,
            col("Ready", "string", 0, "Number of the pod with ready state"),
            col("Up-to-date", "integer", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            col("Available", "integer", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            age,
        ],
        Res::Namespaces => vec![name, col("Status", "string", 0, "The status of the namespace"), age],
        Res::ReplicaSets => vec![
            name,
            col("Desired", "integer", 0, "Number of desired pods."),
            col("Current", "integer", 0, "Number of actual pods."),
            col("Ready", "integer", 0, "The number of ready replicas for this replica set."),
            age,
        ],
        Res::DaemonSets => vec![
            name,
            col("Desired", "integer", 0, "The total number of nodes that should be running the daemon pod."),
            col("Current", "integer", 0, "The number of nodes that are running at least 1 daemon pod."),
            col("Ready", "integer", 0, "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
            col("Up-to-date", "integer", 0, "The total number of nodes that are running updated daemon pod."),
            col("Available", "integer", 0, "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
            age,
        ],
        Res::StatefulSets => vec![name, col("Ready", "string", 0, "Number of the pod with ready state"), age],
        Res::Jobs => vec![
            name,
            col("Status", "string", 0, "Status of the job."),
            col("Completions", "string", 0, "The desired number of successfully finished pods the job should be run with."),
            age,
        ],
        Res::Events => vec![
            col("Last Seen", "string", 0, "Time of the last occurrence"),
            col("Type", "string", 0, "Type of this event"),
            col("Reason", "string", 0, "Reason why this event was generated"),
            col("Object", "string", 0, "The object that this event is about"),
            col("Message", "string", 0, "A human-readable description of the status of this operation"),
        ],
        _ => vec![name, age],
    }
}

fn pod_status(o: &Object) -> String {
    let Some(p) = o.pod() else {
        return String::new();
    };
    if o.meta.deletion.is_some() {
        return "Terminating".into();
    }
    if p.node.is_none() {
        return "Pending".into();
    }
    let mut reason = p.phase.as_str().to_string();
    for c in p.containers.iter().rev() {
        match &c.state {
            State::Waiting { reason: r, .. } if !r.is_empty() => reason = r.to_string(),
            State::Terminated(t) if p.phase != Phase::Running || !t.reason.is_empty() => {
                reason = t.reason.to_string()
            }
            _ => {}
        }
    }
    if p.phase == Phase::Running
        && p.containers
            .iter()
            .all(|c| matches!(c.state, State::Running { .. }))
    {
        reason = "Running".into();
    }
    reason
}

fn pod_cells(o: &Object) -> Vec<Value> {
    let Some(p) = o.pod() else { return vec![] };
    let ready = p.containers.iter().filter(|c| c.ready).count();
    let restarts = p.restarts();
    let last = p
        .containers
        .iter()
        .filter_map(|c| c.last.as_ref().map(|l| l.finished))
        .max();
    let restarts_cell = match last {
        Some(t) if restarts > 0 => format!("{restarts} ({} ago)", human_age(now() - t)),
        _ => restarts.to_string(),
    };
    vec![
        json!(o.meta.name),
        json!(format!("{ready}/{}", p.containers.len())),
        json!(pod_status(o)),
        json!(restarts_cell),
        json!(human_age(now() - o.meta.created)),
        json!(if p.pod_ip == 0 {
            "<none>".to_string()
        } else {
            ip_string(p.pod_ip)
        }),
        json!(p.node.as_deref().unwrap_or("<none>")),
        json!("<none>"),
        json!("<none>"),
    ]
}

fn node_cells(o: &Object) -> Vec<Value> {
    let Some(n) = o.node() else { return vec![] };
    let mut status = if n.ready {
        "Ready".to_string()
    } else {
        "NotReady".to_string()
    };
    if n.unschedulable {
        status.push_str(",SchedulingDisabled");
    }
    vec![
        json!(o.meta.name),
        json!(status),
        json!("<none>"),
        json!(human_age(now() - o.meta.created)),
        json!(crate::model::node::KUBELET_VERSION),
        json!(ip_string(n.ip)),
        json!("<none>"),
        json!("Amazon Linux 2023.7.20250512"),
        json!("6.1.134-152.225.amzn2023.x86_64"),
        json!("containerd://1.7.27"),
    ]
}

fn num(o: &Object, path: &[&str]) -> u64 {
    o.field(path).and_then(Value::as_u64).unwrap_or(0)
}

fn cells(o: &Object) -> Vec<Value> {
    let age = json!(human_age(now() - o.meta.created));
    match o.res {
        Res::Pods => pod_cells(o),
        Res::Nodes => node_cells(o),
        Res::Deployments => vec![
            json!(o.meta.name),
            json!(format!(
                "{}/{}",
                num(o, &["status", "readyReplicas"]),
                num(o, &["spec", "replicas"])
            )),
            json!(num(o, &["status", "updatedReplicas"])),
            json!(num(o, &["status", "availableReplicas"])),
            age,
        ],
        Res::Namespaces => vec![json!(o.meta.name), json!("Active"), age],
        Res::ReplicaSets => vec![
            json!(o.meta.name),
            json!(num(o, &["spec", "replicas"])),
            json!(num(o, &["status", "replicas"])),
            json!(num(o, &["status", "readyReplicas"])),
            age,
        ],
        Res::DaemonSets => vec![
            json!(o.meta.name),
            json!(num(o, &["status", "desiredNumberScheduled"])),
            json!(num(o, &["status", "currentNumberScheduled"])),
            json!(num(o, &["status", "numberReady"])),
            json!(num(o, &["status", "updatedNumberScheduled"])),
            json!(num(o, &["status", "numberAvailable"])),
            age,
        ],
        Res::StatefulSets => vec![
            json!(o.meta.name),
            json!(format!(
                "{}/{}",
                num(o, &["status", "readyReplicas"]),
                num(o, &["spec", "replicas"])
            )),
            age,
        ],
        Res::Jobs => {
            let ok = num(o, &["status", "succeeded"]);
            let status = if ok > 0 {
                "Complete"
            } else if num(o, &["status", "failed"]) > 0 {
                "Failed"
            } else {
                "Running"
            };
            vec![
                json!(o.meta.name),
                json!(status),
                json!(format!("{ok}/{}", num(o, &["spec", "completions"]).max(1))),
                age,
            ]
        }
        Res::Events => {
            let inv = o.field(&["involvedObject"]).cloned().unwrap_or(Value::Null);
            vec![
                age,
                o.field(&["type"]).cloned().unwrap_or(json!("")),
                o.field(&["reason"]).cloned().unwrap_or(json!("")),
                json!(format!(
                    "{}/{}",
                    inv["kind"].as_str().unwrap_or("").to_lowercase(),
                    inv["name"].as_str().unwrap_or("")
                )),
                o.field(&["message"]).cloned().unwrap_or(json!("")),
            ]
        }
        _ => vec![json!(o.meta.name), age],
    }
}

pub fn row(o: &Object, include: Include) -> Value {
    let mut r = json!({"cells": cells(o)});
    match include {
        Include::None => {}
        Include::Metadata => {
            r["object"] = json!({
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": o.to_json()["metadata"].clone(),
            });
        }
        Include::Object => r["object"] = o.to_json(),
    }
    r
}

pub fn table(
    res: Res,
    items: &[Arc<Object>],
    include: Include,
    list_meta: Value,
    with_columns: bool,
) -> Value {
    let mut t = json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta,
        "rows": items.iter().map(|o| row(o, include)).collect::<Vec<_>>(),
    });
    if with_columns {
        t["columnDefinitions"] = Value::Array(columns(res));
    } else {
        t["columnDefinitions"] = Value::Null;
    }
    t
}

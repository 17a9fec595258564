//! STATUS, READY and RESTARTS as `kubectl get pods` prints them, for the
//! states a pod goes through.

use super::*;
use serde_json::{json, Value};

fn pod(status: Value) -> Pod {
    serde_json::from_value(json!({
        "metadata": {
            "name": "web-1", "namespace": "shop", "uid": "u-1",
            "creationTimestamp": "2026-12-01T10:00:00Z",
            "labels": {"app": "web"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4f", "uid": "r", "controller": true}]
        },
        "spec": {
            "nodeName": "ip-10-0-32-7.ec2.internal",
            "initContainers": [{"name": "migrate"}, {"name": "proxy", "restartPolicy": "Always"}],
            "containers": [{"name": "app"}, {"name": "log"}]
        },
        "status": status
    }))
    .unwrap()
}

fn running(name: &str, ready: bool, restarts: i32) -> Value {
    json!({"name": name, "ready": ready, "restartCount": restarts, "image": "i", "imageID": "",
           "state": {"running": {"startedAt": "2026-12-01T10:00:05Z"}}})
}

fn waiting(name: &str, reason: &str, restarts: i32) -> Value {
    json!({"name": name, "ready": false, "restartCount": restarts, "image": "i", "imageID": "",
           "state": {"waiting": {"reason": reason}}})
}

fn terminated(name: &str, reason: Option<&str>, code: i32, signal: Option<i32>) -> Value {
    let mut t = json!({"exitCode": code});
    if let Some(r) = reason {
        t["reason"] = json!(r);
    }
    if let Some(s) = signal {
        t["signal"] = json!(s);
    }
    json!({"name": name, "ready": false, "restartCount": 0, "image": "i", "imageID": "", "state": {"terminated": t}})
}

fn initialized() -> Value {
    json!([{"type": "Initialized", "status": "True"}])
}

#[test]
fn a_running_pod_has_its_columns() {
    let row = PodRow::of(&pod(json!({
        "phase": "Running", "podIP": "10.0.32.44", "conditions": initialized(),
        "initContainerStatuses": [terminated("migrate", Some("Completed"), 0, None)],
        "containerStatuses": [running("app", true, 2), running("log", true, 1)]
    })));
    assert_eq!(row.status, "Running");
    assert_eq!((row.ready_containers, row.containers), (2, 2));
    assert_eq!(row.restarts, 3);
    assert_eq!(row.phase, PodPhase::Running);
    assert_eq!(row.node.as_deref(), Some("ip-10-0-32-7.ec2.internal"));
    assert_eq!(row.ip.as_deref(), Some("10.0.32.44"));
    assert_eq!(
        row.owner,
        Some(Owner {
            kind: "ReplicaSet".into(),
            name: "web-5d4f".into()
        })
    );
    assert_eq!(row.created.as_deref(), Some("2026-12-01T10:00:00Z"));
    assert!(!row.problem);
    let json = serde_json::to_value(&row).unwrap();
    assert!(
        json.get("labels").is_none(),
        "rows carry no labels to the UI"
    );
}

#[test]
fn a_crashing_container_shows_its_waiting_reason_and_is_a_problem() {
    let row = PodRow::of(&pod(json!({
        "phase": "Running", "conditions": initialized(),
        "containerStatuses": [waiting("app", "CrashLoopBackOff", 7), running("log", true, 0)]
    })));
    assert_eq!(row.status, "CrashLoopBackOff");
    assert_eq!(row.restarts, 7);
    assert_eq!(row.ready_containers, 1);
    assert!(row.problem);
}

#[test]
fn init_containers_show_progress_or_their_failure() {
    let row = PodRow::of(&pod(json!({
        "phase": "Pending",
        "initContainerStatuses": [waiting("migrate", "PodInitializing", 0), waiting("proxy", "PodInitializing", 0)]
    })));
    assert_eq!(row.status, "Init:0/2");
    assert!(!row.problem);

    let row = PodRow::of(&pod(json!({
        "phase": "Pending",
        "initContainerStatuses": [terminated("migrate", None, 3, None)]
    })));
    assert_eq!(row.status, "Init:ExitCode:3");
    assert!(row.problem);

    let row = PodRow::of(&pod(json!({
        "phase": "Pending",
        "initContainerStatuses": [waiting("migrate", "ImagePullBackOff", 0)]
    })));
    assert_eq!(row.status, "Init:ImagePullBackOff");
    assert!(row.problem);

    // A sidecar (restartPolicy Always) that started does not hold the pod.
    let mut started = running("proxy", true, 0);
    started["started"] = json!(true);
    let row = PodRow::of(&pod(json!({
        "phase": "Running", "conditions": initialized(),
        "initContainerStatuses": [terminated("migrate", Some("Completed"), 0, None), started],
        "containerStatuses": [running("app", true, 0), running("log", true, 0)]
    })));
    assert_eq!(row.status, "Running");
}

#[test]
fn terminated_containers_show_reason_signal_or_exit_code() {
    let row = PodRow::of(&pod(json!({
        "phase": "Failed", "conditions": initialized(),
        "containerStatuses": [terminated("app", Some("OOMKilled"), 137, None), terminated("log", None, 0, Some(9))]
    })));
    // kubectl walks the containers from the last: the first one wins.
    assert_eq!(row.status, "OOMKilled");
    assert!(row.problem);
    let row = PodRow::of(&pod(json!({
        "phase": "Failed", "conditions": initialized(),
        "containerStatuses": [terminated("app", None, 2, None)]
    })));
    assert_eq!(row.status, "ExitCode:2");
}

#[test]
fn completed_with_a_container_still_running_is_running_or_not_ready() {
    let status = |conditions: Value| {
        json!({
            "phase": "Running", "conditions": conditions,
            "containerStatuses": [running("app", true, 0), terminated("log", Some("Completed"), 0, None)]
        })
    };
    let ready =
        json!([{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}]);
    assert_eq!(PodRow::of(&pod(status(ready))).status, "Running");
    assert_eq!(PodRow::of(&pod(status(initialized()))).status, "NotReady");
}

#[test]
fn a_deleted_pod_is_terminating_or_unknown_on_a_lost_node() {
    let mut p = pod(json!({"phase": "Running"}));
    p.metadata.deletion_timestamp = p.metadata.creation_timestamp.clone();
    assert_eq!(PodRow::of(&p).status, "Terminating");
    let mut lost = pod(json!({"phase": "Running", "reason": "NodeLost"}));
    lost.metadata.deletion_timestamp = lost.metadata.creation_timestamp.clone();
    assert_eq!(PodRow::of(&lost).status, "Unknown");
}

#[test]
fn a_pod_with_a_reason_shows_it() {
    let row = PodRow::of(&pod(json!({"phase": "Failed", "reason": "Evicted"})));
    assert_eq!(row.status, "Evicted");
    assert_eq!(row.phase, PodPhase::Failed);
    assert!(row.problem);
}

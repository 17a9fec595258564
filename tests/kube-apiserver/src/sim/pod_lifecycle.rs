//! A pod's life after creation: graceful deletion, start-up after a
//! moment, and the owner's reaction to both.

use std::sync::Arc;
use std::time::Duration;

use crate::model::meta::{key_of, now};
use crate::model::object::{Body, Object};
use crate::model::pod::{Phase, State};
use crate::model::resources::Res;

use super::cluster::{Cluster, Timer};
use super::workloads::{
    reconcile_daemonset, reconcile_replicaset, reconcile_statefulset, refresh_deployment_status,
};

/// Graceful deletion: the pod gets a deletionTimestamp now and disappears
/// after its grace period (at once with 0). Its controller replaces it.
pub fn delete_pod(c: &mut Cluster, key: &str, grace_seconds: Option<u64>) -> Option<Arc<Object>> {
    let pod = c.store.get(Res::Pods, key).cloned()?;
    if grace_seconds == Some(0) {
        c.store.remove(Res::Pods, key);
        after_pod_removed(c, &pod);
        return Some(pod);
    }
    if pod.meta.deletion.is_some() {
        return Some(pod);
    }
    let mut next = (*pod).clone();
    next.meta.deletion = Some(now() + grace_seconds.unwrap_or(30) as i64);
    let stored = c.store.put(next);
    c.event(
        &stored,
        false,
        "Killing",
        &format!(
            "Stopping container {}",
            stored
                .pod()
                .and_then(|p| p.containers.first())
                .map(|c| c.name.to_string())
                .unwrap_or_default()
        ),
        "kubelet",
    );
    // A kubelet stops a well-behaved container well within its grace period.
    let wait = Duration::from_millis(grace_seconds.unwrap_or(1).clamp(1, 1) * 700);
    c.schedule(wait, Timer::FinishDeletion(key.to_string(), pod.meta.uid));
    owner_changed(c, &stored);
    Some(stored)
}

fn after_pod_removed(c: &mut Cluster, pod: &Object) {
    owner_changed(c, pod);
}

/// Lets the pod's controller react: replace, or refresh its status.
pub fn owner_changed(c: &mut Cluster, pod: &Object) {
    let Some(owner) = pod.meta.owner.clone() else {
        return;
    };
    let key = key_of(&pod.meta.namespace, &owner.name);
    match owner.kind {
        "ReplicaSet" => {
            reconcile_replicaset(c, &key);
            let deploy = c
                .store
                .get(Res::ReplicaSets, &key)
                .and_then(|rs| rs.meta.owner.clone());
            if let Some(d) = deploy {
                refresh_deployment_status(c, &key_of(&pod.meta.namespace, &d.name));
            }
        }
        "StatefulSet" => reconcile_statefulset(c, &key),
        "DaemonSet" => reconcile_daemonset(c, &key),
        _ => {}
    }
}

pub fn run_timer(c: &mut Cluster, timer: Timer) {
    match timer {
        Timer::FinishDeletion(key, uid) => {
            if let Some(p) = c.store.get(Res::Pods, &key).cloned() {
                if p.meta.uid == uid {
                    c.store.remove(Res::Pods, &key);
                    after_pod_removed(c, &p);
                }
            }
        }
        Timer::StartPod(key, uid) => {
            let Some(p) = c.store.get(Res::Pods, &key).cloned() else {
                return;
            };
            if p.meta.uid != uid || p.meta.deletion.is_some() {
                return;
            }
            let mut next = (*p).clone();
            let ip = c.next_pod_ip();
            if let Body::Pod(pod) = &mut next.body {
                let t = now();
                pod.phase = Phase::Running;
                if pod.pod_ip == 0 {
                    pod.pod_ip = ip;
                }
                for ct in &mut pod.containers {
                    ct.state = State::Running { started: t };
                    ct.ready = true;
                }
            }
            let stored = c.store.put(next);
            if let Some(ct) = stored.pod().and_then(|p| p.containers.first()).cloned() {
                c.event(
                    &stored,
                    false,
                    "Pulled",
                    &format!(
                        "Container image \"{}\" already present on machine",
                        ct.image
                    ),
                    "kubelet",
                );
                c.event(
                    &stored,
                    false,
                    "Started",
                    &format!("Started container {}", ct.name),
                    "kubelet",
                );
            }
            owner_changed(c, &stored);
        }
    }
}

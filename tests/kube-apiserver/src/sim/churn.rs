//! Pod churn: restarts, label changes, readiness flaps and replacements at
//! a set rate, each one a real store change and so a real watch event.

use std::ops::Bound;
use std::sync::Arc;

use crate::model::meta::now;
use crate::model::object::{Body, Object};
use crate::model::pod::{Phase, State, Terminated};
use crate::model::resources::Res;

use super::cluster::Cluster;
use super::pod_lifecycle::{delete_pod, owner_changed};

/// The next pod after the churn cursor that churn may touch.
fn next_pod(c: &mut Cluster) -> Option<Arc<Object>> {
    let pods = c.store.map(Res::Pods);
    let after = pods
        .range::<str, _>((Bound::Excluded(c.churn_cursor.as_str()), Bound::Unbounded))
        .chain(pods.iter())
        .take(64)
        .find(|(_, p)| {
            p.meta.deletion.is_none()
                && p.pod().is_some_and(|p| {
                    p.phase == Phase::Running
                        && p.containers
                            .iter()
                            .all(|c| matches!(c.state, State::Running { .. }))
                })
        })
        .map(|(k, p)| (k.clone(), p.clone()));
    let (key, pod) = after?;
    c.churn_cursor = key;
    Some(pod)
}

/// One update; `n` picks which kind, so the mix is the same at every run.
pub fn churn_once(c: &mut Cluster, n: u64) {
    let Some(pod) = next_pod(c) else { return };
    let owner_kind = pod.meta.owner.as_ref().map(|o| o.kind).unwrap_or("");
    let mut next = (*pod).clone();
    let t = now();
    match n % 10 {
        0..=2 => {
            if let Body::Pod(p) = &mut next.body {
                if let Some(ct) = p.containers.first_mut() {
                    let started = match ct.state {
                        State::Running { started } => started,
                        _ => t,
                    };
                    let oom = n.is_multiple_of(3);
                    ct.restarts += 1;
                    ct.last = Some(Terminated {
                        reason: Arc::from(if oom { "OOMKilled" } else { "Error" }),
                        exit_code: if oom { 137 } else { 1 },
                        started,
                        finished: t,
                    });
                    ct.state = State::Running { started: t };
                }
            }
            let stored = c.store.put(next);
            let name = stored
                .pod()
                .and_then(|p| p.containers.first())
                .map(|c| c.name.to_string())
                .unwrap_or_default();
            c.event(
                &stored,
                true,
                "BackOff",
                &format!(
                    "Back-off restarting failed container {name} in pod {}",
                    stored.meta.name
                ),
                "kubelet",
            );
        }
        3..=5 => {
            next.meta
                .set_label("sim.eks-desk.dev/revision", &n.to_string());
            c.store.put(next);
        }
        6 | 7 => {
            if let Body::Pod(p) = &mut next.body {
                if let Some(ct) = p.containers.first_mut() {
                    ct.ready = !ct.ready;
                }
            }
            let stored = c.store.put(next);
            if stored.pod().is_some_and(|p| !p.ready()) {
                c.event(
                    &stored,
                    true,
                    "Unhealthy",
                    "Readiness probe failed: HTTP probe failed with statuscode: 503",
                    "kubelet",
                );
            }
            owner_changed(c, &stored);
        }
        _ => {
            if owner_kind == "ReplicaSet" {
                delete_pod(c, &pod.meta.key(), Some(1));
            } else {
                next.meta
                    .set_label("sim.eks-desk.dev/revision", &n.to_string());
                c.store.put(next);
            }
        }
    }
}

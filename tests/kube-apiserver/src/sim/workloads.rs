//! The workload controllers, reduced to what a client can observe:
//! Deployments own one ReplicaSet per pod template, ReplicaSets and
//! StatefulSets keep their replica count of pods, DaemonSets one pod per
//! node. They run synchronously after each change, inside the store lock.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::model::meta::{key_of, now, suffix, Labels, Meta, OwnerRef};
use crate::model::object::{Body, Object};
use crate::model::resources::Res;

use super::cluster::Cluster;

use super::pod_lifecycle::delete_pod;
use super::pod_templates::{create_pod, template_hash, PodPlan, Template};

fn owned_pods(
    c: &Cluster,
    namespace: &str,
    prefix_name: &str,
    owner_uid: u128,
) -> Vec<Arc<Object>> {
    let prefix = key_of(namespace, prefix_name);
    c.store
        .map(Res::Pods)
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(_, o)| o.meta.owner.as_ref().is_some_and(|w| w.uid == owner_uid))
        .map(|(_, o)| o.clone())
        .collect()
}

fn replicas(obj: &Object) -> u64 {
    obj.field(&["spec", "replicas"])
        .and_then(Value::as_u64)
        .unwrap_or(1)
}

fn owner_ref(obj: &Object) -> OwnerRef {
    OwnerRef {
        api_version: obj.res.api_version(),
        kind: obj.res.info().kind,
        name: obj.meta.name.clone(),
        uid: obj.meta.uid,
    }
}

/// Sets `status` on a JSON-bodied object, writing only when it changed.
fn set_status(c: &mut Cluster, obj: &Arc<Object>, status: Value) {
    if obj.field(&["status"]) == Some(&status) {
        return;
    }
    let mut next = (**obj).clone();
    if let Some(b) = next.json_mut() {
        b.insert("status".into(), status);
    }
    c.store.put(next);
}

fn unique_name(c: &mut Cluster, namespace: &str, base: &str) -> String {
    loop {
        let seed = c.store.new_uid() as u64;
        let name = format!("{base}{}", suffix(seed, 5));
        if c.store.get(Res::Pods, &key_of(namespace, &name)).is_none() {
            return name;
        }
    }
}

pub fn reconcile_replicaset(c: &mut Cluster, key: &str) {
    let Some(rs) = c.store.get(Res::ReplicaSets, key).cloned() else {
        return;
    };
    let crashing = rs
        .meta
        .owner
        .as_ref()
        .is_some_and(|d| c.crashing.contains(&key_of(&rs.meta.namespace, &d.name)));
    let desired = replicas(&rs) as usize;
    let base = format!("{}-", rs.meta.name);
    let pods = owned_pods(c, &rs.meta.namespace, &base, rs.meta.uid);
    let mut active: Vec<Arc<Object>> = pods
        .into_iter()
        .filter(|p| p.meta.deletion.is_none())
        .collect();
    if active.len() < desired {
        let tpl = Template::from_json(rs.field(&["spec", "template"]).unwrap_or(&Value::Null));
        let hash = rs.meta.label("pod-template-hash").unwrap_or("").to_string();
        for _ in active.len()..desired {
            let name = unique_name(c, &rs.meta.namespace, &base);
            let pod = create_pod(
                c,
                PodPlan {
                    namespace: rs.meta.namespace.clone(),
                    name,
                    generate_name: Some(base.clone()),
                    owner: owner_ref(&rs),
                    template: &tpl,
                    extra_labels: if hash.is_empty() {
                        vec![]
                    } else {
                        vec![("pod-template-hash", hash.clone())]
                    },
                    node: None,
                    crashing,
                },
            );
            if !c.instant_start {
                c.event(
                    &rs,
                    false,
                    "SuccessfulCreate",
                    &format!("Created pod: {}", pod.meta.name),
                    "replicaset-controller",
                );
            }
            active.push(pod);
        }
    } else if active.len() > desired {
        // Not-ready pods go first, then the newest, as the ReplicaSet controller ranks them.
        active.sort_by_key(|p| {
            (
                p.pod().is_some_and(|p| p.ready()),
                std::cmp::Reverse(p.meta.created),
            )
        });
        let excess: Vec<Arc<Object>> = active.drain(..active.len() - desired).collect();
        for p in excess {
            delete_pod(c, &p.meta.key(), None);
            c.event(
                &rs,
                false,
                "SuccessfulDelete",
                &format!("Deleted pod: {}", p.meta.name),
                "replicaset-controller",
            );
        }
    }
    refresh_replicaset_status(c, key);
}

fn refresh_replicaset_status(c: &mut Cluster, key: &str) {
    let Some(rs) = c.store.get(Res::ReplicaSets, key).cloned() else {
        return;
    };
    let pods = owned_pods(
        c,
        &rs.meta.namespace,
        &format!("{}-", rs.meta.name),
        rs.meta.uid,
    );
    let active: Vec<_> = pods.iter().filter(|p| p.meta.deletion.is_none()).collect();
    let ready = active
        .iter()
        .filter(|p| p.pod().is_some_and(|p| p.ready()))
        .count();
    let mut status = json!({
        "replicas": active.len(),
        "fullyLabeledReplicas": active.len(),
        "observedGeneration": rs.meta.generation,
    });
    if ready > 0 {
        status["readyReplicas"] = json!(ready);
        status["availableReplicas"] = json!(ready);
    }
    set_status(c, &rs, status);
}

/// The Deployment's current ReplicaSet (for its template) is scaled to the
/// Deployment's replicas, older ones to zero.
pub fn reconcile_deployment(c: &mut Cluster, key: &str) {
    let Some(d) = c.store.get(Res::Deployments, key).cloned() else {
        return;
    };
    let template = d
        .field(&["spec", "template"])
        .cloned()
        .unwrap_or(Value::Null);
    let hash = template_hash(&template);
    let rs_name = format!("{}-{hash}", d.meta.name);
    let rs_key = key_of(&d.meta.namespace, &rs_name);
    let desired = replicas(&d);
    let prefix = key_of(&d.meta.namespace, &format!("{}-", d.meta.name));
    let others: Vec<String> = c
        .store
        .map(Res::ReplicaSets)
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter(|(k, o)| {
            **k != rs_key && o.meta.owner.as_ref().is_some_and(|w| w.uid == d.meta.uid)
        })
        .map(|(k, _)| k.clone())
        .collect();
    match c.store.get(Res::ReplicaSets, &rs_key).cloned() {
        Some(rs) if replicas(&rs) == desired => {}
        Some(rs) => {
            let mut next = (*rs).clone();
            next.meta.generation += 1;
            if let Some(b) = next.json_mut() {
                b.insert("spec".into(), json!({"replicas": desired, "selector": d.field(&["spec", "selector"]), "template": rs.field(&["spec", "template"])}));
            }
            c.store.put(next);
            c.event(
                &d,
                false,
                "ScalingReplicaSet",
                &format!(
                    "Scaled replica set {rs_name} from {} to {desired}",
                    replicas(&rs)
                ),
                "deployment-controller",
            );
        }
        None => {
            let mut tpl = template.clone();
            tpl["metadata"]["labels"]["pod-template-hash"] = json!(hash);
            let mut selector = d
                .field(&["spec", "selector"])
                .cloned()
                .unwrap_or(json!({"matchLabels": {}}));
            selector["matchLabels"]["pod-template-hash"] = json!(hash);
            let mut labels: Labels = Template::from_json(&template).labels;
            labels.push((Arc::from("pod-template-hash"), Arc::from(hash.as_str())));
            labels.sort();
            let mut body = Map::new();
            body.insert(
                "spec".into(),
                json!({"replicas": desired, "selector": selector, "template": tpl}),
            );
            body.insert(
                "status".into(),
                json!({"replicas": 0, "observedGeneration": 1}),
            );
            c.store.put(Object {
                res: Res::ReplicaSets,
                meta: Meta {
                    name: rs_name.clone(),
                    namespace: d.meta.namespace.clone(),
                    generation: 1,
                    labels,
                    annotations: vec![
                        (
                            "deployment.kubernetes.io/desired-replicas".into(),
                            desired.to_string(),
                        ),
                        (
                            "deployment.kubernetes.io/max-replicas".into(),
                            (desired + desired.div_ceil(4)).to_string(),
                        ),
                        (
                            "deployment.kubernetes.io/revision".into(),
                            (others.len() + 1).to_string(),
                        ),
                    ],
                    owner: Some(owner_ref(&d)),
                    created: if c.instant_start {
                        d.meta.created
                    } else {
                        now()
                    },
                    ..Meta::default()
                },
                body: Body::Json(body),
            });
            if !c.instant_start {
                c.event(
                    &d,
                    false,
                    "ScalingReplicaSet",
                    &format!("Scaled up replica set {rs_name} from 0 to {desired}"),
                    "deployment-controller",
                );
            }
        }
    }
    reconcile_replicaset(c, &rs_key);
    for old in others {
        if let Some(rs) = c.store.get(Res::ReplicaSets, &old).cloned() {
            if replicas(&rs) > 0 {
                let mut next = (*rs).clone();
                next.meta.generation += 1;
                if let Some(spec) = next.json_mut().and_then(|b| b.get_mut("spec")) {
                    spec["replicas"] = json!(0);
                }
                c.store.put(next);
                c.event(
                    &d,
                    false,
                    "ScalingReplicaSet",
                    &format!(
                        "Scaled down replica set {} from {} to 0",
                        rs.meta.name,
                        replicas(&rs)
                    ),
                    "deployment-controller",
                );
            }
        }
        reconcile_replicaset(c, &old);
    }
    refresh_deployment_status(c, key);
}

pub fn refresh_deployment_status(c: &mut Cluster, key: &str) {
    let Some(d) = c.store.get(Res::Deployments, key).cloned() else {
        return;
    };
    let hash = template_hash(d.field(&["spec", "template"]).unwrap_or(&Value::Null));
    let prefix = key_of(&d.meta.namespace, &format!("{}-", d.meta.name));
    let pods = owned_pods_of_deployment(c, &d, &prefix);
    let active: Vec<_> = pods.iter().filter(|p| p.meta.deletion.is_none()).collect();
    let ready = active
        .iter()
        .filter(|p| p.pod().is_some_and(|p| p.ready()))
        .count();
    let updated = active
        .iter()
        .filter(|p| p.meta.label("pod-template-hash") == Some(hash.as_str()))
        .count();
    let desired = replicas(&d) as usize;
    let t = crate::model::meta::rfc3339(d.meta.created);
    let available = ready >= desired;
    let mut status = json!({
        "observedGeneration": d.meta.generation,
        "replicas": active.len(),
        "updatedReplicas": updated,
        "conditions": [
            {"type": "Available", "status": if available { "True" } else { "False" },
             "lastUpdateTime": t, "lastTransitionTime": t,
             "reason": if available { "MinimumReplicasAvailable" } else { "MinimumReplicasUnavailable" },
             "message": if available { "Deployment has minimum availability." } else { "Deployment does not have minimum availability." }},
            {"type": "Progressing", "status": "True", "lastUpdateTime": t, "lastTransitionTime": t,
             "reason": "NewReplicaSetAvailable",
             "message": format!("ReplicaSet \"{}-{hash}\" has successfully progressed.", d.meta.name)},
        ],
    });
    if ready > 0 {
        status["readyReplicas"] = json!(ready);
        status["availableReplicas"] = json!(ready);
    }
    if active.len() > ready {
        status["unavailableReplicas"] = json!(active.len() - ready);
    }
    set_status(c, &d, status);
}

fn owned_pods_of_deployment(c: &Cluster, d: &Object, prefix: &str) -> Vec<Arc<Object>> {
    let rs_uids: Vec<u128> = c
        .store
        .map(Res::ReplicaSets)
        .range(prefix.to_string()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .filter(|(_, o)| o.meta.owner.as_ref().is_some_and(|w| w.uid == d.meta.uid))
        .map(|(_, o)| o.meta.uid)
        .collect();
    c.store
        .map(Res::Pods)
        .range(prefix.to_string()..)
        .take_while(|(k, _)| k.starts_with(prefix))
        .filter(|(_, o)| {
            o.meta
                .owner
                .as_ref()
                .is_some_and(|w| rs_uids.contains(&w.uid))
        })
        .map(|(_, o)| o.clone())
        .collect()
}

pub fn reconcile_statefulset(c: &mut Cluster, key: &str) {
    let Some(s) = c.store.get(Res::StatefulSets, key).cloned() else {
        return;
    };
    let desired = replicas(&s) as usize;
    let tpl = Template::from_json(s.field(&["spec", "template"]).unwrap_or(&Value::Null));
    for ordinal in 0..desired.max(64) {
        let name = format!("{}-{ordinal}", s.meta.name);
        let pkey = key_of(&s.meta.namespace, &name);
        let existing = c.store.get(Res::Pods, &pkey).cloned();
        match existing {
            None if ordinal < desired => {
                create_pod(
                    c,
                    PodPlan {
                        namespace: s.meta.namespace.clone(),
                        name: name.clone(),
                        generate_name: None,
                        owner: owner_ref(&s),
                        template: &tpl,
                        extra_labels: vec![
                            ("apps.kubernetes.io/pod-index", ordinal.to_string()),
                            ("statefulset.kubernetes.io/pod-name", name.clone()),
                        ],
                        node: None,
                        crashing: false,
                    },
                );
            }
            Some(p) if ordinal >= desired && p.meta.deletion.is_none() => {
                delete_pod(c, &pkey, None);
            }
            None if ordinal >= desired => break,
            _ => {}
        }
    }
    let pods: Vec<_> = (0..desired)
        .filter_map(|i| {
            c.store
                .get(
                    Res::Pods,
                    &key_of(&s.meta.namespace, &format!("{}-{i}", s.meta.name)),
                )
                .cloned()
        })
        .collect();
    let ready = pods
        .iter()
        .filter(|p| p.pod().is_some_and(|p| p.ready()))
        .count();
    set_status(
        c,
        &s,
        json!({
            "replicas": pods.len(), "readyReplicas": ready, "currentReplicas": pods.len(),
            "updatedReplicas": pods.len(), "availableReplicas": ready,
            "observedGeneration": s.meta.generation, "collisionCount": 0,
            "currentRevision": format!("{}-{}", s.meta.name, suffix(s.meta.uid as u64, 10)),
            "updateRevision": format!("{}-{}", s.meta.name, suffix(s.meta.uid as u64, 10)),
        }),
    );
}

pub fn reconcile_daemonset(c: &mut Cluster, key: &str) {
    let Some(ds) = c.store.get(Res::DaemonSets, key).cloned() else {
        return;
    };
    let tpl = Template::from_json(ds.field(&["spec", "template"]).unwrap_or(&Value::Null));
    let base = format!("{}-", ds.meta.name);
    let pods = owned_pods(c, &ds.meta.namespace, &base, ds.meta.uid);
    let mut by_node: HashMap<Arc<str>, Arc<Object>> = HashMap::new();
    for p in pods {
        if let Some(n) = p.pod().and_then(|p| p.node.clone()) {
            by_node.insert(n, p);
        }
    }
    let nodes: Vec<(Arc<str>, u32)> = c
        .store
        .map(Res::Nodes)
        .values()
        .filter_map(|o| {
            o.node()
                .map(|n| (Arc::<str>::from(o.meta.name.as_str()), n.ip))
        })
        .collect();
    let hash = suffix(ds.meta.uid as u64, 10);
    for (node, ip) in &nodes {
        if by_node.remove(node).is_none() {
            let name = unique_name(c, &ds.meta.namespace, &base);
            create_pod(
                c,
                PodPlan {
                    namespace: ds.meta.namespace.clone(),
                    name,
                    generate_name: Some(base.clone()),
                    owner: owner_ref(&ds),
                    template: &tpl,
                    extra_labels: vec![
                        ("controller-revision-hash", hash.clone()),
                        ("pod-template-generation", "1".into()),
                    ],
                    node: Some((node.clone(), *ip)),
                    crashing: false,
                },
            );
        }
    }
    // Pods of nodes that left go at once, as when a node object is deleted.
    for (_, p) in by_node {
        c.store.remove(Res::Pods, &p.meta.key());
    }
    let n = nodes.len();
    let ready = owned_pods(c, &ds.meta.namespace, &base, ds.meta.uid)
        .iter()
        .filter(|p| p.pod().is_some_and(|p| p.ready()))
        .count();
    set_status(
        c,
        &ds,
        json!({
            "currentNumberScheduled": n, "desiredNumberScheduled": n, "numberAvailable": ready,
            "numberMisscheduled": 0, "numberReady": ready, "observedGeneration": ds.meta.generation,
            "updatedNumberScheduled": n,
        }),
    );
}

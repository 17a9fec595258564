//! Bulk scale for benchmarks: nodes in extra node groups (some cordoned,
//! tainted or NotReady, as in a big fleet) and pods in "load" Deployments
//! of up to 100 replicas, made through the same controllers as everything
//! else so every pod is a real object with a real watch event.

use serde_json::json;

use crate::model::meta::{key_of, now};
use crate::model::object::Body;
use crate::model::resources::Res;

use super::cluster::Cluster;
use super::pod_lifecycle::owner_changed;
use super::seed::{add_deployment, add_node, workload_template};
use super::workloads::{reconcile_daemonset, reconcile_deployment};

const PER_DEPLOYMENT: u64 = 100;
const LOAD_PREFIX: &str = "load-";

fn is_load_namespace(ns: &str) -> bool {
    ns.starts_with(LOAD_PREFIX)
}

pub fn scale_nodes(c: &mut Cluster, target: usize) {
    let current = c.store.count(Res::Nodes);
    let t = now();
    if target > current {
        for i in current..target {
            let (group, instance) = if i % 2 == 0 {
                ("scale-x86", "m5.xlarge")
            } else {
                ("scale-arm", "t4g.xlarge")
            };
            let name = add_node(c, group, instance, i % 5 == 4, t - 3600);
            // A big fleet always has a few nodes out of the ordinary.
            let special = (i % 53 == 17, i % 71 == 33, i % 89 == 45);
            if special != (false, false, false) {
                if let Some(n) = c.store.get(Res::Nodes, &key_of("", &name)).cloned() {
                    let mut next = (*n).clone();
                    if let Body::Node(node) = &mut next.body {
                        node.unschedulable = special.0;
                        if special.1 {
                            node.taints
                                .push(("dedicated".into(), "gpu".into(), "NoSchedule"));
                        }
                        if special.2 {
                            node.ready = false;
                            node.ready_since = t - 300;
                        }
                    }
                    c.store.put(next);
                }
            }
        }
    } else if target < current {
        // The newest scale nodes go first; the seeded ones stay when possible.
        let mut nodes: Vec<(bool, u32, String)> = c
            .store
            .map(Res::Nodes)
            .values()
            .filter_map(|o| {
                let n = o.node()?;
                Some((n.nodegroup.starts_with("scale-"), n.ip, o.meta.name.clone()))
            })
            .collect();
        nodes.sort();
        let gone: Vec<String> = nodes
            .into_iter()
            .rev()
            .take(current - target)
            .map(|n| n.2)
            .collect();
        for name in &gone {
            c.store.remove(Res::Nodes, &key_of("", name));
        }
        c.nodes_changed();
        let orphans: Vec<_> = c
            .store
            .map(Res::Pods)
            .values()
            .filter(|p| {
                p.pod()
                    .and_then(|p| p.node.as_deref())
                    .is_some_and(|n| gone.iter().any(|g| g == n))
            })
            .filter(|p| p.meta.owner.as_ref().map(|o| o.kind) != Some("DaemonSet"))
            .cloned()
            .collect();
        for p in orphans {
            c.store.remove(Res::Pods, &p.meta.key());
            owner_changed(c, &p);
        }
    }
    c.nodes_changed();
    let daemonsets: Vec<String> = c.store.map(Res::DaemonSets).keys().cloned().collect();
    for ds in daemonsets {
        reconcile_daemonset(c, &ds);
    }
}

/// Makes the cluster hold `target` pods in all, adding or removing load pods.
pub fn scale_pods(c: &mut Cluster, target: usize) {
    let fixed = c
        .store
        .map(Res::Pods)
        .values()
        .filter(|p| !is_load_namespace(&p.meta.namespace))
        .count();
    let mut load = target.saturating_sub(fixed) as u64;
    let mut index = 0u64;
    loop {
        let ns = format!("{LOAD_PREFIX}{}", index / 100);
        let name = format!("load-{index:05}");
        let key = key_of(&ns, &name);
        let want = load.min(PER_DEPLOYMENT);
        load -= want;
        match c.store.get(Res::Deployments, &key).cloned() {
            Some(d) => {
                let have = d
                    .field(&["spec", "replicas"])
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0);
                if have != want {
                    let mut next = (*d).clone();
                    next.meta.generation += 1;
                    if let Some(spec) = next.json_mut().and_then(|b| b.get_mut("spec")) {
                        spec["replicas"] = json!(want);
                    }
                    c.store.put(next);
                    reconcile_deployment(c, &key);
                }
            }
            None if want > 0 => {
                let app = format!("load-{}", index % 20);
                let tpl = workload_template(
                    &app,
                    &[("app", "public.ecr.aws/eks-desk/load:1.0", "10m", "16Mi")],
                    json!({}),
                );
                add_deployment(c, &ns, &name, want, tpl, now() - 7200);
            }
            None => break,
        }
        index += 1;
    }
}

pub fn scale(c: &mut Cluster, nodes: Option<usize>, pods: Option<usize>) {
    let was = c.instant_start;
    c.instant_start = true;
    if let Some(n) = nodes {
        scale_nodes(c, n);
    }
    if let Some(p) = pods {
        scale_pods(c, p);
    }
    c.instant_start = was;
}

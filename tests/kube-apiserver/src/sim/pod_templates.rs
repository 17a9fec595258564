//! Pod templates as workloads carry them, and making a pod from one the
//! way its controller and the scheduler would (node, IP, start-up state).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::model::meta::{now, suffix, Labels, Meta, OwnerRef};
use crate::model::object::{Body, Object};
use crate::model::pod::{Container, Phase, Pod, State, Terminated};
use crate::model::resources::Res;

use super::cluster::{Cluster, Timer};

/// The pod template of a workload, read once per reconcile.
pub struct Template {
    pub labels: Labels,
    pub annotations: Vec<(String, String)>,
    pub containers: Vec<(String, String, u32, u32)>,
    pub service_account: Arc<str>,
    pub system_critical: bool,
}

pub fn parse_cpu(q: &str) -> u32 {
    if let Some(m) = q.strip_suffix('m') {
        m.parse().unwrap_or(0)
    } else {
        q.parse::<f64>().map(|c| (c * 1000.0) as u32).unwrap_or(0)
    }
}

pub fn parse_memory_mi(q: &str) -> u32 {
    let units = [
        ("Ki", 1.0 / 1024.0),
        ("Mi", 1.0),
        ("Gi", 1024.0),
        ("M", 0.953_674),
        ("G", 953.674),
    ];
    for (u, f) in units {
        if let Some(n) = q.strip_suffix(u) {
            return n.parse::<f64>().map(|v| (v * f) as u32).unwrap_or(0);
        }
    }
    q.parse::<f64>()
        .map(|b| (b / 1_048_576.0) as u32)
        .unwrap_or(0)
}

impl Template {
    pub fn from_json(t: &Value) -> Template {
        let labels = t["metadata"]["labels"]
            .as_object()
            .map(|m| {
                let mut l: Labels = m
                    .iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), Arc::from(v.as_str().unwrap_or(""))))
                    .collect();
                l.sort();
                l
            })
            .unwrap_or_default();
        let annotations = t["metadata"]["annotations"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let containers = t["spec"]["containers"]
            .as_array()
            .map(|cs| {
                cs.iter()
                    .map(|c| {
                        let req = &c["resources"]["requests"];
                        (
                            c["name"].as_str().unwrap_or("main").to_string(),
                            c["image"].as_str().unwrap_or("busybox").to_string(),
                            parse_cpu(req["cpu"].as_str().unwrap_or("0")),
                            parse_memory_mi(req["memory"].as_str().unwrap_or("0")),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Template {
            labels,
            annotations,
            containers,
            service_account: Arc::from(
                t["spec"]["serviceAccountName"]
                    .as_str()
                    .unwrap_or("default"),
            ),
            system_critical: t["spec"]["priorityClassName"].as_str()
                == Some("system-node-critical"),
        }
    }

    fn memory_needed(&self) -> u32 {
        self.containers.iter().map(|c| c.3).sum()
    }
}

/// Kubernetes' pod-template-hash: a stable short name for a template.
pub fn template_hash(template: &Value) -> String {
    let digest = Sha256::digest(template.to_string().as_bytes());
    let mut seed = 0u64;
    for b in &digest[..8] {
        seed = (seed << 8) | *b as u64;
    }
    suffix(seed, 10)
}

pub struct PodPlan<'a> {
    pub namespace: Arc<str>,
    pub name: String,
    pub generate_name: Option<String>,
    pub owner: OwnerRef,
    pub template: &'a Template,
    pub extra_labels: Vec<(&'a str, String)>,
    /// Pin to this node (DaemonSets).
    pub node: Option<(Arc<str>, u32)>,
    pub crashing: bool,
}

/// Creates a pod as its controller and the scheduler would.
pub fn create_pod(c: &mut Cluster, plan: PodPlan) -> Arc<Object> {
    let t = now() - c.backdate;
    let tpl = plan.template;
    let biggest_node_mi = c.biggest_node_mi();
    let placed = match plan.node.clone() {
        Some(n) => Some(n),
        None if tpl.memory_needed() > biggest_node_mi => None,
        None => c.pick_node(),
    };
    let nodes = c.store.count(Res::Nodes);
    let unschedulable = placed.is_none().then(|| {
        format!(
            "0/{nodes} nodes are available: {nodes} Insufficient memory. preemption: 0/{nodes} nodes are available: {nodes} No preemption victims found for incoming pod."
        )
    });
    let start_now = c.instant_start;
    let containers = tpl
        .containers
        .iter()
        .map(|(name, image, cpu, mem)| {
            let mut ct = Container::running(name, image, *cpu, *mem, t);
            if plan.crashing {
                ct.restarts = 5;
                ct.ready = false;
                ct.state = State::Waiting {
                    reason: Arc::from("CrashLoopBackOff"),
                    message: format!(
                        "back-off 2m40s restarting failed container={name} pod={}",
                        plan.name
                    ),
                };
                // The crashes are recent whatever the pod's age.
                let real_now = now();
                ct.last = Some(Terminated {
                    reason: Arc::from("Error"),
                    exit_code: 1,
                    started: real_now - 70,
                    finished: real_now - 65,
                });
            } else if !start_now || placed.is_none() {
                ct.ready = false;
                ct.state = State::Waiting {
                    reason: Arc::from("ContainerCreating"),
                    message: String::new(),
                };
            }
            ct
        })
        .collect();
    let (node, host_ip) = match &placed {
        Some((n, ip)) => (Some(n.clone()), *ip),
        None => (None, 0),
    };
    let pod_ip = match (&placed, tpl.system_critical) {
        (Some((_, ip)), true) => *ip,
        (Some(_), false) if start_now || plan.crashing => c.next_pod_ip(),
        _ => 0,
    };
    let running = placed.is_some() && (start_now || plan.crashing);
    let mut labels = tpl.labels.clone();
    for (k, v) in plan.extra_labels {
        labels.push((Arc::from(k), Arc::from(v.as_str())));
    }
    labels.sort();
    let obj = Object {
        res: Res::Pods,
        meta: Meta {
            name: plan.name,
            namespace: plan.namespace,
            generate_name: plan.generate_name,
            labels,
            annotations: tpl.annotations.clone(),
            owner: Some(plan.owner),
            created: t,
            ..Meta::default()
        },
        body: Body::Pod(Box::new(Pod {
            node,
            phase: if running {
                Phase::Running
            } else {
                Phase::Pending
            },
            containers,
            pod_ip,
            host_ip,
            started: t,
            service_account: tpl.service_account.clone(),
            system_critical: tpl.system_critical,
            unschedulable,
        })),
    };
    let stored = c.store.put(obj);
    if stored.pod().is_some_and(|p| p.node.is_none()) {
        c.event(
            &stored,
            true,
            "FailedScheduling",
            &stored
                .pod()
                .and_then(|p| p.unschedulable.clone())
                .unwrap_or_default(),
            "default-scheduler",
        );
    } else if !running {
        let node = stored
            .pod()
            .and_then(|p| p.node.clone())
            .unwrap_or_default();
        c.event(
            &stored,
            false,
            "Scheduled",
            &format!(
                "Successfully assigned {}/{} to {node}",
                stored.meta.namespace, stored.meta.name
            ),
            "default-scheduler",
        );
        c.schedule(
            Duration::from_millis(800),
            Timer::StartPod(stored.meta.key(), stored.meta.uid),
        );
    }
    stored
}

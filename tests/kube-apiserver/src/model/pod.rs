//! A pod's spec and status in compact form, and its JSON as a kubelet and
//! the scheduler would have left it (containers, statuses, conditions,
//! managedFields of kube-controller-manager and kubelet).

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::meta::{managed_entry, mix, rfc3339, Meta};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Some(match s {
            "Pending" => Phase::Pending,
            "Running" => Phase::Running,
            "Succeeded" => Phase::Succeeded,
            "Failed" => Phase::Failed,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Terminated {
    pub reason: Arc<str>,
    pub exit_code: i32,
    pub started: i64,
    pub finished: i64,
}

#[derive(Clone, Debug)]
pub enum State {
    Waiting { reason: Arc<str>, message: String },
    Running { started: i64 },
    Terminated(Terminated),
}

#[derive(Clone, Debug)]
pub struct Container {
    pub name: Arc<str>,
    pub image: Arc<str>,
    pub cpu_milli: u32,
    pub memory_mi: u32,
    pub restarts: u32,
    pub state: State,
    pub last: Option<Terminated>,
    pub ready: bool,
}

impl Container {
    pub fn running(name: &str, image: &str, cpu_milli: u32, memory_mi: u32, started: i64) -> Self {
        Container {
            name: Arc::from(name),
            image: Arc::from(image),
            cpu_milli,
            memory_mi,
            restarts: 0,
            state: State::Running { started },
            last: None,
            ready: true,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Pod {
    pub node: Option<Arc<str>>,
    pub phase: Phase,
    pub containers: Vec<Container>,
    /// 0: not assigned yet.
    pub pod_ip: u32,
    pub host_ip: u32,
    pub started: i64,
    pub service_account: Arc<str>,
    /// DaemonSet pods: host network, node-critical priority, tolerate everything.
    pub system_critical: bool,
    /// Set on a pod that no node can take: the scheduler's message.
    pub unschedulable: Option<String>,
}

pub fn ip_string(ip: u32) -> String {
    let b = ip.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

fn quantity_cpu(m: u32) -> String {
    if m.is_multiple_of(1000) {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

fn container_id(seed: u64) -> String {
    format!(
        "containerd://{:016x}{:016x}{:016x}{:016x}",
        mix(seed),
        mix(seed + 1),
        mix(seed + 2),
        mix(seed + 3)
    )
}

fn terminated_json(t: &Terminated, seed: u64) -> Value {
    json!({"terminated": {
        "containerID": container_id(seed),
        "exitCode": t.exit_code,
        "reason": &*t.reason,
        "startedAt": rfc3339(t.started),
        "finishedAt": rfc3339(t.finished),
    }})
}

impl Pod {
    pub fn ready(&self) -> bool {
        self.phase == Phase::Running && self.containers.iter().all(|c| c.ready)
    }

    pub fn restarts(&self) -> u32 {
        self.containers.iter().map(|c| c.restarts).sum()
    }

    /// The owner kind decides the restart policy, as the workload controllers set it.
    pub fn to_json(&self, meta: &Meta) -> Value {
        let owner_kind = meta.owner.as_ref().map(|o| o.kind).unwrap_or("");
        let restart_policy = if owner_kind == "Job" {
            "Never"
        } else {
            "Always"
        };
        let seed = meta.uid as u64;
        let volume = format!("kube-api-access-{}", super::meta::suffix(seed, 5));
        let containers: Vec<Value> = self
            .containers
            .iter()
            .map(|c| {
                json!({
                    "name": &*c.name,
                    "image": &*c.image,
                    "imagePullPolicy": "IfNotPresent",
                    "resources": {"requests": {
                        "cpu": quantity_cpu(c.cpu_milli),
                        "memory": format!("{}Mi", c.memory_mi),
                    }},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [{
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": volume,
                        "readOnly": true,
                    }],
                })
            })
            .collect();
        let mut spec = json!({
            "containers": containers,
            "dnsPolicy": if self.system_critical { "ClusterFirstWithHostNet" } else { "ClusterFirst" },
            "enableServiceLinks": true,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": if self.system_critical { 2_000_001_000 } else { 0 },
            "restartPolicy": restart_policy,
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "serviceAccount": &*self.service_account,
            "serviceAccountName": &*self.service_account,
            "terminationGracePeriodSeconds": 30,
            "tolerations": if self.system_critical {
                json!([{"operator": "Exists"}])
            } else {
                json!([
                    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
                ])
            },
            "volumes": [{"name": volume, "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            ]}}],
        });
        if let (Some(node), Some(s)) = (&self.node, spec.as_object_mut()) {
            s.insert("nodeName".into(), json!(&**node));
            if self.system_critical {
                s.insert("hostNetwork".into(), json!(true));
                s.insert("priorityClassName".into(), json!("system-node-critical"));
            }
        }
        let status = self.status_json(seed);
        let mut m = Map::new();
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("kind".into(), json!("Pod"));
        m.insert("metadata".into(), meta.to_json(self.managed_fields(meta)));
        m.insert("spec".into(), spec);
        m.insert("status".into(), status);
        Value::Object(m)
    }

    fn status_json(&self, seed: u64) -> Value {
        let t = rfc3339(self.started);
        let scheduled = self.node.is_some();
        if !scheduled {
            return json!({
                "phase": "Pending",
                "qosClass": "Burstable",
                "conditions": [{
                    "type": "PodScheduled",
                    "status": "False",
                    "lastProbeTime": null,
                    "lastTransitionTime": t,
                    "reason": "Unschedulable",
                    "message": self.unschedulable.clone().unwrap_or_default(),
                }],
            });
        }
        let ready = self.ready();
        let finished = matches!(self.phase, Phase::Succeeded | Phase::Failed);
        let cond = |ty: &str, ok: bool, reason: Option<&str>| {
            let mut c = json!({
                "type": ty,
                "status": if ok { "True" } else { "False" },
                "lastProbeTime": null,
                "lastTransitionTime": t,
            });
            if let (Some(r), Some(o)) = (reason, c.as_object_mut()) {
                o.insert("reason".into(), json!(r));
            }
            c
        };
        let not_ready_reason = if finished {
            Some("PodCompleted")
        } else if ready {
            None
        } else {
            Some("ContainersNotReady")
        };
        let conditions = json!([
            cond("PodReadyToStartContainers", !finished, None),
            cond(
                "Initialized",
                true,
                if finished { Some("PodCompleted") } else { None }
            ),
            cond("Ready", ready, not_ready_reason),
            cond("ContainersReady", ready, not_ready_reason),
            cond("PodScheduled", true, None),
        ]);
        let statuses: Vec<Value> = self
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cseed = seed.wrapping_add(i as u64 * 16 + c.restarts as u64 * 4);
                let state = match &c.state {
                    State::Running { started } => {
                        json!({"running": {"startedAt": rfc3339(*started)}})
                    }
                    State::Waiting { reason, message } => {
                        json!({"waiting": {"reason": &**reason, "message": message}})
                    }
                    State::Terminated(term) => terminated_json(term, cseed),
                };
                let last = match &c.last {
                    Some(term) => terminated_json(term, cseed.wrapping_sub(4)),
                    None => json!({}),
                };
                let mut s = json!({
                    "name": &*c.name,
                    "image": &*c.image,
                    "imageID": format!("{}@sha256:{:016x}{:016x}{:016x}{:016x}",
                        c.image.split(':').next().unwrap_or(&c.image),
                        mix(cseed ^ 7), mix(cseed ^ 8), mix(cseed ^ 9), mix(cseed ^ 10)),
                    "ready": c.ready,
                    "restartCount": c.restarts,
                    "started": matches!(c.state, State::Running { .. }),
                    "state": state,
                    "lastState": last,
                });
                if !matches!(c.state, State::Waiting { .. }) || c.restarts > 0 {
                    if let Some(o) = s.as_object_mut() {
                        o.insert("containerID".into(), json!(container_id(cseed)));
                    }
                }
                s
            })
            .collect();
        let mut status = json!({
            "phase": self.phase.as_str(),
            "conditions": conditions,
            "hostIP": ip_string(self.host_ip),
            "hostIPs": [{"ip": ip_string(self.host_ip)}],
            "startTime": t,
            "qosClass": "Burstable",
            "containerStatuses": statuses,
        });
        if self.pod_ip != 0 {
            if let Some(o) = status.as_object_mut() {
                o.insert("podIP".into(), json!(ip_string(self.pod_ip)));
                o.insert("podIPs".into(), json!([{"ip": ip_string(self.pod_ip)}]));
            }
        }
        status
    }

    fn managed_fields(&self, meta: &Meta) -> Value {
        let mut containers = Map::new();
        for c in &self.containers {
            containers.insert(
                format!("k:{{\"name\":\"{}\"}}", c.name),
                json!({".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {},
                       "f:resources": {".": {}, "f:requests": {".": {}, "f:cpu": {}, "f:memory": {}}},
                       "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}}),
            );
        }
        let creator = match meta.owner.as_ref().map(|o| o.kind) {
            Some(_) => "kube-controller-manager",
            None => "kubectl-create",
        };
        let mut entries = vec![managed_entry(
            creator,
            "v1",
            meta.created,
            json!({"f:metadata": meta.fields_v1(), "f:spec": {
                "f:containers": containers, "f:dnsPolicy": {}, "f:enableServiceLinks": {},
                "f:restartPolicy": {}, "f:schedulerName": {}, "f:securityContext": {},
                "f:serviceAccount": {}, "f:serviceAccountName": {},
                "f:terminationGracePeriodSeconds": {}}}),
            None,
        )];
        if self.node.is_some() {
            let mut statuses = Map::new();
            for c in &self.containers {
                statuses.insert(format!("k:{{\"name\":\"{}\"}}", c.name), json!({}));
            }
            entries.push(managed_entry(
                "kubelet",
                "v1",
                self.started.max(meta.created),
                json!({"f:status": {"f:conditions": {}, "f:containerStatuses": {},
                    "f:hostIP": {}, "f:hostIPs": {}, "f:phase": {}, "f:podIP": {},
                    "f:podIPs": {}, "f:startTime": {}}}),
                Some("status"),
            ));
        }
        Value::Array(entries)
    }
}

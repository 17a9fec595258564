//! The simulated cluster around the store: a scheduler that places pods on
//! nodes, the Event objects controllers and kubelets write, and delayed
//! actions (a terminating pod disappears after its grace period, a new pod
//! starts after a moment) so clients see the sequences a real cluster emits.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::model::meta::{key_of, mix, now, Meta};
use crate::model::object::{Body, Object};
use crate::model::resources::Res;
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Timer {
    /// Remove a terminating pod (key, uid) whose grace period is over.
    FinishDeletion(String, u128),
    /// Move a pod (key, uid) from ContainerCreating to Running.
    StartPod(String, u128),
}

pub const EVENT_CAP: usize = 2_000;

pub struct Cluster {
    pub store: Store,
    pub region: String,
    timers: BinaryHeap<Reverse<(Instant, u64, Timer)>>,
    timer_seq: u64,
    event_order: VecDeque<String>,
    event_seq: u64,
    /// Schedulable nodes (name, IP), rebuilt when nodes change.
    nodes_cache: Option<Vec<(Arc<str>, u32)>>,
    biggest_mi: Option<u32>,
    node_cursor: usize,
    pub ip_seq: u32,
    pub node_seq: u32,
    /// Pods start Running at once (bulk scale) instead of after a moment.
    pub instant_start: bool,
    /// Churn's position in the pod key space.
    pub churn_cursor: String,
    /// Seconds to date new objects back by while seeding, so ages look lived-in.
    pub backdate: i64,
    /// Deployments (`ns/name`) whose pods crash-loop.
    pub crashing: std::collections::HashSet<String>,
}

impl Cluster {
    pub fn new(store: Store, region: String) -> Self {
        Cluster {
            store,
            region,
            timers: BinaryHeap::new(),
            timer_seq: 0,
            event_order: VecDeque::new(),
            event_seq: 0,
            nodes_cache: None,
            biggest_mi: None,
            node_cursor: 0,
            ip_seq: 0,
            node_seq: 0,
            instant_start: false,
            churn_cursor: String::new(),
            crashing: Default::default(),
            backdate: 0,
        }
    }

    pub fn nodes_changed(&mut self) {
        self.nodes_cache = None;
        self.biggest_mi = None;
    }

    /// The memory of the largest node, to tell a pod no node can ever take.
    pub fn biggest_node_mi(&mut self) -> u32 {
        if self.biggest_mi.is_none() {
            let m = self
                .store
                .map(Res::Nodes)
                .values()
                .filter_map(|n| {
                    n.node()
                        .map(|n| crate::model::node::instance_type(n.instance).memory_mi)
                })
                .max()
                .unwrap_or(0);
            self.biggest_mi = Some(m);
        }
        self.biggest_mi.unwrap_or(0)
    }

    fn schedulable_nodes(&mut self) -> &Vec<(Arc<str>, u32)> {
        if self.nodes_cache.is_none() {
            let list = self
                .store
                .map(Res::Nodes)
                .values()
                .filter_map(|o| {
                    let n = o.node()?;
                    (n.ready
                        && !n.unschedulable
                        && n.taints.iter().all(|t| t.2 == "PreferNoSchedule"))
                    .then(|| (Arc::<str>::from(o.meta.name.as_str()), n.ip))
                })
                .collect();
            self.nodes_cache = Some(list);
        }
        self.nodes_cache.get_or_insert_with(Vec::new)
    }

    /// The next node round-robin among Ready, untainted, schedulable ones.
    pub fn pick_node(&mut self) -> Option<(Arc<str>, u32)> {
        let cursor = self.node_cursor;
        let nodes = self.schedulable_nodes();
        if nodes.is_empty() {
            return None;
        }
        let n = nodes[cursor % nodes.len()].clone();
        self.node_cursor = cursor.wrapping_add(1);
        Some(n)
    }

    /// A pod IP in the VPC range the nodes' subnets share.
    pub fn next_pod_ip(&mut self) -> u32 {
        self.ip_seq = self.ip_seq.wrapping_add(1);
        let s = self.ip_seq;
        u32::from_be_bytes([10, 0, 16 + ((s / 250) % 200) as u8, (s % 250 + 4) as u8])
    }

    pub fn schedule(&mut self, after: Duration, timer: Timer) {
        self.timer_seq += 1;
        self.timers
            .push(Reverse((Instant::now() + after, self.timer_seq, timer)));
    }

    /// Timers that are due now, earliest first.
    pub fn due_timers(&mut self) -> Vec<Timer> {
        let now = Instant::now();
        let mut due = Vec::new();
        while let Some(Reverse((at, _, _))) = self.timers.peek() {
            if *at > now {
                break;
            }
            if let Some(Reverse((_, _, t))) = self.timers.pop() {
                due.push(t);
            }
        }
        due
    }

    /// Writes an Event about `about`, as a controller or kubelet records it.
    pub fn event(
        &mut self,
        about: &Object,
        warning: bool,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        self.event_seq += 1;
        let ns: Arc<str> = if about.meta.namespace.is_empty() {
            Arc::from("default")
        } else {
            about.meta.namespace.clone()
        };
        let name = format!("{}.{:016x}", about.meta.name, mix(self.event_seq) >> 1);
        let t = crate::model::meta::rfc3339(now());
        let mut involved = json!({
            "kind": about.res.info().kind,
            "name": about.meta.name,
            "uid": crate::model::meta::uid_string(about.meta.uid),
            "apiVersion": about.res.api_version(),
            "resourceVersion": about.meta.resource_version.to_string(),
        });
        if !about.meta.namespace.is_empty() {
            if let Some(o) = involved.as_object_mut() {
                o.insert("namespace".into(), json!(&*about.meta.namespace));
            }
        }
        if about.res == Res::Pods {
            if let (Some(c), Some(o)) = (
                about.pod().and_then(|p| p.containers.first()),
                involved.as_object_mut(),
            ) {
                if reason != "Scheduled" && reason != "FailedScheduling" {
                    o.insert(
                        "fieldPath".into(),
                        json!(format!("spec.containers{{{}}}", c.name)),
                    );
                }
            }
        }
        let host = about.pod().and_then(|p| p.node.clone());
        let mut source = json!({"component": component});
        if let (Some(h), Some(o)) = (&host, source.as_object_mut()) {
            if component == "kubelet" {
                o.insert("host".into(), json!(&**h));
            }
        }
        let mut body = Map::new();
        body.insert("involvedObject".into(), involved);
        body.insert("reason".into(), json!(reason));
        body.insert("message".into(), json!(message));
        body.insert("source".into(), source);
        body.insert("firstTimestamp".into(), json!(t));
        body.insert("lastTimestamp".into(), json!(t));
        body.insert("count".into(), json!(1));
        body.insert(
            "type".into(),
            json!(if warning { "Warning" } else { "Normal" }),
        );
        body.insert("eventTime".into(), Value::Null);
        body.insert("reportingComponent".into(), json!(component));
        body.insert(
            "reportingInstance".into(),
            json!(host.as_deref().unwrap_or("")),
        );
        let key = key_of(&ns, &name);
        self.store.put(Object {
            res: Res::Events,
            meta: Meta {
                name,
                namespace: ns,
                ..Meta::default()
            },
            body: Body::Json(body),
        });
        self.event_order.push_back(key);
        while self.event_order.len() > EVENT_CAP {
            if let Some(old) = self.event_order.pop_front() {
                self.store.remove(Res::Events, &old);
            }
        }
    }
}

//! Counts for the overview and the node map, worked out in Rust over the
//! stores: nodes ready of total, pods by phase and with problems, nodes per
//! node group, zone and capacity type, and for each node what its pods
//! request against what it can hold.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use specta::Type;

use super::node_row::NodeRow;
use super::pod_row::{PodPhase, PodRow};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PodStates {
    pub running: u32,
    pub pending: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub unknown: u32,
    /// Of all of them, those with something wrong (crashing, not ready…).
    pub problems: u32,
}

impl PodStates {
    fn add(&mut self, pod: &PodRow) {
        match pod.phase {
            PodPhase::Running => self.running += 1,
            PodPhase::Pending => self.pending += 1,
            PodPhase::Succeeded => self.succeeded += 1,
            PodPhase::Failed => self.failed += 1,
            PodPhase::Unknown => self.unknown += 1,
        }
        if pod.problem {
            self.problems += 1;
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub nodes: u32,
    pub nodes_ready: u32,
    pub pods: PodStates,
    /// Restarts summed over every pod's containers.
    pub restarts: u32,
    /// Nodes per value of each placement; `(none)` for unlabelled nodes.
    pub by_node_group: BTreeMap<String, u32>,
    pub by_zone: BTreeMap<String, u32>,
    pub by_capacity_type: BTreeMap<String, u32>,
}

/// How one pod is drawn inside its node's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PodMark {
    /// Something is wrong with it, whatever its phase.
    Problem,
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodMark {
    fn of(pod: &PodRow) -> Self {
        if pod.problem {
            return PodMark::Problem;
        }
        match pod.phase {
            PodPhase::Running => PodMark::Running,
            PodPhase::Pending => PodMark::Pending,
            PodPhase::Succeeded => PodMark::Succeeded,
            PodPhase::Failed => PodMark::Failed,
            PodPhase::Unknown => PodMark::Unknown,
        }
    }
}

/// The most marks a card draws; the rest are counted in `more_marks`.
pub const MAX_MARKS: usize = 40;

/// One node of the map with what its pods use of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeCard {
    pub node: NodeRow,
    pub pods: PodStates,
    pub pod_count: u32,
    pub cpu_requested_milli: u32,
    pub memory_requested_mib: u32,
    /// One mark per pod, problems first, at most [`MAX_MARKS`].
    pub marks: Vec<PodMark>,
    pub more_marks: u32,
}

fn placement(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "(none)".to_string())
}

pub fn overview<'a>(nodes: &[NodeRow], pods: impl IntoIterator<Item = &'a PodRow>) -> Overview {
    let mut out = Overview {
        nodes: u32::try_from(nodes.len()).unwrap_or(u32::MAX),
        ..Default::default()
    };
    for node in nodes {
        out.nodes_ready += u32::from(node.ready);
        *out.by_node_group
            .entry(placement(&node.node_group))
            .or_default() += 1;
        *out.by_zone.entry(placement(&node.zone)).or_default() += 1;
        *out.by_capacity_type
            .entry(placement(&node.capacity_type))
            .or_default() += 1;
    }
    for pod in pods {
        out.pods.add(pod);
        out.restarts = out.restarts.saturating_add(pod.restarts);
    }
    out
}

/// The node map's cards, sorted by node group, zone and name. Pods that
/// are done (Succeeded, Failed) hold no requests on their node.
pub fn node_cards<'a>(
    nodes: &[NodeRow],
    pods: impl IntoIterator<Item = &'a PodRow>,
) -> Vec<NodeCard> {
    let mut on_node: HashMap<&str, (PodStates, u32, u64, u64, Vec<PodMark>)> = HashMap::new();
    for pod in pods {
        let Some(node) = pod.node.as_deref() else {
            continue;
        };
        let entry = on_node.entry(node).or_default();
        entry.0.add(pod);
        entry.1 += 1;
        entry.4.push(PodMark::of(pod));
        if !matches!(pod.phase, PodPhase::Succeeded | PodPhase::Failed) {
            entry.2 += pod.cpu_request_milli;
            entry.3 += pod.memory_request;
        }
    }
    let mut cards: Vec<NodeCard> = nodes
        .iter()
        .map(|node| {
            let (pods, pod_count, cpu, memory, mut marks) =
                on_node.get(node.name.as_str()).cloned().unwrap_or_default();
            marks.sort();
            let more = marks.len().saturating_sub(MAX_MARKS);
            marks.truncate(MAX_MARKS);
            NodeCard {
                node: node.clone(),
                pods,
                pod_count,
                cpu_requested_milli: u32::try_from(cpu).unwrap_or(u32::MAX),
                memory_requested_mib: u32::try_from(memory / (1024 * 1024)).unwrap_or(u32::MAX),
                marks,
                more_marks: u32::try_from(more).unwrap_or(u32::MAX),
            }
        })
        .collect();
    cards.sort_by(|a, b| {
        (&a.node.node_group, &a.node.zone, &a.node.name).cmp(&(
            &b.node.node_group,
            &b.node.zone,
            &b.node.name,
        ))
    });
    cards
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str, group: &str, zone: &str, ready: bool) -> NodeRow {
        NodeRow::of(
            &serde_json::from_value(json!({
                "metadata": {"name": name, "labels": {
                    "eks.amazonaws.com/nodegroup": group, "topology.kubernetes.io/zone": zone,
                    "eks.amazonaws.com/capacityType": "ON_DEMAND"}},
                "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}],
                           "allocatable": {"cpu": "2", "memory": "8Gi", "pods": "29"}}
            }))
            .unwrap(),
        )
    }

    fn pod(name: &str, node: &str, phase: &str, cpu: &str) -> PodRow {
        PodRow::of(
            &serde_json::from_value(json!({
                "metadata": {"name": name, "namespace": "default"},
                "spec": {"nodeName": node, "containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "256Mi"}}}]},
                "status": {"phase": phase}
            }))
            .unwrap(),
        )
    }

    #[test]
    fn the_overview_counts_nodes_pods_and_placements() {
        let nodes = [
            node("a", "ng-1", "eu-west-1a", true),
            node("b", "ng-1", "eu-west-1b", false),
            node("c", "ng-2", "eu-west-1a", true),
        ];
        let pods = [
            pod("p1", "a", "Running", "100m"),
            pod("p2", "a", "Pending", "100m"),
            pod("p3", "b", "Failed", "1"),
        ];
        let o = overview(&nodes, &pods);
        assert_eq!((o.nodes, o.nodes_ready), (3, 2));
        assert_eq!((o.pods.running, o.pods.pending, o.pods.failed), (1, 1, 1));
        assert_eq!(o.by_node_group["ng-1"], 2);
        assert_eq!(o.by_zone["eu-west-1a"], 2);
        assert_eq!(o.by_capacity_type["ON_DEMAND"], 3);
    }

    #[test]
    fn cards_add_up_what_running_pods_request_on_each_node() {
        let nodes = [node("b", "ng-1", "z", true), node("a", "ng-1", "z", true)];
        let pods = [
            pod("p1", "a", "Running", "250m"),
            pod("p2", "a", "Pending", "500m"),
            pod("done", "a", "Succeeded", "4"),
            pod("elsewhere", "b", "Running", "1"),
        ];
        let cards = node_cards(&nodes, &pods);
        assert_eq!(cards[0].node.name, "a", "sorted by group, zone, name");
        assert_eq!(cards[0].pod_count, 3);
        assert_eq!(
            cards[0].cpu_requested_milli, 750,
            "a finished pod holds nothing"
        );
        assert_eq!(cards[0].memory_requested_mib, 2 * 256);
        assert_eq!(cards[0].node.allocatable_pods, Some(29));
        assert_eq!(cards[1].cpu_requested_milli, 1000);
        assert_eq!(
            cards[0].marks,
            [PodMark::Problem, PodMark::Pending, PodMark::Succeeded],
            "one mark per pod, problems first (a running pod with no ready container is one)"
        );
    }

    #[test]
    fn a_full_node_draws_forty_marks_and_counts_the_rest() {
        let nodes = [node("a", "ng", "z", true)];
        let pods: Vec<PodRow> = (0..110)
            .map(|i| pod(&format!("p{i}"), "a", "Running", "10m"))
            .collect();
        let card = &node_cards(&nodes, &pods)[0];
        assert_eq!(card.marks.len(), MAX_MARKS);
        assert_eq!(card.more_marks, 70);
    }
}

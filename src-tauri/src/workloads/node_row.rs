//! A node as one card of the node map: where it is (node group, zone),
//! what it is (instance type, capacity type, kubelet), how it is
//! (conditions, cordoned, taints) and what it can hold (allocatable CPU,
//! memory and pods). What its pods request is added by the store's view.

use k8s_openapi::api::core::v1::Node;
use serde::Serialize;
use specta::Type;

use super::quantity::{milli, units};

/// Labels EKS and Kubernetes put on nodes.
const NODE_GROUP: &str = "eks.amazonaws.com/nodegroup";
const CAPACITY_TYPE: &str = "eks.amazonaws.com/capacityType";
const ZONE: &str = "topology.kubernetes.io/zone";
const INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";

const MIB: u64 = 1024 * 1024;

fn narrow(n: u64) -> Option<u32> {
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeTaint {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NodeRow {
    pub name: String,
    pub node_group: Option<String>,
    pub zone: Option<String>,
    pub instance_type: Option<String>,
    /// `ON_DEMAND` or `SPOT`.
    pub capacity_type: Option<String>,
    pub kubelet_version: Option<String>,
    pub ready: bool,
    /// Conditions other than Ready that are True (MemoryPressure…).
    pub pressures: Vec<String>,
    /// `spec.unschedulable`.
    pub cordoned: bool,
    pub taints: Vec<NodeTaint>,
    pub allocatable_cpu_milli: Option<u32>,
    /// MiB (JavaScript numbers hold no u64).
    pub allocatable_memory_mib: Option<u32>,
    pub allocatable_pods: Option<u32>,
    /// RFC 3339.
    pub created: Option<String>,
}

impl NodeRow {
    pub fn of(node: &Node) -> Self {
        let meta = &node.metadata;
        let labels = meta.labels.clone().unwrap_or_default();
        let status = node.status.clone().unwrap_or_default();
        let conditions = status.conditions.unwrap_or_default();
        let allocatable = status.allocatable.unwrap_or_default();
        let spec = node.spec.clone().unwrap_or_default();
        NodeRow {
            name: meta.name.clone().unwrap_or_default(),
            node_group: labels.get(NODE_GROUP).cloned(),
            zone: labels.get(ZONE).cloned(),
            instance_type: labels.get(INSTANCE_TYPE).cloned(),
            capacity_type: labels.get(CAPACITY_TYPE).cloned(),
            kubelet_version: status.node_info.map(|i| i.kubelet_version),
            ready: conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True"),
            pressures: conditions
                .iter()
                .filter(|c| c.type_ != "Ready" && c.status == "True")
                .map(|c| c.type_.clone())
                .collect(),
            cordoned: spec.unschedulable == Some(true),
            taints: spec
                .taints
                .unwrap_or_default()
                .into_iter()
                .map(|t| NodeTaint {
                    key: t.key,
                    value: t.value,
                    effect: t.effect,
                })
                .collect(),
            allocatable_cpu_milli: allocatable.get("cpu").and_then(|q| narrow(milli(&q.0)?)),
            allocatable_memory_mib: allocatable
                .get("memory")
                .and_then(|q| narrow(units(&q.0)? / MIB)),
            allocatable_pods: allocatable.get("pods").and_then(|q| narrow(units(&q.0)?)),
            created: meta.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        }
    }
}

impl super::row_store::Row for NodeRow {
    type Object = Node;
    fn of(object: &Node) -> Self {
        NodeRow::of(object)
    }
    fn key(&self) -> String {
        self.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_eks_node_is_placed_and_measured_from_its_labels_and_status() {
        let node: Node = serde_json::from_value(json!({
            "metadata": {"name": "ip-10-0-32-7.ec2.internal", "creationTimestamp": "2026-12-01T10:00:00Z",
                "labels": {"eks.amazonaws.com/nodegroup": "default_node_group",
                           "eks.amazonaws.com/capacityType": "SPOT",
                           "topology.kubernetes.io/zone": "eu-west-1b",
                           "node.kubernetes.io/instance-type": "t4g.xlarge"}},
            "spec": {"unschedulable": true, "taints": [{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]},
            "status": {
                "allocatable": {"cpu": "3920m", "memory": "15896452Ki", "pods": "58"},
                "conditions": [{"type": "Ready", "status": "True"}, {"type": "MemoryPressure", "status": "True"},
                               {"type": "DiskPressure", "status": "False"}],
                "nodeInfo": {"kubeletVersion": "v1.33.1-eks-1fbb135", "architecture": "arm64",
                    "bootID": "", "containerRuntimeVersion": "", "kernelVersion": "", "kubeProxyVersion": "",
                    "machineID": "", "operatingSystem": "linux", "osImage": "", "systemUUID": ""}
            }
        }))
        .unwrap();
        let row = NodeRow::of(&node);
        assert_eq!(row.node_group.as_deref(), Some("default_node_group"));
        assert_eq!(row.zone.as_deref(), Some("eu-west-1b"));
        assert_eq!(row.instance_type.as_deref(), Some("t4g.xlarge"));
        assert_eq!(row.capacity_type.as_deref(), Some("SPOT"));
        assert_eq!(row.kubelet_version.as_deref(), Some("v1.33.1-eks-1fbb135"));
        assert!(row.ready && row.cordoned);
        assert_eq!(row.pressures, ["MemoryPressure"]);
        assert_eq!(row.taints.len(), 1);
        assert_eq!(row.allocatable_cpu_milli, Some(3920));
        assert_eq!(row.allocatable_memory_mib, Some(15_523));
        assert_eq!(row.allocatable_pods, Some(58));
    }
}

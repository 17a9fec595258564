//! An EKS managed-node-group node: EC2 instance type facts (vCPU, memory,
//! the VPC CNI's ENI-based max pods), labels EKS sets, and a kubelet's status.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::meta::{managed_entry, rfc3339, Meta};
use super::pod::ip_string;

pub struct InstanceType {
    pub name: &'static str,
    pub cpu: u32,
    pub memory_mi: u32,
    /// ENIs × (IPv4 per ENI − 1) + 2, as eni-max-pods.txt lists it.
    pub max_pods: u32,
    pub arch: &'static str,
}

pub const INSTANCE_TYPES: &[InstanceType] = &[
    InstanceType {
        name: "m5.large",
        cpu: 2,
        memory_mi: 7_807,
        max_pods: 29,
        arch: "amd64",
    },
    InstanceType {
        name: "t4g.xlarge",
        cpu: 4,
        memory_mi: 15_791,
        max_pods: 58,
        arch: "arm64",
    },
    InstanceType {
        name: "m5.xlarge",
        cpu: 4,
        memory_mi: 15_811,
        max_pods: 58,
        arch: "amd64",
    },
    InstanceType {
        name: "c6g.2xlarge",
        cpu: 8,
        memory_mi: 15_733,
        max_pods: 58,
        arch: "arm64",
    },
    InstanceType {
        name: "m6i.4xlarge",
        cpu: 16,
        memory_mi: 63_488,
        max_pods: 234,
        arch: "amd64",
    },
];

pub fn instance_type(name: &str) -> &'static InstanceType {
    INSTANCE_TYPES
        .iter()
        .find(|t| t.name == name)
        .unwrap_or(&INSTANCE_TYPES[0])
}

pub const KUBELET_VERSION: &str = "v1.33.1-eks-b9364f6";

#[derive(Clone, Debug)]
pub struct Node {
    pub instance: &'static str,
    pub zone: Arc<str>,
    pub region: Arc<str>,
    pub nodegroup: Arc<str>,
    pub spot: bool,
    pub ready: bool,
    pub unschedulable: bool,
    pub taints: Vec<(String, String, &'static str)>,
    pub ip: u32,
    pub instance_id: String,
    /// When Ready last changed (conditions' lastTransitionTime).
    pub ready_since: i64,
}

impl Node {
    pub fn to_json(&self, meta: &Meta) -> Value {
        let it = instance_type(self.instance);
        let heartbeat = rfc3339(super::meta::now());
        let since = rfc3339(self.ready_since);
        let cond = |ty: &str, status: &str, reason: &str, message: &str| {
            json!({"type": ty, "status": status, "lastHeartbeatTime": heartbeat,
                   "lastTransitionTime": since, "reason": reason, "message": message})
        };
        let (ready_status, ready_reason, ready_msg) = if self.ready {
            ("True", "KubeletReady", "kubelet is posting ready status")
        } else {
            (
                "Unknown",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            )
        };
        let allocatable_cpu = format!("{}m", it.cpu * 1000 - 70 - 10 * it.cpu.min(4));
        let allocatable_mem = format!(
            "{}Ki",
            (it.memory_mi.saturating_sub(255 + 11 * it.max_pods + 100)) * 1024
        );
        let mut taints: Vec<Value> = self
            .taints
            .iter()
            .map(|(k, v, e)| {
                let mut t = json!({"key": k, "effect": e});
                if !v.is_empty() {
                    if let Some(o) = t.as_object_mut() {
                        o.insert("value".into(), json!(v));
                    }
                }
                t
            })
            .collect();
        if self.unschedulable {
            taints.push(
                json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule",
                               "timeAdded": since}),
            );
        }
        if !self.ready {
            taints.push(
                json!({"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule",
                               "timeAdded": since}),
            );
        }
        let mut spec = Map::new();
        spec.insert(
            "providerID".into(),
            json!(format!("aws:///{}/{}", self.zone, self.instance_id)),
        );
        if self.unschedulable {
            spec.insert("unschedulable".into(), json!(true));
        }
        if !taints.is_empty() {
            spec.insert("taints".into(), Value::Array(taints));
        }
        let ip = ip_string(self.ip);
        let status = json!({
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "InternalDNS", "address": meta.name},
                {"type": "Hostname", "address": meta.name},
            ],
            "allocatable": {"cpu": allocatable_cpu, "ephemeral-storage": "18233774458",
                            "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                            "memory": allocatable_mem, "pods": it.max_pods.to_string()},
            "capacity": {"cpu": it.cpu.to_string(), "ephemeral-storage": "20893676Ki",
                         "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                         "memory": format!("{}Ki", it.memory_mi * 1024),
                         "pods": it.max_pods.to_string()},
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", ready_status, ready_reason, ready_msg),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": it.arch,
                "bootID": super::meta::uid_string(meta.uid ^ 0x5555),
                "containerRuntimeVersion": "containerd://1.7.27",
                "kernelVersion": "6.1.134-152.225.amzn2023.x86_64",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": format!("ec2{:029x}", meta.uid >> 16),
                "operatingSystem": "linux",
                "osImage": "Amazon Linux 2023.7.20250512",
                "systemUUID": super::meta::uid_string(meta.uid ^ 0xaaaa),
            },
        });
        let mut m = Map::new();
        m.insert("apiVersion".into(), json!("v1"));
        m.insert("kind".into(), json!("Node"));
        let managed = json!([
            managed_entry(
                "kubelet",
                "v1",
                meta.created,
                json!({"f:metadata": meta.fields_v1(), "f:spec": {"f:providerID": {}}}),
                None
            ),
            managed_entry(
                "kubelet",
                "v1",
                self.ready_since,
                json!({"f:status": {"f:addresses": {}, "f:allocatable": {}, "f:capacity": {},
                    "f:conditions": {}, "f:daemonEndpoints": {}, "f:nodeInfo": {}}}),
                Some("status")
            ),
        ]);
        m.insert("metadata".into(), meta.to_json(managed));
        m.insert("spec".into(), Value::Object(spec));
        m.insert("status".into(), status);
        Value::Object(m)
    }

    /// Labels EKS and the kubelet put on a managed node group's node.
    pub fn labels(&self, name: &str) -> Vec<(String, String)> {
        let it = instance_type(self.instance);
        vec![
            ("beta.kubernetes.io/arch".into(), it.arch.into()),
            ("beta.kubernetes.io/instance-type".into(), it.name.into()),
            ("beta.kubernetes.io/os".into(), "linux".into()),
            (
                "eks.amazonaws.com/capacityType".into(),
                if self.spot { "SPOT" } else { "ON_DEMAND" }.into(),
            ),
            (
                "eks.amazonaws.com/nodegroup".into(),
                self.nodegroup.to_string(),
            ),
            (
                "eks.amazonaws.com/nodegroup-image".into(),
                "ami-0c2b8ca1dad447f8a".into(),
            ),
            (
                "failure-domain.beta.kubernetes.io/region".into(),
                self.region.to_string(),
            ),
            (
                "failure-domain.beta.kubernetes.io/zone".into(),
                self.zone.to_string(),
            ),
            (
                "k8s.io/cloud-provider-aws".into(),
                "a94967527effcefb5f5829f529c0a1b9".into(),
            ),
            ("kubernetes.io/arch".into(), it.arch.into()),
            ("kubernetes.io/hostname".into(), name.into()),
            ("kubernetes.io/os".into(), "linux".into()),
            ("node.kubernetes.io/instance-type".into(), it.name.into()),
            (
                "topology.k8s.aws/zone-id".into(),
                format!("usw2-az{}", zone_index(&self.zone) + 1),
            ),
            (
                "topology.kubernetes.io/region".into(),
                self.region.to_string(),
            ),
            ("topology.kubernetes.io/zone".into(), self.zone.to_string()),
        ]
    }
}

fn zone_index(zone: &str) -> u32 {
    zone.bytes()
        .last()
        .map(|b| b.saturating_sub(b'a') as u32)
        .unwrap_or(0)
}

//! The resource types this server serves, with what discovery advertises
//! for each. One table drives discovery, routing and authorisation, so a
//! resource is either fully served or absent (404), never half there.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Res {
    Namespaces,
    Nodes,
    Pods,
    Events,
    ConfigMaps,
    Services,
    Deployments,
    ReplicaSets,
    DaemonSets,
    StatefulSets,
    Jobs,
}

pub const ALL: [Res; 11] = [
    Res::Namespaces,
    Res::Nodes,
    Res::Pods,
    Res::Events,
    Res::ConfigMaps,
    Res::Services,
    Res::Deployments,
    Res::ReplicaSets,
    Res::DaemonSets,
    Res::StatefulSets,
    Res::Jobs,
];

pub struct Info {
    pub group: &'static str,
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub verbs: &'static [&'static str],
    /// Subresources served, with their verbs and kinds.
    pub subresources: &'static [(&'static str, &'static str, &'static [&'static str])],
}

const READ: &[&str] = &["get", "list", "watch"];

impl Res {
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn info(self) -> &'static Info {
        match self {
            Res::Namespaces => &Info {
                group: "",
                plural: "namespaces",
                singular: "namespace",
                kind: "Namespace",
                namespaced: false,
                short_names: &["ns"],
                verbs: READ,
                subresources: &[],
            },
            Res::Nodes => &Info {
                group: "",
                plural: "nodes",
                singular: "node",
                kind: "Node",
                namespaced: false,
                short_names: &["no"],
                verbs: READ,
                subresources: &[],
            },
            Res::Pods => &Info {
                group: "",
                plural: "pods",
                singular: "pod",
                kind: "Pod",
                namespaced: true,
                short_names: &["po"],
                verbs: &["delete", "get", "list", "watch"],
                subresources: &[("log", "Pod", &["get"])],
            },
            Res::Events => &Info {
                group: "",
                plural: "events",
                singular: "event",
                kind: "Event",
                namespaced: true,
                short_names: &["ev"],
                verbs: READ,
                subresources: &[],
            },
            Res::ConfigMaps => &Info {
                group: "",
                plural: "configmaps",
                singular: "configmap",
                kind: "ConfigMap",
                namespaced: true,
                short_names: &["cm"],
                verbs: &[
                    "create", "delete", "get", "list", "patch", "update", "watch",
                ],
                subresources: &[],
            },
            Res::Services => &Info {
                group: "",
                plural: "services",
                singular: "service",
                kind: "Service",
                namespaced: true,
                short_names: &["svc"],
                verbs: READ,
                subresources: &[],
            },
            Res::Deployments => &Info {
                group: "apps",
                plural: "deployments",
                singular: "deployment",
                kind: "Deployment",
                namespaced: true,
                short_names: &["deploy"],
                verbs: &["get", "list", "patch", "watch"],
                subresources: &[("scale", "Scale", &["get", "patch", "update"])],
            },
            Res::ReplicaSets => &Info {
                group: "apps",
                plural: "replicasets",
                singular: "replicaset",
                kind: "ReplicaSet",
                namespaced: true,
                short_names: &["rs"],
                verbs: READ,
                subresources: &[],
            },
            Res::DaemonSets => &Info {
                group: "apps",
                plural: "daemonsets",
                singular: "daemonset",
                kind: "DaemonSet",
                namespaced: true,
                short_names: &["ds"],
                verbs: READ,
                subresources: &[],
            },
            Res::StatefulSets => &Info {
                group: "apps",
                plural: "statefulsets",
                singular: "statefulset",
                kind: "StatefulSet",
                namespaced: true,
                short_names: &["sts"],
                verbs: &["get", "list", "patch", "watch"],
                subresources: &[("scale", "Scale", &["get", "patch", "update"])],
            },
            Res::Jobs => &Info {
                group: "batch",
                plural: "jobs",
                singular: "job",
                kind: "Job",
                namespaced: true,
                short_names: &[],
                verbs: READ,
                subresources: &[],
            },
        }
    }

    pub fn api_version(self) -> &'static str {
        match self.info().group {
            "" => "v1",
            "apps" => "apps/v1",
            "batch" => "batch/v1",
            _ => "v1",
        }
    }

    /// The resource named `plural` in API group `group` (version v1).
    pub fn find(group: &str, plural: &str) -> Option<Res> {
        ALL.into_iter()
            .find(|r| r.info().group == group && r.info().plural == plural)
    }

    pub fn supports(self, verb: &str) -> bool {
        self.info().verbs.contains(&verb)
    }
}

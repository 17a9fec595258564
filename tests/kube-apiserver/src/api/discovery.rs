//! Legacy discovery documents (/version, /api, /apis, resource lists).
//! Clients that ask for aggregated discovery (apidiscovery.k8s.io/v2) get
//! the legacy form with Content-Type application/json and fall back to it,
//! as they do against servers without aggregated discovery.

use serde_json::{json, Value};

use crate::model::resources::{Res, ALL};

use super::router::GROUPS;

pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "33",
        "emulationMajor": "1",
        "emulationMinor": "33",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "32",
        "gitVersion": "v1.33.1-eks-1fbb135",
        "gitCommit": "8b4f1e6a0b2c19b5e8e3b6a7a3f8f2d1c1e7c2f0",
        "gitTreeState": "clean",
        "buildDate": "2025-05-13T21:04:52Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64",
    })
}

pub fn api_versions() -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "ip-172-16-44-18.us-west-2.compute.internal:443"}],
    })
}

fn group_json(name: &str, version: &str) -> Value {
    let gv = json!({"groupVersion": format!("{name}/{version}"), "version": version});
    json!({"name": name, "versions": [gv.clone()], "preferredVersion": gv})
}

pub fn group_list() -> Value {
    let groups: Vec<Value> = GROUPS.iter().map(|(n, v)| group_json(n, v)).collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

pub fn group(name: &str) -> Value {
    let v = GROUPS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or("v1");
    let mut g = group_json(name, v);
    g["kind"] = json!("APIGroup");
    g["apiVersion"] = json!("v1");
    g
}

fn in_all_category(r: Res) -> bool {
    matches!(
        r,
        Res::Pods
            | Res::Services
            | Res::Deployments
            | Res::ReplicaSets
            | Res::DaemonSets
            | Res::StatefulSets
            | Res::Jobs
    )
}

pub fn resource_list(group: &str) -> Value {
    let mut resources = Vec::new();
    for r in ALL.into_iter().filter(|r| r.info().group == group) {
        let i = r.info();
        let mut entry = json!({
            "name": i.plural,
            "singularName": i.singular,
            "namespaced": i.namespaced,
            "kind": i.kind,
            "verbs": i.verbs,
        });
        if !i.short_names.is_empty() {
            entry["shortNames"] = json!(i.short_names);
        }
        if in_all_category(r) {
            entry["categories"] = json!(["all"]);
        }
        resources.push(entry);
        for (sub, kind, verbs) in i.subresources {
            let mut s = json!({
                "name": format!("{}/{sub}", i.plural),
                "singularName": "",
                "namespaced": i.namespaced,
                "kind": kind,
                "verbs": verbs,
            });
            if *sub == "scale" {
                s["group"] = json!("autoscaling");
                s["version"] = json!("v1");
            }
            resources.push(s);
        }
    }
    let reviews: &[(&str, &str, &str)] = match group {
        "authentication.k8s.io" => &[(
            "selfsubjectreviews",
            "selfsubjectreview",
            "SelfSubjectReview",
        )],
        "authorization.k8s.io" => &[
            (
                "selfsubjectaccessreviews",
                "selfsubjectaccessreview",
                "SelfSubjectAccessReview",
            ),
            (
                "subjectaccessreviews",
                "subjectaccessreview",
                "SubjectAccessReview",
            ),
        ],
        _ => &[],
    };
    for (name, singular, kind) in reviews {
        resources.push(
            json!({"name": name, "singularName": singular, "namespaced": false,
                              "kind": kind, "verbs": ["create"]}),
        );
    }
    let gv = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

//! Deployments, StatefulSets, DaemonSets and Jobs with how many pods they
//! want and have ready; scaling one and restarting its rollout (what
//! `kubectl scale` and `kubectl rollout restart` do), each confirmed first.

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::batch::v1::Job;
use kube::api::{ListParams, Patch, PatchParams};
use kube::Api;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::workload_error::{from_kube, WorkloadError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ControllerKind {
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
}

impl ControllerKind {
    fn word(self) -> &'static str {
        match self {
            ControllerKind::Deployment => "deployment",
            ControllerKind::StatefulSet => "statefulset",
            ControllerKind::DaemonSet => "daemonset",
            ControllerKind::Job => "job",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ControllerRow {
    pub kind: ControllerKind,
    pub namespace: String,
    pub name: String,
    /// Replicas wanted (DaemonSets: nodes it should run on; Jobs: completions).
    pub desired: u32,
    /// Ready pods (Jobs: succeeded).
    pub ready: u32,
    /// RFC 3339.
    pub created: Option<String>,
    /// Fewer ready than desired.
    pub behind: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Controllers {
    pub rows: Vec<ControllerRow>,
    /// Kinds Kubernetes would not list, with its words.
    pub forbidden: Vec<String>,
}

fn count(n: Option<i32>) -> u32 {
    n.map_or(0, |n| n.max(0) as u32)
}

fn row(
    kind: ControllerKind,
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    desired: u32,
    ready: u32,
) -> ControllerRow {
    ControllerRow {
        kind,
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        desired,
        ready,
        created: meta.creation_timestamp.as_ref().map(|t| t.0.to_string()),
        behind: ready < desired,
    }
}

fn api<K>(client: &kube::Client, namespace: Option<&str>) -> Api<K>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

/// Every controller of the four kinds (in `namespace`, or all).
pub async fn controllers(
    client: &kube::Client,
    namespace: Option<&str>,
) -> Result<Controllers, WorkloadError> {
    let mut out = Controllers::default();
    let params = ListParams::default();
    let note = |kind: &str, e: kube::Error, out: &mut Controllers| match from_kube(e, kind) {
        WorkloadError::Forbidden { message } => {
            out.forbidden.push(message);
            Ok(())
        }
        other => Err(other),
    };
    match api::<Deployment>(client, namespace).list(&params).await {
        Ok(list) => out.rows.extend(list.items.iter().map(|d| {
            let s = d.status.clone().unwrap_or_default();
            let desired = count(d.spec.replicas.or(Some(1)));
            row(
                ControllerKind::Deployment,
                &d.metadata,
                desired,
                count(s.ready_replicas),
            )
        })),
        Err(e) => note("deployments", e, &mut out)?,
    }
    match api::<StatefulSet>(client, namespace).list(&params).await {
        Ok(list) => out.rows.extend(list.items.iter().map(|d| {
            let s = d.status.clone().unwrap_or_default();
            let desired = count(d.spec.replicas.or(Some(1)));
            row(
                ControllerKind::StatefulSet,
                &d.metadata,
                desired,
                count(s.ready_replicas),
            )
        })),
        Err(e) => note("statefulsets", e, &mut out)?,
    }
    match api::<DaemonSet>(client, namespace).list(&params).await {
        Ok(list) => out.rows.extend(list.items.iter().map(|d| {
            let s = d.status.clone().unwrap_or_default();
            row(
                ControllerKind::DaemonSet,
                &d.metadata,
                count(Some(s.desired_number_scheduled)),
                count(Some(s.number_ready)),
            )
        })),
        Err(e) => note("daemonsets", e, &mut out)?,
    }
    match api::<Job>(client, namespace).list(&params).await {
        Ok(list) => out.rows.extend(list.items.iter().map(|j| {
            let s = j.status.clone().unwrap_or_default();
            let desired = count(j.spec.as_ref().and_then(|s| s.completions).or(Some(1)));
            row(
                ControllerKind::Job,
                &j.metadata,
                desired,
                count(s.succeeded),
            )
        })),
        Err(e) => note("jobs", e, &mut out)?,
    }
    out.rows
        .sort_by(|a, b| (a.kind, &a.namespace, &a.name).cmp(&(b.kind, &b.namespace, &b.name)));
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ControllerRef {
    pub kind: ControllerKind,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ScaleRequest {
    pub controller: ControllerRef,
    pub replicas: u32,
    pub confirmed: bool,
}

/// The most replicas a scale asks for: more is a typo, not a plan.
pub const MAX_REPLICAS: u32 = 10_000;

fn confirmed(confirmed: bool, what: &str) -> Result<(), WorkloadError> {
    if confirmed {
        Ok(())
    } else {
        Err(WorkloadError::Invalid {
            field: "confirmed",
            message: format!("{what} needs your confirmation"),
        })
    }
}

fn what(c: &ControllerRef) -> String {
    format!("{} {}/{}", c.kind.word(), c.namespace, c.name)
}

/// Sets the replicas of a Deployment or StatefulSet (its scale subresource).
pub async fn scale(client: &kube::Client, request: &ScaleRequest) -> Result<(), WorkloadError> {
    let c = &request.controller;
    let what = what(c);
    if request.replicas > MAX_REPLICAS {
        return Err(WorkloadError::Invalid {
            field: "replicas",
            message: format!("At most {MAX_REPLICAS} replicas"),
        });
    }
    confirmed(
        request.confirmed,
        &format!("Scaling {what} to {}", request.replicas),
    )?;
    let patch = Patch::Merge(serde_json::json!({"spec": {"replicas": request.replicas}}));
    let params = PatchParams::default();
    let result = match c.kind {
        ControllerKind::Deployment => Api::<Deployment>::namespaced(client.clone(), &c.namespace)
            .patch_scale(&c.name, &params, &patch)
            .await
            .map(|_| ()),
        ControllerKind::StatefulSet => Api::<StatefulSet>::namespaced(client.clone(), &c.namespace)
            .patch_scale(&c.name, &params, &patch)
            .await
            .map(|_| ()),
        ControllerKind::DaemonSet | ControllerKind::Job => {
            return Err(WorkloadError::Invalid {
                field: "kind",
                message: format!("A {} has no replicas to scale", c.kind.word()),
            })
        }
    };
    result.map_err(|e| from_kube(e, &what))
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RestartRequest {
    pub controller: ControllerRef,
    pub confirmed: bool,
}

/// A new rollout of the same pods, as `kubectl rollout restart` makes it:
/// a `restartedAt` annotation on the pod template.
pub async fn rollout_restart(
    client: &kube::Client,
    request: &RestartRequest,
) -> Result<(), WorkloadError> {
    let c = &request.controller;
    let what = what(c);
    confirmed(request.confirmed, &format!("Restarting {what}"))?;
    let patch = Patch::Strategic(
        serde_json::json!({"spec": {"template": {"metadata": {"annotations": {
            "kubectl.kubernetes.io/restartedAt": crate::timestamps::rfc3339_seconds(std::time::SystemTime::now())
        }}}}}),
    );
    let params = PatchParams::default();
    let result = match c.kind {
        ControllerKind::Deployment => Api::<Deployment>::namespaced(client.clone(), &c.namespace)
            .patch(&c.name, &params, &patch)
            .await
            .map(|_| ()),
        ControllerKind::StatefulSet => Api::<StatefulSet>::namespaced(client.clone(), &c.namespace)
            .patch(&c.name, &params, &patch)
            .await
            .map(|_| ()),
        ControllerKind::DaemonSet => Api::<DaemonSet>::namespaced(client.clone(), &c.namespace)
            .patch(&c.name, &params, &patch)
            .await
            .map(|_| ()),
        ControllerKind::Job => {
            return Err(WorkloadError::Invalid {
                field: "kind",
                message: "A job runs to completion; it has no rollout to restart".into(),
            })
        }
    };
    result.map_err(|e| from_kube(e, &what))
}

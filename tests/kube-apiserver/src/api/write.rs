//! The writes this server implements: graceful pod deletion, patches of
//! Deployments/StatefulSets (replicas, pod template) and ConfigMaps, the
//! `scale` subresource, and create/update/delete of ConfigMaps. Changes go
//! through the controllers, so a replica change really adds/removes pods.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::model::meta::{key_of, Meta};
use crate::model::object::{Body, Object};
use crate::model::resources::Res;
use crate::sim::cluster::Cluster;
use crate::sim::pod_lifecycle::delete_pod;
use crate::sim::workloads::{reconcile_deployment, reconcile_statefulset};
use crate::state::Shared;

use super::patch::{self, PatchType};
use super::response::{self, Resp};
use super::router::Query;
use super::status::ApiError;

fn parse_body(body: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding request body: {e}")))
}

fn invalid(kind: &str, name: &str, field: &str, why: &str) -> ApiError {
    ApiError::new(422, "Invalid", format!("{kind} \"{name}\" is invalid: {field}: {why}"))
        .with_details(json!({"name": name, "kind": kind, "causes": [{"reason": "FieldValueInvalid", "message": why, "field": field}]}))
}

fn load(c: &Cluster, res: Res, ns: &str, name: &str) -> Result<Arc<Object>, ApiError> {
    c.store
        .get(res, &key_of(ns, name))
        .cloned()
        .ok_or_else(|| ApiError::not_found(res.info().group, res.info().plural, name))
}

fn check_rv(res: Res, obj: &Object, v: &Value) -> Result<(), ApiError> {
    match v["metadata"]["resourceVersion"].as_str() {
        Some(rv) if !rv.is_empty() && rv != obj.meta.resource_version.to_string() => Err(
            ApiError::conflict(res.info().group, res.info().plural, &obj.meta.name),
        ),
        _ => Ok(()),
    }
}

/// Labels and annotations from a metadata JSON into the stored metadata.
fn take_metadata(meta: &mut Meta, v: &Value) -> Result<(), ApiError> {
    let strings = |field: &str| -> Result<Vec<(String, String)>, ApiError> {
        match &v["metadata"][field] {
            Value::Null => Ok(vec![]),
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|s| (k.clone(), s.to_string()))
                        .ok_or_else(|| {
                            ApiError::bad_request(format!("metadata.{field}.{k}: must be a string"))
                        })
                })
                .collect(),
            _ => Err(ApiError::bad_request(format!(
                "metadata.{field}: must be an object"
            ))),
        }
    };
    let mut labels: Vec<(Arc<str>, Arc<str>)> = strings("labels")?
        .into_iter()
        .map(|(k, v)| (Arc::from(k.as_str()), Arc::from(v.as_str())))
        .collect();
    labels.sort();
    meta.labels = labels;
    meta.annotations = strings("annotations")?;
    Ok(())
}

pub fn delete(
    shared: &Shared,
    res: Res,
    ns: &str,
    name: &str,
    q: &Query,
    body: &[u8],
) -> Result<Resp, ApiError> {
    if q.get("dryRun").is_some() {
        return Err(ApiError::bad_request(
            "dryRun is not supported by this test server",
        ));
    }
    let opts: Value = if body.is_empty() {
        Value::Null
    } else {
        parse_body(body)?
    };
    let grace = match q.number("gracePeriodSeconds")? {
        Some(g) => Some(g),
        None => opts["gracePeriodSeconds"].as_i64(),
    };
    if grace.is_some_and(|g| g < 0) {
        return Err(ApiError::bad_request(
            "gracePeriodSeconds: Invalid value: must be >= 0",
        ));
    }
    let mut c = shared.cluster();
    let obj = load(&c, res, ns, name)?;
    if let Some(uid) = opts["preconditions"]["uid"].as_str() {
        let actual = crate::model::meta::uid_string(obj.meta.uid);
        if uid != actual {
            return Err(ApiError::new(409, "Conflict", format!(
                "Operation cannot be fulfilled on {} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {actual}",
                res.info().plural
            )));
        }
    }
    match res {
        Res::Pods => {
            let deleted = delete_pod(&mut c, &key_of(ns, name), grace.map(|g| g as u64))
                .ok_or_else(|| ApiError::not_found("", "pods", name))?;
            drop(c);
            shared.logs.clear_pod(ns, name);
            Ok(response::json(200, &deleted.to_json()))
        }
        Res::ConfigMaps => {
            c.store.remove(res, &key_of(ns, name));
            Ok(response::json(
                200,
                &json!({
                    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                    "details": {"name": name, "kind": "configmaps", "uid": crate::model::meta::uid_string(obj.meta.uid)},
                }),
            ))
        }
        _ => Err(ApiError::method_not_allowed(
            "delete",
            &super::qualified(res),
        )),
    }
}

fn selector_string(obj: &Object) -> String {
    obj.field(&["spec", "selector", "matchLabels"])
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn scale_json(obj: &Object) -> Value {
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": obj.meta.name,
            "namespace": &*obj.meta.namespace,
            "uid": crate::model::meta::uid_string(obj.meta.uid),
            "resourceVersion": obj.meta.resource_version.to_string(),
            "creationTimestamp": crate::model::meta::rfc3339(obj.meta.created),
        },
        "spec": {"replicas": obj.field(&["spec", "replicas"]).cloned().unwrap_or(json!(1))},
        "status": {
            "replicas": obj.field(&["status", "replicas"]).cloned().unwrap_or(json!(0)),
            "selector": selector_string(obj),
        },
    })
}

fn reconcile(c: &mut Cluster, res: Res, key: &str) {
    match res {
        Res::Deployments => reconcile_deployment(c, key),
        Res::StatefulSets => reconcile_statefulset(c, key),
        _ => {}
    }
}

fn replicas_of(v: &Value, kind: &str, name: &str) -> Result<u64, ApiError> {
    match &v["spec"]["replicas"] {
        Value::Null => Ok(1),
        r => r.as_u64().filter(|n| *n <= 100_000).ok_or_else(|| {
            invalid(
                kind,
                name,
                "spec.replicas",
                "must be greater than or equal to 0",
            )
        }),
    }
}

/// Stores a workload whose spec is `new_spec`, bumping generation when it changed.
fn store_workload(c: &mut Cluster, obj: &Object, patched: &Value) -> Result<Arc<Object>, ApiError> {
    let kind = obj.res.info().kind;
    let replicas = replicas_of(patched, kind, &obj.meta.name)?;
    if patched["metadata"]["name"].as_str() != Some(obj.meta.name.as_str()) {
        return Err(ApiError::bad_request("metadata.name cannot be changed"));
    }
    if !patched["spec"]["template"]["spec"]["containers"].is_array() {
        return Err(invalid(
            kind,
            &obj.meta.name,
            "spec.template.spec.containers",
            "Required value",
        ));
    }
    let mut next = obj.clone();
    take_metadata(&mut next.meta, patched)?;
    let mut spec = patched["spec"].clone();
    spec["replicas"] = json!(replicas);
    if next.json().and_then(|b| b.get("spec")) != Some(&spec) {
        next.meta.generation += 1;
    }
    if let Some(b) = next.json_mut() {
        b.insert("spec".into(), spec);
    }
    let key = next.meta.key();
    c.store.put(next);
    reconcile(c, obj.res, &key);
    c.store.get(obj.res, &key).cloned().ok_or_else(|| {
        ApiError::not_found(obj.res.info().group, obj.res.info().plural, &obj.meta.name)
    })
}

pub fn patch(
    shared: &Shared,
    res: Res,
    ns: &str,
    name: &str,
    sub: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Result<Resp, ApiError> {
    let kind: PatchType = patch::patch_type(content_type)?;
    let mut c = shared.cluster();
    let obj = load(&c, res, ns, name)?;
    match (res, sub) {
        (Res::Deployments | Res::StatefulSets, Some("scale")) => {
            let patched = patch::apply(scale_json(&obj), body, kind)?;
            set_replicas(&mut c, &obj, &patched)
        }
        (Res::Deployments | Res::StatefulSets, None) => {
            let patched = patch::apply(obj.to_json(), body, kind)?;
            check_rv(res, &obj, &patched)?;
            let stored = store_workload(&mut c, &obj, &patched)?;
            Ok(response::json(200, &stored.to_json()))
        }
        (Res::ConfigMaps, None) => {
            let patched = patch::apply(obj.to_json(), body, kind)?;
            check_rv(res, &obj, &patched)?;
            let stored = store_configmap(&mut c, Some(&obj), ns, &patched)?;
            Ok(response::json(200, &stored.to_json()))
        }
        _ => Err(ApiError::method_not_allowed(
            "patch",
            &super::qualified(res),
        )),
    }
}

fn set_replicas(c: &mut Cluster, obj: &Arc<Object>, scale: &Value) -> Result<Resp, ApiError> {
    check_rv(obj.res, obj, scale)?;
    let replicas = replicas_of(scale, "Scale", &obj.meta.name)?;
    let mut workload = obj.to_json();
    workload["spec"]["replicas"] = json!(replicas);
    let stored = store_workload(c, obj, &workload)?;
    Ok(response::json(200, &scale_json(&stored)))
}

pub fn scale_get(shared: &Shared, res: Res, ns: &str, name: &str) -> Result<Resp, ApiError> {
    let obj = load(&shared.cluster(), res, ns, name)?;
    Ok(response::json(200, &scale_json(&obj)))
}

pub fn put(
    shared: &Shared,
    res: Res,
    ns: &str,
    name: &str,
    sub: Option<&str>,
    body: &[u8],
) -> Result<Resp, ApiError> {
    let v = parse_body(body)?;
    let mut c = shared.cluster();
    match (res, sub) {
        (Res::Deployments | Res::StatefulSets, Some("scale")) => {
            let obj = load(&c, res, ns, name)?;
            set_replicas(&mut c, &obj, &v)
        }
        (Res::ConfigMaps, None) => {
            let obj = load(&c, res, ns, name)?;
            if v["metadata"]["name"].as_str() != Some(name) {
                return Err(ApiError::bad_request(format!(
                    "the name of the object ({}) does not match the name on the URL ({name})",
                    v["metadata"]["name"].as_str().unwrap_or("")
                )));
            }
            check_rv(res, &obj, &v)?;
            let stored = store_configmap(&mut c, Some(&obj), ns, &v)?;
            Ok(response::json(200, &stored.to_json()))
        }
        _ => Err(ApiError::method_not_allowed(
            "update",
            &super::qualified(res),
        )),
    }
}

pub fn create(shared: &Shared, res: Res, ns: &str, body: &[u8]) -> Result<Resp, ApiError> {
    if res != Res::ConfigMaps {
        return Err(ApiError::method_not_allowed(
            "create",
            &super::qualified(res),
        ));
    }
    let mut v = parse_body(body)?;
    if v["kind"].as_str().is_some_and(|k| k != "ConfigMap") {
        return Err(ApiError::bad_request(format!(
            "expected kind ConfigMap, got {}",
            v["kind"]
        )));
    }
    match v["metadata"]["namespace"].as_str() {
        Some(n) if !n.is_empty() && n != ns => return Err(ApiError::bad_request(
            "the namespace of the provided object does not match the namespace sent on the request",
        )),
        _ => {}
    }
    let mut c = shared.cluster();
    if c.store.get(Res::Namespaces, &key_of("", ns)).is_none() {
        return Err(
            ApiError::new(404, "NotFound", format!("namespaces \"{ns}\" not found"))
                .with_details(json!({"name": ns, "kind": "namespaces"})),
        );
    }
    if v["metadata"]["name"].as_str().unwrap_or("").is_empty() {
        match v["metadata"]["generateName"].as_str() {
            Some(g) if !g.is_empty() => {
                let seed = c.store.new_uid() as u64;
                v["metadata"]["name"] =
                    json!(format!("{g}{}", crate::model::meta::suffix(seed, 5)));
            }
            _ => {
                return Err(invalid(
                    "ConfigMap",
                    "",
                    "metadata.name",
                    "Required value: name or generateName is required",
                ))
            }
        }
    }
    let name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
    if c.store.get(res, &key_of(ns, &name)).is_some() {
        return Err(ApiError::new(
            409,
            "AlreadyExists",
            format!("configmaps \"{name}\" already exists"),
        )
        .with_details(json!({"name": name, "kind": "configmaps"})));
    }
    let stored = store_configmap(&mut c, None, ns, &v)?;
    Ok(response::json(201, &stored.to_json()))
}

fn store_configmap(
    c: &mut Cluster,
    existing: Option<&Arc<Object>>,
    ns: &str,
    v: &Value,
) -> Result<Arc<Object>, ApiError> {
    let name = v["metadata"]["name"].as_str().unwrap_or("").to_string();
    let valid_name = !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '.');
    if !valid_name {
        return Err(invalid("ConfigMap", &name, "metadata.name", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'"));
    }
    let mut body = Map::new();
    for field in ["data", "binaryData"] {
        match &v[field] {
            Value::Null => {}
            Value::Object(m) if m.values().all(Value::is_string) => {
                body.insert(field.into(), Value::Object(m.clone()));
            }
            _ => {
                return Err(invalid(
                    "ConfigMap",
                    &name,
                    field,
                    "must be a map of strings",
                ))
            }
        }
    }
    if let Some(imm) = v.get("immutable").filter(|i| !i.is_null()) {
        body.insert("immutable".into(), imm.clone());
    }
    let mut meta = match existing {
        Some(o) => {
            if o.field(&["immutable"]) == Some(&json!(true)) {
                return Err(invalid(
                    "ConfigMap",
                    &name,
                    "data",
                    "Forbidden: field is immutable when `immutable` is set",
                ));
            }
            o.meta.clone()
        }
        None => Meta {
            name: name.clone(),
            namespace: Arc::from(ns),
            ..Meta::default()
        },
    };
    take_metadata(&mut meta, v)?;
    Ok(c.store.put(Object {
        res: Res::ConfigMaps,
        meta,
        body: Body::Json(body),
    }))
}

//! The few protobuf request bodies kubectl sends for built-in types
//! (`auth whoami`/`can-i` reviews, DeleteOptions), decoded into the JSON
//! the handlers read. Answers are JSON, which such clients also accept.

use serde_json::{json, Value};

use super::router::Review;
use super::status::ApiError;

const MAGIC: &[u8] = b"k8s\x00";

enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
}

fn bad() -> ApiError {
    ApiError::bad_request("error decoding protobuf request body")
}

fn varint(buf: &[u8], pos: &mut usize) -> Result<u64, ApiError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *buf.get(*pos).ok_or_else(bad)?;
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(bad())
}

fn fields(buf: &[u8]) -> Result<Vec<(u64, Field<'_>)>, ApiError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let tag = varint(buf, &mut pos)?;
        let (num, wire) = (tag >> 3, tag & 7);
        match wire {
            0 => out.push((num, Field::Varint(varint(buf, &mut pos)?))),
            2 => {
                let len = varint(buf, &mut pos)? as usize;
                let end = pos
                    .checked_add(len)
                    .filter(|e| *e <= buf.len())
                    .ok_or_else(bad)?;
                out.push((num, Field::Bytes(&buf[pos..end])));
                pos = end;
            }
            1 => pos += 8,
            5 => pos += 4,
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

fn string(fs: &[(u64, Field<'_>)], n: u64) -> String {
    fs.iter()
        .find_map(|(k, f)| match f {
            Field::Bytes(b) if *k == n => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .unwrap_or_default()
}

fn strings(fs: &[(u64, Field<'_>)], n: u64) -> Vec<String> {
    fs.iter()
        .filter_map(|(k, f)| match f {
            Field::Bytes(b) if *k == n => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect()
}

fn message<'a>(fs: &[(u64, Field<'a>)], n: u64) -> Result<Vec<(u64, Field<'a>)>, ApiError> {
    match fs
        .iter()
        .find(|(k, f)| *k == n && matches!(f, Field::Bytes(_)))
    {
        Some((_, Field::Bytes(b))) => fields(b),
        _ => Ok(Vec::new()),
    }
}

/// The object inside the `k8s\0` + runtime.Unknown envelope.
fn unwrap(body: &[u8]) -> Result<Vec<(u64, Field<'_>)>, ApiError> {
    let inner = body.strip_prefix(MAGIC).ok_or_else(bad)?;
    let unknown = fields(inner)?;
    match unknown.into_iter().find(|(k, _)| *k == 2) {
        Some((_, Field::Bytes(raw))) => fields(raw),
        _ => Ok(Vec::new()),
    }
}

fn attributes(spec: &[(u64, Field<'_>)]) -> Result<Value, ApiError> {
    let mut out = json!({});
    let r = message(spec, 1)?;
    if !r.is_empty() {
        out["resourceAttributes"] = json!({
            "namespace": string(&r, 1), "verb": string(&r, 2), "group": string(&r, 3),
            "version": string(&r, 4), "resource": string(&r, 5), "subresource": string(&r, 6),
            "name": string(&r, 7),
        });
    }
    let n = message(spec, 2)?;
    if !n.is_empty() {
        out["nonResourceAttributes"] = json!({"path": string(&n, 1), "verb": string(&n, 2)});
    }
    Ok(out)
}

pub fn review(kind: Review, body: &[u8]) -> Result<Value, ApiError> {
    let obj = unwrap(body)?;
    if kind == Review::SelfSubject {
        return Ok(json!({}));
    }
    let spec = message(&obj, 2)?;
    let mut s = attributes(&spec)?;
    if kind == Review::SubjectAccess {
        s["user"] = json!(string(&spec, 3));
        s["groups"] = json!(strings(&spec, 4));
        s["uid"] = json!(string(&spec, 6));
    }
    Ok(json!({"spec": s}))
}

pub fn delete_options(body: &[u8]) -> Result<Value, ApiError> {
    let obj = unwrap(body)?;
    let mut out = json!({});
    for (k, f) in &obj {
        match (k, f) {
            (1, Field::Varint(v)) => out["gracePeriodSeconds"] = json!(*v as i64),
            (4, Field::Bytes(b)) => out["propagationPolicy"] = json!(String::from_utf8_lossy(b)),
            _ => {}
        }
    }
    let pre = message(&obj, 2)?;
    if !pre.is_empty() {
        out["preconditions"] = json!({"uid": string(&pre, 1), "resourceVersion": string(&pre, 2)});
        if string(&pre, 1).is_empty() {
            out["preconditions"]
                .as_object_mut()
                .map(|m| m.remove("uid"));
        }
    }
    Ok(out)
}

fn string_map(fs: &[(u64, Field<'_>)], n: u64) -> Result<Value, ApiError> {
    let mut m = serde_json::Map::new();
    for (k, f) in fs {
        if let (true, Field::Bytes(entry)) = (*k == n, f) {
            let e = fields(entry)?;
            m.insert(string(&e, 1), json!(string(&e, 2)));
        }
    }
    Ok(Value::Object(m))
}

/// A ConfigMap (`kubectl create configmap` sends protobuf).
pub fn configmap(body: &[u8]) -> Result<Value, ApiError> {
    let obj = unwrap(body)?;
    let meta = message(&obj, 1)?;
    let mut out = json!({
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {
            "name": string(&meta, 1),
            "generateName": string(&meta, 2),
            "namespace": string(&meta, 3),
            "resourceVersion": string(&meta, 6),
            "labels": string_map(&meta, 11)?,
            "annotations": string_map(&meta, 12)?,
        },
        "data": string_map(&obj, 2)?,
    });
    if obj
        .iter()
        .any(|(k, f)| *k == 4 && matches!(f, Field::Varint(1)))
    {
        out["immutable"] = json!(true);
    }
    Ok(out)
}

//! The patch formats kubectl sends: JSON merge patch (RFC 7386), strategic
//! merge patch (merge patch whose lists of named objects, like containers,
//! merge by name) and JSON patch (RFC 6902). Server-side apply is refused
//! with 415 rather than half-done.

use serde_json::{Map, Value};

use super::status::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Strategic,
    Json,
}

pub fn patch_type(content_type: &str) -> Result<PatchType, ApiError> {
    let base = content_type.split(';').next().unwrap_or("").trim();
    match base {
        "application/merge-patch+json" => Ok(PatchType::Merge),
        "application/strategic-merge-patch+json" => Ok(PatchType::Strategic),
        "application/json-patch+json" => Ok(PatchType::Json),
        other => Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            format!("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {other:?})"),
        )),
    }
}

fn merge(target: &mut Value, patch: &Value, strategic: bool) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Some(t) = target.as_object_mut() else {
        return;
    };
    for (k, v) in p {
        if strategic && k.starts_with('$') {
            continue;
        }
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Array(items) if strategic && items.iter().all(|i| i.get("name").is_some()) => {
                let existing = t.entry(k.clone()).or_insert_with(|| Value::Array(vec![]));
                if let Value::Array(cur) = existing {
                    for item in items {
                        match cur.iter_mut().find(|c| c.get("name") == item.get("name")) {
                            Some(c) => merge(c, item, true),
                            None => cur.push(item.clone()),
                        }
                    }
                } else {
                    *existing = v.clone();
                }
            }
            Value::Object(_) => merge(t.entry(k.clone()).or_insert(Value::Null), v, strategic),
            _ => {
                t.insert(k.clone(), v.clone());
            }
        }
    }
}

fn pointer_parts(path: &str) -> Result<Vec<String>, ApiError> {
    if path.is_empty() {
        return Ok(vec![]);
    }
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| ApiError::bad_request(format!("invalid JSON pointer {path:?}")))?;
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), ApiError> {
    let ops = ops
        .as_array()
        .ok_or_else(|| ApiError::bad_request("a JSON patch must be an array of operations"))?;
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"]
            .as_str()
            .ok_or_else(|| ApiError::bad_request("JSON patch operation without path"))?;
        let parts = pointer_parts(path)?;
        let Some((last, parents)) = parts.split_last() else {
            return Err(ApiError::bad_request(
                "JSON patch on the document root is not supported",
            ));
        };
        let mut parent = &mut *doc;
        for p in parents {
            parent = match parent {
                Value::Object(m) => m.get_mut(p),
                Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
                _ => None,
            }
            .ok_or_else(|| ApiError::new(422, "Invalid", format!("the server rejected our request due to an error in our request: path {path} not found")))?;
        }
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        let missing = || {
            ApiError::new(422, "Invalid", format!("the server rejected our request due to an error in our request: path {path} not found"))
        };
        match (kind, parent) {
            ("add" | "replace", Value::Object(m)) => {
                if kind == "replace" && !m.contains_key(last) {
                    return Err(missing());
                }
                m.insert(last.clone(), value);
            }
            ("add", Value::Array(a)) if last == "-" => a.push(value),
            ("add" | "replace", Value::Array(a)) => {
                let i: usize = last.parse().map_err(|_| missing())?;
                if kind == "add" && i <= a.len() {
                    a.insert(i, value);
                } else if i < a.len() {
                    a[i] = value;
                } else {
                    return Err(missing());
                }
            }
            ("remove", Value::Object(m)) => {
                m.remove(last).ok_or_else(missing)?;
            }
            ("remove", Value::Array(a)) => {
                let i: usize = last.parse().map_err(|_| missing())?;
                if i >= a.len() {
                    return Err(missing());
                }
                a.remove(i);
            }
            ("test", Value::Object(m)) => {
                if m.get(last) != Some(&value) {
                    return Err(ApiError::new(422, "Invalid", format!("the server rejected our request due to an error in our request: testing value {path} failed")));
                }
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unsupported JSON patch operation {kind:?} at {path}"
                )))
            }
        }
    }
    Ok(())
}

/// `doc` with `body` applied as a patch of type `kind`.
pub fn apply(mut doc: Value, body: &[u8], kind: PatchType) -> Result<Value, ApiError> {
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
    match kind {
        PatchType::Json => json_patch(&mut doc, &patch)?,
        PatchType::Merge | PatchType::Strategic => {
            if !patch.is_object() {
                return Err(ApiError::bad_request("a merge patch must be a JSON object"));
            }
            merge(&mut doc, &patch, kind == PatchType::Strategic);
        }
    }
    Ok(doc)
}

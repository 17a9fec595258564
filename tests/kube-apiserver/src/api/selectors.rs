//! Label selectors (=, ==, !=, in, notin, exists, !exists) and field
//! selectors (=, ==, !=) over the fields Kubernetes indexes per resource; an
//! unknown field is a 400, as on a real server.

use crate::model::object::Object;
use crate::model::pod::ip_string;
use crate::model::resources::Res;

use super::status::ApiError;

#[derive(Debug, Clone)]
enum LabelReq {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

#[derive(Debug, Clone, Default)]
pub struct LabelSelector(Vec<LabelReq>);

fn valid_label_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 316
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(s: &str) -> bool {
    s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Splits on commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_set(rest: &str, whole: &str) -> Result<Vec<String>, ApiError> {
    let rest = rest.trim();
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| bad_label(whole, "expected: '('"))?;
    let values: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).collect();
    if values.iter().any(|v| !valid_value(v)) {
        return Err(bad_label(whole, "invalid label value"));
    }
    Ok(values)
}

fn bad_label(req: &str, why: &str) -> ApiError {
    ApiError::bad_request(format!("unable to parse requirement: found '{req}', {why}"))
}

impl LabelSelector {
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector(reqs));
        }
        for part in split_top(s) {
            let p = part.trim();
            if p.is_empty() {
                return Err(bad_label(s, "expected: identifier"));
            }
            let req = if let Some(k) = p.strip_prefix('!') {
                LabelReq::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = p.split_once("!=") {
                LabelReq::NotEq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once("==") {
                LabelReq::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = p.split_once('=') {
                LabelReq::Eq(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, rest)) = p.split_once(" notin ") {
                LabelReq::NotIn(k.trim().to_string(), parse_set(rest, p)?)
            } else if let Some((k, rest)) = p.split_once(" in ") {
                LabelReq::In(k.trim().to_string(), parse_set(rest, p)?)
            } else {
                LabelReq::Exists(p.to_string())
            };
            let (key, value) = match &req {
                LabelReq::Eq(k, v) | LabelReq::NotEq(k, v) => (k, Some(v)),
                LabelReq::In(k, _) | LabelReq::NotIn(k, _) => (k, None),
                LabelReq::Exists(k) | LabelReq::NotExists(k) => (k, None),
            };
            if !valid_label_part(key) {
                return Err(bad_label(p, "invalid label key"));
            }
            if value.is_some_and(|v| !valid_value(v)) {
                return Err(bad_label(p, "invalid label value"));
            }
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, obj: &Object) -> bool {
        self.0.iter().all(|r| match r {
            LabelReq::Eq(k, v) => obj.meta.label(k) == Some(v.as_str()),
            LabelReq::NotEq(k, v) => obj.meta.label(k) != Some(v.as_str()),
            LabelReq::In(k, vs) => obj.meta.label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            LabelReq::NotIn(k, vs) => !obj.meta.label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            LabelReq::Exists(k) => obj.meta.label(k).is_some(),
            LabelReq::NotExists(k) => obj.meta.label(k).is_none(),
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct FieldSelector(Vec<(String, bool, String)>);

const EVENT_FIELDS: &[&str] = &[
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
];

fn supported(res: Res, field: &str) -> bool {
    if field == "metadata.name" || field == "metadata.namespace" {
        return true;
    }
    match res {
        Res::Pods => matches!(
            field,
            "spec.nodeName"
                | "status.phase"
                | "spec.restartPolicy"
                | "spec.schedulerName"
                | "spec.serviceAccountName"
                | "status.podIP"
        ),
        Res::Events => EVENT_FIELDS.contains(&field),
        Res::Nodes => field == "spec.unschedulable",
        Res::Namespaces => field == "status.phase",
        _ => false,
    }
}

impl FieldSelector {
    pub fn parse(s: &str, res: Res) -> Result<Self, ApiError> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(FieldSelector(reqs));
        }
        for part in s.split(',') {
            let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                )));
            };
            let field = field.trim();
            if !supported(res, field) {
                return Err(ApiError::bad_request(format!(
                    "field label not supported: {field}"
                )));
            }
            reqs.push((field.to_string(), eq, value.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, obj: &Object) -> bool {
        self.0.iter().all(|(field, eq, value)| {
            let actual = field_value(obj, field).unwrap_or_default();
            (actual == *value) == *eq
        })
    }
}

fn json_str(obj: &Object, path: &[&str]) -> Option<String> {
    obj.field(path).map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

fn field_value(obj: &Object, field: &str) -> Option<String> {
    match field {
        "metadata.name" => return Some(obj.meta.name.clone()),
        "metadata.namespace" => return Some(obj.meta.namespace.to_string()),
        _ => {}
    }
    if let Some(p) = obj.pod() {
        return match field {
            "spec.nodeName" => Some(p.node.as_deref().unwrap_or("").to_string()),
            "status.phase" => Some(p.phase.as_str().to_string()),
            "spec.restartPolicy" => Some(
                if obj.meta.owner.as_ref().is_some_and(|o| o.kind == "Job") {
                    "Never"
                } else {
                    "Always"
                }
                .to_string(),
            ),
            "spec.schedulerName" => Some("default-scheduler".to_string()),
            "spec.serviceAccountName" => Some(p.service_account.to_string()),
            "status.podIP" => Some(if p.pod_ip == 0 {
                String::new()
            } else {
                ip_string(p.pod_ip)
            }),
            _ => None,
        };
    }
    if let Some(n) = obj.node() {
        return match field {
            "spec.unschedulable" => Some(n.unschedulable.to_string()),
            _ => None,
        };
    }
    if field == "source" {
        return json_str(obj, &["source", "component"]);
    }
    let path: Vec<&str> = field.split('.').collect();
    json_str(obj, &path)
}

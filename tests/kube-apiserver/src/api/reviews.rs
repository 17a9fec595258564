//! SelfSubjectReview (`kubectl auth whoami`), SelfSubjectAccessReview
//! (`kubectl auth can-i`) and SubjectAccessReview, answered by the same
//! authoriser that guards every request.

use serde_json::{json, Map, Value};

use crate::auth::policies::{authorize, Attributes, User};

use super::router::Review;
use super::status::ApiError;

fn user_info(u: &User) -> Value {
    let extra: Map<String, Value> = u.extra.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut info = json!({"username": u.username, "uid": u.uid, "groups": u.groups});
    if !extra.is_empty() {
        info["extra"] = Value::Object(extra);
    }
    info
}

fn attributes(spec: &Value) -> Result<Attributes, ApiError> {
    if let Some(r) = spec.get("resourceAttributes").filter(|r| r.is_object()) {
        let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
        return Ok(Attributes {
            verb: s("verb"),
            group: s("group"),
            resource: s("resource"),
            subresource: s("subresource"),
            namespace: s("namespace"),
            name: s("name"),
            path: None,
        });
    }
    if let Some(n) = spec.get("nonResourceAttributes").filter(|r| r.is_object()) {
        return Ok(Attributes {
            verb: n["verb"].as_str().unwrap_or("").to_string(),
            path: Some(n["path"].as_str().unwrap_or("").to_string()),
            ..Attributes::default()
        });
    }
    Err(ApiError::new(422, "Invalid", "spec.resourceAttributes: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified"))
}

pub fn review(kind: Review, caller: &User, body: &[u8]) -> Result<Value, ApiError> {
    let req: Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding request body: {e}")))?
    };
    match kind {
        Review::SelfSubject => Ok(json!({
            "kind": "SelfSubjectReview",
            "apiVersion": "authentication.k8s.io/v1",
            "metadata": {"creationTimestamp": null},
            "status": {"userInfo": user_info(caller)},
        })),
        Review::SelfSubjectAccess | Review::SubjectAccess => {
            let spec = &req["spec"];
            let attrs = attributes(spec)?;
            let subject = if kind == Review::SubjectAccess {
                let user = spec["user"].as_str().unwrap_or("");
                let groups: Vec<String> = spec["groups"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|g| g.as_str().map(str::to_string))
                    .collect();
                if user.is_empty() && groups.is_empty() {
                    return Err(ApiError::new(422, "Invalid", "spec.user: Invalid value: \"\": at least one of user or group must be specified"));
                }
                User {
                    username: user.to_string(),
                    groups,
                    ..User::default()
                }
            } else {
                caller.clone()
            };
            let allowed = authorize(&subject, &attrs).is_ok();
            let mut status = json!({"allowed": allowed});
            if allowed {
                status["reason"] = json!(if subject.groups.iter().any(|g| g == "system:masters") {
                    "allowed by group system:masters"
                } else {
                    "allowed by an EKS access policy or a user-facing role"
                });
            }
            let (kind_name, api) = if kind == Review::SubjectAccess {
                ("SubjectAccessReview", "authorization.k8s.io/v1")
            } else {
                ("SelfSubjectAccessReview", "authorization.k8s.io/v1")
            };
            Ok(json!({
                "kind": kind_name,
                "apiVersion": api,
                "metadata": {"creationTimestamp": null},
                "spec": spec,
                "status": status,
            }))
        }
    }
}

//! Request paths as kube-apiserver lays them out, parsed into a route.

use std::collections::HashMap;

use crate::model::resources::Res;

use super::status::ApiError;

pub const GROUPS: &[(&str, &str)] = &[
    ("apps", "v1"),
    ("batch", "v1"),
    ("authentication.k8s.io", "v1"),
    ("authorization.k8s.io", "v1"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    SelfSubject,
    SelfSubjectAccess,
    SubjectAccess,
}

#[derive(Debug)]
pub enum Route {
    Health,
    Version,
    Api,
    Apis,
    Group(String),
    ResourceList(String),
    Resource {
        res: Res,
        namespace: Option<String>,
        name: Option<String>,
        sub: Option<String>,
    },
    Review(Review),
}

fn review(group: &str, plural: &str) -> Option<Review> {
    match (group, plural) {
        ("authentication.k8s.io", "selfsubjectreviews") => Some(Review::SelfSubject),
        ("authorization.k8s.io", "selfsubjectaccessreviews") => Some(Review::SelfSubjectAccess),
        ("authorization.k8s.io", "subjectaccessreviews") => Some(Review::SubjectAccess),
        _ => None,
    }
}

pub fn parse(path: &str) -> Result<Route, ApiError> {
    let decoded: Vec<String> = path
        .trim_end_matches('/')
        .split('/')
        .skip(1)
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let p: Vec<&str> = decoded.iter().map(String::as_str).collect();
    let (group, rest) = match p.as_slice() {
        ["healthz"] | ["livez"] | ["readyz"] => return Ok(Route::Health),
        ["version"] => return Ok(Route::Version),
        ["api"] => return Ok(Route::Api),
        ["apis"] => return Ok(Route::Apis),
        ["api", "v1"] => return Ok(Route::ResourceList(String::new())),
        ["api", "v1", rest @ ..] => ("", rest),
        ["apis", g] if GROUPS.iter().any(|(n, _)| n == g) => {
            return Ok(Route::Group(g.to_string()))
        }
        ["apis", g, "v1"] if GROUPS.iter().any(|(n, _)| n == g) => {
            return Ok(Route::ResourceList(g.to_string()))
        }
        ["apis", g, "v1", rest @ ..] if GROUPS.iter().any(|(n, _)| n == g) => (*g, rest),
        _ => return Err(ApiError::no_such_path()),
    };
    if let [plural] = rest {
        if let Some(r) = review(group, plural) {
            return Ok(Route::Review(r));
        }
    }
    // /namespaces/{ns}/{namespaced resource}/... or /{resource}/...
    let (namespace, rest) = match rest {
        ["namespaces", ns, plural, tail @ ..]
            if Res::find(group, plural).is_some_and(|r| r.info().namespaced) =>
        {
            (Some(ns.to_string()), {
                let mut v = vec![*plural];
                v.extend_from_slice(tail);
                v
            })
        }
        other => (None, other.to_vec()),
    };
    let (plural, name, sub) = match rest.as_slice() {
        [plural] => (*plural, None, None),
        [plural, name] => (*plural, Some(name.to_string()), None),
        [plural, name, sub] => (*plural, Some(name.to_string()), Some(sub.to_string())),
        _ => return Err(ApiError::no_such_path()),
    };
    let res = Res::find(group, plural).ok_or_else(ApiError::no_such_path)?;
    if let Some(s) = &sub {
        if !res.info().subresources.iter().any(|(n, _, _)| n == s) {
            return Err(ApiError::no_such_path());
        }
    }
    if name.as_deref() == Some("") {
        return Err(ApiError::no_such_path());
    }
    Ok(Route::Resource {
        res,
        namespace,
        name,
        sub,
    })
}

pub struct Query(HashMap<String, String>);

impl Query {
    pub fn parse(q: Option<&str>) -> Query {
        Query(
            form_urlencoded::parse(q.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub fn with(mut self, k: &str, v: String) -> Query {
        self.0.insert(k.to_string(), v);
        self
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }

    pub fn flag(&self, k: &str) -> Result<bool, ApiError> {
        match self.get(k) {
            None | Some("") | Some("0") | Some("false") | Some("False") => Ok(false),
            Some("1") | Some("true") | Some("True") => Ok(true),
            Some(v) => Err(ApiError::bad_request(format!(
                "invalid value for {k}: {v:?}"
            ))),
        }
    }

    pub fn number(&self, k: &str) -> Result<Option<i64>, ApiError> {
        match self.get(k) {
            None | Some("") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| {
                ApiError::bad_request(format!("invalid value for {k}: {v:?}: must be an integer"))
            }),
        }
    }
}

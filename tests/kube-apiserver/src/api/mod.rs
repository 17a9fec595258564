//! The Kubernetes API: authentication, authorisation, content negotiation
//! and routing of each request to its handler; every failure is a Status.

pub mod discovery;
pub mod patch;
pub mod pod_logs;
pub mod protobuf;
pub mod read;
pub mod response;
pub mod reviews;
pub mod router;
pub mod selectors;
pub mod status;
pub mod table;
pub mod watch;
pub mod write;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;

use crate::auth::policies::{authorize, forbidden, Attributes};
use crate::model::resources::Res;
use crate::state::Shared;

use response::Resp;
use router::{Query, Route};
use status::ApiError;

const MAX_BODY: usize = 3 * 1024 * 1024;

/// `pods`, `deployments.apps`: a resource as Kubernetes names it in messages.
pub fn qualified(res: Res) -> String {
    match res.info().group {
        "" => res.info().plural.to_string(),
        g => format!("{}.{g}", res.info().plural),
    }
}

pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Resp {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    match dispatch(shared, req).await {
        Ok(r) => r,
        Err(e) => response::error(&e),
    }
}

fn header(req: &Request<Incoming>, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Whether the client accepts a JSON answer (Tables count; aggregated
/// discovery and protobuf-only do not).
fn acceptable(accept: &str, plain_text: bool) -> bool {
    if accept.trim().is_empty() {
        return true;
    }
    accept.split(',').any(|entry| {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or("");
        let as_kind = parts.find_map(|p| p.strip_prefix("as="));
        let json_like = matches!(media, "application/json" | "*/*" | "application/*")
            || (plain_text && media.starts_with("text/"));
        json_like && matches!(as_kind, None | Some("Table"))
    })
}

fn verb_of(method: &Method, name: bool, watch: bool) -> &'static str {
    match (method.as_str(), name, watch) {
        ("GET", _, true) => "watch",
        ("GET", true, _) => "get",
        ("GET", false, _) => "list",
        ("POST", _, _) => "create",
        ("PUT", _, _) => "update",
        ("PATCH", _, _) => "patch",
        ("DELETE", true, _) => "delete",
        ("DELETE", false, _) => "deletecollection",
        _ => "unknown",
    }
}

async fn dispatch(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Resp, ApiError> {
    let path = req.uri().path().to_string();
    let q = Query::parse(req.uri().query());
    let method = req.method().clone();
    let accept = header(&req, "accept");
    let content_type = header(&req, "content-type");
    let authorization = header(&req, "authorization");
    let route = router::parse(&path);
    if matches!(route, Ok(Route::Health)) {
        return Ok(response::bytes(200, "text/plain", "ok"));
    }
    if matches!(route, Ok(Route::Version)) && method == Method::GET {
        // system:public-info-viewer: /version needs no credentials.
        return Ok(response::json(200, &discovery::version()));
    }
    if let Some(code) = shared.take_failure() {
        return Err(match code {
            401 => ApiError::unauthorized(),
            403 => ApiError::new(
                403,
                "Forbidden",
                "forbidden: injected failure (control API /fail)",
            ),
            c => ApiError::new(
                c,
                "InternalError",
                format!("injected failure {c} (control API /fail)"),
            ),
        });
    }
    let user = shared
        .auth
        .authenticate(
            Some(&authorization)
                .filter(|a| !a.is_empty())
                .map(String::as_str),
        )
        .await?;
    let is_log = path.ends_with("/log");
    if !acceptable(&accept, is_log) {
        return Err(ApiError::new(
            406,
            "NotAcceptable",
            "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf",
        ));
    }
    let body: Bytes = Limited::new(req.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|_| {
            ApiError::new(
                413,
                "RequestEntityTooLarge",
                "the request body is too large or could not be read",
            )
        })?
        .to_bytes();
    let route = route?;
    let base_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    // kubectl sends a few built-in types as protobuf; those are decoded,
    // any other non-JSON body is refused.
    let protobuf = !body.is_empty() && base_type == "application/vnd.kubernetes.protobuf";
    let body: Bytes = match (&route, protobuf, method.as_str()) {
        (Route::Review(r), true, _) => Bytes::from(protobuf::review(*r, &body)?.to_string()),
        (Route::Resource { .. }, true, "DELETE") => {
            Bytes::from(protobuf::delete_options(&body)?.to_string())
        }
        (
            Route::Resource {
                res: Res::ConfigMaps,
                sub: None,
                ..
            },
            true,
            "POST" | "PUT",
        ) => Bytes::from(protobuf::configmap(&body)?.to_string()),
        _ => body,
    };
    let watch = q.flag("watch")?;
    let (attrs, target) = match &route {
        Route::Resource {
            res,
            namespace,
            name,
            sub,
        } => {
            let i = res.info();
            (
                Attributes {
                    verb: verb_of(&method, name.is_some(), watch).to_string(),
                    group: i.group.to_string(),
                    resource: i.plural.to_string(),
                    subresource: sub.clone().unwrap_or_default(),
                    namespace: namespace.clone().unwrap_or_default(),
                    name: name.clone().unwrap_or_default(),
                    path: None,
                },
                Some((*res, namespace.clone(), name.clone(), sub.clone())),
            )
        }
        Route::Review(r) => {
            let (group, resource) = match r {
                router::Review::SelfSubject => ("authentication.k8s.io", "selfsubjectreviews"),
                router::Review::SelfSubjectAccess => {
                    ("authorization.k8s.io", "selfsubjectaccessreviews")
                }
                router::Review::SubjectAccess => ("authorization.k8s.io", "subjectaccessreviews"),
            };
            let verb = verb_of(&method, false, false);
            (
                Attributes {
                    verb: verb.into(),
                    group: group.into(),
                    resource: resource.into(),
                    ..Attributes::default()
                },
                None,
            )
        }
        _ => (
            Attributes {
                verb: method.as_str().to_lowercase(),
                path: Some(path.clone()),
                ..Attributes::default()
            },
            None,
        ),
    };
    if authorize(&user, &attrs).is_err() {
        return Err(forbidden(&user, &attrs));
    }
    match route {
        Route::Health
        | Route::Version
        | Route::Api
        | Route::Apis
        | Route::Group(_)
        | Route::ResourceList(_)
            if method != Method::GET =>
        {
            Err(ApiError::new(
                405,
                "MethodNotAllowed",
                format!("{method} is not supported on {path}"),
            ))
        }
        Route::Health => Ok(response::bytes(200, "text/plain", "ok")),
        Route::Version => Ok(response::json(200, &discovery::version())),
        Route::Api => Ok(response::json(200, &discovery::api_versions())),
        Route::Apis => Ok(response::json(200, &discovery::group_list())),
        Route::Group(g) => Ok(response::json(200, &discovery::group(&g))),
        Route::ResourceList(g) => Ok(response::json(200, &discovery::resource_list(&g))),
        Route::Review(r) => {
            if method != Method::POST {
                return Err(ApiError::method_not_allowed(&attrs.verb, &attrs.resource));
            }
            Ok(response::json(201, &reviews::review(r, &user, &body)?))
        }
        Route::Resource { .. } => {
            let Some((res, namespace, name, sub)) = target else {
                return Err(ApiError::no_such_path());
            };
            resource(
                shared,
                &method,
                res,
                namespace,
                name,
                sub,
                q,
                &accept,
                &content_type,
                &body,
                watch,
            )
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn resource(
    shared: Arc<Shared>,
    method: &Method,
    res: Res,
    namespace: Option<String>,
    name: Option<String>,
    sub: Option<String>,
    q: Query,
    accept: &str,
    content_type: &str,
    body: &[u8],
    watch: bool,
) -> Result<Resp, ApiError> {
    let info = res.info();
    let not_allowed = |verb: &str| Err(ApiError::method_not_allowed(verb, &qualified(res)));
    // A namespaced object is only reachable under its namespace.
    if info.namespaced && namespace.is_none() && name.is_some() {
        return Err(ApiError::no_such_path());
    }
    let ns = namespace.clone().unwrap_or_default();
    let verb = verb_of(method, name.is_some(), watch);
    if let Some(sub) = sub.as_deref() {
        let name = name.unwrap_or_default();
        let verbs = info
            .subresources
            .iter()
            .find(|(n, _, _)| *n == sub)
            .map(|s| s.2)
            .unwrap_or(&[]);
        if !verbs.contains(&verb) {
            return not_allowed(verb);
        }
        return match (sub, verb) {
            ("log", "get") => pod_logs::logs(shared, &ns, &name, &q),
            ("scale", "get") => write::scale_get(&shared, res, &ns, &name),
            ("scale", "update") => write::put(&shared, res, &ns, &name, Some(sub), body),
            ("scale", "patch") => {
                write::patch(&shared, res, &ns, &name, Some(sub), content_type, body)
            }
            _ => not_allowed(verb),
        };
    }
    if !res.supports(verb) {
        return not_allowed(verb);
    }
    if matches!(verb, "create" | "update") && !body.is_empty() && !body.starts_with(b"{") {
        let base = content_type.split(';').next().unwrap_or("").trim();
        return Err(ApiError::new(
            415,
            "UnsupportedMediaType",
            format!("the body of the request was in an unknown format - accepted media types include: application/json (got {base:?})"),
        ));
    }
    match (verb, name) {
        ("watch", Some(n)) => {
            let q = q.with("fieldSelector", format!("metadata.name={n}"));
            watch::watch(shared, res, namespace.as_deref(), &q, accept)
        }
        ("watch", None) => watch::watch(shared, res, namespace.as_deref(), &q, accept),
        ("get", Some(n)) => read::get(&shared, res, &ns, &n, accept, &q),
        ("list", None) => read::list(&shared, res, namespace.as_deref(), &q, accept),
        ("delete", Some(n)) => write::delete(&shared, res, &ns, &n, &q, body),
        ("patch", Some(n)) => write::patch(&shared, res, &ns, &n, None, content_type, body),
        ("update", Some(n)) => write::put(&shared, res, &ns, &n, None, body),
        ("create", None) if info.namespaced && namespace.is_some() => {
            write::create(&shared, res, &ns, body)
        }
        _ => not_allowed(verb),
    }
}

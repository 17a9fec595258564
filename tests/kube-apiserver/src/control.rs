//! The control API (plain HTTP JSON on loopback) that tests and benchmarks
//! drive the simulated cluster with: scale, churn, compaction, restarts,
//! dropped connections, injected failures, pods with given logs, tokens.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use http::{Method, Request};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use serde_json::{json, Value};

use crate::api::response::{self, Resp};
use crate::auth::static_user;
use crate::model::meta::{key_of, now, Meta};
use crate::model::object::{Body, Object};
use crate::model::pod::{Container, Phase, Pod, State, Terminated};
use crate::model::resources::{Res, ALL};
use crate::sim::scale::scale;
use crate::sim::seed::ensure_namespace;
use crate::state::Shared;

fn bad(msg: impl Into<String>) -> Resp {
    response::json(400, &json!({"error": msg.into()}))
}

pub fn stats(shared: &Shared) -> Value {
    let c = shared.cluster();
    let objects: serde_json::Map<String, Value> = ALL
        .iter()
        .map(|r| (r.info().plural.to_string(), json!(c.store.count(*r))))
        .collect();
    json!({
        "objects": objects,
        "openWatches": shared.open_watches.load(Ordering::Relaxed),
        "requests": shared.requests.load(Ordering::Relaxed),
        "resourceVersion": c.store.rv().to_string(),
        "compactedResourceVersion": c.store.compacted_rv().to_string(),
        "podUpdatesPerSecond": shared.churn_rate(),
    })
}

pub async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let body = match Limited::new(req.into_body(), 8 * 1024 * 1024)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => return bad("body too large or unreadable"),
    };
    let v: Value = if body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return bad(format!("invalid JSON: {e}")),
        }
    };
    match (method, path.as_str()) {
        (Method::GET, "/stats") => response::json(200, &stats(&shared)),
        (Method::POST, "/scale") => {
            let nodes = v["nodes"].as_u64().map(|n| n as usize);
            let pods = v["pods"].as_u64().map(|n| n as usize);
            if nodes.is_none() && pods.is_none() {
                return bad("expected {\"nodes\":N,\"pods\":M}");
            }
            let s = shared.clone();
            let started = std::time::Instant::now();
            let done = tokio::task::spawn_blocking(move || {
                let mut c = s.cluster();
                scale(&mut c, nodes, pods);
            })
            .await;
            if done.is_err() {
                return response::json(500, &json!({"error": "scale failed"}));
            }
            let mut out = stats(&shared);
            out["millis"] = json!(started.elapsed().as_millis() as u64);
            response::json(200, &out)
        }
        (Method::POST, "/churn") => match v["podUpdatesPerSecond"].as_f64() {
            Some(r) if r >= 0.0 => {
                shared.set_churn_rate(r);
                response::json(200, &stats(&shared))
            }
            _ => bad("expected {\"podUpdatesPerSecond\":R} with R >= 0"),
        },
        (Method::POST, "/compact") => {
            shared.cluster().store.compact();
            response::json(200, &stats(&shared))
        }
        (Method::POST, "/history") => match v["events"].as_u64() {
            Some(n) if n > 0 => {
                shared.cluster().store.set_history(n as usize);
                response::json(200, &stats(&shared))
            }
            _ => bad("expected {\"events\":N} with N > 0"),
        },
        (Method::POST, "/restart") => {
            shared.restart.send_modify(|e| *e += 1);
            response::json(200, &stats(&shared))
        }
        (Method::POST, "/drop-connections") => {
            shared.silence.send_modify(|e| *e += 1);
            response::json(200, &stats(&shared))
        }
        (Method::POST, "/fail") => {
            let status = v["status"].as_u64().filter(|s| (400..600).contains(s));
            let count = v["count"].as_u64().unwrap_or(1);
            match status {
                Some(s) => {
                    *shared.failures.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((s as u16, count));
                    response::json(200, &json!({"status": s, "count": count}))
                }
                None => bad("expected {\"status\":401|403|...,\"count\":N}"),
            }
        }
        (Method::POST, "/tokens") => {
            let (Some(token), Some(user)) = (v["token"].as_str(), v["username"].as_str()) else {
                return bad("expected {\"token\",\"username\",\"groups\"}");
            };
            let groups = v["groups"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|g| g.as_str().map(str::to_string))
                .collect();
            shared
                .auth
                .add_static(token.to_string(), static_user(user, groups));
            response::json(200, &json!({"token": token, "username": user}))
        }
        (Method::POST, "/bookmark-interval") => match v["millis"].as_u64() {
            Some(m) if m >= 10 => {
                shared.bookmark_millis.store(m, Ordering::Relaxed);
                response::json(200, &json!({"millis": m}))
            }
            _ => bad("expected {\"millis\":N} with N >= 10"),
        },
        (Method::POST, "/logs") => {
            let (Some(ns), Some(pod)) = (v["namespace"].as_str(), v["pod"].as_str()) else {
                return bad("expected {\"namespace\",\"pod\",\"container\",\"lines\":[...]}");
            };
            let container = match v["container"].as_str() {
                Some(c) => c.to_string(),
                None => {
                    let c = shared.cluster();
                    match c.store.get(Res::Pods, &key_of(ns, pod)).and_then(|p| {
                        p.pod()
                            .and_then(|p| p.containers.first().map(|c| c.name.to_string()))
                    }) {
                        Some(name) => name,
                        None => {
                            return response::json(
                                404,
                                &json!({"error": format!("pod {ns}/{pod} not found")}),
                            )
                        }
                    }
                }
            };
            let lines = strings(&v["lines"]);
            shared.logs.append(ns, pod, &container, lines);
            response::json(200, &json!({"appended": true}))
        }
        (Method::POST, "/pods") => match create_pod(&shared, &v) {
            Ok(obj) => response::json(200, &obj),
            Err(e) => bad(e),
        },
        _ => response::json(
            404,
            &json!({"error": format!("no control endpoint {path}")}),
        ),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn create_pod(shared: &Shared, v: &Value) -> Result<Value, String> {
    let ns = v["namespace"].as_str().unwrap_or("default").to_string();
    let name = v["name"]
        .as_str()
        .filter(|n| !n.is_empty())
        .ok_or("name is required")?
        .to_string();
    let phase = match v["phase"].as_str() {
        Some(p) => Phase::parse(p).ok_or(format!("unknown phase {p}"))?,
        None => Phase::Running,
    };
    let t = now();
    let specs = v["containers"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| vec![json!({"name": "main"})]);
    let mut containers = Vec::new();
    for s in &specs {
        let cname = s["name"].as_str().unwrap_or("main");
        let image = s["image"]
            .as_str()
            .unwrap_or("public.ecr.aws/docker/library/busybox:1.36");
        let mut c = Container::running(cname, image, 50, 64, t - 60);
        c.restarts = s["restarts"].as_u64().unwrap_or(0) as u32;
        if c.restarts > 0 {
            c.last = Some(Terminated {
                reason: "Error".into(),
                exit_code: 1,
                started: t - 120,
                finished: t - 60,
            });
        }
        match s["state"].as_str().unwrap_or(if phase == Phase::Running {
            "running"
        } else {
            ""
        }) {
            "running" => {}
            "" if phase == Phase::Pending => {
                c.ready = false;
                c.state = State::Waiting {
                    reason: "ContainerCreating".into(),
                    message: String::new(),
                };
            }
            "" => {
                c.ready = false;
                let ok = phase == Phase::Succeeded;
                c.state = State::Terminated(Terminated {
                    reason: (if ok { "Completed" } else { "Error" }).into(),
                    exit_code: if ok { 0 } else { 1 },
                    started: t - 60,
                    finished: t - 5,
                });
            }
            other => {
                let (kind, reason) = other.split_once(':').unwrap_or((other, ""));
                c.ready = false;
                c.state = match kind {
                    "waiting" => State::Waiting {
                        reason: reason.into(),
                        message: format!("{reason} (control API)"),
                    },
                    "terminated" => State::Terminated(Terminated {
                        reason: reason.into(),
                        exit_code: if reason == "Completed" { 0 } else { 1 },
                        started: t - 60,
                        finished: t - 5,
                    }),
                    _ => {
                        return Err(format!(
                        "state {other:?}: expected running, waiting:REASON or terminated:REASON"
                    ))
                    }
                };
            }
        }
        if let Some(r) = s["ready"].as_bool() {
            c.ready = r;
        }
        containers.push(c);
    }
    let kv = |field: &str| -> Vec<(String, String)> {
        v[field]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut c = shared.cluster();
    ensure_namespace(&mut c, &ns, t);
    let (node, host_ip) = match v["node"].as_str() {
        Some(n) => {
            let ip = c
                .store
                .get(Res::Nodes, &key_of("", n))
                .and_then(|o| o.node().map(|n| n.ip))
                .ok_or(format!("no node {n}"))?;
            (Some(std::sync::Arc::<str>::from(n)), ip)
        }
        None if phase == Phase::Pending => (None, 0),
        None => c
            .pick_node()
            .map(|(n, ip)| (Some(n), ip))
            .unwrap_or((None, 0)),
    };
    let pod_ip = if node.is_some() { c.next_pod_ip() } else { 0 };
    let mut labels: Vec<(std::sync::Arc<str>, std::sync::Arc<str>)> = kv("labels")
        .into_iter()
        .map(|(k, v)| (k.as_str().into(), v.as_str().into()))
        .collect();
    labels.sort();
    let key = key_of(&ns, &name);
    if c.store.get(Res::Pods, &key).is_some() {
        c.store.remove(Res::Pods, &key);
    }
    let obj = c.store.put(Object {
        res: Res::Pods,
        meta: Meta {
            name: name.clone(),
            namespace: ns.as_str().into(),
            labels,
            annotations: kv("annotations"),
            created: t - 60,
            ..Meta::default()
        },
        body: Body::Pod(Box::new(Pod {
            node,
            phase,
            containers,
            pod_ip,
            host_ip,
            started: t - 60,
            service_account: "default".into(),
            system_critical: false,
            unschedulable: None,
        })),
    });
    drop(c);
    shared.logs.clear_pod(&ns, &name);
    let hostile = v["hostile"].as_bool().unwrap_or(false);
    for (i, s) in specs.iter().enumerate() {
        let cname = s["name"].as_str().unwrap_or("main");
        let mut lines = strings(&s["logs"]);
        if i == 0 {
            lines.extend(strings(&v["lines"]));
        }
        if hostile {
            lines.extend(crate::logs::HOSTILE.iter().map(|l| l.to_string()));
        }
        if !lines.is_empty() || hostile {
            shared.logs.set_custom(&ns, &name, cname, lines, t - 60);
        }
    }
    Ok(obj.to_json())
}

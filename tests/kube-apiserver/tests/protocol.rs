//! The wire protocol, checked with a raw HTTPS client: consistent paging
//! under churn, 410 for compacted history, bookmarks, timeouts, restarts,
//! dropped connections, injected failures and Status errors.

mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::https::{Client, Stream};
use support::Server;

fn start(extra: &[&str]) -> (Server, Client) {
    let mut args = vec!["--static-token", "admin-token=admin:system:masters"];
    args.extend_from_slice(extra);
    let s = Server::start(&args);
    let c = Client::new(&s.url, &s.ca_file, "admin-token");
    (s, c)
}

async fn rv_now(c: &Client) -> String {
    let r = c.get("/api/v1/namespaces?limit=1").await;
    r.json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn lines_until(
    stream: &mut Stream,
    timeout: Duration,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(v) = stream.next_json(Duration::from_millis(200)).await {
            if pred(&v) {
                return v;
            }
        }
        assert!(!stream.ended, "the stream ended before the expected event");
    }
    panic!("no matching event within {timeout:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_is_consistent_while_churn_runs() {
    let (s, c) = start(&["--nodes", "20", "--pods", "3000"]);
    s.control("POST", "/churn", json!({"podUpdatesPerSecond": 200}));
    let first = c.get("/api/v1/pods?limit=250").await.json();
    let rv = first["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let expected = first["items"].as_array().unwrap().len() as u64
        + first["metadata"]["remainingItemCount"].as_u64().unwrap();
    let mut names: Vec<String> = Vec::new();
    let mut page = first;
    loop {
        assert_eq!(
            page["metadata"]["resourceVersion"],
            rv.as_str(),
            "every page is of the same snapshot"
        );
        for i in page["items"].as_array().unwrap() {
            names.push(format!(
                "{}/{}",
                i["metadata"]["namespace"].as_str().unwrap(),
                i["metadata"]["name"].as_str().unwrap()
            ));
        }
        let Some(cont) = page["metadata"]["continue"].as_str().map(str::to_string) else {
            break;
        };
        // Churn moves on between pages.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let r = c
            .get(&format!("/api/v1/pods?limit=250&continue={cont}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        page = r.json();
    }
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "no pod twice");
    assert_eq!(names.len() as u64, expected);
    let exact = c
        .get(&format!(
            "/api/v1/pods?resourceVersion={rv}&resourceVersionMatch=Exact"
        ))
        .await
        .json();
    let at_rv: HashSet<String> = exact["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}/{}",
                i["metadata"]["namespace"].as_str().unwrap(),
                i["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        at_rv,
        names.iter().cloned().collect::<HashSet<_>>(),
        "paging saw exactly the snapshot"
    );
    let moved = s.stats()["resourceVersion"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert!(
        moved > rv.parse::<u64>().unwrap() + 50,
        "churn ran while paging"
    );
    // A page of 500 from a big list is quick.
    let t = Instant::now();
    let r = c.get("/api/v1/pods?limit=500").await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 500);
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "a 500-pod page took {:?}",
        t.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn compacted_history_is_410_for_watches_and_continue_tokens() {
    let (s, c) = start(&["--simulate"]);
    let old = rv_now(&c).await;
    let page = c.get("/api/v1/pods?limit=2").await.json();
    let cont = page["metadata"]["continue"].as_str().unwrap().to_string();
    s.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "moves-rv"}),
    );
    s.control("POST", "/compact", Value::Null);
    let mut w = c
        .stream(&format!("/api/v1/pods?watch=1&resourceVersion={old}"))
        .await;
    assert_eq!(w.status, 200);
    let ev = w
        .next_json(Duration::from_secs(5))
        .await
        .expect("an ERROR event");
    assert_eq!(ev["type"], "ERROR");
    assert_eq!(ev["object"]["kind"], "Status");
    assert_eq!(ev["object"]["code"], 410);
    assert_eq!(ev["object"]["reason"], "Expired");
    assert!(
        ev["object"]["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("too old resource version: {old} (")),
        "{ev}"
    );
    assert!(
        w.next(Duration::from_secs(5)).await.is_none() && w.ended,
        "the watch ends after the error"
    );
    let r = c
        .get(&format!("/api/v1/pods?limit=2&continue={cont}"))
        .await;
    assert_eq!(r.status, 410, "{}", r.body);
    assert_eq!(r.json()["reason"], "Expired");
    // A watch from now still works, and sees changes.
    let now = rv_now(&c).await;
    let mut w = c
        .stream(&format!(
            "/api/v1/namespaces/default/pods?watch=true&resourceVersion={now}"
        ))
        .await;
    s.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "after-compact"}),
    );
    let ev = lines_until(&mut w, Duration::from_secs(5), |v| {
        v["object"]["metadata"]["name"] == "after-compact"
    })
    .await;
    assert_eq!(ev["type"], "ADDED");
}

#[tokio::test(flavor = "multi_thread")]
async fn bookmarks_timeouts_restarts_and_dropped_connections() {
    let (s, c) = start(&["--simulate"]);
    s.control("POST", "/bookmark-interval", json!({"millis": 100}));
    let rv = rv_now(&c).await;
    let mut w = c
        .stream(&format!(
            "/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion={rv}"
        ))
        .await;
    let b = lines_until(&mut w, Duration::from_secs(5), |v| v["type"] == "BOOKMARK").await;
    assert_eq!(b["object"]["kind"], "Pod");
    assert_eq!(
        b["object"]["metadata"].as_object().unwrap().len(),
        1,
        "only resourceVersion: {b}"
    );
    assert!(
        b["object"]["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= rv.parse::<u64>().unwrap()
    );

    let t = Instant::now();
    let mut short = c.stream("/api/v1/nodes?watch=1&timeoutSeconds=1").await;
    while !short.ended {
        short.next(Duration::from_secs(5)).await;
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "timeoutSeconds=1 ends the stream"
        );
    }
    assert!(t.elapsed() >= Duration::from_millis(900));

    // A dropped connection: open, silent, not even bookmarks.
    s.control("POST", "/drop-connections", Value::Null);
    while w.next(Duration::from_millis(300)).await.is_some() {}
    s.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "unseen"}),
    );
    assert!(
        w.next(Duration::from_millis(800)).await.is_none() && !w.ended,
        "silent but open"
    );
    assert!(s.stats()["openWatches"].as_u64().unwrap() >= 1);

    // A restart closes every watch at once; the server keeps serving.
    let rv = rv_now(&c).await;
    let mut fresh = c
        .stream(&format!("/api/v1/pods?watch=1&resourceVersion={rv}"))
        .await;
    s.control("POST", "/restart", Value::Null);
    let t = Instant::now();
    while !(fresh.ended && w.ended) {
        fresh.next(Duration::from_millis(200)).await;
        w.next(Duration::from_millis(200)).await;
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "watches closed by the restart"
        );
    }
    assert_eq!(c.get("/api/v1/namespaces").await.status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn watches_start_with_the_current_state_and_apply_selectors() {
    let (s, c) = start(&["--simulate"]);
    let mut w = c
        .stream("/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dweb")
        .await;
    let mut added = 0;
    while let Some(v) = w.next_json(Duration::from_millis(500)).await {
        assert_eq!(v["type"], "ADDED");
        assert_eq!(v["object"]["metadata"]["labels"]["app"], "web");
        added += 1;
    }
    assert_eq!(added, 3, "the three web pods first");
    s.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "not-web", "labels": {"app": "other"}}),
    );
    s.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "web-extra", "labels": {"app": "web"}}),
    );
    let ev = w.next_json(Duration::from_secs(5)).await.expect("event");
    assert_eq!(
        ev["object"]["metadata"]["name"], "web-extra",
        "the other pod is filtered out: {ev}"
    );
    // A single object watched by name.
    let mut one = c
        .stream("/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dweb-extra")
        .await;
    let ev = one.next_json(Duration::from_secs(5)).await.expect("ADDED");
    assert_eq!(ev["object"]["metadata"]["name"], "web-extra");
    let del = c
        .request(
            "DELETE",
            "/api/v1/namespaces/default/pods/web-extra",
            &[],
            vec![],
        )
        .await;
    assert_eq!(del.status, 200);
    assert!(del.json()["metadata"]["deletionTimestamp"].is_string());
    let ev = lines_until(&mut one, Duration::from_secs(5), |v| v["type"] == "DELETED").await;
    assert_eq!(ev["object"]["metadata"]["name"], "web-extra");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_kubernetes_status_objects() {
    let (s, c) = start(&["--simulate"]);
    let status = |r: &support::https::Reply, code: u16, reason: &str| {
        assert_eq!(r.status, code, "{}", r.body);
        let v = r.json();
        assert_eq!(v["kind"], "Status");
        assert_eq!(v["apiVersion"], "v1");
        assert_eq!(v["status"], "Failure");
        assert_eq!(v["code"], code);
        assert_eq!(v["reason"], reason, "{v}");
        v
    };
    status(
        &c.with_token("").get("/api/v1/pods").await,
        401,
        "Unauthorized",
    );
    status(
        &c.with_token("nope").get("/api/v1/pods").await,
        401,
        "Unauthorized",
    );
    status(&c.get("/api/v1/secrets").await, 404, "NotFound");
    status(
        &c.get("/apis/networking.k8s.io/v1/ingresses").await,
        404,
        "NotFound",
    );
    let v = status(
        &c.get("/api/v1/namespaces/default/pods/nope").await,
        404,
        "NotFound",
    );
    assert_eq!(v["message"], "pods \"nope\" not found");
    assert_eq!(v["details"]["name"], "nope");
    status(
        &c.request(
            "PUT",
            "/api/v1/namespaces/default/pods/x",
            &[],
            b"{}".to_vec(),
        )
        .await,
        405,
        "MethodNotAllowed",
    );
    status(
        &c.request(
            "POST",
            "/api/v1/namespaces/default/pods",
            &[],
            b"{}".to_vec(),
        )
        .await,
        405,
        "MethodNotAllowed",
    );
    status(
        &c.request("DELETE", "/api/v1/nodes/x", &[], vec![]).await,
        405,
        "MethodNotAllowed",
    );
    let v = status(
        &c.get("/api/v1/pods?fieldSelector=spec.color%3Dred").await,
        400,
        "BadRequest",
    );
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("field label not supported: spec.color"));
    status(
        &c.get("/api/v1/pods?labelSelector=a%20in%20b").await,
        400,
        "BadRequest",
    );
    status(&c.get("/api/v1/pods?limit=ten").await, 400, "BadRequest");
    status(
        &c.get("/api/v1/pods?continue=garbage").await,
        400,
        "BadRequest",
    );
    let patch = c
        .request(
            "PATCH",
            "/apis/apps/v1/namespaces/default/deployments/web",
            &[("content-type", "application/apply-patch+yaml")],
            b"{}".to_vec(),
        )
        .await;
    status(&patch, 415, "UnsupportedMediaType");
    // Field selectors that work.
    let running = c
        .get("/api/v1/pods?fieldSelector=status.phase%3DRunning,metadata.namespace%3Dkube-system")
        .await
        .json();
    assert!(running["items"].as_array().unwrap().len() >= 8);
    let node = running["items"][0]["spec"]["nodeName"]
        .as_str()
        .unwrap()
        .to_string();
    let on_node = c
        .get(&format!(
            "/api/v1/pods?fieldSelector=spec.nodeName%3D{node}"
        ))
        .await
        .json();
    assert!(on_node["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["spec"]["nodeName"] == node.as_str()));
    let sel = c
        .get("/api/v1/pods?labelSelector=app%20in%20(web,cart),app!%3Dcart,!job-name")
        .await
        .json();
    assert_eq!(sel["items"].as_array().unwrap().len(), 3);
    let ev = c
        .get("/api/v1/events?fieldSelector=involvedObject.kind%3DPod,type%3DWarning")
        .await
        .json();
    assert!(
        !ev["items"].as_array().unwrap().is_empty(),
        "warning events about pods"
    );
    // Injected failures: the next two requests, then normal again.
    s.control("POST", "/fail", json!({"status": 403, "count": 2}));
    status(&c.get("/api/v1/namespaces").await, 403, "Forbidden");
    status(&c.get("/api/v1/namespaces").await, 403, "Forbidden");
    assert_eq!(c.get("/api/v1/namespaces").await.status, 200);
    s.control("POST", "/fail", json!({"status": 401, "count": 1}));
    status(&c.get("/api/v1/pods").await, 401, "Unauthorized");
    assert_eq!(c.get("/api/v1/pods?limit=1").await.status, 200);
}

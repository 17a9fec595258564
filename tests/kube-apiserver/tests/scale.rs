//! Benchmark scale, checked for what it serves: 150,000 pods on 5,000
//! nodes, consistent 500-pod pages, and several watchers that each get every
//! one of the updates of a 200 updates/s churn. The times and memory it
//! took are printed (`cargo test -p test-kube-apiserver --test scale --
//! --nocapture`), not asserted: a loaded machine is slower, not wrong.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::https::Client;
use support::Server;

fn rss_mib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .expect("VmRSS");
    kb / 1024
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_150k_pods_on_5k_nodes() {
    let s = Server::start(&["--static-token", "admin-token=admin:system:masters"]);
    let c = Client::new(&s.url, &s.ca_file, "admin-token");
    let t = Instant::now();
    let scaled = s.control("POST", "/scale", json!({"nodes": 5000, "pods": 150000}));
    let scale_time = t.elapsed();
    assert_eq!(scaled["objects"]["pods"], 150_000, "{scaled}");
    assert_eq!(scaled["objects"]["nodes"], 5_000);
    let rss = rss_mib(s.pid());

    // Page through the first 20 pages of 500.
    let mut worst = Duration::ZERO;
    let mut total = Duration::ZERO;
    let mut cont = String::new();
    for _ in 0..20 {
        let path = if cont.is_empty() {
            "/api/v1/pods?limit=500".to_string()
        } else {
            format!("/api/v1/pods?limit=500&continue={cont}")
        };
        let t = Instant::now();
        let r = c.get(&path).await;
        let took = t.elapsed();
        worst = worst.max(took);
        total += took;
        let v: Value = r.json();
        assert_eq!(v["items"].as_array().map(Vec::len), Some(500));
        cont = v["metadata"]["continue"]
            .as_str()
            .expect("more pages")
            .to_string();
    }
    let nodes_t = Instant::now();
    let nodes = c.get("/api/v1/nodes?limit=500").await.json();
    let node_page = nodes_t.elapsed();
    assert_eq!(nodes["metadata"]["remainingItemCount"], 4500);

    // Three watchers, 200 pod updates/s for 3 s: each keeps up, no 410.
    let rv = c.get("/api/v1/namespaces?limit=1").await.json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    s.control("POST", "/bookmark-interval", json!({"millis": 50}));
    let mut watches = Vec::new();
    for _ in 0..3 {
        watches.push(
            c.stream(&format!(
                "/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion={rv}"
            ))
            .await,
        );
    }
    s.control("POST", "/churn", json!({"podUpdatesPerSecond": 200}));
    let churn_start = Instant::now();
    let mut seen: [Vec<u64>; 3] = Default::default();
    let version = |line: &str| -> (bool, u64) {
        assert!(!line.starts_with("{\"type\":\"ERROR\""), "{line}");
        let event: Value = serde_json::from_str(line).unwrap();
        let at = event["object"]["metadata"]["resourceVersion"]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        (event["type"] == "BOOKMARK", at)
    };
    while churn_start.elapsed() < Duration::from_secs(3) {
        for (i, w) in watches.iter_mut().enumerate() {
            while let Some(line) = w.next(Duration::from_millis(5)).await {
                if let (false, at) = version(&line) {
                    seen[i].push(at);
                }
            }
        }
    }
    s.control("POST", "/churn", json!({"podUpdatesPerSecond": 0}));
    // Every watcher reads on until a bookmark at or past the last change
    // the churn made; up to there each must have had the same updates (pods
    // still finishing a graceful delete change later, for some watchers
    // before their bookmark).
    let last: u64 = c.get("/api/v1/pods?limit=1").await.json()["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    for (i, w) in watches.iter_mut().enumerate() {
        loop {
            let line = w
                .next(Duration::from_secs(60))
                .await
                .unwrap_or_else(|| panic!("watcher {i} went quiet before version {last}"));
            match version(&line) {
                (true, at) if at >= last => break,
                (true, _) => {}
                (false, at) => seen[i].push(at),
            }
        }
        seen[i].retain(|at| *at <= last);
    }
    let counts = seen.each_ref().map(Vec::len);
    let rss_after = rss_mib(s.pid());
    eprintln!(
        "scale: 5000 nodes + 150000 pods in {scale_time:?}; RSS {rss} MiB ({rss_after} MiB after churn); \
         500-pod pages: mean {:?}, worst {worst:?}; 500-node page {node_page:?}; \
         watch events in 3 s at 200 updates/s: {counts:?}",
        total / 20
    );
    assert!(counts[0] > 0, "the churn made updates: {counts:?}");
    assert!(
        seen.iter().all(|s| s == &seen[0]),
        "every watcher got every update, in order: {counts:?}"
    );
}

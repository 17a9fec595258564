//! The live stores against the test API server: after the first list, a
//! churn, a restart with a compacted history (410 Gone → relist), and a
//! connection that goes silent, the store holds exactly the pods the server
//! lists; a kind Kubernetes forbids is marked forbidden with its message.

#[path = "support/kube_api.rs"]
mod kube_api;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use eks_desk::workloads::{Connection, LiveCluster, LiveOptions, LiveState};
use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::Api;
use serde_json::json;

/// A client for the server as `user` (a static token), with the read
/// timeout that notices a silent connection.
async fn client(api: &kube_api::KubeApi, token: &str, read_timeout: Duration) -> kube::Client {
    let ca = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        std::fs::read(&api.ca_file).unwrap(),
    );
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: u\ncurrent-context: t\n",
        api.url
    );
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&text).unwrap();
    let mut config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    config.read_timeout = Some(read_timeout);
    kube::Client::try_from(config).unwrap()
}

/// What the server lists now: `namespace/name` → kubectl's STATUS.
async fn server_pods(client: &kube::Client) -> BTreeMap<String, String> {
    let pods: Api<Pod> = Api::all(client.clone());
    let mut params = ListParams::default().limit(500);
    let mut out = BTreeMap::new();
    loop {
        let page = pods.list(&params).await.unwrap();
        for p in &page.items {
            let row = eks_desk::workloads::PodRow::of(p);
            out.insert(format!("{}/{}", row.namespace, row.name), row.status);
        }
        match page.metadata.continue_ {
            Some(c) if !c.is_empty() => params = params.continue_token(&c),
            _ => return out,
        }
    }
}

fn store_pods(live: &LiveCluster) -> BTreeMap<String, String> {
    live.pod_rows()
        .into_iter()
        .map(|r| (format!("{}/{}", r.namespace, r.name), r.status))
        .collect()
}

/// Waits (on the store's changes, not a clock) until `check` holds.
async fn until(
    live: &LiveCluster,
    what: &str,
    timeout: Duration,
    check: impl Fn(&LiveState) -> bool,
) {
    let mut changes = live.subscribe();
    let deadline = Instant::now() + timeout;
    loop {
        if check(&changes.borrow_and_update()) {
            return;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, changes.changed()).await {
            Ok(Ok(())) => {}
            _ => panic!("{what}: not within {timeout:?}; state {:?}", live.state()),
        }
    }
}

/// Waits until the store equals the server (the server keeps nothing in
/// flight once its churn is off).
async fn store_equals_server(live: &LiveCluster, client: &kube::Client, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let server = server_pods(client).await;
        let store = store_pods(live);
        if server == store {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: store ({}) differs from server ({}): only in store {:?}, only on server {:?}",
            store.len(),
            server.len(),
            store
                .keys()
                .filter(|k| !server.contains_key(*k))
                .take(5)
                .collect::<Vec<_>>(),
            server
                .keys()
                .filter(|k| !store.contains_key(*k))
                .take(5)
                .collect::<Vec<_>>()
        );
        let mut changes = live.subscribe();
        let _ = tokio::time::timeout(Duration::from_millis(500), changes.changed()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_follows_the_server_through_churn_410_and_a_silent_connection() {
    let api = kube_api::KubeApi::start_with(&[
        "--simulate",
        "--nodes",
        "8",
        "--pods",
        "300",
        "--static-token",
        "admin-token=admin:system:masters",
    ]);
    api.control("POST", "/bookmark-interval", json!({"millis": 200}));
    let client = client(&api, "admin-token", Duration::from_secs(3)).await;
    let live = LiveCluster::start_with(
        client.clone(),
        LiveOptions {
            watch_timeout: Duration::from_secs(2),
        },
    );
    until(&live, "first list", Duration::from_secs(30), |s| {
        s.pods.connection == Connection::Live && s.nodes.connection == Connection::Live
    })
    .await;
    assert_eq!(live.state().nodes.count, 8);
    store_equals_server(&live, &client, "after the first list").await;

    // Churn: pods change, die and are replaced.
    api.control("POST", "/churn", json!({"podUpdatesPerSecond": 100}));
    let v = live.state().pods.version;
    until(
        &live,
        "churn reaches the store",
        Duration::from_secs(30),
        |s| s.pods.version > v + 50,
    )
    .await;
    api.control("POST", "/churn", json!({"podUpdatesPerSecond": 0}));
    store_equals_server(&live, &client, "after churn").await;

    // The history is forgotten and every connection closed: the watch
    // resumes from a version the server no longer has (410) and relists;
    // pods created meanwhile must be there, none of the old ones extra.
    api.control("POST", "/compact", json!({}));
    api.control("POST", "/restart", json!({}));
    for i in 0..5 {
        api.control(
            "POST",
            "/pods",
            json!({"namespace": "default", "name": format!("while-away-{i}")}),
        );
    }
    store_equals_server(&live, &client, "after a restart and 410").await;
    assert!(store_pods(&live).contains_key("default/while-away-4"));

    // The connection goes silent (no events, no bookmarks): the read
    // timeout notices, the rows are marked stale, and the watch comes back.
    api.control("POST", "/drop-connections", json!({}));
    until(
        &live,
        "the silence is noticed",
        Duration::from_secs(30),
        |s| matches!(s.pods.connection, Connection::Reconnecting { .. }),
    )
    .await;
    let Connection::Reconnecting { since, .. } = live.state().pods.connection else {
        unreachable!()
    };
    assert!(since.ends_with('Z'), "{since}");
    api.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "after-silence"}),
    );
    until(&live, "back live", Duration::from_secs(30), |s| {
        s.pods.connection == Connection::Live
    })
    .await;
    store_equals_server(&live, &client, "after the silence").await;
    assert!(store_pods(&live).contains_key("default/after-silence"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_kubernetes_forbids_is_marked_forbidden_with_its_message() {
    let api = kube_api::KubeApi::start_with(&[
        "--simulate",
        "--static-token",
        "viewer-token=viewer:view",
    ]);
    let client = client(&api, "viewer-token", Duration::from_secs(30)).await;
    let live = LiveCluster::start(client.clone());
    until(
        &live,
        "pods live, nodes forbidden",
        Duration::from_secs(30),
        |s| {
            s.pods.connection == Connection::Live
                && matches!(s.nodes.connection, Connection::Forbidden { .. })
        },
    )
    .await;
    let Connection::Forbidden { message } = live.state().nodes.connection else {
        unreachable!()
    };
    assert!(
        message.contains("cannot list resource \"nodes\""),
        "{message}"
    );
    store_equals_server(&live, &client, "the viewer's pods").await;
}

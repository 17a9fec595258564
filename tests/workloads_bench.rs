//! `make bench`: the workloads store at Kubernetes' supported maximum
//! (5,000 nodes, 150,000 pods) and at 30,000 pods, against the test API
//! server: how soon the first rows are there, how long the full first
//! list takes, what the pods table's queries cost, and what the store
//! holds in memory. Writes its section of BENCHMARKS.md. Not a test of
//! speed (nothing here fails for being slow); the window's own numbers
//! (paint, PSS of the WebKit processes) are measured separately.

#[path = "support/bench_report.rs"]
mod bench_report;
#[path = "support/kube_api.rs"]
mod kube_api;

use std::time::{Duration, Instant};

use eks_desk::workloads::{Connection, LiveCluster, PodColumn, PodQuery, StatusFilter};
use serde_json::json;

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb / 1024.0
}

async fn client(api: &kube_api::KubeApi) -> kube::Client {
    let ca = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        std::fs::read(&api.ca_file).unwrap(),
    );
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: admin-token\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: u\ncurrent-context: t\n",
        api.url
    );
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&text).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    kube::Client::try_from(config).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

struct Sized {
    nodes: u32,
    pods: u32,
    first_rows: Duration,
    synced: Duration,
    store_mib: f64,
    queries: Vec<(String, Duration)>,
}

async fn measure(nodes: u32, pods: u32) -> Sized {
    let api =
        kube_api::KubeApi::start_with(&["--static-token", "admin-token=admin:system:masters"]);
    api.control("POST", "/scale", json!({"nodes": nodes, "pods": pods}));
    let client = client(&api).await;
    let before = rss_mib();
    let started = Instant::now();
    let live = LiveCluster::start(client);
    let mut changes = live.subscribe();
    let mut first_rows = None;
    loop {
        let state = changes.borrow_and_update().clone();
        if first_rows.is_none() && state.pods.count >= 50 {
            first_rows = Some(started.elapsed());
        }
        if state.pods.connection == Connection::Live && state.nodes.connection == Connection::Live {
            break;
        }
        tokio::time::timeout(Duration::from_secs(600), changes.changed())
            .await
            .expect("the first list within 10 minutes")
            .unwrap();
    }
    let synced = started.elapsed();
    let store_mib = rss_mib() - before;
    assert_eq!(live.state().pods.count, pods);

    let namespace = live.pod_rows()[0].namespace.clone();
    let cases: Vec<(String, PodQuery)> = vec![
        (
            "first 100 rows, every namespace, by name".into(),
            PodQuery {
                limit: 100,
                ..Default::default()
            },
        ),
        (
            "rows 60,000–60,100 by restarts, descending".into(),
            PodQuery {
                sort: PodColumn::Restarts,
                descending: true,
                offset: 60_000.min(pods.saturating_sub(100)),
                limit: 100,
                ..Default::default()
            },
        ),
        (
            format!("namespace {namespace}, by age"),
            PodQuery {
                namespace: Some(namespace.clone()),
                sort: PodColumn::Age,
                limit: 100,
                ..Default::default()
            },
        ),
        (
            "search \"web\", problems only".into(),
            PodQuery {
                search: "web".into(),
                status: StatusFilter::Problems,
                limit: 100,
                ..Default::default()
            },
        ),
        (
            "label selector app in (web,cart)".into(),
            PodQuery {
                labels: "app in (web,cart)".into(),
                limit: 100,
                ..Default::default()
            },
        ),
    ];
    let mut queries = Vec::new();
    for (name, q) in cases {
        let times: Vec<Duration> = (0..11)
            .map(|_| {
                let t = Instant::now();
                live.pods(&q).unwrap();
                t.elapsed()
            })
            .collect();
        queries.push((name, median(times)));
    }
    let t = Instant::now();
    let cards = live.node_cards();
    queries.push((format!("node map ({} cards)", cards.len()), t.elapsed()));
    let t = Instant::now();
    live.overview();
    queries.push(("overview counts".into(), t.elapsed()));
    Sized {
        nodes,
        pods,
        first_rows: first_rows.unwrap_or(synced),
        synced,
        store_mib,
        queries,
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: make bench"]
async fn workloads_store_at_scale() {
    let mut sections = Vec::new();
    for (nodes, pods) in [(1_000, 30_000), (5_000, 150_000)] {
        let m = measure(nodes, pods).await;
        let mut rows = vec![
            format!("| first 50 rows visible | {} |", ms(m.first_rows)),
            format!("| full first list (pods and nodes) | {} |", ms(m.synced)),
            format!(
                "| memory of the live store (RSS growth) | {:.0} MiB |",
                m.store_mib
            ),
        ];
        for (name, d) in &m.queries {
            rows.push(format!("| query: {name} | {} |", ms(*d)));
        }
        sections.push(format!(
            "### {} nodes, {} pods\n\n| measure | value |\n|---|---|\n{}",
            m.nodes,
            m.pods,
            rows.join("\n")
        ));
    }
    let text = format!(
        "## Workloads store (`make bench`)\n\n\
         The live store of the app (kube-runtime watchers, pruned rows in Rust)\n\
         against the repo's test API server, debug build, {}. Query times are\n\
         medians of 11 (the pods table asks one window at a time).\n\n{}\n",
        bench_report::machine(),
        sections.join("\n\n")
    );
    println!("{text}");
    bench_report::write_section("workloads-store", &text);
}

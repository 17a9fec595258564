//! The workloads commands of the command line against the test API server,
//! and the window's functions on the same input: the same pods window
//! (same rows, same field error for a bad selector), nodes, logs, a
//! confirmed scale seen in `workloads`, and a delete refused unconfirmed.

#[path = "support/kube_api.rs"]
mod kube_api;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use eks_desk::commands::AppError;
use eks_desk::connect::kubeconfig_target::KubeconfigLocation;
use eks_desk::connect::{open_context, ExecPolicy, OpenContextRequest};
use eks_desk::workloads::{Connection, LiveCluster, PodQuery};
use serde_json::Value;

struct World {
    api: kube_api::KubeApi,
    home: tempfile::TempDir,
    kubeconfig: PathBuf,
}

fn world() -> World {
    let api = kube_api::KubeApi::start_with(&[
        "--simulate",
        "--nodes",
        "4",
        "--static-token",
        "admin-token=admin:system:masters",
    ]);
    let home = tempfile::tempdir().unwrap();
    let ca = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        std::fs::read(&api.ca_file).unwrap(),
    );
    let kubeconfig = home.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: admin\n  user:\n    token: admin-token\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: admin\ncurrent-context: sim\n",
            api.url
        ),
    )
    .unwrap();
    World {
        api,
        home,
        kubeconfig,
    }
}

fn cli(w: &World, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eks-desk"))
        .args(args)
        .env("HOME", w.home.path())
        .env("XDG_DATA_HOME", w.home.path().join("data"))
        .env("KUBECONFIG", &w.kubeconfig)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run eks-desk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The window's path: open the context, start its live view, wait for the
/// first list, and ask the pods window.
async fn window_pods(kubeconfig: &Path, home: &Path, query: &PodQuery) -> Result<Value, Value> {
    let location = KubeconfigLocation {
        kubeconfig_env: Some(kubeconfig.as_os_str().to_owned()),
        home: Some(home.to_path_buf()),
    };
    let store = home.join("data/exec-consent.json");
    let policy = ExecPolicy {
        consent_store: &store,
        own_binary: None,
        search_path: None,
    };
    let opened = open_context(
        &OpenContextRequest {
            context: "sim".into(),
        },
        &location,
        &policy,
    )
    .await
    .unwrap();
    let live = LiveCluster::start(opened.client);
    let mut changes = live.subscribe();
    while changes.borrow_and_update().pods.connection != Connection::Live {
        changes.changed().await.unwrap();
    }
    match live.pods(query) {
        Ok(window) => Ok(serde_json::to_value(window).unwrap()),
        Err(e) => Err(serde_json::to_value(AppError::from(e)).unwrap()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pods_from_the_command_line_are_the_windows_rows_and_errors() {
    let w = world();
    let out = cli(
        &w,
        &[
            "pods",
            "--context",
            "sim",
            "-l",
            "app=web",
            "--sort",
            "name",
            "--output",
            "json",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = json(&out);
    let query = PodQuery {
        labels: "app=web".into(),
        limit: 500,
        ..Default::default()
    };
    let window = window_pods(&w.kubeconfig, w.home.path(), &query)
        .await
        .unwrap();
    let names = |v: &Value| -> Vec<String> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!names(&printed).is_empty());
    assert_eq!(names(&printed), names(&window), "the same rows");
    assert_eq!(printed["matching"], window["matching"]);

    let bad = cli(
        &w,
        &[
            "pods",
            "--context",
            "sim",
            "-l",
            "app in web",
            "--output",
            "json",
        ],
        "",
    );
    assert_eq!(bad.status.code(), Some(1));
    let printed: Value = serde_json::from_slice(&bad.stderr).unwrap();
    let window = window_pods(
        &w.kubeconfig,
        w.home.path(),
        &PodQuery {
            labels: "app in web".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert_eq!(printed["field"], "labels");
    assert_eq!(printed, window, "the same field error");
}

#[tokio::test(flavor = "multi_thread")]
async fn nodes_logs_scale_and_an_unconfirmed_delete() {
    let w = world();
    let nodes = cli(&w, &["nodes", "--context", "sim", "--output", "json"], "");
    assert!(
        nodes.status.success(),
        "{}",
        String::from_utf8_lossy(&nodes.stderr)
    );
    let cards = json(&nodes);
    assert_eq!(cards.as_array().unwrap().len(), 4);
    assert!(cards[0]["podCount"].as_u64().unwrap() > 0);

    let pods = json(&cli(
        &w,
        &[
            "pods",
            "--context",
            "sim",
            "-n",
            "default",
            "-l",
            "app=web",
            "--output",
            "json",
        ],
        "",
    ));
    let pod = pods["rows"][0]["name"].as_str().unwrap().to_string();
    w.api.control(
        "POST",
        "/logs",
        serde_json::json!({"namespace": "default", "pod": pod, "lines": ["hello from the test"]}),
    );
    let logs = cli(
        &w,
        &[
            "logs",
            "--context",
            "sim",
            "-n",
            "default",
            &pod,
            "--tail",
            "1",
        ],
        "",
    );
    assert!(
        logs.status.success(),
        "{}",
        String::from_utf8_lossy(&logs.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&logs.stdout).trim(),
        "hello from the test"
    );

    let scaled = cli(
        &w,
        &[
            "scale",
            "--context",
            "sim",
            "deployment",
            "web",
            "--replicas",
            "4",
            "--yes",
        ],
        "",
    );
    assert!(
        scaled.status.success(),
        "{}",
        String::from_utf8_lossy(&scaled.stderr)
    );
    let listed = json(&cli(
        &w,
        &[
            "workloads",
            "--context",
            "sim",
            "-n",
            "default",
            "--output",
            "json",
        ],
        "",
    ));
    let web = listed["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "web" && r["kind"] == "deployment")
        .expect("web");
    assert_eq!(web["desired"], 4);

    // Answering no: nothing is deleted.
    let refused = cli(
        &w,
        &["delete-pod", "--context", "sim", "-n", "default", &pod],
        "n\n",
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("needs your confirmation"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let still = json(&cli(
        &w,
        &[
            "pods",
            "--context",
            "sim",
            "-n",
            "default",
            "--search",
            &pod,
            "--output",
            "json",
        ],
        "",
    ));
    assert_eq!(still["matching"], 1);
}

//! The command line's connect commands against the emulator and the test
//! API server, checked with kubectl: `eks-desk token` prints an
//! ExecCredential the server accepts, `eks-desk update-kubeconfig` writes
//! a context kubectl uses through `eks-desk token` (no AWS CLI anywhere),
//! and `eks-desk connect` shows the simulated cluster.

#[path = "support/eks_cluster.rs"]
mod eks_cluster;
#[path = "support/emulator.rs"]
mod emulator;
#[path = "support/kube_api.rs"]
mod kube_api;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const REGION: &str = "ap-southeast-2";
const CLUSTER: &str = "desk-cli";

struct World {
    emu: emulator::Emulator,
    api: kube_api::KubeApi,
    arn: String,
}

/// An ACTIVE cluster whose admin is the app's emulator identity (the one
/// every `eks-desk --emulator` process signs in as).
async fn world() -> World {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let admin = eks_desk::aws::local_emulator::session(&emu.url, REGION)
        .await
        .unwrap();
    let arn = eks_desk::aws::identity::caller_identity(&admin)
        .await
        .unwrap()
        .arn;
    eks_cluster::active_cluster(&admin, CLUSTER).await;
    eks_cluster::grant(&admin, CLUSTER, &arn, eks_cluster::CLUSTER_ADMIN).await;
    let api = kube_api::KubeApi::start(
        &emu.url,
        &["--simulate", "--cluster", CLUSTER, "--nodes", "3"],
    );
    World { emu, api, arn }
}

/// `eks-desk` with the emulator as its account, as `make run` starts it.
fn eks_desk(w: &World, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eks-desk"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("KUBECONFIG")
        .env_remove("AWS_PROFILE")
        .env("AWS_ENDPOINT_URL", &w.emu.url)
        .env("EKS_DESK_ENVIRONMENT", "emulator")
        .env("EKS_DESK_SIMULATED_KUBE_API", &w.api.ready_line)
        .output()
        .expect("run eks-desk")
}

fn kubectl(w: &World, home: &Path, kubeconfig: &Path, args: &[&str]) -> Output {
    Command::new(kube_api::kubectl_binary())
        .arg("--request-timeout=30s")
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        // What the exec plugin `eks-desk token` needs to find the emulator;
        // kubectl hands its environment to the plugin.
        .env("AWS_ENDPOINT_URL", &w.emu.url)
        .env("EKS_DESK_ENVIRONMENT", "emulator")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run kubectl")
}

fn text(out: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn eks_desk_token_prints_an_exec_credential_the_api_server_accepts() {
    let w = world().await;
    let home = tempfile::tempdir().unwrap();
    let out = eks_desk(
        &w,
        home.path(),
        &["token", "--cluster-name", CLUSTER, "--region", REGION],
    );
    assert!(out.status.success(), "{}", text(&out));
    let credential: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(credential["kind"], "ExecCredential");
    assert_eq!(
        credential["apiVersion"],
        "client.authentication.k8s.io/v1beta1"
    );
    let token = credential["status"]["token"].as_str().unwrap();
    assert!(token.starts_with("k8s-aws-v1."), "{token}");
    let expiry = credential["status"]["expirationTimestamp"]
        .as_str()
        .unwrap();
    assert!(
        expiry.len() == 20 && expiry.ends_with('Z') && expiry.as_bytes()[10] == b'T',
        "{expiry}"
    );

    let ca = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        std::fs::read(&w.api.ca_file).unwrap(),
    );
    let kubeconfig = home.path().join("token-kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n",
            w.api.url
        ),
    )
    .unwrap();
    let who = kubectl(
        &w,
        home.path(),
        &kubeconfig,
        &["auth", "whoami", "-o", "json"],
    );
    assert!(who.status.success(), "{}", text(&who));
    let who: Value = serde_json::from_slice(&who.stdout).unwrap();
    assert_eq!(who["status"]["userInfo"]["username"], w.arn.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn update_kubeconfig_writes_a_context_kubectl_uses_through_eks_desk_token() {
    let w = world().await;
    let home = tempfile::tempdir().unwrap();
    let kubeconfig = home.path().join("config");
    let out = eks_desk(
        &w,
        home.path(),
        &[
            "update-kubeconfig",
            "--name",
            CLUSTER,
            "--region",
            REGION,
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
            "--alias",
            "desk",
            "--authenticator",
            "eks-desk",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Added new context desk") && said.contains(kubeconfig.to_str().unwrap()),
        "{said}"
    );
    let written = std::fs::read_to_string(&kubeconfig).unwrap();
    assert!(written.contains("current-context: desk"), "{written}");
    assert!(
        written.contains(env!("CARGO_BIN_EXE_eks-desk")) && written.contains("token"),
        "the exec command is this binary's `token`: {written}"
    );

    let nodes = kubectl(
        &w,
        home.path(),
        &kubeconfig,
        &["get", "nodes", "--no-headers"],
    );
    assert!(
        nodes.status.success(),
        "{}\n{}",
        text(&nodes),
        w.api.stderr()
    );
    assert_eq!(String::from_utf8_lossy(&nodes.stdout).lines().count(), 3);

    // A second run changes nothing and says so.
    let again = eks_desk(
        &w,
        home.path(),
        &[
            "update-kubeconfig",
            "--name",
            CLUSTER,
            "--region",
            REGION,
            "--kubeconfig",
            kubeconfig.to_str().unwrap(),
            "--alias",
            "desk",
            "--authenticator",
            "eks-desk",
        ],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("already up to date"),
        "{}",
        text(&again)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_prints_the_simulated_cluster_and_who_you_are() {
    let w = world().await;
    let home = tempfile::tempdir().unwrap();
    let out = eks_desk(
        &w,
        home.path(),
        &[
            "connect",
            "--cluster",
            CLUSTER,
            "--region",
            REGION,
            "--output",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let overview: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(overview["simulated"], true);
    assert_eq!(overview["nodeCount"], 3);
    assert_eq!(overview["identity"]["username"], w.arn.as_str());

    let missing = eks_desk(
        &w,
        home.path(),
        &[
            "connect",
            "--cluster",
            "nope",
            "--region",
            REGION,
            "--output",
            "json",
        ],
    );
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    // The error as the window gets it, on stderr.
    let error: Value = serde_json::from_slice(&missing.stderr)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&missing)));
    assert_eq!(error["code"], "aws_service", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nope"),
        "{error}"
    );
}

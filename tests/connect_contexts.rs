//! Opening kubeconfig contexts against the test API server: a bearer
//! token, an exec plugin (which runs only after the user agreed, once,
//! remembered per program), insecure-skip-tls-verify shown as a warning,
//! several KUBECONFIG files merged as kubectl merges them, and a refused
//! token named as a 401 of the context.

#[path = "support/kube_api.rs"]
mod kube_api;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use base64::Engine;
use eks_desk::connect::kubeconfig_target::KubeconfigLocation;
use eks_desk::connect::{
    allow_exec_plugin, open_context, ConnectError, ExecPolicy, OpenContextRequest,
};

fn request(context: &str) -> OpenContextRequest {
    OpenContextRequest {
        context: context.into(),
    }
}

/// An HTTP CONNECT proxy on a free port that tunnels to anything and
/// counts the tunnels it opened.
async fn connect_proxy() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let tunnels = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = tunnels.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                let mut client = BufReader::new(client);
                let mut request = String::new();
                client.read_line(&mut request).await.unwrap();
                let target = request.split_whitespace().nth(1).unwrap().to_string();
                assert!(request.starts_with("CONNECT "), "{request}");
                loop {
                    let mut header = String::new();
                    client.read_line(&mut header).await.unwrap();
                    if header == "\r\n" || header.is_empty() {
                        break;
                    }
                }
                let mut upstream = tokio::net::TcpStream::connect(&target).await.unwrap();
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut client = client.into_inner();
                client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .unwrap();
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (url, tunnels)
}

/// Two kubeconfig files: the first holds the clusters and a token user,
/// the second the exec user and every context (merged, as kubectl does).
fn kubeconfigs(dir: &Path, api: &kube_api::KubeApi, proxy: &str) -> KubeconfigLocation {
    let ca = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&api.ca_file).unwrap());
    let plugin = dir.join("bin/get-token");
    std::fs::create_dir_all(plugin.parent().unwrap()).unwrap();
    std::fs::write(
        &plugin,
        "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"exec-token\"}}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let first = dir.join("first");
    std::fs::write(
        &first,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: {url}\n    certificate-authority-data: {ca}\n- name: sim-insecure\n  cluster:\n    server: {url}\n    insecure-skip-tls-verify: true\n- name: sim-proxied\n  cluster:\n    server: {url}\n    certificate-authority-data: {ca}\n    proxy-url: {proxy}\nusers:\n- name: alice\n  user:\n    token: alice-token\n- name: mallory\n  user:\n    token: not-a-token\ncontexts: []\n",
            url = api.url
        ),
    )
    .unwrap();
    let second = dir.join("second");
    std::fs::write(
        &second,
        format!(
            "apiVersion: v1\nkind: Config\nusers:\n- name: plugin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      interactiveMode: Never\ncontexts:\n- name: by-token\n  context: {{cluster: sim, user: alice}}\n- name: by-plugin\n  context: {{cluster: sim, user: plugin}}\n- name: insecure\n  context: {{cluster: sim-insecure, user: alice}}\n- name: refused\n  context: {{cluster: sim, user: mallory}}\n- name: proxied\n  context: {{cluster: sim-proxied, user: alice}}\n",
            plugin.display()
        ),
    )
    .unwrap();
    KubeconfigLocation {
        kubeconfig_env: Some(std::env::join_paths([&first, &second]).unwrap()),
        home: Some(dir.to_path_buf()),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn contexts_open_with_tokens_and_agreed_exec_plugins_and_say_what_is_unsafe() {
    let api = kube_api::KubeApi::start_with(&[
        "--simulate",
        "--static-token",
        "alice-token=alice:system:masters",
        "--static-token",
        "exec-token=plugin-user:view",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let (proxy, tunnels) = connect_proxy().await;
    let location = kubeconfigs(dir.path(), &api, &proxy);
    let store = dir.path().join("data/exec-consent.json");
    let policy = ExecPolicy {
        consent_store: &store,
        own_binary: None,
        search_path: None,
    };

    let opened = open_context(&request("by-token"), &location, &policy)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", api.stderr()));
    assert_eq!(opened.overview.identity.username, "alice");
    assert!(opened.overview.node_count.is_some_and(|n| n > 0));
    assert!(
        opened.overview.warnings.is_empty(),
        "{:?}",
        opened.overview.warnings
    );

    // The plugin is unknown: nothing runs until the user agrees.
    let err = open_context(&request("by-plugin"), &location, &policy)
        .await
        .unwrap_err();
    let ConnectError::ConsentRequired { command, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        command.resolved,
        std::fs::canonicalize(dir.path().join("bin/get-token")).unwrap()
    );
    assert_eq!(
        eks_desk::commands::AppError::from(&err).code,
        eks_desk::commands::ErrorCode::ExecConsentRequired
    );
    let agreed = allow_exec_plugin(&request("by-plugin"), &location, &policy).unwrap();
    assert_eq!(&agreed.resolved, &command.resolved);
    let opened = open_context(&request("by-plugin"), &location, &policy)
        .await
        .unwrap();
    assert_eq!(opened.overview.identity.username, "plugin-user");
    assert_eq!(opened.overview.node_count, None, "view has no nodes");

    // Certificate checks off: it opens, with a warning saying so.
    let opened = open_context(&request("insecure"), &location, &policy)
        .await
        .unwrap();
    assert!(
        opened
            .overview
            .warnings
            .iter()
            .any(|w| w.contains("insecure-skip-tls-verify")),
        "{:?}",
        opened.overview.warnings
    );

    // Through the context's proxy-url, which it says.
    let opened = open_context(&request("proxied"), &location, &policy)
        .await
        .unwrap();
    assert_eq!(opened.overview.identity.username, "alice");
    assert!(
        tunnels.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the proxy was used"
    );
    assert!(
        opened
            .overview
            .warnings
            .iter()
            .any(|w| w.contains("proxy-url")),
        "{:?}",
        opened.overview.warnings
    );

    // A token the server does not know.
    let err = open_context(&request("refused"), &location, &policy)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectError::Unauthorized { target, .. } if target == "context refused"),
        "{err:?}"
    );
    let err = open_context(&request("no-such"), &location, &policy)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no-such"), "{err}");
}

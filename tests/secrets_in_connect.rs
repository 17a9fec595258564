//! A canary for Connect: fake-looking but working AWS keys, a session
//! token, the EKS token made from them, a kubeconfig bearer token and a
//! client key go through opening a cluster, opening contexts, failing to
//! (401, 403, a broken key), and "Add to kubeconfig", with trace logging
//! on. None may show up in the log, in what the window is sent (overviews,
//! errors), in error messages, or in any file but the kubeconfigs the test
//! wrote itself. One test per binary: it owns the global log subscriber.

#[path = "support/eks_cluster.rs"]
mod eks_cluster;
#[path = "support/emulator.rs"]
mod emulator;
#[path = "support/kube_api.rs"]
mod kube_api;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use base64::Engine;
use eks_desk::aws::AwsSession;
use eks_desk::commands::AppError;
use eks_desk::connect::kubeconfig_target::KubeconfigLocation;
use eks_desk::connect::{
    add_cluster_to_kubeconfig, open_cluster, open_context, AddToKubeconfigRequest, ExecPolicy,
    OpenClusterRequest, OpenContextRequest, SimulatedApi,
};

const REGION: &str = "eu-central-1";
const CLUSTER: &str = "desk-canary";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every file under `dir` but `except`, with its text.
fn files(dir: &Path, except: &[PathBuf], found: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, except, found);
        } else if !except.contains(&path) {
            let bytes = std::fs::read(&path).unwrap_or_default();
            found.push((path, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
}

#[test]
fn no_secret_of_a_connection_reaches_a_log_a_payload_an_error_or_a_file() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let home = tempfile::tempdir().unwrap();
    // SAFETY of set_var: the only test of this binary, before other threads.
    std::env::set_var("HOME", home.path());
    std::env::set_var("XDG_DATA_HOME", home.path().join("data"));
    std::env::remove_var("KUBECONFIG");
    let captured = Captured::default();
    tracing::subscriber::set_global_default(eks_desk::logging::subscriber_with_writer(
        "trace",
        captured.clone(),
    ))
    .unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();

    let bearer = "canary-bearer-7f3a9c1e5b2d4f608a1c3e5f7b9d0a2c";
    let client_key = base64::engine::general_purpose::STANDARD.encode(
        "-----BEGIN EC PRIVATE KEY-----\ncanary-client-key-d41d8cd98f00b204e9800998ecf8427e\n-----END EC PRIVATE KEY-----\n",
    );
    let (mut secrets, api, written) = runtime.block_on(async {
        let admin = eks_desk::aws::local_emulator::session(&emu.url, REGION)
            .await
            .unwrap();
        let iam = admin.iam();
        let arn = iam
            .create_user()
            .user_name("canary")
            .send()
            .await
            .unwrap()
            .user()
            .unwrap()
            .arn()
            .to_string();
        iam.put_user_policy()
            .user_name("canary")
            .policy_name("connect")
            .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
            .send()
            .await
            .unwrap();
        let key = iam.create_access_key().user_name("canary").send().await.unwrap();
        let key = key.access_key().unwrap().clone();
        let long_term = Credentials::new(
            key.access_key_id(),
            key.secret_access_key(),
            None,
            None,
            "canary",
        );
        let user = AwsSession::with_static_credentials(&emu.url, REGION, long_term).await;
        // Temporary credentials: a key id, secret and session token.
        let temporary = user.sts().get_session_token().send().await.unwrap();
        let t = temporary.credentials().unwrap().clone();
        let session = AwsSession::with_static_credentials(
            &emu.url,
            REGION,
            Credentials::new(
                t.access_key_id(),
                t.secret_access_key(),
                Some(t.session_token().to_string()),
                None,
                "canary",
            ),
        )
        .await;

        eks_cluster::active_cluster(&admin, CLUSTER).await;
        eks_cluster::grant(&admin, CLUSTER, &arn, eks_cluster::VIEW).await;

        let api = kube_api::KubeApi::start(&emu.url, &["--simulate", "--cluster", CLUSTER]);
        api.control(
            "POST",
            "/tokens",
            serde_json::json!({"token": bearer, "username": "canary-user", "groups": ["view"]}),
        );
        let simulated = SimulatedApi {
            url: api.url.clone(),
            ca_file: api.ca_file.clone(),
        };
        let mut sent: Vec<String> = Vec::new();
        let mut errors: Vec<String> = Vec::new();

        // Opening the cluster with the EKS token.
        let request = OpenClusterRequest {
            cluster: CLUSTER.into(),
        };
        let opened = open_cluster(&session, &request, Some(&simulated))
            .await
            .unwrap_or_else(|e| panic!("{e}\n{}", api.stderr()));
        sent.push(serde_json::to_string(&opened.overview).unwrap());
        let eks_token = opened
            .tokens
            .as_ref()
            .unwrap()
            .token()
            .await
            .unwrap()
            .expose()
            .to_string();
        errors.push(format!("{:?}", opened.tokens.as_ref().unwrap().token().await.unwrap()));
        errors.push(format!("{opened:?}"));
        // A 403 (View cannot delete) and a 401 (an unknown cluster name).
        let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
            kube::Api::namespaced(opened.client.clone(), "kube-system");
        let list = pods.list(&Default::default()).await.unwrap();
        let name = list.items[0].metadata.name.clone().unwrap();
        let forbidden = pods.delete(&name, &Default::default()).await.unwrap_err();
        errors.push(format!("{forbidden} {forbidden:?}"));
        let missing = open_cluster(
            &session,
            &OpenClusterRequest {
                cluster: "no-such-cluster".into(),
            },
            Some(&simulated),
        )
        .await
        .unwrap_err();
        errors.push(format!("{missing} {missing:?}"));
        sent.push(serde_json::to_string(&AppError::from(&missing)).unwrap());

        // Contexts: a bearer token that works, a client key that does not.
        let ca = base64::engine::general_purpose::STANDARD
            .encode(std::fs::read(&api.ca_file).unwrap());
        let kubeconfig = home.path().join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: bearer\n  user:\n    token: {bearer}\n- name: cert\n  user:\n    client-certificate-data: {client_key}\n    client-key-data: {client_key}\ncontexts:\n- name: by-token\n  context:\n    cluster: sim\n    user: bearer\n- name: by-cert\n  context:\n    cluster: sim\n    user: cert\ncurrent-context: by-token\n",
                api.url
            ),
        )
        .unwrap();
        let location = KubeconfigLocation {
            kubeconfig_env: Some(kubeconfig.clone().into_os_string()),
            home: Some(home.path().to_path_buf()),
        };
        let store = home.path().join("data/exec-consent.json");
        let policy = ExecPolicy {
            consent_store: &store,
            own_binary: None,
            search_path: None,
        };
        let by_token = open_context(
            &OpenContextRequest {
                context: "by-token".into(),
            },
            &location,
            &policy,
        )
        .await
        .unwrap();
        assert_eq!(by_token.overview.identity.username, "canary-user");
        sent.push(serde_json::to_string(&by_token.overview).unwrap());
        let by_cert = open_context(
            &OpenContextRequest {
                context: "by-cert".into(),
            },
            &location,
            &policy,
        )
        .await
        .unwrap_err();
        errors.push(format!("{by_cert} {by_cert:?}"));
        sent.push(serde_json::to_string(&AppError::from(&by_cert)).unwrap());
        sent.push(
            serde_json::to_string(&eks_desk::connect::kubeconfig::read(std::slice::from_ref(&kubeconfig)).unwrap())
                .unwrap(),
        );

        // Add to kubeconfig: the file the user asked for holds no secret
        // either (its user runs `aws eks get-token`).
        let target = home.path().join("written-kubeconfig");
        let outcome = add_cluster_to_kubeconfig(
            &session,
            &AddToKubeconfigRequest {
                cluster: CLUSTER.into(),
                alias: Some("canary".into()),
                use_eks_desk: false,
                set_current: true,
            },
            &KubeconfigLocation {
                kubeconfig_env: Some(target.clone().into_os_string()),
                home: Some(home.path().to_path_buf()),
            },
            None,
            Some(&simulated),
        )
        .await
        .unwrap();
        sent.push(serde_json::to_string(&outcome).unwrap());
        let written = std::fs::read_to_string(&target).unwrap();
        assert!(written.contains("get-token"), "{written}");

        let secrets = vec![
            ("access key id".to_string(), t.access_key_id().to_string()),
            ("secret key".to_string(), t.secret_access_key().to_string()),
            ("session token".to_string(), t.session_token().to_string()),
            ("long-term secret".to_string(), key.secret_access_key().to_string()),
            ("EKS token".to_string(), eks_token.clone()),
            (
                "EKS token body".to_string(),
                eks_token.trim_start_matches("k8s-aws-v1.").to_string(),
            ),
            ("bearer token".to_string(), bearer.to_string()),
            ("client key".to_string(), client_key.clone()),
            (
                "client key text".to_string(),
                "canary-client-key-d41d8cd98f00b204e9800998ecf8427e".to_string(),
            ),
        ];
        for (what, text) in sent.iter().chain(errors.iter()).map(|t| ("sent", t)) {
            for (name, secret) in &secrets {
                assert!(!text.contains(secret.as_str()), "{name} in {what}: {text}");
            }
        }
        (secrets, api, written)
    });

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("new EKS token"), "the trace log was captured");
    // The temporary key id is no secret on its own, but it must not be
    // logged either: the SDK's own signing logs would show it first.
    for (name, secret) in &secrets {
        assert!(!log.contains(secret.as_str()), "{name} in the log");
    }
    let mut found = Vec::new();
    files(
        home.path(),
        &[
            home.path().join("kubeconfig"),
            home.path().join("written-kubeconfig"),
        ],
        &mut found,
    );
    for (path, text) in &found {
        for (name, secret) in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{name} in {}",
                path.display()
            );
        }
    }
    for (name, secret) in &secrets {
        assert!(
            !written.contains(secret.as_str()),
            "{name} in the written kubeconfig"
        );
    }
    secrets.clear();
    drop(api);
}

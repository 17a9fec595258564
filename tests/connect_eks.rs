//! Connect against the emulator and the repo's test API server: EKS Desk
//! signs in with its own EKS token, which the server verifies through the
//! emulator's STS and maps through the cluster's access entries, exactly
//! as EKS does. A deleted entry is a 401 the app names; a View entry sees
//! pods but gets 403 on a delete; a watch open across a token renewal
//! keeps working; tokens signed with a wrong key or for another cluster
//! are refused.

#[path = "support/eks_cluster.rs"]
mod eks_cluster;
#[path = "support/emulator.rs"]
mod emulator;
#[path = "support/kube_api.rs"]
mod kube_api;

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::Credentials;
use eks_desk::aws::{identity, AwsSession};
use eks_desk::connect::eks_token::presign;
use eks_desk::connect::{open_cluster, ConnectError, OpenClusterRequest};
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, ListParams, WatchEvent, WatchParams};
use kube::Api;

const REGION: &str = "us-west-2";
const CLUSTER: &str = "desk-connect";
use eks_cluster::{CLUSTER_ADMIN as ADMIN, VIEW};

struct World {
    emu: emulator::Emulator,
    api: kube_api::KubeApi,
    admin: AwsSession,
    admin_arn: String,
}

/// An ACTIVE emulator cluster whose only access entry is the app's own
/// identity (cluster admin), and the test API server standing in for it.
async fn world(nodes: u32) -> World {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let admin = eks_desk::aws::local_emulator::session(&emu.url, REGION)
        .await
        .unwrap();
    let admin_arn = identity::caller_identity(&admin).await.unwrap().arn;
    eks_cluster::active_cluster(&admin, CLUSTER).await;
    grant(&admin, &admin_arn, ADMIN).await;
    let api = kube_api::KubeApi::start(
        &emu.url,
        &[
            "--simulate",
            "--cluster",
            CLUSTER,
            "--region",
            REGION,
            "--nodes",
            &nodes.to_string(),
        ],
    );
    World {
        emu,
        api,
        admin,
        admin_arn,
    }
}

async fn grant(admin: &AwsSession, principal: &str, policy: &str) {
    eks_cluster::grant(admin, CLUSTER, principal, policy).await;
}

fn simulated(api: &kube_api::KubeApi) -> eks_desk::connect::SimulatedApi {
    eks_desk::connect::SimulatedApi {
        url: api.url.clone(),
        ca_file: api.ca_file.clone(),
    }
}

fn request() -> OpenClusterRequest {
    OpenClusterRequest {
        cluster: CLUSTER.into(),
    }
}

/// An IAM user of the emulator with an access key, and a session for it.
async fn user(w: &World, name: &str) -> (AwsSession, String, Credentials) {
    let iam = w.admin.iam();
    let arn = iam
        .create_user()
        .user_name(name)
        .send()
        .await
        .unwrap()
        .user()
        .unwrap()
        .arn()
        .to_string();
    // What EKS Desk needs of IAM to open a cluster.
    iam.put_user_policy()
        .user_name(name)
        .policy_name("describe-clusters")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["eks:DescribeCluster","eks:ListClusters","sts:GetCallerIdentity"],"Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name(name)
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let credentials = Credentials::new(
        key.access_key_id(),
        key.secret_access_key(),
        None,
        None,
        "test",
    );
    let session =
        AwsSession::with_static_credentials(&w.emu.url, REGION, credentials.clone()).await;
    (session, arn, credentials)
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_signs_in_with_an_eks_token_and_shows_version_nodes_and_who_you_are() {
    let w = world(4).await;
    let opened = open_cluster(&w.admin, &request(), Some(&simulated(&w.api)))
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", w.api.stderr()));
    let o = &opened.overview;
    assert!(o.simulated, "the emulator's cluster is the simulated API");
    assert_eq!(o.name, CLUSTER);
    assert_eq!(o.server, w.api.url);
    assert!(o.kubernetes_version.starts_with("v1.33"), "{o:?}");
    assert_eq!(o.node_count, Some(4));
    assert_eq!(o.identity.username, w.admin_arn, "EKS's default username");
    assert!(o
        .identity
        .groups
        .iter()
        .any(|g| g == "system:authenticated"));
    assert_eq!(o.identity.iam_arn.as_deref(), Some(w.admin_arn.as_str()));

    // Without the simulation the emulator's cluster has no API server.
    let err = open_cluster(&w.admin, &request(), None).await.unwrap_err();
    assert!(matches!(err, ConnectError::Unreachable { .. }), "{err:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_access_entry_is_a_401_that_names_your_identity() {
    let w = world(2).await;
    open_cluster(&w.admin, &request(), Some(&simulated(&w.api)))
        .await
        .unwrap();
    w.admin
        .eks()
        .delete_access_entry()
        .cluster_name(CLUSTER)
        .principal_arn(&w.admin_arn)
        .send()
        .await
        .unwrap();
    // The server caches entries for up to a second, as EKS caches them.
    let deadline = Instant::now() + Duration::from_secs(10);
    let err = loop {
        match open_cluster(&w.admin, &request(), Some(&simulated(&w.api))).await {
            Err(e) => break e,
            Ok(_) => {
                assert!(Instant::now() < deadline, "still let in");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let ConnectError::NoAccessEntry { cluster, principal } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (cluster.as_str(), principal.as_str()),
        (CLUSTER, w.admin_arn.as_str())
    );
    let text = err.to_string();
    assert!(
        text.contains("has no access entry") && text.contains(&w.admin_arn),
        "{text}"
    );
    let app = eks_desk::commands::AppError::from(&err);
    assert_eq!(app.code, eks_desk::commands::ErrorCode::NoAccessEntry);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_view_entry_reads_pods_but_a_delete_is_a_403_naming_the_verb() {
    let w = world(2).await;
    let (viewer, viewer_arn, _) = user(&w, "viewer").await;
    grant(&w.admin, &viewer_arn, VIEW).await;
    let opened = open_cluster(&viewer, &request(), Some(&simulated(&w.api)))
        .await
        .unwrap();
    assert_eq!(opened.overview.identity.username, viewer_arn);
    assert_eq!(opened.overview.node_count, None, "View may not list nodes");
    let hidden = opened.overview.nodes_hidden.clone().unwrap_or_default();
    assert!(
        hidden.contains("cannot list resource \"nodes\""),
        "{hidden}"
    );

    let pods: Api<Pod> = Api::namespaced(opened.client.clone(), "kube-system");
    let list = pods.list(&ListParams::default()).await.unwrap();
    let name = list.items[0].metadata.name.clone().unwrap();
    let err = pods
        .delete(&name, &DeleteParams::default())
        .await
        .unwrap_err();
    let target = eks_desk::connect::connect_error::Target {
        name: CLUSTER,
        endpoint: &w.api.url,
        private_only: false,
    };
    let err =
        eks_desk::connect::connect_error::classify(err, &target, |m| ConnectError::Unauthorized {
            target: CLUSTER.into(),
            message: m,
        });
    let ConnectError::Forbidden { message } = &err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains("cannot delete resource \"pods\"") && message.contains(&viewer_arn),
        "{message}"
    );
    assert_eq!(
        eks_desk::commands::AppError::from(&err).code,
        eks_desk::commands::ErrorCode::Forbidden
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watch_open_across_a_token_renewal_keeps_working() {
    let w = world(2).await;
    let opened = open_cluster(&w.admin, &request(), Some(&simulated(&w.api)))
        .await
        .unwrap();
    let tokens = opened.tokens.clone().expect("an EKS connection has tokens");
    let first = tokens.minted();
    let pods: Api<Pod> = Api::namespaced(opened.client.clone(), "default");
    let version = pods
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut watch = pods
        .watch(&WatchParams::default().timeout(120), &version)
        .await
        .unwrap()
        .boxed();
    // The token the watch opened with is retired, as 14 minutes would.
    tokens.expire_now().await;
    w.api.control(
        "POST",
        "/pods",
        serde_json::json!({"namespace": "default", "name": "after-renewal"}),
    );
    let seen = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(event) = watch.try_next().await.unwrap() {
            if let WatchEvent::Added(pod) = event {
                if pod.metadata.name.as_deref() == Some("after-renewal") {
                    return true;
                }
            }
        }
        false
    })
    .await
    .expect("the watch went quiet");
    assert!(seen, "the watch ended before the new pod");
    // The next request signs a new token, which the server accepts.
    pods.get("after-renewal").await.unwrap();
    assert_eq!(tokens.minted(), first + 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_signed_with_a_wrong_key_or_for_another_cluster_are_refused() {
    let w = world(1).await;
    let (viewer, viewer_arn, credentials) = user(&w, "viewer").await;
    grant(&w.admin, &viewer_arn, VIEW).await;
    let whoami = |token: String| {
        let api = &w.api;
        async move {
            let ca = base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                std::fs::read(&api.ca_file).unwrap(),
            );
            let text = format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: u\ncurrent-context: t\n",
                api.url
            );
            let kubeconfig = kube::config::Kubeconfig::from_yaml(&text).unwrap();
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
                .await
                .unwrap();
            let client = kube::Client::try_from(config).unwrap();
            let reviews: Api<k8s_openapi::api::authentication::v1::SelfSubjectReview> =
                Api::all(client);
            reviews
                .create(&Default::default(), &Default::default())
                .await
                .map(|r| r.status.and_then(|s| s.user_info).and_then(|u| u.username))
        }
    };
    let sign = |credentials: &Credentials, cluster: &str| {
        presign(credentials, REGION, &w.emu.url, cluster, SystemTime::now())
            .unwrap()
            .expose()
            .to_string()
    };
    // The right key, for this cluster: in, as the viewer.
    assert_eq!(
        whoami(sign(&credentials, CLUSTER))
            .await
            .unwrap()
            .as_deref(),
        Some(viewer_arn.as_str())
    );
    let wrong = Credentials::new(
        credentials.access_key_id(),
        "wrong-secret-wrong-secret-wrong-secret00",
        None,
        None,
        "test",
    );
    for (token, why) in [
        (sign(&wrong, CLUSTER), "a wrong secret"),
        (
            sign(&credentials, "another-cluster"),
            "another cluster's name",
        ),
    ] {
        match whoami(token).await {
            Err(kube::Error::Api(status)) => assert_eq!(status.code, 401, "{why}"),
            other => panic!("{why}: {other:?}"),
        }
    }
    drop(viewer);
}

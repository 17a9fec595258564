//! The cluster list against the ministack emulator: what a user sees on the
//! Clusters page, and the errors they get when something is wrong.

#[path = "support/emulator.rs"]
mod emulator;

use aws_credential_types::Credentials;
use eks_desk::aws::clusters::{self, ClusterStatus};
use eks_desk::aws::identity;
use eks_desk::aws::{AwsError, AwsSession, Environment, Sessions};
use eks_desk::commands::{AppError, ErrorCode};
use emulator::Emulator;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const EKS_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// The cluster role CreateCluster needs (the emulator checks that it exists).
async fn cluster_role(session: &AwsSession) -> String {
    let iam = session.iam();
    match iam
        .get_role()
        .role_name("AmazonEKSClusterRole-test")
        .send()
        .await
    {
        Ok(found) => found.role().unwrap().arn().to_string(),
        Err(_) => iam
            .create_role()
            .role_name("AmazonEKSClusterRole-test")
            .assume_role_policy_document(EKS_TRUST)
            .send()
            .await
            .expect("create cluster role")
            .role()
            .unwrap()
            .arn()
            .to_string(),
    }
}

async fn create_cluster(session: &AwsSession, name: &str, version: &str) {
    use aws_sdk_eks::types::{AuthenticationMode, CreateAccessConfigRequest, VpcConfigRequest};
    let role_arn = cluster_role(session).await;
    session
        .eks()
        .create_cluster()
        .name(name)
        .version(version)
        .role_arn(role_arn)
        .resources_vpc_config(
            VpcConfigRequest::builder()
                .subnet_ids("subnet-0a")
                .subnet_ids("subnet-0b")
                .build(),
        )
        .access_config(
            CreateAccessConfigRequest::builder()
                .authentication_mode(AuthenticationMode::ApiAndConfigMap)
                .build(),
        )
        .tags("team", "platform")
        .tags("env", name)
        .send()
        .await
        .expect("create cluster in the emulator");
}

#[tokio::test]
async fn clusters_created_through_the_sdk_are_listed_with_their_fields() {
    let emu = Emulator::start(repo());
    // As in the app: one sign-in, then a session per region.
    let sessions = Sessions::new(emu.url.clone());
    let region = |r: &str| Environment::Emulator { region: r.into() };
    let session = sessions.get(&region("ap-northeast-2")).await.unwrap();
    create_cluster(&session, "my-eks", "1.33").await;
    create_cluster(&session, "another", "1.32").await;
    // A cluster in another region must not show up in this one.
    let elsewhere = sessions.get(&region("eu-west-1")).await.unwrap();
    create_cluster(&elsewhere, "far-away", "1.33").await;

    let listed = clusters::list(&session).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["another", "my-eks"],
        "sorted by name, this region only"
    );

    let c = &listed[1];
    assert_eq!(c.version.as_deref(), Some("1.33"));
    assert_eq!(c.authentication_mode.as_deref(), Some("API_AND_CONFIG_MAP"));
    assert_eq!(
        c.arn.as_deref(),
        Some("arn:aws:eks:ap-northeast-2:000000000000:cluster/my-eks")
    );
    assert!(c
        .endpoint
        .as_deref()
        .is_some_and(|e| e.starts_with("https://")));
    assert!(c
        .platform_version
        .as_deref()
        .is_some_and(|p| p.starts_with("eks.")));
    assert!(c.created_at.is_some());
    assert_eq!(c.tags.get("team").map(String::as_str), Some("platform"));
    assert_eq!(c.tags.get("env").map(String::as_str), Some("my-eks"));

    let other_region = clusters::list(&elsewhere).await.unwrap();
    assert_eq!(other_region.len(), 1);
    assert_eq!(other_region[0].name, "far-away");
}

#[tokio::test]
async fn an_empty_region_lists_no_clusters() {
    let emu = Emulator::start(repo());
    let session = eks_desk::aws::local_emulator::session(&emu.url, "sa-east-1")
        .await
        .unwrap();
    assert!(clusters::list(&session).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_local_session_signs_in_as_an_iam_user_not_root() {
    let emu = Emulator::start(repo());
    let session = eks_desk::aws::local_emulator::session(&emu.url, "us-east-1")
        .await
        .unwrap();
    let who = identity::caller_identity(&session).await.unwrap();
    assert_eq!(who.arn, "arn:aws:iam::000000000000:user/eks-desk-local");
    assert_eq!(who.account, "000000000000");
    assert!(!who.is_root);
    // Signing in again (a second app start) works and rotates the key.
    let again = eks_desk::aws::local_emulator::session(&emu.url, "us-east-1")
        .await
        .unwrap();
    assert_eq!(
        identity::caller_identity(&again).await.unwrap().arn,
        who.arn
    );
}

#[tokio::test]
async fn a_wrong_endpoint_is_reported_as_unreachable() {
    let port = emulator::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let session = AwsSession::with_static_credentials(
        &url,
        "us-east-1",
        Credentials::new("AKIAEXAMPLE", "secret", None, None, "test"),
    )
    .await;
    let err = clusters::list(&session).await.unwrap_err();
    assert!(
        matches!(&err, AwsError::EndpointUnreachable { endpoint, .. } if endpoint == &url),
        "{err:?}"
    );
    assert_eq!(AppError::from(err).code, ErrorCode::EndpointUnreachable);
}

#[tokio::test]
async fn unknown_keys_and_wrong_secrets_are_invalid_credentials() {
    let emu = Emulator::start(repo());
    let unknown = AwsSession::with_static_credentials(
        &emu.url,
        "us-east-1",
        Credentials::new("AKIAUNKNOWN000000000", "whatever", None, None, "test"),
    )
    .await;
    let err = clusters::list(&unknown).await.unwrap_err();
    assert!(
        matches!(err, AwsError::InvalidCredentials { .. }),
        "{err:?}"
    );
    assert_eq!(AppError::from(err).code, ErrorCode::InvalidCredentials);

    // A real key id with the wrong secret: the signature does not match.
    let good = eks_desk::aws::local_emulator::session(&emu.url, "us-east-1")
        .await
        .unwrap();
    let key_id = identity::caller_identity(&good).await.unwrap();
    assert!(!key_id.arn.is_empty());
    let err = identity::caller_identity(&unknown).await.unwrap_err();
    assert_eq!(AppError::from(err).code, ErrorCode::InvalidCredentials);
}

#[tokio::test]
async fn a_user_without_eks_rights_gets_access_denied_naming_the_action() {
    let emu = Emulator::start(repo());
    let root = AwsSession::with_static_credentials(
        &emu.url,
        "us-east-1",
        Credentials::new("test", "test", None, None, "root"),
    )
    .await;
    let iam = root.iam();
    iam.create_user().user_name("viewer").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("viewer")
        .send()
        .await
        .unwrap();
    let key = key.access_key().unwrap();
    let viewer = AwsSession::with_static_credentials(
        &emu.url,
        "us-east-1",
        Credentials::new(
            key.access_key_id(),
            key.secret_access_key(),
            None,
            None,
            "viewer",
        ),
    )
    .await;
    let err = clusters::list(&viewer).await.unwrap_err();
    match &err {
        AwsError::AccessDenied { action, message } => {
            assert_eq!(action, "eks:ListClusters");
            assert!(message.contains("viewer"), "{message}");
        }
        other => panic!("expected AccessDenied, got {other:?}"),
    }
    let app = AppError::from(err);
    assert_eq!(app.code, ErrorCode::AccessDenied);
    assert!(app.message.contains("eks:ListClusters"));
}

#[tokio::test]
async fn a_creating_cluster_turns_active_on_refresh() {
    let emu = Emulator::start_with_slow_control_plane(repo(), 4);
    let session = eks_desk::aws::local_emulator::session(&emu.url, "us-west-2")
        .await
        .unwrap();
    create_cluster(&session, "fresh", "1.33").await;

    let first = clusters::list(&session).await.unwrap().remove(0);
    assert_eq!(first.status, ClusterStatus::Creating);
    assert!(first.status.is_transitional(), "the page keeps refreshing");

    // What the page's auto-refresh does: list again until it settles.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let settled = loop {
        let c = clusters::list(&session).await.unwrap().remove(0);
        if !c.status.is_transitional() || std::time::Instant::now() > deadline {
            break c;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    };
    assert_eq!(settled.status, ClusterStatus::Active);
    assert!(!settled.status.is_transitional(), "refreshing stops");
}

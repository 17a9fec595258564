//! Applying the seed while signed in as an IAM Identity Center (SSO) role,
//! against the emulator: the caller's STS identity is an assumed-role
//! session, and the access entry the seed grants "the caller" must be the
//! role's full IAM ARN, path included, as EKS demands — not the ARN rebuilt
//! without the `/aws-reserved/sso.amazonaws.com/...` path, which EKS
//! refuses as an invalid principal.

#[path = "support/emulator.rs"]
mod emulator;

use aws_credential_types::Credentials;
use eks_desk::aws::{identity, AwsSession};
use eks_desk::provision::{EngineConfig, Provisioner};
use eks_desk::spec::ClusterSpec;
use std::path::Path;

const REGION: &str = "ap-northeast-2";
const SSO_PATH: &str = "/aws-reserved/sso.amazonaws.com/ap-northeast-2/";
const SSO_ROLE: &str = "AWSReservedSSO_AdministratorAccess_0123456789abcdef";

#[tokio::test(flavor = "multi_thread")]
async fn the_callers_access_entry_is_the_sso_roles_arn_with_its_path() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let admin = eks_desk::aws::local_emulator::session(&emu.url, REGION)
        .await
        .unwrap();
    let account = identity::caller_identity(&admin).await.unwrap().account;
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let role = admin
        .iam()
        .create_role()
        .role_name(SSO_ROLE)
        .path(SSO_PATH)
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let role_arn = role.role().unwrap().arn().to_string();
    assert!(role_arn.contains(SSO_PATH), "{role_arn}");
    // What an AdministratorAccess permission set gives (the emulator
    // enforces IAM policies).
    admin
        .iam()
        .put_role_policy()
        .role_name(SSO_ROLE)
        .policy_name("AdministratorAccess")
        .policy_document(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .send()
        .await
        .unwrap();

    // Sign in as the role, as an SSO profile does.
    let assumed = admin
        .sts()
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("jane@example.com")
        .send()
        .await
        .unwrap();
    let c = assumed.credentials().unwrap();
    let sso = AwsSession::with_static_credentials(
        &emu.url,
        REGION,
        Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "sso",
        ),
    )
    .await;
    let session_arn = identity::caller_identity(&sso).await.unwrap().arn;
    assert!(
        session_arn.contains(":assumed-role/") && !session_arn.contains("aws-reserved"),
        "STS names the session, without the role's path: {session_arn}"
    );
    assert_eq!(identity::caller_principal(&sso).await.unwrap(), role_arn);

    let spec = ClusterSpec::new_for_region(REGION);
    assert!(
        spec.access
            .entries
            .iter()
            .any(|e| e.principal_arn.is_empty()),
        "the seed grants the caller"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut p = Provisioner::new(sso.clone(), dir.path().to_path_buf());
    p.config = EngineConfig::quick();
    p.apply(&spec).await.unwrap();

    let entries = admin
        .eks()
        .list_access_entries()
        .cluster_name(&spec.cluster.name)
        .send()
        .await
        .unwrap();
    let principals = entries.access_entries();
    assert!(
        principals.iter().any(|p| p == &role_arn),
        "{role_arn} in {principals:?}"
    );
    let pathless = format!("arn:aws:iam::{account}:role/{SSO_ROLE}");
    assert!(
        !principals.iter().any(|p| p == &pathless),
        "the path-less ARN EKS refuses: {principals:?}"
    );
    let policies = admin
        .eks()
        .list_associated_access_policies()
        .cluster_name(&spec.cluster.name)
        .principal_arn(&role_arn)
        .send()
        .await
        .unwrap();
    assert!(
        policies.associated_access_policies().iter().any(|a| a
            .policy_arn()
            .unwrap_or_default()
            .ends_with("/AmazonEKSClusterAdminPolicy")),
        "{policies:?}"
    );
}

//! The "Local emulator" environment: an AWS API emulator on loopback.
//!
//! The emulator's well-known default credentials are its account root. Root
//! must not be used on a real account, and the app should behave here as it
//! does there, so the local session signs in as an ordinary IAM user that it
//! creates in the emulator, with a fresh access key held only in memory.

use super::AwsError;
use super::AwsSession;
use aws_credential_types::Credentials;

/// The emulator's account-root credentials: public, fixed dummy values.
const ROOT_ACCESS_KEY_ID: &str = "test";
const ROOT_SECRET: &str = "test";
pub const LOCAL_USER: &str = "eks-desk-local";
const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:4566";

/// The emulator's URL: `AWS_ENDPOINT_URL` when it points at this machine
/// (how `make run` and the tests hand over the port they started it on),
/// otherwise the emulator's default port.
pub fn endpoint_from_env() -> String {
    std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|url| is_loopback_url(url))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
}

pub fn is_loopback_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or("");
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    host == "localhost" || host == "[::1]" || host.starts_with("127.")
}

/// A session for the local emulator, signed in as the app's own IAM user.
pub async fn session(endpoint: &str, region: &str) -> Result<AwsSession, AwsError> {
    let credentials = sign_in(endpoint, region).await?;
    Ok(AwsSession::with_static_credentials(endpoint, region, credentials).await)
}

/// Ensures the local IAM user exists with admin rights and returns a new
/// access key for it. Older keys of that user but the newest are deleted
/// first (IAM allows two per user).
pub async fn sign_in(endpoint: &str, region: &str) -> Result<Credentials, AwsError> {
    let root = Credentials::new(ROOT_ACCESS_KEY_ID, ROOT_SECRET, None, None, "emulator-root");
    let session = AwsSession::with_static_credentials(endpoint, region, root).await;
    let iam = session.iam();

    match iam.get_user().user_name(LOCAL_USER).send().await {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            iam.create_user()
                .user_name(LOCAL_USER)
                .tags(
                    aws_sdk_iam::types::Tag::builder()
                        .key("eks-desk:purpose")
                        .value("local-emulator-session")
                        .build()
                        .expect("tag has key and value"),
                )
                .send()
                .await
                .map_err(|e| session.classify("iam:CreateUser", e))?;
        }
        Err(e) => return Err(session.classify("iam:GetUser", e)),
    }
    iam.attach_user_policy()
        .user_name(LOCAL_USER)
        .policy_arn(ADMIN_POLICY)
        .send()
        .await
        .map_err(|e| session.classify("iam:AttachUserPolicy", e))?;

    let old = iam
        .list_access_keys()
        .user_name(LOCAL_USER)
        .send()
        .await
        .map_err(|e| session.classify("iam:ListAccessKeys", e))?;
    // IAM allows two keys per user: the newest older one stays, so that a
    // window and one `eks-desk` command can be signed in at the same time.
    let mut keys = old.access_key_metadata().to_vec();
    keys.sort_by_key(|k| k.create_date().map(|d| (d.secs(), d.subsec_nanos())));
    keys.pop();
    for key in &keys {
        if let Some(id) = key.access_key_id() {
            iam.delete_access_key()
                .user_name(LOCAL_USER)
                .access_key_id(id)
                .send()
                .await
                .map_err(|e| session.classify("iam:DeleteAccessKey", e))?;
        }
    }
    let created = iam
        .create_access_key()
        .user_name(LOCAL_USER)
        .send()
        .await
        .map_err(|e| session.classify("iam:CreateAccessKey", e))?;
    let key = created.access_key().ok_or_else(|| AwsError::Service {
        operation: "iam:CreateAccessKey".into(),
        code: "EmptyResponse".into(),
        message: "the emulator returned no access key".into(),
    })?;
    Ok(Credentials::new(
        key.access_key_id(),
        key.secret_access_key(),
        None,
        None,
        "eks-desk-local-emulator",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_urls_count_as_the_emulator() {
        assert!(is_loopback_url("http://127.0.0.1:4566"));
        assert!(is_loopback_url("http://localhost:39811/"));
        assert!(is_loopback_url("http://[::1]:4566"));
        assert!(!is_loopback_url("https://eks.eu-west-1.amazonaws.com"));
        assert!(!is_loopback_url("http://10.0.0.5:4566"));
        assert!(!is_loopback_url("localhost:4566"));
    }
}

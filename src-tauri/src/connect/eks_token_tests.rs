//! The token decoded field by field, as the EKS authenticator reads it.

use super::*;
use aws_credential_types::Credentials;
use std::time::UNIX_EPOCH;

fn credentials(session_token: Option<&str>) -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token.map(str::to_string),
        None,
        "test",
    )
}

/// The presigned URL inside `token`, and its query parameters (still
/// percent-encoded).
fn decode(token: &EksToken) -> (http::Uri, Vec<(String, String)>) {
    let body = token
        .expose()
        .strip_prefix(TOKEN_PREFIX)
        .expect("the k8s-aws-v1. prefix");
    assert!(!body.contains('='), "base64url without padding");
    assert!(
        !body.contains('+') && !body.contains('/'),
        "url-safe alphabet"
    );
    let url = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .expect("base64url");
    let uri: http::Uri = String::from_utf8(url).unwrap().parse().unwrap();
    let query = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    (uri, query)
}

fn param<'a>(query: &'a [(String, String)], key: &str) -> &'a str {
    let found: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{key} exactly once in {query:?}");
    found[0]
}

#[test]
fn the_token_is_a_presigned_regional_get_caller_identity_for_the_cluster() {
    let at = UNIX_EPOCH + Duration::from_secs(1_796_158_062);
    let token = presign(
        &credentials(None),
        "eu-west-1",
        "https://sts.eu-west-1.amazonaws.com",
        "my-eks",
        at,
    )
    .unwrap();
    let (uri, query) = decode(&token);
    assert_eq!(uri.scheme_str(), Some("https"));
    assert_eq!(uri.host(), Some("sts.eu-west-1.amazonaws.com"));
    assert_eq!(uri.path(), "/");
    assert_eq!(param(&query, "Action"), "GetCallerIdentity");
    assert_eq!(param(&query, "Version"), "2011-06-15");
    assert_eq!(param(&query, "X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
    assert_eq!(
        param(&query, "X-Amz-Credential"),
        "AKIDEXAMPLE%2F20261201%2Feu-west-1%2Fsts%2Faws4_request"
    );
    assert_eq!(param(&query, "X-Amz-Date"), "20261201T204742Z");
    assert_eq!(param(&query, "X-Amz-Expires"), "60");
    assert_eq!(param(&query, "X-Amz-SignedHeaders"), "host%3Bx-k8s-aws-id");
    let signature = param(&query, "X-Amz-Signature");
    assert!(
        signature.len() == 64 && signature.chars().all(|c| c.is_ascii_hexdigit()),
        "{signature}"
    );
    assert!(query.iter().all(|(k, _)| k != "X-Amz-Security-Token"));
    assert_eq!(token.expires_at, at + Duration::from_secs(14 * 60));
}

#[test]
fn the_signature_covers_the_cluster_name_and_the_session_token_rides_along() {
    let at = UNIX_EPOCH + Duration::from_secs(1_796_158_062);
    let sign_for = |cluster: &str| {
        presign(
            &credentials(Some("FwoGZXIvYXdzEXAMPLE")),
            "eu-west-1",
            "https://sts.eu-west-1.amazonaws.com",
            cluster,
            at,
        )
        .unwrap()
    };
    let (_, a) = decode(&sign_for("my-eks"));
    let (_, b) = decode(&sign_for("other"));
    assert_ne!(
        param(&a, "X-Amz-Signature"),
        param(&b, "X-Amz-Signature"),
        "another cluster's name gives another signature"
    );
    assert_eq!(param(&a, "X-Amz-Security-Token"), "FwoGZXIvYXdzEXAMPLE");
}

#[test]
fn tokens_go_stale_a_minute_before_they_expire_and_never_print() {
    let at = UNIX_EPOCH + Duration::from_secs(1_796_158_062);
    let token = presign(
        &credentials(None),
        "us-east-1",
        "http://127.0.0.1:4566",
        "c",
        at,
    )
    .unwrap();
    assert!(!token.is_stale(at + Duration::from_secs(12 * 60)));
    assert!(token.is_stale(at + Duration::from_secs(13 * 60)));
    let shown = format!("{token:?}");
    assert!(!shown.contains(TOKEN_PREFIX), "{shown}");
    assert!(shown.contains("2026-12-01T21:01:42Z"), "{shown}");
    let (uri, _) = decode(&token);
    assert_eq!(uri.authority().map(|a| a.as_str()), Some("127.0.0.1:4566"));
}

#[test]
fn the_exec_credential_is_what_aws_eks_get_token_prints() {
    let at = UNIX_EPOCH + Duration::from_secs(1_796_158_062);
    let token = presign(
        &credentials(None),
        "us-east-1",
        "https://sts.us-east-1.amazonaws.com",
        "c",
        at,
    )
    .unwrap();
    let json = serde_json::to_value(exec_credential(&token, exec_api_version(None))).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "kind": "ExecCredential",
            "apiVersion": "client.authentication.k8s.io/v1beta1",
            "spec": {},
            "status": {
                "expirationTimestamp": "2026-12-01T21:01:42Z",
                "token": token.expose(),
            }
        })
    );
    let info = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#;
    assert_eq!(
        exec_api_version(Some(info)),
        "client.authentication.k8s.io/v1"
    );
    assert_eq!(
        exec_api_version(Some("not json")),
        "client.authentication.k8s.io/v1beta1"
    );
}

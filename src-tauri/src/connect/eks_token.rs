//! The EKS bearer token, made in-process as `aws eks get-token` and
//! aws-iam-authenticator make it: a SigV4-presigned STS GetCallerIdentity
//! URL (regional endpoint, or the emulator's), with `x-k8s-aws-id:
//! <cluster>` among the signed headers and `X-Amz-Expires=60`, base64url
//! without padding behind `k8s-aws-v1.`. EKS accepts it for 15 minutes
//! from its signing time; like the AWS CLI we call it expired after 14.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use base64::Engine;
use serde::Serialize;

use crate::aws::{AwsError, AwsSession};

pub const TOKEN_PREFIX: &str = "k8s-aws-v1.";
/// The header naming the cluster the token is for.
pub const CLUSTER_ID_HEADER: &str = "x-k8s-aws-id";
/// What the AWS CLI writes as a token's expiry: 14 of EKS's 15 minutes.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 60);

/// A bearer token for one cluster. `Debug` never shows the token.
#[derive(Clone)]
pub struct EksToken {
    token: String,
    pub signed_at: SystemTime,
    pub expires_at: SystemTime,
}

impl std::fmt::Debug for EksToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EksToken")
            .field("token", &"<redacted>")
            .field(
                "expires_at",
                &crate::timestamps::rfc3339_seconds(self.expires_at),
            )
            .finish()
    }
}

impl EksToken {
    /// The bearer token itself: for the Authorization header and the
    /// ExecCredential, nothing else.
    pub fn expose(&self) -> &str {
        &self.token
    }

    /// Whether it should be replaced before use at `now`: within a minute of
    /// its expiry (a request that starts then still reaches EKS in time).
    pub fn is_stale(&self, now: SystemTime) -> bool {
        now + Duration::from_secs(60) >= self.expires_at
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Aws(#[from] AwsError),
    #[error("Could not sign the EKS token: {0}")]
    Signing(String),
}

/// The STS endpoint a token for `session` is presigned for: the
/// emulator's, or the region's own in its partition.
pub fn sts_endpoint(session: &AwsSession) -> String {
    match session.endpoint_override() {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => session.endpoint("sts"),
    }
}

/// A fresh token for `cluster`, signed now with the session's credentials.
pub async fn eks_token(session: &AwsSession, cluster: &str) -> Result<EksToken, TokenError> {
    let credentials = session.credentials().await?;
    presign(
        &credentials,
        session.region(),
        &sts_endpoint(session),
        cluster,
        SystemTime::now(),
    )
}

/// The token for `cluster` signed by `credentials` at `at` for the STS
/// endpoint `base_url`.
pub fn presign(
    credentials: &aws_credential_types::Credentials,
    region: &str,
    base_url: &str,
    cluster: &str,
    at: SystemTime,
) -> Result<EksToken, TokenError> {
    let identity = credentials.clone().into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(60));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(at)
        .settings(settings)
        .build()
        .map_err(|e| TokenError::Signing(e.to_string()))?
        .into();
    let url = format!("{base_url}/?Action=GetCallerIdentity&Version=2011-06-15");
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .to_string();
    let headers = [("host", host.as_str()), (CLUSTER_ID_HEADER, cluster)];
    let signable = SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[]))
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| TokenError::Signing(e.to_string()))?
        .into_parts();
    let mut request = http::Request::builder()
        .uri(&url)
        .body(())
        .map_err(|e| TokenError::Signing(e.to_string()))?;
    instructions.apply_to_request_http1x(&mut request);
    let signed = request.uri().to_string();
    Ok(EksToken {
        token: format!(
            "{TOKEN_PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signed)
        ),
        signed_at: at,
        expires_at: at + TOKEN_LIFETIME,
    })
}

/// `client.authentication.k8s.io` ExecCredential, as `aws eks get-token`
/// prints it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecCredential<'a> {
    pub kind: &'static str,
    pub api_version: String,
    pub spec: serde_json::Map<String, serde_json::Value>,
    pub status: ExecCredentialStatus<'a>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecCredentialStatus<'a> {
    pub expiration_timestamp: String,
    pub token: &'a str,
}

/// The API version the kubeconfig's client asked for (kubectl passes it in
/// `KUBERNETES_EXEC_INFO`), else `v1beta1`, as the AWS CLI decides.
pub fn exec_api_version(exec_info: Option<&str>) -> String {
    exec_info
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .and_then(|v| v.get("apiVersion")?.as_str().map(str::to_string))
        .filter(|v| v.starts_with("client.authentication.k8s.io/"))
        .unwrap_or_else(|| "client.authentication.k8s.io/v1beta1".to_string())
}

pub fn exec_credential<'a>(token: &'a EksToken, api_version: String) -> ExecCredential<'a> {
    ExecCredential {
        kind: "ExecCredential",
        api_version,
        spec: serde_json::Map::new(),
        status: ExecCredentialStatus {
            expiration_timestamp: crate::timestamps::rfc3339_seconds(token.expires_at),
            token: token.expose(),
        },
    }
}

#[cfg(test)]
#[path = "eks_token_tests.rs"]
mod tests;

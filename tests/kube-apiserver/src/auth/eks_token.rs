//! EKS bearer tokens (`k8s-aws-v1.` + base64url of a presigned STS
//! GetCallerIdentity URL), checked as aws-iam-authenticator's
//! `pkg/token/token.go` Verify does, then sent to the emulator's STS with
//! the cluster name in `x-k8s-aws-id`, whose answer names the caller.

use std::collections::HashSet;

use base64::Engine;

use super::emulator_client;

const PREFIX: &str = "k8s-aws-v1.";
const MAX_TOKEN_LEN: usize = 4 * 1024;
/// Presigned STS URLs, and so tokens, live 15 minutes from X-Amz-Date.
pub const TOKEN_LIFE_SECONDS: i64 = 15 * 60;

const ALLOWED: &[&str] = &[
    "action",
    "version",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-date",
    "x-amz-expires",
    "x-amz-security-token",
    "x-amz-signature",
    "x-amz-signedheaders",
];

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("not an EKS token")]
    NotEks,
    #[error("malformed token: {0}")]
    Format(String),
    #[error("token expired: X-Amz-Date {0} is older than 15 minutes")]
    Expired(String),
    #[error("STS refused the token: {0}")]
    Refused(String),
    #[error("{0}")]
    Emulator(#[from] emulator_client::EmulatorError),
}

/// What the token's URL says before anyone is asked.
pub struct Presigned {
    /// host:port to send the GET to (the emulator).
    pub connect: String,
    /// The Host header the URL was signed for.
    pub host: String,
    pub path_and_query: String,
    pub region: String,
    pub access_key_id: String,
    /// Unix time after which the token is expired.
    pub expires_at: i64,
}

#[derive(Clone, Debug)]
pub struct Caller {
    pub arn: String,
    pub account: String,
    pub user_id: String,
    pub access_key_id: String,
}

fn is_sts_host(host: &str) -> bool {
    let Some(rest) = host.strip_prefix("sts") else {
        return false;
    };
    let rest = rest
        .strip_suffix(".amazonaws.com")
        .or_else(|| rest.strip_suffix(".amazonaws.com.cn"))
        .or_else(|| rest.strip_suffix(".api.aws"));
    match rest {
        Some("") => true,
        Some(r) => {
            r.starts_with('.')
                && r[1..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        }
        None => false,
    }
}

/// Checks the token's form; `emulator` is the emulator's host:port.
pub fn parse(token: &str, emulator: &str, now: i64) -> Result<Presigned, TokenError> {
    let Some(encoded) = token.strip_prefix(PREFIX) else {
        return Err(TokenError::NotEks);
    };
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::Format("token is too large".into()));
    }
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .map_err(|e| TokenError::Format(e.to_string()))?;
    let text = String::from_utf8(raw).map_err(|_| TokenError::Format("not UTF-8".into()))?;
    let url = url::Url::parse(&text).map_err(|e| TokenError::Format(e.to_string()))?;
    let host = url.host_str().unwrap_or_default().to_string();
    let host_port = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    match url.scheme() {
        "https" if is_sts_host(&host) && url.port().is_none() => {}
        "http" if host_port == emulator => {}
        s => {
            return Err(TokenError::Format(format!(
                "unexpected scheme {s:?} or host {host_port:?} in pre-signed URL"
            )))
        }
    }
    if url.path() != "/" {
        return Err(TokenError::Format(
            "unexpected path in pre-signed URL".into(),
        ));
    }
    let mut seen = HashSet::new();
    let mut get = std::collections::HashMap::new();
    for (k, v) in url.query_pairs() {
        let lower = k.to_ascii_lowercase();
        if !seen.insert(lower.clone()) {
            return Err(TokenError::Format(format!(
                "duplicate query parameter found: {k:?}"
            )));
        }
        if !ALLOWED.contains(&lower.as_str()) {
            return Err(TokenError::Format(format!(
                "non-whitelisted query parameter {k:?}"
            )));
        }
        get.insert(lower, v.into_owned());
    }
    let field = |k: &str| get.get(k).map(String::as_str).unwrap_or("");
    if field("action") != "GetCallerIdentity" {
        return Err(TokenError::Format(
            "unexpected action parameter in pre-signed URL".into(),
        ));
    }
    if field("version") != "2011-06-15" {
        return Err(TokenError::Format(
            "unexpected version parameter in pre-signed URL".into(),
        ));
    }
    if !field("x-amz-signedheaders")
        .split(';')
        .any(|h| h.eq_ignore_ascii_case("x-k8s-aws-id"))
    {
        return Err(TokenError::Format(
            "client did not sign the x-k8s-aws-id header in the pre-signed URL".into(),
        ));
    }
    let expires: i64 = field("x-amz-expires").parse().unwrap_or(-1);
    if !(0..=900).contains(&expires) {
        return Err(TokenError::Format(format!(
            "invalid X-Amz-Expires parameter in pre-signed URL: {expires}"
        )));
    }
    let date = field("x-amz-date");
    let signed_at = chrono::NaiveDateTime::parse_from_str(date, "%Y%m%dT%H%M%SZ")
        .map_err(|_| TokenError::Format(format!("X-Amz-Date {date:?} is not YYYYMMDDTHHMMSSZ")))?
        .and_utc()
        .timestamp();
    if now > signed_at + TOKEN_LIFE_SECONDS {
        return Err(TokenError::Expired(date.to_string()));
    }
    let scope: Vec<&str> = field("x-amz-credential").split('/').collect();
    if scope.len() != 5 || scope[3] != "sts" || scope[4] != "aws4_request" {
        return Err(TokenError::Format("malformed X-Amz-Credential".into()));
    }
    Ok(Presigned {
        connect: emulator.to_string(),
        host: host_port,
        path_and_query: format!("/?{}", url.query().unwrap_or("")),
        region: scope[2].to_string(),
        access_key_id: scope[0].to_string(),
        expires_at: signed_at + TOKEN_LIFE_SECONDS,
    })
}

fn xml_field(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(body[start..end].to_string())
}

fn json_field(v: &serde_json::Value, tag: &str) -> Option<String> {
    let r = &v["GetCallerIdentityResponse"]["GetCallerIdentityResult"];
    r[tag]
        .as_str()
        .or_else(|| v[tag].as_str())
        .map(str::to_string)
}

/// Asks STS who signed the URL for cluster `cluster`. `Ok(None)`: STS says
/// the signature does not match (wrong secret or another cluster name).
pub async fn call_sts(p: &Presigned, cluster: &str) -> Result<Option<Caller>, TokenError> {
    let headers = vec![
        ("host".to_string(), p.host.clone()),
        ("x-k8s-aws-id".to_string(), cluster.to_string()),
        ("accept".to_string(), "application/json".to_string()),
    ];
    let reply = emulator_client::get(&p.connect, &p.path_and_query, &headers).await?;
    if reply.status == 403 && reply.body.contains("SignatureDoesNotMatch") {
        return Ok(None);
    }
    if reply.status != 200 {
        return Err(TokenError::Refused(format!(
            "error from AWS (expected 200, got {}). Body: {}",
            reply.status, reply.body
        )));
    }
    // The emulator answers XML whatever Accept says; AWS answers JSON to it.
    let (arn, account, user_id) = match serde_json::from_str::<serde_json::Value>(&reply.body) {
        Ok(v) => (
            json_field(&v, "Arn"),
            json_field(&v, "Account"),
            json_field(&v, "UserId"),
        ),
        Err(_) => (
            xml_field(&reply.body, "Arn"),
            xml_field(&reply.body, "Account"),
            xml_field(&reply.body, "UserId"),
        ),
    };
    match (arn, account, user_id) {
        (Some(arn), Some(account), Some(user_id)) => Ok(Some(Caller {
            arn,
            account,
            user_id,
            access_key_id: p.access_key_id.clone(),
        })),
        _ => Err(TokenError::Refused(format!(
            "unreadable STS answer: {}",
            reply.body
        ))),
    }
}

/// Whether the key is one the emulator treats as its account root, whose
/// signatures it does not check (so this server refuses them).
pub fn is_emulator_root_key(key: &str) -> bool {
    key.is_empty() || key == "test" || (key.len() == 12 && key.chars().all(|c| c.is_ascii_digit()))
}

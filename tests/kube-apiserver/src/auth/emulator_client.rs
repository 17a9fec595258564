//! A minimal HTTP/1.1 client for the AWS emulator (plain HTTP on loopback):
//! STS presigned GETs as the token carries them, and EKS REST calls signed
//! with SigV4 as the emulator's account root.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::TokioIo;

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("emulator unreachable: {0}")]
    Connect(String),
    #[error("emulator request failed: {0}")]
    Http(String),
    #[error("signing failed: {0}")]
    Sign(String),
}

pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// GETs `path_and_query` from the emulator at `addr` (host:port), with the
/// given headers (Host included when it differs from `addr`).
pub async fn get(
    addr: &str,
    path_and_query: &str,
    headers: &[(String, String)],
) -> Result<Reply, EmulatorError> {
    let stream = tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
        .await
        .map_err(|_| EmulatorError::Connect("timed out".into()))?
        .map_err(|e| EmulatorError::Connect(e.to_string()))?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| EmulatorError::Http(e.to_string()))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut builder = http::Request::builder().method("GET").uri(path_and_query);
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        builder = builder.header("host", addr);
    }
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let req = builder
        .body(Empty::<Bytes>::new())
        .map_err(|e| EmulatorError::Http(e.to_string()))?;
    let resp = tokio::time::timeout(Duration::from_secs(10), sender.send_request(req))
        .await
        .map_err(|_| EmulatorError::Http("timed out".into()))?
        .map_err(|e| EmulatorError::Http(e.to_string()))?;
    let status = resp.status().as_u16();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| EmulatorError::Http(e.to_string()))?
        .to_bytes();
    Ok(Reply {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A SigV4-signed GET to the emulator's EKS REST API, as its account root
/// (`test`/`test`, the emulator's documented root credentials).
pub async fn eks_get(addr: &str, region: &str, path: &str) -> Result<Reply, EmulatorError> {
    let url = format!("http://{addr}{path}");
    let identity = Credentials::new("test", "test", None, None, "emulator-root").into();
    let params: aws_sigv4::http_request::SigningParams = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("eks")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| EmulatorError::Sign(e.to_string()))?
        .into();
    let host = [("host", addr)];
    let signable = SignableRequest::new("GET", &url, host.into_iter(), SignableBody::Bytes(&[]))
        .map_err(|e| EmulatorError::Sign(e.to_string()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| EmulatorError::Sign(e.to_string()))?
        .into_parts();
    let headers: Vec<(String, String)> = instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    get(addr, path, &headers).await
}

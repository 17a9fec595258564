//! A raw HTTPS client for protocol tests: one request per connection,
//! trusting the server's ca.pem, with streamed bodies read line by line.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use tokio::sync::mpsc;

pub struct Client {
    addr: String,
    tls: Arc<rustls::ClientConfig>,
    pub token: String,
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct Stream {
    pub status: u16,
    lines: mpsc::Receiver<Option<String>>,
    pub ended: bool,
}

impl Stream {
    /// The next line, None at the timeout; `ended` is set when the server closed the stream.
    pub async fn next(&mut self, timeout: Duration) -> Option<String> {
        if self.ended {
            return None;
        }
        match tokio::time::timeout(timeout, self.lines.recv()).await {
            Ok(Some(Some(l))) => Some(l),
            Ok(Some(None)) | Ok(None) => {
                self.ended = true;
                None
            }
            Err(_) => None,
        }
    }

    pub async fn next_json(&mut self, timeout: Duration) -> Option<Value> {
        self.next(timeout)
            .await
            .map(|l| serde_json::from_str(&l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
    }
}

pub fn install_crypto() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}

impl Client {
    pub fn new(url: &str, ca_file: &str, token: &str) -> Client {
        install_crypto();
        let mut roots = rustls::RootCertStore::empty();
        for c in CertificateDer::pem_file_iter(ca_file).expect("ca.pem") {
            roots.add(c.expect("cert")).expect("add root");
        }
        let mut cfg = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
        Client {
            addr: url.trim_start_matches("https://").to_string(),
            tls: Arc::new(cfg),
            token: token.to_string(),
        }
    }

    pub fn with_token(&self, token: &str) -> Client {
        Client {
            addr: self.addr.clone(),
            tls: self.tls.clone(),
            token: token.to_string(),
        }
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> hyper::Response<hyper::body::Incoming> {
        let tcp = tokio::net::TcpStream::connect(&self.addr)
            .await
            .expect("connect");
        let connector = tokio_rustls::TlsConnector::from(self.tls.clone());
        let tls = connector
            .connect(ServerName::try_from("127.0.0.1").expect("name"), tcp)
            .await
            .expect("TLS handshake");
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .expect("HTTP handshake");
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let mut b = http::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.addr);
        if !self.token.is_empty() {
            b = b.header("authorization", format!("Bearer {}", self.token));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = b.body(Full::new(Bytes::from(body))).expect("request");
        sender.send_request(req).await.expect("send")
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let resp = tokio::time::timeout(
            Duration::from_secs(60),
            self.send(method, path, headers, body),
        )
        .await
        .expect("request timed out");
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], vec![]).await
    }

    pub async fn stream(&self, path: &str) -> Stream {
        let resp = self.send("GET", path, &[], vec![]).await;
        let status = resp.status().as_u16();
        let (tx, rx) = mpsc::channel(1024);
        let mut body = resp.into_body();
        tokio::spawn(async move {
            let mut buf: Vec<u8> = Vec::new();
            while let Some(frame) = body.frame().await {
                let Ok(frame) = frame else { break };
                if let Some(d) = frame.data_ref() {
                    buf.extend_from_slice(d);
                    while let Some(i) = buf.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = buf.drain(..=i).collect();
                        let text = String::from_utf8_lossy(&line[..line.len() - 1]).into_owned();
                        if tx.send(Some(text)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            let _ = tx.send(None).await;
        });
        Stream {
            status,
            lines: rx,
            ended: false,
        }
    }
}

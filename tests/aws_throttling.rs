//! Throttling is retried with backoff before a person ever sees it; only
//! persistent throttling reaches the UI, as `throttled`.
//! A scripted HTTP endpoint stands in for EKS (ministack never throttles).

use aws_credential_types::Credentials;
use eks_desk::aws::{clusters, AwsError, AwsSession};
use eks_desk::commands::{AppError, ErrorCode};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Answers the first `throttled` requests with EKS's 429
/// ThrottlingException, later ones with an empty cluster list.
fn scripted_eks(throttled: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            // Each SDK attempt may reuse the connection: serve requests in a loop.
            loop {
                let mut length = 0usize;
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let (status, kind, payload) = if n < throttled {
                    (
                        "429 Too Many Requests",
                        "ThrottlingException",
                        r#"{"message":"Rate exceeded"}"#,
                    )
                } else {
                    ("200 OK", "", r#"{"clusters":[]}"#)
                };
                let mut head = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                    payload.len()
                );
                if !kind.is_empty() {
                    head.push_str(&format!("x-amzn-errortype: {kind}\r\n"));
                }
                head.push_str("\r\n");
                if stream.write_all(head.as_bytes()).is_err()
                    || stream.write_all(payload.as_bytes()).is_err()
                {
                    break;
                }
            }
        }
    });
    (url, seen)
}

async fn session(url: &str) -> AwsSession {
    AwsSession::with_static_credentials(
        url,
        "us-east-1",
        Credentials::new("AKIAEXAMPLE", "secret", None, None, "test"),
    )
    .await
}

#[tokio::test]
async fn brief_throttling_is_retried_and_the_list_succeeds() {
    let (url, seen) = scripted_eks(2);
    let listed = clusters::list(&session(&url).await).await.unwrap();
    assert!(listed.is_empty());
    assert_eq!(
        seen.load(Ordering::SeqCst),
        3,
        "two throttled attempts, then success"
    );
}

#[tokio::test]
async fn persistent_throttling_is_reported_after_the_retries() {
    let (url, seen) = scripted_eks(usize::MAX);
    let err = clusters::list(&session(&url).await).await.unwrap_err();
    assert!(
        matches!(&err, AwsError::Throttled { operation } if operation == "eks:ListClusters"),
        "{err:?}"
    );
    assert_eq!(
        seen.load(Ordering::SeqCst),
        5,
        "five attempts before giving up"
    );
    assert_eq!(AppError::from(err).code, ErrorCode::Throttled);
}

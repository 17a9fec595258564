//! A fault-injecting HTTP/1.1 proxy between the app and the emulator, on
//! loopback. Per request it draws (from a seeded generator) one of: answer
//! 503, answer throttling in the service's own protocol (JSON for EKS, XML
//! for the query protocols of IAM/STS and EC2), drop the connection before
//! forwarding, forward and then drop the answer (the request took effect,
//! the client never hears), add latency, or forward as is. One request per
//! connection (every answer says `Connection: close`), std only, and it
//! stops when dropped.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// Chances per request, each in 0..1; what is left is forwarded untouched.
#[derive(Debug, Clone, Copy)]
pub struct Faults {
    pub seed: u64,
    pub unavailable: f64,
    pub throttle: f64,
    pub drop_request: f64,
    /// Forward, then close without answering: the request took effect.
    pub drop_answer: f64,
    pub delay: f64,
    pub max_delay_ms: u64,
    /// After this many requests, every request is answered 503 (an outage
    /// that outlasts every retry).
    pub outage_after: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub forwarded: usize,
    pub unavailable: usize,
    pub throttled: usize,
    pub dropped_requests: usize,
    pub dropped_answers: usize,
    pub delayed: usize,
}

impl FaultCounts {
    pub fn faults(&self) -> usize {
        self.unavailable + self.throttled + self.dropped_requests + self.dropped_answers
    }
}

/// Answers a request itself instead of forwarding it: gets the request's
/// head and body, returns a whole HTTP response, or `None` to go on.
pub type Intercept = Arc<dyn Fn(&str, &str) -> Option<Vec<u8>> + Send + Sync>;
/// Changes a forwarded answer's body: gets the request's head and the
/// answer's body, returns the new body, or `None` to leave it.
pub type Rewrite = Arc<dyn Fn(&str, &str) -> Option<String> + Send + Sync>;

#[derive(Clone, Default)]
pub struct Hooks {
    pub intercept: Option<Intercept>,
    pub rewrite: Option<Rewrite>,
}

pub const NO_FAULTS: Faults = Faults {
    seed: 1,
    unavailable: 0.0,
    throttle: 0.0,
    drop_request: 0.0,
    drop_answer: 0.0,
    delay: 0.0,
    max_delay_ms: 0,
    outage_after: None,
};

pub struct FaultProxy {
    pub url: String,
    pub counts: Arc<Mutex<FaultCounts>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

enum Fault {
    Unavailable,
    Throttle,
    DropRequest,
    DropAnswer,
    Delay(Duration),
    None,
}

/// xorshift64*: small, seeded, good enough to spread faults; also counts
/// requests for the outage.
struct Draw(u64, usize);

impl Draw {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn fault(&mut self, f: &Faults) -> Fault {
        self.1 += 1;
        if f.outage_after.is_some_and(|n| self.1 > n) {
            return Fault::Unavailable;
        }
        let x = self.next();
        let mut edge = f.unavailable;
        if x < edge {
            return Fault::Unavailable;
        }
        edge += f.throttle;
        if x < edge {
            return Fault::Throttle;
        }
        edge += f.drop_request;
        if x < edge {
            return Fault::DropRequest;
        }
        edge += f.drop_answer;
        if x < edge {
            return Fault::DropAnswer;
        }
        edge += f.delay;
        if x < edge {
            let ms = (self.next() * f.max_delay_ms as f64) as u64;
            return Fault::Delay(Duration::from_millis(ms));
        }
        Fault::None
    }
}

impl FaultProxy {
    pub fn start(upstream_port: u16, faults: Faults) -> Self {
        Self::start_with(upstream_port, faults, Hooks::default())
    }

    pub fn start_with(upstream_port: u16, faults: Faults, hooks: Hooks) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy port");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let counts = Arc::new(Mutex::new(FaultCounts::default()));
        let draw = Arc::new(Mutex::new(Draw(faults.seed.max(1), 0)));
        let thread = {
            let (stop, counts) = (stop.clone(), counts.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((client, _)) => {
                            let (counts, draw, hooks) =
                                (counts.clone(), draw.clone(), hooks.clone());
                            std::thread::spawn(move || {
                                let _ =
                                    serve(client, upstream_port, &faults, &hooks, &draw, &counts);
                            });
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            url: format!("http://127.0.0.1:{port}"),
            counts,
            stop,
            thread: Some(thread),
        }
    }

    pub fn counts(&self) -> FaultCounts {
        self.counts.lock().unwrap().clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request: head and a Content-Length body (what the SDK sends).
fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                buf.truncate(end + 4 + length);
                return Ok(buf);
            }
        }
        let n = client.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The head with `Connection: close` in place of any connection header.
fn closing(message: &[u8]) -> Vec<u8> {
    let Some(end) = find(message, b"\r\n\r\n") else {
        return message.to_vec();
    };
    let head = String::from_utf8_lossy(&message[..end]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes();
    out.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    out.extend_from_slice(&message[end + 4..]);
    out
}

fn answer(status: &str, content_type: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Throttling as each protocol says it.
fn throttling(request: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    if text.starts_with("POST / ") || text.starts_with("POST /?") {
        if text.contains("Version=2016-11-15") {
            answer(
                "503 Service Unavailable",
                "text/xml",
                "",
                "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>",
            )
        } else {
            answer(
                "400 Bad Request",
                "text/xml",
                "",
                "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>",
            )
        }
    } else {
        answer(
            "400 Bad Request",
            "application/json",
            "x-amzn-ErrorType: ThrottlingException\r\n",
            r#"{"message":"Rate exceeded"}"#,
        )
    }
}

fn serve(
    mut client: TcpStream,
    upstream_port: u16,
    faults: &Faults,
    hooks: &Hooks,
    draw: &Mutex<Draw>,
    counts: &Mutex<FaultCounts>,
) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let request = read_request(&mut client)?;
    let split = find(&request, b"\r\n\r\n").unwrap_or(request.len());
    let head = String::from_utf8_lossy(&request[..split]).to_string();
    let body = String::from_utf8_lossy(&request[(split + 4).min(request.len())..]).to_string();
    if let Some(answer) = hooks.intercept.as_ref().and_then(|f| f(&head, &body)) {
        client.write_all(&answer)?;
        return client.shutdown(Shutdown::Both);
    }
    let fault = draw.lock().unwrap().fault(faults);
    let count = |f: fn(&mut FaultCounts)| f(&mut counts.lock().unwrap());
    match fault {
        Fault::Unavailable => {
            count(|c| c.unavailable += 1);
            client.write_all(&answer(
                "503 Service Unavailable",
                "text/plain",
                "",
                "Service Unavailable",
            ))?;
            return client.shutdown(Shutdown::Both);
        }
        Fault::Throttle => {
            count(|c| c.throttled += 1);
            client.write_all(&throttling(&request))?;
            return client.shutdown(Shutdown::Both);
        }
        Fault::DropRequest => {
            count(|c| c.dropped_requests += 1);
            return client.shutdown(Shutdown::Both);
        }
        Fault::Delay(d) => {
            count(|c| c.delayed += 1);
            std::thread::sleep(d);
        }
        Fault::DropAnswer | Fault::None => {}
    }
    let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port))?;
    upstream.set_read_timeout(Some(Duration::from_secs(30)))?;
    upstream.write_all(&closing(&request))?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    if let Fault::DropAnswer = fault {
        count(|c| c.dropped_answers += 1);
        return client.shutdown(Shutdown::Both);
    }
    count(|c| c.forwarded += 1);
    if let Some(rewrite) = &hooks.rewrite {
        response = rewritten(&head, response, rewrite);
    }
    client.write_all(&closing(&response))?;
    client.shutdown(Shutdown::Both)
}

/// The answer with its body replaced by the rewrite's (and a matching
/// Content-Length); chunked answers are left alone.
fn rewritten(request_head: &str, response: Vec<u8>, rewrite: &Rewrite) -> Vec<u8> {
    let Some(end) = find(&response, b"\r\n\r\n") else {
        return response;
    };
    let head = String::from_utf8_lossy(&response[..end]).to_string();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return response;
    }
    let body = String::from_utf8_lossy(&response[end + 4..]).to_string();
    let Some(new_body) = rewrite(request_head, &body) else {
        return response;
    };
    let kept: Vec<&str> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("content-length:"))
        .collect();
    format!(
        "{}\r\nContent-Length: {}\r\n\r\n{new_body}",
        kept.join("\r\n"),
        new_body.len()
    )
    .into_bytes()
}

/// An AWS JSON-protocol error answer (EKS).
pub fn json_error(status: &str, code: &str, message: &str) -> Vec<u8> {
    let body = format!(r#"{{"message":{message:?}}}"#);
    answer(
        status,
        "application/json",
        &format!("x-amzn-ErrorType: {code}\r\n"),
        &body,
    )
}

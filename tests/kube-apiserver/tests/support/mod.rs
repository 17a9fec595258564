//! Starts test-kube-apiserver on free loopback ports, waits for its ready
//! line (never a sleep), and talks to it: the control API over plain HTTP,
//! the Kubernetes API over HTTPS trusting its ca.pem, and kubectl.

#![allow(dead_code)]

pub mod https;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct Server {
    child: Child,
    pub url: String,
    pub ca_file: String,
    pub control: String,
    pub dir: PathBuf,
    pub stderr_path: PathBuf,
}

fn temp_dir(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!(
        "test-kube-apiserver-{tag}-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let dir = temp_dir("srv");
        let stderr_path = dir.join("stderr.log");
        let stderr = std::fs::File::create(&stderr_path).expect("stderr log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_test-kube-apiserver"))
            .arg("--state-dir")
            .arg(&dir)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start test-kube-apiserver");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(l)) = lines.next() {
                let _ = tx.send(l);
            }
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "no ready line from test-kube-apiserver within 120 s; stderr:\n{}",
                    std::fs::read_to_string(&stderr_path).unwrap_or_default()
                );
            }
        };
        let ready: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("ready line {line:?}: {e}"));
        Server {
            child,
            url: ready["url"].as_str().expect("url").to_string(),
            ca_file: ready["caFile"].as_str().expect("caFile").to_string(),
            control: ready["control"].as_str().expect("control").to_string(),
            dir,
            stderr_path,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// A control API call; panics unless it answers 200.
    pub fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, v) = self.control_raw(method, path, body);
        assert_eq!(status, 200, "control {method} {path}: {v}");
        v
    }

    pub fn control_raw(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let addr = self.control.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("control connect");
        s.set_read_timeout(Some(Duration::from_secs(120))).ok();
        let b = body.to_string();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
            b.len()
        )
        .expect("control write");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("control read");
        let status: u16 = out
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = out.split("\r\n\r\n").nth(1).unwrap_or("");
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    pub fn stats(&self) -> Value {
        self.control("GET", "/stats", Value::Null)
    }

    /// A kubeconfig for this server and a bearer token.
    pub fn kubeconfig(&self, token: &str) -> PathBuf {
        let path = self.dir.join(format!(
            "kubeconfig-{}",
            token.len() ^ token.bytes().map(|b| b as usize).sum::<usize>()
        ));
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {}\n    certificate-authority: {}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: u\ncurrent-context: test\n",
            self.url, self.ca_file
        );
        std::fs::write(&path, text).expect("kubeconfig");
        path
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// kubectl from PATH or /usr/bin; a missing kubectl fails the test loudly.
pub fn kubectl_binary() -> PathBuf {
    for dir in std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .chain(["/usr/bin", "/usr/local/bin"])
    {
        let p = Path::new(dir).join("kubectl");
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "kubectl is not installed: these tests prove the server with a real kubectl \
         (Debian package kubernetes-client: `apt-get install kubernetes-client`)"
    );
}

pub struct Out {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

pub fn kubectl(kubeconfig: &Path, args: &[&str]) -> Out {
    let out = Command::new(kubectl_binary())
        .env("KUBECONFIG", kubeconfig)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .arg("--request-timeout=30s")
        .args(args)
        .output()
        .expect("run kubectl");
    Out {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A long-running kubectl (`-w`, `logs -f`) whose output lines are read
/// until a condition holds; killed on drop.
pub struct KubectlStream {
    child: Child,
    lines: mpsc::Receiver<String>,
    pub seen: Vec<String>,
}

impl KubectlStream {
    pub fn start(kubeconfig: &Path, args: &[&str]) -> KubectlStream {
        let mut child = Command::new(kubectl_binary())
            .env("KUBECONFIG", kubeconfig)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start kubectl");
        let (tx, rx) = mpsc::channel();
        for pipe in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
            });
        }
        KubectlStream {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Reads lines until one satisfies `pred`, or panics at the deadline.
    pub fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if pred(&l) {
                        return l;
                    }
                }
                Err(_) => panic!(
                    "kubectl never printed {what} within {timeout:?}; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for KubectlStream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `f` until it returns Some, or panics at the deadline.
pub fn wait_until<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

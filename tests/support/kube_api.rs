//! Starts the repo's test Kubernetes API server (tests/kube-apiserver) for
//! EKS Desk's own tests: on free loopback ports, signing in through the
//! emulator's STS, ready when it prints its ready line (never a sleep).
//! The binary is built by `make test` before these tests run; a missing
//! or out-of-date one fails the test, saying how to build it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

pub struct KubeApi {
    child: Child,
    /// The ready line, as `EKS_DESK_SIMULATED_KUBE_API` takes it.
    pub ready_line: String,
    pub url: String,
    pub ca_file: PathBuf,
    pub control: String,
    dir: tempfile::TempDir,
}

/// The workspace root: the nearest folder above this crate's manifest that
/// holds `tests/kube-apiserver`.
fn workspace_root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("tests/kube-apiserver").is_dir() {
        if !dir.pop() {
            return PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        }
    }
    dir
}

fn newest_source(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_source(&path)
        } else {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH)
        };
        newest = newest.max(time);
    }
    newest
}

/// The built server; panics (loudly) when it is missing or older than its
/// sources. `TEST_KUBE_APISERVER` names another build (benchmarks use a
/// release one, as the server's own speed is not what they measure).
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("TEST_KUBE_APISERVER") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "TEST_KUBE_APISERVER={} is not a file",
            path.display()
        );
        return path;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let path = target.join("debug/test-kube-apiserver");
    let built = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: build it with `cargo build -p test-kube-apiserver` (make test does)",
                path.display()
            )
        });
    let sources = workspace_root().join("tests/kube-apiserver");
    let newest =
        newest_source(&sources.join("src")).max(newest_source(&sources.join("Cargo.toml")));
    assert!(
        built >= newest,
        "{} is older than its sources: rebuild it with `cargo build -p test-kube-apiserver`",
        path.display()
    );
    path
}

impl KubeApi {
    /// The server with `args`, signing in through the emulator at
    /// `emulator_url` (for the clusters it lists).
    pub fn start(emulator_url: &str, args: &[&str]) -> KubeApi {
        let mut all = vec!["--emulator", emulator_url];
        all.extend_from_slice(args);
        Self::start_with(&all)
    }

    /// The server with exactly `args` (static tokens only, say).
    pub fn start_with(args: &[&str]) -> KubeApi {
        let dir = tempfile::tempdir().expect("temp dir");
        let stderr_path = dir.path().join("stderr.log");
        let stderr = std::fs::File::create(&stderr_path).expect("stderr log");
        let mut child = Command::new(binary())
            .arg("--state-dir")
            .arg(dir.path())
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
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!(
                "no ready line from test-kube-apiserver within 60 s; stderr:\n{}",
                std::fs::read_to_string(&stderr_path).unwrap_or_default()
            );
        };
        let ready: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("ready line {line:?}: {e}"));
        KubeApi {
            child,
            url: ready["url"].as_str().expect("url").to_string(),
            ca_file: PathBuf::from(ready["caFile"].as_str().expect("caFile")),
            control: ready["control"].as_str().expect("control").to_string(),
            ready_line: line,
            dir,
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A control API call (`POST /churn`, `GET /stats`…); panics unless 200.
    pub fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let addr = self.control.trim_start_matches("http://");
        let mut s = TcpStream::connect(addr).expect("control connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).ok();
        let b = body.to_string();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{b}",
            b.len()
        )
        .expect("control write");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("control read");
        assert!(
            out.starts_with("HTTP/1.1 200"),
            "control {method} {path}: {out}"
        );
        serde_json::from_str(out.split("\r\n\r\n").nth(1).unwrap_or("")).unwrap_or(Value::Null)
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default()
    }
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// kubectl from PATH or /usr/bin; missing, the test fails saying so.
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
    panic!("kubectl is not installed (Debian package kubernetes-client)");
}

//! Starts the ministack AWS emulator for one test: a free loopback port,
//! `AUTH=true` (signatures and IAM policies enforced, as on AWS), its own
//! temporary directory, and killed when the guard drops, so no test leaves a
//! process or a port behind. Shared by the integration tests and the e2e
//! crate (`#[path]`-included), hence no dependencies beyond std.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Emulator {
    child: Child,
    _docker: Option<SilentDocker>,
    pub port: u16,
    pub url: String,
    pub log_path: PathBuf,
    _dir: TempDir,
}

/// A directory removed on drop (std only, so the e2e crate needs no deps).
pub struct TempDir(pub PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

/// `.venv/bin/ministack` under the repository root, as `make test` installs it.
pub fn ministack_binary(repo_root: &Path) -> PathBuf {
    let bin = repo_root.join(".venv/bin/ministack");
    assert!(
        bin.is_file(),
        "ministack is not installed at {} — run `make test` (it creates the venv), \
         or `make deps`; this test cannot run without the emulator",
        bin.display()
    );
    bin
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect_timeout(
        &format!("127.0.0.1:{port}").parse().ok()?,
        Duration::from_millis(300),
    )
    .ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

impl Emulator {
    pub fn start(repo_root: &Path) -> Self {
        Self::start_with(repo_root, &[])
    }

    /// An emulator whose clusters stay CREATING for about `seconds` before
    /// turning ACTIVE, as on AWS (where it takes 10-15 minutes).
    ///
    /// ministack brings a cluster up in a background thread that first asks
    /// Docker for a k3s container; with no Docker it marks the cluster ACTIVE
    /// at once. Pointing it at a "Docker" that accepts connections and never
    /// answers makes that thread wait for its Docker timeout first.
    pub fn start_with_slow_control_plane(repo_root: &Path, seconds: u32) -> Self {
        let docker = SilentDocker::start();
        let host = format!("tcp://127.0.0.1:{}", docker.port);
        let timeout = seconds.to_string();
        let mut emulator = Self::start_with(
            repo_root,
            &[
                ("DOCKER_HOST", &host),
                ("MINISTACK_DOCKER_TIMEOUT", &timeout),
            ],
        );
        emulator._docker = Some(docker);
        emulator
    }

    /// Starts with extra environment variables for the emulator.
    pub fn start_with(repo_root: &Path, env: &[(&str, &str)]) -> Self {
        let bin = ministack_binary(repo_root);
        let port = free_port();
        let dir =
            std::env::temp_dir().join(format!("eks-desk-ministack-{port}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("emulator temp dir");
        let log_path = dir.join("ministack.log");
        let log = std::fs::File::create(&log_path).expect("emulator log");
        let mut cmd = Command::new(&bin);
        cmd.env("GATEWAY_PORT", port.to_string())
            .env("BIND_HOST", "127.0.0.1")
            .env("AUTH", "true")
            .env("TMPDIR", &dir)
            .env("STATE_DIR", dir.join("state"))
            .env("S3_DATA_DIR", dir.join("s3"))
            .env("LOG_LEVEL", "WARNING")
            // No Docker: clusters turn ACTIVE at once (unless overridden).
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env_remove("AWS_ENDPOINT_URL")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start ministack");
        let mut emulator = Emulator {
            child,
            _docker: None,
            port,
            url: format!("http://127.0.0.1:{port}"),
            log_path,
            _dir: TempDir(dir),
        };
        emulator.wait_ready();
        emulator
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "ministack exited ({status}) before it was ready:\n{}",
                    std::fs::read_to_string(&self.log_path).unwrap_or_default()
                );
            }
            if http_get(self.port, "/_ministack/health")
                .is_some_and(|r| r.starts_with("HTTP/1.1 200"))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("ministack did not answer on port {} within 60 s", self.port);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP listener that accepts connections and never answers.
struct SilentDocker {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SilentDocker {
    fn start() -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = TcpListener::bind("127.0.0.1:0").expect("silent docker port");
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((conn, _)) => held.push(conn),
                    Err(_) => std::thread::sleep(Duration::from_millis(50)),
                }
            }
        });
        Self {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for SilentDocker {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

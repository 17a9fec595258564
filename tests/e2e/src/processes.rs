//! The processes a test runs: Xvfb, tauri-driver (and through it
//! WebKitWebDriver and the app), each stopped by a drop guard.

use crate::emulator::{self, TempDir};
use crate::tools::Tools;
use crate::POLL;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime};

static UNIQUE: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir, removed on drop.
pub fn temp_dir(label: &str) -> TempDir {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "eks-desk-e2e-{label}-{}-{}-{nanos}",
        std::process::id(),
        UNIQUE.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

/// A child process stopped with SIGTERM (so it can stop its own children),
/// then SIGKILL if it has not exited within a few seconds.
struct Process {
    name: &'static str,
    child: Child,
}

impl Process {
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    fn terminate(&mut self) {
        if self.exited().is_some() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!(
            "{} (pid {}) ignored SIGTERM for 10 s; killing it",
            self.name,
            self.child.id()
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.terminate();
    }
}

pub(crate) fn tail(path: &Path, max: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let start = text.len().saturating_sub(max);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..].to_string()
}

/// An Xvfb server on a display number it picks itself.
pub struct Xvfb {
    _process: Process,
    pub display: u32,
}

impl Xvfb {
    pub fn start(binary: &Path, log_dir: &Path) -> Self {
        let log_path = log_dir.join("xvfb.log");
        let log = File::create(&log_path).expect("Xvfb log");
        let mut child = Command::new(binary)
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1400x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("Xvfb stdout");
        let mut process = Process {
            name: "Xvfb",
            child,
        };
        // Xvfb writes the display number to fd 1 once it accepts connections;
        // keep draining the pipe afterwards so it never blocks on it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = rx.recv_timeout(Duration::from_secs(20)).unwrap_or_default();
        let display: u32 = line.trim().parse().unwrap_or_else(|_| {
            process.terminate();
            panic!(
                "Xvfb did not report a display within 20 s (exit: {:?}); its log:\n{}",
                process.exited(),
                tail(&log_path, 4000)
            )
        });
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{display}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !socket.exists() {
            if Instant::now() > deadline || process.exited().is_some() {
                process.terminate();
                panic!(
                    "Xvfb :{display} has no socket {}; its log:\n{}",
                    socket.display(),
                    tail(&log_path, 4000)
                );
            }
            std::thread::sleep(POLL);
        }
        Xvfb {
            _process: process,
            display,
        }
    }
}

/// `tauri-driver` on a free port, with its `WebKitWebDriver` on another.
pub struct TauriDriver {
    process: Process,
    pub port: u16,
    pub log_path: PathBuf,
}

impl TauriDriver {
    pub(crate) fn start(tools: &Tools, env: &[(String, String)], log_dir: &Path) -> Self {
        let port = emulator::free_port();
        let mut native_port = emulator::free_port();
        while native_port == port {
            native_port = emulator::free_port();
        }
        let log_path = log_dir.join("tauri-driver.log");
        let log = File::create(&log_path).expect("tauri-driver log");
        let mut cmd = Command::new(&tools.tauri_driver);
        cmd.arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .arg("--native-driver")
            .arg(&tools.webkit_driver)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("tauri-driver log"))
            .stderr(log);
        // Nothing of the developer's AWS, Kubernetes or desktop setup leaks in.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("AWS_")
                || key.starts_with("EKS_DESK_")
                || key.starts_with("XDG_")
                || key == "KUBECONFIG"
                || key == "WAYLAND_DISPLAY"
                || key == "DISPLAY"
            {
                cmd.env_remove(&*key);
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.tauri_driver.display()));
        TauriDriver {
            process: Process {
                name: "tauri-driver",
                child,
            },
            port,
            log_path,
        }
    }

    pub(crate) async fn wait_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.process.exited() {
                panic!(
                    "tauri-driver exited ({status}) before listening; its log:\n{}",
                    tail(&self.log_path, 4000)
                );
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on port {} within 20 s; its log:\n{}",
                self.port,
                tail(&self.log_path, 4000)
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

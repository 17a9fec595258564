//! End-to-end harness: drives the real `eks-desk` binary in a real window.
//!
//! Each test gets its own X server (Xvfb, display picked by Xvfb itself with
//! `-displayfd`, so parallel runs cannot collide), its own `tauri-driver`
//! (which starts `WebKitWebDriver`, which starts the app) on free loopback
//! ports, and a fresh `HOME` (no AWS profiles, no kubeconfig, app data
//! isolated). Everything is stopped by drop guards, so a failing test leaves
//! no process, port or directory behind.
//!
//! The app must be built first: `cargo build -p eks-desk` (this crate does
//! not depend on the app crate, so `cargo test -p eks-desk-e2e` does not
//! rebuild it). Missing tools make the tests fail with a message naming them;
//! they never pass by skipping.

#[path = "../../support/emulator.rs"]
pub mod emulator;
#[path = "../../support/kube_api.rs"]
pub mod kube_api;
mod processes;
mod tools;

use processes::tail;
pub use processes::{temp_dir, TauriDriver, Xvfb};
pub use tools::*;

use emulator::TempDir;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a UI state may take to appear after the backend has answered.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);
pub(crate) const POLL: Duration = Duration::from_millis(100);
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs a seeding script of `tests/support`: EKS clusters in the emulator.
pub fn seed_clusters(endpoint: &str, region: &str, names: &[&str]) {
    seed(endpoint, region, names, &[]);
}

/// [`seed_clusters`] with `admin` made each cluster's admin (an access
/// entry), so that the app signed in as `admin` can open them.
pub fn seed_clusters_with_admin(endpoint: &str, region: &str, names: &[&str], admin: &str) {
    seed(endpoint, region, names, &["--admin", admin]);
}

fn seed(endpoint: &str, region: &str, names: &[&str], extra: &[&str]) {
    let root = repo_root();
    let python = root.join(".venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing — run `make deps` (it creates the venv with ministack)",
        python.display()
    );
    let out = Command::new(&python)
        .arg(root.join("tests/support/seed_emulator.py"))
        .arg(endpoint)
        .arg(region)
        .args(names)
        .args(extra)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run seed_emulator.py");
    assert!(
        out.status.success(),
        "seed_emulator.py failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// The app

/// How to start the app for one test.
pub struct Launch {
    /// Names the failure screenshot (`target/screenshots/failed-<name>.png`).
    pub name: String,
    /// `AWS_ENDPOINT_URL`: where the "Local emulator" environment points.
    pub endpoint: String,
    /// `AWS_REGION`: the initial region.
    pub region: String,
    /// Further environment variables for the app.
    pub env: Vec<(String, String)>,
}

impl Launch {
    /// Starts on the "Local emulator" environment (`EKS_DESK_ENVIRONMENT=emulator`).
    pub fn emulator(name: &str, endpoint: &str, region: &str) -> Self {
        Launch {
            name: name.to_string(),
            endpoint: endpoint.to_string(),
            region: region.to_string(),
            env: vec![("EKS_DESK_ENVIRONMENT".into(), "emulator".into())],
        }
    }
}

/// One test at a time drives a window, even without `--test-threads=1`:
/// several WebKit processes at once only make timings worse.
static SERIAL: Mutex<()> = Mutex::new(());

/// The running app and everything it needs. Fields drop in order: the
/// WebDriver session is closed (in `Drop`), then tauri-driver gets SIGTERM
/// (it kills WebKitWebDriver), then Xvfb (any window left loses its display),
/// then the temporary HOME goes.
pub struct App {
    pub ui: Ui,
    session_id: Option<String>,
    closed: bool,
    driver: TauriDriver,
    _xvfb: Xvfb,
    home: TempDir,
    _logs: TempDir,
    _serial: MutexGuard<'static, ()>,
}

impl App {
    // The lock is held for the whole test on purpose; each test has its own
    // thread and runtime, so blocking on it cannot starve another task.
    #[allow(clippy::await_holding_lock)]
    pub async fn launch(launch: Launch) -> Self {
        let tools = Tools::find();
        let serial = SERIAL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let logs = temp_dir("logs");
        let home = temp_dir("home");
        let xvfb = Xvfb::start(&tools.xvfb, &logs.0);

        let home_path = home.0.to_string_lossy().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("DISPLAY".into(), format!(":{}", xvfb.display)),
            ("GDK_BACKEND".into(), "x11".into()),
            ("HOME".into(), home_path),
            ("AWS_ENDPOINT_URL".into(), launch.endpoint.clone()),
            ("AWS_REGION".into(), launch.region.clone()),
        ];
        env.extend(launch.env.iter().cloned());

        let mut driver = TauriDriver::start(&tools, &env, &logs.0);
        driver.wait_listening().await;

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": tools.app }),
        );
        caps.insert("browserName".into(), "wry".into());
        let url = format!("http://127.0.0.1:{}", driver.port);
        let deadline = Instant::now() + SESSION_TIMEOUT;
        let client = loop {
            let mut builder = ClientBuilder::rustls().expect("rustls connector");
            builder.capabilities(caps.clone());
            let attempt = tokio::time::timeout(SESSION_TIMEOUT, builder.connect(&url)).await;
            match attempt {
                Ok(Ok(client)) => break client,
                Ok(Err(e)) if Instant::now() < deadline => {
                    eprintln!("WebDriver session not ready yet ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Ok(Err(e)) => panic!(
                    "could not start the app through tauri-driver: {e}\ntauri-driver log:\n{}",
                    tail(&driver.log_path, 6000)
                ),
                Err(_) => panic!(
                    "starting the app through tauri-driver took over {} s\ntauri-driver log:\n{}",
                    SESSION_TIMEOUT.as_secs(),
                    tail(&driver.log_path, 6000)
                ),
            }
        };
        let session_id = client.session_id().await.ok().flatten();
        App {
            ui: Ui {
                client,
                name: launch.name,
            },
            session_id,
            closed: false,
            driver,
            _xvfb: xvfb,
            home,
            _logs: logs,
            _serial: serial,
        }
    }

    /// Runs the test body against the window. If it panics, saves a
    /// screenshot and the page text, prints the driver and app logs, closes
    /// everything, and then re-raises the panic.
    pub async fn run<F, Fut>(mut self, body: F)
    where
        F: FnOnce(Ui) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let outcome = tokio::spawn(body(self.ui.clone())).await;
        if let Err(err) = outcome {
            self.report_failure().await;
            self.close().await;
            if err.is_panic() {
                std::panic::resume_unwind(err.into_panic());
            }
            panic!("test body did not finish: {err}");
        }
        self.close().await;
    }

    async fn report_failure(&self) {
        let shot = screenshot_dir().join(format!("failed-{}.png", self.ui.name));
        match self.ui.client.screenshot().await {
            Ok(png) => {
                let _ = std::fs::write(&shot, png);
                eprintln!("failure screenshot: {}", shot.display());
            }
            Err(e) => eprintln!("no failure screenshot: {e}"),
        }
        // The chosen value of each <select>, then the page's rendered text.
        let text = self
            .ui
            .client
            .execute(
                "const sel = [...document.querySelectorAll('select')]\
                   .map(s => (s.getAttribute('aria-label') || s.name || 'select') + ' = ' + s.value);\
                 return sel.join('\\n') + '\\n' + document.body.innerText;",
                vec![],
            )
            .await;
        match text {
            Ok(serde_json::Value::String(text)) => eprintln!("--- page text ---\n{text}"),
            other => eprintln!("no page text: {other:?}"),
        }
        eprintln!(
            "--- tauri-driver / WebKitWebDriver / app stderr ---\n{}",
            tail(&self.driver.log_path, 8000)
        );
        let app_logs = self.home.0.join(".local/share/dev.eksdesk.app/logs");
        if let Ok(entries) = std::fs::read_dir(&app_logs) {
            for entry in entries.flatten() {
                eprintln!(
                    "--- app log {} ---\n{}",
                    entry.path().display(),
                    tail(&entry.path(), 8000)
                );
            }
        }
    }

    /// Ends the WebDriver session: WebKitWebDriver closes the app's window
    /// and the app exits.
    pub async fn close(&mut self) {
        if self.closed {
            return;
        }
        self.closed = true;
        let client = self.ui.client.clone();
        if tokio::time::timeout(Duration::from_secs(15), client.close())
            .await
            .is_err()
        {
            eprintln!("closing the WebDriver session timed out");
        }
    }
}

impl Drop for App {
    /// Closes the session with a plain HTTP request when `close` was not
    /// awaited (a panic outside `run`), so no app process outlives the test.
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        if let Some(id) = &self.session_id {
            let _ = delete_session(self.driver.port, id);
        }
    }
}

fn delete_session(port: u16, id: &str) -> std::io::Result<()> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "DELETE /session/{id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    Ok(())
}

// ---------------------------------------------------------------------------
// Driving the window

/// A handle on the app's window for test bodies (cheap to clone).
#[derive(Clone)]
pub struct Ui {
    pub client: Client,
    name: String,
}

impl Ui {
    /// Polls `check` until it returns `Some`, or panics after `timeout`
    /// saying what was awaited and what the window showed last.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, timeout: Duration, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {} s waiting for {what}",
                    timeout.as_secs_f32()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching `css` if it is displayed now.
    pub async fn visible(&self, css: &str) -> Option<Element> {
        let el = self.client.find(Locator::Css(css)).await.ok()?;
        el.is_displayed().await.ok()?.then_some(el)
    }

    /// Whether any element matches `css` now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| !v.is_empty())
            .unwrap_or(false)
    }

    /// Waits until an element matching `css` is displayed.
    pub async fn wait_visible(&self, css: &str, timeout: Duration) -> Element {
        self.wait_until(&format!("`{css}` to be displayed"), timeout, || {
            self.visible(css)
        })
        .await
    }

    /// Waits until no element matches `css`.
    pub async fn wait_absent(&self, css: &str, timeout: Duration) {
        self.wait_until(&format!("`{css}` to disappear"), timeout, || async move {
            (!self.exists(css).await).then_some(())
        })
        .await
    }

    /// Waits until the element matching `css` shows text containing `needle`;
    /// returns its whole text.
    pub async fn wait_text(&self, css: &str, needle: &str, timeout: Duration) -> String {
        self.wait_until(
            &format!("`{css}` to show \"{needle}\""),
            timeout,
            || async move {
                let text = self.visible(css).await?.text().await.ok()?;
                text.contains(needle).then_some(text)
            },
        )
        .await
    }

    /// The text of the element matching `css` (which must exist).
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
            .text()
            .await
            .unwrap_or_else(|e| panic!("text of `{css}`: {e}"))
    }

    /// Clicks the displayed element matching `css`.
    pub async fn click(&self, css: &str) {
        self.wait_visible(css, UI_TIMEOUT)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    /// Picks the option with `value` in the `<select>` matching `css`, the way
    /// a user does (a click on the option), and checks the select took it.
    pub async fn select(&self, css: &str, value: &str) {
        let select = self.wait_visible(css, UI_TIMEOUT).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in `{css}`: {e}"));
        self.wait_until(
            &format!("`{css}` to have value {value}"),
            UI_TIMEOUT,
            || async move {
                let el = self.client.find(Locator::Css(css)).await.ok()?;
                (el.prop("value").await.ok()?? == value).then_some(())
            },
        )
        .await;
    }

    /// Saves a PNG of the window to `target/screenshots/<file>`.
    pub async fn screenshot(&self, file: &str) -> PathBuf {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {file}: {e}"));
        assert!(
            png.starts_with(b"\x89PNG"),
            "screenshot {file} is not a PNG"
        );
        let path = screenshot_dir().join(file);
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }
}

//! Where the tools and the app binary are, and whether the build is stale.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The repository root (this crate lives in `tests/e2e`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// Where screenshots go: `<repo>/target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

// ---------------------------------------------------------------------------
// Tools

/// The external programs the tests drive.
pub struct Tools {
    pub xvfb: PathBuf,
    pub tauri_driver: PathBuf,
    pub webkit_driver: PathBuf,
    pub app: PathBuf,
}

fn in_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

impl Tools {
    /// Finds every tool, or panics naming all that are missing and how to
    /// get them.
    pub fn find() -> Self {
        let mut missing = Vec::new();
        let xvfb = in_path("Xvfb");
        if xvfb.is_none() {
            missing.push("Xvfb (not in PATH; on Debian/Ubuntu: apt-get install xvfb)".to_string());
        }
        let cargo_bin = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .map(|c| c.join("bin/tauri-driver"));
        let tauri_driver = in_path("tauri-driver").or(cargo_bin.filter(|p| p.is_file()));
        if tauri_driver.is_none() {
            missing.push(
                "tauri-driver (not in PATH nor ~/.cargo/bin; run `cargo install tauri-driver --locked`)"
                    .to_string(),
            );
        }
        let webkit_driver = in_path("WebKitWebDriver")
            .or_else(|| Some(PathBuf::from("/usr/bin/WebKitWebDriver")).filter(|p| p.is_file()));
        if webkit_driver.is_none() {
            missing.push(
                "WebKitWebDriver (not in PATH nor /usr/bin; on Debian/Ubuntu: apt-get install webkit2gtk-driver)"
                    .to_string(),
            );
        }
        let app = std::env::var_os("EKS_DESK_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo_root().join("target/debug/eks-desk"));
        if !app.is_file() {
            missing.push(format!(
                "the app binary {} (run `cargo build -p eks-desk` first, or set EKS_DESK_BIN)",
                app.display()
            ));
        } else {
            warn_if_stale(&app);
        }
        assert!(
            missing.is_empty(),
            "end-to-end tests cannot run; missing:\n  - {}",
            missing.join("\n  - ")
        );
        Tools {
            xvfb: xvfb.unwrap(),
            tauri_driver: tauri_driver.unwrap(),
            webkit_driver: webkit_driver.unwrap(),
            app,
        }
    }
}

fn newest_mtime(path: &Path) -> Option<SystemTime> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| newest_mtime(&e.path()))
        .max()
}

/// This crate cannot rebuild the app (nor the UI it embeds), so say so when
/// what it was built from is older than its sources.
fn warn_if_stale(app: &Path) {
    let root = repo_root();
    let built = std::fs::metadata(app).and_then(|m| m.modified()).ok();
    let newest = |paths: &[&str]| {
        paths
            .iter()
            .filter_map(|p| newest_mtime(&root.join(p)))
            .max()
    };
    if let (Some(built), Some(sources)) = (built, newest(&["src-tauri/src", "ui/dist"])) {
        if sources > built {
            eprintln!(
                "warning: {} is older than src-tauri/src or ui/dist; \
                 run `cargo build -p eks-desk` to test the current code",
                app.display()
            );
        }
    }
    if let (Some(dist), Some(ui)) = (newest(&["ui/dist"]), newest(&["ui/src", "ui/index.html"])) {
        if ui > dist {
            eprintln!(
                "warning: ui/dist is older than ui/src, so the app embeds an old UI; \
                 run `npm --prefix ui run build && cargo build -p eks-desk`"
            );
        }
    }
}

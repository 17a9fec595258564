//! Exports of a cluster spec to other tools: Terraform HCL and an eksctl
//! `ClusterConfig`. Both describe what EKS Desk would create for the spec,
//! so that a user can take the cluster to their own infrastructure code.
//! Pure functions of the spec: no AWS calls, no files.

pub mod eksctl;
mod hcl_writer;
pub mod terraform;

mod api_names;
mod format;

pub use format::{render, ExportFormat, UnknownFormat};

/// Golden files: expected exports, kept in `golden/` and reviewed like
/// code. `EKS_DESK_UPDATE_GOLDEN=1 cargo test` rewrites them from the
/// current output, to be read and committed deliberately.
#[cfg(test)]
pub(crate) mod golden {
    use std::path::PathBuf;

    pub fn path(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src-tauri/src/spec/export/golden")
            .join(name)
    }

    /// Fails unless `actual` equals the golden file `name` (or rewrites
    /// the file when asked to).
    pub fn check(name: &str, actual: &str) {
        let path = path(name);
        if std::env::var("EKS_DESK_UPDATE_GOLDEN").as_deref() == Ok("1") {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).expect("create the golden directory");
            }
            std::fs::write(&path, actual).expect("write golden file");
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with EKS_DESK_UPDATE_GOLDEN=1 to create it",
                path.display()
            )
        });
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .map_or_else(
                    || expected.lines().count().min(actual.lines().count()) + 1,
                    |i| i + 1,
                );
            panic!(
                "output differs from {} from line {line}; if the change is intended, \
                 rerun with EKS_DESK_UPDATE_GOLDEN=1 and review the diff\n--- actual ---\n{actual}",
                path.display()
            );
        }
    }
}

//! Why "Add to kubeconfig" wrote nothing (or, for `Write` at its last
//! step, why the change may not survive a crash). Every variant names the
//! file; none carries the file's content.

use super::atomic_file::FileWriteError;
use super::kubeconfig_entry::InvalidEntry;
use super::kubeconfig_lock::KubeconfigLockError;
use std::io;
use std::path::PathBuf;

fn at(line: &Option<u64>, column: &Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" at line {l}, column {c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KubeconfigWriteError {
    #[error("cannot add this cluster: {0}")]
    InvalidEntry(#[from] InvalidEntry),
    #[error("no kubeconfig to write: KUBECONFIG is not set and the home directory is unknown")]
    NoPath,
    #[error("could not read {}: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Not YAML: refused untouched.
    #[error("{} is not valid YAML{}: {message}; it was left untouched", .path.display(), at(.line, .column))]
    Syntax {
        path: PathBuf,
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    /// YAML, but not shaped like a kubeconfig: refused untouched.
    #[error("{} is not a kubeconfig kubectl could read ({reason}); it was left untouched", .path.display())]
    NotAKubeconfig { path: PathBuf, reason: String },
    #[error("{} is read-only; make it writable to add the cluster, or set KUBECONFIG to another file", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("could not create the directory {}: {source}", .path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Lock(#[from] KubeconfigLockError),
    #[error(transparent)]
    Write(#[from] FileWriteError),
    /// The edited text did not read back as the intended kubeconfig (a bug
    /// in the editing, caught before anything was written).
    #[error("internal error: the new version of {} did not read back as intended; nothing was written", .path.display())]
    Unverified { path: PathBuf },
}

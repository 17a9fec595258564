//! "Add to kubeconfig": `aws eks update-kubeconfig`'s entries, written so
//! that no data is lost — the file is chosen as the AWS CLI chooses it,
//! read only under kubectl's lock, refused untouched when broken or
//! read-only, edited in place (comments, layout and every other field
//! kept), backed up, and replaced atomically with its mode kept.

use super::atomic_file::{self, StepHook};
use super::kubeconfig_entry::{FileChange, KubeconfigEntry, KubeconfigWriteOutcome};
use super::kubeconfig_lock::{self, LockWait};
use super::kubeconfig_plan::{self, ShapeError};
use super::kubeconfig_target::{self, KubeconfigLocation, LoadedFile};
use super::kubeconfig_write_error::KubeconfigWriteError;
use super::yaml_edit_ops;
use super::yaml_layout_edit;
use super::yaml_value::{self, YamlValue};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// What a new (or empty) kubeconfig starts from, as kubectl writes one.
const SKELETON: &str = "apiVersion: v1\nkind: Config\npreferences: {}\n";

/// Knobs for tests; the defaults are what the app uses.
pub(crate) struct WriteOptions<'a> {
    pub lock_wait: LockWait,
    /// Called before each write step (see `atomic_file`).
    pub hook: StepHook<'a>,
    /// `false` skips the layout-keeping edit, to test the rewrite it falls
    /// back to.
    pub keep_layout: bool,
}

impl Default for WriteOptions<'_> {
    fn default() -> Self {
        Self {
            lock_wait: LockWait::default(),
            hook: &atomic_file::no_hook,
            keep_layout: true,
        }
    }
}

/// Adds (or updates) `entry`'s cluster, user and context in the user's
/// kubeconfig, found through `location`.
pub fn add_to_kubeconfig(
    entry: &KubeconfigEntry,
    location: &KubeconfigLocation,
) -> Result<KubeconfigWriteOutcome, KubeconfigWriteError> {
    add_to_kubeconfig_with(entry, location, &WriteOptions::default())
}

pub(crate) fn add_to_kubeconfig_with(
    entry: &KubeconfigEntry,
    location: &KubeconfigLocation,
    options: &WriteOptions<'_>,
) -> Result<KubeconfigWriteOutcome, KubeconfigWriteError> {
    entry.check()?;
    let candidates = location.candidates()?;
    // kubectl locks every file it may write before reading any; so do we,
    // so that what is read is not half of a kubectl write.
    let mut locks = kubeconfig_lock::acquire_all(&candidates, options.lock_wait)?;
    let files = candidates
        .iter()
        .map(|p| kubeconfig_target::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let chosen = kubeconfig_target::choose(&files, &entry.cluster_arn, &entry.endpoint);
    let mut target = files
        .into_iter()
        .nth(chosen)
        .ok_or(KubeconfigWriteError::NoPath)?;
    if let Some(dir) = target.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            // `~/.kube` on a new machine: made private, then locked, and the
            // file read again in case someone made it meanwhile.
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|source| KubeconfigWriteError::CreateDir {
                    path: dir.to_path_buf(),
                    source,
                })?;
            locks.push(kubeconfig_lock::acquire(&target.path, options.lock_wait)?);
            target = kubeconfig_target::load(&target.path)?;
        }
    }
    let outcome = write_entry(entry, &target, options);
    drop(locks);
    outcome
}

/// The file's mode, refusing a file that is read-only to its owner or
/// cannot be opened for writing (the check is by mode bits too, since root
/// may write anything).
fn writable_mode(path: &Path) -> Result<u32, KubeconfigWriteError> {
    let meta = std::fs::metadata(path).map_err(|source| KubeconfigWriteError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let mode = meta.permissions().mode() & 0o777;
    let denied = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
    if mode & 0o200 == 0 || denied {
        return Err(KubeconfigWriteError::ReadOnly {
            path: path.to_path_buf(),
        });
    }
    Ok(mode)
}

/// The typed reading kubectl-like clients do must take the text too.
fn kube_reads(text: &str) -> bool {
    kube::config::Kubeconfig::from_yaml(text).is_ok()
}

fn write_entry(
    entry: &KubeconfigEntry,
    target: &LoadedFile,
    options: &WriteOptions<'_>,
) -> Result<KubeconfigWriteOutcome, KubeconfigWriteError> {
    let names = entry.names();
    let path = &target.path;
    let not_kubeconfig = |reason: String| KubeconfigWriteError::NotAKubeconfig {
        path: path.clone(),
        reason,
    };
    let existed = target.text.is_some();
    let real = kubeconfig_target::resolve_symlinks(path)?;
    let mode = if existed {
        writable_mode(&real)?
    } else {
        0o600
    };
    if let Some(text) = &target.text {
        if !target.value.is_null() && !kube_reads(text) {
            return Err(not_kubeconfig(
                "its entries do not have kubeconfig's fields and types".into(),
            ));
        }
    }
    // An empty (or comments-only) file is started afresh.
    let (base_text, base_value, replaced) = match (&target.text, &target.value) {
        (Some(text), value) if !value.is_null() => (text.as_str(), value.clone(), false),
        (text, _) => {
            let skeleton = yaml_value::parse(SKELETON).map_err(|e| not_kubeconfig(e.message))?;
            (SKELETON, skeleton, text.is_some())
        }
    };
    let ops = kubeconfig_plan::plan(&base_value, entry, &names)
        .map_err(|ShapeError(reason)| not_kubeconfig(reason))?;
    let mut expected = base_value.clone();
    yaml_edit_ops::apply_to_value(&mut expected, &ops)
        .map_err(|_| KubeconfigWriteError::Unverified { path: path.clone() })?;
    let is_current =
        expected.get("current-context").and_then(YamlValue::as_str) == Some(names.context.as_str());
    let outcome = |change, backup, comments_lost| KubeconfigWriteOutcome {
        file: path.clone(),
        change,
        backup,
        context: names.context.clone(),
        user: names.user.clone(),
        cluster: names.cluster.clone(),
        is_current,
        comments_lost,
    };
    if ops.is_empty() && !replaced {
        return Ok(outcome(FileChange::Unchanged, None, false));
    }
    let (text, comments_lost) = render(base_text, &ops, &expected, options.keep_layout)
        .ok_or_else(|| KubeconfigWriteError::Unverified { path: path.clone() })?;
    let comments_lost = comments_lost
        || (replaced
            && target
                .text
                .as_deref()
                .is_some_and(yaml_layout_edit::has_comments));
    let backup = match &target.text {
        Some(old) => Some(atomic_file::write_backup(
            &real,
            old.as_bytes(),
            options.hook,
        )?),
        None => None,
    };
    atomic_file::replace_file(&real, text.as_bytes(), mode, options.hook)?;
    let change = if existed && !replaced {
        FileChange::Updated
    } else {
        FileChange::Created
    };
    Ok(outcome(change, backup, comments_lost))
}

/// The new text and whether comments were lost: the layout-keeping edit
/// when it reads back as `expected`, else a rewrite from `expected` (which
/// drops comments), itself checked. `None` when neither reads back right.
fn render(
    base: &str,
    ops: &[yaml_edit_ops::EditOp],
    expected: &YamlValue,
    keep_layout: bool,
) -> Option<(String, bool)> {
    let reads_back =
        |text: &str| yaml_value::parse(text).ok().as_ref() == Some(expected) && kube_reads(text);
    if keep_layout {
        if let Some(text) = yaml_layout_edit::apply_keeping_layout(base, ops) {
            if reads_back(&text) {
                return Some((text, false));
            }
            tracing::warn!("the layout-keeping kubeconfig edit did not read back; rewriting");
        }
    }
    let text = yaml_value::to_text(expected).ok()?;
    reads_back(&text).then(|| (text, yaml_layout_edit::has_comments(base)))
}

#[cfg(test)]
#[path = "kubeconfig_fixture_tests.rs"]
mod fixture;

#[cfg(test)]
#[path = "kubeconfig_write_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "kubeconfig_golden_tests.rs"]
mod golden_tests;

#[cfg(test)]
#[path = "kubeconfig_concurrency_tests.rs"]
mod concurrency_tests;

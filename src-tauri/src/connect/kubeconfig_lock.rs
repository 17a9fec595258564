//! The lock kubectl takes on a kubeconfig before it changes it, so that
//! kubectl and EKS Desk never write one file at once.
//!
//! client-go (`tools/clientcmd`, `lockFile`) creates `<file>.lock` with
//! `O_CREATE|O_EXCL` for every file it may write, in sorted order, and
//! removes it when done; it does not wait (a second kubectl fails at once
//! with "file exists"). This side creates the same file the same way, but
//! waits a bounded time for a lock someone else holds, and removes only a
//! lock it created itself (checked by inode and by a token written in it,
//! since a removed and re-created file can get the same inode).

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum KubeconfigLockError {
    #[error(
        "{} is still locked after {}s: kubectl (or another program) is changing it; \
         if none is running, the lock was left by one that crashed and can be removed",
        .lock.display(),
        .waited.as_secs_f32()
    )]
    Busy { lock: PathBuf, waited: Duration },
    #[error("could not create the lock {}: {source}", .lock.display())]
    Create {
        lock: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// How long to wait for a lock held by someone else.
#[derive(Debug, Clone, Copy)]
pub struct LockWait {
    pub timeout: Duration,
    pub poll: Duration,
}

impl Default for LockWait {
    /// kubectl holds its lock for milliseconds.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
            poll: Duration::from_millis(20),
        }
    }
}

/// A lock this process created; released (removed) when dropped.
#[derive(Debug)]
pub(crate) struct HeldLock {
    lock: PathBuf,
    /// Device and inode of the lock file created, and what this process
    /// wrote in it, so that a lock someone removed and re-created meanwhile
    /// is never removed from under them.
    identity: (u64, u64),
    token: String,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        let same_file = std::fs::symlink_metadata(&self.lock)
            .map(|m| (m.dev(), m.ino()) == self.identity)
            .unwrap_or(false);
        let ours =
            same_file && std::fs::read_to_string(&self.lock).is_ok_and(|text| text == self.token);
        if ours {
            let _ = std::fs::remove_file(&self.lock);
        }
    }
}

/// `<file>.lock`, as client-go names it.
pub(crate) fn lock_path(file: &Path) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock of `file`, waiting up to `wait.timeout` while another
/// program holds it. The file's directory must exist.
pub(crate) fn acquire(file: &Path, wait: LockWait) -> Result<HeldLock, KubeconfigLockError> {
    let lock = lock_path(file);
    let token = format!(
        "eks-desk {} {}\n",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    );
    let started = Instant::now();
    loop {
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&lock)
        {
            Ok(mut created) => {
                let meta = created
                    .write_all(token.as_bytes())
                    .and_then(|()| created.metadata());
                let meta = match meta {
                    Ok(meta) => meta,
                    Err(source) => {
                        // Created but unusable: it is ours, so it goes.
                        let _ = std::fs::remove_file(&lock);
                        return Err(KubeconfigLockError::Create { lock, source });
                    }
                };
                return Ok(HeldLock {
                    identity: (meta.dev(), meta.ino()),
                    token,
                    lock,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if started.elapsed() >= wait.timeout {
                    return Err(KubeconfigLockError::Busy {
                        lock,
                        waited: started.elapsed(),
                    });
                }
                std::thread::sleep(wait.poll);
            }
            Err(source) => return Err(KubeconfigLockError::Create { lock, source }),
        }
    }
}

/// Locks every file in `files` whose directory exists, in client-go's
/// order (sorted as strings), so two writers that lock the same files
/// never wait on each other in a circle. All or none: a failure releases
/// the locks already taken.
pub(crate) fn acquire_all(
    files: &[PathBuf],
    wait: LockWait,
) -> Result<Vec<HeldLock>, KubeconfigLockError> {
    let mut sorted: Vec<&PathBuf> = files.iter().collect();
    sorted.sort_by(|a, b| a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes()));
    sorted.dedup();
    let mut held = Vec::new();
    for file in sorted {
        let dir_exists = file
            .parent()
            .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
        if dir_exists {
            held.push(acquire(file, wait)?);
        }
    }
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICK: LockWait = LockWait {
        timeout: Duration::from_millis(200),
        poll: Duration::from_millis(10),
    };

    #[test]
    fn creates_and_removes_file_lock() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config");
        let held = acquire(&file, QUICK).expect("locks");
        assert!(dir.path().join("config.lock").exists());
        drop(held);
        assert!(!dir.path().join("config.lock").exists());
    }

    #[test]
    fn a_lock_held_by_another_is_waited_for_then_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config");
        std::fs::write(lock_path(&file), "").expect("someone else's lock");
        let err = acquire(&file, QUICK).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("{}.lock", file.display())),
            "{shown}"
        );
        assert!(matches!(err, KubeconfigLockError::Busy { .. }));
        assert!(lock_path(&file).exists(), "not ours: never removed");
    }

    #[test]
    fn a_lock_released_while_waiting_is_taken() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config");
        let theirs = lock_path(&file);
        std::fs::write(&theirs, "").expect("someone else's lock");
        let remover = std::thread::spawn({
            let theirs = theirs.clone();
            move || {
                std::thread::sleep(Duration::from_millis(50));
                std::fs::remove_file(theirs).expect("they let go");
            }
        });
        let held = acquire(&file, LockWait::default()).expect("locks once free");
        remover.join().expect("joins");
        drop(held);
        assert!(!theirs.exists());
    }

    #[test]
    fn a_lock_replaced_by_someone_else_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("config");
        let held = acquire(&file, QUICK).expect("locks");
        // Someone "cleans up" our lock and takes their own.
        std::fs::remove_file(lock_path(&file)).expect("removed");
        std::fs::write(lock_path(&file), "theirs").expect("theirs");
        drop(held);
        assert!(lock_path(&file).exists(), "their lock stays");
    }

    #[test]
    fn all_or_none_and_missing_directories_skipped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        let elsewhere = dir.path().join("no-such-dir").join("c");
        let held =
            acquire_all(&[b.clone(), a.clone(), elsewhere, a.clone()], QUICK).expect("locks");
        assert_eq!(held.len(), 2);
        drop(held);
        std::fs::write(lock_path(&b), "").expect("someone else's lock");
        assert!(acquire_all(&[a.clone(), b], QUICK).is_err());
        assert!(!lock_path(&a).exists(), "the lock taken first was released");
    }
}

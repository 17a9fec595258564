//! Replacing a file so that a crash at any moment leaves the old file or
//! the new one, never an empty or half-written one: the new text goes to a
//! temporary file in the same directory, is flushed to disk, renamed over
//! the old one (atomic on POSIX), and the directory is flushed so the
//! rename itself survives a power cut. Every step first calls a hook, so
//! tests can fail or inspect the disk at each point.

use serde::Serialize;
use specta::Type;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The steps of a write, in order; the hook runs before each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum WriteStep {
    /// Copying the old file to its backup.
    Backup,
    CreateTemp,
    WriteTemp,
    /// Half of the new text is in the temporary file.
    FinishTemp,
    SyncTemp,
    Rename,
    SyncDir,
}

impl WriteStep {
    pub const ALL: [WriteStep; 7] = [
        WriteStep::Backup,
        WriteStep::CreateTemp,
        WriteStep::WriteTemp,
        WriteStep::FinishTemp,
        WriteStep::SyncTemp,
        WriteStep::Rename,
        WriteStep::SyncDir,
    ];

    fn doing(self) -> &'static str {
        match self {
            WriteStep::Backup => "back up",
            WriteStep::CreateTemp => "create a temporary file next to",
            WriteStep::WriteTemp | WriteStep::FinishTemp => "write the new version of",
            WriteStep::SyncTemp => "flush the new version of",
            WriteStep::Rename => "put the new version in place of",
            WriteStep::SyncDir => {
                "flush the directory of (the new version is in place but may not survive a crash)"
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("could not {} {}: {source}", .step.doing(), .path.display())]
pub struct FileWriteError {
    pub path: PathBuf,
    pub step: WriteStep,
    #[source]
    pub source: io::Error,
}

/// Called before each step; an error stops the write there.
pub(crate) type StepHook<'a> = &'a dyn Fn(WriteStep) -> io::Result<()>;

pub(crate) fn no_hook(_: WriteStep) -> io::Result<()> {
    Ok(())
}

fn failed(path: &Path, step: WriteStep) -> impl FnOnce(io::Error) -> FileWriteError + '_ {
    move |source| FileWriteError {
        path: path.to_path_buf(),
        step,
        source,
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_string())
}

/// A new file that no one else has, created with `mode` exactly (the
/// umask does not apply, so a 0644 file stays 0644 and a 0600 one 0600).
fn create_new(path: &Path, mode: u32) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(mode))?;
    Ok(file)
}

/// UTC, to the millisecond, without separators a file name cannot hold
/// elsewhere: `20261201T192500.123Z`.
fn timestamp() -> String {
    crate::timestamps::now_rfc3339().replace(['-', ':'], "")
}

/// Copies `contents` (the file at `path` as it is now) to a new 0600 file
/// next to it, `<name>.eks-desk-backup-<UTC time>`, flushed to disk.
pub(crate) fn write_backup(
    path: &Path,
    contents: &[u8],
    hook: StepHook<'_>,
) -> Result<PathBuf, FileWriteError> {
    hook(WriteStep::Backup).map_err(failed(path, WriteStep::Backup))?;
    let stem = format!("{}.eks-desk-backup-{}", file_name(path), timestamp());
    let dir = parent_dir(path);
    // Two writes in one millisecond get -1, -2…: a backup is never overwritten.
    for n in 0..100 {
        let name = if n == 0 {
            stem.clone()
        } else {
            format!("{stem}-{n}")
        };
        let backup = dir.join(name);
        match create_new(&backup, 0o600) {
            Ok(mut file) => {
                let done = file.write_all(contents).and_then(|()| file.sync_all());
                return done
                    .map(|()| backup.clone())
                    .map_err(failed(&backup, WriteStep::Backup));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(&backup, WriteStep::Backup)(e)),
        }
    }
    Err(failed(path, WriteStep::Backup)(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "too many backups made this millisecond",
    )))
}

/// Replaces (or creates) `path` with `contents`, its mode set to `mode`,
/// and its owner kept when it had another one (when allowed to).
pub(crate) fn replace_file(
    path: &Path,
    contents: &[u8],
    mode: u32,
    hook: StepHook<'_>,
) -> Result<(), FileWriteError> {
    let dir = parent_dir(path);
    let owner = std::fs::metadata(path).ok().map(|m| (m.uid(), m.gid()));
    hook(WriteStep::CreateTemp).map_err(failed(path, WriteStep::CreateTemp))?;
    let temp = dir.join(format!(
        ".{}.eks-desk-{}-{}.tmp",
        file_name(path),
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let mut file = create_new(&temp, mode).map_err(failed(&temp, WriteStep::CreateTemp))?;
    let written = (|| {
        if let Some((uid, gid)) = owner {
            let mine = file
                .metadata()
                .map_err(failed(&temp, WriteStep::CreateTemp))?;
            if (mine.uid(), mine.gid()) != (uid, gid) {
                // Root editing a user's file; anyone else cannot, and the
                // file then becomes theirs as any editor's save would make it.
                let _ = std::os::unix::fs::fchown(&file, Some(uid), Some(gid));
            }
        }
        let (first, rest) = contents.split_at(contents.len() / 2);
        hook(WriteStep::WriteTemp).map_err(failed(path, WriteStep::WriteTemp))?;
        file.write_all(first)
            .map_err(failed(&temp, WriteStep::WriteTemp))?;
        hook(WriteStep::FinishTemp).map_err(failed(path, WriteStep::FinishTemp))?;
        file.write_all(rest)
            .map_err(failed(&temp, WriteStep::FinishTemp))?;
        hook(WriteStep::SyncTemp).map_err(failed(path, WriteStep::SyncTemp))?;
        file.sync_all()
            .map_err(failed(&temp, WriteStep::SyncTemp))?;
        hook(WriteStep::Rename).map_err(failed(path, WriteStep::Rename))?;
        std::fs::rename(&temp, path).map_err(failed(path, WriteStep::Rename))
    })();
    if written.is_err() {
        // The old file is untouched; only the temporary one is ours to drop.
        let _ = std::fs::remove_file(&temp);
    }
    written?;
    hook(WriteStep::SyncDir).map_err(failed(path, WriteStep::SyncDir))?;
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(failed(path, WriteStep::SyncDir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn mode_of(path: &Path) -> u32 {
        std::fs::metadata(path).expect("exists").mode() & 0o777
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn replaces_and_sets_the_mode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        replace_file(&path, b"new: 1\n", 0o600, &no_hook).expect("writes");
        assert_eq!(std::fs::read(&path).expect("reads"), b"new: 1\n");
        assert_eq!(mode_of(&path), 0o600);
        replace_file(&path, b"new: 2\n", 0o644, &no_hook).expect("writes");
        assert_eq!(mode_of(&path), 0o644);
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn at_every_step_the_file_is_old_or_new_and_a_failure_leaves_it_old() {
        let old = b"old: true\n".as_slice();
        let new = b"new: true\nwith: more text than before\n".as_slice();
        for fail_at in WriteStep::ALL
            .into_iter()
            .filter(|s| *s != WriteStep::Backup)
        {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("config");
            std::fs::write(&path, old).expect("seed");
            let seen = Cell::new(0);
            let hook = |step: WriteStep| {
                // A crash here would leave exactly what is on disk now.
                let now = std::fs::read(&path).expect("the file is always there");
                assert!(now == old || now == new, "half a file before {step:?}");
                seen.set(seen.get() + 1);
                if step == fail_at {
                    return Err(io::Error::other("injected"));
                }
                Ok(())
            };
            let err = replace_file(&path, new, 0o600, &hook).unwrap_err();
            assert_eq!(err.step, fail_at);
            let after = std::fs::read(&path).expect("reads");
            if fail_at == WriteStep::SyncDir {
                assert_eq!(after, new, "the rename was done");
            } else {
                assert_eq!(after, old, "failed before the rename, at {fail_at:?}");
            }
            assert!(leftovers(dir.path()).is_empty(), "{fail_at:?}");
            assert!(seen.get() >= 1);
        }
    }

    #[test]
    fn backups_are_0600_never_overwritten_and_hold_the_old_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        let a = write_backup(&path, b"one", &no_hook).expect("backs up");
        let b = write_backup(&path, b"two", &no_hook).expect("backs up");
        assert_ne!(a, b);
        assert_eq!(std::fs::read(&a).expect("reads"), b"one");
        assert_eq!(std::fs::read(&b).expect("reads"), b"two");
        assert_eq!(mode_of(&a), 0o600);
        let name = a.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with("config.eks-desk-backup-20"), "{name}");
        assert!(!name.contains(':'), "{name}");
    }

    #[test]
    fn errors_name_the_file_and_the_step() {
        let err =
            replace_file(Path::new("/nonexistent-dir/config"), b"x", 0o600, &no_hook).unwrap_err();
        assert_eq!(err.step, WriteStep::CreateTemp);
        let shown = err.to_string();
        assert!(shown.contains("/nonexistent-dir/"), "{shown}");
    }
}

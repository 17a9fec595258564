//! Consent before running a kubeconfig exec plugin. A kubeconfig's `exec`
//! runs any program it names, with the user's rights, the moment a client
//! connects: a kubeconfig from a colleague, a download or a CI artefact
//! can run anything. The AWS CLI, aws-iam-authenticator and this app's own
//! binary are run without asking; any other program only once the user
//! has agreed to it, remembered per program path in a small JSON file.
//!
//! Trusted by name only when written bare (`command: aws`, found on PATH
//! as kubectl finds it): `/tmp/x/aws` is not the AWS CLI just because of
//! its file name.

use super::atomic_file::{self, FileWriteError};
use super::kubeconfig::KubeconfigReadError;
use super::kubeconfig_lock::{self, KubeconfigLockError, LockWait};
use kube::config::Kubeconfig;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::ffi::OsStr;
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Exec commands run without consent when written bare.
pub const TRUSTED_COMMANDS: [&str; 3] = ["aws", "aws-iam-authenticator", "eks-desk"];

#[derive(Debug, thiserror::Error)]
pub enum ExecConsentError {
    #[error(transparent)]
    Kubeconfig(#[from] KubeconfigReadError),
    #[error("no kubeconfig context is named {context}")]
    ContextNotFound { context: String },
    #[error("the exec plugin of context {context} names no command")]
    EmptyCommand { context: String },
    #[error("the exec plugin {command} of context {context} is not an executable file (looked for on PATH when it has no /)")]
    CommandNotFound { context: String, command: String },
    #[error("could not read the exec consents {}: {source}", .path.display())]
    StoreUnreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("the exec consents file {} is damaged ({message}); it was left as it is", .path.display())]
    StoreDamaged { path: PathBuf, message: String },
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
}

/// The program a context's exec plugin would run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExecCommand {
    pub context: String,
    /// The command as the kubeconfig writes it.
    pub written: String,
    /// The file that would run: absolute, symlinks resolved.
    pub resolved: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ConsentState {
    /// The AWS CLI, aws-iam-authenticator or this app: no question asked.
    Trusted,
    /// The user agreed to this program before.
    Granted,
    /// Ask the user, then `record_consent`.
    Required,
}

/// The default place of the consents: the app's data folder.
pub fn default_store() -> PathBuf {
    crate::app_dirs::data_dir().join("exec-consent.json")
}

fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Where the command runs from: a path (made absolute against its
/// kubeconfig's folder when the file was read, as client-go does) or a
/// bare name looked up in `search_path`, as `exec.Command` does.
fn resolve(command: &str, search_path: Option<&OsStr>) -> Option<PathBuf> {
    let found = if command.contains('/') {
        Some(PathBuf::from(command)).filter(|p| is_executable_file(p))
    } else {
        search_path.and_then(|paths| {
            std::env::split_paths(paths)
                .filter(|dir| !dir.as_os_str().is_empty())
                .map(|dir| dir.join(command))
                .find(|p| is_executable_file(p))
        })
    }?;
    std::fs::canonicalize(found).ok()
}

/// The exec command of `context` across `paths` (first file wins, for the
/// context and for its user, as kubectl merges them), or `None` when its
/// user runs no exec plugin. `search_path` is the PATH kubectl would use.
pub fn exec_command_of(
    paths: &[PathBuf],
    context: &str,
    search_path: Option<&OsStr>,
) -> Result<Option<ExecCommand>, ExecConsentError> {
    let mut configs = Vec::new();
    for path in paths {
        let config = Kubeconfig::read_from(path).map_err(|source| KubeconfigReadError::Read {
            path: path.display().to_string(),
            source,
        })?;
        configs.push(config);
    }
    let found = configs
        .iter()
        .flat_map(|c| &c.contexts)
        .find(|c| c.name == context)
        .ok_or_else(|| ExecConsentError::ContextNotFound {
            context: context.to_string(),
        })?;
    let Some(user) = found.context.as_ref().and_then(|c| c.user.as_ref()) else {
        return Ok(None);
    };
    let exec = configs
        .iter()
        .flat_map(|c| &c.auth_infos)
        .find(|a| &a.name == user)
        .and_then(|a| a.auth_info.as_ref())
        .and_then(|a| a.exec.as_ref());
    let Some(exec) = exec else {
        return Ok(None);
    };
    let written = exec.command.clone().unwrap_or_default();
    if written.trim().is_empty() {
        return Err(ExecConsentError::EmptyCommand {
            context: context.to_string(),
        });
    }
    let resolved =
        resolve(&written, search_path).ok_or_else(|| ExecConsentError::CommandNotFound {
            context: context.to_string(),
            command: written.clone(),
        })?;
    Ok(Some(ExecCommand {
        context: context.to_string(),
        written,
        resolved,
    }))
}

/// Whether running `command` needs the user's consent: not for a trusted
/// command written bare, nor for `own_binary` (this app, as the kubeconfig
/// writer names it), wherever they are.
pub fn needs_consent(command: &ExecCommand, own_binary: Option<&Path>) -> bool {
    let bare_and_trusted =
        !command.written.contains('/') && TRUSTED_COMMANDS.contains(&command.written.as_str());
    let is_this_app = own_binary
        .and_then(|b| std::fs::canonicalize(b).ok())
        .is_some_and(|b| b == command.resolved);
    !(bare_and_trusted || is_this_app)
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsentFile {
    version: u32,
    granted: Vec<GrantedCommand>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GrantedCommand {
    path: PathBuf,
    granted_at: String,
}

fn read_store(store: &Path) -> Result<ConsentFile, ExecConsentError> {
    let text = match std::fs::read_to_string(store) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ConsentFile::default()),
        Err(source) => {
            return Err(ExecConsentError::StoreUnreadable {
                path: store.to_path_buf(),
                source,
            })
        }
    };
    serde_json::from_str(&text).map_err(|e| ExecConsentError::StoreDamaged {
        path: store.to_path_buf(),
        message: e.to_string(),
    })
}

/// Whether the user agreed to run `command` before.
pub fn has_consent(store: &Path, command: &ExecCommand) -> Result<bool, ExecConsentError> {
    Ok(read_store(store)?
        .granted
        .iter()
        .any(|g| g.path == command.resolved))
}

/// Trusted, granted before, or to be asked.
pub fn consent_state(
    store: &Path,
    command: &ExecCommand,
    own_binary: Option<&Path>,
) -> Result<ConsentState, ExecConsentError> {
    if !needs_consent(command, own_binary) {
        Ok(ConsentState::Trusted)
    } else if has_consent(store, command)? {
        Ok(ConsentState::Granted)
    } else {
        Ok(ConsentState::Required)
    }
}

/// Remembers that the user agreed to run `command`'s program. The file is
/// rewritten atomically (0600), under a lock so that the window and the
/// command line recording at once both keep theirs.
pub fn record_consent(store: &Path, command: &ExecCommand) -> Result<(), ExecConsentError> {
    if let Some(dir) = store.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| ExecConsentError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
    }
    let _lock = kubeconfig_lock::acquire(store, LockWait::default())?;
    let mut file = read_store(store)?;
    if file.granted.iter().any(|g| g.path == command.resolved) {
        return Ok(());
    }
    file.version = 1;
    file.granted.push(GrantedCommand {
        path: command.resolved.clone(),
        granted_at: crate::timestamps::now_rfc3339(),
    });
    let text = serde_json::to_string_pretty(&file).map_err(|e| ExecConsentError::StoreDamaged {
        path: store.to_path_buf(),
        message: e.to_string(),
    })?;
    atomic_file::replace_file(store, text.as_bytes(), 0o600, &atomic_file::no_hook)?;
    Ok(())
}

#[cfg(test)]
#[path = "exec_consent_tests.rs"]
mod tests;

//! Which kubeconfig file "Add to kubeconfig" writes, as `aws eks
//! update-kubeconfig` chooses it: the file of KUBECONFIG that already holds
//! the cluster, else the first file of KUBECONFIG, else `~/.kube/config`.
//! Every candidate is read (so a broken one is refused, not skipped: it
//! might be the one holding the cluster) and only under the lock.

use super::kubeconfig_write_error::KubeconfigWriteError;
use super::yaml_value::{self, YamlValue};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// Where kubeconfig files are looked for: the `KUBECONFIG` variable and
/// the home directory, given so that tests (and the CLI) can pass others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubeconfigLocation {
    pub kubeconfig_env: Option<OsString>,
    pub home: Option<PathBuf>,
}

impl KubeconfigLocation {
    /// This process's `KUBECONFIG` and home directory.
    pub fn from_environment() -> Self {
        Self {
            kubeconfig_env: std::env::var_os("KUBECONFIG"),
            home: std::env::home_dir(),
        }
    }

    /// The files of KUBECONFIG in order (empty entries and repeats
    /// dropped), or `~/.kube/config` when it names none.
    pub fn candidates(&self) -> Result<Vec<PathBuf>, KubeconfigWriteError> {
        let mut listed: Vec<PathBuf> = Vec::new();
        if let Some(value) = &self.kubeconfig_env {
            for path in std::env::split_paths(value) {
                if !path.as_os_str().is_empty() && !listed.contains(&path) {
                    listed.push(path);
                }
            }
        }
        if listed.is_empty() {
            let home = self.home.as_ref().ok_or(KubeconfigWriteError::NoPath)?;
            listed.push(home.join(".kube").join("config"));
        }
        Ok(listed)
    }
}

/// A candidate file as read under the lock.
pub(crate) struct LoadedFile {
    pub path: PathBuf,
    /// `None` when there is no file (yet).
    pub text: Option<String>,
    pub value: YamlValue,
}

pub(crate) fn load(path: &Path) -> Result<LoadedFile, KubeconfigWriteError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(KubeconfigWriteError::Unreadable {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let value = match &text {
        Some(text) => yaml_value::parse(text).map_err(|e| KubeconfigWriteError::Syntax {
            path: path.to_path_buf(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?,
        None => YamlValue::Null,
    };
    Ok(LoadedFile {
        path: path.to_path_buf(),
        text,
        value,
    })
}

fn clusters(value: &YamlValue) -> impl Iterator<Item = &YamlValue> {
    value
        .get("clusters")
        .and_then(YamlValue::as_seq)
        .unwrap_or_default()
        .iter()
}

/// The index of the file to write among `files` (in KUBECONFIG order): the
/// first with a cluster entry named `cluster_arn`, else the first with an
/// entry for `endpoint` (another tool's name for the same cluster), else 0.
pub(crate) fn choose(files: &[LoadedFile], cluster_arn: &str, endpoint: &str) -> usize {
    let holds = |f: &LoadedFile, test: &dyn Fn(&YamlValue) -> bool| clusters(&f.value).any(test);
    let by_name = |c: &YamlValue| c.get("name").and_then(YamlValue::as_str) == Some(cluster_arn);
    let by_server = |c: &YamlValue| {
        c.get("cluster")
            .and_then(|c| c.get("server"))
            .and_then(YamlValue::as_str)
            .map(|s| s.trim_end_matches('/'))
            == Some(endpoint.trim_end_matches('/'))
    };
    files
        .iter()
        .position(|f| holds(f, &by_name))
        .or_else(|| files.iter().position(|f| holds(f, &by_server)))
        .unwrap_or(0)
}

/// The file a path names, through any symlinks (dotfile managers link
/// `~/.kube/config`): the rename must replace the file, not the link.
pub(crate) fn resolve_symlinks(path: &Path) -> Result<PathBuf, KubeconfigWriteError> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&current).map_err(|source| {
                    KubeconfigWriteError::Unreadable {
                        path: current.clone(),
                        source,
                    }
                })?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(KubeconfigWriteError::Unreadable {
        path: path.to_path_buf(),
        source: io::Error::other("too many levels of symbolic links"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> LoadedFile {
        LoadedFile {
            path: PathBuf::from("x"),
            text: Some(text.to_string()),
            value: yaml_value::parse(text).expect("parses"),
        }
    }

    #[test]
    fn kubeconfig_files_in_order_else_home() {
        let env = std::env::join_paths(["/a/one", "", "/b/two", "/a/one"]).expect("joins");
        let location = KubeconfigLocation {
            kubeconfig_env: Some(env),
            home: Some("/home/u".into()),
        };
        assert_eq!(
            location.candidates().expect("paths"),
            [PathBuf::from("/a/one"), PathBuf::from("/b/two")]
        );
        for env in [None, Some(OsString::new()), Some(OsString::from(":"))] {
            let location = KubeconfigLocation {
                kubeconfig_env: env,
                home: Some("/home/u".into()),
            };
            assert_eq!(
                location.candidates().expect("paths"),
                [PathBuf::from("/home/u/.kube/config")]
            );
        }
        assert!(matches!(
            KubeconfigLocation::default().candidates(),
            Err(KubeconfigWriteError::NoPath)
        ));
    }

    #[test]
    fn the_file_holding_the_cluster_wins_by_arn_then_by_endpoint() {
        let arn = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";
        let other = loaded("clusters:\n- name: kind\n  cluster: {server: https://127.0.0.1}\n");
        let by_arn = loaded(&format!("clusters:\n- name: {arn}\n  cluster: {{}}\n"));
        let by_server = loaded(
            "clusters:\n- name: prod.eu-west-1.eksctl.io\n  cluster: {server: 'https://abc/'}\n",
        );
        let files = [other, by_server, by_arn];
        assert_eq!(choose(&files, arn, "https://abc"), 2);
        assert_eq!(choose(&files[..2], arn, "https://abc"), 1);
        assert_eq!(choose(&files[..1], arn, "https://abc"), 0);
    }

    #[test]
    fn symlinks_are_followed_to_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("dotfiles-config");
        std::fs::write(&real, "a: 1\n").expect("writes");
        let link = dir.path().join("config");
        std::os::unix::fs::symlink("dotfiles-config", &link).expect("links");
        assert_eq!(resolve_symlinks(&link).expect("resolves"), real);
        assert_eq!(resolve_symlinks(&real).expect("resolves"), real);
    }

    #[test]
    fn a_broken_file_is_a_syntax_error_with_its_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        std::fs::write(&path, "clusters:\n- name: [a\n").expect("writes");
        match load(&path) {
            Err(KubeconfigWriteError::Syntax { path: p, line, .. }) => {
                assert_eq!(p, path);
                assert!(line.is_some());
            }
            _ => panic!("not a syntax error"),
        }
        let missing = load(&dir.path().join("missing")).expect("absent is fine");
        assert!(missing.text.is_none());
    }
}

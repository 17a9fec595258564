//! Specs saved by the app, one YAML file per cluster name in the app's data
//! folder, with exports written beside them. Writes are atomic (temp file +
//! rename) so a crash never leaves half a spec behind.

use super::export::{render, ExportFormat};
use super::model::ClusterSpec;
use super::yaml::{self, SpecFileError};
use serde::Serialize;
use specta::Type;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Spec {
        path: String,
        #[source]
        source: SpecFileError,
    },
    #[error("\"{0}\" cannot be used as a file name")]
    BadName(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SavedFile {
    pub name: String,
    pub path: String,
}

/// Cluster names are validated elsewhere; here only what would escape the
/// folder or make an odd file name is refused.
fn file_stem(name: &str) -> Result<&str, StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(name)
    } else {
        Err(StoreError::BadName(name.to_string()))
    }
}

pub fn write_atomically(path: &Path, text: &str) -> Result<(), StoreError> {
    let err = |source| StoreError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

pub struct SpecStore {
    dir: PathBuf,
}

impl SpecStore {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, name: &str, suffix: &str) -> Result<PathBuf, StoreError> {
        Ok(self.dir.join(format!("{}{suffix}", file_stem(name)?)))
    }

    pub fn save(&self, spec: &ClusterSpec) -> Result<SavedFile, StoreError> {
        let path = self.path(&spec.cluster.name, ".yaml")?;
        let text = yaml::to_yaml(spec).map_err(|source| StoreError::Spec {
            path: path.display().to_string(),
            source,
        })?;
        write_atomically(&path, &text)?;
        Ok(SavedFile {
            name: spec.cluster.name.clone(),
            path: path.display().to_string(),
        })
    }

    /// Writes the spec's export in `format` beside the spec (the spec
    /// itself for YAML).
    pub fn save_export(
        &self,
        spec: &ClusterSpec,
        format: ExportFormat,
    ) -> Result<SavedFile, StoreError> {
        if format == ExportFormat::Yaml {
            return self.save(spec);
        }
        let name = &spec.cluster.name;
        let path = self.path(name, format.file_suffix())?;
        let text = render(spec, format).map_err(|source| StoreError::Spec {
            path: path.display().to_string(),
            source,
        })?;
        write_atomically(&path, &text)?;
        Ok(SavedFile {
            name: name.to_string(),
            path: path.display().to_string(),
        })
    }

    pub fn load(&self, name: &str) -> Result<ClusterSpec, StoreError> {
        let path = self.path(name, ".yaml")?;
        let text = std::fs::read_to_string(&path).map_err(|source| StoreError::Read {
            path: path.display().to_string(),
            source,
        })?;
        yaml::from_yaml(&text).map_err(|source| StoreError::Spec {
            path: path.display().to_string(),
            source,
        })
    }

    /// Saved specs, by name. A folder that does not exist yet holds none;
    /// one that cannot be read is an error, not an empty list.
    pub fn list(&self) -> Result<Vec<SavedFile>, StoreError> {
        let read_error = |source| StoreError::Read {
            path: self.dir.display().to_string(),
            source,
        };
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(read_error(e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(read_error)?.path();
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml"))
            else {
                continue;
            };
            // `x.eksctl.yaml` is an export, not a spec.
            if !name.contains('.') {
                files.push(SavedFile {
                    name: name.to_string(),
                    path: path.display().to_string(),
                });
            }
        }
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_specs_load_back_and_are_listed_without_their_exports() {
        let dir = tempfile::tempdir().unwrap();
        let store = SpecStore::new(dir.path().join("specs"));
        assert!(store.list().unwrap().is_empty());
        let spec = ClusterSpec::new_for_region("eu-west-1");
        store.save(&spec).unwrap();
        let eksctl = store.save_export(&spec, ExportFormat::Eksctl).unwrap();
        assert!(
            eksctl.path.ends_with("my-eks.eksctl.yaml"),
            "{}",
            eksctl.path
        );
        store.save_export(&spec, ExportFormat::Terraform).unwrap();
        let names: Vec<String> = store.list().unwrap().into_iter().map(|f| f.name).collect();
        assert_eq!(names, ["my-eks"]);
        assert_eq!(store.load("my-eks").unwrap(), spec);
    }

    #[test]
    fn a_folder_that_cannot_be_read_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            SpecStore::new(file).list(),
            Err(StoreError::Read { .. })
        ));
    }

    #[test]
    fn names_cannot_escape_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let store = SpecStore::new(dir.path().to_path_buf());
        assert!(matches!(
            store.load("../etc/passwd"),
            Err(StoreError::BadName(_))
        ));
    }

    #[test]
    fn a_broken_file_is_an_error_with_its_path_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.yaml"), "cluster: [\n").unwrap();
        let err = SpecStore::new(dir.path().to_path_buf())
            .load("bad")
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.yaml") && err.contains("line"), "{err}");
    }
}

//! Exports of a cluster spec to other tools: Terraform HCL and an eksctl
//! `ClusterConfig`. Both describe what EKS Desk would create for the spec,
//! so that a user can take the cluster to their own infrastructure code.
//! Pure functions of the spec: no AWS calls, no files.

pub mod eksctl;
mod hcl_writer;
pub mod terraform;

use super::model::{AuthenticationMode, ClusterSpec};
use serde::{Deserialize, Serialize};
use specta::Type;

/// What a spec can be turned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Terraform,
    Eksctl,
    /// The spec itself.
    Yaml,
}

impl ExportFormat {
    /// What a saved export's file name ends with, beside the spec's name.
    pub fn file_suffix(self) -> &'static str {
        match self {
            ExportFormat::Terraform => ".tf",
            ExportFormat::Eksctl => ".eksctl.yaml",
            ExportFormat::Yaml => ".yaml",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("unknown format {0:?}: terraform, eksctl or yaml")]
pub struct UnknownFormat(String);

impl std::str::FromStr for ExportFormat {
    type Err = UnknownFormat;

    /// The command line's `--format` values.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "terraform" => Ok(ExportFormat::Terraform),
            "eksctl" => Ok(ExportFormat::Eksctl),
            "yaml" => Ok(ExportFormat::Yaml),
            other => Err(UnknownFormat(other.to_string())),
        }
    }
}

/// The spec in `format`.
pub fn render(
    spec: &ClusterSpec,
    format: ExportFormat,
) -> Result<String, super::yaml::SpecFileError> {
    Ok(match format {
        ExportFormat::Terraform => terraform::render(spec),
        ExportFormat::Eksctl => eksctl::render(spec),
        ExportFormat::Yaml => super::yaml::to_yaml(spec)?,
    })
}

/// The EKS API's name for the mode (Terraform and eksctl use it as is).
fn authentication_mode(mode: AuthenticationMode) -> &'static str {
    match mode {
        AuthenticationMode::Api => "API",
        AuthenticationMode::ApiAndConfigMap => "API_AND_CONFIG_MAP",
        AuthenticationMode::ConfigMap => "CONFIG_MAP",
    }
}

/// The ARN of an EKS access policy the spec names (`AmazonEKSAdminPolicy`);
/// an ARN in the spec is kept as it is.
fn access_policy_arn(policy: &str) -> String {
    if policy.starts_with("arn:") {
        policy.to_string()
    } else {
        format!("arn:aws:eks::aws:cluster-access-policy/{policy}")
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_policies_by_name_or_arn() {
        assert_eq!(
            access_policy_arn("AmazonEKSViewPolicy"),
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
        );
        let arn = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        assert_eq!(access_policy_arn(arn), arn);
    }
}

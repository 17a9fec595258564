//! What a spec can be exported as, and the one dispatch to the writers.

use super::{eksctl, terraform};
use crate::spec::model::ClusterSpec;
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
) -> Result<String, crate::spec::yaml::SpecFileError> {
    Ok(match format {
        ExportFormat::Terraform => terraform::render(spec),
        ExportFormat::Eksctl => eksctl::render(spec),
        ExportFormat::Yaml => crate::spec::yaml::to_yaml(spec)?,
    })
}

//! What the environment picker offers, and where the app starts.

use super::profiles::{self, ProfileInfo};
use super::regions::{self, Region};
use super::{AwsError, Environment};
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentChoices {
    pub profiles: Vec<ProfileInfo>,
    pub regions: Vec<Region>,
    pub emulator_endpoint: String,
    /// The environment selected at start.
    pub initial: Environment,
    /// False when no profile or environment variable provides credentials:
    /// the app then starts on the local emulator and says why.
    pub has_credentials: bool,
}

/// Settings read from the process environment, passed in for testability.
#[derive(Debug, Default, Clone)]
pub struct StartupHints {
    /// `EKS_DESK_ENVIRONMENT=emulator` forces the local emulator.
    pub force_emulator: bool,
    pub aws_profile: Option<String>,
    pub aws_region: Option<String>,
}

impl StartupHints {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Self {
            force_emulator: var("EKS_DESK_ENVIRONMENT").as_deref() == Some("emulator"),
            aws_profile: var("AWS_PROFILE"),
            aws_region: var("AWS_REGION").or_else(|| var("AWS_DEFAULT_REGION")),
        }
    }
}

pub fn initial(profiles: &[ProfileInfo], hints: &StartupHints) -> Environment {
    let region_of = |p: &ProfileInfo| {
        p.region
            .clone()
            .or_else(|| hints.aws_region.clone())
            .unwrap_or_else(|| regions::FALLBACK.to_string())
    };
    let usable: Vec<&ProfileInfo> = profiles
        .iter()
        .filter(|p| profiles::has_credentials(p))
        .collect();
    let chosen = if hints.force_emulator {
        None
    } else if let Some(name) = &hints.aws_profile {
        profiles.iter().find(|p| &p.name == name)
    } else {
        usable
            .iter()
            .find(|p| p.name == "default")
            .or(usable.first())
            .copied()
    };
    match chosen {
        Some(p) => Environment::Profile {
            profile: p.name.clone(),
            region: region_of(p),
        },
        None => Environment::Emulator {
            region: hints
                .aws_region
                .clone()
                .unwrap_or_else(|| regions::FALLBACK.to_string()),
        },
    }
}

pub async fn choices(emulator_endpoint: &str) -> Result<EnvironmentChoices, AwsError> {
    let profiles = profiles::list().await?;
    let hints = StartupHints::from_env();
    Ok(EnvironmentChoices {
        has_credentials: profiles.iter().any(profiles::has_credentials),
        initial: initial(&profiles, &hints),
        regions: regions::COMMERCIAL.to_vec(),
        emulator_endpoint: emulator_endpoint.to_string(),
        profiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::profiles::ProfileKind;

    fn p(name: &str, kind: ProfileKind, region: Option<&str>) -> ProfileInfo {
        ProfileInfo {
            name: name.into(),
            region: region.map(Into::into),
            kind,
            sso_start_url: None,
        }
    }

    #[test]
    fn no_credentials_anywhere_starts_on_the_emulator() {
        let only_settings = [p("default", ProfileKind::Other, Some("eu-west-1"))];
        assert_eq!(
            initial(&only_settings, &StartupHints::default()),
            Environment::Emulator {
                region: "us-east-1".into()
            }
        );
    }

    #[test]
    fn default_profile_with_its_region_is_preferred() {
        let profiles = [
            p("alpha", ProfileKind::Sso, Some("eu-west-1")),
            p("default", ProfileKind::AccessKeys, Some("ap-northeast-2")),
        ];
        assert_eq!(
            initial(&profiles, &StartupHints::default()),
            Environment::Profile {
                profile: "default".into(),
                region: "ap-northeast-2".into()
            }
        );
    }

    #[test]
    fn aws_profile_and_forced_emulator_are_honoured() {
        let profiles = [
            p("default", ProfileKind::AccessKeys, None),
            p("work", ProfileKind::Sso, None),
        ];
        let hints = StartupHints {
            aws_profile: Some("work".into()),
            aws_region: Some("eu-north-1".into()),
            ..Default::default()
        };
        assert_eq!(
            initial(&profiles, &hints),
            Environment::Profile {
                profile: "work".into(),
                region: "eu-north-1".into()
            }
        );
        let forced = StartupHints {
            force_emulator: true,
            ..hints
        };
        assert!(matches!(
            initial(&profiles, &forced),
            Environment::Emulator { .. }
        ));
    }
}

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
    /// `EKS_DESK_ENVIRONMENT=emulator` chose the emulator.
    pub emulator_forced: bool,
}

/// What a caller without a window (the command line) asks for.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentRequest {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub emulator: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvironmentError {
    #[error("the spec's region is {spec} but --region says {given}")]
    RegionMismatch { spec: String, given: String },
    #[error("no AWS credentials found: pass --profile P, or --emulator for the local emulator")]
    NoCredentials,
}

/// The environment `request` names: the emulator or a profile (in the
/// given region, else the profile's, else the fallback); with neither, the
/// one the app starts on when that is usable — a profile with credentials,
/// or the emulator when it was chosen explicitly. `None`: nothing usable.
pub fn resolve(request: &EnvironmentRequest, choices: &EnvironmentChoices) -> Option<Environment> {
    if request.emulator {
        let region = request
            .region
            .clone()
            .unwrap_or_else(|| choices.initial.region().to_string());
        return Some(Environment::Emulator { region });
    }
    if let Some(profile) = &request.profile {
        let region = request
            .region
            .clone()
            .or_else(|| {
                choices
                    .profiles
                    .iter()
                    .find(|p| &p.name == profile)
                    .and_then(|p| p.region.clone())
            })
            .unwrap_or_else(|| regions::FALLBACK.to_string());
        return Some(Environment::Profile {
            profile: profile.clone(),
            region,
        });
    }
    let usable = match &choices.initial {
        Environment::Profile { .. } => choices.has_credentials,
        Environment::Emulator { .. } => choices.emulator_forced,
    };
    usable.then(|| match &request.region {
        Some(region) => choices.initial.with_region(region),
        None => choices.initial.clone(),
    })
}

/// [`resolve`] for work in `region` (a spec's): `--region`, when given,
/// must say the same.
pub fn resolve_in(
    request: &EnvironmentRequest,
    choices: &EnvironmentChoices,
    region: &str,
) -> Result<Option<Environment>, EnvironmentError> {
    if let Some(given) = request.region.as_deref().filter(|g| *g != region) {
        return Err(EnvironmentError::RegionMismatch {
            spec: region.to_string(),
            given: given.to_string(),
        });
    }
    Ok(resolve(request, choices).map(|env| env.with_region(region)))
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
        emulator_forced: hints.force_emulator,
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
            login_command: None,
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

    fn choices_with(
        initial: Environment,
        has_credentials: bool,
        forced: bool,
    ) -> EnvironmentChoices {
        EnvironmentChoices {
            profiles: vec![p("work", ProfileKind::Sso, Some("eu-west-1"))],
            regions: Vec::new(),
            emulator_endpoint: String::new(),
            initial,
            has_credentials,
            emulator_forced: forced,
        }
    }

    #[test]
    fn requests_resolve_to_what_they_name_or_to_a_usable_start() {
        let profile_start = Environment::Profile {
            profile: "work".into(),
            region: "eu-west-1".into(),
        };
        let no_creds = choices_with(
            Environment::Emulator {
                region: "us-east-1".into(),
            },
            false,
            false,
        );
        let none = EnvironmentRequest::default();
        assert_eq!(
            resolve(&none, &no_creds),
            None,
            "no credentials, nothing asked"
        );
        let forced = choices_with(no_creds.initial.clone(), false, true);
        assert_eq!(resolve(&none, &forced), Some(forced.initial.clone()));
        let with_creds = choices_with(profile_start.clone(), true, false);
        assert_eq!(resolve(&none, &with_creds), Some(profile_start));
        let named = EnvironmentRequest {
            profile: Some("work".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve(&named, &no_creds),
            Some(Environment::Profile {
                profile: "work".into(),
                region: "eu-west-1".into()
            }),
            "the profile's own region"
        );
        let emulator = EnvironmentRequest {
            emulator: true,
            region: Some("ap-south-1".into()),
            ..Default::default()
        };
        assert_eq!(
            resolve(&emulator, &with_creds),
            Some(Environment::Emulator {
                region: "ap-south-1".into()
            })
        );
        assert_eq!(
            resolve_in(&emulator, &with_creds, "eu-north-1"),
            Err(EnvironmentError::RegionMismatch {
                spec: "eu-north-1".into(),
                given: "ap-south-1".into()
            })
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

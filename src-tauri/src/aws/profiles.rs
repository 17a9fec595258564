//! The AWS profiles a user has, read the way the SDK reads them
//! (`~/.aws/config` + `~/.aws/credentials`, honouring `AWS_CONFIG_FILE` and
//! `AWS_SHARED_CREDENTIALS_FILE`). Only names and non-secret settings leave
//! this module; key material is never copied out of the parsed files.

use super::AwsError;
use aws_config::profile::{Profile, ProfileSet};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use specta::Type;

/// How a profile gets its credentials, so the UI can say "SSO" and offer the
/// right fix when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Sso,
    AccessKeys,
    AssumeRole,
    CredentialProcess,
    WebIdentity,
    /// Not a file profile: `AWS_ACCESS_KEY_ID` & co. in the app's environment.
    EnvironmentVariables,
    /// Only settings (region, output...): credentials come from elsewhere.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInfo {
    pub name: String,
    pub region: Option<String>,
    pub kind: ProfileKind,
    /// SSO start URL (not a secret), to tell several SSO profiles apart.
    pub sso_start_url: Option<String>,
    /// What renews this profile's expired SSO session: `aws sso login
    /// --profile P` for the SSO profile itself or the one it assumes a
    /// role from.
    pub login_command: Option<String>,
}

/// The SSO profile behind `profile`: itself, or the `source_profile` chain
/// that leads to one.
fn sso_profile_of<'a>(set: &'a ProfileSet, profile: &'a Profile) -> Option<&'a str> {
    let mut current = profile;
    // A chain longer than the profiles is a loop (the SDK refuses it too).
    for _ in 0..=set.profiles().count() {
        if kind_of(current) == ProfileKind::Sso {
            return Some(current.name());
        }
        current = set.get_profile(current.get("source_profile")?)?;
    }
    None
}

fn kind_of(profile: &Profile) -> ProfileKind {
    if profile.get("sso_session").is_some() || profile.get("sso_start_url").is_some() {
        ProfileKind::Sso
    } else if profile.get("role_arn").is_some() && profile.get("web_identity_token_file").is_some()
    {
        ProfileKind::WebIdentity
    } else if profile.get("role_arn").is_some() {
        ProfileKind::AssumeRole
    } else if profile.get("credential_process").is_some() {
        ProfileKind::CredentialProcess
    } else if profile.get("aws_access_key_id").is_some() {
        ProfileKind::AccessKeys
    } else {
        ProfileKind::Other
    }
}

fn start_url(set: &ProfileSet, profile: &Profile) -> Option<String> {
    if let Some(url) = profile.get("sso_start_url") {
        return Some(url.to_string());
    }
    let session = set.sso_session(profile.get("sso_session")?)?;
    session.get("sso_start_url").map(str::to_string)
}

/// Profiles from the given file system and environment (tests pass fakes).
pub async fn list_from(fs: &Fs, env: &Env) -> Result<Vec<ProfileInfo>, AwsError> {
    let set = aws_config::profile::load(fs, env, &EnvConfigFiles::default(), None)
        .await
        .map_err(|e| AwsError::ProfileFiles(e.to_string()))?;
    let mut names: Vec<&str> = set.profiles().collect();
    names.sort_unstable_by(|a, b| (*a != "default").cmp(&(*b != "default")).then(a.cmp(b)));
    Ok(names
        .into_iter()
        .filter_map(|name| set.get_profile(name))
        .map(|p| ProfileInfo {
            name: p.name().to_string(),
            region: p.get("region").map(str::to_string),
            kind: kind_of(p),
            sso_start_url: start_url(&set, p),
            login_command: sso_profile_of(&set, p)
                .map(|sso| format!("aws sso login --profile {sso}")),
        })
        .collect())
}

/// Profiles of this machine's user. Keys in the environment appear as a
/// "default" profile when the files define none, because the SDK's default
/// chain uses them for that profile.
pub async fn list() -> Result<Vec<ProfileInfo>, AwsError> {
    let mut profiles = list_from(&Fs::real(), &Env::real()).await?;
    let env_keys = std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
    if env_keys && !profiles.iter().any(|p| p.name == "default") {
        profiles.insert(
            0,
            ProfileInfo {
                name: "default".into(),
                region: std::env::var("AWS_REGION").ok(),
                kind: ProfileKind::EnvironmentVariables,
                sso_start_url: None,
                login_command: None,
            },
        );
    }
    Ok(profiles)
}

/// Whether a profile can produce credentials on its own (as opposed to one
/// that only sets a region or output format).
pub fn has_credentials(profile: &ProfileInfo) -> bool {
    profile.kind != ProfileKind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
[default]
region = eu-west-1

[profile work-sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = ap-northeast-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = default

[profile deploy]
role_arn = arn:aws:iam::111122223333:role/Deploy
source_profile = work-sso
";
    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIAEXAMPLEKEY000001
aws_secret_access_key = not-a-real-secret

[ci]
aws_access_key_id = AKIAEXAMPLEKEY000002
aws_secret_access_key = also-not-real
";

    async fn fixture() -> Vec<ProfileInfo> {
        let fs = Fs::from_slice(&[
            ("/home/u/.aws/config", CONFIG),
            ("/home/u/.aws/credentials", CREDENTIALS),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/u")]);
        list_from(&fs, &env).await.expect("profiles")
    }

    #[tokio::test]
    async fn lists_profiles_from_both_files_default_first() {
        let names: Vec<String> = fixture().await.into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["default", "admin", "ci", "deploy", "work-sso"]);
    }

    #[tokio::test]
    async fn sso_profiles_are_marked_with_their_start_url_and_region() {
        let profiles = fixture().await;
        let sso = profiles.iter().find(|p| p.name == "work-sso").unwrap();
        assert_eq!(sso.kind, ProfileKind::Sso);
        assert_eq!(sso.region.as_deref(), Some("ap-northeast-2"));
        assert_eq!(
            sso.sso_start_url.as_deref(),
            Some("https://corp.awsapps.com/start")
        );
        let admin = profiles.iter().find(|p| p.name == "admin").unwrap();
        assert_eq!(admin.kind, ProfileKind::AssumeRole);
    }

    #[tokio::test]
    async fn the_login_command_names_the_sso_profile_behind_a_role() {
        let profiles = fixture().await;
        let login = |name: &str| {
            profiles
                .iter()
                .find(|p| p.name == name)
                .unwrap()
                .login_command
                .clone()
        };
        assert_eq!(
            login("work-sso").as_deref(),
            Some("aws sso login --profile work-sso")
        );
        assert_eq!(
            login("deploy").as_deref(),
            Some("aws sso login --profile work-sso"),
            "a role assumed from an SSO profile logs in through it"
        );
        assert_eq!(login("admin"), None, "keys, not SSO");
    }

    #[tokio::test]
    async fn no_secret_leaves_the_module() {
        let text = format!("{:?}", fixture().await);
        assert!(!text.contains("not-a-real-secret"));
        assert!(!text.contains("AKIAEXAMPLEKEY"));
    }

    #[tokio::test]
    async fn no_files_means_no_profiles() {
        let env = Env::from_slice(&[("HOME", "/nowhere")]);
        assert!(list_from(&Fs::from_slice(&[]), &env)
            .await
            .unwrap()
            .is_empty());
    }
}

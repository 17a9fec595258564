//! Which account a command works in, chosen the way the window chooses it
//! (`aws::environments::resolve`), and the sessions it signs in with.

use super::CliError;
use crate::aws::environments::{self, EnvironmentChoices, EnvironmentRequest};
use crate::aws::{self, Environment, Sessions};

/// Which account: `--profile`, `--emulator`, or the one the app would
/// start on when it has credentials.
#[derive(Debug, Clone, clap::Args)]
pub struct EnvironmentArgs {
    /// AWS profile from ~/.aws/config or ~/.aws/credentials.
    #[arg(long, conflicts_with = "emulator")]
    pub profile: Option<String>,
    /// AWS region code, e.g. eu-west-1 (default: the profile's region; for
    /// a spec, its region, which this must match).
    #[arg(long)]
    pub region: Option<String>,
    /// Use the local AWS emulator (AWS_ENDPOINT_URL or http://127.0.0.1:4566).
    #[arg(long)]
    pub emulator: bool,
}

impl EnvironmentArgs {
    pub fn request(&self) -> EnvironmentRequest {
        EnvironmentRequest {
            profile: self.profile.clone(),
            region: self.region.clone(),
            emulator: self.emulator,
        }
    }

    /// True when the account was named on the command line.
    pub fn explicit(&self) -> bool {
        self.emulator || self.profile.is_some()
    }
}

/// The sessions of this process: one per environment, as in the window.
pub fn sessions() -> Sessions {
    Sessions::new(aws::local_emulator::endpoint_from_env())
}

pub async fn environment_choices() -> Result<EnvironmentChoices, CliError> {
    Ok(environments::choices(&aws::local_emulator::endpoint_from_env()).await?)
}

/// The environment the arguments name, or the usable start; an error when
/// there is none.
pub async fn required_environment(args: &EnvironmentArgs) -> Result<Environment, CliError> {
    let choices = environment_choices().await?;
    environments::resolve(&args.request(), &choices).ok_or(CliError::Environment(
        environments::EnvironmentError::NoCredentials,
    ))
}

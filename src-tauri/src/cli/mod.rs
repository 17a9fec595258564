//! The command line: `eks-desk` alone opens the window; subcommands work
//! without one (scripts, CI, people on a server).

mod provision;
mod spec;

use crate::aws::{self, environments, Environment, Sessions};
use crate::connect::kubeconfig;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "eks-desk",
    version,
    about = "EKS Desk: plan, create, connect to and share Amazon EKS clusters.",
    long_about = "EKS Desk: plan, create, connect to and share Amazon EKS clusters.\n\nWithout a subcommand it opens the desktop window."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Args)]
struct EnvironmentArgs {
    /// AWS profile from ~/.aws/config or ~/.aws/credentials.
    #[arg(long, conflicts_with = "emulator")]
    profile: Option<String>,
    /// AWS region code, e.g. eu-west-1 (default: the profile's region).
    #[arg(long)]
    region: Option<String>,
    /// Use the local AWS emulator (AWS_ENDPOINT_URL or http://127.0.0.1:4566).
    #[arg(long)]
    emulator: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the EKS clusters of a profile and region.
    Clusters(EnvironmentArgs),
    /// List the kubeconfig contexts (KUBECONFIG or ~/.kube/config).
    Contexts,
    /// Check a cluster spec: every field error and the subnet IP guard.
    Validate(spec::SpecArgs),
    /// Show what a valid spec would create (reads the account, writes nothing).
    Plan(spec::SpecArgs),
    /// Turn a spec into Terraform or an eksctl ClusterConfig.
    Export {
        #[arg(long)]
        spec: std::path::PathBuf,
        #[arg(long, value_enum, default_value = "terraform")]
        format: spec::ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Write a new spec with the defaults (the seed's architecture).
    Init {
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Create what a spec describes (after validate and plan), printing
    /// progress; a killed or failed run is continued by `resume`.
    Apply(provision::RunArgs),
    /// Continue an unfinished apply or destroy from its journal.
    Resume(provision::RunArgs),
    /// Delete what EKS Desk created for a spec (asks for the cluster name).
    Destroy(provision::DestroyArgs),
    /// List the AWS profiles (~/.aws/config, ~/.aws/credentials, environment).
    Profiles {
        /// Only profiles that provide credentials (prints nothing when none do).
        #[arg(long)]
        with_credentials: bool,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        None => {
            crate::run_app();
            0
        }
        Some(command) => {
            let _guard = crate::logging::init(None);
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            match command {
                Command::Apply(args) => runtime.block_on(provision::apply(args)),
                Command::Resume(args) => runtime.block_on(provision::resume(args)),
                Command::Destroy(args) => runtime.block_on(provision::destroy(args)),
                Command::Validate(args) => spec_exit(runtime.block_on(spec::validate(args))),
                Command::Plan(args) => spec_exit(runtime.block_on(spec::plan(args))),
                Command::Export { spec, format, out } => {
                    spec_exit(spec::export(&spec, format, out.as_deref()))
                }
                Command::Init { region, out } => {
                    spec_exit(spec::init(region.as_deref(), out.as_deref()))
                }
                other => match runtime.block_on(run(other)) {
                    Ok(()) => 0,
                    Err(message) => {
                        eprintln!("error: {message}");
                        1
                    }
                },
            }
        }
    }
}

/// Exit codes of the spec commands: 0 fine, 1 the spec has errors, 2 the
/// file or the command line is wrong.
fn spec_exit(outcome: Result<spec::Outcome, String>) -> i32 {
    match outcome {
        Ok(spec::Outcome::Ok) => 0,
        Ok(spec::Outcome::SpecErrors) => 1,
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

async fn resolve(args: EnvironmentArgs) -> Result<Environment, aws::AwsError> {
    let choices = environments::choices(&aws::local_emulator::endpoint_from_env()).await?;
    let env = match (args.emulator, args.profile) {
        (true, _) => Environment::Emulator {
            region: args
                .region
                .unwrap_or_else(|| choices.initial.region().to_string()),
        },
        (false, Some(profile)) => {
            let region = args
                .region
                .or_else(|| {
                    choices
                        .profiles
                        .iter()
                        .find(|p| p.name == profile)
                        .and_then(|p| p.region.clone())
                })
                .unwrap_or_else(|| aws::regions::FALLBACK.to_string());
            Environment::Profile { profile, region }
        }
        (false, None) => match (choices.initial, args.region) {
            (Environment::Profile { profile, .. }, Some(region)) => {
                Environment::Profile { profile, region }
            }
            (Environment::Emulator { .. }, Some(region)) => Environment::Emulator { region },
            (initial, None) => initial,
        },
    };
    Ok(env)
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Validate(_)
        | Command::Plan(_)
        | Command::Export { .. }
        | Command::Init { .. }
        | Command::Apply(_)
        | Command::Resume(_)
        | Command::Destroy(_) => {
            unreachable!("spec and provisioning commands are dispatched in main")
        }
        Command::Clusters(args) => {
            let env = resolve(args).await.map_err(|e| e.to_string())?;
            let sessions = Sessions::new(aws::local_emulator::endpoint_from_env());
            let clusters = sessions
                .with(&env, |s| async move { aws::clusters::list(&s).await })
                .await
                .map_err(|e| e.to_string())?;
            if clusters.is_empty() {
                println!("No EKS clusters in {}.", env.region());
            }
            for c in clusters {
                println!(
                    "{:<32} {:<9} {:<6} {}",
                    c.name,
                    serde_json::to_value(c.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    c.version.unwrap_or_default(),
                    c.endpoint.unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Profiles { with_credentials } => {
            let profiles = aws::profiles::list().await.map_err(|e| e.to_string())?;
            for p in profiles
                .iter()
                .filter(|p| !with_credentials || aws::profiles::has_credentials(p))
            {
                let kind = serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                println!(
                    "{:<32} {:<22} {}",
                    p.name,
                    kind,
                    p.region.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Command::Contexts => {
            let found = kubeconfig::read_user_contexts().map_err(|e| e.to_string())?;
            if found.contexts.is_empty() {
                println!("No kubeconfig contexts (KUBECONFIG or ~/.kube/config).");
            }
            for c in found.contexts {
                println!(
                    "{} {:<40} {:<8} {}",
                    if c.is_current { "*" } else { " " },
                    c.name,
                    if c.eks.is_some() { "EKS" } else { "" },
                    c.server.unwrap_or_default()
                );
            }
            Ok(())
        }
    }
}

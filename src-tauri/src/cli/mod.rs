//! The command line: `eks-desk` alone opens the window; subcommands work
//! without one (scripts, CI, people on a server). Each subcommand parses
//! its arguments, calls the same domain operation the window's command
//! calls, and prints the outcome; exit statuses come from [`CliError`].

mod connect;
mod environment;
mod errors;
mod output;
mod provision;
mod spec;
mod workloads;

pub use errors::{CliError, Finished};
pub use output::{Output, OutputArgs};

use crate::aws;
use crate::connect::kubeconfig;
use clap::{Parser, Subcommand};
use environment::{required_environment, sessions, EnvironmentArgs};

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

#[derive(Debug, Subcommand)]
enum Command {
    /// List the EKS clusters of a profile and region.
    Clusters {
        #[command(flatten)]
        env: EnvironmentArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// List the kubeconfig contexts (KUBECONFIG or ~/.kube/config).
    Contexts {
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Check a cluster spec: every field error and the subnet IP guard.
    Validate(spec::SpecArgs),
    /// Show what a valid spec would create (reads the account, writes nothing).
    Plan(spec::SpecArgs),
    /// Turn a spec into Terraform or an eksctl ClusterConfig.
    Export(spec::ExportArgs),
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
    /// Print an EKS token as an ExecCredential, like `aws eks get-token`
    /// (for a kubeconfig user's exec command).
    Token(connect::TokenArgs),
    /// Add a cluster to the kubeconfig, like `aws eks update-kubeconfig`,
    /// keeping everything else in the file.
    UpdateKubeconfig(connect::UpdateKubeconfigArgs),
    /// Open an EKS cluster (EKS Desk's own sign-in) or a kubeconfig
    /// context: version, nodes, and who you are in it.
    Connect(connect::ConnectArgs),
    /// The pods of a cluster or context, as the pods table lists them.
    Pods(workloads::PodsArgs),
    /// The nodes, with what their pods request of them.
    Nodes(workloads::NodesArgs),
    /// A container's log.
    Logs(workloads::LogsArgs),
    /// Events, warnings first.
    Events(workloads::EventsArgs),
    /// Deployments, StatefulSets, DaemonSets and Jobs with ready/desired.
    Workloads(workloads::WorkloadsArgs),
    /// Set the replicas of a Deployment or StatefulSet (asks first).
    Scale(workloads::ScaleArgs),
    /// Restart a rollout, as `kubectl rollout restart` (asks first).
    Restart(workloads::ControllerArgs),
    /// Delete a pod (asks first).
    DeletePod(workloads::DeletePodArgs),
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
    let Some(command) = cli.command else {
        crate::run_app();
        return 0;
    };
    let _guard = crate::logging::init(None);
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let json = command.output().is_some_and(|o| o.json());
    match runtime.block_on(run(command)) {
        Ok(Finished::Done) => 0,
        Ok(Finished::Refused) => 1,
        Err(e) => {
            if json {
                output::print_error_json(&e);
            } else {
                eprintln!("error: {e}");
            }
            e.exit_code()
        }
    }
}

impl Command {
    fn output(&self) -> Option<&OutputArgs> {
        match self {
            Command::Clusters { output, .. } | Command::Contexts { output } => Some(output),
            Command::Validate(args) | Command::Plan(args) => Some(&args.output),
            Command::UpdateKubeconfig(args) => Some(&args.output),
            Command::Connect(args) => Some(&args.output),
            Command::Pods(args) => Some(&args.output),
            Command::Nodes(args) => Some(&args.output),
            Command::Events(args) => Some(&args.output),
            Command::Workloads(args) => Some(&args.output),
            _ => None,
        }
    }
}

async fn run(command: Command) -> Result<Finished, CliError> {
    match command {
        Command::Clusters { env, output } => clusters(&env, &output).await,
        Command::Contexts { output } => contexts(&output),
        Command::Validate(args) => spec::validate(args).await,
        Command::Plan(args) => spec::plan(args).await,
        Command::Export(args) => spec::export(&args),
        Command::Init { region, out } => spec::init(region.as_deref(), out.as_deref()),
        Command::Apply(args) => provision::apply(args).await,
        Command::Resume(args) => provision::resume(args).await,
        Command::Destroy(args) => provision::destroy(args).await,
        Command::Profiles { with_credentials } => profiles(with_credentials).await,
        Command::Token(args) => connect::token(args).await,
        Command::UpdateKubeconfig(args) => connect::update_kubeconfig(args).await,
        Command::Connect(args) => connect::connect(args).await,
        Command::Pods(args) => workloads::pods(args).await,
        Command::Nodes(args) => workloads::nodes(args).await,
        Command::Logs(args) => workloads::logs(args).await,
        Command::Events(args) => workloads::events(args).await,
        Command::Workloads(args) => workloads::list(args).await,
        Command::Scale(args) => workloads::scale(args).await,
        Command::Restart(args) => workloads::restart(args).await,
        Command::DeletePod(args) => workloads::delete_pod(args).await,
    }
}

async fn clusters(env: &EnvironmentArgs, output: &OutputArgs) -> Result<Finished, CliError> {
    let env = required_environment(env).await?;
    let clusters = sessions()
        .with(&env, |s| async move { aws::clusters::list(&s).await })
        .await?;
    output.print(&clusters, |out| {
        if clusters.is_empty() {
            out.line(format_args!("No EKS clusters in {}.", env.region()));
        }
        for c in &clusters {
            out.line(format_args!(
                "{:<32} {:<9} {:<6} {}",
                c.name,
                output::enum_word(&c.status),
                c.version.as_deref().unwrap_or_default(),
                c.endpoint.as_deref().unwrap_or_default()
            ));
        }
    });
    Ok(Finished::Done)
}

fn contexts(output: &OutputArgs) -> Result<Finished, CliError> {
    let found = kubeconfig::read_user_contexts()?;
    output.print(&found, |out| {
        if found.contexts.is_empty() {
            out.line(format_args!(
                "No kubeconfig contexts (KUBECONFIG or ~/.kube/config)."
            ));
        }
        for c in &found.contexts {
            out.line(format_args!(
                "{} {:<40} {:<8} {}",
                if c.is_current { "*" } else { " " },
                c.name,
                if c.eks.is_some() { "EKS" } else { "" },
                c.server.as_deref().unwrap_or_default()
            ));
        }
    });
    Ok(Finished::Done)
}

async fn profiles(with_credentials: bool) -> Result<Finished, CliError> {
    let profiles = aws::profiles::list().await?;
    let mut out = Output::stdout();
    for p in profiles
        .iter()
        .filter(|p| !with_credentials || aws::profiles::has_credentials(p))
    {
        out.line(format_args!(
            "{:<32} {:<22} {}",
            p.name,
            output::enum_word(&p.kind),
            p.region.as_deref().unwrap_or("-")
        ));
    }
    Ok(Finished::Done)
}

//! `eks-desk token`, `update-kubeconfig` and `connect`: EKS sign-in for
//! kubectl without the AWS CLI, the kubeconfig writer, and opening a
//! cluster or context the way the window's Connect does.

use super::environment::{required_environment, sessions, EnvironmentArgs};
use super::output::{Output, OutputArgs};
use super::{CliError, Finished};
use crate::commands::connect::own_binary;
use crate::connect::eks_token::{eks_token, exec_api_version, exec_credential};
use crate::connect::exec_consent;
use crate::connect::kubeconfig_entry::FileChange;
use crate::connect::kubeconfig_target::KubeconfigLocation;
use crate::connect::{
    self, AddToKubeconfigRequest, ClusterOverview, ExecPolicy, OpenClusterRequest,
    OpenContextRequest, OpenedCluster, SimulatedApi,
};

#[derive(Debug, Clone, clap::Args)]
pub struct TokenArgs {
    /// The EKS cluster the token is for.
    #[arg(long)]
    pub cluster_name: String,
    #[command(flatten)]
    pub env: EnvironmentArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthenticatorArg {
    /// `aws eks get-token` (what the AWS CLI writes).
    Aws,
    /// `eks-desk token`: no AWS CLI needed.
    EksDesk,
}

#[derive(Debug, Clone, clap::Args)]
pub struct UpdateKubeconfigArgs {
    /// The EKS cluster's name.
    #[arg(long)]
    pub name: String,
    /// The context's name (default: the cluster's ARN).
    #[arg(long)]
    pub alias: Option<String>,
    /// The kubeconfig file to write (default: the KUBECONFIG file holding
    /// the cluster, else the first, else ~/.kube/config).
    #[arg(long)]
    pub kubeconfig: Option<std::path::PathBuf>,
    /// Who gives kubectl its token.
    #[arg(long, value_enum, default_value_t = AuthenticatorArg::Aws)]
    pub authenticator: AuthenticatorArg,
    #[command(flatten)]
    pub env: EnvironmentArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct ConnectTarget {
    /// An EKS cluster, opened with EKS Desk's own sign-in.
    #[arg(long)]
    pub cluster: Option<String>,
    /// A kubeconfig context.
    #[arg(long)]
    pub context: Option<String>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ConnectArgs {
    #[command(flatten)]
    pub target: ConnectTarget,
    /// Agree to run the context's exec plugin (asked once, remembered).
    #[arg(long)]
    pub allow_exec: bool,
    #[command(flatten)]
    pub env: EnvironmentArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Prints an ExecCredential, as `aws eks get-token` does.
pub async fn token(args: TokenArgs) -> Result<Finished, CliError> {
    let env = required_environment(&args.env).await?;
    let session = sessions().get(&env).await?;
    let token = eks_token(&session, &args.cluster_name).await?;
    let info = std::env::var("KUBERNETES_EXEC_INFO").ok();
    Output::stdout().json(&exec_credential(&token, exec_api_version(info.as_deref())));
    Ok(Finished::Done)
}

pub async fn update_kubeconfig(args: UpdateKubeconfigArgs) -> Result<Finished, CliError> {
    let env = required_environment(&args.env).await?;
    let session = sessions().get(&env).await?;
    let mut location = KubeconfigLocation::from_environment();
    if let Some(path) = &args.kubeconfig {
        location.kubeconfig_env = Some(path.clone().into_os_string());
    }
    let request = AddToKubeconfigRequest {
        cluster: args.name.clone(),
        alias: args.alias.clone(),
        use_eks_desk: args.authenticator == AuthenticatorArg::EksDesk,
        // As `aws eks update-kubeconfig`: the new context becomes current.
        set_current: true,
    };
    let outcome = connect::add_cluster_to_kubeconfig(
        &session,
        &request,
        &location,
        own_binary().as_deref(),
        SimulatedApi::from_env().as_ref(),
    )
    .await?;
    args.output.print(&outcome, |out| {
        let verb = match outcome.change {
            FileChange::Created => "Added new context",
            FileChange::Updated => "Updated context",
            FileChange::Unchanged => "Context already up to date:",
        };
        out.line(format_args!(
            "{verb} {} in {}",
            outcome.context,
            outcome.file.display()
        ));
        if let Some(backup) = &outcome.backup {
            out.line(format_args!(
                "The previous file is kept as {}",
                backup.display()
            ));
        }
    });
    Ok(Finished::Done)
}

/// Opens the cluster or context `target` names, as Connect does.
pub async fn open(
    target: &ConnectTarget,
    env: &EnvironmentArgs,
    allow_exec: bool,
) -> Result<OpenedCluster, CliError> {
    if let Some(cluster) = &target.cluster {
        let env = required_environment(env).await?;
        let session = sessions().get(&env).await?;
        let request = OpenClusterRequest {
            cluster: cluster.clone(),
        };
        return Ok(
            connect::open_cluster(&session, &request, SimulatedApi::from_env().as_ref()).await?,
        );
    }
    let request = OpenContextRequest {
        context: target.context.clone().unwrap_or_default(),
    };
    let store = exec_consent::default_store();
    let binary = own_binary();
    let policy = ExecPolicy {
        consent_store: &store,
        own_binary: binary.as_deref(),
        search_path: std::env::var_os("PATH"),
    };
    let location = KubeconfigLocation::from_environment();
    if allow_exec {
        connect::allow_exec_plugin(&request, &location, &policy)?;
    }
    Ok(connect::open_context(&request, &location, &policy).await?)
}

pub async fn connect(args: ConnectArgs) -> Result<Finished, CliError> {
    let overview = open(&args.target, &args.env, args.allow_exec)
        .await?
        .overview;
    args.output
        .print(&overview, |out| print_overview(out, &overview));
    Ok(Finished::Done)
}

fn print_overview(out: &mut Output, o: &ClusterOverview) {
    out.line(format_args!(
        "{}{}",
        o.name,
        if o.simulated { " (simulated)" } else { "" }
    ));
    out.line(format_args!("  server      {}", o.server));
    out.line(format_args!("  kubernetes  {}", o.kubernetes_version));
    match (o.node_count, &o.nodes_hidden) {
        (Some(n), _) => out.line(format_args!("  nodes       {n}")),
        (None, Some(why)) => out.line(format_args!("  nodes       hidden: {why}")),
        (None, None) => out.line(format_args!("  nodes       unknown")),
    }
    out.line(format_args!("  you are     {}", o.identity.username));
    out.line(format_args!(
        "  groups      {}",
        o.identity.groups.join(", ")
    ));
    if let Some(arn) = &o.identity.iam_arn {
        out.line(format_args!("  IAM         {arn}"));
    }
    for w in &o.warnings {
        out.line(format_args!("  warning     {w}"));
    }
}

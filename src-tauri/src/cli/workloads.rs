//! `eks-desk pods`, `nodes`, `logs`, `events`, `workloads`, `scale`,
//! `restart` and `delete-pod`: the cluster views and actions without a
//! window, through the same domain functions (the pods come from the same
//! live store and query the pods table uses).

use std::time::Duration;

use super::connect::{open, ConnectTarget};
use super::environment::EnvironmentArgs;
use super::output::OutputArgs;
use super::{CliError, Finished};
use crate::workloads::controllers::ControllerRef;
use crate::workloads::{
    self, Connection, ControllerKind, DeletePodRequest, EventQuery, LiveCluster, LogRequest,
    PodColumn, PodQuery, PodRef, RestartRequest, ScaleRequest, StatusFilter,
};

#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    #[command(flatten)]
    pub target: ConnectTarget,
    /// Agree to run the context's exec plugin (asked once, remembered).
    #[arg(long)]
    pub allow_exec: bool,
    #[command(flatten)]
    pub env: EnvironmentArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct PodsArgs {
    #[command(flatten)]
    pub on: Target,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    /// Label selector, e.g. app=web,tier!=db.
    #[arg(long, short = 'l', default_value = "")]
    pub selector: String,
    /// Text in name, namespace, status, node, IP or owner.
    #[arg(long, default_value = "")]
    pub search: String,
    /// Only the pods on this node.
    #[arg(long)]
    pub node: Option<String>,
    /// Only pods with something wrong.
    #[arg(long)]
    pub problems: bool,
    #[arg(long, value_enum, default_value_t = SortArg::Name)]
    pub sort: SortArg,
    #[arg(long)]
    pub descending: bool,
    #[arg(long, default_value_t = 500)]
    pub limit: u32,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SortArg {
    Namespace,
    Name,
    Ready,
    Status,
    Restarts,
    Age,
    Node,
    Ip,
    Owner,
}

impl From<SortArg> for PodColumn {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Namespace => PodColumn::Namespace,
            SortArg::Name => PodColumn::Name,
            SortArg::Ready => PodColumn::Ready,
            SortArg::Status => PodColumn::Status,
            SortArg::Restarts => PodColumn::Restarts,
            SortArg::Age => PodColumn::Age,
            SortArg::Node => PodColumn::Node,
            SortArg::Ip => PodColumn::Ip,
            SortArg::Owner => PodColumn::Owner,
        }
    }
}

/// The live store after its first list (or why it could not list).
async fn synced(cluster: &LiveCluster, nodes: bool) -> Result<(), CliError> {
    let mut changes = cluster.subscribe();
    loop {
        let state = changes.borrow_and_update().clone();
        let kind = if nodes { &state.nodes } else { &state.pods };
        match &kind.connection {
            Connection::Live => return Ok(()),
            Connection::Forbidden { message } => {
                return Err(CliError::Workload(workloads::WorkloadError::Forbidden {
                    message: message.clone(),
                }))
            }
            Connection::Reconnecting { reason, .. } => {
                return Err(CliError::Workload(workloads::WorkloadError::Unreachable {
                    reason: reason.clone(),
                }))
            }
            Connection::Connecting => {}
        }
        if tokio::time::timeout(Duration::from_secs(120), changes.changed())
            .await
            .is_err()
        {
            return Err(CliError::Workload(workloads::WorkloadError::Unreachable {
                reason: "no list within 120 s".into(),
            }));
        }
    }
}

pub async fn pods(args: PodsArgs) -> Result<Finished, CliError> {
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    let live = LiveCluster::start(opened.client);
    synced(&live, false).await?;
    let window = live.pods(&PodQuery {
        namespace: args.namespace.clone(),
        node: args.node.clone(),
        search: args.search.clone(),
        labels: args.selector.clone(),
        status: if args.problems {
            StatusFilter::Problems
        } else {
            StatusFilter::All
        },
        sort: args.sort.into(),
        descending: args.descending,
        offset: 0,
        limit: args.limit,
    })?;
    args.output.print(&window, |out| {
        out.line(format_args!(
            "{:<20} {:<48} {:<6} {:<20} {:>8}  {}",
            "NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "NODE"
        ));
        for r in &window.rows {
            out.line(format_args!(
                "{:<20} {:<48} {:<6} {:<20} {:>8}  {}",
                r.namespace,
                r.name,
                format!("{}/{}", r.ready_containers, r.containers),
                r.status,
                r.restarts,
                r.node.as_deref().unwrap_or("")
            ));
        }
        out.line(format_args!("{} of {} pods", window.matching, window.total));
    });
    Ok(Finished::Done)
}

#[derive(Debug, Clone, clap::Args)]
pub struct NodesArgs {
    #[command(flatten)]
    pub on: Target,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn nodes(args: NodesArgs) -> Result<Finished, CliError> {
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    let live = LiveCluster::start(opened.client);
    synced(&live, true).await?;
    synced(&live, false).await?;
    let cards = live.node_cards();
    args.output.print(&cards, |out| {
        for c in &cards {
            out.line(format_args!(
                "{:<44} {:<10} {:<22} {:<14} {:<9} cpu {:>6}/{:<6}m  pods {}/{}",
                c.node.name,
                if c.node.ready { "Ready" } else { "NotReady" },
                c.node.node_group.as_deref().unwrap_or("-"),
                c.node.zone.as_deref().unwrap_or("-"),
                c.node.capacity_type.as_deref().unwrap_or("-"),
                c.cpu_requested_milli,
                c.node.allocatable_cpu_milli.unwrap_or(0),
                c.pod_count,
                c.node.allocatable_pods.unwrap_or(0)
            ));
        }
    });
    Ok(Finished::Done)
}

#[derive(Debug, Clone, clap::Args)]
pub struct LogsArgs {
    #[command(flatten)]
    pub on: Target,
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
    pub pod: String,
    #[arg(long, short = 'c')]
    pub container: Option<String>,
    #[arg(long, short = 'f')]
    pub follow: bool,
    #[arg(long, short = 'p')]
    pub previous: bool,
    #[arg(long)]
    pub tail: Option<u32>,
    #[arg(long)]
    pub timestamps: bool,
}

pub async fn logs(args: LogsArgs) -> Result<Finished, CliError> {
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    let request = LogRequest {
        pod: PodRef {
            namespace: args.namespace.clone(),
            name: args.pod.clone(),
        },
        container: args.container.clone(),
        follow: args.follow,
        previous: args.previous,
        tail_lines: args.tail,
        timestamps: args.timestamps,
    };
    let mut out = super::Output::stdout();
    workloads::stream_logs(&opened.client, &request, |lines| {
        for l in lines {
            out.line(format_args!("{l}"));
        }
        true
    })
    .await?;
    Ok(Finished::Done)
}

#[derive(Debug, Clone, clap::Args)]
pub struct EventsArgs {
    #[command(flatten)]
    pub on: Target,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    #[arg(long)]
    pub warnings: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn events(args: EventsArgs) -> Result<Finished, CliError> {
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    let rows = workloads::events(
        &opened.client,
        &EventQuery {
            namespace: args.namespace.clone(),
            warnings_only: args.warnings,
            ..Default::default()
        },
    )
    .await?;
    args.output.print(&rows, |out| {
        for e in &rows {
            out.line(format_args!(
                "{:<8} {:<20} {}/{}: {}",
                e.kind, e.reason, e.object_kind, e.object_name, e.message
            ));
        }
    });
    Ok(Finished::Done)
}

#[derive(Debug, Clone, clap::Args)]
pub struct WorkloadsArgs {
    #[command(flatten)]
    pub on: Target,
    #[arg(long, short = 'n')]
    pub namespace: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub async fn list(args: WorkloadsArgs) -> Result<Finished, CliError> {
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    let found = workloads::controllers(&opened.client, args.namespace.as_deref()).await?;
    args.output.print(&found, |out| {
        for r in &found.rows {
            out.line(format_args!(
                "{:<12} {:<20} {:<40} {}/{}",
                super::output::enum_word(&r.kind),
                r.namespace,
                r.name,
                r.ready,
                r.desired
            ));
        }
        for f in &found.forbidden {
            out.line(format_args!("forbidden: {f}"));
        }
    });
    Ok(Finished::Done)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Deployment,
    Statefulset,
    Daemonset,
}

impl From<KindArg> for ControllerKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Deployment => ControllerKind::Deployment,
            KindArg::Statefulset => ControllerKind::StatefulSet,
            KindArg::Daemonset => ControllerKind::DaemonSet,
        }
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ControllerArgs {
    #[command(flatten)]
    pub on: Target,
    #[arg(value_enum)]
    pub kind: KindArg,
    pub name: String,
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
    /// Do it without asking.
    #[arg(long)]
    pub yes: bool,
}

impl ControllerArgs {
    fn controller(&self) -> ControllerRef {
        ControllerRef {
            kind: self.kind.into(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

/// Asks on the terminal unless `--yes`.
fn confirm(yes: bool, question: &str) -> bool {
    if yes {
        return true;
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok() && matches!(answer.trim(), "y" | "Y" | "yes")
}

#[derive(Debug, Clone, clap::Args)]
pub struct ScaleArgs {
    #[command(flatten)]
    pub controller: ControllerArgs,
    #[arg(long)]
    pub replicas: u32,
}

pub async fn scale(args: ScaleArgs) -> Result<Finished, CliError> {
    let c = &args.controller;
    let confirmed = confirm(
        c.yes,
        &format!("Scale {}/{} to {}?", c.namespace, c.name, args.replicas),
    );
    let opened = open(&c.on.target, &c.on.env, c.on.allow_exec).await?;
    workloads::scale(
        &opened.client,
        &ScaleRequest {
            controller: c.controller(),
            replicas: args.replicas,
            confirmed,
        },
    )
    .await?;
    println!("scaled {}/{} to {}", c.namespace, c.name, args.replicas);
    Ok(Finished::Done)
}

pub async fn restart(args: ControllerArgs) -> Result<Finished, CliError> {
    let confirmed = confirm(
        args.yes,
        &format!("Restart the rollout of {}/{}?", args.namespace, args.name),
    );
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    workloads::rollout_restart(
        &opened.client,
        &RestartRequest {
            controller: args.controller(),
            confirmed,
        },
    )
    .await?;
    println!("restarted {}/{}", args.namespace, args.name);
    Ok(Finished::Done)
}

#[derive(Debug, Clone, clap::Args)]
pub struct DeletePodArgs {
    #[command(flatten)]
    pub on: Target,
    pub pod: String,
    #[arg(long, short = 'n', default_value = "default")]
    pub namespace: String,
    #[arg(long)]
    pub yes: bool,
}

pub async fn delete_pod(args: DeletePodArgs) -> Result<Finished, CliError> {
    let confirmed = confirm(
        args.yes,
        &format!("Delete pod {}/{}?", args.namespace, args.pod),
    );
    let opened = open(&args.on.target, &args.on.env, args.on.allow_exec).await?;
    workloads::delete_pod(
        &opened.client,
        &DeletePodRequest {
            pod: PodRef {
                namespace: args.namespace.clone(),
                name: args.pod.clone(),
            },
            confirmed,
        },
    )
    .await?;
    println!("deleted pod {}/{}", args.namespace, args.pod);
    Ok(Finished::Done)
}

//! `apply`, `destroy` and `resume`: the provisioning engine without a
//! window, through the same operations and [`Runs`] as the window. One line
//! per step transition on standard output; exit status 0 when the run
//! finished, 1 when it failed, was refused or cancelled (the journal is
//! kept for `resume`), 2 when the file or the arguments are wrong.

use super::environment::{environment_choices, sessions, EnvironmentArgs};
use super::spec::read_spec;
use super::{CliError, Finished, Output};
use crate::aws::environments::{self, EnvironmentError};
use crate::aws::Environment;
use crate::provision::{
    operations, EngineConfig, Operation, ProgressEvent, ProvisionError, RunReport, Runs, StepState,
};
use crate::spec::lookup::FactsCache;
use crate::spec::ClusterSpec;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The cluster spec (YAML); its id names the journal.
    #[arg(long)]
    pub spec: PathBuf,
    #[command(flatten)]
    pub env: EnvironmentArgs,
    /// Where journals are kept (default: the app's data folder, `journals`,
    /// shared with the window).
    #[arg(long)]
    pub journal_dir: Option<PathBuf>,
    /// First pause between status polls, in milliseconds; doubles up to six
    /// times that. Default: AWS's pace, or short polls on the emulator (as
    /// in the window).
    #[arg(long)]
    pub poll_ms: Option<u64>,
}

impl RunArgs {
    fn runs(&self) -> Runs {
        let dir = self
            .journal_dir
            .clone()
            .unwrap_or_else(crate::app_dirs::journal_dir);
        let config = self
            .poll_ms
            .map(|ms| EngineConfig::with_first_poll(std::time::Duration::from_millis(ms)));
        Runs::new(dir).with_config(config)
    }
}

#[derive(Debug, clap::Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Do not ask for the cluster name.
    #[arg(long)]
    pub yes: bool,
    /// Also delete what Kubernetes left in the VPC (load balancers, their
    /// target groups and security groups, unattached interfaces), which
    /// would otherwise stop the destroy; they are listed first.
    #[arg(long)]
    pub delete_leftovers: bool,
}

/// The account for a run of `spec`: `--profile`/`--emulator`, else the one
/// the app would start on when it has credentials.
async fn environment(args: &EnvironmentArgs, spec: &ClusterSpec) -> Result<Environment, CliError> {
    let choices = environment_choices().await?;
    environments::resolve_in(&args.request(), &choices, &spec.cluster.region)?
        .ok_or(CliError::Environment(EnvironmentError::NoCredentials))
}

fn state_word(state: &StepState) -> &'static str {
    match state {
        StepState::Pending => "pending",
        StepState::Running => "running",
        StepState::Done => "done",
        StepState::Failed { .. } => "FAILED",
        StepState::Cancelled => "cancelled",
    }
}

fn print_batch(out: &mut Output, batch: Vec<ProgressEvent>) {
    for e in batch {
        let id = e
            .resource_id
            .as_deref()
            .map(|r| format!(" [{r}]"))
            .unwrap_or_default();
        out.line(format_args!(
            "{:>8.1}s  {:<50} {:<9} {:>7.1}s  {}{id}",
            f64::from(e.run_elapsed_ms) / 1000.0,
            e.step_id,
            state_word(&e.state),
            f64::from(e.elapsed_ms) / 1000.0,
            e.message
        ));
    }
}

/// Runs `work` with its progress printed and Ctrl-C turned into a cancel
/// of `spec_id`'s run; the summary or the error with how to go on.
async fn printing<F, Fut>(
    runs: Arc<Runs>,
    spec_id: &str,
    verb: &str,
    spec_path: &Path,
    work: F,
) -> Result<Finished, CliError>
where
    F: FnOnce(Arc<Runs>, Box<dyn FnMut(Vec<ProgressEvent>) + Send>) -> Fut,
    Fut: std::future::Future<Output = Result<RunReport, ProvisionError>>,
{
    let mut out = Output::stdout();
    let watch = Box::new(move |batch| print_batch(&mut out, batch));
    let interrupt = {
        let runs = runs.clone();
        let spec_id = spec_id.to_string();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("interrupted: stopping after the calls in flight (Ctrl-C again to kill)");
                runs.cancel(&spec_id);
                let _ = tokio::signal::ctrl_c().await;
                std::process::exit(130);
            }
        })
    };
    let result = work(runs, watch).await;
    interrupt.abort();
    let resume = format!("`eks-desk resume --spec {}`", spec_path.display());
    match result {
        Ok(report) => {
            Output::stdout().line(format_args!(
                "\n{verb}: {} steps ({} waves on the critical path) in {:.1} s; journal {} ({} writes)",
                report.steps,
                report.waves,
                report.wall.as_secs_f64(),
                report.journal_path.display(),
                report.journal_writes
            ));
            Ok(Finished::Done)
        }
        Err(source @ ProvisionError::Cancelled) => Err(CliError::Provision {
            hint: format!(" {resume} continues where this stopped."),
            source,
        }),
        // Refused before anything ran: there is nothing to resume.
        Err(
            source @ (ProvisionError::SpecErrors(_)
            | ProvisionError::PlanConflicts(_)
            | ProvisionError::AccountUnreadable(_)
            | ProvisionError::NotConfirmed { .. }
            | ProvisionError::NoJournal { .. }
            | ProvisionError::MissingSpecId
            | ProvisionError::BadSpecId(_)
            | ProvisionError::AlreadyRunning { .. }),
        ) => Err(source.into()),
        Err(source) => Err(CliError::Provision {
            hint: format!("\nThe journal is kept: {resume} continues where this stopped."),
            source,
        }),
    }
}

pub async fn apply(args: RunArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.spec)?;
    crate::provision::journal::check_spec_id(&spec.id)?;
    let env = environment(&args.env, &spec).await?;
    let runs = Arc::new(args.runs());
    Output::stdout().line(format_args!(
        "Applying {} in {}; journal in {}",
        spec.cluster.name,
        env.region(),
        runs.journal_dir().display()
    ));
    let id = spec.id.clone();
    printing(runs, &id, "applied", &args.spec, |runs, watch| async move {
        let sessions = sessions();
        operations::apply(&runs, &sessions, &FactsCache::default(), &env, &spec, watch).await
    })
    .await
}

pub async fn resume(args: RunArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.spec)?;
    crate::provision::journal::check_spec_id(&spec.id)?;
    let runs = Arc::new(args.runs());
    let recorded = runs.required_journal(&spec.id)?;
    if recorded.spec != spec {
        eprintln!(
            "note: the spec file changed since the run started; resuming with the spec in the journal (apply again afterwards to use the new one)"
        );
    }
    let given = if args.env.explicit() {
        Some(environment(&args.env, &recorded.spec).await?)
    } else {
        None
    };
    let verb = match recorded.operation {
        Operation::Apply => "applied",
        Operation::Destroy => "destroyed",
    };
    Output::stdout().line(format_args!(
        "Resuming the {} of {} ({} of {} steps done)",
        match recorded.operation {
            Operation::Apply => "apply",
            Operation::Destroy => "destroy",
        },
        recorded.spec.cluster.name,
        recorded
            .steps
            .iter()
            .filter(|s| s.state == StepState::Done)
            .count(),
        recorded.steps.len()
    ));
    let id = spec.id.clone();
    printing(runs, &spec.id, verb, &args.spec, |runs, watch| async move {
        operations::resume(&runs, &sessions(), &id, given.as_ref(), watch).await
    })
    .await
}

/// The cluster's name as typed at the prompt.
fn typed_name(spec: &ClusterSpec) -> String {
    eprintln!(
        "This deletes everything EKS Desk created for spec {} (cluster {} in {}); resources it did not create are left alone.",
        spec.id, spec.cluster.name, spec.cluster.region
    );
    eprint!("Type the cluster name to confirm: ");
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(n) if n > 0 => line.trim().to_string(),
        _ => String::new(),
    }
}

pub async fn destroy(args: DestroyArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.run.spec)?;
    crate::provision::journal::check_spec_id(&spec.id)?;
    let env = environment(&args.run.env, &spec).await?;
    let typed = if args.yes {
        spec.cluster.name.clone()
    } else {
        typed_name(&spec)
    };
    if typed != spec.cluster.name {
        return Err(CliError::NotConfirmed);
    }
    let leftovers = operations::leftovers(&sessions(), &env, &spec).await?;
    for item in &leftovers.items {
        eprintln!(
            "left by Kubernetes: {:?} {} ({}){}",
            item.kind,
            item.name,
            item.detail,
            if args.delete_leftovers {
                " — will be deleted"
            } else {
                ""
            }
        );
    }
    let runs = Arc::new(args.run.runs());
    Output::stdout().line(format_args!(
        "Destroying what EKS Desk created for {} in {}; journal in {}",
        spec.cluster.name,
        env.region(),
        runs.journal_dir().display()
    ));
    let id = spec.id.clone();
    printing(
        runs,
        &id,
        "destroyed",
        &args.run.spec,
        |runs, watch| async move {
            let leftovers = args
                .delete_leftovers
                .then_some(crate::provision::leftovers::LEFTOVERS_CONFIRMATION);
            operations::destroy(&runs, &sessions(), &env, &spec, &typed, leftovers, watch).await
        },
    )
    .await
}

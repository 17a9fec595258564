//! `apply`, `destroy` and `resume`: the provisioning engine without a
//! window. One line per step transition on standard output; exit status 0
//! when the run finished, 1 when it failed, was refused or cancelled (the
//! journal is kept for `resume`), 2 when the file or the arguments are wrong.

use super::spec::read_spec;
use crate::aws::{environments, local_emulator, Environment, Sessions};
use crate::provision::{
    Cancellation, EngineConfig, ProgressEvent, ProvisionError, Provisioner, RunReport, StepState,
};
use crate::spec::check;
use crate::spec::lookup::FactsCache;
use crate::spec::plan;
use crate::spec::validate::Severity;
use crate::spec::ClusterSpec;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The cluster spec (YAML); its id names the journal.
    #[arg(long)]
    pub spec: PathBuf,
    /// AWS profile from ~/.aws/config or ~/.aws/credentials.
    #[arg(long, conflicts_with = "emulator")]
    pub profile: Option<String>,
    /// Must match the spec's region when given.
    #[arg(long)]
    pub region: Option<String>,
    /// Use the local AWS emulator (AWS_ENDPOINT_URL or http://127.0.0.1:4566).
    #[arg(long)]
    pub emulator: bool,
    /// Where journals are kept (default: the app's data folder, `journals`).
    #[arg(long)]
    pub journal_dir: Option<PathBuf>,
    /// First pause between status polls, in milliseconds; doubles up to six
    /// times that. The default suits AWS; the emulator is ready at once.
    #[arg(long, default_value_t = 5000)]
    pub poll_ms: u64,
}

impl RunArgs {
    fn config(&self) -> EngineConfig {
        let first = std::time::Duration::from_millis(self.poll_ms.max(1));
        EngineConfig {
            poll_first: first,
            poll_max: first * 6,
            ..EngineConfig::default()
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Do not ask for the cluster name.
    #[arg(long)]
    pub yes: bool,
}

/// The app's data folder (`dev.eksdesk.app`, as Tauri names it), `journals`.
pub fn default_journal_dir() -> PathBuf {
    let home = || {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
    };
    let base = match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None if cfg!(target_os = "macos") => home().join("Library/Application Support"),
        None if cfg!(windows) => std::env::var_os("APPDATA")
            .map(PathBuf::from)
            .unwrap_or_else(home),
        None => home().join(".local/share"),
    };
    base.join("dev.eksdesk.app").join("journals")
}

/// Why the command stopped, with its exit status.
struct Stop {
    code: i32,
    message: String,
}

fn usage(message: impl Into<String>) -> Stop {
    Stop {
        code: 2,
        message: message.into(),
    }
}

fn failure(message: impl Into<String>) -> Stop {
    Stop {
        code: 1,
        message: message.into(),
    }
}

fn finish(result: Result<(), Stop>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(stop) => {
            eprintln!("error: {}", stop.message);
            stop.code
        }
    }
}

/// `--profile`/`--emulator`, else `fallback` (a journal's account), else
/// the profile the app would start with when it has credentials.
async fn environment(
    args: &RunArgs,
    spec: &ClusterSpec,
    fallback: Option<Environment>,
) -> Result<Environment, Stop> {
    let region = spec.cluster.region.clone();
    if let Some(given) = &args.region {
        if given != &region {
            return Err(usage(format!(
                "the spec's region is {region} but --region says {given}"
            )));
        }
    }
    if args.emulator {
        return Ok(Environment::Emulator { region });
    }
    if let Some(profile) = &args.profile {
        return Ok(Environment::Profile {
            profile: profile.clone(),
            region,
        });
    }
    if let Some(env) = fallback {
        return Ok(env.with_region(&region));
    }
    let choices = environments::choices(&local_emulator::endpoint_from_env())
        .await
        .map_err(|e| failure(e.to_string()))?;
    match choices.initial {
        Environment::Profile { profile, .. } if choices.has_credentials => {
            Ok(Environment::Profile { profile, region })
        }
        _ => Err(usage(
            "no AWS credentials found: pass --profile P, or --emulator for the local emulator",
        )),
    }
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

/// One line on standard output; a closed pipe (`| head`) must not stop a
/// run: the journal matters, the lines do not.
fn say(text: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

fn print_event(e: &ProgressEvent) {
    let id = e
        .resource_id
        .as_deref()
        .map(|r| format!(" [{r}]"))
        .unwrap_or_default();
    say(format_args!(
        "{:>8.1}s  {:<50} {:<9} {:>7.1}s  {}{id}",
        f64::from(e.run_elapsed_ms) / 1000.0,
        e.step_id,
        state_word(&e.state),
        f64::from(e.elapsed_ms) / 1000.0,
        e.message
    ));
}

/// Runs `work` with progress lines printed and Ctrl-C turned into a cancel.
async fn run_printing<F, Fut>(
    session: crate::aws::AwsSession,
    journal_dir: PathBuf,
    config: EngineConfig,
    work: F,
) -> Result<RunReport, ProvisionError>
where
    F: FnOnce(Provisioner) -> Fut,
    Fut: std::future::Future<Output = Result<RunReport, ProvisionError>>,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let cancel = Cancellation::new();
    let mut provisioner = Provisioner::new(session, journal_dir);
    provisioner.events = Some(tx);
    provisioner.cancel = cancel.clone();
    provisioner.config = config;
    let printer = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            print_event(&event);
        }
    });
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("interrupted: stopping after the calls in flight (Ctrl-C again to kill)");
            cancel.cancel();
            let _ = tokio::signal::ctrl_c().await;
            std::process::exit(130);
        }
    });
    let result = work(provisioner).await;
    interrupt.abort();
    // The provisioner (and its sender) is gone: the printer drains and ends.
    let _ = printer.await;
    result
}

fn report_outcome(
    verb: &str,
    spec_path: &std::path::Path,
    result: Result<RunReport, ProvisionError>,
) -> Result<(), Stop> {
    match result {
        Ok(report) => {
            say(format_args!(
                "\n{verb}: {} steps ({} waves on the critical path) in {:.1} s; journal {} ({} writes)",
                report.steps,
                report.waves,
                report.wall.as_secs_f64(),
                report.journal_path.display(),
                report.journal_writes
            ));
            Ok(())
        }
        Err(e @ (ProvisionError::MissingSpecId | ProvisionError::BadSpecId(_))) => {
            Err(usage(e.to_string()))
        }
        Err(ProvisionError::Cancelled) => Err(failure(format!(
            "cancelled; `eks-desk resume --spec {}` continues where this stopped.",
            spec_path.display()
        ))),
        Err(e) => {
            let resumable = !matches!(e, ProvisionError::NoJournal { .. });
            let hint = if resumable {
                format!(
                    "\nThe journal is kept: `eks-desk resume --spec {}` continues where this stopped.",
                    spec_path.display()
                )
            } else {
                String::new()
            };
            Err(failure(format!("{e}{hint}")))
        }
    }
}

pub async fn apply(args: RunArgs) -> i32 {
    finish(apply_inner(args).await)
}

async fn apply_inner(args: RunArgs) -> Result<(), Stop> {
    let spec = read_spec(&args.spec).map_err(usage)?;
    if spec.id.is_empty() {
        return Err(usage(ProvisionError::MissingSpecId.to_string()));
    }
    let env = environment(&args, &spec, None).await?;
    let sessions = Sessions::new(local_emulator::endpoint_from_env());
    let cache = FactsCache::default();
    let checked = check::check_in_account(&sessions, &cache, Some(&env), &spec).await;
    for note in &checked.account.notes {
        eprintln!("note: {note}");
    }
    let errors: Vec<String> = checked
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| format!("  {}: {}", i.field, i.message))
        .collect();
    if !errors.is_empty() {
        return Err(failure(format!(
            "the spec has errors; nothing was changed:\n{}",
            errors.join("\n")
        )));
    }
    if !checked.account.checked {
        return Err(failure(
            "the account could not be read (see the note above); nothing was changed",
        ));
    }
    let facts = cache
        .gather(&sessions, &env, &spec)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let planned = plan::build(&spec, &facts.existing);
    let conflicts: Vec<String> = planned
        .conflicts()
        .map(|s| format!("  {}: {}", s.id, s.note.clone().unwrap_or_default()))
        .collect();
    if !conflicts.is_empty() {
        return Err(failure(
            ProvisionError::PlanConflicts(conflicts).to_string(),
        ));
    }
    let session = sessions
        .get(&env)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let dir = args.journal_dir.clone().unwrap_or_else(default_journal_dir);
    say(format_args!(
        "Applying {} ({} steps) in {}; journal in {}",
        spec.cluster.name,
        planned.steps.len(),
        env.region(),
        dir.display()
    ));
    let result = run_printing(session, dir, args.config(), |p| async move {
        p.apply(&spec).await
    })
    .await;
    report_outcome("applied", &args.spec, result)
}

pub async fn resume(args: RunArgs) -> i32 {
    finish(resume_inner(args).await)
}

async fn resume_inner(args: RunArgs) -> Result<(), Stop> {
    let spec = read_spec(&args.spec).map_err(usage)?;
    crate::provision::journal::check_spec_id(&spec.id).map_err(|e| usage(e.to_string()))?;
    let dir = args.journal_dir.clone().unwrap_or_else(default_journal_dir);
    let journal = crate::provision::journal::JournalFile::load(&dir, &spec.id)
        .map_err(|e| failure(e.to_string()))?
        .ok_or_else(|| {
            failure(
                ProvisionError::NoJournal {
                    spec_id: spec.id.clone(),
                    dir: dir.display().to_string(),
                }
                .to_string(),
            )
        })?;
    let recorded = journal.journal().clone();
    if recorded.spec != spec {
        eprintln!(
            "note: the spec file changed since the run started; resuming with the spec in the journal (apply again afterwards to use the new one)"
        );
    }
    let env = environment(&args, &recorded.spec, recorded.environment.clone()).await?;
    let sessions = Sessions::new(local_emulator::endpoint_from_env());
    let session = sessions
        .get(&env)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let verb = match recorded.operation {
        crate::provision::Operation::Apply => "applied",
        crate::provision::Operation::Destroy => "destroyed",
    };
    say(format_args!(
        "Resuming the {} of {} ({} of {} steps done)",
        if verb == "applied" {
            "apply"
        } else {
            "destroy"
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
    let result = run_printing(session, dir, args.config(), |p| async move {
        p.resume(&id).await
    })
    .await;
    report_outcome(verb, &args.spec, result)
}

pub async fn destroy(args: DestroyArgs) -> i32 {
    finish(destroy_inner(args).await)
}

fn confirmed(spec: &ClusterSpec) -> bool {
    eprintln!(
        "This deletes everything EKS Desk created for spec {} (cluster {} in {}); resources it did not create are left alone.",
        spec.id, spec.cluster.name, spec.cluster.region
    );
    eprint!("Type the cluster name to confirm: ");
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    matches!(read, Ok(n) if n > 0) && line.trim() == spec.cluster.name
}

async fn destroy_inner(args: DestroyArgs) -> Result<(), Stop> {
    let spec = read_spec(&args.run.spec).map_err(usage)?;
    crate::provision::journal::check_spec_id(&spec.id).map_err(|e| usage(e.to_string()))?;
    let env = environment(&args.run, &spec, None).await?;
    if !args.yes && !confirmed(&spec) {
        return Err(failure("not confirmed; nothing was deleted"));
    }
    let sessions = Sessions::new(local_emulator::endpoint_from_env());
    let session = sessions
        .get(&env)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let dir = args
        .run
        .journal_dir
        .clone()
        .unwrap_or_else(default_journal_dir);
    say(format_args!(
        "Destroying what EKS Desk created for {} in {}; journal in {}",
        spec.cluster.name,
        env.region(),
        dir.display()
    ));
    let result = run_printing(session, dir, args.run.config(), |p| async move {
        p.destroy(&spec).await
    })
    .await;
    report_outcome("destroyed", &args.run.spec, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_journal_folder_is_in_the_apps_data_folder() {
        let dir = default_journal_dir();
        assert!(
            dir.ends_with("dev.eksdesk.app/journals"),
            "{}",
            dir.display()
        );
    }
}

//! `validate`, `plan`, `export` and `init`: the Create form without a window.

use crate::aws::{environments, local_emulator, regions, Environment, Sessions};
use crate::spec::check::{self, SpecCheck};
use crate::spec::export::{eksctl, terraform};
use crate::spec::lookup::FactsCache;
use crate::spec::plan::{self, StepAction};
use crate::spec::validate::Severity;
use crate::spec::{yaml, ClusterSpec};
use std::path::{Path, PathBuf};

/// How a spec command ended: 0 fine, 1 the spec has errors, 2 the file or
/// the command line is wrong.
pub enum Outcome {
    Ok,
    SpecErrors,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Terraform,
    Eksctl,
}

#[derive(Debug, clap::Args)]
pub struct SpecArgs {
    /// The cluster spec (YAML), e.g. examples/seed-cluster.yaml.
    #[arg(long)]
    pub spec: PathBuf,
    /// AWS profile to check the spec against (read only).
    #[arg(long, conflicts_with_all = ["emulator", "offline"])]
    pub profile: Option<String>,
    /// Region to check in; must match the spec's region when both are given.
    #[arg(long)]
    pub region: Option<String>,
    /// Check against the local AWS emulator.
    #[arg(long, conflicts_with = "offline")]
    pub emulator: bool,
    /// Do not read the account: built-in knowledge only.
    #[arg(long)]
    pub offline: bool,
}

pub fn read_spec(path: &Path) -> Result<ClusterSpec, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    yaml::from_yaml(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The account to check in, if any: `--profile`/`--emulator`, else the
/// environment the app would start on when it has credentials.
async fn environment(args: &SpecArgs, spec: &ClusterSpec) -> Result<Option<Environment>, String> {
    if let Some(region) = &args.region {
        if region != &spec.cluster.region {
            return Err(format!(
                "the spec's region is {} but --region says {region}",
                spec.cluster.region
            ));
        }
    }
    let region = spec.cluster.region.clone();
    if args.offline {
        return Ok(None);
    }
    if args.emulator {
        return Ok(Some(Environment::Emulator { region }));
    }
    if let Some(profile) = &args.profile {
        return Ok(Some(Environment::Profile {
            profile: profile.clone(),
            region,
        }));
    }
    let choices = environments::choices(&local_emulator::endpoint_from_env())
        .await
        .map_err(|e| e.to_string())?;
    Ok(match choices.initial {
        Environment::Profile { profile, .. } if choices.has_credentials => {
            Some(Environment::Profile { profile, region })
        }
        _ => None,
    })
}

async fn checked(args: &SpecArgs) -> Result<(ClusterSpec, SpecCheck, Option<Environment>), String> {
    let spec = read_spec(&args.spec)?;
    let env = environment(args, &spec).await?;
    let sessions = Sessions::new(local_emulator::endpoint_from_env());
    let cache = FactsCache::default();
    let result = check::check_in_account(&sessions, &cache, env.as_ref(), &spec).await;
    Ok((spec, result, env))
}

fn print_check(result: &SpecCheck) {
    for note in &result.account.notes {
        eprintln!("note: {note}");
    }
    for issue in &result.issues {
        let level = match issue.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        println!("{level:<8} {}: {}", issue.field, issue.message);
    }
    if !result.ip_guard.is_empty() {
        println!(
            "\n{:<16} {:<16} {:>7} {:>9} {:>9} {:>9}",
            "subnet", "zone", "usable", "cp ENIs*", "node IPs", "headroom"
        );
        for s in &result.ip_guard {
            println!(
                "{:<16} {:<16} {:>7} {:>9} {:>9} {:>9}",
                s.cidr,
                s.availability_zone,
                s.usable_ips,
                s.control_plane_enis_during_upgrade,
                s.node_ips_at_max_scale,
                s.headroom
            );
        }
        println!("* control-plane ENIs during a Kubernetes upgrade; node IPs at max scaling");
    }
}

pub async fn validate(args: SpecArgs) -> Result<Outcome, String> {
    let (_, result, _) = checked(&args).await?;
    print_check(&result);
    let errors = result.errors().count();
    let warnings = result.issues.len() - errors;
    println!("\n{errors} error(s), {warnings} warning(s)");
    Ok(if errors == 0 {
        Outcome::Ok
    } else {
        Outcome::SpecErrors
    })
}

pub async fn plan(args: SpecArgs) -> Result<Outcome, String> {
    let (spec, result, env) = checked(&args).await?;
    if result.errors().next().is_some() {
        print_check(&result);
        return Ok(Outcome::SpecErrors);
    }
    let existing = match &env {
        Some(env) => {
            let sessions = Sessions::new(local_emulator::endpoint_from_env());
            FactsCache::default()
                .gather(&sessions, env, &spec)
                .await
                .map(|f| f.existing)
                .unwrap_or_default()
        }
        None => Default::default(),
    };
    let plan = plan::build(&spec, &existing);
    for (i, wave) in plan.waves().iter().enumerate() {
        println!("wave {}:", i + 1);
        for step in wave {
            let action = match step.action {
                StepAction::Create => "create",
                StepAction::Reuse => "reuse",
                StepAction::Conflict => "CONFLICT",
            };
            let note = step
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            println!("  {action:<8} {:<28} {}{note}", step.id, step.detail);
        }
    }
    let conflicts = plan.conflicts().count();
    println!(
        "\n{} step(s) in {} wave(s), {conflicts} conflict(s)",
        plan.steps.len(),
        plan.waves().len()
    );
    Ok(if conflicts == 0 {
        Outcome::Ok
    } else {
        Outcome::SpecErrors
    })
}

pub fn export(
    spec_path: &Path,
    format: ExportFormat,
    out: Option<&Path>,
) -> Result<Outcome, String> {
    let spec = read_spec(spec_path)?;
    let text = match format {
        ExportFormat::Terraform => terraform::render(&spec),
        ExportFormat::Eksctl => eksctl::render(&spec),
    };
    match out {
        Some(path) => {
            crate::spec::store::write_atomically(path, &text).map_err(|e| e.to_string())?
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Ok)
}

pub fn init(region: Option<&str>, out: Option<&Path>) -> Result<Outcome, String> {
    let region = region.unwrap_or(regions::FALLBACK);
    let text = yaml::to_yaml(&ClusterSpec::new_for_region(region)).map_err(|e| e.to_string())?;
    match out {
        Some(path) => {
            crate::spec::store::write_atomically(path, &text).map_err(|e| e.to_string())?
        }
        None => print!("{text}"),
    }
    Ok(Outcome::Ok)
}

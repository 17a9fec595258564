//! `validate`, `plan`, `export` and `init`: the Create form without a window.

use super::environment::{environment_choices, sessions, EnvironmentArgs};
use super::{CliError, Finished, OutputArgs};
use crate::aws::environments;
use crate::aws::Environment;
use crate::spec::check::SpecCheck;
use crate::spec::cost::{CostEstimate, PricePer};
use crate::spec::export::{self, ExportFormat};
use crate::spec::in_account::{self, PlannedSpec};
use crate::spec::lookup::FactsCache;
use crate::spec::plan::StepAction;
use crate::spec::validate::Severity;
use crate::spec::{yaml, ClusterSpec};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct SpecArgs {
    /// The cluster spec (YAML), e.g. examples/seed-cluster.yaml.
    #[arg(long)]
    pub spec: PathBuf,
    #[command(flatten)]
    pub env: EnvironmentArgs,
    /// Do not read the account: built-in knowledge only.
    #[arg(long, conflicts_with_all = ["profile", "emulator"])]
    pub offline: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    #[arg(long)]
    pub spec: PathBuf,
    /// terraform, eksctl or yaml.
    #[arg(long, default_value = "terraform")]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn read_spec(path: &Path) -> Result<ClusterSpec, CliError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadFile {
        path: shown.clone(),
        source,
    })?;
    yaml::from_yaml(&text).map_err(|source| CliError::SpecFile {
        path: shown,
        source,
    })
}

/// The account to check in: `--profile`/`--emulator`, else the one the
/// app would start on when it has credentials; `None` = offline.
async fn environment(args: &SpecArgs, spec: &ClusterSpec) -> Result<Option<Environment>, CliError> {
    let choices = environment_choices().await?;
    let env = environments::resolve_in(&args.env.request(), &choices, &spec.cluster.region)?;
    Ok(if args.offline { None } else { env })
}

fn print_check(result: &SpecCheck) {
    if let Some(reason) = &result.account.offline_reason {
        eprintln!("note: {reason}");
    }
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

pub async fn validate(args: SpecArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.spec)?;
    let env = environment(&args, &spec).await?;
    let result = in_account::check(&sessions(), &FactsCache::default(), env.as_ref(), &spec).await;
    let errors = result.errors().count();
    args.output.print(&result, |_| {
        print_check(&result);
        let warnings = result.issues.len() - errors;
        println!("\n{errors} error(s), {warnings} warning(s)");
    });
    Ok(if errors == 0 {
        Finished::Done
    } else {
        Finished::Refused
    })
}

fn print_plan(planned: &PlannedSpec) {
    print_check(&planned.check);
    let plan = &planned.plan;
    for (i, wave) in plan.waves().iter().enumerate() {
        println!("wave {}:", i + 1);
        for step in wave {
            let action = match step.action {
                StepAction::Create => "create",
                StepAction::Reuse => "reuse",
                StepAction::Replace => "REPLACE",
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
    let conflicts = if planned.check.account.checked {
        format!("{} conflict(s)", plan.conflicts().count())
    } else {
        "conflicts not checked (the account was not read)".to_string()
    };
    println!(
        "\n{} step(s) in {} wave(s), {conflicts}",
        plan.steps.len(),
        plan.waves().len()
    );
    if let Some(why) = &planned.apply_blocked_by {
        println!("Cannot be applied as it stands: {why}");
    }
    print_cost(&planned.cost);
}

/// The estimate's lines, money first, then its total with the label that
/// says it is an estimate, and what it leaves out.
fn print_cost(cost: &CostEstimate) {
    print!("{}", cost_text(cost));
}

fn cost_text(cost: &CostEstimate) -> String {
    let money = |usd: f64| format!("${usd:.2}");
    let mut out = format!("\nMonthly cost ({}):\n", cost.label);
    for line in &cost.lines {
        let per = match line.per {
            PricePer::Hour => "hour",
            PricePer::Month => "month",
        };
        out += &format!(
            "  {:>11}  {}: {} × {} at ${:.4}/{per}\n",
            money(line.monthly_usd),
            line.what,
            line.quantity,
            line.unit,
            line.unit_price_usd
        );
        if let Some(note) = &line.note {
            out += &format!("  {:>11}  {note}\n", "");
        }
    }
    out += &format!(
        "  {:>11}  total of what could be priced, {} per month\n",
        money(cost.total_monthly_usd),
        cost.currency
    );
    out += &format!("Prices: {}.\n", cost.price_source);
    for note in &cost.notes {
        out += &format!("note: {note}\n");
    }
    for item in &cost.unpriced {
        out += &format!("not priced: {item}\n");
    }
    out
}

/// Exit 1 when the plan could not be applied: conflicts, or an account
/// that was asked for and could not be read. `--offline` plans are fine.
pub async fn plan(args: SpecArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.spec)?;
    let env = environment(&args, &spec).await?;
    let planned = in_account::plan(&sessions(), &FactsCache::default(), env.as_ref(), &spec).await;
    let planned = match planned {
        Ok(planned) => planned,
        Err(refused) => {
            if !args.output.json() {
                for issue in &refused.errors {
                    println!("error    {}: {}", issue.field, issue.message);
                }
            }
            return Err(refused.into());
        }
    };
    args.output.print(&planned, |_| print_plan(&planned));
    let refused = planned.apply_blocked_by.is_some() && !(args.offline || env.is_none());
    Ok(if refused {
        Finished::Refused
    } else {
        Finished::Done
    })
}

pub fn export(args: &ExportArgs) -> Result<Finished, CliError> {
    let spec = read_spec(&args.spec)?;
    let text = export::render(&spec, args.format).map_err(|source| CliError::SpecFile {
        path: args.spec.display().to_string(),
        source,
    })?;
    write_or_print(args.out.as_deref(), &text)
}

pub fn init(region: Option<&str>, out: Option<&Path>) -> Result<Finished, CliError> {
    let region = region.unwrap_or(crate::aws::regions::FALLBACK);
    let spec = ClusterSpec::new_for_region(region);
    let text = export::render(&spec, ExportFormat::Yaml).map_err(|source| CliError::SpecFile {
        path: "(new spec)".into(),
        source,
    })?;
    write_or_print(out, &text)
}

fn write_or_print(out: Option<&Path>, text: &str) -> Result<Finished, CliError> {
    match out {
        Some(path) => crate::spec::store::write_atomically(path, text)?,
        None => print!("{text}"),
    }
    Ok(Finished::Done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::cost;

    #[test]
    fn the_plan_prints_the_cost_total_labelled_as_an_estimate() {
        let text = cost_text(&cost::estimate(&ClusterSpec::default()));
        assert!(
            text.contains("Monthly cost (Estimate from list prices as of 2026-12-01"),
            "{text}"
        );
        assert!(
            text.contains(
                "     $73.00  EKS control plane, standard support: 1 × cluster at $0.1000/hour"
            ),
            "{text}"
        );
        assert!(
            text.contains("    $242.14  total of what could be priced, USD per month"),
            "{text}"
        );
        assert!(
            text.contains("not priced: NAT gateway data processing"),
            "{text}"
        );
    }
}

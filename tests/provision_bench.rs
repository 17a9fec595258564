//! Overhead benchmark (not a timed test; `make bench` runs it): applies the
//! seed against the emulator, where AWS answers at once, so what is left is
//! the app's own time. Measures wall time, the process's CPU time (the
//! emulator runs in another process), journal writes and time slept in
//! waits, for the steps run concurrently and one by one; and compares the
//! plan's critical path (waves) with running steps one by one. Writes the
//! table to BENCHMARKS.md.

#[path = "support/bench_report.rs"]
mod bench_report;
#[path = "support/emulator.rs"]
mod emulator;

use eks_desk::aws::{local_emulator, AwsSession};
use eks_desk::provision::{EngineConfig, Provisioner, RunReport};
use eks_desk::spec::model::RoleChoice;
use eks_desk::spec::plan::{self, ResourceKind};
use eks_desk::spec::ClusterSpec;
use std::path::Path;
use std::time::Duration;

const REGION: &str = "ap-northeast-2";
const RUNS: usize = 7;

/// User + system CPU time of this process (Linux: /proc/self/stat).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which is in parentheses).
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on every Linux this runs on.
    Duration::from_millis(ticks * 10)
}

fn spec(name: &str) -> ClusterSpec {
    let mut spec = ClusterSpec::new_for_region(REGION);
    spec.id = format!("bench-{name}");
    spec.cluster.name = name.to_string();
    spec.iam.cluster_role = RoleChoice::Create {
        name: format!("{name}-cluster"),
        vpc_resource_controller: true,
    };
    spec.iam.node_role = RoleChoice::Create {
        name: format!("{name}-node"),
        vpc_resource_controller: false,
    };
    spec
}

struct Sample {
    report: RunReport,
    cpu: Duration,
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Minutes a step takes on AWS, typically (for the critical-path model).
fn aws_minutes(kind: ResourceKind) -> f64 {
    match kind {
        ResourceKind::Cluster => 12.0,
        ResourceKind::NodeGroup => 4.0,
        ResourceKind::Addon => 1.0,
        _ => 0.05,
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with `make bench`"]
async fn apply_overhead() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let credentials = local_emulator::sign_in(&emu.url, REGION).await.unwrap();
    let session = AwsSession::with_static_credentials(&emu.url, REGION, credentials).await;
    let dir = tempfile::tempdir().unwrap();

    let mut rows = Vec::new();
    for (mode, max_concurrency) in [("concurrent (waves)", 0), ("one by one", 1)] {
        let mut samples = Vec::new();
        for run in 0..=RUNS {
            let spec = spec(&format!("b{max_concurrency}x{run}"));
            let mut p = Provisioner::new(session.clone(), dir.path().to_path_buf());
            p.config = EngineConfig {
                max_concurrency,
                ..EngineConfig::quick()
            };
            let before = cpu_time();
            let report = p.apply(&spec).await.unwrap();
            let cpu = cpu_time() - before;
            // The first run warms connections and caches; not counted.
            if run > 0 {
                samples.push(Sample { report, cpu });
            }
        }
        let first = &samples[0].report;
        let rounds = if max_concurrency == 1 {
            first.steps
        } else {
            first.waves
        };
        rows.push(format!(
            "| {mode} | {} | {rounds} | {} | {} | {} | {} | {} |",
            first.steps,
            ms(median(samples.iter().map(|s| s.report.wall).collect())),
            ms(median(samples.iter().map(|s| s.cpu).collect())),
            first.journal_writes,
            ms(median(
                samples.iter().map(|s| s.report.journal_time).collect()
            )),
            ms(median(samples.iter().map(|s| s.report.waited).collect())),
        ));
    }

    // Critical path on AWS, modelled with typical durations per kind.
    let plan = plan::build(&spec("model"), &Default::default());
    let mut finish: std::collections::HashMap<&str, f64> = Default::default();
    for step in &plan.steps {
        let start = step
            .depends_on
            .iter()
            .map(|d| finish[d.as_str()])
            .fold(0.0, f64::max);
        finish.insert(&step.id, start + aws_minutes(step.kind));
    }
    let critical = finish.values().cloned().fold(0.0, f64::max);
    let serial: f64 = plan.steps.iter().map(|s| aws_minutes(s.kind)).sum();

    let table = format!(
        "## Provisioning overhead (`make bench`)\n\n\
         The seed's spec applied against the local emulator (ministack, no\n\
         Docker: every resource is ready at once), so the time left is the\n\
         app's own: signing and sending requests, journal writes, scheduling.\n\
         Median of {RUNS} applies after one warm-up, debug build, 2 cores.\n\
         *CPU* is this process's user + system time during the apply (the\n\
         emulator is another process): the app's own time, excluding every\n\
         wait. *Slept* is time steps spent between status polls (20 ms first\n\
         poll here; 5 s on AWS).\n\n\
         *Rounds* is how many steps follow one another: the plan's waves\n\
         (its critical path) when ready steps run together.\n\n\
         | mode | steps | rounds | wall | CPU | journal writes | journal time | slept in waits |\n\
         |---|---|---|---|---|---|---|---|\n\
         {}\n\n\
         ## Critical path on AWS (model)\n\n\
         The same plan with typical AWS durations (cluster 12 min, node group\n\
         4 min, addon 1 min, anything else 3 s): running ready steps together\n\
         takes the longest dependency chain; one by one takes the sum.\n\n\
         | | minutes |\n|---|---|\n\
         | one by one (sum of {} steps) | {serial:.1} |\n\
         | concurrent (critical path, {} waves) | {critical:.1} |\n",
        rows.join("\n"),
        plan.steps.len(),
        plan.waves().len(),
    );
    println!("{table}");
    bench_report::write_section("provisioning", &table);
}

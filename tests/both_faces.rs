//! The window and the command line apply the same rules: for each user
//! operation, what the window's command returns (the domain function, with
//! its error turned into the `AppError` the UI gets) equals what `eks-desk
//! … --output json` prints for the same input, against the same emulator.

#[path = "support/emulator.rs"]
mod emulator;

use eks_desk::aws::{self, Environment, Sessions};
use eks_desk::commands::AppError;
use eks_desk::provision::{operations, Runs};
use eks_desk::spec::export::{self, ExportFormat};
use eks_desk::spec::in_account;
use eks_desk::spec::lookup::FactsCache;
use eks_desk::spec::{yaml, ClusterSpec};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const REGION: &str = "ap-northeast-2";

/// The emulator, and the command line pointed at it.
struct Faces {
    emulator: emulator::Emulator,
    home: tempfile::TempDir,
}

impl Faces {
    fn start() -> Self {
        Self {
            emulator: emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR"))),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_eks-desk"))
            .args(args)
            .env("HOME", self.home.path())
            .env("AWS_ENDPOINT_URL", &self.emulator.url)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("XDG_DATA_HOME")
            .output()
            .unwrap()
    }

    /// What the window's commands use: sessions for the emulator. (Each
    /// sign-in there retires the key before last, so the window's side
    /// signs in again after the command line did.)
    fn sessions(&self) -> Sessions {
        Sessions::new(self.emulator.url.clone())
    }

    fn spec_file(&self, spec: &ClusterSpec) -> PathBuf {
        let path = self.home.path().join(format!("{}.yaml", spec.cluster.name));
        std::fs::write(&path, yaml::to_yaml(spec).unwrap()).unwrap();
        path
    }
}

fn env() -> Environment {
    Environment::Emulator {
        region: REGION.into(),
    }
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON on stdout ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "no error JSON on stderr ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn spec_named(name: &str) -> ClusterSpec {
    let mut spec = ClusterSpec::new_for_region(REGION);
    spec.cluster.name = name.to_string();
    spec
}

#[tokio::test(flavor = "multi_thread")]
async fn clusters_check_plan_and_export_agree() {
    let faces = Faces::start();

    // A cluster of the spec's name that the app did not make: the plan
    // conflicts in both faces.
    let theirs = spec_named("theirs");
    let seed =
        std::process::Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"))
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/seed_emulator.py"))
            .args([&faces.emulator.url, REGION, "theirs"])
            .output()
            .unwrap();
    assert!(seed.status.success(), "{seed:?}");

    // List clusters.
    let window = aws::clusters::list(&faces.sessions().get(&env()).await.unwrap())
        .await
        .unwrap();
    let cli = faces.cli(&[
        "clusters",
        "--emulator",
        "--region",
        REGION,
        "--output",
        "json",
    ]);
    assert_eq!(cli.status.code(), Some(0));
    assert_eq!(stdout_json(&cli), serde_json::to_value(&window).unwrap());
    assert_eq!(window.len(), 1);

    // Check.
    let file = faces.spec_file(&theirs);
    let window = in_account::check(
        &faces.sessions(),
        &FactsCache::default(),
        Some(&env()),
        &theirs,
    )
    .await;
    let cli = faces.cli(&[
        "validate",
        "--spec",
        file.to_str().unwrap(),
        "--emulator",
        "--output",
        "json",
    ]);
    assert_eq!(stdout_json(&cli), serde_json::to_value(&window).unwrap());
    assert!(window.account.checked, "checked against the emulator");
    // "theirs" exists and is not the spec's: an error in both faces.
    assert_eq!(cli.status.code(), Some(1));
    assert!(window.errors().any(|e| e.field == "cluster.name"));

    // Plan, with the name fixed: same steps, same verdict.
    let mine = spec_named("mine");
    let file = faces.spec_file(&mine);
    let window = in_account::plan(
        &faces.sessions(),
        &FactsCache::default(),
        Some(&env()),
        &mine,
    )
    .await
    .unwrap();
    let cli = faces.cli(&[
        "plan",
        "--spec",
        file.to_str().unwrap(),
        "--emulator",
        "--output",
        "json",
    ]);
    assert_eq!(
        cli.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(stdout_json(&cli), serde_json::to_value(&window).unwrap());
    assert_eq!(window.apply_blocked_by, None);

    // Plan of a spec with errors: refused with the same error and field.
    let mut broken = spec_named("broken");
    broken.node_groups[0].max_size = 0;
    let file = faces.spec_file(&broken);
    let window = AppError::from(
        in_account::plan(
            &faces.sessions(),
            &FactsCache::default(),
            Some(&env()),
            &broken,
        )
        .await
        .unwrap_err(),
    );
    let cli = faces.cli(&[
        "plan",
        "--spec",
        file.to_str().unwrap(),
        "--emulator",
        "--output",
        "json",
    ]);
    assert_eq!(cli.status.code(), Some(1));
    assert_eq!(stderr_json(&cli), serde_json::to_value(&window).unwrap());
    assert_eq!(window.field.as_deref(), Some("nodeGroups[0].maxSize"));

    // Export: the same text.
    let file = faces.spec_file(&mine);
    let cli = faces.cli(&[
        "export",
        "--spec",
        file.to_str().unwrap(),
        "--format",
        "eksctl",
    ]);
    assert_eq!(
        String::from_utf8(cli.stdout).unwrap(),
        export::render(&mine, ExportFormat::Eksctl).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_and_resume_refuse_alike() {
    let faces = Faces::start();
    let sessions = faces.sessions();
    let journals = faces.home.path().join("journals");
    let runs = Runs::new(journals.clone());

    // A spec with an error: refused before anything is made, with the
    // message the window shows.
    let mut broken = spec_named("broken");
    broken.network.control_plane_subnets[0].cidr = "10.0.0.300/28".into();
    let window = AppError::from(
        operations::apply(
            &runs,
            &sessions,
            &FactsCache::default(),
            &env(),
            &broken,
            |_| {},
        )
        .await
        .unwrap_err(),
    );
    let file = faces.spec_file(&broken);
    let cli = faces.cli(&[
        "apply",
        "--spec",
        file.to_str().unwrap(),
        "--emulator",
        "--journal-dir",
        journals.to_str().unwrap(),
    ]);
    assert_eq!(cli.status.code(), Some(1));
    let said = String::from_utf8_lossy(&cli.stderr);
    assert!(
        said.contains(&window.message),
        "{said}\nwindow: {}",
        window.message
    );
    assert_eq!(
        window.field.as_deref(),
        Some("network.controlPlaneSubnets[0].cidr")
    );

    // Nothing to resume: the same message from both.
    let never = spec_named("never");
    let window = AppError::from(
        operations::resume(&runs, &sessions, &never.id, None, |_| {})
            .await
            .unwrap_err(),
    );
    let file = faces.spec_file(&never);
    let cli = faces.cli(&[
        "resume",
        "--spec",
        file.to_str().unwrap(),
        "--journal-dir",
        journals.to_str().unwrap(),
    ]);
    assert_eq!(cli.status.code(), Some(1));
    let said = String::from_utf8_lossy(&cli.stderr);
    assert!(
        said.contains(&window.message),
        "{said}\nwindow: {}",
        window.message
    );
}

//! `eks-desk validate|plan|export|init` as a script would use them.

#[path = "support/emulator.rs"]
mod emulator;

use std::path::Path;
use std::process::{Command, Output};

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed-cluster.yaml");

fn eks_desk(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eks-desk"));
    cmd.args(args)
        .env("HOME", home.path())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_ENDPOINT_URL");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_seed_spec_validates_offline() {
    let out = eks_desk(&["validate", "--spec", SEED, "--offline"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("0 error(s)"), "{}", text(&out));
    assert!(
        text(&out).contains("10.0.0.192/28"),
        "the IP guard table is printed"
    );
}

#[test]
fn an_invalid_spec_prints_field_errors_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let broken = std::fs::read_to_string(SEED)
        .unwrap()
        .replace("10.0.0.208/28", "10.0.0.300/28")
        .replace("maxSize: 3", "maxSize: 0");
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, broken).unwrap();
    let out = eks_desk(
        &["validate", "--spec", path.to_str().unwrap(), "--offline"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("network.controlPlaneSubnets[1].cidr"), "{t}");
    assert!(t.contains("nodeGroups[0].maxSize"), "{t}");
}

#[test]
fn a_broken_file_exits_2_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "apiVersion: eksdesk.dev/v1\ncluster:\n  nmae: x\n").unwrap();
    let out = eks_desk(
        &["validate", "--spec", path.to_str().unwrap(), "--offline"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("line 3"), "{}", text(&out));
}

#[test]
fn export_writes_terraform_and_eksctl() {
    let tf = eks_desk(&["export", "--spec", SEED, "--format", "terraform"], &[]);
    assert_eq!(tf.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&tf.stdout).contains("resource \"aws_eks_cluster\""));
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("cluster.yaml");
    let ek = eks_desk(
        &[
            "export",
            "--spec",
            SEED,
            "--format",
            "eksctl",
            "--out",
            out_path.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(ek.status.code(), Some(0), "{}", text(&ek));
    assert!(std::fs::read_to_string(out_path)
        .unwrap()
        .contains("kind: ClusterConfig"));
}

#[test]
fn init_writes_a_spec_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.yaml");
    let out = eks_desk(
        &[
            "init",
            "--region",
            "eu-west-1",
            "--out",
            path.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let check = eks_desk(
        &["validate", "--spec", path.to_str().unwrap(), "--offline"],
        &[],
    );
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("eu-west-1a"));
}

#[test]
fn plan_reads_the_emulator_and_lists_waves() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = eks_desk(
        &["plan", "--spec", SEED, "--emulator"],
        &[("AWS_ENDPOINT_URL", &emu.url)],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("wave 1:") && t.contains("create   cluster/my-eks"),
        "{t}"
    );
    assert!(t.contains("0 conflict(s)"), "{t}");
    // The region flag must agree with the spec.
    let wrong = eks_desk(
        &[
            "plan",
            "--spec",
            SEED,
            "--emulator",
            "--region",
            "eu-west-1",
        ],
        &[("AWS_ENDPOINT_URL", &emu.url)],
    );
    assert_eq!(wrong.status.code(), Some(2));
}

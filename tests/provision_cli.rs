//! `eks-desk apply|resume|destroy` as built, against the emulator: killed
//! after every journal write in turn and resumed without duplicates;
//! destroyed after a failure at several points, removing exactly what it
//! owns; refusing specs with errors, plans with conflicts, and an
//! unconfirmed destroy.

#[path = "support/architecture.rs"]
mod architecture;
#[path = "support/emulator.rs"]
mod emulator;

use aws_credential_types::Credentials;
use eks_desk::aws::AwsSession;
use eks_desk::provision::{EngineConfig, Provisioner};
use eks_desk::spec::model::RoleChoice;
use eks_desk::spec::{yaml, ClusterSpec};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

const REGION: &str = "ap-northeast-2";
/// The variable the app's test builds once read to crash themselves; a
/// normal build must ignore it.
const OLD_CRASH_HOOK: &str = "EKS_DESK_TEST_CRASH_AFTER";
/// What the crash child is told: emulator URL, spec file, journal folder
/// and after which journal write to die, tab-separated.
const CHILD_TASK: &str = "EKS_DESK_CRASH_CHILD_TASK";

struct Cli {
    url: String,
    home: tempfile::TempDir,
    journals: PathBuf,
}

impl Cli {
    fn new(url: &str) -> Self {
        let home = tempfile::tempdir().unwrap();
        let journals = home.path().join("journals");
        Self {
            url: url.to_string(),
            home,
            journals,
        }
    }

    fn run(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_eks-desk"));
        cmd.args(args)
            .args(["--emulator", "--poll-ms", "20", "--journal-dir"])
            .arg(&self.journals)
            .env("HOME", self.home.path())
            .env("AWS_ENDPOINT_URL", &self.url)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ACCESS_KEY_ID")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn spec_file(&self, spec: &ClusterSpec) -> PathBuf {
        let path = self.home.path().join(format!("{}.yaml", spec.id));
        std::fs::write(&path, yaml::to_yaml(spec).unwrap()).unwrap();
        path
    }

    /// Applies `spec_file` in a child process that exits with status 137
    /// (as if killed) right after its `n`-th journal write.
    fn apply_killed_after(&self, spec_file: &str, n: usize) -> Output {
        let task = format!(
            "{}\t{spec_file}\t{}\t{n}",
            self.url,
            self.journals.display()
        );
        Command::new(std::env::current_exe().unwrap())
            .args(["crash_child", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_TASK, task)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

/// Not a test of its own: the crash tests run this test binary again with
/// only this test selected, so that an apply happens in a process that
/// dies right after a chosen journal write. Without its task it fails.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "the crash tests' child process: run by them, with its task"]
async fn crash_child() {
    let task = std::env::var(CHILD_TASK).expect("run by the crash tests, with a task");
    let [url, spec_file, journals, n]: [&str; 4] = task
        .split('\t')
        .collect::<Vec<_>>()
        .try_into()
        .expect("url, spec, journals, n");
    let spec = yaml::from_yaml(&std::fs::read_to_string(spec_file).unwrap()).unwrap();
    let crash_after: usize = n.parse().unwrap();
    let session = eks_desk::aws::local_emulator::session(url, REGION)
        .await
        .unwrap();
    let mut provisioner = Provisioner::new(session, PathBuf::from(journals));
    provisioner.config = EngineConfig::quick();
    provisioner.journal_hook = Some(Arc::new(move |writes| {
        if writes == crash_after {
            std::process::exit(137);
        }
    }));
    let report = provisioner.apply(&spec).await.unwrap();
    panic!(
        "the apply ended after {} journal writes, before write {crash_after}",
        report.journal_writes
    );
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The seed under other names, so that many specs share one emulator.
fn named_spec(name: &str) -> ClusterSpec {
    let mut spec = ClusterSpec::new_for_region(REGION);
    spec.id = format!("spec-{name}");
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

/// Reads with the emulator's root credentials: signing in as the app's
/// user would rotate the key that the next CLI run signs in with.
async fn reader(url: &str) -> AwsSession {
    let root = Credentials::new("test", "test", None, None, "test-reader");
    AwsSession::with_static_credentials(url, REGION, root).await
}

fn caller_arn() -> String {
    format!(
        "arn:aws:iam::000000000000:user/{}",
        eks_desk::aws::local_emulator::LOCAL_USER
    )
}

/// How many journal writes a full apply of a fresh spec makes (the CLI's
/// summary says).
fn journal_writes_of_a_full_apply(cli: &Cli) -> usize {
    let spec = named_spec("count");
    let file = cli.spec_file(&spec);
    // The test-only crash hook of older builds is ignored: the apply ends.
    let out = cli.run(
        &["apply", "--spec", file.to_str().unwrap()],
        &[(OLD_CRASH_HOOK, "1")],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    let writes = t
        .rsplit_once(" writes)")
        .and_then(|(before, _)| before.rsplit_once('(')?.1.parse().ok())
        .unwrap_or_else(|| panic!("no write count in:\n{t}"));
    assert!(writes > 40, "{t}");
    writes
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_after_any_journal_write_resume_finishes_without_duplicates() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let cli = Cli::new(&emu.url);
    let writes = journal_writes_of_a_full_apply(&cli);
    let session = reader(&emu.url).await;

    // Every write in turn: before, during and after the cluster's create.
    for n in 1..=writes {
        let spec = named_spec(&format!("crash{n}"));
        let file = cli.spec_file(&spec);
        let file = file.to_str().unwrap();
        let out = cli.apply_killed_after(file, n);
        assert_eq!(
            out.status.code(),
            Some(137),
            "crash at {n}:\n{}",
            text(&out)
        );
        let out = cli.run(&["resume", "--spec", file], &[], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "resume after crash {n}:\n{}",
            text(&out)
        );
        architecture::assert_seed_architecture(&session, &spec, &caller_arn()).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn destroy_after_a_failure_removes_what_it_owns_and_nothing_else() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let cli = Cli::new(&emu.url);
    let session = reader(&emu.url).await;

    // Things that are not the app's: a VPC with the same CIDR, a role, and
    // a cluster role of the same kind.
    let ec2 = session.ec2();
    let theirs = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .unwrap();
    let their_vpc = theirs.vpc().unwrap().vpc_id().unwrap().to_string();
    ec2.create_subnet()
        .vpc_id(&their_vpc)
        .cidr_block("10.0.0.192/28")
        .availability_zone("ap-northeast-2a")
        .send()
        .await
        .unwrap();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    session
        .iam()
        .create_role()
        .role_name("someone-elses-role")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    session
        .iam()
        .attach_role_policy()
        .role_name("someone-elses-role")
        .policy_arn(eks_desk::aws::arn::managed_policy_arn(
            "aws",
            eks_desk::spec::plan::CLUSTER_POLICY,
        ))
        .send()
        .await
        .unwrap();

    for n in [2, 9, 25, 33, 45] {
        let spec = named_spec(&format!("fail{n}"));
        let file = cli.spec_file(&spec);
        let file = file.to_str().unwrap();
        let out = cli.apply_killed_after(file, n);
        assert_eq!(out.status.code(), Some(137), "{}", text(&out));

        let out = cli.run(&["destroy", "--yes", "--spec", file], &[], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "destroy after {n}:\n{}",
            text(&out)
        );
        architecture::assert_nothing_owned(&session, &spec).await;

        // A second destroy changes nothing and says so.
        let before = snapshot(&session).await;
        let out = cli.run(&["destroy", "--yes", "--spec", file], &[], None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(!text(&out).contains(" deleted"), "{}", text(&out));
        assert_eq!(snapshot(&session).await, before);
    }

    // What was not ours is all still there, unchanged.
    let vpcs = ec2
        .describe_vpcs()
        .vpc_ids(&their_vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(vpcs.vpcs().len(), 1);
    let subnets = ec2
        .describe_subnets()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("vpc-id")
                .values(&their_vpc)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(subnets.subnets().len(), 1);
    assert_eq!(
        architecture::role_policies(&session, "someone-elses-role")
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Every VPC, subnet, role and cluster id in the emulator.
async fn snapshot(session: &AwsSession) -> Vec<String> {
    let mut ids = Vec::new();
    let ec2 = session.ec2();
    for v in ec2.describe_vpcs().send().await.unwrap().vpcs() {
        ids.push(v.vpc_id().unwrap().to_string());
    }
    for s in ec2.describe_subnets().send().await.unwrap().subnets() {
        ids.push(s.subnet_id().unwrap().to_string());
    }
    for r in session.iam().list_roles().send().await.unwrap().roles() {
        ids.push(r.role_name().to_string());
    }
    for c in session
        .eks()
        .list_clusters()
        .send()
        .await
        .unwrap()
        .clusters()
    {
        ids.push(c.clone());
    }
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_refuses_spec_errors_and_conflicts_and_destroy_wants_the_cluster_name() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let cli = Cli::new(&emu.url);
    let session = reader(&emu.url).await;

    // A spec with a field error: nothing is created.
    let mut broken = named_spec("broken");
    broken.node_groups[0].max_size = 0;
    let file = cli.spec_file(&broken);
    let out = cli.run(&["apply", "--spec", file.to_str().unwrap()], &[], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("nodeGroups[0].maxSize"),
        "{}",
        text(&out)
    );
    architecture::assert_nothing_owned(&session, &broken).await;

    // No id: refused as a wrong file.
    let mut no_id = named_spec("noid");
    no_id.id.clear();
    let path = cli.home.path().join("noid.yaml");
    std::fs::write(&path, yaml::to_yaml(&no_id).unwrap()).unwrap();
    let out = cli.run(&["apply", "--spec", path.to_str().unwrap()], &[], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no id"), "{}", text(&out));

    // A role of the spec's name that is not ours: the plan conflicts.
    let conflicted = named_spec("conflicted");
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    session
        .iam()
        .create_role()
        .role_name("conflicted-node")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let file = cli.spec_file(&conflicted);
    let out = cli.run(&["apply", "--spec", file.to_str().unwrap()], &[], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out)
            .contains("role/node: Role conflicted-node exists and was not created by EKS Desk"),
        "{}",
        text(&out)
    );
    architecture::assert_nothing_owned(&session, &conflicted).await;

    // Destroy asks for the cluster name; a wrong answer deletes nothing.
    let spec = named_spec("confirm");
    let file = cli.spec_file(&spec);
    let file = file.to_str().unwrap();
    let out = cli.run(&["apply", "--spec", file], &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("done"), "{}", text(&out));
    let out = cli.run(&["destroy", "--spec", file], &[], Some("not-the-name\n"));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("not confirmed"), "{}", text(&out));
    architecture::assert_seed_architecture(&session, &spec, &caller_arn()).await;
    let out = cli.run(&["destroy", "--spec", file], &[], Some("confirm\n"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    architecture::assert_nothing_owned(&session, &spec).await;

    // Nothing to resume for a spec that never ran.
    let never = named_spec("never");
    let file = cli.spec_file(&never);
    let out = cli.run(&["resume", "--spec", file.to_str().unwrap()], &[], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("Nothing to resume"), "{}", text(&out));
}

//! The provisioning engine against the emulator, in process: the seed's
//! architecture comes out exactly, a second apply changes nothing, a role
//! that is not ours stops the apply, and a cancelled apply can be resumed
//! or destroyed (even with the cluster still CREATING).

#[path = "support/architecture.rs"]
mod architecture;
#[path = "support/emulator.rs"]
mod emulator;

use eks_desk::aws::{AwsSession, Environment, Sessions};
use eks_desk::provision::{
    EngineConfig, ProgressEvent, ProvisionError, Provisioner, RunStatus, StepState,
};
use eks_desk::spec::plan::OWNER_TAG;
use eks_desk::spec::ClusterSpec;
use std::path::Path;
use tokio::sync::mpsc;

const REGION: &str = "ap-northeast-2";

async fn sign_in(emu: &emulator::Emulator) -> AwsSession {
    Sessions::new(emu.url.clone())
        .get(&Environment::Emulator {
            region: REGION.into(),
        })
        .await
        .unwrap()
}

fn provisioner(
    session: &AwsSession,
    dir: &Path,
) -> (Provisioner, mpsc::UnboundedReceiver<ProgressEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut p = Provisioner::new(session.clone(), dir.to_path_buf());
    p.config = EngineConfig::quick();
    p.events = Some(tx);
    (p, rx)
}

fn drain(rx: &mut mpsc::UnboundedReceiver<ProgressEvent>) -> Vec<ProgressEvent> {
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    events
}

async fn caller(session: &AwsSession) -> String {
    eks_desk::aws::identity::caller_identity(session)
        .await
        .unwrap()
        .arn
}

#[tokio::test]
async fn applying_the_seed_creates_exactly_its_architecture_and_a_second_apply_reuses_it() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let session = sign_in(&emu).await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let (p, mut rx) = provisioner(&session, dir.path());

    let report = p.apply(&spec).await.unwrap();
    assert_eq!(
        report.steps, 29,
        "1 VPC, 9 subnets, internet gateway, 2 route tables, elastic IP, NAT gateway, 2 roles, \
         5 attachments, cluster, node group, 3 addons, access entry + policy"
    );
    assert!(report.waves < report.steps / 2, "{report:?}");
    architecture::assert_seed_architecture(&session, &spec, &caller(&session).await).await;

    // Progress: every step went running → done, and the run finished.
    let events = drain(&mut rx);
    let plan = eks_desk::spec::plan::build(&spec, &Default::default());
    for step in &plan.steps {
        let states: Vec<_> = events
            .iter()
            .filter(|e| e.step_id == step.id && e.state != StepState::Running)
            .map(|e| e.state.clone())
            .collect();
        assert_eq!(states, [StepState::Done], "{}", step.id);
    }
    let last = events.last().unwrap();
    assert_eq!(
        (last.step_id.as_str(), &last.state),
        ("run", &StepState::Done)
    );
    assert_eq!(last.steps_done, last.steps_total);
    assert!(eks_desk::provision::find_unfinished(dir.path())
        .unwrap()
        .runs
        .is_empty());

    // Again: nothing new, every step reused or already there.
    let again = p.apply(&spec).await.unwrap();
    assert_eq!(again.steps, report.steps);
    let messages: Vec<String> = drain(&mut rx)
        .into_iter()
        .filter(|e| e.state == StepState::Done && e.step_id != "run")
        .map(|e| e.message)
        .collect();
    assert!(
        messages.iter().all(|m| !m.starts_with("created")),
        "{messages:?}"
    );
    architecture::assert_seed_architecture(&session, &spec, &caller(&session).await).await;
}

#[tokio::test]
async fn a_spec_without_an_id_is_refused_before_anything_happens() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let session = sign_in(&emu).await;
    let dir = tempfile::tempdir().unwrap();
    let (p, _rx) = provisioner(&session, dir.path());
    let spec = ClusterSpec::default();
    assert!(spec.id.is_empty());
    let err = p.apply(&spec).await.unwrap_err();
    assert!(matches!(err, ProvisionError::MissingSpecId), "{err}");
    assert!(err.to_string().contains("no id"), "{err}");
    let vpcs = session.ec2().describe_vpcs().send().await.unwrap();
    assert!(vpcs
        .vpcs()
        .iter()
        .all(|v| v.tags().is_empty() || !v.tags().iter().any(|t| t.key() == Some(OWNER_TAG))));
}

#[tokio::test]
async fn a_role_that_is_not_ours_stops_the_apply_before_what_depends_on_it() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let session = sign_in(&emu).await;
    let spec = ClusterSpec::new_for_region(REGION);
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    session
        .iam()
        .create_role()
        .role_name("AmazonEKSClusterRole-my-eks")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (p, _rx) = provisioner(&session, dir.path());
    let err = p.apply(&spec).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ProvisionError::Conflict { .. }), "{text}");
    assert!(
        text.contains("role/cluster")
            && text.contains(
                "Role AmazonEKSClusterRole-my-eks exists and was not created by EKS Desk"
            ),
        "{text}"
    );

    // Nothing that needs the role was made, and the role was not changed.
    let clusters = session.eks().list_clusters().send().await.unwrap();
    assert!(clusters.clusters().is_empty());
    assert_eq!(
        architecture::role_policies(&session, "AmazonEKSClusterRole-my-eks")
            .await
            .unwrap()
            .len(),
        0
    );
    let runs = eks_desk::provision::find_unfinished(dir.path())
        .unwrap()
        .runs;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Failed);
    assert!(
        runs[0]
            .failure
            .as_deref()
            .unwrap()
            .starts_with("role/cluster: Role AmazonEKSClusterRole-my-eks"),
        "{:?}",
        runs[0].failure
    );
}

#[tokio::test]
async fn cancel_while_the_cluster_is_creating_leaves_a_cancelled_journal_and_destroy_removes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let emu = emulator::Emulator::start_with_slow_control_plane(root, 20);
    let session = sign_in(&emu).await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let (p, mut rx) = provisioner(&session, dir.path());
    let cancel = p.cancel.clone();
    let run = async {
        let result = p.apply(&spec).await;
        result
    };
    let watch = async {
        while let Some(e) = rx.recv().await {
            if e.step_id.starts_with("cluster/") && e.message.contains("CREATING") {
                cancel.cancel();
                return;
            }
        }
    };
    let (result, ()) = tokio::join!(run, watch);
    assert!(
        matches!(result, Err(ProvisionError::Cancelled)),
        "{result:?}"
    );
    let runs = eks_desk::provision::find_unfinished(dir.path())
        .unwrap()
        .runs;
    assert_eq!(runs[0].status, RunStatus::Cancelled);
    let status = session
        .eks()
        .describe_cluster()
        .name("my-eks")
        .send()
        .await
        .unwrap()
        .cluster()
        .unwrap()
        .status()
        .unwrap()
        .as_str()
        .to_string();
    assert_eq!(status, "CREATING");

    let (d, _rx) = provisioner(&session, dir.path());
    d.destroy(&spec).await.unwrap();
    architecture::assert_nothing_owned(&session, &spec).await;
    assert!(eks_desk::provision::find_unfinished(dir.path())
        .unwrap()
        .runs
        .is_empty());
}

#[tokio::test]
async fn the_entry_eks_makes_for_the_creator_is_reused_and_still_gets_its_policy() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let session = sign_in(&emu).await;
    let mut spec = ClusterSpec::new_for_region(REGION);
    spec.access.grant_creator_admin = true;
    let dir = tempfile::tempdir().unwrap();
    let (p, mut rx) = provisioner(&session, dir.path());
    p.apply(&spec).await.unwrap();
    let entry_done = drain(&mut rx)
        .into_iter()
        .find(|e| e.step_id == "access-entry/caller" && e.state == StepState::Done)
        .unwrap();
    assert_eq!(
        entry_done.message,
        "reused the entry EKS made for the cluster's creator"
    );
    architecture::assert_seed_architecture(&session, &spec, &caller(&session).await).await;
}

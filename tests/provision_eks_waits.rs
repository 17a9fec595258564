//! How the engine waits on EKS, with the emulator behind a proxy that plays
//! AWS's slower moments: a role IAM has not propagated yet (CreateCluster
//! answered InvalidParameterException, retried with the same token), and a
//! node group that ends CREATE_FAILED (its health issues shown verbatim).

#[path = "support/emulator.rs"]
mod emulator;
#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use eks_desk::aws::{local_emulator, AwsSession};
use eks_desk::provision::{EngineConfig, ProvisionError, Provisioner, StepState};
use eks_desk::spec::ClusterSpec;
use fault_proxy::{FaultProxy, Hooks, NO_FAULTS};
use std::path::Path;
use std::sync::{Arc, Mutex};

const REGION: &str = "ap-northeast-2";

async fn session_through(emu: &emulator::Emulator, hooks: Hooks) -> (FaultProxy, AwsSession) {
    let credentials = local_emulator::sign_in(&emu.url, REGION).await.unwrap();
    let proxy = FaultProxy::start_with(emu.port, NO_FAULTS, hooks);
    let session = AwsSession::with_static_credentials(&proxy.url, REGION, credentials).await;
    (proxy, session)
}

#[tokio::test]
async fn a_role_iam_has_not_propagated_yet_is_waited_for_with_the_same_token() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let tokens: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen = tokens.clone();
    let intercept: fault_proxy::Intercept = Arc::new(move |head: &str, body: &str| {
        if !head.starts_with("POST /clusters HTTP/1.1") {
            return None;
        }
        let request: serde_json::Value = serde_json::from_str(body).ok()?;
        let mut tokens = seen.lock().unwrap();
        tokens.push(request["clientRequestToken"].as_str()?.to_string());
        // The first two attempts meet a role EKS cannot assume yet.
        (tokens.len() <= 2).then(|| {
            fault_proxy::json_error(
                "400 Bad Request",
                "InvalidParameterException",
                "Role with arn: arn:aws:iam::000000000000:role/AmazonEKSClusterRole-my-eks could not be assumed because it does not exist or the trusted entity is not correct",
            )
        })
    });
    let (_proxy, session) = session_through(
        &emu,
        Hooks {
            intercept: Some(intercept),
            rewrite: None,
        },
    )
    .await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut p = Provisioner::new(session, dir.path().to_path_buf());
    p.config = EngineConfig::quick();
    p.events = Some(tx);
    p.apply(&spec).await.unwrap();

    let tokens = tokens.lock().unwrap().clone();
    assert_eq!(tokens.len(), 3, "two refusals, then the create: {tokens:?}");
    assert!(
        tokens.iter().all(|t| t == &tokens[0]),
        "one token: {tokens:?}"
    );
    let journal: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join(format!("{}.json", spec.id))).unwrap(),
    )
    .unwrap();
    let cluster = journal["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "cluster/my-eks")
        .unwrap();
    assert_eq!(cluster["clientRequestToken"], tokens[0].as_str());
    let mut waited = false;
    while let Ok(e) = rx.try_recv() {
        waited |= e.step_id == "cluster/my-eks"
            && e.message
                .starts_with("waiting for IAM to propagate the role");
    }
    assert!(waited, "the wait is reported");
}

#[tokio::test]
async fn a_failed_node_group_stops_the_apply_with_its_health_issues_verbatim() {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let rewrite: fault_proxy::Rewrite = Arc::new(|head: &str, body: &str| {
        if !head.starts_with("GET /clusters/my-eks/node-groups/default_node_group ") {
            return None;
        }
        let mut answer: serde_json::Value = serde_json::from_str(body).ok()?;
        let group = answer.get_mut("nodegroup")?;
        group["status"] = "CREATE_FAILED".into();
        group["health"] = serde_json::json!({"issues": [{
            "code": "NodeCreationFailure",
            "message": "Instances failed to join the kubernetes cluster",
            "resourceIds": ["i-0abc123", "i-0def456"]
        }]});
        Some(answer.to_string())
    });
    let (_proxy, session) = session_through(
        &emu,
        Hooks {
            intercept: None,
            rewrite: Some(rewrite),
        },
    )
    .await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let mut p = Provisioner::new(session, dir.path().to_path_buf());
    p.config = EngineConfig::quick();
    let err = p.apply(&spec).await.unwrap_err();
    assert!(matches!(err, ProvisionError::Failed { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "nodegroup/default_node_group: Node group default_node_group is CREATE_FAILED: \
         NodeCreationFailure: Instances failed to join the kubernetes cluster (i-0abc123, i-0def456)"
    );
    let journal = eks_desk::provision::journal::JournalFile::load(dir.path(), &spec.id)
        .unwrap()
        .unwrap();
    let state = |id: &str| journal.journal().step(id).unwrap().state.clone();
    assert!(matches!(
        state("nodegroup/default_node_group"),
        StepState::Failed { operation, .. } if operation == "eks:DescribeNodegroup"
    ));
    assert_eq!(
        state("addon/coredns"),
        StepState::Pending,
        "coredns waits for nodes"
    );
}

#[tokio::test]
async fn a_failed_node_group_is_planned_as_replace_and_made_again_with_a_new_token() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    let group_path = "/clusters/my-eks/node-groups/default_node_group";
    // CREATE_FAILED until the node group is deleted.
    let failed = Arc::new(AtomicBool::new(true));
    let tokens: Arc<Mutex<Vec<String>>> = Arc::default();
    let (seen, deleted) = (tokens.clone(), failed.clone());
    let intercept: fault_proxy::Intercept = Arc::new(move |head: &str, body: &str| {
        if head.starts_with(&format!("DELETE {group_path} ")) {
            deleted.store(false, Ordering::SeqCst);
        }
        if head.starts_with("POST /clusters/my-eks/node-groups ") {
            let request: serde_json::Value = serde_json::from_str(body).ok()?;
            seen.lock()
                .unwrap()
                .push(request["clientRequestToken"].as_str()?.to_string());
        }
        None
    });
    let still_failed = failed.clone();
    let rewrite: fault_proxy::Rewrite = Arc::new(move |head: &str, body: &str| {
        if !still_failed.load(Ordering::SeqCst) || !head.starts_with(&format!("GET {group_path} "))
        {
            return None;
        }
        let mut answer: serde_json::Value = serde_json::from_str(body).ok()?;
        answer.get_mut("nodegroup")?["status"] = "CREATE_FAILED".into();
        Some(answer.to_string())
    });
    let (_proxy, session) = session_through(
        &emu,
        Hooks {
            intercept: Some(intercept),
            rewrite: Some(rewrite),
        },
    )
    .await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let mut p = Provisioner::new(session.clone(), dir.path().to_path_buf());
    p.config = EngineConfig::quick();
    p.apply(&spec).await.unwrap_err();

    // The plan says what the next apply does with it.
    let facts = eks_desk::spec::lookup::gather(&session, &spec)
        .await
        .unwrap();
    let plan = eks_desk::spec::plan::build(&spec, &facts.existing);
    let group = plan
        .steps
        .iter()
        .find(|s| s.id == "nodegroup/default_node_group")
        .unwrap();
    assert_eq!(group.action, eks_desk::spec::plan::StepAction::Replace);

    let report = p.apply(&spec).await.unwrap();
    assert!(report.steps > 0);
    let journal = eks_desk::provision::journal::JournalFile::load(dir.path(), &spec.id)
        .unwrap()
        .unwrap();
    let step = journal
        .journal()
        .step("nodegroup/default_node_group")
        .unwrap();
    assert_eq!(step.state, StepState::Done);
    assert_eq!(
        step.message.as_deref(),
        Some("replaced the CREATE_FAILED node group")
    );
    let tokens = tokens.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2, "created, then made again: {tokens:?}");
    assert_ne!(tokens[0], tokens[1], "the new create has a new token");
    assert_eq!(
        step.client_request_token.as_deref(),
        Some(tokens[1].as_str())
    );
}

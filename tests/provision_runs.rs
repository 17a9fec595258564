//! What the app's commands do through `Runs`, against the emulator: progress
//! arrives in batches (fewer sends than events, the end included), a second
//! run of the same spec is refused while the first goes on, a cancel leaves
//! a run that `unfinished` offers and `resume` finishes, and a destroy
//! with the typed name removes everything the spec owns.

#[path = "support/architecture.rs"]
mod architecture;
#[path = "support/emulator.rs"]
mod emulator;

use eks_desk::aws::{AwsSession, Environment, Sessions};
use eks_desk::provision::{ProgressEvent, ProvisionError, RunStatus, Runs, StepState};
use eks_desk::spec::ClusterSpec;
use std::path::Path;
use std::sync::{Arc, Mutex};

const REGION: &str = "ap-northeast-2";

async fn sign_in(emu: &emulator::Emulator) -> AwsSession {
    Sessions::new(emu.url.clone())
        .get(&Environment::Emulator {
            region: REGION.into(),
        })
        .await
        .unwrap()
}

type Batches = Arc<Mutex<Vec<Vec<ProgressEvent>>>>;

fn collector() -> (Batches, impl FnMut(Vec<ProgressEvent>)) {
    let batches: Batches = Arc::default();
    let sink = batches.clone();
    (batches, move |b| sink.lock().unwrap().push(b))
}

fn last_event(batches: &Batches) -> ProgressEvent {
    batches
        .lock()
        .unwrap()
        .last()
        .and_then(|b| b.last().cloned())
        .expect("at least one batch")
}

#[tokio::test]
async fn a_run_streams_batches_is_the_only_one_of_its_spec_and_can_be_cancelled_and_resumed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let emu = emulator::Emulator::start_with_slow_control_plane(root, 6);
    let session = sign_in(&emu).await;
    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let runs = Runs::new(dir.path().to_path_buf());

    let (batches, watch) = collector();
    let first = runs.apply(session.clone(), &spec, watch);
    let meanwhile =
        async {
            // Wait until the cluster is being created, then try a second run.
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                let creating =
                    batches.lock().unwrap().iter().flatten().any(|e| {
                        e.step_id.starts_with("cluster/") && e.message.contains("CREATING")
                    });
                if creating {
                    break;
                }
            }
            let second = runs.apply(session.clone(), &spec, |_| {}).await;
            let refused = matches!(second, Err(ProvisionError::AlreadyRunning { .. }));
            // Not offered for a resume while it runs here.
            let listed = runs.unfinished().unwrap().runs.len();
            assert!(runs.cancel(&spec.id));
            (refused, listed)
        };
    let (result, (refused, listed)) = tokio::join!(first, meanwhile);
    assert!(refused, "a second run of the same spec is refused");
    assert_eq!(listed, 0, "a running run is not unfinished");
    assert!(
        matches!(result, Err(ProvisionError::Cancelled)),
        "{result:?}"
    );
    let events: usize = batches.lock().unwrap().iter().map(Vec::len).sum();
    let sends = batches.lock().unwrap().len();
    assert!(sends < events, "{sends} sends for {events} events: batched");
    let end = last_event(&batches);
    assert_eq!(
        (end.step_id.as_str(), end.state),
        ("run", StepState::Cancelled)
    );
    assert!(!runs.is_running(&spec.id));

    let unfinished = runs.unfinished().unwrap().runs;
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].status, RunStatus::Cancelled);
    assert_eq!(
        runs.resume_environment(&spec.id).unwrap(),
        Environment::Emulator {
            region: REGION.into()
        }
    );

    let (batches, watch) = collector();
    let report = runs.resume(session.clone(), &spec.id, watch).await.unwrap();
    assert_eq!(report.steps, 29);
    assert_eq!(last_event(&batches).state, StepState::Done);
    assert!(runs.unfinished().unwrap().runs.is_empty());

    let err = runs
        .destroy(session.clone(), &spec, "my-eks-typo", false, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, ProvisionError::NotConfirmed { .. }), "{err}");
    let (batches, watch) = collector();
    runs.destroy(session.clone(), &spec, "my-eks", false, watch)
        .await
        .unwrap();
    assert_eq!(last_event(&batches).state, StepState::Done);
    architecture::assert_nothing_owned(&session, &spec).await;
}

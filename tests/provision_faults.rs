//! Apply through a proxy that throttles, answers 503, drops connections,
//! loses answers and adds latency: the run either converges (the SDK and
//! the engine retry) or stops with a journal that `resume` completes once
//! the proxy is gone. Either way the emulator ends up with exactly the
//! seed's architecture: no duplicate from a create whose answer was lost.

#[path = "support/architecture.rs"]
mod architecture;
#[path = "support/emulator.rs"]
mod emulator;
#[path = "support/fault_proxy.rs"]
mod fault_proxy;

use eks_desk::aws::{local_emulator, AwsSession};
use eks_desk::provision::{EngineConfig, Provisioner, RunStatus};
use eks_desk::spec::ClusterSpec;
use fault_proxy::{FaultProxy, Faults};
use std::path::Path;

const REGION: &str = "ap-northeast-2";

/// Applies the seed through a proxy with `faults`; resumes directly if the
/// apply stopped. Returns whether the faulty apply converged on its own.
async fn apply_through(faults: Faults) -> bool {
    let emu = emulator::Emulator::start(Path::new(env!("CARGO_MANIFEST_DIR")));
    // One sign-in, straight to the emulator; both sessions share the key.
    let credentials = local_emulator::sign_in(&emu.url, REGION).await.unwrap();
    let direct = AwsSession::with_static_credentials(&emu.url, REGION, credentials.clone()).await;
    let proxy = FaultProxy::start(emu.port, faults);
    let faulty = AwsSession::with_static_credentials(&proxy.url, REGION, credentials).await;

    let spec = ClusterSpec::new_for_region(REGION);
    let dir = tempfile::tempdir().unwrap();
    let mut through_proxy = Provisioner::new(faulty, dir.path().to_path_buf());
    through_proxy.config = EngineConfig::quick();
    let converged = match through_proxy.apply(&spec).await {
        Ok(_) => true,
        Err(e) => {
            eprintln!("the apply through the proxy stopped: {e}");
            let runs = eks_desk::provision::find_unfinished(dir.path())
                .unwrap()
                .runs;
            assert_eq!(runs.len(), 1, "a resumable journal is left");
            assert_eq!(runs[0].status, RunStatus::Failed);
            let mut resumer = Provisioner::new(direct.clone(), dir.path().to_path_buf());
            resumer.config = EngineConfig::quick();
            resumer.resume(&spec.id).await.unwrap();
            false
        }
    };
    let counts = proxy.counts();
    eprintln!("faults injected: {counts:?}");
    assert!(counts.faults() > 0, "{counts:?}");
    drop(proxy);
    let caller = eks_desk::aws::identity::caller_identity(&direct)
        .await
        .unwrap()
        .arn;
    architecture::assert_seed_architecture(&direct, &spec, &caller).await;
    assert!(eks_desk::provision::find_unfinished(dir.path())
        .unwrap()
        .runs
        .is_empty());
    converged
}

#[tokio::test]
async fn with_occasional_faults_the_apply_converges_on_its_own() {
    let converged = apply_through(Faults {
        seed: 7,
        unavailable: 0.05,
        throttle: 0.05,
        drop_request: 0.02,
        drop_answer: 0.02,
        delay: 0.2,
        max_delay_ms: 150,
        outage_after: None,
    })
    .await;
    assert!(
        converged,
        "the SDK's and the engine's retries absorb occasional faults"
    );
}

#[tokio::test]
async fn with_many_faults_the_apply_converges_or_stops_resumably() {
    // Nearly half the requests fail; whether some call exhausts its retries
    // depends on how the concurrent steps interleave, and both outcomes
    // must end with the same architecture and no duplicates.
    let converged = apply_through(Faults {
        seed: 11,
        unavailable: 0.12,
        throttle: 0.12,
        drop_request: 0.1,
        drop_answer: 0.1,
        delay: 0.1,
        max_delay_ms: 100,
        outage_after: None,
    })
    .await;
    eprintln!("converged without resume: {converged}");
}

#[tokio::test]
async fn an_outage_mid_apply_stops_it_resumably_and_resume_finishes_it() {
    let converged = apply_through(Faults {
        seed: 3,
        unavailable: 0.0,
        throttle: 0.05,
        drop_request: 0.0,
        drop_answer: 0.05,
        delay: 0.1,
        max_delay_ms: 50,
        outage_after: Some(40),
    })
    .await;
    assert!(!converged, "nothing gets through an outage");
}

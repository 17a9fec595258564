//! The scheduler with a fake runner: order, concurrency, failure, cancel,
//! and resume from the journal.

use super::*;
use crate::provision::journal::JournalFile;
use crate::spec::plan::{Plan, ResourceKind, StepAction, StepTarget};
use crate::spec::ClusterSpec;
use std::sync::atomic::AtomicUsize;

fn step(id: &str, deps: &[&str]) -> PlanStep {
    PlanStep {
        id: id.into(),
        kind: ResourceKind::Vpc,
        name: id.into(),
        detail: String::new(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        action: StepAction::Create,
        note: None,
        target: StepTarget::Vpc,
    }
}

#[derive(Default)]
struct FakeRunner {
    delay_ms: u64,
    fail: Option<&'static str>,
    /// Steps that wait (cancellably) for a long time.
    slow: Option<&'static str>,
    events: Mutex<Vec<(String, &'static str, Instant)>>,
    now_running: AtomicUsize,
    most_running: AtomicUsize,
    tokens: Mutex<Vec<(String, String)>>,
}

impl FakeRunner {
    fn when(&self, id: &str, what: &str) -> Instant {
        self.events
            .lock()
            .unwrap()
            .iter()
            .find(|(i, w, _)| i == id && *w == what)
            .map(|(_, _, t)| *t)
            .unwrap_or_else(|| panic!("{id} never {what}"))
    }

    fn ran(&self, id: &str) -> bool {
        self.events.lock().unwrap().iter().any(|(i, _, _)| i == id)
    }
}

impl StepRunner for FakeRunner {
    fn run(
        self: Arc<Self>,
        step: PlanStep,
        handle: StepHandle,
    ) -> BoxFuture<'static, Result<StepDone, ProvisionError>> {
        Box::pin(async move {
            let n = self.now_running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_running.fetch_max(n, Ordering::SeqCst);
            self.events
                .lock()
                .unwrap()
                .push((step.id.clone(), "start", Instant::now()));
            let token = handle.token()?;
            self.tokens.lock().unwrap().push((step.id.clone(), token));
            let result = if self.slow == Some(step.id.as_str()) {
                handle.sleep(Duration::from_secs(30)).await
            } else {
                // The failing step fails early, while the others still run.
                let delay = if self.fail == Some(step.id.as_str()) {
                    5
                } else {
                    self.delay_ms
                };
                tokio::time::sleep(Duration::from_millis(delay)).await;
                Ok(())
            };
            self.now_running.fetch_sub(1, Ordering::SeqCst);
            self.events
                .lock()
                .unwrap()
                .push((step.id.clone(), "end", Instant::now()));
            result?;
            if self.fail == Some(step.id.as_str()) {
                return Err(ProvisionError::Failed {
                    step: step.id,
                    operation: "test:Fail".into(),
                    message: "it broke".into(),
                });
            }
            Ok(StepDone::new(Some(format!("id-of-{}", step.id)), "created"))
        })
    }
}

/// a, b independent; c after both; d after c; e independent of all.
fn graph() -> Vec<PlanStep> {
    vec![
        step("a", &[]),
        step("b", &[]),
        step("c", &["a", "b"]),
        step("d", &["c"]),
        step("e", &[]),
    ]
}

fn context(
    dir: &std::path::Path,
    steps: &[PlanStep],
) -> (
    RunContext,
    tokio::sync::mpsc::UnboundedReceiver<ProgressEvent>,
) {
    let spec = ClusterSpec {
        id: "sched".into(),
        ..Default::default()
    };
    let plan = Plan {
        cluster_name: "c".into(),
        region: "r".into(),
        steps: steps.to_vec(),
    };
    let journal = match JournalFile::load(dir, "sched").unwrap() {
        Some(j) => j,
        None => JournalFile::create(dir, Operation::Apply, &spec, None, &plan, None).unwrap(),
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    (RunContext::new(journal, Some(tx), Cancellation::new()), rx)
}

fn states(ctx: &RunContext) -> Vec<(String, StepState)> {
    ctx.snapshot()
        .steps
        .into_iter()
        .map(|s| (s.id, s.state))
        .collect()
}

#[tokio::test]
async fn steps_wait_for_their_dependencies_and_independent_ones_overlap() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, mut rx) = context(dir.path(), &graph());
    let runner = Arc::new(FakeRunner {
        delay_ms: 60,
        ..Default::default()
    });
    run_graph(graph(), runner.clone(), ctx.clone(), 0)
        .await
        .unwrap();

    assert!(runner.when("c", "start") >= runner.when("a", "end"));
    assert!(runner.when("c", "start") >= runner.when("b", "end"));
    assert!(runner.when("d", "start") >= runner.when("c", "end"));
    assert!(
        runner.when("b", "start") < runner.when("a", "end"),
        "a and b ran together"
    );
    assert_eq!(runner.most_running.load(Ordering::SeqCst), 3, "a, b and e");

    let journal = ctx.snapshot();
    assert_eq!(journal.status, RunStatus::Done);
    for record in &journal.steps {
        assert_eq!(record.state, StepState::Done, "{}", record.id);
        assert_eq!(record.resource_id, Some(format!("id-of-{}", record.id)));
        assert!(record.started_at.is_some() && record.finished_at.is_some());
    }
    // Every step reports running then done, and the run reports its end.
    let mut seen = Vec::new();
    while let Ok(e) = rx.try_recv() {
        seen.push((e.step_id, e.state));
    }
    for id in ["a", "b", "c", "d", "e"] {
        let mine: Vec<_> = seen.iter().filter(|(s, _)| s == id).collect();
        assert_eq!(mine.len(), 2, "{id}: {mine:?}");
        assert_eq!(mine[0].1, StepState::Running);
        assert_eq!(mine[1].1, StepState::Done);
    }
    assert_eq!(seen.last().unwrap(), &("run".to_string(), StepState::Done));
}

#[tokio::test]
async fn one_by_one_never_runs_two_steps_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _rx) = context(dir.path(), &graph());
    let runner = Arc::new(FakeRunner {
        delay_ms: 10,
        ..Default::default()
    });
    run_graph(graph(), runner.clone(), ctx, 1).await.unwrap();
    assert_eq!(runner.most_running.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_failure_stops_scheduling_but_lets_running_steps_finish() {
    let dir = tempfile::tempdir().unwrap();
    let steps = vec![
        step("a", &[]),
        step("b", &[]),
        step("c", &["b"]),
        step("d", &["a"]),
    ];
    let (ctx, _rx) = context(dir.path(), &steps);
    let runner = Arc::new(FakeRunner {
        delay_ms: 80,
        fail: Some("b"),
        ..Default::default()
    });
    let err = run_graph(steps, runner.clone(), ctx.clone(), 0)
        .await
        .unwrap_err();
    assert_eq!(err.step(), Some("b"));
    assert!(!runner.ran("c"), "c depends on the failed step");
    assert!(!runner.ran("d"), "nothing new starts after a failure");
    let journal = ctx.snapshot();
    assert_eq!(journal.status, RunStatus::Failed);
    assert_eq!(
        states(&ctx),
        [
            ("a".to_string(), StepState::Done),
            (
                "b".to_string(),
                StepState::Failed {
                    message: "it broke".into(),
                    operation: "test:Fail".into()
                }
            ),
            ("c".to_string(), StepState::Pending),
            ("d".to_string(), StepState::Pending),
        ]
    );
}

#[tokio::test]
async fn cancel_ends_waits_and_leaves_a_resumable_journal() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _rx) = context(dir.path(), &graph());
    let runner = Arc::new(FakeRunner {
        delay_ms: 10,
        slow: Some("c"),
        ..Default::default()
    });
    let cancel = ctx.cancel().clone();
    let run = tokio::spawn(run_graph(graph(), runner.clone(), ctx.clone(), 0));
    // Once the slow step is waiting, cancel.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !runner
        .events
        .lock()
        .unwrap()
        .iter()
        .any(|(id, what, _)| id == "c" && *what == "start")
    {
        assert!(Instant::now() < deadline, "step c never started");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let began = Instant::now();
    cancel.cancel();
    let err = tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("cancel is prompt")
        .unwrap()
        .unwrap_err();
    assert!(began.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, ProvisionError::Cancelled), "{err}");
    assert_eq!(ctx.snapshot().status, RunStatus::Cancelled);
    let s = states(&ctx);
    assert_eq!(s[2], ("c".to_string(), StepState::Cancelled));
    assert_eq!(s[3], ("d".to_string(), StepState::Pending));

    // Resume: done steps are skipped, the cancelled one runs again with
    // the token it had, and the rest follows.
    let first_tokens = runner.tokens.lock().unwrap().clone();
    let (ctx2, _rx2) = context(dir.path(), &graph());
    let again = Arc::new(FakeRunner {
        delay_ms: 10,
        ..Default::default()
    });
    run_graph(graph(), again.clone(), ctx2.clone(), 0)
        .await
        .unwrap();
    assert!(!again.ran("a") && !again.ran("b") && !again.ran("e"));
    assert!(again.ran("c") && again.ran("d"));
    let token = |tokens: &[(String, String)], id: &str| {
        tokens.iter().find(|(s, _)| s == id).unwrap().1.clone()
    };
    assert_eq!(
        token(&first_tokens, "c"),
        token(&again.tokens.lock().unwrap(), "c")
    );
    assert_eq!(ctx2.snapshot().status, RunStatus::Done);
}

#[tokio::test]
async fn a_step_sees_the_resource_ids_of_its_dependencies() {
    struct Echo;
    impl StepRunner for Echo {
        fn run(
            self: Arc<Self>,
            step: PlanStep,
            handle: StepHandle,
        ) -> BoxFuture<'static, Result<StepDone, ProvisionError>> {
            Box::pin(async move {
                let seen: Vec<String> = step
                    .depends_on
                    .iter()
                    .map(|d| handle.dependency(d).unwrap_or("-").to_string())
                    .collect();
                Ok(StepDone::new(
                    Some(format!("{}<{}>", step.id, seen.join(","))),
                    "ok",
                ))
            })
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _rx) = context(dir.path(), &graph());
    run_graph(graph(), Arc::new(Echo), ctx.clone(), 0)
        .await
        .unwrap();
    let d = ctx.snapshot().step("d").unwrap().resource_id.clone();
    assert_eq!(d.as_deref(), Some("d<c<a<>,b<>>>"));
}

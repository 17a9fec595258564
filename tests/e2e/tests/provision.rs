//! Apply and destroy in the real app against the emulator: Create → Plan →
//! Apply → confirm, the graph comes alive and the run reaches done, the
//! cluster is on the Clusters page; then Destroy with the typed name. And an
//! apply killed half-way is offered at the next start and resumed to done.
//! Build the UI and the app first:
//!
//! ```text
//! npm --prefix ui run build && cargo build -p eks-desk
//! cargo test -p eks-desk-e2e --test provision -- --test-threads=1
//! ```
//!
//! Screenshots: `target/screenshots/apply-confirm.png`,
//! `apply-running.png` (the cluster step running), `apply-done.png`,
//! `apply-log.png` (the steps and the log), `resume-banner.png` (a run
//! killed mid-apply, offered at the next start), `resume-done.png`,
//! `destroy-confirm.png` and `destroy-done.png`.

use eks_desk_e2e::emulator::Emulator;
use eks_desk_e2e::{repo_root, temp_dir, App, Launch, Tools, Ui, UI_TIMEOUT};
use fantoccini::Locator;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const REGION: &str = "ap-northeast-2";
const CLUSTER: &str = "my-eks";
/// The emulator keeps the cluster CREATING this long, so the run can be
/// seen while it goes on.
const CREATING_SECONDS: u32 = 8;
/// The first check signs in to the emulator and looks the account up.
const FIRST_CHECK: Duration = Duration::from_secs(45);
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

fn cluster_row(name: &str) -> String {
    format!("table[data-testid=cluster-table] tr[data-cluster=\"{name}\"]")
}

async fn attr(ui: &Ui, css: &str, name: &str) -> String {
    ui.wait_visible(css, UI_TIMEOUT)
        .await
        .attr(name)
        .await
        .unwrap_or_else(|e| panic!("{name} of `{css}`: {e}"))
        .unwrap_or_default()
}

/// Waits for the run status to read `state`; fails early on a failed run.
async fn expect_run_state(ui: &Ui, state: &str, timeout: Duration) {
    ui.wait_until(&format!("the run to be {state}"), timeout, || async {
        let now = attr(ui, "[data-testid=run-status]", "data-state").await;
        if now == "failed" && state != "failed" {
            let panel = ui.text("[data-testid=run-panel]").await;
            let log = ui.text("[data-testid=run-log]").await;
            panic!("the run failed:\n{panel}\n--- log ---\n{log}");
        }
        (now == state).then_some(())
    })
    .await;
}

async fn is_enabled(ui: &Ui, css: &str) -> bool {
    ui.wait_visible(css, UI_TIMEOUT)
        .await
        .is_enabled()
        .await
        .unwrap_or_else(|e| panic!("enabled of `{css}`: {e}"))
}

/// The `data-step-state` of every node of the plan graph.
async fn graph_states(ui: &Ui) -> Vec<String> {
    let nodes = ui
        .client
        .find_all(Locator::Css("[data-testid=plan-graph] [data-step-state]"))
        .await
        .expect("graph nodes");
    let mut states = Vec::new();
    for node in nodes {
        states.push(
            node.attr("data-step-state")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
    }
    states
}

/// Scrolls the element matching `css` to the top of the window, and gives
/// waits until WebKit has painted it, before a screenshot.
async fn scroll_to(ui: &Ui, css: &str) {
    ui.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![serde_json::Value::String(css.to_string())],
        )
        .await
        .unwrap_or_else(|e| panic!("scroll to `{css}`: {e}"));
    // Painted once two animation frames have passed since the scroll.
    ui.client
        .execute_async(
            "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("wait for a paint after scrolling to `{css}`: {e}"));
}

#[tokio::test]
async fn apply_then_destroy_with_live_progress() {
    let emulator = Emulator::start_with_slow_control_plane(&repo_root(), CREATING_SECONDS);
    let app = App::launch(Launch::emulator("provision", &emulator.url, REGION)).await;
    app.run(|ui| async move {
        ui.click("[data-testid=nav-create]").await;
        ui.wait_text("[data-testid=error-count]", "0 errors", FIRST_CHECK)
            .await;
        ui.click("[data-testid=plan-button]").await;
        ui.wait_visible("[data-testid=plan-list]", FIRST_CHECK)
            .await;
        ui.wait_visible("[data-testid=plan-graph] .react-flow__node", UI_TIMEOUT)
            .await;
        ui.wait_until("Apply to be offered", UI_TIMEOUT, || async {
            is_enabled(&ui, "[data-testid=apply-button]")
                .await
                .then_some(())
        })
        .await;

        // The confirmation says how much is created where.
        ui.click("[data-testid=apply-button]").await;
        let question = ui
            .wait_text(
                "[data-testid=apply-question]",
                "Create 29 resources",
                UI_TIMEOUT,
            )
            .await;
        assert!(question.contains(&format!("region {REGION}")), "{question}");
        ui.screenshot("apply-confirm.png").await;
        ui.click("[data-testid=apply-confirm]").await;

        // The graph comes alive: the cluster step runs while the emulator
        // keeps it CREATING, with steps before it done.
        ui.wait_visible("[data-testid=run-panel]", UI_TIMEOUT).await;
        let cluster_node = "[data-testid=plan-graph] [data-step=\"cluster/my-eks\"]";
        ui.wait_until("the cluster step to run", RUN_TIMEOUT, || async {
            (attr(&ui, cluster_node, "data-step-state").await == "running").then_some(())
        })
        .await;
        // Its clock runs between the engine's events.
        let clock = format!("{cluster_node} .step-elapsed");
        ui.wait_until(
            "the cluster step's clock to pass a second",
            RUN_TIMEOUT,
            || async {
                let text = ui.text(&clock).await;
                (text.ends_with(" s") && !text.ends_with(" ms")).then_some(())
            },
        )
        .await;
        assert_eq!(
            attr(&ui, "[data-testid=run-status]", "data-state").await,
            "running"
        );
        let done: u32 = attr(&ui, "[data-testid=run-progress]", "data-done")
            .await
            .parse()
            .unwrap();
        assert!(done >= 1, "steps before the cluster are done: {done}");
        assert_eq!(
            attr(&ui, "[data-testid=run-progress]", "data-total").await,
            "29"
        );
        assert!(
            ui.exists("[data-testid=cancel-run]").await,
            "Cancel is offered while running"
        );
        ui.screenshot("apply-running.png").await;

        expect_run_state(&ui, "done", RUN_TIMEOUT).await;
        assert_eq!(
            attr(&ui, "[data-testid=run-progress]", "data-done").await,
            "29"
        );
        let states = graph_states(&ui).await;
        assert_eq!(states.len(), 29, "{states:?}");
        assert!(states.iter().all(|s| s == "done"), "{states:?}");
        let log = ui.text("[data-testid=run-log]").await;
        assert!(log.contains("cluster/my-eks done"), "log: {log}");
        ui.screenshot("apply-done.png").await;
        scroll_to(&ui, ".run-details").await;
        ui.screenshot("apply-log.png").await;

        // The new cluster is on the Clusters page.
        ui.click("[data-testid=nav-clusters]").await;
        ui.wait_visible(&cluster_row(CLUSTER), UI_TIMEOUT).await;

        // Back to the run: Destroy asks for the name, typed exactly.
        ui.click("[data-testid=nav-create]").await;
        ui.click("[data-testid=destroy-run]").await;
        let input = ui
            .wait_visible("[data-testid=destroy-confirm-input]", UI_TIMEOUT)
            .await;
        assert!(!is_enabled(&ui, "[data-testid=destroy-confirm-button]").await);
        input.send_keys("my-ek").await.expect("type");
        assert!(
            !is_enabled(&ui, "[data-testid=destroy-confirm-button]").await,
            "a prefix does not confirm"
        );
        input.send_keys("s").await.expect("type");
        ui.wait_until("the typed name to confirm", UI_TIMEOUT, || async {
            is_enabled(&ui, "[data-testid=destroy-confirm-button]")
                .await
                .then_some(())
        })
        .await;
        ui.screenshot("destroy-confirm.png").await;
        ui.click("[data-testid=destroy-confirm-button]").await;

        ui.wait_text(
            "[data-testid=run-panel] h2",
            "Destroying my-eks",
            UI_TIMEOUT,
        )
        .await;
        expect_run_state(&ui, "done", RUN_TIMEOUT).await;
        // The seed's 29 resources and the check for what Kubernetes left.
        assert_eq!(
            attr(&ui, "[data-testid=run-progress]", "data-done").await,
            "30"
        );
        ui.wait_text("[data-testid=run-done]", "Destroyed my-eks", UI_TIMEOUT)
            .await;
        scroll_to(&ui, "[data-testid=run-panel]").await;
        ui.screenshot("destroy-done.png").await;

        ui.click("[data-testid=nav-clusters]").await;
        ui.wait_visible("[data-testid=clusters-empty]", UI_TIMEOUT)
            .await;
        assert!(
            !ui.exists("[data-testid=unfinished-banner]").await,
            "nothing is left unfinished"
        );
    })
    .await;
    drop(emulator);
}

/// `eks-desk` on the command line with the emulator, its journals in `journals`.
fn cli(app: &Path, emulator: &Emulator, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(app);
    cmd.args(args)
        .env("HOME", home)
        .env("AWS_ENDPOINT_URL", &emulator.url)
        .env_remove("AWS_PROFILE")
        .env_remove("XDG_DATA_HOME");
    cmd
}

/// The `id:` of the spec file `eks-desk init` wrote.
fn spec_id(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("the spec file");
    text.lines()
        .find_map(|l| l.strip_prefix("id: "))
        .map(|id| id.trim().trim_matches(['\'', '"']).to_string())
        .expect("the spec has an id")
}

/// The state of step `id` in the journal at `path`, once it can be read.
fn journal_step_state(path: &Path, id: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let journal: serde_json::Value = serde_json::from_str(&text).ok()?;
    journal["steps"]
        .as_array()?
        .iter()
        .find(|s| s["id"] == id)
        .and_then(|s| s["state"]["state"].as_str().map(str::to_string))
}

#[tokio::test]
async fn an_apply_killed_half_way_is_offered_at_the_next_start_and_resumed() {
    // The cluster stays CREATING for a while: the apply is killed then.
    let emulator = Emulator::start_with_slow_control_plane(&repo_root(), CREATING_SECONDS);
    let app_binary = Tools::find().app;
    // The app's data folder, shared by the killed run and the app.
    let data = temp_dir("data");
    let journals = data.0.join("dev.eksdesk.app/journals");
    let spec = data.0.join("my-eks.yaml");
    let init = cli(
        &app_binary,
        &emulator,
        &data.0,
        &["init", "--region", REGION, "--out"],
    )
    .arg(&spec)
    .output()
    .expect("eks-desk init");
    assert!(init.status.success(), "{init:?}");
    // Killed (SIGKILL) while it waits for the cluster to turn ACTIVE.
    let mut apply = cli(
        &app_binary,
        &emulator,
        &data.0,
        &["apply", "--emulator", "--poll-ms", "20", "--spec"],
    )
    .arg(&spec)
    .arg("--journal-dir")
    .arg(&journals)
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .expect("eks-desk apply");
    let journal = journals.join(format!("{}.json", spec_id(&spec)));
    let deadline = std::time::Instant::now() + FIRST_CHECK;
    while journal_step_state(&journal, &format!("cluster/{CLUSTER}")).as_deref() != Some("running")
    {
        assert!(
            apply.try_wait().unwrap().is_none(),
            "the apply ended before the cluster step ran"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "the cluster step never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    apply.kill().unwrap();
    apply.wait().unwrap();

    let mut launch = Launch::emulator("resume", &emulator.url, REGION);
    launch
        .env
        .push(("XDG_DATA_HOME".into(), data.0.display().to_string()));
    let app = App::launch(launch).await;
    app.run(|ui| async move {
        let banner = ui
            .wait_text(
                "[data-testid=unfinished-banner]",
                "stopped at step",
                FIRST_CHECK,
            )
            .await;
        assert!(
            banner.contains("An apply of my-eks (ap-northeast-2)"),
            "{banner}"
        );
        assert!(banner.contains("/29"), "{banner}");
        ui.screenshot("resume-banner.png").await;

        ui.click("[data-testid=banner-resume]").await;
        ui.wait_visible("[data-testid=run-panel]", UI_TIMEOUT).await;
        expect_run_state(&ui, "done", RUN_TIMEOUT).await;
        assert_eq!(
            attr(&ui, "[data-testid=run-progress]", "data-done").await,
            "29"
        );
        let log = ui.text("[data-testid=run-log]").await;
        assert!(
            log.contains("already done"),
            "the resume skipped what was done: {log}"
        );
        ui.wait_absent("[data-testid=unfinished-banner]", UI_TIMEOUT)
            .await;
        ui.screenshot("resume-done.png").await;

        ui.click("[data-testid=nav-clusters]").await;
        ui.wait_visible(&cluster_row(CLUSTER), UI_TIMEOUT).await;
    })
    .await;
    drop(emulator);
}

//! The Create page in the real app: the seed's form, a field error from the
//! backend's rules next to its field, the plan graph and the Terraform
//! export. Build the UI and the app first:
//!
//! ```text
//! npm --prefix ui run build && cargo build -p eks-desk
//! cargo test -p eks-desk-e2e --test create -- --test-threads=1
//! ```
//!
//! Screenshots: `target/screenshots/create-form.png` (with
//! `create-node-group.png` and `create-addons-access.png` for the lower
//! sections), `create-error.png`, `plan-graph.png`, `export-view.png`.

use eks_desk_e2e::emulator::Emulator;
use eks_desk_e2e::{repo_root, App, Launch, Ui, UI_TIMEOUT};
use fantoccini::Locator;
use std::time::Duration;

const REGION: &str = "ap-northeast-2";
/// The first check signs in to the emulator and looks the account up.
const FIRST_CHECK: Duration = Duration::from_secs(45);
const BAD_CIDR: &str = "10.0.0.300/28";
const SUBNET: &str = "network.controlPlaneSubnets[1].cidr";

fn field(path: &str) -> String {
    format!("[data-field=\"{path}\"]")
}

fn issue(path: &str) -> String {
    format!("[data-testid=\"issue-{path}\"]")
}

async fn value(ui: &Ui, css: &str) -> String {
    ui.wait_visible(css, UI_TIMEOUT)
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("value of `{css}`: {e}"))
        .unwrap_or_default()
}

/// Scrolls the element matching `css` to the middle of the window.
async fn center(ui: &Ui, css: &str) {
    ui.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![serde_json::Value::String(css.to_string())],
        )
        .await
        .unwrap_or_else(|e| panic!("scroll to `{css}`: {e}"));
}

/// Replaces the text of an input the way a user does: select all, type.
async fn retype(ui: &Ui, css: &str, text: &str) {
    let input = ui.wait_visible(css, UI_TIMEOUT).await;
    input
        .click()
        .await
        .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    // Ctrl+A, then the NULL key releases Ctrl.
    input
        .send_keys("\u{E009}a\u{E000}")
        .await
        .unwrap_or_else(|e| panic!("select all in `{css}`: {e}"));
    input
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    ui.wait_until(
        &format!("`{css}` to read {text}"),
        UI_TIMEOUT,
        || async move { (value(ui, css).await == text).then_some(()) },
    )
    .await;
}

/// Waits for the issues summary to count `errors`.
async fn expect_errors(ui: &Ui, errors: &str, timeout: Duration) {
    ui.wait_text("[data-testid=error-count]", errors, timeout)
        .await;
}

#[tokio::test]
async fn create_form_checks_plans_and_exports() {
    let emulator = Emulator::start(&repo_root());
    let app = App::launch(Launch::emulator("create", &emulator.url, REGION)).await;
    app.run(|ui| async move {
        ui.click("[data-testid=nav-create]").await;
        ui.wait_visible("[data-testid=create-page]", UI_TIMEOUT).await;

        // The seed's architecture.
        assert_eq!(value(&ui, &field("cluster.name")).await, "my-eks");
        assert_eq!(value(&ui, &field("cluster.region")).await, REGION);
        assert_eq!(value(&ui, &field("network.vpc.cidr")).await, "10.0.0.0/16");
        for (i, cidr) in ["10.0.0.192/28", "10.0.0.208/28", "10.0.0.224/28"].iter().enumerate() {
            let path = format!("network.controlPlaneSubnets[{i}].cidr");
            assert_eq!(value(&ui, &field(&path)).await, *cidr, "{path}");
        }
        assert_eq!(value(&ui, &field("nodeGroups[0].maxSize")).await, "3");
        // Checked by the backend: no error, and the IP guard has a row per subnet.
        expect_errors(&ui, "0 errors", FIRST_CHECK).await;
        ui.wait_visible("[data-testid=\"ip-guard-network.controlPlaneSubnets[2]\"]", UI_TIMEOUT)
            .await;
        let guard = ui.text("[data-testid=ip-guard]").await;
        assert!(guard.contains("10.0.0.192/28") && guard.contains("headroom"), "IP guard: {guard}");
        ui.screenshot("create-form.png").await;
        // The lower sections, for a look at their layout.
        center(&ui, "[data-testid=node-group-0]").await;
        ui.screenshot("create-node-group.png").await;
        center(&ui, "[data-testid=section-access]").await;
        ui.screenshot("create-addons-access.png").await;

        // An invalid CIDR: the backend's message appears under that field.
        retype(&ui, &field(SUBNET), BAD_CIDR).await;
        let message = ui
            .wait_text(&issue(SUBNET), "not a valid IPv4 CIDR", UI_TIMEOUT)
            .await;
        assert!(message.contains(BAD_CIDR), "message: {message}");
        let input = ui.wait_visible(&field(SUBNET), UI_TIMEOUT).await;
        assert_eq!(input.attr("aria-invalid").await.expect("aria-invalid").as_deref(), Some("true"));
        let (_, input_y, _, input_h) = input.rectangle().await.expect("input box");
        let (_, issue_y, _, _) = ui
            .wait_visible(&issue(SUBNET), UI_TIMEOUT)
            .await
            .rectangle()
            .await
            .expect("issue box");
        assert!(
            issue_y >= input_y + input_h - 1.0 && issue_y < input_y + input_h + 60.0,
            "the message is right under its field (input at {input_y}+{input_h}, message at {issue_y})"
        );
        expect_errors(&ui, "1 error", UI_TIMEOUT).await;
        assert!(
            !ui.exists(&issue("network.controlPlaneSubnets[0].cidr")).await,
            "only the edited subnet has an issue"
        );
        center(&ui, &field(SUBNET)).await;
        ui.screenshot("create-error.png").await;

        // Fixed: the message goes, and the plan can be made.
        retype(&ui, &field(SUBNET), "10.0.0.208/28").await;
        ui.wait_absent(&issue(SUBNET), UI_TIMEOUT).await;
        expect_errors(&ui, "0 errors", UI_TIMEOUT).await;

        ui.click("[data-testid=plan-button]").await;
        ui.wait_visible("[data-testid=plan-graph]", FIRST_CHECK).await;
        let nodes = ui
            .wait_until("the plan graph's nodes", UI_TIMEOUT, || async {
                let found = ui
                    .client
                    .find_all(Locator::Css("[data-testid=plan-graph] .react-flow__node"))
                    .await
                    .ok()?;
                (found.len() >= 10).then_some(found.len())
            })
            .await;
        let list = ui.text("[data-testid=plan-list]").await;
        assert!(list.contains("EKS cluster") && list.contains("my-eks"), "plan list: {list}");
        assert!(list.contains("10.0.0.192/28"), "plan list: {list}");
        let steps = ui
            .client
            .find_all(Locator::Css("[data-testid=plan-list] li[data-step]"))
            .await
            .expect("plan steps");
        assert_eq!(steps.len(), nodes, "one graph node per step");
        assert!(!ui.exists("[data-testid=plan-error]").await, "planning succeeded");
        assert!(!ui.exists("[data-testid=plan-graph-error]").await, "the graph was drawn");
        center(&ui, "[data-testid=plan-graph]").await;
        ui.screenshot("plan-graph.png").await;

        ui.click("[data-testid=export-button]").await;
        let text = ui
            .wait_text("[data-testid=export-text]", "resource \"aws_eks_cluster\"", UI_TIMEOUT)
            .await;
        assert!(text.contains("my-eks"), "Terraform names the cluster");
        ui.wait_visible("[data-testid=export-view]", UI_TIMEOUT).await;
        ui.screenshot("export-view.png").await;
    })
    .await;
    drop(emulator);
}

//! The real app in a real window (Xvfb + tauri-driver + WebKitWebDriver),
//! against the ministack AWS emulator. Build the app first:
//!
//! ```text
//! cargo build -p eks-desk && cargo test -p eks-desk-e2e -- --test-threads=1
//! ```
//!
//! Screenshots land in `target/screenshots/` (and `failed-<test>.png` there
//! when a test fails).

use eks_desk_e2e::emulator::{free_port, Emulator};
use eks_desk_e2e::{repo_root, seed_clusters, App, Launch, Ui, UI_TIMEOUT};
use fantoccini::Locator;
use std::time::Duration;

const REGION: &str = "ap-northeast-2";
const OTHER_REGION: &str = "eu-west-1";
const CLUSTER: &str = "my-eks";
const LOCAL_USER_ARN: &str = "arn:aws:iam::000000000000:user/eks-desk-local";

/// The first cluster list waits on signing in to the emulator (IAM user,
/// access key) as well as on ListClusters/DescribeCluster.
const FIRST_LOAD: Duration = Duration::from_secs(30);

fn row(name: &str) -> String {
    format!("table[data-testid=cluster-table] tr[data-cluster=\"{name}\"]")
}

/// The text of `name`'s cell in the column headed `header`.
async fn cell(ui: &Ui, name: &str, header: &str) -> String {
    let headers = ui
        .client
        .find_all(Locator::Css("table[data-testid=cluster-table] thead th"))
        .await
        .expect("table headers");
    let mut index = None;
    for (i, th) in headers.iter().enumerate() {
        if th.text().await.expect("header text").trim() == header {
            index = Some(i);
        }
    }
    let index = index.unwrap_or_else(|| panic!("no `{header}` column in the cluster table"));
    let cells = ui
        .client
        .find(Locator::Css(&row(name)))
        .await
        .expect("cluster row")
        .find_all(Locator::Css("td"))
        .await
        .expect("row cells");
    cells[index].text().await.expect("cell text")
}

fn seeded_emulator() -> Emulator {
    let emulator = Emulator::start(&repo_root());
    seed_clusters(&emulator.url, REGION, &[CLUSTER]);
    emulator
}

/// Waits for the seeded cluster to be listed as ACTIVE.
async fn expect_cluster_listed(ui: &Ui, timeout: Duration) {
    ui.wait_visible(&row(CLUSTER), timeout).await;
    ui.wait_visible(
        &format!("{} [data-status=ACTIVE]", row(CLUSTER)),
        UI_TIMEOUT,
    )
    .await;
}

/// A badge is one line of text: "ACTIVE", not "ACTI" over "VE".
async fn expect_one_line(ui: &Ui, css: &str) {
    let badge = ui.wait_visible(css, UI_TIMEOUT).await;
    let (_, _, _, height) = badge.rectangle().await.expect("badge size");
    let font = badge.css_value("font-size").await.expect("badge font size");
    let font: f64 = font
        .trim_end_matches("px")
        .parse()
        .unwrap_or_else(|_| panic!("font-size of `{css}` is {font}"));
    assert!(
        height < 1.8 * font,
        "`{css}` wraps: {height}px high for a {font}px font \
         (if ui/dist is older than ui/src, rebuild the UI and the app)"
    );
}

#[tokio::test]
async fn local_emulator_lists_the_seeded_cluster() {
    let emulator = seeded_emulator();
    let url = emulator.url.clone();
    let app = App::launch(Launch::emulator("clusters-list", &emulator.url, REGION)).await;
    app.run(|ui| async move {
        let banner = ui
            .wait_visible("[data-testid=emulator-banner]", UI_TIMEOUT)
            .await;
        let banner = banner.text().await.expect("banner text");
        assert!(
            banner.contains("nothing here touches real AWS"),
            "banner says: {banner}"
        );
        assert!(banner.contains(&url), "banner names {url}: {banner}");

        assert_eq!(
            ui.wait_visible("select[data-testid=environment-select]", UI_TIMEOUT)
                .await
                .prop("value")
                .await
                .expect("environment value")
                .as_deref(),
            Some("emulator")
        );
        assert_eq!(
            ui.wait_visible("select[data-testid=region-select]", UI_TIMEOUT)
                .await
                .prop("value")
                .await
                .expect("region value")
                .as_deref(),
            Some(REGION)
        );

        let identity = ui
            .wait_text("[data-testid=caller-identity]", LOCAL_USER_ARN, FIRST_LOAD)
            .await;
        assert!(
            !identity.contains(":root") && !identity.contains("root —"),
            "signed in as root: {identity}"
        );

        expect_cluster_listed(&ui, FIRST_LOAD).await;
        assert_eq!(cell(&ui, CLUSTER, "Name").await, CLUSTER);
        assert_eq!(cell(&ui, CLUSTER, "Status").await, "ACTIVE");
        expect_one_line(&ui, &format!("{} [data-status=ACTIVE]", row(CLUSTER))).await;
        assert_eq!(cell(&ui, CLUSTER, "Kubernetes").await, "1.33");
        assert!(
            cell(&ui, CLUSTER, "Tags")
                .await
                .contains("seeded-by=eks-desk-tests"),
            "tags of the seeded cluster are shown"
        );
        let heading = ui.text("[data-testid=clusters-page] h2").await;
        assert_eq!(heading, format!("EKS clusters in {REGION}"));
        assert!(!ui.exists("[data-testid=clusters-loading]").await);
        assert!(!ui.exists("[data-testid=clusters-empty]").await);
        assert!(!ui.exists("[role=alert]").await, "no error panel");

        // The fresh HOME has no kubeconfig.
        ui.wait_text(
            "[data-testid=kube-contexts]",
            "No kubeconfig contexts found",
            UI_TIMEOUT,
        )
        .await;

        ui.screenshot("clusters-list.png").await;
    })
    .await;
    drop(emulator);
}

#[tokio::test]
async fn switching_region_shows_empty_state_and_back() {
    let emulator = seeded_emulator();
    let app = App::launch(Launch::emulator("region-switch", &emulator.url, REGION)).await;
    app.run(|ui| async move {
        expect_cluster_listed(&ui, FIRST_LOAD).await;

        ui.select("select[data-testid=region-select]", OTHER_REGION)
            .await;
        let empty = ui
            .wait_visible("[data-testid=clusters-empty]", FIRST_LOAD)
            .await;
        let empty = empty.text().await.expect("empty text");
        assert!(
            empty.contains(&format!("No EKS clusters in {OTHER_REGION}")),
            "empty state says: {empty}"
        );
        ui.wait_absent(&row(CLUSTER), UI_TIMEOUT).await;
        assert!(!ui.exists("table[data-testid=cluster-table]").await);
        assert_eq!(
            ui.text("[data-testid=clusters-page] h2").await,
            format!("EKS clusters in {OTHER_REGION}")
        );
        // Still signed in, still on the emulator.
        ui.wait_text("[data-testid=caller-identity]", LOCAL_USER_ARN, FIRST_LOAD)
            .await;
        ui.wait_visible("[data-testid=emulator-banner]", UI_TIMEOUT)
            .await;
        ui.screenshot("clusters-empty.png").await;

        ui.select("select[data-testid=region-select]", REGION).await;
        expect_cluster_listed(&ui, FIRST_LOAD).await;
        ui.wait_absent("[data-testid=clusters-empty]", UI_TIMEOUT)
            .await;
        assert_eq!(cell(&ui, CLUSTER, "Kubernetes").await, "1.33");
    })
    .await;
    drop(emulator);
}

#[tokio::test]
async fn sidebar_pages_show_coming_soon() {
    let emulator = seeded_emulator();
    let app = App::launch(Launch::emulator("navigation", &emulator.url, REGION)).await;
    app.run(|ui| async move {
        ui.wait_visible("[data-testid=clusters-page]", FIRST_LOAD)
            .await;
        // Create is a page of its own (tests/create.rs); the others are to come.
        ui.click("[data-testid=nav-create]").await;
        ui.wait_visible("[data-testid=create-page]", UI_TIMEOUT)
            .await;
        ui.wait_absent("[data-testid=clusters-page]", UI_TIMEOUT)
            .await;
        for (page, title) in [("access", "Access"), ("settings", "Settings")] {
            ui.click(&format!("[data-testid=nav-{page}]")).await;
            let shown = ui
                .wait_visible(&format!("[data-testid=coming-soon-{page}]"), UI_TIMEOUT)
                .await;
            let text = shown.text().await.expect("page text");
            assert!(
                text.contains(title) && text.contains("Coming soon."),
                "{page} page says: {text}"
            );
            ui.wait_absent("[data-testid=clusters-page]", UI_TIMEOUT)
                .await;
            let current = ui
                .client
                .find(Locator::Css(&format!("[data-testid=nav-{page}]")))
                .await
                .expect("nav button")
                .attr("aria-current")
                .await
                .expect("aria-current");
            assert_eq!(current.as_deref(), Some("page"), "{page} is marked current");
        }
        ui.click("[data-testid=nav-clusters]").await;
        ui.wait_visible("[data-testid=clusters-page]", UI_TIMEOUT)
            .await;
        ui.wait_absent("[data-testid^=coming-soon-]", UI_TIMEOUT)
            .await;
        expect_cluster_listed(&ui, FIRST_LOAD).await;
    })
    .await;
    drop(emulator);
}

#[tokio::test]
async fn unreachable_endpoint_shows_an_error_panel() {
    // A loopback port where nothing listens: the "Local emulator" is down.
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let app = App::launch(Launch::emulator("error-unreachable", &endpoint, REGION)).await;
    app.run(|ui| async move {
        // The backend retries with backoff before giving up.
        let timeout = Duration::from_secs(45);
        let panel = ui
            .wait_visible(
                "[data-testid=clusters-page] [role=alert][data-code=endpoint_unreachable]",
                timeout,
            )
            .await;
        let text = panel.text().await.expect("panel text");
        assert!(text.contains("Endpoint unreachable"), "panel says: {text}");
        assert!(!ui.exists("table[data-testid=cluster-table]").await);
        assert!(!ui.exists("[data-testid=clusters-empty]").await);

        let identity = ui
            .wait_text("[data-testid=caller-identity]", "Not signed in", timeout)
            .await;
        assert!(
            !identity.contains("arn:aws"),
            "no identity when unreachable: {identity}"
        );
        ui.wait_visible("[data-testid=emulator-banner]", UI_TIMEOUT)
            .await;
        ui.screenshot("error-unreachable.png").await;
    })
    .await;
}

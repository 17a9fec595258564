//! Connect in the real window: an emulator cluster opens on the simulated
//! Kubernetes API (the repo's test API server, as `make run` starts it),
//! signed in with a real EKS token that the emulator's STS verifies, and
//! the window says it is simulated, how many nodes it has and who you are.

use eks_desk_e2e::emulator::Emulator;
use eks_desk_e2e::kube_api::KubeApi;
use eks_desk_e2e::{repo_root, seed_clusters_with_admin, App, Launch, UI_TIMEOUT};
use std::time::Duration;

const REGION: &str = "ap-northeast-2";
const CLUSTER: &str = "my-eks";
const LOCAL_USER_ARN: &str = "arn:aws:iam::000000000000:user/eks-desk-local";
const FIRST_LOAD: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread")]
async fn connect_on_an_emulator_cluster_shows_simulated_nodes_and_who_you_are() {
    let emulator = Emulator::start(&repo_root());
    seed_clusters_with_admin(&emulator.url, REGION, &[CLUSTER], LOCAL_USER_ARN);
    let api = KubeApi::start(&emulator.url, &["--simulate", "--nodes", "3"]);
    let mut launch = Launch::emulator("connect", &emulator.url, REGION);
    launch
        .env
        .push(("EKS_DESK_SIMULATED_KUBE_API".into(), api.ready_line.clone()));
    let app = App::launch(launch).await;
    app.run(|ui| async move {
        let connect = format!("[data-testid=\"connect-{CLUSTER}\"]");
        ui.wait_visible(&connect, FIRST_LOAD).await;
        ui.wait_visible(
            &format!("tr[data-cluster=\"{CLUSTER}\"] [data-status=ACTIVE]"),
            UI_TIMEOUT,
        )
        .await;
        ui.screenshot("clusters-with-connect.png").await;
        ui.click(&connect).await;
        ui.wait_visible("[data-testid=cluster-view]", UI_TIMEOUT)
            .await;
        ui.wait_text("[data-testid=simulated-badge]", "simulated", UI_TIMEOUT)
            .await;
        ui.wait_text("[data-testid=node-count]", "3", UI_TIMEOUT)
            .await;
        ui.wait_text(
            "[data-testid=identity-username]",
            LOCAL_USER_ARN,
            UI_TIMEOUT,
        )
        .await;
        ui.wait_text("[data-testid=kubernetes-version]", "v1.33", UI_TIMEOUT)
            .await;
        ui.screenshot("connect-cluster.png").await;

        // The live views: overview, the node map, the pods table.
        ui.wait_visible("[data-testid=live-indicator][data-state=live]", UI_TIMEOUT)
            .await;
        ui.click("[data-testid=tab-overview]").await;
        ui.wait_visible("[data-testid=workloads-overview]", UI_TIMEOUT)
            .await;
        ui.screenshot("workloads-overview.png").await;
        ui.click("[data-testid=tab-nodes]").await;
        ui.wait_visible("[data-testid=node-map] [data-testid=node-card]", UI_TIMEOUT)
            .await;
        let cards = ui
            .client
            .find_all(fantoccini::Locator::Css("[data-testid=node-card]"))
            .await
            .expect("node cards");
        assert_eq!(cards.len(), 3, "one card per node");
        ui.screenshot("workloads-nodes.png").await;
        ui.click("[data-testid=tab-pods]").await;
        ui.wait_visible("[data-testid=pods-table] [data-testid=pod-row]", UI_TIMEOUT)
            .await;
        ui.screenshot("workloads-pods.png").await;
    })
    .await;
    drop(api);
}

//! The workloads operations against the test API server: a pod's detail
//! (containers, events, YAML without managedFields), its log (tail,
//! follow, the previous container refused when there is none), deleting
//! it only once confirmed, controllers with desired/ready, scaling and
//! restarting a rollout, and a viewer denied with Kubernetes' words.

#[path = "support/kube_api.rs"]
mod kube_api;

use std::time::{Duration, Instant};

use eks_desk::workloads::controllers::ControllerRef;
use eks_desk::workloads::{
    controllers, delete_pod, pod_detail, rollout_restart, scale, stream_logs, ControllerKind,
    DeletePodRequest, LogEnd, LogRequest, PodRef, RestartRequest, ScaleRequest, WorkloadError,
};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::api::ListParams;
use kube::Api;
use serde_json::json;

async fn client(api: &kube_api::KubeApi, token: &str) -> kube::Client {
    let ca = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        std::fs::read(&api.ca_file).unwrap(),
    );
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\nusers:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: u\ncurrent-context: t\n",
        api.url
    );
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&text).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    kube::Client::try_from(config).unwrap()
}

fn server() -> kube_api::KubeApi {
    kube_api::KubeApi::start_with(&[
        "--simulate",
        "--static-token",
        "admin-token=admin:system:masters",
        "--static-token",
        "viewer-token=viewer:view",
    ])
}

/// The first pod of the `web` deployment in `default`.
async fn web_pod(client: &kube::Client) -> Pod {
    let pods: Api<Pod> = Api::namespaced(client.clone(), "default");
    pods.list(&ListParams::default().labels("app=web"))
        .await
        .unwrap()
        .items
        .into_iter()
        .next()
        .expect("a web pod")
}

fn reference(pod: &Pod) -> PodRef {
    PodRef {
        namespace: pod.metadata.namespace.clone().unwrap(),
        name: pod.metadata.name.clone().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pods_detail_and_log_and_a_confirmed_delete() {
    let api = server();
    let admin = client(&api, "admin-token").await;
    let pod = reference(&web_pod(&admin).await);

    let detail = pod_detail(&admin, &pod).await.unwrap();
    assert_eq!(detail.row.name, pod.name);
    assert!(!detail.containers.is_empty());
    assert!(detail.containers.iter().all(|c| !c.image.is_empty()));
    assert!(detail.conditions.iter().any(|c| c.kind == "Ready"));
    assert!(
        detail.yaml.contains(&format!("name: {}", pod.name)),
        "{}",
        detail.yaml
    );
    assert!(
        !detail.yaml.contains("managedFields"),
        "managedFields are left out"
    );

    // The log: the last lines, then following it sees new lines.
    let container = detail
        .containers
        .iter()
        .find(|c| !c.init)
        .unwrap()
        .name
        .clone();
    api.control(
        "POST",
        "/logs",
        json!({"namespace": pod.namespace, "pod": pod.name, "container": container,
               "lines": ["first", "second \u{1b}[31mred\u{1b}[0m", "third \u{202e}evil"]}),
    );
    let request = LogRequest {
        pod: pod.clone(),
        container: Some(container.clone()),
        follow: false,
        previous: false,
        tail_lines: Some(2),
        timestamps: false,
    };
    let mut lines = Vec::new();
    let end = stream_logs(&admin, &request, |batch| {
        lines.extend(batch);
        true
    })
    .await
    .unwrap();
    assert_eq!(end, LogEnd::Complete);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0], "second ␛[31mred␛[0m",
        "escapes are shown, not run"
    );
    assert_eq!(lines[1], "third <U+202E>evil", "bidi controls are shown");

    let follow = LogRequest {
        follow: true,
        tail_lines: Some(0),
        ..request.clone()
    };
    let mut seen = Vec::new();
    let end = tokio::time::timeout(
        Duration::from_secs(30),
        stream_logs(&admin, &follow, |batch| {
            seen.extend(batch);
            seen.is_empty()
        }),
    )
    .await
    .expect("a followed log keeps coming")
    .unwrap();
    assert_eq!(end, LogEnd::Stopped);
    assert!(!seen.is_empty());

    // A pod that never restarted has no previous container.
    api.control(
        "POST",
        "/pods",
        json!({"namespace": "default", "name": "fresh"}),
    );
    let fresh = PodRef {
        namespace: "default".into(),
        name: "fresh".into(),
    };
    let previous = LogRequest {
        pod: fresh.clone(),
        container: pod_detail(&admin, &fresh)
            .await
            .unwrap()
            .containers
            .first()
            .map(|c| c.name.clone()),
        previous: true,
        ..request.clone()
    };
    let err = stream_logs(&admin, &previous, |_| true).await.unwrap_err();
    assert!(
        matches!(&err, WorkloadError::Api { code: 400, message } if message.contains("previous terminated container")),
        "{err:?}"
    );

    // Delete: refused unconfirmed, done confirmed (and the pod goes).
    let unconfirmed = delete_pod(
        &admin,
        &DeletePodRequest {
            pod: pod.clone(),
            confirmed: false,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        unconfirmed,
        WorkloadError::Invalid {
            field: "confirmed",
            ..
        }
    ));
    pod_detail(&admin, &pod).await.expect("still there");
    delete_pod(
        &admin,
        &DeletePodRequest {
            pod: pod.clone(),
            confirmed: true,
        },
    )
    .await
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match pod_detail(&admin, &pod).await {
            Err(WorkloadError::NotFound { .. }) => break,
            Ok(d) => {
                assert!(Instant::now() < deadline, "still {}", d.row.status);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{e:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn controllers_scale_and_restart_and_a_viewer_is_denied() {
    let api = server();
    let admin = client(&api, "admin-token").await;
    let all = controllers(&admin, None).await.unwrap();
    assert!(all.forbidden.is_empty(), "{:?}", all.forbidden);
    let coredns = all
        .rows
        .iter()
        .find(|r| r.kind == ControllerKind::Deployment && r.name == "coredns")
        .expect("coredns");
    assert_eq!(
        (coredns.desired, coredns.namespace.as_str()),
        (2, "kube-system")
    );
    assert!(all
        .rows
        .iter()
        .any(|r| r.kind == ControllerKind::DaemonSet && r.name == "aws-node"));

    let web = ControllerRef {
        kind: ControllerKind::Deployment,
        namespace: "default".into(),
        name: "web".into(),
    };
    let refused = scale(
        &admin,
        &ScaleRequest {
            controller: web.clone(),
            replicas: 5,
            confirmed: false,
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(
        refused,
        WorkloadError::Invalid {
            field: "confirmed",
            ..
        }
    ));
    scale(
        &admin,
        &ScaleRequest {
            controller: web.clone(),
            replicas: 5,
            confirmed: true,
        },
    )
    .await
    .unwrap();
    let pods: Api<Pod> = Api::namespaced(admin.clone(), "default");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let n = pods
            .list(&ListParams::default().labels("app=web"))
            .await
            .unwrap()
            .items
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .count();
        if n == 5 {
            break;
        }
        assert!(Instant::now() < deadline, "{n} web pods");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A rollout restart: the template changes, so a new ReplicaSet comes.
    let sets: Api<ReplicaSet> = Api::namespaced(admin.clone(), "default");
    let before = sets.list(&ListParams::default()).await.unwrap().items.len();
    rollout_restart(
        &admin,
        &RestartRequest {
            controller: web.clone(),
            confirmed: true,
        },
    )
    .await
    .unwrap();
    let deployment = Api::<Deployment>::namespaced(admin.clone(), "default")
        .get("web")
        .await
        .unwrap();
    let annotations = deployment
        .spec
        .template
        .metadata
        .and_then(|m| m.annotations)
        .unwrap_or_default();
    assert!(
        annotations.contains_key("kubectl.kubernetes.io/restartedAt"),
        "{annotations:?}"
    );
    let after = sets.list(&ListParams::default()).await.unwrap().items.len();
    assert!(after > before, "a new ReplicaSet: {before} → {after}");

    // The viewer may list but not scale.
    let viewer = client(&api, "viewer-token").await;
    let err = scale(
        &viewer,
        &ScaleRequest {
            controller: web,
            replicas: 1,
            confirmed: true,
        },
    )
    .await
    .unwrap_err();
    let WorkloadError::Forbidden { message } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("\"viewer\""), "{message}");
}

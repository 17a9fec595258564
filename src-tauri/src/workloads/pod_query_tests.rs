//! The pods table's queries over a store fed like a watcher feeds it.

use super::*;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher::Event;
use serde_json::json;

fn pod(ns: &str, name: &str, phase: &str, restarts: i32, created: &str, app: &str) -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": ns, "uid": format!("{ns}-{name}"),
                     "creationTimestamp": created, "labels": {"app": app}},
        "spec": {"nodeName": format!("node-{}", restarts % 3), "containers": [{"name": "c"}]},
        "status": {"phase": phase, "podIP": format!("10.0.0.{restarts}"),
                   "conditions": [{"type": "Initialized", "status": "True"}],
                   "containerStatuses": [{"name": "c", "ready": phase == "Running", "restartCount": restarts,
                                          "image": "i", "imageID": "",
                                          "state": if phase == "Running" { json!({"running": {}}) } else { json!({"waiting": {"reason": "CrashLoopBackOff"}}) }}]}
    }))
    .unwrap()
}

fn store(pods: &[Pod]) -> RowStore<PodRow> {
    let mut s = RowStore::default();
    s.apply(&Event::Init);
    for p in pods {
        s.apply(&Event::InitApply(p.clone()));
    }
    s.apply(&Event::InitDone);
    s
}

fn names(w: &PodWindow) -> Vec<String> {
    w.rows.iter().map(|r| r.name.clone()).collect()
}

fn sample() -> RowStore<PodRow> {
    store(&[
        pod("shop", "web-1", "Running", 0, "2026-12-01T10:00:00Z", "web"),
        pod("shop", "web-2", "Running", 5, "2026-12-01T11:00:00Z", "web"),
        pod("shop", "db-0", "Pending", 2, "2026-12-01T09:00:00Z", "db"),
        pod(
            "kube-system",
            "coredns-1",
            "Running",
            1,
            "2026-12-01T08:00:00Z",
            "dns",
        ),
    ])
}

#[test]
fn namespace_search_labels_and_status_narrow_the_rows() {
    let s = sample();
    let q = |f: &dyn Fn(&mut PodQuery)| {
        let mut q = PodQuery {
            limit: 100,
            ..Default::default()
        };
        f(&mut q);
        pod_window(&s, &q).unwrap()
    };
    let all = q(&|_| {});
    assert_eq!((all.total, all.matching), (4, 4));
    assert_eq!(
        names(&q(&|q| q.namespace = Some("kube-system".into()))),
        ["coredns-1"]
    );
    assert_eq!(names(&q(&|q| q.search = "WEB".into())), ["web-1", "web-2"]);
    assert_eq!(
        names(&q(&|q| q.node = Some("node-2".into()))),
        ["db-0", "web-2"],
        "restarts % 3 == 2"
    );
    assert_eq!(names(&q(&|q| q.search = "10.0.0.5".into())), ["web-2"]);
    assert_eq!(
        names(&q(&|q| q.labels = "app in (db,dns)".into())),
        ["coredns-1", "db-0"]
    );
    assert_eq!(names(&q(&|q| q.status = StatusFilter::Problems)), ["db-0"]);
    assert_eq!(
        names(&q(&|q| q.status = StatusFilter::Phase(PodPhase::Pending))),
        ["db-0"]
    );
    let err = pod_window(
        &s,
        &PodQuery {
            labels: "app in web".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("parentheses"), "{err}");
}

#[test]
fn every_column_sorts_both_ways_and_ties_break_by_name() {
    let s = sample();
    let sorted = |sort: PodColumn, descending: bool| {
        names(
            &pod_window(
                &s,
                &PodQuery {
                    sort,
                    descending,
                    limit: 100,
                    ..Default::default()
                },
            )
            .unwrap(),
        )
    };
    assert_eq!(
        sorted(PodColumn::Name, false),
        ["coredns-1", "db-0", "web-1", "web-2"]
    );
    assert_eq!(
        sorted(PodColumn::Restarts, true),
        ["web-2", "db-0", "coredns-1", "web-1"]
    );
    assert_eq!(
        sorted(PodColumn::Age, false),
        ["web-2", "web-1", "db-0", "coredns-1"]
    );
    assert_eq!(
        sorted(PodColumn::Namespace, false),
        ["coredns-1", "db-0", "web-1", "web-2"]
    );
    assert_eq!(
        sorted(PodColumn::Status, false)[0],
        "db-0",
        "CrashLoopBackOff < Running"
    );
    for column in [
        PodColumn::Ready,
        PodColumn::Node,
        PodColumn::Ip,
        PodColumn::Owner,
    ] {
        let up = sorted(column, false);
        let mut down = sorted(column, true);
        down.reverse();
        assert_eq!(up, down, "{column:?} reverses exactly");
    }
}

#[test]
fn only_the_asked_window_comes_back_in_order() {
    let pods: Vec<Pod> = (0..2500)
        .map(|i| {
            pod(
                "big",
                &format!("p-{i:05}"),
                "Running",
                i % 7,
                "2026-12-01T10:00:00Z",
                "x",
            )
        })
        .collect();
    let s = store(&pods);
    let w = pod_window(
        &s,
        &PodQuery {
            offset: 1200,
            limit: 50,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(w.matching, 2500);
    assert_eq!(w.offset, 1200);
    assert_eq!(w.rows.len(), 50);
    assert_eq!(w.rows[0].name, "p-01200");
    assert_eq!(w.rows[49].name, "p-01249");
    let huge = pod_window(
        &s,
        &PodQuery {
            limit: 100_000,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(huge.rows.len(), MAX_WINDOW as usize, "a window is capped");
    let past = pod_window(
        &s,
        &PodQuery {
            offset: 9999,
            limit: 10,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(past.rows.is_empty());
}

#[test]
fn a_relist_replaces_the_rows_with_what_the_server_listed() {
    let mut s = sample();
    let v = s.version();
    // A watch event, then a 410 Gone: the watcher lists again, and what was
    // deleted meanwhile (web-1, db-0) must not survive.
    s.apply(&Event::Apply(pod(
        "shop",
        "web-3",
        "Running",
        0,
        "2026-12-01T12:00:00Z",
        "web",
    )));
    assert_eq!(s.len(), 5);
    s.apply(&Event::Init);
    assert_eq!(s.len(), 5, "the old rows stay visible while relisting");
    for p in [
        pod("shop", "web-2", "Running", 5, "2026-12-01T11:00:00Z", "web"),
        pod(
            "kube-system",
            "coredns-1",
            "Running",
            1,
            "2026-12-01T08:00:00Z",
            "dns",
        ),
    ] {
        s.apply(&Event::InitApply(p));
    }
    s.apply(&Event::InitDone);
    let mut keys: Vec<String> = s.rows().map(|r| r.key()).collect();
    keys.sort();
    assert_eq!(keys, ["kube-system/coredns-1", "shop/web-2"]);
    assert!(s.version() > v);
    assert!(s.apply(&Event::Delete(pod(
        "shop",
        "web-2",
        "Running",
        5,
        "2026-12-01T11:00:00Z",
        "web"
    ))));
    assert_eq!(s.len(), 1);
}

#[test]
fn the_first_list_shows_its_rows_as_they_come_and_a_relist_only_when_complete() {
    let mut s: RowStore<PodRow> = RowStore::default();
    s.apply(&Event::Init);
    s.apply(&Event::InitApply(pod(
        "a",
        "first",
        "Running",
        0,
        "2026-12-01T10:00:00Z",
        "x",
    )));
    assert_eq!(s.len(), 1, "a first page is visible before the list ends");
    assert!(!s.synced());
    s.apply(&Event::InitDone);
    assert!(s.synced());
    s.apply(&Event::Init);
    s.apply(&Event::InitApply(pod(
        "a",
        "second",
        "Running",
        0,
        "2026-12-01T10:00:00Z",
        "x",
    )));
    let names: Vec<String> = s.rows().map(|r| r.name.clone()).collect();
    assert_eq!(
        names,
        ["first"],
        "a relist shows nothing until it is complete"
    );
    s.apply(&Event::InitDone);
    let names: Vec<String> = s.rows().map(|r| r.name.clone()).collect();
    assert_eq!(names, ["second"]);
}

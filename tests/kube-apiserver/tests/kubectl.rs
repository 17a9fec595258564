//! The server proven with a client nobody here wrote: kubectl v1.32.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{kubectl, wait_until, KubectlStream, Server};

fn server(extra: &[&str]) -> Server {
    let mut args = vec![
        "--simulate",
        "--static-token",
        "admin-token=admin:system:masters",
        "--static-token",
        "view-token=jane:view",
    ];
    args.extend_from_slice(extra);
    Server::start(&args)
}

#[test]
fn get_nodes_shows_eks_nodes() {
    let s = server(&[]);
    let kc = s.kubeconfig("admin-token");
    let out = kubectl(&kc, &["get", "nodes", "-o", "wide"]);
    assert!(out.ok, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{}", out.stdout);
    assert!(
        rows.iter()
            .all(|r| r.starts_with("ip-10-0-") && r.contains(".us-west-2.compute.internal")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("SchedulingDisabled"),
        "one node is cordoned: {}",
        out.stdout
    );
    assert!(out.stdout.contains("Amazon Linux 2023"), "{}", out.stdout);
    let labels = kubectl(
        &kc,
        &[
            "get",
            "nodes",
            "-L",
            "eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type",
        ],
    );
    assert!(
        labels.stdout.contains("spot-arm") && labels.stdout.contains("t4g.xlarge"),
        "{}",
        labels.stdout
    );
}

#[test]
fn get_pods_in_chunks_lists_every_pod() {
    let s = server(&["--pods", "180"]);
    let kc = s.kubeconfig("admin-token");
    let total = s.stats()["objects"]["pods"].as_u64().unwrap();
    assert!(total > 150, "the scale added pods: {total}");
    let out = kubectl(
        &kc,
        &[
            "get",
            "pods",
            "-A",
            "--chunk-size=50",
            "--no-headers",
            "-v=6",
        ],
    );
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count() as u64, total, "{}", out.stdout);
    let pages = out.stderr.matches("limit=50").count();
    assert!(
        pages >= 4,
        "kubectl paged ({pages} requests with limit=50):\n{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("CrashLoopBackOff")
            && out.stdout.contains("Pending")
            && out.stdout.contains("Completed"),
        "{}",
        out.stdout
    );
}

#[test]
fn watch_sees_a_churned_update() {
    let s = server(&[]);
    let kc = s.kubeconfig("admin-token");
    let mut w = KubectlStream::start(&kc, &["get", "pods", "-A", "-w", "--output-watch-events"]);
    w.wait_for("the initial list", Duration::from_secs(30), |l| {
        l.contains("coredns-")
    });
    s.control("POST", "/churn", json!({"podUpdatesPerSecond": 20}));
    let line = w.wait_for("a MODIFIED event", Duration::from_secs(30), |l| {
        l.starts_with("MODIFIED")
    });
    assert!(
        line.contains("Running")
            || line.contains("Terminating")
            || line.contains("ContainerCreating"),
        "{line}"
    );
}

#[test]
fn logs_follow_sees_an_appended_line() {
    let s = server(&[]);
    let kc = s.kubeconfig("admin-token");
    let pods = kubectl(&kc, &["get", "pods", "-n", "default", "-o", "name"]);
    let pod = pods
        .stdout
        .lines()
        .next()
        .expect("a web pod")
        .trim_start_matches("pod/")
        .to_string();
    let mut f = KubectlStream::start(&kc, &["logs", "-f", "-n", "default", &pod, "--tail=2"]);
    f.wait_for("the tail", Duration::from_secs(30), |l| {
        l.contains("HTTP/1.1")
    });
    s.control(
        "POST",
        "/logs",
        json!({"namespace": "default", "pod": pod, "lines": ["appended by the test 7f3a"]}),
    );
    f.wait_for("the appended line", Duration::from_secs(30), |l| {
        l.contains("appended by the test 7f3a")
    });
    let many = kubectl(
        &kc,
        &["logs", "-n", "kube-system", "ds/aws-node", "-c", "nope"],
    );
    assert!(
        !many.ok && many.stderr.contains("is not valid for pod"),
        "{}",
        many.stderr
    );
}

#[test]
fn whoami_and_can_i() {
    let s = server(&[]);
    let admin = s.kubeconfig("admin-token");
    let view = s.kubeconfig("view-token");
    let who = kubectl(&admin, &["auth", "whoami"]);
    assert!(
        who.ok && who.stdout.contains("admin") && who.stdout.contains("system:masters"),
        "{}{}",
        who.stdout,
        who.stderr
    );
    let who = kubectl(&view, &["auth", "whoami", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&who.stdout).expect("json");
    assert_eq!(v["status"]["userInfo"]["username"], "jane");
    assert_eq!(
        kubectl(&admin, &["auth", "can-i", "delete", "pods"])
            .stdout
            .trim(),
        "yes"
    );
    let no = kubectl(&view, &["auth", "can-i", "delete", "pods", "-n", "default"]);
    assert_eq!(no.stdout.trim(), "no");
    assert!(!no.ok, "can-i exits 1 on no");
    assert_eq!(
        kubectl(&view, &["auth", "can-i", "list", "pods", "-n", "shop"])
            .stdout
            .trim(),
        "yes"
    );
    assert_eq!(
        kubectl(&view, &["auth", "can-i", "list", "nodes"])
            .stdout
            .trim(),
        "no"
    );
    let bad = kubectl(&s.kubeconfig("wrong-token"), &["get", "pods"]);
    assert!(
        !bad.ok && bad.stderr.contains("Unauthorized"),
        "{}",
        bad.stderr
    );
}

#[test]
fn delete_pod_is_allowed_for_admin_and_forbidden_for_view() {
    let s = server(&[]);
    let admin = s.kubeconfig("admin-token");
    let view = s.kubeconfig("view-token");
    let pods = kubectl(
        &admin,
        &[
            "get", "pods", "-n", "default", "-l", "app=web", "-o", "name",
        ],
    );
    let pod = pods
        .stdout
        .lines()
        .next()
        .expect("web pod")
        .trim_start_matches("pod/")
        .to_string();
    let denied = kubectl(&view, &["delete", "pod", "-n", "default", &pod]);
    assert!(!denied.ok);
    assert!(
        denied.stderr.contains(&format!(
            "pods \"{pod}\" is forbidden: User \"jane\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\""
        )),
        "{}",
        denied.stderr
    );
    let ok = kubectl(&admin, &["delete", "pod", "-n", "default", &pod]);
    assert!(
        ok.ok && ok.stdout.contains("deleted"),
        "{}{}",
        ok.stdout,
        ok.stderr
    );
    // The ReplicaSet replaced it.
    wait_until("a replacement pod", Duration::from_secs(20), || {
        let o = kubectl(
            &admin,
            &[
                "get",
                "pods",
                "-n",
                "default",
                "-l",
                "app=web",
                "--no-headers",
            ],
        );
        let running: Vec<&str> = o.stdout.lines().filter(|l| l.contains("Running")).collect();
        (running.len() == 3 && !o.stdout.contains(&pod)).then_some(())
    });
}

#[test]
fn scale_and_rollout_restart_change_pods() {
    let s = server(&[]);
    let kc = s.kubeconfig("admin-token");
    let out = kubectl(
        &kc,
        &[
            "scale",
            "deployment",
            "web",
            "-n",
            "default",
            "--replicas=5",
        ],
    );
    assert!(out.ok, "{}", out.stderr);
    wait_until("5 running web pods", Duration::from_secs(20), || {
        let o = kubectl(
            &kc,
            &[
                "get",
                "pods",
                "-n",
                "default",
                "-l",
                "app=web",
                "--no-headers",
            ],
        );
        (o.stdout
            .lines()
            .filter(|l| l.contains("1/1") && l.contains("Running"))
            .count()
            == 5)
            .then_some(())
    });
    let before = kubectl(&kc, &["get", "rs", "-n", "default", "-o", "name"]).stdout;
    let out = kubectl(
        &kc,
        &["rollout", "restart", "deployment", "web", "-n", "default"],
    );
    assert!(out.ok, "{}", out.stderr);
    let rs = wait_until(
        "a new ReplicaSet with the pods",
        Duration::from_secs(20),
        || {
            let now = kubectl(&kc, &["get", "rs", "-n", "default", "--no-headers"]).stdout;
            let new: Vec<String> = now
                .lines()
                .filter(|l| !before.contains(l.split_whitespace().next().unwrap_or("")))
                .map(str::to_string)
                .collect();
            new.first()
                .filter(|l| l.split_whitespace().nth(3) == Some("5"))
                .cloned()
        },
    );
    let name = rs.split_whitespace().next().unwrap().to_string();
    wait_until(
        "all web pods from the new ReplicaSet",
        Duration::from_secs(20),
        || {
            let o = kubectl(
                &kc,
                &[
                    "get",
                    "pods",
                    "-n",
                    "default",
                    "-l",
                    "app=web",
                    "--no-headers",
                ],
            );
            let rows: Vec<&str> = o.stdout.lines().collect();
            (rows.len() == 5 && rows.iter().all(|r| r.starts_with(&name))).then_some(())
        },
    );
    let ann = kubectl(
        &kc,
        &[
            "get",
            "deploy",
            "web",
            "-n",
            "default",
            "-o",
            "jsonpath={.spec.template.metadata.annotations}",
        ],
    );
    assert!(
        ann.stdout.contains("kubectl.kubernetes.io/restartedAt"),
        "{}",
        ann.stdout
    );
    let sts = kubectl(
        &kc,
        &[
            "scale",
            "statefulset",
            "redis",
            "-n",
            "shop",
            "--replicas=3",
        ],
    );
    assert!(sts.ok, "{}", sts.stderr);
    wait_until("redis-2", Duration::from_secs(20), || {
        kubectl(&kc, &["get", "pod", "redis-2", "-n", "shop"])
            .ok
            .then_some(())
    });
}

#[test]
fn configmap_edits_and_unimplemented_verbs() {
    let s = server(&[]);
    let kc = s.kubeconfig("admin-token");
    let auth = kubectl(
        &kc,
        &[
            "get",
            "configmap",
            "aws-auth",
            "-n",
            "kube-system",
            "-o",
            "jsonpath={.data.mapRoles}",
        ],
    );
    assert!(
        auth.stdout.contains("rolearn: arn:aws:iam::") && auth.stdout.contains("system:nodes"),
        "{}",
        auth.stdout
    );
    let patched = kubectl(
        &kc,
        &[
            "patch",
            "configmap",
            "aws-auth",
            "-n",
            "kube-system",
            "--type=merge",
            "-p",
            r#"{"data":{"mapUsers":"- userarn: arn:aws:iam::000000000000:user/ops\n  username: ops\n"}}"#,
        ],
    );
    assert!(patched.ok, "{}", patched.stderr);
    let created = kubectl(
        &kc,
        &[
            "create",
            "configmap",
            "settings",
            "-n",
            "default",
            "--from-literal=a=b",
        ],
    );
    assert!(created.ok, "{}", created.stderr);
    let again = kubectl(
        &kc,
        &[
            "create",
            "configmap",
            "settings",
            "-n",
            "default",
            "--from-literal=a=b",
        ],
    );
    assert!(
        again
            .stderr
            .contains("configmaps \"settings\" already exists"),
        "{}",
        again.stderr
    );
    let unknown = kubectl(&kc, &["get", "secrets"]);
    assert!(
        !unknown.ok
            && unknown
                .stderr
                .contains("the server doesn't have a resource type \"secrets\""),
        "{}",
        unknown.stderr
    );
    let raw = kubectl(&kc, &["get", "--raw", "/api/v1/namespaces/default/secrets"]);
    assert!(!raw.ok && raw.stderr.contains("NotFound"), "{}", raw.stderr);
    let label = kubectl(&kc, &["label", "node", "--all", "x=y"]);
    assert!(
        !label.ok && label.stderr.contains("MethodNotAllowed"),
        "{}",
        label.stderr
    );
    let create = kubectl(
        &kc,
        &[
            "create",
            "deployment",
            "x",
            "--image=nginx",
            "-n",
            "default",
        ],
    );
    assert!(
        !create.ok
            && create
                .stderr
                .contains("create is not supported on resources of kind \"deployments.apps\""),
        "{}",
        create.stderr
    );
}

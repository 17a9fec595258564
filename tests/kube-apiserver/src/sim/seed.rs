//! What a new EKS cluster holds (namespaces, aws-auth, the VPC CNI and
//! kube-proxy DaemonSets, CoreDNS) and the small simulated workload set of
//! `--simulate`: a few namespaces, one crash-looping pod, one Pending pod,
//! a completed and a failed Job.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::model::meta::{key_of, mix, now, suffix, Labels, Meta, OwnerRef};
use crate::model::node::Node;
use crate::model::object::{Body, Object};
use crate::model::pod::{Container, Phase, Pod, State, Terminated};
use crate::model::resources::Res;

use super::cluster::Cluster;
use super::workloads::{reconcile_daemonset, reconcile_deployment, reconcile_statefulset};

pub const ACCOUNT: &str = "000000000000";
const DAY: i64 = 86_400;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    let mut l: Labels = pairs
        .iter()
        .map(|(k, v)| (Arc::from(*k), Arc::from(*v)))
        .collect();
    l.sort();
    l
}

fn meta(ns: &str, name: &str, created: i64, l: Labels) -> Meta {
    Meta {
        name: name.to_string(),
        namespace: Arc::from(ns),
        created,
        labels: l,
        ..Meta::default()
    }
}

fn json_object(res: Res, meta: Meta, body: Value) -> Object {
    let body = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    Object {
        res,
        meta,
        body: Body::Json(body),
    }
}

pub fn ensure_namespace(c: &mut Cluster, name: &str, created: i64) {
    if c.store.get(Res::Namespaces, &key_of("", name)).is_some() {
        return;
    }
    c.store.put(json_object(
        Res::Namespaces,
        meta(
            "",
            name,
            created,
            labels(&[("kubernetes.io/metadata.name", name)]),
        ),
        json!({"spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
    ));
    c.store.put(json_object(
        Res::ConfigMaps,
        Meta {
            annotations: vec![(
                "kubernetes.io/description".into(),
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.".into(),
            )],
            ..meta(name, "kube-root-ca.crt", created, Labels::new())
        },
        json!({"data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIEXAMPLE\n-----END CERTIFICATE-----\n"}}),
    ));
}

pub fn workload_template(
    app: &str,
    containers: &[(&str, &str, &str, &str)],
    extra: Value,
) -> Value {
    let cs: Vec<Value> = containers
        .iter()
        .map(|(name, image, cpu, mem)| {
            json!({"name": name, "image": image, "imagePullPolicy": "IfNotPresent",
                   "resources": {"requests": {"cpu": cpu, "memory": mem}}})
        })
        .collect();
    let mut spec = json!({"containers": cs, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
                          "schedulerName": "default-scheduler", "terminationGracePeriodSeconds": 30});
    if let (Value::Object(e), Some(s)) = (extra, spec.as_object_mut()) {
        s.extend(e);
    }
    json!({"metadata": {"labels": {"app.kubernetes.io/name": app, "app": app}}, "spec": spec})
}

/// Adds a Deployment and lets its controller make the ReplicaSet and pods.
pub fn add_deployment(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    replicas: u64,
    template: Value,
    created: i64,
) {
    ensure_namespace(c, ns, created);
    let app = template["metadata"]["labels"]["app"]
        .as_str()
        .unwrap_or(name)
        .to_string();
    let body = json!({
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": app}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                 "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600, "template": template},
        "status": {},
    });
    let mut m = meta(ns, name, created, labels(&[("app", &app)]));
    m.generation = 1;
    m.annotations = vec![("deployment.kubernetes.io/revision".into(), "1".into())];
    c.store.put(json_object(Res::Deployments, m, body));
    reconcile_deployment(c, &key_of(ns, name));
}

fn add_daemonset(c: &mut Cluster, name: &str, template: Value, created: i64) {
    let app = template["metadata"]["labels"]["app"]
        .as_str()
        .unwrap_or(name)
        .to_string();
    let mut m = meta("kube-system", name, created, labels(&[("k8s-app", name)]));
    m.generation = 1;
    c.store.put(json_object(
        Res::DaemonSets,
        m,
        json!({"spec": {"selector": {"matchLabels": {"app": app}}, "template": template,
                        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%"}}},
               "status": {}}),
    ));
    reconcile_daemonset(c, &key_of("kube-system", name));
}

/// One managed-node-group node; `index` makes its IP, name and instance id.
pub fn add_node(
    c: &mut Cluster,
    nodegroup: &str,
    instance: &'static str,
    spot: bool,
    created: i64,
) -> String {
    let index = c.node_seq;
    c.node_seq += 1;
    let zone_idx = index % 3;
    let n = index / 3;
    let ip = u32::from_be_bytes([
        10,
        0,
        (zone_idx * 64 + (n / 250) % 64) as u8,
        (n % 250 + 4) as u8,
    ]);
    let b = ip.to_be_bytes();
    let name = format!(
        "ip-{}-{}-{}-{}.{}.compute.internal",
        b[0], b[1], b[2], b[3], c.region
    );
    let zone = format!("{}{}", c.region, ["a", "b", "c"][zone_idx as usize]);
    let node = Node {
        instance,
        zone: Arc::from(zone.as_str()),
        region: Arc::from(c.region.as_str()),
        nodegroup: Arc::from(nodegroup),
        spot,
        ready: true,
        unschedulable: false,
        taints: Vec::new(),
        ip,
        instance_id: format!("i-0{:016x}", mix(index as u64 + 77) >> 4),
        ready_since: created,
    };
    let mut l = labels(&[]);
    for (k, v) in node.labels(&name) {
        l.push((Arc::from(k.as_str()), Arc::from(v.as_str())));
    }
    l.sort();
    let m = Meta {
        annotations: vec![
            (
                "alpha.kubernetes.io/provided-node-ip".into(),
                crate::model::pod::ip_string(ip),
            ),
            ("node.alpha.kubernetes.io/ttl".into(), "0".into()),
            (
                "volumes.kubernetes.io/controller-managed-attach-detach".into(),
                "true".into(),
            ),
        ],
        ..meta("", &name, created, l)
    };
    c.store.put(Object {
        res: Res::Nodes,
        meta: m,
        body: Body::Node(Box::new(node)),
    });
    c.nodes_changed();
    name
}

pub fn ecr(region: &str, image: &str) -> String {
    format!("602401143452.dkr.ecr.{region}.amazonaws.com/{image}")
}

/// What every EKS cluster has before anyone deploys to it.
pub fn seed_base(c: &mut Cluster) {
    let created = now() - 12 * DAY;
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        ensure_namespace(c, ns, created);
    }
    let node_role = format!("arn:aws:iam::{ACCOUNT}:role/eks-desk-node-role");
    c.store.put(json_object(
        Res::ConfigMaps,
        meta("kube-system", "aws-auth", created, Labels::new()),
        json!({"data": {"mapRoles": format!(
            "- groups:\n  - system:bootstrappers\n  - system:nodes\n  rolearn: {node_role}\n  username: system:node:{{{{EC2PrivateDNSName}}}}\n")}}),
    ));
    c.store.put(json_object(
        Res::ConfigMaps,
        meta("kube-system", "coredns", created, labels(&[("eks.amazonaws.com/component", "coredns"), ("k8s-app", "kube-dns")])),
        json!({"data": {"Corefile": ".:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n"}}),
    ));
    c.store.put(json_object(
        Res::Services,
        meta("default", "kubernetes", created, labels(&[("component", "apiserver"), ("provider", "kubernetes")])),
        json!({"spec": {"clusterIP": "172.20.0.1", "clusterIPs": ["172.20.0.1"], "type": "ClusterIP",
                        "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443}],
                        "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"},
               "status": {"loadBalancer": {}}}),
    ));
    c.store.put(json_object(
        Res::Services,
        meta("kube-system", "kube-dns", created, labels(&[("eks.amazonaws.com/component", "kube-dns"), ("k8s-app", "kube-dns"), ("kubernetes.io/name", "CoreDNS")])),
        json!({"spec": {"clusterIP": "172.20.0.10", "clusterIPs": ["172.20.0.10"], "type": "ClusterIP",
                        "selector": {"k8s-app": "kube-dns"},
                        "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                                  {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53}],
                        "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"},
               "status": {"loadBalancer": {}}}),
    ));
    let region = c.region.clone();
    let critical = json!({"priorityClassName": "system-node-critical", "hostNetwork": true});
    add_daemonset(
        c,
        "aws-node",
        workload_template(
            "aws-node",
            &[
                (
                    "aws-node",
                    &ecr(&region, "amazon-k8s-cni:v1.19.5-eksbuild.3"),
                    "25m",
                    "0",
                ),
                (
                    "aws-eks-nodeagent",
                    &ecr(&region, "amazon/aws-network-policy-agent:v1.2.1-eksbuild.1"),
                    "25m",
                    "0",
                ),
            ],
            critical.clone(),
        ),
        created,
    );
    add_daemonset(
        c,
        "kube-proxy",
        workload_template(
            "kube-proxy",
            &[(
                "kube-proxy",
                &ecr(&region, "eks/kube-proxy:v1.33.0-minimal-eksbuild.2"),
                "100m",
                "0",
            )],
            critical,
        ),
        created,
    );
    let mut coredns = workload_template(
        "coredns",
        &[(
            "coredns",
            &ecr(&region, "eks/coredns:v1.12.1-eksbuild.2"),
            "100m",
            "70Mi",
        )],
        json!({"serviceAccountName": "coredns", "priorityClassName": "system-cluster-critical"}),
    );
    coredns["metadata"]["labels"]["k8s-app"] = json!("kube-dns");
    add_deployment(c, "kube-system", "coredns", 2, coredns, created);
}

fn add_finished_job(c: &mut Cluster, ns: &str, name: &str, image: &str, ok: bool, created: i64) {
    ensure_namespace(c, ns, created);
    let uid = c.store.new_uid();
    let finished = created + 95;
    let condition = if ok {
        json!({"type": "Complete", "status": "True", "lastProbeTime": crate::model::meta::rfc3339(finished), "lastTransitionTime": crate::model::meta::rfc3339(finished)})
    } else {
        json!({"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit",
               "lastProbeTime": crate::model::meta::rfc3339(finished), "lastTransitionTime": crate::model::meta::rfc3339(finished)})
    };
    let mut status = json!({"startTime": crate::model::meta::rfc3339(created), "conditions": [condition], "ready": 0, "terminating": 0});
    status[if ok { "succeeded" } else { "failed" }] = json!(1);
    if ok {
        status["completionTime"] = json!(crate::model::meta::rfc3339(finished));
    }
    let mut m = meta(ns, name, created, labels(&[("app", name)]));
    m.uid = uid;
    m.generation = 1;
    c.store.put(json_object(Res::Jobs, m, json!({
        "spec": {"backoffLimit": 0, "completions": 1, "parallelism": 1, "completionMode": "NonIndexed",
                 "template": workload_template(name, &[(name, image, "250m", "256Mi")], json!({"restartPolicy": "Never"}))},
        "status": status,
    })));
    let pod_name = format!("{name}-{}", suffix(uid as u64, 5));
    let (node, host_ip) = c
        .pick_node()
        .map(|(n, ip)| (Some(n), ip))
        .unwrap_or((None, 0));
    let pod_ip = c.next_pod_ip();
    let mut ct = Container::running(name, image, 250, 256, created);
    ct.ready = false;
    ct.state = State::Terminated(Terminated {
        reason: Arc::from(if ok { "Completed" } else { "Error" }),
        exit_code: if ok { 0 } else { 2 },
        started: created + 3,
        finished,
    });
    c.store.put(Object {
        res: Res::Pods,
        meta: Meta {
            generate_name: Some(format!("{name}-")),
            owner: Some(OwnerRef {
                api_version: "batch/v1",
                kind: "Job",
                name: name.to_string(),
                uid,
            }),
            ..meta(
                ns,
                &pod_name,
                created,
                labels(&[
                    ("app", name),
                    ("batch.kubernetes.io/job-name", name),
                    ("job-name", name),
                ]),
            )
        },
        body: Body::Pod(Box::new(Pod {
            node,
            phase: if ok { Phase::Succeeded } else { Phase::Failed },
            containers: vec![ct],
            pod_ip,
            host_ip,
            started: created,
            service_account: Arc::from("default"),
            system_critical: false,
            unschedulable: None,
        })),
    });
}

/// `--simulate`: 3 nodes in 2 node groups over 3 zones and a few workloads.
pub fn seed_simulation(c: &mut Cluster) {
    let t = now();
    c.instant_start = true;
    c.backdate = 3 * DAY;
    add_node(c, "general", "m5.large", false, t - 3 * DAY);
    add_node(c, "general", "m5.large", false, t - 3 * DAY);
    add_node(c, "spot-arm", "t4g.xlarge", true, t - 2 * DAY);
    seed_base(c);
    c.backdate = DAY;
    let shop = |image: &str| format!("public.ecr.aws/eks-desk/shop-{image}");
    add_deployment(
        c,
        "default",
        "web",
        3,
        workload_template(
            "web",
            &[("nginx", "public.ecr.aws/nginx/nginx:1.27", "100m", "128Mi")],
            json!({}),
        ),
        t - 2 * DAY,
    );
    add_deployment(
        c,
        "shop",
        "frontend",
        2,
        workload_template(
            "frontend",
            &[("frontend", &shop("frontend:2.4.1"), "200m", "256Mi")],
            json!({}),
        ),
        t - DAY,
    );
    add_deployment(
        c,
        "shop",
        "cart",
        2,
        workload_template(
            "cart",
            &[
                ("cart", &shop("cart:1.9.0"), "100m", "128Mi"),
                (
                    "envoy",
                    "public.ecr.aws/envoyproxy/envoy:v1.31.2",
                    "50m",
                    "64Mi",
                ),
            ],
            json!({}),
        ),
        t - DAY,
    );
    c.crashing.insert(key_of("shop", "payments"));
    add_deployment(
        c,
        "shop",
        "payments",
        1,
        workload_template(
            "payments",
            &[("payments", &shop("payments:3.0.2"), "100m", "128Mi")],
            json!({}),
        ),
        t - DAY,
    );
    ensure_namespace(c, "shop", t - DAY);
    let mut m = meta("shop", "redis", t - DAY, labels(&[("app", "redis")]));
    m.generation = 1;
    c.store.put(json_object(Res::StatefulSets, m, json!({
        "spec": {"replicas": 2, "serviceName": "redis", "selector": {"matchLabels": {"app": "redis"}},
                 "podManagementPolicy": "OrderedReady", "updateStrategy": {"type": "RollingUpdate"},
                 "template": workload_template("redis", &[("redis", "public.ecr.aws/docker/library/redis:7.2", "100m", "256Mi")], json!({}))},
        "status": {},
    })));
    reconcile_statefulset(c, &key_of("shop", "redis"));
    c.backdate = 0;
    add_deployment(
        c,
        "batch",
        "ml-trainer",
        1,
        workload_template(
            "ml-trainer",
            &[(
                "trainer",
                "public.ecr.aws/eks-desk/trainer:0.7",
                "2",
                "64Gi",
            )],
            json!({}),
        ),
        t - 3600,
    );
    add_finished_job(
        c,
        "batch",
        "nightly-report",
        "public.ecr.aws/docker/library/python:3.12-slim",
        true,
        t - 5 * 3600,
    );
    add_finished_job(
        c,
        "batch",
        "db-migrate",
        "public.ecr.aws/eks-desk/migrate:1.4.0",
        false,
        t - 2 * 3600,
    );
    // The crash-looping pod has a history of events.
    let crashing: Vec<Arc<Object>> = c
        .store
        .map(Res::Pods)
        .range(key_of("shop", "payments-")..)
        .take_while(|(k, _)| k.starts_with("shop/payments-"))
        .map(|(_, o)| o.clone())
        .collect();
    for p in crashing {
        c.event(
            &p,
            true,
            "BackOff",
            "Back-off restarting failed container payments in pod payments",
            "kubelet",
        );
    }
    // The second general node gets cordoned for maintenance, with its pods left running.
    let second = c.store.map(Res::Nodes).values().nth(1).cloned();
    if let Some(n) = second {
        let mut next = (*n).clone();
        if let Body::Node(node) = &mut next.body {
            node.unschedulable = true;
        }
        let stored = c.store.put(next);
        c.event(
            &stored,
            false,
            "NodeNotSchedulable",
            &format!(
                "Node {} status is now: NodeNotSchedulable",
                stored.meta.name
            ),
            "kubelet",
        );
        c.nodes_changed();
    }
    c.instant_start = false;
}

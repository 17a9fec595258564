//! Pod logs (kubelet rules, hostile text only where asked), server-side
//! Tables and discovery, checked with a raw HTTPS client.

mod support;

use serde_json::json;
use support::https::Client;
use support::Server;

fn start(extra: &[&str]) -> (Server, Client) {
    let mut args = vec!["--static-token", "admin-token=admin:system:masters"];
    args.extend_from_slice(extra);
    let s = Server::start(&args);
    let c = Client::new(&s.url, &s.ca_file, "admin-token");
    (s, c)
}

#[tokio::test(flavor = "multi_thread")]
async fn logs_follow_kubelet_rules() {
    let (s, c) = start(&["--simulate"]);
    let pods = c
        .get("/api/v1/namespaces/kube-system/pods?labelSelector=app%3Daws-node")
        .await
        .json();
    let aws_node = pods["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c
        .get(&format!(
            "/api/v1/namespaces/kube-system/pods/{aws_node}/log"
        ))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["message"].as_str().unwrap().starts_with(&format!("a container name must be specified for pod {aws_node}, choose one of: [aws-node aws-eks-nodeagent]")));
    let r = c.get(&format!("/api/v1/namespaces/kube-system/pods/{aws_node}/log?container=aws-node&tailLines=3&timestamps=true")).await;
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/plain"));
    let lines: Vec<&str> = r.body.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        chrono::DateTime::parse_from_rfc3339(lines[0].split(' ').next().unwrap()).is_ok(),
        "{}",
        lines[0]
    );
    let r = c
        .get(&format!(
            "/api/v1/namespaces/kube-system/pods/{aws_node}/log?container=aws-node&previous=true"
        ))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["message"],
        format!("previous terminated container \"aws-node\" in pod \"{aws_node}\" not found")
    );
    let r = c
        .get(&format!(
            "/api/v1/namespaces/kube-system/pods/{aws_node}/log?container=aws-node&limitBytes=10"
        ))
        .await;
    assert_eq!(r.body.len(), 10);
    // Hostile text only where asked for, byte for byte.
    s.control("POST", "/pods", json!({"namespace": "default", "name": "hostile", "hostile": true, "containers": [{"name": "app"}]}));
    let r = c.get("/api/v1/namespaces/default/pods/hostile/log").await;
    assert!(
        r.body.contains("<script>alert(1)</script>")
            && r.body.contains("\u{1b}[31m")
            && r.body.contains("\u{202e}"),
        "{}",
        r.body
    );
    let all = c.get("/api/v1/namespaces/shop/pods").await.json();
    for p in all["items"].as_array().unwrap() {
        let name = p["metadata"]["name"].as_str().unwrap();
        let container = p["spec"]["containers"][0]["name"].as_str().unwrap();
        let r = c
            .get(&format!(
                "/api/v1/namespaces/shop/pods/{name}/log?container={container}"
            ))
            .await;
        assert!(
            !r.body.contains("<script>"),
            "normal pods have no hostile text"
        );
    }
    // The crash-looping pod has a previous container.
    let crashing = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["metadata"]["name"]
                .as_str()
                .unwrap()
                .starts_with("payments-")
        })
        .unwrap();
    let name = crashing["metadata"]["name"].as_str().unwrap();
    assert_eq!(
        crashing["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
        "CrashLoopBackOff"
    );
    let r = c
        .get(&format!(
            "/api/v1/namespaces/shop/pods/{name}/log?previous=true&tailLines=1"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("exit code 1"), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_and_discovery() {
    let (_s, c) = start(&["--simulate"]);
    let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    let t = c
        .request(
            "GET",
            "/api/v1/namespaces/shop/pods",
            &[("accept", accept)],
            vec![],
        )
        .await
        .json();
    assert_eq!(t["kind"], "Table");
    let cols: Vec<&str> = t["columnDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(&cols[..5], &["Name", "Ready", "Status", "Restarts", "Age"]);
    assert!(t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["cells"][2] == "CrashLoopBackOff"));
    assert_eq!(t["rows"][0]["object"]["kind"], "PartialObjectMetadata");
    let v1 = c.get("/api/v1").await.json();
    let pods = v1["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "pods")
        .unwrap();
    assert_eq!(pods["namespaced"], true);
    assert_eq!(pods["shortNames"], json!(["po"]));
    assert!(v1["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "pods/log"));
    let apps = c.get("/apis/apps/v1").await.json();
    assert!(apps["resources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "deployments/scale" && r["kind"] == "Scale"));
    let agg = c.request("GET", "/apis", &[("accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")], vec![]).await;
    assert_eq!(agg.status, 200);
    assert!(agg.content_type.starts_with("application/json"));
    assert_eq!(agg.json()["kind"], "APIGroupList");
    let only_agg = c
        .request(
            "GET",
            "/apis",
            &[(
                "accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            )],
            vec![],
        )
        .await;
    assert_eq!(only_agg.status, 406);
    let version = c.with_token("").get("/version").await.json();
    assert!(version["gitVersion"].as_str().unwrap().contains("-eks-"));
    let node = c.get("/api/v1/nodes").await.json()["items"][0].clone();
    for label in [
        "topology.kubernetes.io/zone",
        "node.kubernetes.io/instance-type",
        "eks.amazonaws.com/nodegroup",
        "eks.amazonaws.com/capacityType",
        "kubernetes.io/arch",
    ] {
        assert!(node["metadata"]["labels"][label].is_string(), "{label}");
    }
    assert!(node["spec"]["providerID"]
        .as_str()
        .unwrap()
        .starts_with("aws:///us-west-2"));
    assert!(node["metadata"]["managedFields"].as_array().unwrap().len() >= 2);
}

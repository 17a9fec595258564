//! EKS sign-in against the ministack emulator: tokens presigned here as
//! `aws eks get-token` does, verified through the emulator's STS and mapped
//! through the cluster's access entries and access policies.

#[path = "../../support/emulator.rs"]
mod emulator;
mod support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use base64::Engine;
use serde_json::Value;
use support::{kubectl, wait_until, Server};

const REGION: &str = "us-west-2";
const CLUSTER: &str = "desk-test";

/// Users, a role session, a cluster and access entries, made with the
/// emulator's root credentials through botocore (in the project's venv).
const SEED: &str = r#"
import json, sys, botocore.session
ep, region, cluster = sys.argv[1:4]
s = botocore.session.get_session()
def c(svc, **kw):
    kw.setdefault("aws_access_key_id", "test"); kw.setdefault("aws_secret_access_key", "test")
    return s.create_client(svc, region_name=region, endpoint_url=ep, **kw)
iam, eks = c("iam"), c("eks")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="desk-cluster-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
eks.create_cluster(name=cluster, version="1.33", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1", "subnet-2"]}, accessConfig={"authenticationMode": "API"})
out = {}
for user in ["viewer", "outsider"]:
    arn = iam.create_user(UserName=user)["User"]["Arn"]
    key = iam.create_access_key(UserName=user)["AccessKey"]
    out[user] = {"arn": arn, "key": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
view = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy"
eks.create_access_entry(clusterName=cluster, principalArn=out["viewer"]["arn"], kubernetesGroups=["desk-viewers"])
eks.associate_access_policy(clusterName=cluster, principalArn=out["viewer"]["arn"], policyArn=view, accessScope={"type": "cluster"})
# A role at an IAM path, assumed by the viewer: the session ARN has no path.
assume = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": out["viewer"]["arn"]}, "Action": "sts:AssumeRole"}]})
dev = iam.create_role(RoleName="developer", Path="/team/", AssumeRolePolicyDocument=assume)["Role"]["Arn"]
iam.put_user_policy(UserName="viewer", PolicyName="assume", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": dev}]}))
eks.create_access_entry(clusterName=cluster, principalArn=dev)
eks.associate_access_policy(clusterName=cluster, principalArn=dev, policyArn="arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", accessScope={"type": "namespace", "namespaces": ["shop"]})
sts = c("sts", aws_access_key_id=out["viewer"]["key"], aws_secret_access_key=out["viewer"]["secret"])
cr = sts.assume_role(RoleArn=dev, RoleSessionName="alice-laptop")["Credentials"]
out["developer"] = {"arn": dev, "key": cr["AccessKeyId"], "secret": cr["SecretAccessKey"], "token": cr["SessionToken"]}
print(json.dumps(out))
"#;

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn seed(emulator_url: &str) -> Value {
    let python = repo_root().join(".venv/bin/python");
    assert!(
        python.is_file(),
        "the project venv is missing ({}): run `make -C {} .venv/.installed`",
        python.display(),
        repo_root().display()
    );
    let out = Command::new(python)
        .arg("-c")
        .arg(SEED)
        .args([emulator_url, REGION, CLUSTER])
        .output()
        .expect("run seed");
    assert!(
        out.status.success(),
        "seeding the emulator failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("seed output")
}

/// `k8s-aws-v1.` + base64url of a presigned GetCallerIdentity URL, as
/// `aws eks get-token` makes it (here against the emulator's URL).
fn token(
    base_url: &str,
    key: &str,
    secret: &str,
    session: Option<&str>,
    cluster: &str,
    at: SystemTime,
) -> String {
    let identity = Credentials::new(key, secret, session.map(str::to_string), None, "test").into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(60));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(REGION)
        .name("sts")
        .time(at)
        .settings(settings)
        .build()
        .expect("signing params")
        .into();
    let url = format!("{base_url}/?Action=GetCallerIdentity&Version=2011-06-15");
    let host = base_url.split("://").nth(1).unwrap_or(base_url).to_string();
    let headers = [("host", host.as_str()), ("x-k8s-aws-id", cluster)];
    let signable = SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[]))
        .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut req = http::Request::builder()
        .uri(&url)
        .body(())
        .expect("request");
    instructions.apply_to_request_http1x(&mut req);
    let signed = req.uri().to_string();
    assert!(
        signed.contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"),
        "{signed}"
    );
    format!(
        "k8s-aws-v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signed)
    )
}

#[test]
fn eks_tokens_sign_in_through_access_entries() {
    let emu = emulator::Emulator::start(repo_root());
    let users = seed(&emu.url);
    let s = Server::start(&["--simulate", "--emulator", &emu.url, "--cluster", CLUSTER]);
    let now = SystemTime::now();
    let viewer = &users["viewer"];
    let (vk, vs) = (
        viewer["key"].as_str().unwrap(),
        viewer["secret"].as_str().unwrap(),
    );

    // A viewer lists pods everywhere, cannot delete, and is who EKS says.
    let good = s.kubeconfig(&token(&emu.url, vk, vs, None, CLUSTER, now));
    let pods = kubectl(&good, &["get", "pods", "-A", "--no-headers"]);
    assert!(
        pods.ok && pods.stdout.lines().count() > 10,
        "{}{}\n{}",
        pods.stdout,
        pods.stderr,
        s.stderr()
    );
    let who = kubectl(&good, &["auth", "whoami", "-o", "json"]);
    let who: Value = serde_json::from_str(&who.stdout).expect("whoami json");
    let info = &who["status"]["userInfo"];
    assert_eq!(info["username"], viewer["arn"]);
    assert_eq!(info["extra"]["arn"][0], viewer["arn"]);
    assert_eq!(info["extra"]["accessKeyId"][0], vk);
    let groups: Vec<&str> = info["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g.as_str())
        .collect();
    assert!(
        groups.contains(&"desk-viewers") && groups.contains(&"system:authenticated"),
        "{groups:?}"
    );
    let pod = pods
        .stdout
        .lines()
        .find(|l| l.starts_with("default"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .to_string();
    let del = kubectl(&good, &["delete", "pod", "-n", "default", &pod]);
    let expected = format!("pods \"{pod}\" is forbidden: User \"{}\" cannot delete resource \"pods\" in API group \"\" in the namespace \"default\"", viewer["arn"].as_str().unwrap());
    assert!(!del.ok && del.stderr.contains(&expected), "{}", del.stderr);
    let nodes = kubectl(&good, &["get", "nodes"]);
    assert!(
        !nodes.ok && nodes.stderr.contains("cannot list resource \"nodes\""),
        "View has no nodes: {}",
        nodes.stderr
    );

    // Refused: a wrong secret, another cluster's name, no access entry, an old token, the root key.
    let unauthorized = |tok: String, why: &str| {
        let out = kubectl(&s.kubeconfig(&tok), &["get", "pods", "-n", "default"]);
        assert!(
            !out.ok && out.stderr.contains("Unauthorized"),
            "{why}: {}{}",
            out.stdout,
            out.stderr
        );
    };
    unauthorized(
        token(
            &emu.url,
            vk,
            "wrong-secret-wrong-secret-wrong-secret00",
            None,
            CLUSTER,
            now,
        ),
        "wrong secret",
    );
    unauthorized(
        token(&emu.url, vk, vs, None, "another-cluster", now),
        "other cluster",
    );
    let outsider = &users["outsider"];
    unauthorized(
        token(
            &emu.url,
            outsider["key"].as_str().unwrap(),
            outsider["secret"].as_str().unwrap(),
            None,
            CLUSTER,
            now,
        ),
        "no entry",
    );
    unauthorized(
        token(
            &emu.url,
            vk,
            vs,
            None,
            CLUSTER,
            now - Duration::from_secs(16 * 60),
        ),
        "expired",
    );
    unauthorized(
        token(&emu.url, "test", "anything", None, CLUSTER, now),
        "root key",
    );

    // An assumed role at an IAM path matches its entry; its policy is namespace-scoped.
    let dev = &users["developer"];
    let dev_kc = s.kubeconfig(&token(
        &emu.url,
        dev["key"].as_str().unwrap(),
        dev["secret"].as_str().unwrap(),
        dev["token"].as_str(),
        CLUSTER,
        now,
    ));
    let who = kubectl(&dev_kc, &["auth", "whoami", "-o", "json"]);
    let who: Value = serde_json::from_str(&who.stdout)
        .unwrap_or_else(|_| panic!("{}{}", who.stdout, who.stderr));
    assert_eq!(
        who["status"]["userInfo"]["username"],
        "arn:aws:sts::000000000000:assumed-role/developer/alice-laptop"
    );
    assert_eq!(
        who["status"]["userInfo"]["extra"]["sessionName"][0],
        "alice-laptop"
    );
    assert_eq!(
        kubectl(&dev_kc, &["auth", "can-i", "delete", "pods", "-n", "shop"])
            .stdout
            .trim(),
        "yes"
    );
    assert_eq!(
        kubectl(
            &dev_kc,
            &["auth", "can-i", "delete", "pods", "-n", "default"]
        )
        .stdout
        .trim(),
        "no"
    );
    let all = kubectl(&dev_kc, &["get", "pods", "-A"]);
    assert!(
        !all.ok
            && all
                .stderr
                .contains("cannot list resource \"pods\" in API group \"\" at the cluster scope"),
        "{}",
        all.stderr
    );

    // Deleting the viewer's access entry locks it out at once.
    let python = repo_root().join(".venv/bin/python");
    let removed = Command::new(python)
        .arg("-c")
        .arg("import sys, botocore.session as b; b.get_session().create_client('eks', region_name=sys.argv[2], endpoint_url=sys.argv[1], aws_access_key_id='test', aws_secret_access_key='test').delete_access_entry(clusterName=sys.argv[3], principalArn=sys.argv[4])")
        .args([&emu.url, REGION, CLUSTER, viewer["arn"].as_str().unwrap()])
        .status()
        .expect("delete entry");
    assert!(removed.success());
    wait_until("the viewer to be refused", Duration::from_secs(10), || {
        let out = kubectl(&good, &["get", "pods", "-n", "default"]);
        (!out.ok && out.stderr.contains("Unauthorized")).then_some(())
    });
}

//! What "Add to kubeconfig" writes: golden before/after files, the AWS
//! CLI's entry shape, roles, aliases and current-context.

use super::fixture::*;
use super::*;
use crate::connect::kubeconfig_entry::Authenticator;
use crate::connect::kubeconfig_lock::lock_path;

#[test]
fn golden_mixed_file_keeps_every_other_entry_field_and_comment() {
    let before = golden("mixed-before.yaml");
    let f = Fixture::new(Some(&before));
    let out = f.add(&with_profile("admin", None)).expect("writes");
    assert_eq!(out.change, FileChange::Updated);
    assert!(!out.comments_lost);
    assert!(!out.is_current, "current-context untouched");
    let after = f.text();
    assert_golden("mixed-after.yaml", &after);
    assert_kubectl_sees(&f.path, &with_profile("admin", None));
    for line in comment_lines(&before) {
        assert!(after.contains(line), "comment lost: {line}");
    }
    // Everything that was there is there, the same, in the same order.
    let (old, new) = (yaml_value::parse(&before).expect("parses"), f.value());
    let (YamlValue::Map(old), YamlValue::Map(new)) = (&old, &new) else {
        panic!("not mappings")
    };
    for (key, was) in old {
        let now = new.get(key).expect("top-level key kept");
        match (was, now) {
            (YamlValue::Seq(was), YamlValue::Seq(now)) => {
                assert_eq!(
                    &now[..was.len()],
                    &was[..],
                    "{key}: old entries first, unchanged"
                )
            }
            _ => assert_eq!(was, now, "{key}"),
        }
    }
    assert_eq!(new.get("current-context"), old.get("current-context"));
}

#[test]
fn golden_update_changes_only_the_fields_it_owns() {
    let f = Fixture::new(Some(&golden("update-before.yaml")));
    let out = f.add(&with_profile("admin", None)).expect("writes");
    assert_eq!(out.change, FileChange::Updated);
    assert_eq!(out.user, format!("admin@{ARN}"));
    assert!(out.is_current, "it already was, and stays");
    assert_golden("update-after.yaml", &f.text());
    assert_kubectl_sees(&f.path, &with_profile("admin", None));
    let v = f.value();
    let cluster = named(&v, "clusters", ARN).get("cluster").expect("cluster");
    assert_eq!(
        cluster.get("tls-server-name"),
        Some(&YamlValue::str("kept.example"))
    );
    let ctx = named(&v, "contexts", ARN).get("context").expect("context");
    assert_eq!(ctx.get("namespace"), Some(&YamlValue::str("payments")));
    let exec = named(&v, "users", &out.user)
        .get("user")
        .and_then(|u| u.get("exec"))
        .expect("exec");
    let env = exec.get("env").and_then(YamlValue::as_seq).expect("env");
    assert_eq!(
        env.len(),
        2,
        "the other variable stays, AWS_PROFILE updated"
    );
}

#[test]
fn golden_new_file_with_the_eks_desk_authenticator_is_0600_in_a_private_directory() {
    let home = tempfile::tempdir().expect("home");
    let location = KubeconfigLocation {
        kubeconfig_env: None,
        home: Some(home.path().to_path_buf()),
    };
    let new = KubeconfigEntry {
        profile: Some("dev".into()),
        alias: Some("prod-dev".into()),
        authenticator: Authenticator::EksDesk {
            binary: "/opt/eks-desk/eks-desk".into(),
        },
        set_current: true,
        ..entry()
    };
    let out = add_to_kubeconfig(&new, &location).expect("writes");
    let path = home.path().join(".kube/config");
    assert_eq!(out.file, path);
    assert_eq!(out.change, FileChange::Created);
    assert_eq!(out.backup, None);
    assert!(out.is_current);
    assert_eq!(mode_of(&path), 0o600);
    assert_eq!(mode_of(&home.path().join(".kube")), 0o700);
    assert_golden(
        "new-after.yaml",
        &std::fs::read_to_string(&path).expect("reads"),
    );
    assert!(!lock_path(&path).exists());
}

#[test]
fn the_aws_cli_shape_is_written_for_a_new_entry() {
    let f = Fixture::new(None);
    f.add(&with_profile("admin", None)).expect("writes");
    let v = f.value();
    let exec = named(&v, "users", &format!("admin@{ARN}"))
        .get("user")
        .and_then(|u| u.get("exec"))
        .expect("exec");
    let expected = yaml_value::parse(
        "apiVersion: client.authentication.k8s.io/v1beta1\ncommand: aws\n\
         args: [--region, eu-west-1, eks, get-token, --cluster-name, prod, --output, json]\n\
         env: [{name: AWS_PROFILE, value: admin}]\n",
    )
    .expect("parses");
    assert_eq!(exec, &expected);
    let cluster = named(&v, "clusters", ARN).get("cluster").expect("cluster");
    assert_eq!(
        cluster.get("server"),
        Some(&YamlValue::str(
            "https://NEW.gr7.eu-west-1.eks.amazonaws.com"
        ))
    );
    assert_eq!(
        cluster.get("certificate-authority-data"),
        Some(&YamlValue::str("TkVXLUNB"))
    );
    assert_eq!(v.get("current-context"), None, "not asked");
    assert!(kube::config::Kubeconfig::from_yaml(&f.text()).is_ok());
}

#[test]
fn two_roles_on_one_cluster_stay_two_users_and_two_contexts_with_two_aliases() {
    let f = Fixture::new(Some("apiVersion: v1\nkind: Config\n"));
    let admin = f
        .add(&with_profile("admin", Some("prod-admin")))
        .expect("writes");
    let viewer = f
        .add(&with_profile("viewer", Some("prod-viewer")))
        .expect("writes");
    assert_ne!(admin.user, viewer.user);
    let v = f.value();
    assert_eq!(names_in(&v, "clusters"), [ARN]);
    assert_eq!(
        names_in(&v, "users"),
        [format!("admin@{ARN}"), format!("viewer@{ARN}")]
    );
    assert_eq!(names_in(&v, "contexts"), ["prod-admin", "prod-viewer"]);
    let user_of = |ctx: &str| {
        named(&v, "contexts", ctx)
            .get("context")
            .and_then(|c| c.get("user"))
            .and_then(YamlValue::as_str)
            .map(str::to_string)
    };
    assert_eq!(user_of("prod-admin"), Some(admin.user));
    assert_eq!(user_of("prod-viewer"), Some(viewer.user.clone()));
    // Without aliases the one ARN-named context follows the last role;
    // both users stay.
    f.add(&with_profile("admin", None)).expect("writes");
    f.add(&with_profile("viewer", None)).expect("writes");
    let v = f.value();
    assert_eq!(names_in(&v, "users").len(), 2);
    assert_eq!(names_in(&v, "contexts").len(), 3);
    let ctx = named(&v, "contexts", ARN).get("context").expect("context");
    assert_eq!(ctx.get("user"), Some(&YamlValue::str(&viewer.user)));
}

#[test]
fn current_context_is_set_only_when_asked() {
    let f = Fixture::new(Some(&golden("mixed-before.yaml")));
    let out = f.add(&entry()).expect("writes");
    assert!(!out.is_current);
    assert_eq!(
        f.value().get("current-context"),
        Some(&YamlValue::str("kind-dev"))
    );
    let out = f
        .add(&KubeconfigEntry {
            set_current: true,
            ..entry()
        })
        .expect("writes");
    assert_eq!(out.change, FileChange::Updated);
    assert!(out.is_current);
    assert_eq!(f.value().get("current-context"), Some(&YamlValue::str(ARN)));
}

#[test]
fn without_a_profile_a_stale_aws_profile_is_dropped_from_the_user() {
    let text = format!(
        "users:\n- name: {ARN}\n  user:\n    exec:\n      command: aws\n      env:\n      - name: AWS_PROFILE\n        value: someone-else\n      - name: KEEP\n        value: me\n"
    );
    let f = Fixture::new(Some(&text));
    f.add(&entry()).expect("writes");
    let v = f.value();
    let env = named(&v, "users", ARN)
        .get("user")
        .and_then(|u| u.get("exec"))
        .and_then(|e| e.get("env"))
        .cloned();
    assert_eq!(
        env,
        Some(yaml_value::parse("[{name: KEEP, value: me}]").expect("parses"))
    );
}

#[test]
fn the_fallback_rewrite_keeps_every_value_and_says_comments_were_lost() {
    let before = golden("mixed-before.yaml");
    let kept = Fixture::new(Some(&before));
    kept.add(&entry()).expect("writes");
    let f = Fixture::new(Some(&before));
    let options = WriteOptions {
        keep_layout: false,
        ..WriteOptions::default()
    };
    let out = add_to_kubeconfig_with(&entry(), &f.location(), &options).expect("writes");
    assert!(out.comments_lost);
    assert_eq!(f.value(), kept.value(), "same data either way");
    assert!(comment_lines(&f.text()).is_empty());
}

#[test]
fn other_layouts_are_edited_in_place_without_loss() {
    let layouts = [
        ("flow lists", "apiVersion: v1\nkind: Config\nclusters: [{name: a, cluster: {server: 'https://a'}}] # flow\nusers: [{name: a, user: {token: t}}]\ncontexts: [{name: a, context: {cluster: a, user: a}}]\n"),
        ("indented lists", "apiVersion: v1\nkind: Config\nclusters:\n  - name: a # one\n    cluster:\n      server: https://a\nusers:\n  - name: a\n    user: {}\ncontexts:\n  - name: a\n    context:\n      cluster: a\n      user: a\n"),
        ("four spaces", "apiVersion: v1\nkind: Config\nclusters:\n    -   name: a # one\n        cluster:\n            server: https://a\n"),
        ("document start and end", "---\n# head\napiVersion: v1\nkind: Config\nclusters:\n- name: a\n  cluster: {server: 'https://a'}\n...\n"),
        ("quoted keys and values", "\"apiVersion\": 'v1'\n'kind': \"Config\"\n\"clusters\":\n- \"name\": 'a'\n  'cluster': {'server': \"https://a\"}\n# end\n"),
        ("anchors", "apiVersion: v1\nkind: Config\nx-base: &base {server: 'https://a'}\nclusters:\n- name: a\n  cluster: *base\n# end\n"),
        ("crlf", "apiVersion: v1\r\nkind: Config\r\n# crlf\r\nclusters:\r\n- name: a\r\n  cluster:\r\n    server: https://a\r\n"),
        ("blank lines and comments between items", "apiVersion: v1\nkind: Config\n\nclusters:\n\n# first\n- name: a\n  cluster:\n    server: https://a\n\n# trailing comment\n"),
    ];
    let entry = with_profile("admin", Some("prod"));
    for (what, before) in layouts {
        let f = Fixture::new(Some(before));
        let out = f.add(&entry).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_kubectl_sees(&f.path, &entry);
        let after = f.text();
        let v = f.value();
        assert_eq!(
            names_in(&v, "contexts").last().map(String::as_str),
            Some("prod"),
            "{what}"
        );
        assert!(
            names_in(&v, "clusters").contains(&"a".to_string()),
            "{what}"
        );
        assert!(
            kube::config::Kubeconfig::from_yaml(&after).is_ok(),
            "{what}"
        );
        assert!(
            !out.comments_lost,
            "{what}: fell back to a rewrite:\n{after}"
        );
        for line in comment_lines(before) {
            let comment = &line[line.find('#').unwrap_or(0)..];
            assert!(after.contains(comment), "{what}: lost {comment:?}\n{after}");
        }
    }
}

#[test]
fn names_yaml_would_read_as_other_types_are_quoted_for_kubectl() {
    let awkward = [
        ("yes", "no"),
        ("on", "123"),
        ("null", "~"),
        ("0x1F", "1e3"),
        ("a: b", "c # d"),
        ("-dash", "'quoted'"),
        ("@at", "{brace}"),
    ];
    for (profile, alias) in awkward {
        let f = Fixture::new(Some(&golden("mixed-before.yaml")));
        let entry = with_profile(profile, Some(alias));
        let out = f
            .add(&entry)
            .unwrap_or_else(|e| panic!("{profile} / {alias}: {e}"));
        assert!(!out.comments_lost, "{profile} / {alias}");
        assert_kubectl_sees(&f.path, &entry);
    }
}

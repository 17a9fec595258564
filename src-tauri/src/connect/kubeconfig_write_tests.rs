//! "Add to kubeconfig" against real files in temporary directories.
//! Golden files (`golden/*-before.yaml` → `*-after.yaml`) pin the exact
//! text; `EKS_DESK_BLESS=1` rewrites the `-after` files after a deliberate
//! change (review the diff).

use super::*;
use crate::connect::atomic_file::WriteStep;
use crate::connect::kubeconfig_entry::Authenticator;
use crate::connect::kubeconfig_lock::lock_path;
use std::cell::RefCell;
use std::ffi::OsString;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::Duration;

const ARN: &str = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";

fn entry() -> KubeconfigEntry {
    KubeconfigEntry {
        cluster_name: "prod".into(),
        cluster_arn: ARN.into(),
        endpoint: "https://NEW.gr7.eu-west-1.eks.amazonaws.com".into(),
        certificate_authority_data: "TkVXLUNB".into(),
        region: "eu-west-1".into(),
        profile: None,
        alias: None,
        authenticator: Authenticator::Aws,
        set_current: false,
    }
}

fn with_profile(profile: &str, alias: Option<&str>) -> KubeconfigEntry {
    KubeconfigEntry {
        profile: Some(profile.into()),
        alias: alias.map(str::to_string),
        ..entry()
    }
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src-tauri/src/connect/golden")
        .join(name)
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(golden_path(name)).expect("golden file")
}

fn assert_golden(name: &str, actual: &str) {
    if std::env::var_os("EKS_DESK_BLESS").is_some() {
        std::fs::write(golden_path(name), actual).expect("bless");
        return;
    }
    let expected = golden(name);
    assert!(
        expected == actual,
        "{name} differs (EKS_DESK_BLESS=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

/// A temporary directory with `config` in it (when `text` is given), named
/// by KUBECONFIG.
struct Fixture {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Fixture {
    fn new(text: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config");
        if let Some(text) = text {
            std::fs::write(&path, text).expect("seed");
            set_mode(&path, 0o600);
        }
        Self { dir, path }
    }

    fn location(&self) -> KubeconfigLocation {
        KubeconfigLocation {
            kubeconfig_env: Some(self.path.clone().into_os_string()),
            home: None,
        }
    }

    fn add(&self, entry: &KubeconfigEntry) -> Result<KubeconfigWriteOutcome, KubeconfigWriteError> {
        add_to_kubeconfig(entry, &self.location())
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.path).expect("reads")
    }

    fn value(&self) -> YamlValue {
        yaml_value::parse(&self.text()).expect("the file parses")
    }

    /// Files in the directory other than `config`.
    fn others(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "config")
            .collect();
        names.sort();
        names
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).expect("exists").mode() & 0o777
}

fn names_in(value: &YamlValue, section: &str) -> Vec<String> {
    value
        .get(section)
        .and_then(YamlValue::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| {
            e.get("name")
                .and_then(YamlValue::as_str)
                .map(str::to_string)
        })
        .collect()
}

fn named<'a>(value: &'a YamlValue, section: &str, name: &str) -> &'a YamlValue {
    value
        .get(section)
        .and_then(YamlValue::as_seq)
        .unwrap_or_default()
        .iter()
        .find(|e| e.get("name").and_then(YamlValue::as_str) == Some(name))
        .expect("entry present")
}

fn comment_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.contains('#')).collect()
}

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
fn a_second_identical_write_is_unchanged_and_makes_no_backup() {
    let f = Fixture::new(Some(&golden("mixed-before.yaml")));
    let first = f.add(&entry()).expect("writes");
    let backup = first.backup.expect("a backup of the old file");
    assert_eq!(
        std::fs::read_to_string(&backup).expect("reads"),
        golden("mixed-before.yaml")
    );
    assert_eq!(mode_of(&backup), 0o600);
    let text = f.text();
    let second = f.add(&entry()).expect("writes");
    assert_eq!(second.change, FileChange::Unchanged);
    assert_eq!(second.backup, None);
    assert_eq!(f.text(), text);
    assert_eq!(f.others().len(), 1, "one backup only: {:?}", f.others());
}

#[test]
fn the_mode_is_kept_and_never_loosened() {
    for mode in [0o600, 0o640, 0o644] {
        let f = Fixture::new(Some("apiVersion: v1\nkind: Config\n"));
        set_mode(&f.path, mode);
        f.add(&entry()).expect("writes");
        assert_eq!(mode_of(&f.path), mode);
    }
}

#[test]
fn a_read_only_file_is_refused_by_name_and_left_alone() {
    let f = Fixture::new(Some("apiVersion: v1\nkind: Config\n"));
    set_mode(&f.path, 0o400);
    let err = f.add(&entry()).unwrap_err();
    assert!(
        matches!(err, KubeconfigWriteError::ReadOnly { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains(&f.path.display().to_string()),
        "{err}"
    );
    assert_eq!(f.text(), "apiVersion: v1\nkind: Config\n");
    assert!(
        f.others().is_empty(),
        "no backup, temp or lock: {:?}",
        f.others()
    );
}

#[test]
fn a_broken_file_is_refused_untouched_with_its_line_and_column() {
    let broken = "apiVersion: v1\nusers:\n- name: x\n  user:\n    token: s3cr3t-t0ken: [oops\n";
    let f = Fixture::new(Some(broken));
    let err = f.add(&entry()).unwrap_err();
    match &err {
        KubeconfigWriteError::Syntax {
            path, line, column, ..
        } => {
            assert_eq!(path, &f.path);
            assert_eq!(*line, Some(5));
            assert!(column.is_some());
        }
        other => panic!("not a syntax error: {other}"),
    }
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("line 5, column"), "{shown}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert_eq!(f.text(), broken);
    assert!(f.others().is_empty(), "{:?}", f.others());
}

#[test]
fn yaml_that_is_not_a_kubeconfig_is_refused_untouched() {
    for text in [
        "clusters: {a: 1}\n",
        "- a\n- b\n",
        "users:\n- just a string\n",
        "clusters:\n- name: x\n  cluster: [1]\n",
    ] {
        let f = Fixture::new(Some(text));
        let err = f.add(&entry()).unwrap_err();
        assert!(
            matches!(err, KubeconfigWriteError::NotAKubeconfig { .. }),
            "{text}: {err}"
        );
        assert_eq!(f.text(), text);
    }
}

#[test]
fn the_kubeconfig_file_holding_the_cluster_is_written_else_the_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first");
    let second = dir.path().join("second");
    let holding = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {ARN}\n  cluster:\n    server: https://OLD\n"
    );
    std::fs::write(&first, "apiVersion: v1\nkind: Config\n").expect("seed");
    std::fs::write(&second, &holding).expect("seed");
    let location = KubeconfigLocation {
        kubeconfig_env: Some(std::env::join_paths([&first, &second]).expect("joins")),
        home: None,
    };
    let out = add_to_kubeconfig(&entry(), &location).expect("writes");
    assert_eq!(out.file, second);
    assert_eq!(
        std::fs::read_to_string(&first).expect("reads"),
        "apiVersion: v1\nkind: Config\n"
    );
    // No file holds another cluster: the first file of KUBECONFIG, created.
    let missing = dir.path().join("missing");
    let location = KubeconfigLocation {
        kubeconfig_env: Some(std::env::join_paths([&missing, &second]).expect("joins")),
        home: None,
    };
    let other = KubeconfigEntry {
        cluster_name: "other".into(),
        cluster_arn: "arn:aws:eks:eu-west-1:111122223333:cluster/other".into(),
        endpoint: "https://OTHER.gr7.eu-west-1.eks.amazonaws.com".into(),
        ..entry()
    };
    let out = add_to_kubeconfig(&other, &location).expect("writes");
    assert_eq!((out.file, out.change), (missing, FileChange::Created));
}

#[test]
fn a_broken_file_elsewhere_in_kubeconfig_stops_the_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("good");
    let bad = dir.path().join("bad");
    std::fs::write(&good, "apiVersion: v1\n").expect("seed");
    std::fs::write(&bad, "clusters: [\n").expect("seed");
    let location = KubeconfigLocation {
        kubeconfig_env: Some(std::env::join_paths([&good, &bad]).expect("joins")),
        home: None,
    };
    let err = add_to_kubeconfig(&entry(), &location).unwrap_err();
    assert!(
        matches!(&err, KubeconfigWriteError::Syntax { path, .. } if path == &bad),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&good).expect("reads"),
        "apiVersion: v1\n"
    );
}

#[test]
fn a_symlinked_kubeconfig_stays_a_link_to_the_updated_file() {
    let f = Fixture::new(None);
    let real = f.dir.path().join("dotfiles-kubeconfig");
    std::fs::write(&real, "apiVersion: v1\nkind: Config\n").expect("seed");
    std::os::unix::fs::symlink(&real, &f.path).expect("links");
    f.add(&entry()).expect("writes");
    assert!(std::fs::symlink_metadata(&f.path)
        .expect("exists")
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(&real).expect("reads").contains(ARN));
}

#[test]
fn a_lock_held_by_kubectl_is_waited_for_then_named_and_never_removed() {
    let f = Fixture::new(Some("apiVersion: v1\n"));
    std::fs::write(lock_path(&f.path), "").expect("kubectl's lock");
    let options = WriteOptions {
        lock_wait: LockWait {
            timeout: Duration::from_millis(150),
            poll: Duration::from_millis(10),
        },
        ..WriteOptions::default()
    };
    let err = add_to_kubeconfig_with(&entry(), &f.location(), &options).unwrap_err();
    assert!(err.to_string().contains("config.lock"), "{err}");
    assert!(lock_path(&f.path).exists(), "not ours to remove");
    assert_eq!(f.text(), "apiVersion: v1\n");
}

#[test]
fn a_crash_at_any_step_leaves_the_old_or_the_new_file_and_a_failure_the_old() {
    let before = golden("mixed-before.yaml");
    let after = {
        let f = Fixture::new(Some(&before));
        f.add(&entry()).expect("writes");
        f.text()
    };
    for fail_at in WriteStep::ALL {
        let f = Fixture::new(Some(&before));
        let steps = RefCell::new(Vec::new());
        let hook = |step: WriteStep| {
            // What a crash right now would leave behind:
            let now = std::fs::read_to_string(&f.path).expect("always a file");
            assert!(
                now == before || now == after,
                "{step:?}: neither old nor new"
            );
            yaml_value::parse(&now).expect("parses");
            assert!(
                lock_path(&f.path).exists(),
                "{step:?}: written under the lock"
            );
            steps.borrow_mut().push(step);
            if step == fail_at {
                return Err(std::io::Error::other("injected failure"));
            }
            Ok(())
        };
        let options = WriteOptions {
            hook: &hook,
            ..WriteOptions::default()
        };
        let err = add_to_kubeconfig_with(&entry(), &f.location(), &options).unwrap_err();
        assert!(
            matches!(&err, KubeconfigWriteError::Write(e) if e.step == fail_at),
            "{fail_at:?}: {err}"
        );
        let expected = if fail_at == WriteStep::SyncDir {
            &after
        } else {
            &before
        };
        assert_eq!(&f.text(), expected, "{fail_at:?}");
        assert!(!lock_path(&f.path).exists(), "{fail_at:?}: lock released");
        let others = f.others();
        assert!(
            others.iter().all(|n| n.contains(".eks-desk-backup-")),
            "{fail_at:?}: temporary file left: {others:?}"
        );
        assert_eq!(
            others.len(),
            usize::from(fail_at != WriteStep::Backup),
            "{fail_at:?}"
        );
        assert_eq!(steps.borrow().last(), Some(&fail_at));
    }
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
fn an_empty_or_comment_only_file_is_filled_from_the_skeleton() {
    for (text, lost) in [("", false), ("# just a note\n", true)] {
        let f = Fixture::new(Some(text));
        let out = f.add(&entry()).expect("writes");
        assert_eq!(out.change, FileChange::Created);
        assert_eq!(out.comments_lost, lost, "{text:?}");
        assert!(out.backup.is_some(), "the file existed: {text:?}");
        assert_eq!(f.value().get("kind"), Some(&YamlValue::str("Config")));
    }
}

#[test]
fn secrets_in_the_file_never_reach_an_outcome_or_an_error() {
    let secrets = ["S0VZLVNFQ1JFVA==", "Q0VSVA==", "t0p-s3cret-bearer"];
    // A broken line holding secrets, for the error below.
    let text = format!(
        "{}more: [token: t0p-s3cret-bearer, key: S0VZLVNFQ1JFVA==, Q0VSVA==\n",
        golden("mixed-before.yaml")
    );
    let f = Fixture::new(Some(&golden("mixed-before.yaml")));
    let out = f.add(&entry()).expect("writes");
    let shown = format!(
        "{out:?} {}",
        serde_json::to_string(&out).expect("serializes")
    );
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // Errors about such a file do not quote it either.
    let g = Fixture::new(Some(&text));
    let err = g.add(&entry()).unwrap_err();
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[test]
fn an_unknown_home_and_no_kubeconfig_is_an_error() {
    let location = KubeconfigLocation {
        kubeconfig_env: Some(OsString::new()),
        home: None,
    };
    assert!(matches!(
        add_to_kubeconfig(&entry(), &location),
        Err(KubeconfigWriteError::NoPath)
    ));
}

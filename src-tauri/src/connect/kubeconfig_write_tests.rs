//! "Add to kubeconfig" never loses data: targets, modes, backups, broken
//! and read-only files, the lock, crashes at every step, secrets.

use super::fixture::*;
use super::*;
use crate::connect::atomic_file::WriteStep;
use crate::connect::kubeconfig_lock::lock_path;
use std::cell::RefCell;
use std::ffi::OsString;
use std::time::Duration;

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

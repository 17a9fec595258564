//! "Add to kubeconfig" while other programs change the same file: one that
//! follows client-go's lock protocol written here from scratch, and the
//! real kubectl. Neither side may lose the other's entries, and the file
//! must parse every time anyone reads it under the lock.

use super::*;
use crate::connect::atomic_file::WriteStep;
use crate::connect::kubeconfig_entry::Authenticator;
use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ARN: &str = "arn:aws:eks:eu-west-1:111122223333:cluster/prod";
const KUBECTL: &str = "kubectl";

fn ours(i: usize) -> KubeconfigEntry {
    KubeconfigEntry {
        cluster_name: "prod".into(),
        cluster_arn: ARN.into(),
        endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com".into(),
        certificate_authority_data: "Q0E=".into(),
        region: "eu-west-1".into(),
        profile: Some(format!("role-{i}")),
        alias: Some(format!("ours-{i}")),
        authenticator: Authenticator::Aws,
        set_current: i.is_multiple_of(2),
    }
}

fn seeded() -> (tempfile::TempDir, PathBuf, KubeconfigLocation) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: kind\n  cluster:\n    server: https://127.0.0.1:6443\nusers:\n- name: kind\n  user:\n    token: t\n",
    )
    .expect("seed");
    let location = KubeconfigLocation {
        kubeconfig_env: Some(path.clone().into_os_string()),
        home: None,
    };
    (dir, path, location)
}

fn context_names(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("reads");
    let config = kube::config::Kubeconfig::from_yaml(&text).expect("a kubeconfig");
    config.contexts.into_iter().map(|c| c.name).collect()
}

/// One write as client-go does it: create `<file>.lock` exclusively
/// (retrying while it exists), read, change, write the file in place
/// (client-go truncates and rewrites, it does not rename), remove the lock.
fn client_go_style_add_context(path: &Path, name: &str) {
    let lock = PathBuf::from(format!("{}.lock", path.display()));
    let started = Instant::now();
    loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "lock never freed"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => panic!("lock: {e}"),
        }
    }
    let text = std::fs::read_to_string(path).expect("reads under the lock");
    let mut config = kube::config::Kubeconfig::from_yaml(&text)
        .unwrap_or_else(|e| panic!("unreadable under the lock: {e}"));
    config.contexts.push(kube::config::NamedContext {
        name: name.to_string(),
        context: Some(kube::config::Context {
            cluster: "kind".into(),
            user: Some("kind".into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    let out = serde_saphyr::to_string(&config).expect("serializes");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .expect("opens");
    file.write_all(out.as_bytes()).expect("writes");
    drop(file);
    std::fs::remove_file(&lock).expect("unlocks");
}

#[test]
fn a_concurrent_client_go_style_writer_and_ours_both_land() {
    let (_dir, path, location) = seeded();
    const ROUNDS: usize = 40;
    let other = std::thread::spawn({
        let path = path.clone();
        move || {
            for i in 0..ROUNDS {
                client_go_style_add_context(&path, &format!("theirs-{i}"));
            }
        }
    });
    for i in 0..ROUNDS {
        add_to_kubeconfig(&ours(i), &location).expect("our write");
    }
    other.join().expect("the other writer finished");
    let names = context_names(&path);
    for i in 0..ROUNDS {
        for name in [format!("ours-{i}"), format!("theirs-{i}")] {
            assert!(names.contains(&name), "{name} lost: {names:?}");
        }
    }
    assert!(!PathBuf::from(format!("{}.lock", path.display())).exists());
}

/// kubectl must be there: the test says so rather than passing unchecked.
fn kubectl_present() {
    let found = Command::new(KUBECTL).args(["version", "--client"]).output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "kubectl is not on PATH: this test needs the real kubectl (Debian package kubernetes-client)"
    );
}

#[test]
fn kubectl_set_context_in_a_loop_and_our_writes_never_lose_an_entry() {
    kubectl_present();
    let (_dir, path, location) = seeded();
    const KUBECTL_ROUNDS: usize = 12;
    let done = Arc::new(AtomicBool::new(false));
    let kubectl = std::thread::spawn({
        let (path, done) = (path.clone(), done.clone());
        move || {
            for i in 0..KUBECTL_ROUNDS {
                let name = format!("kubectl-{i}");
                // kubectl does not wait for a lock: it fails at once with
                // "file exists", and a person would run it again.
                let mut tries = 0;
                loop {
                    let out = Command::new(KUBECTL)
                        .args([
                            "config",
                            "set-context",
                            &name,
                            "--cluster=kind",
                            "--user=kind",
                        ])
                        .arg("--kubeconfig")
                        .arg(&path)
                        .output()
                        .expect("runs kubectl");
                    if out.status.success() {
                        break;
                    }
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        stderr.contains(".lock"),
                        "kubectl failed otherwise: {stderr}"
                    );
                    tries += 1;
                    assert!(tries < 100, "kubectl never got the lock");
                    std::thread::sleep(Duration::from_millis(3));
                }
            }
            done.store(true, Ordering::SeqCst);
        }
    });
    let mut written = 0;
    // Until kubectl is done (or has failed), with a pause between writes so
    // that kubectl, which never waits for a lock, gets a turn. Each write is
    // checked from inside, under the lock: the file it replaces and the one
    // it leaves both parse, and nothing that was there is gone.
    while !kubectl.is_finished() || written < 20 {
        let before = RefCell::new(Vec::new());
        let hook = |step: WriteStep| {
            match step {
                WriteStep::CreateTemp => *before.borrow_mut() = context_names(&path),
                WriteStep::SyncDir => {
                    let after = context_names(&path);
                    for name in before.borrow().iter() {
                        assert!(after.contains(name), "our write dropped {name}");
                    }
                    assert!(after.contains(&format!("ours-{written}")));
                }
                _ => {}
            }
            Ok(())
        };
        let options = WriteOptions {
            hook: &hook,
            ..WriteOptions::default()
        };
        add_to_kubeconfig_with(&ours(written), &location, &options).expect("our write");
        written += 1;
        assert!(written < 500, "kubectl is not progressing");
        std::thread::sleep(Duration::from_millis(15));
    }
    kubectl.join().expect("kubectl loop finished");
    assert!(done.load(Ordering::SeqCst));
    // kubectl itself lists every context: the file is one it reads.
    let listed = Command::new(KUBECTL)
        .args(["config", "get-contexts", "-o", "name", "--kubeconfig"])
        .arg(&path)
        .output()
        .expect("runs kubectl");
    assert!(listed.status.success());
    let listed = String::from_utf8_lossy(&listed.stdout).to_string();
    let names: Vec<&str> = listed.lines().collect();
    for i in 0..KUBECTL_ROUNDS {
        let name = format!("kubectl-{i}");
        assert!(names.contains(&name.as_str()), "{name} lost: {names:?}");
    }
    // Not asserted for our entries: `kubectl config set-context` reads the
    // file before it takes the lock, then deletes every entry it did not
    // see (client-go's ModifyConfig), so a write that lands in between is
    // lost — two kubectl loops lose each other's contexts the same way.
    // What is asserted above, under the lock, is that ours never drop one.
    let lost = (0..written)
        .filter(|i| !names.contains(&format!("ours-{i}").as_str()))
        .count();
    eprintln!("{written} writes of ours, {lost} deleted afterwards by kubectl's read-before-lock");
    assert!(lost < written, "kubectl deleted every one of our writes");
}

#[test]
fn kubectl_reads_every_golden_result() {
    kubectl_present();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src/connect/golden");
    let mut checked = 0;
    for file in std::fs::read_dir(&dir).expect("golden dir") {
        let path = file.expect("entry").path();
        if !path.to_string_lossy().ends_with("-after.yaml") {
            continue;
        }
        let out = Command::new(KUBECTL)
            .args(["config", "view", "--kubeconfig"])
            .arg(&path)
            .output()
            .expect("runs kubectl");
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert!(checked >= 3, "golden results missing");
}

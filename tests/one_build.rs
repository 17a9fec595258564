//! `make run` (`cargo build`) and `make test` (`cargo test`) share one
//! build: every crate both compile gets the same features in both, so
//! running one after the other recompiles nothing (a differing feature on
//! tokio alone rebuilds the AWS SDK, minutes on two cores). Asks cargo for
//! both feature sets and compares them.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// `name version` → the features it is compiled with for the app's
/// target (build scripts and proc-macros, compiled for the host apart from
/// it, are left out), for the dependency kinds in `edges`.
fn features(edges: &str) -> BTreeMap<String, BTreeSet<String>> {
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "-p",
            "eks-desk",
            "-e",
            edges,
            "--prefix",
            "none",
            "-f",
            "{p}|{f}",
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let line = line.trim_end_matches(" (*)");
        let Some((package, features)) = line.split_once('|') else {
            continue;
        };
        // `name v1.2.3 (path)`: the name and version identify the crate.
        let key = package.split(' ').take(2).collect::<Vec<_>>().join(" ");
        found.entry(key).or_default().extend(
            features
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string),
        );
    }
    found
}

#[test]
fn cargo_build_and_cargo_test_compile_shared_crates_with_the_same_features() {
    let build = features("normal,no-proc-macro");
    let test = features("normal,dev,no-proc-macro");
    assert!(
        build.contains_key("aws-sdk-ec2") || build.keys().any(|k| k.starts_with("aws-sdk-ec2 ")),
        "cargo tree did not list the app's dependencies: {:?}",
        build.keys().take(5).collect::<Vec<_>>()
    );
    let differing: Vec<String> = build
        .iter()
        .filter_map(|(package, features)| {
            let in_test = test.get(package)?;
            (in_test != features).then(|| {
                let extra: Vec<_> = in_test.difference(features).collect();
                format!("{package}: the tests add {extra:?}")
            })
        })
        .collect();
    assert!(
        differing.is_empty(),
        "make run and make test would compile these twice; turn the features on in \
         [dependencies] (see \"One build\" in Cargo.toml):\n{}",
        differing.join("\n")
    );
}

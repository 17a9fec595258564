//! BENCHMARKS.md holds one section per benchmark, each between
//! `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`; a benchmark rewrites
//! only its own section, so running one leaves the others' tables.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

fn file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md")
}

/// Replaces (or appends) section `name` with `markdown`.
pub fn write_section(name: &str, markdown: &str) {
    let path = file();
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_string());
    let start = format!("<!-- bench:{name} -->");
    let end = format!("<!-- /bench:{name} -->");
    let block = format!("{start}\n{}\n{end}", markdown.trim_end());
    let new = match (old.find(&start), old.find(&end)) {
        (Some(a), Some(b)) if b > a => format!("{}{block}{}", &old[..a], &old[b + end.len()..]),
        _ => format!("{}\n\n{block}\n", old.trim_end()),
    };
    std::fs::write(&path, new).expect("write BENCHMARKS.md");
}

/// Where this machine is, for the tables' captions.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let date = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{date}, {cpus} cores ({model})")
}

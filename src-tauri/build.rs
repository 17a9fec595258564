fn main() {
    // The app's identifier names its data folder; the command line, which
    // runs without Tauri's context, derives the same folder from it.
    let conf = std::fs::read_to_string("tauri.conf.json").expect("tauri.conf.json");
    let identifier = conf
        .lines()
        .find_map(|l| l.trim().strip_prefix("\"identifier\":"))
        .and_then(|v| v.trim().trim_end_matches(',').trim().strip_prefix('"'))
        .and_then(|v| v.strip_suffix('"'))
        .expect("tauri.conf.json has an \"identifier\"");
    println!("cargo:rustc-env=EKS_DESK_IDENTIFIER={identifier}");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    // The capability file lives beside the Rust sources so that the repository
    // root keeps only the layout DEVELOPERS.md names.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/*.json"),
    )
    .expect("tauri build script failed");
}

fn main() {
    // The capability file lives beside the Rust sources so that the repository
    // root keeps only the layout DEVELOPERS.md names.
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/*.json"),
    )
    .expect("tauri build script failed");
}

//! Where EKS Desk keeps its data: one folder, found the same way by the
//! window and the command line, so that `eks-desk resume` sees the runs the
//! window started and the other way round.

use std::path::PathBuf;

/// The app's identifier from tauri.conf.json (read by build.rs).
pub const IDENTIFIER: &str = env!("EKS_DESK_IDENTIFIER");

/// `$XDG_DATA_HOME/<identifier>` (or `~/.local/share/…`; the platform's
/// data folder elsewhere), as Tauri's `app_data_dir` resolves it.
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(IDENTIFIER)
}

/// Journals of applies and destroys.
pub fn journal_dir() -> PathBuf {
    data_dir().join("journals")
}

/// Specs the window saved.
pub fn spec_dir() -> PathBuf {
    data_dir().join("specs")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_identifier_is_tauri_confs() {
        let conf: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json"))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(conf["identifier"], super::IDENTIFIER);
        assert!(super::journal_dir().ends_with("dev.eksdesk.app/journals"));
    }
}

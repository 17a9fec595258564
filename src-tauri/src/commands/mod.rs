//! Thin Tauri commands: translate arguments, call the domain, return DTOs.

pub mod clusters;
pub mod environment;
pub mod error;

pub use error::{AppError, ErrorCode};

use crate::aws::Sessions;

/// State shared by all commands.
pub struct AppState {
    pub sessions: Sessions,
}

/// Every command and type the UI can use; also what `bindings.ts` is made from.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            environment::environment_choices,
            environment::caller_identity,
            clusters::list_clusters,
            clusters::kube_contexts,
        ])
        .typ::<AppError>()
}

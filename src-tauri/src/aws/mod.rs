//! AWS session: profiles, regions, the local emulator, SDK clients, and the
//! read-only calls the cluster list needs. Knows nothing of Tauri.

pub mod arn;
pub mod clusters;
pub mod environments;
pub mod errors;
pub mod identity;
pub mod local_emulator;
pub mod profiles;
pub mod regions;
pub mod session;
pub mod sessions;

pub use errors::AwsError;
pub use session::{AwsSession, Environment};
pub use sessions::Sessions;

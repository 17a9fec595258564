//! The provisioning engine: applies a spec's plan to AWS with idempotent
//! "ensure" steps, journals every step transition so that a killed run can
//! be resumed without duplicates, reports progress to a watcher, and
//! destroys exactly what it created. Knows nothing of Tauri.

mod destroy;
mod destroy_eks;
pub mod engine;
mod ensure_access;
mod ensure_cluster;
mod ensure_iam;
mod ensure_network;
pub mod error;
pub mod journal;
pub mod preflight;
pub mod progress;
pub mod runs;
pub mod scheduler;
mod wait_active;

pub use destroy::reversed_plan;
pub use engine::{EngineConfig, Provisioner, RunReport};
pub use error::ProvisionError;
pub use journal::{find_unfinished, Journal, Operation, RunStatus, StepState, UnfinishedRun};
pub use preflight::{check_before_apply, confirm_destroy, steps_for};
pub use progress::{Cancellation, ProgressEvent, ProgressSink};
pub use runs::Runs;

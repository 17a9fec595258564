//! The provisioning engine: applies a spec's plan to AWS with idempotent
//! "ensure" steps, journals every step transition so that a killed run can
//! be resumed without duplicates, reports progress to a watcher, and
//! destroys exactly what it created. Knows nothing of Tauri.
//!
//! Files import one way, from the leaves up:
//! `config`, `error` → `journal`, `progress` → `scheduler` → `step_call`
//! (the step toolkit) → `ownership`, `health`, `eks_lookup`, `iam_lookup`,
//! `waits` → `removal` → `ensure_*`, `destroy_*` → `engine` → `runs`,
//! `preflight` → `operations` (what the window and the CLI call).

pub mod config;
mod destroy_eks;
mod destroy_gateways;
mod destroy_iam;
mod destroy_leftovers;
mod destroy_network;
mod ec2_create;
mod eks_lookup;
pub mod engine;
mod ensure_access;
mod ensure_addon;
mod ensure_cluster;
mod ensure_endpoints;
mod ensure_gateways;
mod ensure_iam;
mod ensure_network;
mod ensure_node_group;
mod ensure_routes;
pub mod error;
mod health;
mod iam_lookup;
pub mod journal;
pub mod leftovers;
pub mod operations;
mod ownership;
pub mod preflight;
pub mod progress;
mod removal;
pub mod runs;
pub mod scheduler;
mod step_call;
mod waits;

pub use config::EngineConfig;
pub use engine::{steps_for, Provisioner, RunReport};
pub use error::ProvisionError;
pub use journal::{
    find_unfinished, Journal, Operation, RunStatus, StepState, UnfinishedRun, UnfinishedRuns,
};
pub use preflight::{check_before_apply, confirm_destroy};
pub use progress::{Cancellation, ProgressEvent, ProgressSink};
pub use runs::Runs;

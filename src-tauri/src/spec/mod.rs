//! The cluster spec and everything computed from it before AWS is touched:
//! validation, subnet planning and the IP guard, the resource plan, its
//! estimated cost, and exports (Terraform, eksctl). Knows nothing of Tauri.

pub mod catalog;
pub mod check;
pub mod choices;
pub mod cost;
pub mod export;
pub mod in_account;
pub mod lookup;
pub mod model;
pub mod network;
pub mod plan;
pub mod store;
pub mod validate;
pub mod yaml;

pub use model::ClusterSpec;

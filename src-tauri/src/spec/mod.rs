//! The cluster spec and everything computed from it before AWS is touched:
//! validation, subnet planning and the IP guard, the resource plan, and
//! exports (Terraform, eksctl). Knows nothing of Tauri.

pub mod lookup;
pub mod model;
pub mod plan;
pub mod yaml;

pub use model::ClusterSpec;

//! The resource plan: every AWS object a valid spec creates, in dependency
//! order, each marked as new, reused or in conflict with what already exists.
//! No AWS call happens here: what exists is looked up beforehand and passed
//! in as [`ExistingResources`], so the plan is a pure function of its inputs.

mod build;
mod builder;
mod network_steps;
mod steps;

pub use build::build;
pub use steps::*;

//! The objects the server stores and how each renders to Kubernetes JSON.

pub mod meta;
pub mod node;
pub mod object;
pub mod pod;
pub mod resources;

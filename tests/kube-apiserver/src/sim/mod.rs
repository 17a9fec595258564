//! The simulated cluster: seed content, controllers, scale and churn.

pub mod churn;
pub mod cluster;
pub mod scale;
pub mod seed;
pub mod workloads;

//! The simulated cluster: seed content, controllers, scale and churn.

pub mod churn;
pub mod cluster;
pub mod pod_lifecycle;
pub mod pod_templates;
pub mod scale;
pub mod seed;
pub mod workloads;

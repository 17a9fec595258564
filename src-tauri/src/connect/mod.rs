//! Connecting to clusters: kubeconfig contexts now; EKS tokens later.

pub mod kubeconfig;

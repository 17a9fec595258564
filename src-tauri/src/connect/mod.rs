//! Connecting to clusters: kubeconfig contexts now; EKS tokens later.

pub mod atomic_file;
pub mod kubeconfig;
pub mod kubeconfig_lock;
pub(crate) mod yaml_edit_ops;
pub(crate) mod yaml_layout_edit;
pub(crate) mod yaml_value;

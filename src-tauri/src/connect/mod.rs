//! Connecting to clusters: the kubeconfig contexts a user has, and adding
//! an EKS cluster to them without losing anything; EKS tokens later.

pub mod atomic_file;
pub mod context_auth;
pub mod exec_consent;
pub mod kubeconfig;
pub mod kubeconfig_entry;
pub mod kubeconfig_lock;
pub(crate) mod kubeconfig_plan;
pub mod kubeconfig_target;
pub mod kubeconfig_write;
pub mod kubeconfig_write_error;
pub(crate) mod yaml_edit_ops;
pub(crate) mod yaml_layout_edit;
pub(crate) mod yaml_value;

pub use kubeconfig_entry::{Authenticator, FileChange, KubeconfigEntry, KubeconfigWriteOutcome};
pub use kubeconfig_target::KubeconfigLocation;
pub use kubeconfig_write::add_to_kubeconfig;
pub use kubeconfig_write_error::KubeconfigWriteError;

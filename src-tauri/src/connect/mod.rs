//! Connecting to clusters: EKS Desk's own EKS sign-in (an in-process
//! token, no kubeconfig, no `aws` binary), any kubeconfig context, and
//! adding an EKS cluster to the kubeconfig without losing anything.

pub mod atomic_file;
pub mod cluster_target;
pub mod connect_error;
pub mod context_auth;
pub mod eks_token;
pub mod exec_consent;
pub mod kube_client;
pub mod kubeconfig;
pub mod kubeconfig_add;
pub mod kubeconfig_entry;
pub mod kubeconfig_lock;
pub(crate) mod kubeconfig_plan;
pub mod kubeconfig_target;
pub mod kubeconfig_write;
pub mod kubeconfig_write_error;
pub mod open_cluster;
pub mod open_context;
pub mod overview;
pub(crate) mod yaml_edit_ops;
pub(crate) mod yaml_layout_edit;
pub(crate) mod yaml_value;

pub use cluster_target::SimulatedApi;
pub use connect_error::ConnectError;
pub use kubeconfig_add::{add_cluster_to_kubeconfig, AddToKubeconfigRequest};
pub use kubeconfig_entry::{Authenticator, FileChange, KubeconfigEntry, KubeconfigWriteOutcome};
pub use kubeconfig_target::KubeconfigLocation;
pub use kubeconfig_write::add_to_kubeconfig;
pub use kubeconfig_write_error::KubeconfigWriteError;
pub use open_cluster::{open_cluster, OpenClusterRequest};
pub use open_context::{allow_exec_plugin, open_context, ExecPolicy, OpenContextRequest};
pub use overview::{ClusterOverview, KubeIdentity, OpenedCluster};

//! "Add to kubeconfig" for an EKS cluster: what `aws eks update-kubeconfig`
//! does, from DescribeCluster to the file (see `kubeconfig_write` for how
//! the file is kept whole).

use std::path::Path;

use serde::Deserialize;
use specta::Type;

use super::cluster_target::{cluster_target, SimulatedApi};
use super::connect_error::ConnectError;
use super::kubeconfig_entry::{Authenticator, KubeconfigEntry, KubeconfigWriteOutcome};
use super::kubeconfig_target::KubeconfigLocation;
use super::kubeconfig_write::add_to_kubeconfig;
use crate::aws::AwsSession;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddToKubeconfigRequest {
    pub cluster: String,
    /// The context's name; the cluster's ARN when empty.
    pub alias: Option<String>,
    /// `eks-desk token` instead of `aws eks get-token` (no AWS CLI needed).
    pub use_eks_desk: bool,
    /// Make it kubectl's current context.
    pub set_current: bool,
}

/// Writes `request.cluster`'s entries for the session's profile and region.
/// `own_binary` is what `use_eks_desk` writes as the command.
pub async fn add_cluster_to_kubeconfig(
    session: &AwsSession,
    request: &AddToKubeconfigRequest,
    location: &KubeconfigLocation,
    own_binary: Option<&Path>,
    simulated: Option<&SimulatedApi>,
) -> Result<KubeconfigWriteOutcome, ConnectError> {
    let found = cluster_target(session, &request.cluster, simulated).await?;
    let authenticator = match (request.use_eks_desk, own_binary) {
        (false, _) => Authenticator::Aws,
        (true, Some(binary)) => Authenticator::EksDesk {
            binary: binary.to_path_buf(),
        },
        (true, None) => {
            return Err(ConnectError::Context {
                context: request.cluster.clone(),
                reason: "the path of the eks-desk binary is unknown, so it cannot be written as the credential command; choose the AWS CLI".into(),
            })
        }
    };
    let entry = KubeconfigEntry {
        cluster_name: found.cluster.clone(),
        cluster_arn: found.arn.clone(),
        endpoint: found.server.url.clone(),
        certificate_authority_data: found.server.ca_data.clone(),
        region: session.region().to_string(),
        profile: session.environment().profile().map(str::to_string),
        alias: request.alias.clone().filter(|a| !a.trim().is_empty()),
        authenticator,
        set_current: request.set_current,
    };
    Ok(add_to_kubeconfig(&entry, location)?)
}

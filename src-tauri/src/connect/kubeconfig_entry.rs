//! What "Add to kubeconfig" is asked to write, and what it did: the shape
//! of `aws eks update-kubeconfig`'s entries (a cluster named by its ARN, a
//! user running an exec credential plugin, a context joining them).

use crate::aws::arn::Arn;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;

/// The exec plugin API version `aws eks update-kubeconfig` writes.
pub const EXEC_API_VERSION: &str = "client.authentication.k8s.io/v1beta1";

/// Who hands kubectl its EKS token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Authenticator {
    /// `aws --region R eks get-token --cluster-name C --output json`, with
    /// the profile in `env: AWS_PROFILE` (as the AWS CLI writes it).
    Aws,
    /// `<binary> token --cluster-name C --region R [--profile P]`: this
    /// app's own binary, for machines without the AWS CLI.
    EksDesk { binary: PathBuf },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KubeconfigEntry {
    pub cluster_name: String,
    /// `arn:aws:eks:R:ACCOUNT:cluster/NAME`: names the cluster entry.
    pub cluster_arn: String,
    /// `https://….eks.amazonaws.com`.
    pub endpoint: String,
    /// The cluster's CA bundle, base64 (as DescribeCluster returns it).
    pub certificate_authority_data: String,
    pub region: String,
    /// The AWS profile the token is made with; `None` for the default chain.
    pub profile: Option<String>,
    /// The context's name; the cluster ARN when `None`.
    pub alias: Option<String>,
    pub authenticator: Authenticator,
    /// Make the context kubectl's current one.
    pub set_current: bool,
}

/// The names of the three entries one `KubeconfigEntry` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryNames {
    pub cluster: String,
    pub user: String,
    pub context: String,
}

/// A field of the entry that cannot be written as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct InvalidEntry {
    pub field: &'static str,
    pub reason: String,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> InvalidEntry {
    InvalidEntry {
        field,
        reason: reason.into(),
    }
}

impl KubeconfigEntry {
    /// The cluster entry is the ARN (as the AWS CLI names it); the user is
    /// the ARN too, or `PROFILE@ARN` with a profile (as eksctl puts the
    /// identity before `@`), so two roles on one cluster are two users;
    /// the context is the alias, or the ARN.
    pub(crate) fn names(&self) -> EntryNames {
        let arn = self.cluster_arn.clone();
        EntryNames {
            user: match &self.profile {
                Some(profile) => format!("{profile}@{arn}"),
                None => arn.clone(),
            },
            context: self.alias.clone().unwrap_or_else(|| arn.clone()),
            cluster: arn,
        }
    }

    /// Refuses what would make an entry kubectl cannot use.
    pub(crate) fn check(&self) -> Result<(), InvalidEntry> {
        let arn = Arn::parse(&self.cluster_arn)
            .filter(|a| a.service == "eks")
            .ok_or_else(|| invalid("clusterArn", "not an EKS cluster ARN"))?;
        let name = arn
            .resource
            .strip_prefix("cluster/")
            .ok_or_else(|| invalid("clusterArn", "not an EKS cluster ARN"))?;
        if name != self.cluster_name {
            return Err(invalid(
                "clusterName",
                format!("the ARN names cluster {name}"),
            ));
        }
        if arn.region != self.region {
            return Err(invalid(
                "region",
                format!("the cluster ARN is in {}", arn.region),
            ));
        }
        if !self.endpoint.starts_with("https://") || self.endpoint.len() <= "https://".len() {
            return Err(invalid("endpoint", "not an https:// URL"));
        }
        let ca = &self.certificate_authority_data;
        let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
        if ca.is_empty() || !ca.chars().all(base64) {
            return Err(invalid(
                "certificateAuthorityData",
                "not the base64 CA bundle of the cluster",
            ));
        }
        let blank = |v: &Option<String>| v.as_deref().is_some_and(|s| s.trim().is_empty());
        if blank(&self.profile) {
            return Err(invalid("profile", "empty"));
        }
        if blank(&self.alias) {
            return Err(invalid("alias", "empty"));
        }
        if let Authenticator::EksDesk { binary } = &self.authenticator {
            if !binary.is_absolute() {
                return Err(invalid(
                    "authenticator",
                    "the eks-desk binary must be an absolute path",
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FileChange {
    /// The file did not exist (or was empty) and now holds the entries.
    Created,
    Updated,
    /// Everything was already as asked: nothing written, no backup.
    Unchanged,
}

/// What `add_to_kubeconfig` did. Names and paths only: no credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KubeconfigWriteOutcome {
    /// The kubeconfig file, as KUBECONFIG (or `~/.kube/config`) names it.
    pub file: PathBuf,
    pub change: FileChange,
    /// The copy of the file as it was, next to it, when it was changed.
    pub backup: Option<PathBuf>,
    pub context: String,
    pub user: String,
    pub cluster: String,
    /// Whether the context is kubectl's current context now.
    pub is_current: bool,
    /// The file had comments and the rewrite could not keep them (the
    /// backup has them); false whenever the edit kept the file's layout.
    pub comments_lost: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> KubeconfigEntry {
        KubeconfigEntry {
            cluster_name: "prod".into(),
            cluster_arn: "arn:aws:eks:eu-west-1:111122223333:cluster/prod".into(),
            endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com".into(),
            certificate_authority_data: "LS0tLS1CRUdJTg==".into(),
            region: "eu-west-1".into(),
            profile: None,
            alias: None,
            authenticator: Authenticator::Aws,
            set_current: false,
        }
    }

    #[test]
    fn names_follow_the_aws_cli_and_keep_roles_apart() {
        let plain = entry().names();
        assert_eq!(plain.cluster, entry().cluster_arn);
        assert_eq!(plain.user, entry().cluster_arn);
        assert_eq!(plain.context, entry().cluster_arn);
        let admin = KubeconfigEntry {
            profile: Some("admin".into()),
            alias: Some("prod-admin".into()),
            ..entry()
        }
        .names();
        assert_eq!(admin.user, format!("admin@{}", entry().cluster_arn));
        assert_eq!(admin.context, "prod-admin");
        assert_eq!(admin.cluster, entry().cluster_arn);
    }

    #[test]
    fn inconsistent_entries_are_refused_by_field() {
        assert_eq!(entry().check(), Ok(()));
        let field = |e: KubeconfigEntry| e.check().unwrap_err().field;
        assert_eq!(
            field(KubeconfigEntry {
                cluster_arn: "arn:aws:iam::111122223333:role/x".into(),
                ..entry()
            }),
            "clusterArn"
        );
        assert_eq!(
            field(KubeconfigEntry {
                cluster_name: "other".into(),
                ..entry()
            }),
            "clusterName"
        );
        assert_eq!(
            field(KubeconfigEntry {
                region: "us-east-1".into(),
                ..entry()
            }),
            "region"
        );
        assert_eq!(
            field(KubeconfigEntry {
                endpoint: "http://x".into(),
                ..entry()
            }),
            "endpoint"
        );
        assert_eq!(
            field(KubeconfigEntry {
                certificate_authority_data: "a b\nc".into(),
                ..entry()
            }),
            "certificateAuthorityData"
        );
        assert_eq!(
            field(KubeconfigEntry {
                alias: Some(" ".into()),
                ..entry()
            }),
            "alias"
        );
        assert_eq!(
            field(KubeconfigEntry {
                authenticator: Authenticator::EksDesk {
                    binary: "eks-desk".into()
                },
                ..entry()
            }),
            "authenticator"
        );
    }
}

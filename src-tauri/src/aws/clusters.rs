//! The EKS clusters of one account + region: ListClusters (all pages), then
//! DescribeCluster for each, a few at a time.

use super::{AwsError, AwsSession};
use aws_sdk_eks::primitives::DateTimeFormat;
use aws_sdk_eks::types::Cluster;
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use specta::Type;
use std::collections::BTreeMap;

/// Parallel DescribeCluster calls: enough to list dozens of clusters quickly,
/// few enough not to trip EKS's per-account request rate.
const DESCRIBE_CONCURRENCY: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClusterStatus {
    Creating,
    Active,
    Updating,
    Deleting,
    Failed,
    Pending,
    Unknown,
}

impl ClusterStatus {
    fn from_sdk(status: Option<&aws_sdk_eks::types::ClusterStatus>) -> Self {
        use aws_sdk_eks::types::ClusterStatus as S;
        match status {
            Some(S::Creating) => Self::Creating,
            Some(S::Active) => Self::Active,
            Some(S::Updating) => Self::Updating,
            Some(S::Deleting) => Self::Deleting,
            Some(S::Failed) => Self::Failed,
            Some(S::Pending) => Self::Pending,
            _ => Self::Unknown,
        }
    }

    /// A status that will change by itself: the list keeps refreshing.
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            Self::Creating | Self::Updating | Self::Deleting | Self::Pending
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClusterSummary {
    pub name: String,
    pub arn: Option<String>,
    pub status: ClusterStatus,
    /// The status will change by itself (CREATING, UPDATING…): the list
    /// keeps refreshing while any cluster is so.
    pub is_transitional: bool,
    pub version: Option<String>,
    pub endpoint: Option<String>,
    pub authentication_mode: Option<String>,
    /// RFC 3339.
    pub created_at: Option<String>,
    pub platform_version: Option<String>,
    pub tags: BTreeMap<String, String>,
}

impl ClusterSummary {
    fn from_sdk(name: &str, c: &Cluster) -> Self {
        Self {
            name: c.name().unwrap_or(name).to_string(),
            arn: c.arn().map(str::to_string),
            status: ClusterStatus::from_sdk(c.status()),
            is_transitional: ClusterStatus::from_sdk(c.status()).is_transitional(),
            version: c.version().map(str::to_string),
            endpoint: c.endpoint().filter(|e| !e.is_empty()).map(str::to_string),
            authentication_mode: c
                .access_config()
                .and_then(|a| a.authentication_mode())
                .map(|m| m.as_str().to_string()),
            created_at: c
                .created_at()
                .and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
            platform_version: c.platform_version().map(str::to_string),
            tags: c
                .tags()
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        }
    }
}

/// Cluster names, every page of ListClusters.
type ClusterName = String;

async fn names(session: &AwsSession) -> Result<Vec<ClusterName>, AwsError> {
    let eks = session.eks();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = eks
            .list_clusters()
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| session.classify("eks:ListClusters", e))?;
        names.extend(page.clusters().iter().cloned());
        match page.next_token() {
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(names),
        }
    }
}

/// `None` when the cluster vanished between the list and the describe.
async fn describe(session: &AwsSession, name: String) -> Result<Option<ClusterSummary>, AwsError> {
    match session.eks().describe_cluster().name(&name).send().await {
        Ok(out) => Ok(out.cluster().map(|c| ClusterSummary::from_sdk(&name, c))),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(session.classify("eks:DescribeCluster", e)),
    }
}

/// Every cluster of the session's account + region, sorted by name.
pub async fn list(session: &AwsSession) -> Result<Vec<ClusterSummary>, AwsError> {
    let names = names(session).await?;
    let mut clusters: Vec<ClusterSummary> = futures::stream::iter(names)
        .map(|name| describe(session, name))
        .buffer_unordered(DESCRIBE_CONCURRENCY)
        .try_filter_map(|c| async move { Ok(c) })
        .try_collect()
        .await?;
    clusters.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(clusters)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_eks::primitives::DateTime;
    use aws_sdk_eks::types::{AccessConfigResponse, AuthenticationMode};

    #[test]
    fn summary_carries_the_fields_the_list_shows() {
        let cluster = Cluster::builder()
            .name("my-eks")
            .status(aws_sdk_eks::types::ClusterStatus::Creating)
            .version("1.33")
            .endpoint("")
            .platform_version("eks.5")
            .created_at(DateTime::from_secs(1_751_500_800))
            .access_config(
                AccessConfigResponse::builder()
                    .authentication_mode(AuthenticationMode::ApiAndConfigMap)
                    .build(),
            )
            .tags("team", "platform")
            .build();
        let s = ClusterSummary::from_sdk("my-eks", &cluster);
        assert_eq!(s.status, ClusterStatus::Creating);
        assert!(s.status.is_transitional());
        assert_eq!(s.endpoint, None, "an empty endpoint is not an endpoint yet");
        assert_eq!(s.authentication_mode.as_deref(), Some("API_AND_CONFIG_MAP"));
        assert_eq!(s.created_at.as_deref(), Some("2025-07-03T00:00:00Z"));
        assert_eq!(s.tags.get("team").map(String::as_str), Some("platform"));
    }
}

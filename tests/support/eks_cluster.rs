//! EKS clusters in the emulator for the connect tests: an ACTIVE cluster
//! without the creator's automatic entry (so each test decides who may
//! open it), and access entries with a cluster-wide policy.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use aws_sdk_eks::types::{
    AccessScope, AccessScopeType, AuthenticationMode, CreateAccessConfigRequest, VpcConfigRequest,
};
use eks_desk::aws::AwsSession;

pub const CLUSTER_ADMIN: &str =
    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
pub const VIEW: &str = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

/// Creates `name` (and its role) and waits, on DescribeCluster, until ACTIVE.
pub async fn active_cluster(admin: &AwsSession, name: &str) {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = admin
        .iam()
        .create_role()
        .role_name(format!("{name}-cluster"))
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap();
    let eks = admin.eks();
    eks.create_cluster()
        .name(name)
        .role_arn(role.role().unwrap().arn())
        .resources_vpc_config(
            VpcConfigRequest::builder()
                .subnet_ids("subnet-1")
                .subnet_ids("subnet-2")
                .build(),
        )
        .access_config(
            CreateAccessConfigRequest::builder()
                .authentication_mode(AuthenticationMode::Api)
                .bootstrap_cluster_creator_admin_permissions(false)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = eks.describe_cluster().name(name).send().await.unwrap();
        let status = out
            .cluster()
            .and_then(|c| c.status())
            .map(|s| s.as_str().to_string());
        if status.as_deref() == Some("ACTIVE") {
            return;
        }
        assert!(Instant::now() < deadline, "{name} still {status:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// An access entry for `principal` on `cluster` with `policy`, cluster-wide.
pub async fn grant(admin: &AwsSession, cluster: &str, principal: &str, policy: &str) {
    let eks = admin.eks();
    eks.create_access_entry()
        .cluster_name(cluster)
        .principal_arn(principal)
        .send()
        .await
        .unwrap();
    eks.associate_access_policy()
        .cluster_name(cluster)
        .principal_arn(principal)
        .policy_arn(policy)
        .access_scope(
            AccessScope::builder()
                .r#type(AccessScopeType::Cluster)
                .build(),
        )
        .send()
        .await
        .unwrap();
}

//! Access entries and access policy associations of the cluster, made
//! once the cluster is ACTIVE. The entry EKS made itself for the cluster's
//! creator is reused, not fought over.

use super::eks_lookup::describe_access_entry;
use super::error::ProvisionError;
use super::ownership::{conflict, eks_owner};
use super::scheduler::StepDone;
use super::step_call::{code_of, send_create, StepCall};
use crate::spec::model::AccessScope as SpecScope;
use aws_sdk_eks::types::{AccessEntry, AccessScope, AccessScopeType};
use std::collections::HashMap;

/// The principal of `access.entries[index]`: its ARN, or the caller's.
pub(crate) async fn principal_of_entry(
    call: &StepCall<'_>,
    index: usize,
) -> Result<String, ProvisionError> {
    let entry = call.item(&call.spec().access.entries, index, "access entry")?;
    if !entry.principal_arn.is_empty() {
        return Ok(entry.principal_arn.clone());
    }
    call.env
        .caller_arn()
        .await
        .map_err(|e| call.aws("sts:GetCallerIdentity", e))
}

/// An existing entry is reused when it is this spec's, or when it is the
/// one EKS made for the cluster's creator (this spec made the cluster, so
/// the creator is the caller).
async fn reuse_entry(
    call: &StepCall<'_>,
    cluster: &str,
    principal: &str,
    entry: &AccessEntry,
) -> Result<StepDone, ProvisionError> {
    let owner = eks_owner(entry.tags());
    if call.env.is_ours(owner) {
        return Ok(StepDone::new(
            Some(principal.to_string()),
            "reused (created by this spec)",
        ));
    }
    let caller = call
        .env
        .caller_arn()
        .await
        .map_err(|e| call.aws("sts:GetCallerIdentity", e))?;
    if owner.is_none() && caller == principal {
        return Ok(StepDone::new(
            Some(principal.to_string()),
            "reused the entry EKS made for the cluster's creator",
        ));
    }
    Err(conflict(
        call,
        &format!("Access entry for {principal} on cluster {cluster}"),
        owner,
        "delete it or remove it from the spec",
    ))
}

pub(crate) async fn access_entry(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let cluster = &call.spec().cluster.name;
    let principal = &principal_of_entry(call, index).await?;
    if let Some(existing) = describe_access_entry(call, cluster, principal).await? {
        return reuse_entry(call, cluster, principal, &existing).await;
    }
    let token = &call.handle.token()?;
    let tags: &HashMap<String, String> = &call.env.tags().into_iter().collect();
    let op = "eks:CreateAccessEntry";
    let eks = &call.session().eks();
    let sent = send_create(call, move || async move {
        eks.create_access_entry()
            .cluster_name(cluster)
            .principal_arn(principal)
            .r#type("STANDARD")
            .set_tags(Some(tags.clone()))
            .client_request_token(token)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    match sent {
        Ok(_) => Ok(StepDone::new(Some(principal.clone()), "created")),
        Err(err) if code_of(&err) == Some("ResourceInUseException") => {
            let existing = describe_access_entry(call, cluster, principal)
                .await?
                .ok_or_else(|| call.aws(op, err.clone()))?;
            reuse_entry(call, cluster, principal, &existing).await
        }
        Err(err) => Err(call.aws(op, err)),
    }
}

/// The ARN of the spec's access policy, in the spec region's partition.
pub(crate) fn policy_arn_of(call: &StepCall<'_>, policy: &str) -> String {
    let region = &call.spec().cluster.region;
    crate::aws::arn::access_policy_arn(crate::aws::arn::partition_of_region(region), policy)
}

pub(crate) async fn access_policy(
    call: &StepCall<'_>,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let spec = call.spec();
    let cluster = &spec.cluster.name;
    let entry = call.item(&spec.access.entries, index, "access entry")?;
    let principal = principal_of_entry(call, index).await?;
    let policy_arn = policy_arn_of(call, &entry.policy);
    let (scope_type, namespaces) = match &entry.scope {
        SpecScope::Cluster => (AccessScopeType::Cluster, Vec::new()),
        SpecScope::Namespace { namespaces } => (AccessScopeType::Namespace, namespaces.clone()),
    };

    let op = "eks:ListAssociatedAccessPolicies";
    let eks = call.session().eks();
    let listed = eks
        .list_associated_access_policies()
        .cluster_name(cluster)
        .principal_arn(&principal)
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    let same = listed.associated_access_policies().iter().any(|p| {
        let scope = p.access_scope();
        let mut theirs: Vec<String> = scope.map(|s| s.namespaces().to_vec()).unwrap_or_default();
        let mut ours = namespaces.clone();
        theirs.sort();
        ours.sort();
        p.policy_arn() == Some(policy_arn.as_str())
            && scope.and_then(|s| s.r#type()) == Some(&scope_type)
            && theirs == ours
    });
    if same {
        return Ok(StepDone::new(Some(policy_arn), "already associated"));
    }
    let op = "eks:AssociateAccessPolicy";
    eks.associate_access_policy()
        .cluster_name(cluster)
        .principal_arn(&principal)
        .policy_arn(&policy_arn)
        .access_scope(
            AccessScope::builder()
                .r#type(scope_type)
                .set_namespaces((!namespaces.is_empty()).then_some(namespaces))
                .build(),
        )
        .send()
        .await
        .map_err(|e| call.sdk(op, e))?;
    Ok(StepDone::new(
        Some(policy_arn),
        format!("associated with {principal}"),
    ))
}

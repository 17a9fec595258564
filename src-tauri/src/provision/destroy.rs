//! Destroy: the plan's steps in reverse (a step goes once everything that
//! depended on it is gone), each deleting only what carries this spec's
//! owner tag. Missing counts as done, so a second destroy is a no-op; a
//! picked VPC, subnet or role, and anything untagged, is never touched.

use super::destroy_eks;
use super::engine::{code_of, with_step_retries, Backoff, StepCall, StepEnv};
use super::ensure_iam::attached_policies;
use super::error::ProvisionError;
use super::scheduler::{StepDone, StepHandle, StepRunner};
use crate::aws::AwsError;
use crate::spec::model::{NodeSubnets, RoleChoice, VpcChoice};
use crate::spec::plan::{self, ExistingResources, Plan, PlanStep, RoleUse, StepTarget, OWNER_TAG};
use crate::spec::ClusterSpec;
use aws_sdk_ec2::types::Filter;
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

/// The spec's plan with every dependency turned around, in reverse order.
pub fn reversed_plan(spec: &ClusterSpec) -> Plan {
    let plan = plan::build(spec, &ExistingResources::default());
    let mut dependents: HashMap<String, Vec<String>> = HashMap::new();
    for step in &plan.steps {
        for dep in &step.depends_on {
            dependents
                .entry(dep.clone())
                .or_default()
                .push(step.id.clone());
        }
    }
    let steps = plan
        .steps
        .into_iter()
        .rev()
        .map(|mut step| {
            step.depends_on = dependents.remove(&step.id).unwrap_or_default();
            step
        })
        .collect();
    Plan { steps, ..plan }
}

pub(crate) const NOT_FOUND: &str = "nothing to delete (not found)";
pub(crate) const PICKED: &str = "picked by the user; never touched";

pub(crate) fn left_alone(what: &str, owner: Option<&str>) -> String {
    match owner {
        Some(other) => format!("{what} belongs to another spec ({other}); left alone"),
        None => format!("{what} was not created by EKS Desk; left alone"),
    }
}

pub(crate) fn is_gone(err: &AwsError) -> bool {
    code_of(err).is_some_and(|c| {
        c == "ResourceNotFoundException" || c == "NoSuchEntity" || c.ends_with(".NotFound")
    })
}

/// Sends a delete, retrying while AWS says something still uses the
/// resource (`retry_codes`) until the delete timeout. `Ok(false)` when it
/// was already gone.
pub(crate) async fn delete_retrying<T, F, Fut>(
    call: &StepCall<'_>,
    operation: &str,
    retry_codes: &[&str],
    send: F,
) -> Result<bool, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let timeout = call.env.config.delete_timeout;
    delete_retrying_for(call, operation, retry_codes, timeout, send).await
}

/// [`delete_retrying`] with its own time limit.
async fn delete_retrying_for<T, F, Fut>(
    call: &StepCall<'_>,
    operation: &str,
    retry_codes: &[&str],
    timeout: std::time::Duration,
    mut send: F,
) -> Result<bool, ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AwsError>>,
{
    let deadline = Instant::now() + timeout;
    let mut backoff = Backoff::new(&call.env.config);
    loop {
        match send().await {
            Ok(_) => return Ok(true),
            Err(err) if is_gone(&err) => return Ok(false),
            Err(err)
                if code_of(&err).is_some_and(|c| retry_codes.contains(&c))
                    && Instant::now() < deadline =>
            {
                call.handle
                    .progress(format!("waiting before deleting again: {err}"));
                call.handle.sleep(backoff.next_pause()).await?;
            }
            Err(err) => return Err(call.aws(operation, err)),
        }
    }
}

/// Polls until `exists` says no (None), reporting status changes.
pub(crate) async fn wait_gone<F, Fut>(
    call: &StepCall<'_>,
    what: &str,
    operation: &str,
    mut status: F,
) -> Result<(), ProvisionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<String>, ProvisionError>>,
{
    let deadline = Instant::now() + call.env.config.delete_timeout;
    let mut backoff = Backoff::new(&call.env.config);
    let mut last = None;
    loop {
        let Some(now) = status().await? else {
            return Ok(());
        };
        if last.as_ref() != Some(&now) {
            call.handle
                .progress(format!("waiting for {what} to be gone (now {now})"));
            last = Some(now.clone());
        }
        if Instant::now() >= deadline {
            return Err(call.failed(
                operation,
                format!(
                    "{what} was still {now} after {} s; destroy again later",
                    call.env.config.delete_timeout.as_secs()
                ),
            ));
        }
        call.handle.sleep(backoff.next_pause()).await?;
    }
}

fn ec2_owner(tags: &[aws_sdk_ec2::types::Tag]) -> Option<&str> {
    tags.iter()
        .find(|t| t.key() == Some(OWNER_TAG))
        .and_then(|t| t.value())
}

fn owner_filter(spec_id: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{OWNER_TAG}"))
        .values(spec_id)
        .build()
}

async fn delete_subnet_id(call: &StepCall<'_>, id: &str) -> Result<bool, ProvisionError> {
    let op = "ec2:DeleteSubnet";
    let ec2 = &call.session().ec2();
    // ENIs of a just-deleted cluster or node can hold a subnet for minutes.
    delete_retrying(call, op, &["DependencyViolation"], move || async move {
        ec2.delete_subnet()
            .subnet_id(id)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await
}

async fn subnet(
    call: &StepCall<'_>,
    for_nodes: bool,
    index: usize,
) -> Result<StepDone, ProvisionError> {
    let network = &call.spec().network;
    let cidr = match (for_nodes, &network.node_subnets) {
        (true, NodeSubnets::Existing(_)) => return Ok(StepDone::new(None, PICKED)),
        (true, NodeSubnets::Create(subnets)) => subnets.get(index).map(|s| &s.cidr),
        (false, _) => network.control_plane_subnets.get(index).map(|s| &s.cidr),
    }
    .ok_or_else(|| call.internal("subnet index out of range"))?;
    let op = "ec2:DescribeSubnets";
    let found = call
        .session()
        .ec2()
        .describe_subnets()
        .filters(owner_filter(&call.spec().id))
        .filters(Filter::builder().name("cidr-block").values(cidr).build())
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    let mut deleted = Vec::new();
    for s in found.subnets() {
        // The filter already asks for the tag; checked again because this
        // is the one place where a wrong answer would delete someone's subnet.
        if !call.env.is_ours(ec2_owner(s.tags())) {
            continue;
        }
        let id = s.subnet_id().unwrap_or_default();
        if delete_subnet_id(call, id).await? {
            deleted.push(id.to_string());
        }
    }
    Ok(match deleted.as_slice() {
        [] => StepDone::new(None, NOT_FOUND),
        ids => StepDone::new(Some(ids.join(",")), format!("deleted {cidr}")),
    })
}

async fn vpc(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    if let VpcChoice::Existing { .. } = call.spec().network.vpc {
        return Ok(StepDone::new(None, PICKED));
    }
    let ec2 = &call.session().ec2();
    let op = "ec2:DescribeVpcs";
    let found = ec2
        .describe_vpcs()
        .filters(owner_filter(&call.spec().id))
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    let mut deleted = Vec::new();
    for v in found.vpcs() {
        if !call.env.is_ours(ec2_owner(v.tags())) {
            continue;
        }
        let vpc_id = v.vpc_id().unwrap_or_default();
        // Subnets of this spec that an older version of it made.
        let op = "ec2:DescribeSubnets";
        let subnets = ec2
            .describe_subnets()
            .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
            .send()
            .await
            .map_err(|e| call.aws(op, call.classify(op, e)))?;
        let (ours, theirs): (Vec<_>, Vec<_>) = subnets
            .subnets()
            .iter()
            .partition(|s| call.env.is_ours(ec2_owner(s.tags())));
        if !theirs.is_empty() {
            let ids: Vec<_> = theirs.iter().filter_map(|s| s.subnet_id()).collect();
            return Err(call.failed(
                "ec2:DeleteVpc",
                format!(
                    "VPC {vpc_id} has subnets EKS Desk did not create ({}); delete them first, then destroy again",
                    ids.join(", ")
                ),
            ));
        }
        for s in ours {
            delete_subnet_id(call, s.subnet_id().unwrap_or_default()).await?;
        }
        let op = "ec2:DeleteVpc";
        let gone = delete_retrying(call, op, &["DependencyViolation"], move || async move {
            ec2.delete_vpc()
                .vpc_id(vpc_id)
                .send()
                .await
                .map_err(|e| call.classify(op, e))
        })
        .await?;
        if gone {
            deleted.push(vpc_id.to_string());
        }
    }
    Ok(match deleted.as_slice() {
        [] => StepDone::new(None, NOT_FOUND),
        ids => StepDone::new(Some(ids.join(",")), "deleted"),
    })
}

/// The role's owner tag, or `None` when the role does not exist.
async fn role_owner(
    call: &StepCall<'_>,
    name: &str,
) -> Result<Option<Option<String>>, ProvisionError> {
    let op = "iam:GetRole";
    match call.session().iam().get_role().role_name(name).send().await {
        Ok(out) => Ok(Some(out.role().and_then(|r| {
            r.tags()
                .iter()
                .find(|t| t.key() == OWNER_TAG)
                .map(|t| t.value().to_string())
        }))),
        Err(e) => {
            let err = call.classify(op, e);
            if is_gone(&err) {
                Ok(None)
            } else {
                Err(call.aws(op, err))
            }
        }
    }
}

async fn detach(call: &StepCall<'_>, name: &str, policy_arn: &str) -> Result<bool, ProvisionError> {
    let op = "iam:DetachRolePolicy";
    let iam = &call.session().iam();
    delete_retrying(call, op, &[], move || async move {
        iam.detach_role_policy()
            .role_name(name)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await
}

async fn role_policy(
    call: &StepCall<'_>,
    role: RoleUse,
    policy_arn: &str,
) -> Result<StepDone, ProvisionError> {
    let Some(name) = call.env.role_name(role) else {
        return Ok(StepDone::new(None, PICKED));
    };
    match role_owner(call, name).await? {
        None => Ok(StepDone::new(None, NOT_FOUND)),
        Some(owner) if !call.env.is_ours(owner.as_deref()) => Ok(StepDone::new(
            None,
            left_alone(&format!("Role {name}"), owner.as_deref()),
        )),
        Some(_) => Ok(if detach(call, name, policy_arn).await? {
            StepDone::new(
                Some(policy_arn.to_string()),
                format!("detached from {name}"),
            )
        } else {
            StepDone::new(None, NOT_FOUND)
        }),
    }
}

async fn role(call: &StepCall<'_>, role: RoleUse) -> Result<StepDone, ProvisionError> {
    let choice = match role {
        RoleUse::Cluster => &call.spec().iam.cluster_role,
        RoleUse::Node => &call.spec().iam.node_role,
    };
    let RoleChoice::Create { name, .. } = choice else {
        return Ok(StepDone::new(None, PICKED));
    };
    let owner = match role_owner(call, name).await? {
        None => return Ok(StepDone::new(None, NOT_FOUND)),
        Some(owner) => owner,
    };
    if !call.env.is_ours(owner.as_deref()) {
        return Ok(StepDone::new(
            None,
            left_alone(&format!("Role {name}"), owner.as_deref()),
        ));
    }
    // Policies attached by an older version of the spec, or by hand.
    for policy in attached_policies(call, name).await? {
        detach(call, name, &policy).await?;
    }
    let iam = &call.session().iam();
    let op = "iam:ListRolePolicies";
    let inline = iam
        .list_role_policies()
        .role_name(name)
        .send()
        .await
        .map_err(|e| call.aws(op, call.classify(op, e)))?;
    for policy in inline.policy_names() {
        let op = "iam:DeleteRolePolicy";
        delete_retrying(call, op, &[], move || async move {
            iam.delete_role_policy()
                .role_name(name)
                .policy_name(policy)
                .send()
                .await
                .map_err(|e| call.classify(op, e))
        })
        .await?;
    }
    let op = "iam:DeleteRole";
    let name = name.as_str();
    // An instance profile of a node group being deleted holds the role
    // until EKS removes it, which takes a short while; a profile someone
    // else added is theirs to change, so the wait is short too.
    let timeout = call.env.config.iam_propagation_timeout;
    let gone = delete_retrying_for(call, op, &["DeleteConflict"], timeout, move || async move {
        iam.delete_role()
            .role_name(name)
            .send()
            .await
            .map_err(|e| call.classify(op, e))
    })
    .await?;
    Ok(if gone {
        StepDone::new(Some(name.to_string()), "deleted")
    } else {
        StepDone::new(None, NOT_FOUND)
    })
}

pub(crate) struct DestroySteps {
    pub env: StepEnv,
}

impl StepRunner for DestroySteps {
    fn run(
        self: Arc<Self>,
        step: PlanStep,
        handle: StepHandle,
    ) -> BoxFuture<'static, Result<StepDone, ProvisionError>> {
        Box::pin(async move {
            let call = &StepCall {
                env: &self.env,
                step: &step,
                handle: &handle,
            };
            with_step_retries(&handle, &self.env.config, || remove(call)).await
        })
    }
}

async fn remove(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    match &call.step.target {
        StepTarget::AccessPolicy(i) => destroy_eks::access_policy(call, *i).await,
        StepTarget::AccessEntry(i) => destroy_eks::access_entry(call, *i).await,
        StepTarget::Addon(i) => destroy_eks::addon(call, *i).await,
        StepTarget::NodeGroup(i) => destroy_eks::node_group(call, *i).await,
        StepTarget::Cluster => destroy_eks::cluster(call).await,
        StepTarget::ControlPlaneSubnet(i) => subnet(call, false, *i).await,
        StepTarget::NodeSubnet(i) => subnet(call, true, *i).await,
        StepTarget::Vpc => vpc(call).await,
        StepTarget::RolePolicy {
            role: r,
            policy_arn,
        } => role_policy(call, *r, policy_arn).await,
        StepTarget::Role(r) => role(call, *r).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reversed_plan_deletes_dependents_first() {
        let plan = reversed_plan(&ClusterSpec::default());
        let pos = |id: &str| plan.steps.iter().position(|s| s.id == id).unwrap();
        for (i, step) in plan.steps.iter().enumerate() {
            for dep in &step.depends_on {
                assert!(pos(dep) < i, "{} before {dep}", step.id);
            }
        }
        let cluster = &plan.steps[pos("cluster/my-eks")];
        for id in [
            "nodegroup/default_node_group",
            "addon/vpc-cni",
            "access-entry/caller",
        ] {
            assert!(cluster.depends_on.contains(&id.to_string()), "{id}");
        }
        let vpc = &plan.steps[pos("vpc/main")];
        assert!(vpc
            .depends_on
            .contains(&"subnet/control-plane-0".to_string()));
        let role = &plan.steps[pos("role/cluster")];
        assert!(role.depends_on.contains(&"cluster/my-eks".to_string()));
        assert!(role
            .depends_on
            .contains(&"attach/cluster/AmazonEKSClusterPolicy".to_string()));
        assert_eq!(
            plan.waves().len(),
            plan::build(&ClusterSpec::default(), &Default::default())
                .waves()
                .len()
        );
    }
}

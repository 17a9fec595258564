//! The destroy step between the cluster and the network: what Kubernetes
//! left in the VPC (see [`super::leftovers`]) is deleted when the user
//! confirmed it, or stops the destroy with the list — before anything
//! waits half an hour on a subnet that cannot go.

use super::error::ProvisionError;
use super::leftovers::{self, Leftover, LeftoverKind};
use super::scheduler::StepDone;
use super::step_call::{code_of, StepCall};
use super::waits::delete_retrying;
use crate::aws::AwsError;

fn listed(items: &[&Leftover]) -> String {
    items
        .iter()
        .map(|i| format!("{:?} {} ({})", i.kind, i.name, i.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) async fn kubernetes_leftovers(call: &StepCall<'_>) -> Result<StepDone, ProvisionError> {
    let op = "elasticloadbalancing:DescribeLoadBalancers";
    let found = leftovers::find(call.session(), call.spec())
        .await
        .map_err(|e| call.aws(op, e))?;
    if found.items.is_empty() {
        return Ok(StepDone::new(None, "nothing left behind by Kubernetes"));
    }
    let vpc = found.vpc_id.clone().unwrap_or_default();
    let classic: Vec<&Leftover> = found
        .items
        .iter()
        .filter(|i| i.kind == LeftoverKind::ClassicLoadBalancer)
        .collect();
    if !classic.is_empty() {
        return Err(call.failed(
            "elasticloadbalancing:DeleteLoadBalancer",
            format!(
                "Kubernetes left classic load balancers in VPC {vpc}, which hold its subnets: {}; delete them, then destroy again",
                listed(&classic)
            ),
        ));
    }
    if !call.env.delete_leftovers {
        let all: Vec<&Leftover> = found.items.iter().collect();
        return Err(call.failed(
            "destroy",
            format!(
                "Kubernetes left {} resource(s) in VPC {vpc} that hold its subnets: {}. Destroy again and confirm deleting them too (eks-desk destroy --delete-leftovers)",
                all.len(),
                listed(&all)
            ),
        ));
    }
    // Load balancers first (they use the target groups, security groups
    // and interfaces), then the rest.
    for kind in [
        LeftoverKind::LoadBalancer,
        LeftoverKind::TargetGroup,
        LeftoverKind::SecurityGroup,
        LeftoverKind::NetworkInterface,
    ] {
        for item in found.items.iter().filter(|i| i.kind == kind) {
            call.handle.progress(format!(
                "deleting {:?} {} ({})",
                item.kind, item.name, item.detail
            ));
            delete(call, item).await?;
        }
    }
    Ok(StepDone::new(
        Some(vpc),
        format!(
            "deleted {} resource(s) Kubernetes left behind",
            found.items.len()
        ),
    ))
}

async fn delete(call: &StepCall<'_>, item: &Leftover) -> Result<(), ProvisionError> {
    let timeout = call.config().delete_timeout;
    let (elb, ec2) = (&call.session().elbv2(), &call.session().ec2());
    let id = item.id.as_str();
    match item.kind {
        LeftoverKind::LoadBalancer => {
            let op = "elasticloadbalancing:DeleteLoadBalancer";
            delete_retrying(call, op, &[], timeout, move || async move {
                elb.delete_load_balancer()
                    .load_balancer_arn(id)
                    .send()
                    .await
                    .map_err(|e| call.classify(op, e))
            })
            .await?;
        }
        LeftoverKind::TargetGroup => {
            // In use until its load balancer's listeners are gone.
            let op = "elasticloadbalancing:DeleteTargetGroup";
            delete_retrying(call, op, &["ResourceInUse"], timeout, move || async move {
                elb.delete_target_group()
                    .target_group_arn(id)
                    .send()
                    .await
                    .map_err(|e| call.classify(op, e))
            })
            .await?;
        }
        LeftoverKind::SecurityGroup => {
            // Held until the deleted load balancers' interfaces are released.
            let op = "ec2:DeleteSecurityGroup";
            delete_retrying(
                call,
                op,
                &["DependencyViolation"],
                timeout,
                move || async move {
                    ec2.delete_security_group()
                        .group_id(id)
                        .send()
                        .await
                        .map_err(|e| call.classify(op, e))
                },
            )
            .await?;
        }
        LeftoverKind::NetworkInterface => {
            let op = "ec2:DeleteNetworkInterface";
            let result = ec2
                .delete_network_interface()
                .network_interface_id(id)
                .send()
                .await
                .map_err(|e| call.classify(op, e));
            match result {
                Ok(_) => {}
                // Released and deleted by AWS meanwhile.
                Err(err) if code_of(&err).is_some_and(|c| c.ends_with(".NotFound")) => {}
                Err(err) => return Err(call.aws(op, err)),
            }
        }
        LeftoverKind::ClassicLoadBalancer => {
            return Err(call.aws(
                "elasticloadbalancing:DeleteLoadBalancer",
                AwsError::Service {
                    operation: "elasticloadbalancing:DeleteLoadBalancer".into(),
                    code: "Unsupported".into(),
                    message: item.detail.clone(),
                },
            ))
        }
    }
    Ok(())
}

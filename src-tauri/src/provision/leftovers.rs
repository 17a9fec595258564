//! What Kubernetes leaves in a cluster's VPC and AWS does not delete with
//! the cluster: load balancers (and their target groups and security
//! groups) that Services and Ingresses made, and network interfaces left
//! "available". They hold the subnets and the VPC, so a destroy would wait
//! on DependencyViolation for half an hour and fail; they are found first,
//! shown, and deleted only when the user confirms it by typing.

use super::ownership::owner_filter;
use crate::aws::{AwsError, AwsSession};
use crate::spec::ClusterSpec;
use aws_sdk_ec2::types::{Filter, Subnet, Vpc};
use serde::Serialize;
use specta::Type;

/// What the user types to have the leftovers deleted too.
pub const LEFTOVERS_CONFIRMATION: &str = "delete";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LeftoverKind {
    LoadBalancer,
    TargetGroup,
    SecurityGroup,
    NetworkInterface,
    /// A classic load balancer (found by its network interfaces): EKS Desk
    /// cannot delete these; the message says how.
    ClassicLoadBalancer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Leftover {
    pub kind: LeftoverKind,
    /// ARN or id.
    pub id: String,
    pub name: String,
    /// Why it is counted as the cluster's (its tag, or its description).
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Leftovers {
    /// The spec's VPC; `None` when there is none (nothing can be left).
    pub vpc_id: Option<String>,
    pub items: Vec<Leftover>,
}

/// Tags Kubernetes' load-balancer makers put on what they create: the
/// cloud provider's `kubernetes.io/cluster/<name>`, the AWS Load Balancer
/// Controller's `elbv2.k8s.aws/cluster = <name>`.
fn cluster_tag(cluster: &str, key: &str, value: &str) -> Option<String> {
    if key == format!("kubernetes.io/cluster/{cluster}") {
        return Some(format!("{key}={value}"));
    }
    (key == "elbv2.k8s.aws/cluster" && value == cluster).then(|| format!("{key}={value}"))
}

/// The spec's VPC (owner tag), when it has one.
async fn our_vpc(session: &AwsSession, spec: &ClusterSpec) -> Result<Option<Vpc>, AwsError> {
    let out = session
        .ec2()
        .describe_vpcs()
        .filters(owner_filter(&spec.id))
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeVpcs", e))?;
    Ok(out.vpcs().first().cloned())
}

/// Everything Kubernetes left in the spec's VPC.
pub async fn find(session: &AwsSession, spec: &ClusterSpec) -> Result<Leftovers, AwsError> {
    let Some(vpc_id) = our_vpc(session, spec)
        .await?
        .and_then(|v| v.vpc_id().map(str::to_string))
    else {
        return Ok(Leftovers::default());
    };
    let cluster = &spec.cluster.name;
    let mut items = Vec::new();
    load_balancers(session, &vpc_id, cluster, &mut items).await?;
    security_groups(session, &vpc_id, cluster, &mut items).await?;
    interfaces(session, &vpc_id, &mut items).await?;
    items.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Ok(Leftovers {
        vpc_id: Some(vpc_id),
        items,
    })
}

/// The cluster tag among `arns`' tags (ELBv2 DescribeTags, 20 at a time).
async fn tagged_for_cluster(
    session: &AwsSession,
    arns: &[String],
    cluster: &str,
) -> Result<Vec<(String, String)>, AwsError> {
    let mut found = Vec::new();
    for chunk in arns.chunks(20) {
        let out = session
            .elbv2()
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| session.classify("elasticloadbalancing:DescribeTags", e))?;
        for description in out.tag_descriptions() {
            let tag = description.tags().iter().find_map(|t| {
                cluster_tag(
                    cluster,
                    t.key().unwrap_or_default(),
                    t.value().unwrap_or_default(),
                )
            });
            if let (Some(arn), Some(tag)) = (description.resource_arn(), tag) {
                found.push((arn.to_string(), tag));
            }
        }
    }
    Ok(found)
}

/// The VPC's subnet ids. A load balancer is the VPC's when AWS says so or
/// when it sits in the VPC's subnets (the emulator does not derive the
/// VPC from the subnets as AWS does).
async fn vpc_subnets(session: &AwsSession, vpc_id: &str) -> Result<Vec<Subnet>, AwsError> {
    let out = session
        .ec2()
        .describe_subnets()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    Ok(out.subnets().to_vec())
}

async fn load_balancers(
    session: &AwsSession,
    vpc_id: &str,
    cluster: &str,
    items: &mut Vec<Leftover>,
) -> Result<(), AwsError> {
    let elb = session.elbv2();
    let subnets: Vec<String> = vpc_subnets(session, vpc_id)
        .await?
        .iter()
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .collect();
    let mut balancers = Vec::new();
    let mut marker = None;
    loop {
        let out = elb
            .describe_load_balancers()
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| session.classify("elasticloadbalancing:DescribeLoadBalancers", e))?;
        balancers.extend(
            out.load_balancers()
                .iter()
                .filter(|lb| {
                    lb.vpc_id() == Some(vpc_id)
                        || lb.availability_zones().iter().any(|z| {
                            z.subnet_id()
                                .is_some_and(|s| subnets.iter().any(|ours| ours == s))
                        })
                })
                .filter_map(|lb| {
                    Some((
                        lb.load_balancer_arn()?.to_string(),
                        lb.load_balancer_name().unwrap_or_default().to_string(),
                    ))
                }),
        );
        match out.next_marker() {
            Some(next) if !next.is_empty() => marker = Some(next.to_string()),
            _ => break,
        }
    }
    let arns: Vec<String> = balancers.iter().map(|(arn, _)| arn.clone()).collect();
    for (arn, tag) in tagged_for_cluster(session, &arns, cluster).await? {
        let name = balancers
            .iter()
            .find(|(a, _)| a == &arn)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        items.push(Leftover {
            kind: LeftoverKind::LoadBalancer,
            id: arn,
            name,
            detail: format!("tagged {tag}"),
        });
    }
    let groups = elb
        .describe_target_groups()
        .send()
        .await
        .map_err(|e| session.classify("elasticloadbalancing:DescribeTargetGroups", e))?;
    let groups: Vec<(String, String)> = groups
        .target_groups()
        .iter()
        .filter(|g| g.vpc_id() == Some(vpc_id))
        .filter_map(|g| {
            Some((
                g.target_group_arn()?.to_string(),
                g.target_group_name().unwrap_or_default().to_string(),
            ))
        })
        .collect();
    let arns: Vec<String> = groups.iter().map(|(arn, _)| arn.clone()).collect();
    for (arn, tag) in tagged_for_cluster(session, &arns, cluster).await? {
        let name = groups
            .iter()
            .find(|(a, _)| a == &arn)
            .map(|(_, n)| n.clone())
            .unwrap_or_default();
        items.push(Leftover {
            kind: LeftoverKind::TargetGroup,
            id: arn,
            name,
            detail: format!("tagged {tag}"),
        });
    }
    Ok(())
}

async fn security_groups(
    session: &AwsSession,
    vpc_id: &str,
    cluster: &str,
    items: &mut Vec<Leftover>,
) -> Result<(), AwsError> {
    let out = session
        .ec2()
        .describe_security_groups()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSecurityGroups", e))?;
    for group in out.security_groups() {
        let tags = group.tags();
        // The cluster security group is EKS's: it goes with the cluster.
        if tags.iter().any(|t| t.key() == Some("aws:eks:cluster-name")) {
            continue;
        }
        let tag = tags.iter().find_map(|t| {
            cluster_tag(
                cluster,
                t.key().unwrap_or_default(),
                t.value().unwrap_or_default(),
            )
        });
        if let (Some(tag), Some(id)) = (tag, group.group_id()) {
            items.push(Leftover {
                kind: LeftoverKind::SecurityGroup,
                id: id.to_string(),
                name: group.group_name().unwrap_or_default().to_string(),
                detail: format!("tagged {tag}"),
            });
        }
    }
    Ok(())
}

async fn interfaces(
    session: &AwsSession,
    vpc_id: &str,
    items: &mut Vec<Leftover>,
) -> Result<(), AwsError> {
    let out = session
        .ec2()
        .describe_network_interfaces()
        .filters(Filter::builder().name("vpc-id").values(vpc_id).build())
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeNetworkInterfaces", e))?;
    for eni in out.network_interfaces() {
        let id = eni.network_interface_id().unwrap_or_default().to_string();
        let description = eni.description().unwrap_or_default();
        // Classic load balancers' interfaces say "ELB <name>"; v2 ones
        // "ELB app/…" or "ELB net/…" and go with their load balancer.
        if let Some(name) = description.strip_prefix("ELB ") {
            if !name.starts_with("app/") && !name.starts_with("net/") {
                if !items
                    .iter()
                    .any(|i| i.kind == LeftoverKind::ClassicLoadBalancer && i.name == name)
                {
                    items.push(Leftover {
                        kind: LeftoverKind::ClassicLoadBalancer,
                        id: name.to_string(),
                        name: name.to_string(),
                        detail: format!("a classic load balancer (interface {id}): delete it in the EC2 console or with `aws elb delete-load-balancer --load-balancer-name {name}`; EKS Desk does not delete classic load balancers"),
                    });
                }
                continue;
            }
        }
        if eni.status().map(|s| s.as_str()) == Some("available") {
            items.push(Leftover {
                kind: LeftoverKind::NetworkInterface,
                id: id.clone(),
                name: id,
                detail: format!("not attached to anything ({description})"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_clusters_tags_count() {
        assert_eq!(
            cluster_tag("my-eks", "kubernetes.io/cluster/my-eks", "owned").as_deref(),
            Some("kubernetes.io/cluster/my-eks=owned")
        );
        assert_eq!(
            cluster_tag("my-eks", "kubernetes.io/cluster/other", "owned"),
            None
        );
        assert!(cluster_tag("my-eks", "elbv2.k8s.aws/cluster", "my-eks").is_some());
        assert_eq!(
            cluster_tag("my-eks", "elbv2.k8s.aws/cluster", "other"),
            None
        );
    }
}

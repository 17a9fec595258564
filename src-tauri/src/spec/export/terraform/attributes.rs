//! What many blocks of the Terraform export share: the spec's tags,
//! `depends_on` lists, labels made unique per resource type, and ARNs and
//! service names built from the `aws_partition` data source, so that one
//! export works in every partition (commercial, China, GovCloud).

use std::collections::HashSet;

use crate::spec::export::hcl_writer::{identifier, Body, Expr, TemplatePart};
use crate::spec::model::ClusterSpec;

/// The partition data source every partition-built value refers to.
pub(super) const PARTITION: &str = "data.aws_partition.current.partition";
const DNS_SUFFIX: &str = "data.aws_partition.current.dns_suffix";

/// The spec's tags plus `extra` (which win on a clash), or `None` when
/// there are none at all.
pub(super) fn tags(spec: &ClusterSpec, extra: Vec<(String, Expr)>) -> Option<Expr> {
    let mut entries: Vec<(String, Expr)> = spec
        .cluster
        .tags
        .iter()
        .filter(|(key, _)| !extra.iter().any(|(k, _)| k == *key))
        .map(|(key, value)| (key.clone(), Expr::str(value)))
        .collect();
    entries.extend(extra);
    (!entries.is_empty()).then_some(Expr::Object(entries))
}

/// `tags = { Name = "<name>" ... }` after a blank line.
pub(super) fn named(body: &mut Body, spec: &ClusterSpec, name: impl Into<String>) {
    if let Some(tags) = tags(spec, vec![("Name".into(), Expr::str(name))]) {
        body.blank().attr("tags", tags);
    }
}

pub(super) fn depends_on(body: &mut Body, references: &[String]) {
    if !references.is_empty() {
        let list = references.iter().map(Expr::raw).collect();
        body.blank().attr("depends_on", Expr::ListLines(list));
    }
}

/// `arn:${partition}:<rest>`.
pub(super) fn partition_arn(rest: &str) -> Expr {
    Expr::Template(vec![
        TemplatePart::Text("arn:".into()),
        TemplatePart::Interpolation(PARTITION.into()),
        TemplatePart::Text(format!(":{rest}")),
    ])
}

/// The ARN of an AWS-managed IAM policy.
pub(super) fn managed_policy_arn(name: &str) -> Expr {
    partition_arn(&format!("iam::aws:policy/{name}"))
}

/// The ARN of an EKS access policy the spec names; an ARN in the spec is
/// kept as it is.
pub(super) fn access_policy_arn(policy: &str) -> Expr {
    if policy.starts_with("arn:") {
        Expr::str(policy)
    } else {
        partition_arn(&format!("eks::aws:cluster-access-policy/{policy}"))
    }
}

/// The principal a role's trust policy names for `service` (see
/// `aws::arn::service_principal`: EKS's is the same everywhere, EC2's has
/// the partition's domain).
pub(super) fn service_principal(service: &str) -> Expr {
    if service == "eks" {
        return Expr::str("eks.amazonaws.com");
    }
    Expr::Template(vec![
        TemplatePart::Text(format!("{service}.")),
        TemplatePart::Interpolation(DNS_SUFFIX.into()),
    ])
}

/// Makes labels unique within one resource type: names that differ only in
/// characters an identifier cannot hold (`a-b`, `a.b`) would clash.
#[derive(Default)]
pub(super) struct Labels(HashSet<String>);

impl Labels {
    pub(super) fn unique(&mut self, name: &str) -> String {
        let base = identifier(name);
        let mut label = base.clone();
        let mut n = 2;
        while !self.0.insert(label.clone()) {
            label = format!("{base}_{n}");
            n += 1;
        }
        label
    }
}

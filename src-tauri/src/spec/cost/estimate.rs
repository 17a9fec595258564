//! The estimated monthly cost of what a spec creates, from the built-in
//! price table. Pure: no AWS call, and a spec with errors is estimated as
//! well, so that the form can show the cost while it is being edited.
//!
//! Free things (VPC, subnets, route tables, internet gateway, IAM roles,
//! the managed addons) have no line. What depends on traffic or on what
//! workloads do later is named in `unpriced`, never guessed.

use super::cost_estimate::{CostEstimate, CostLine, PricePer};
use super::price_table::{self as table, RegionPrices, HOURS_PER_MONTH};
use crate::spec::catalog;
use crate::spec::model::{
    CapacityType, ClusterSpec, Egress, NodeGroupSpec, NodeSubnets, SubnetSpec,
};
use std::collections::BTreeSet;

/// The interface endpoints `network.egress: privateEndpoints` puts in every
/// zone of the node subnets (the S3 gateway endpoint comes with them).
pub const INTERFACE_ENDPOINTS: [&str; 5] =
    ["ecr.api", "ecr.dkr", "sts", "ec2", "elasticloadbalancing"];

/// The estimate of `spec` in its region.
pub fn estimate(spec: &ClusterSpec) -> CostEstimate {
    let region = spec.cluster.region.as_str();
    let mut parts = Parts::default();
    match table::region_prices(region) {
        Some(prices) => {
            if let Some(code) = prices.stand_in_for {
                parts.notes.push(format!(
                    "The price table has no prices of its own for {code}: those of {} stand in, \
                     so expect a difference.",
                    prices.prices.code
                ));
            }
            control_plane(spec, &mut parts);
            for (index, group) in spec.node_groups.iter().enumerate() {
                node_group(group, index, &prices, &mut parts);
            }
            network(spec, &prices, &mut parts);
            parts.unpriced.push(
                "Data transfer (out to the internet, between zones, between regions) depends on \
                 traffic: not in the total."
                    .into(),
            );
        }
        None if region.is_empty() => parts
            .unpriced
            .push("No region chosen: nothing could be priced.".into()),
        None => parts.unpriced.push(format!(
            "Region \"{region}\" is not in the built-in price table: nothing could be priced."
        )),
    }
    parts.unpriced.push(
        "What workloads create later (load balancers, persistent volumes, logs) is not part of \
         the spec: not in the total."
            .into(),
    );
    parts.finish(region)
}

#[derive(Default)]
struct Parts {
    lines: Vec<CostLine>,
    notes: Vec<String>,
    unpriced: Vec<String>,
}

impl Parts {
    fn finish(self, region: &str) -> CostEstimate {
        let total: f64 = self.lines.iter().map(|l| l.monthly_usd).sum();
        CostEstimate {
            region: region.to_string(),
            currency: "USD".into(),
            lines: self.lines,
            total_monthly_usd: table::round_to(total, 2),
            hours_per_month: HOURS_PER_MONTH,
            prices_as_of: table::PRICES_AS_OF.into(),
            price_source: table::PRICE_SOURCE.into(),
            label: format!(
                "Estimate from list prices as of {}, {HOURS_PER_MONTH} hours a month: not a quote",
                table::PRICES_AS_OF
            ),
            notes: self.notes,
            unpriced: self.unpriced,
        }
    }
}

fn line(
    what: String,
    quantity: u32,
    unit: &str,
    unit_price_usd: f64,
    per: PricePer,
    note: Option<String>,
) -> CostLine {
    let periods = match per {
        PricePer::Hour => f64::from(HOURS_PER_MONTH),
        PricePer::Month => 1.0,
    };
    CostLine {
        what,
        quantity,
        unit: unit.into(),
        unit_price_usd,
        per,
        monthly_usd: table::round_to(f64::from(quantity) * unit_price_usd * periods, 2),
        note,
    }
}

/// The catalog knows which versions were in standard support when it was
/// written; an older one is in extended support (or no longer offered).
fn control_plane(spec: &ClusterSpec, parts: &mut Parts) {
    let version = &spec.cluster.kubernetes_version;
    let (what, hourly, note) = if catalog::older_than_standard_support(version) {
        (
            "EKS control plane, extended support",
            table::EKS_EXTENDED_SUPPORT_HOURLY,
            format!(
                "Kubernetes {version} is older than every version the built-in catalog lists in \
                 standard support (late 2025): priced as extended support."
            ),
        )
    } else {
        (
            "EKS control plane, standard support",
            table::EKS_STANDARD_SUPPORT_HOURLY,
            format!(
                "Once a version enters extended support (14 months after EKS releases it) the \
                 cluster costs ${:.2}/hour instead; the catalog's support list dates from late 2025.",
                table::EKS_EXTENDED_SUPPORT_HOURLY
            ),
        )
    };
    parts.lines.push(line(
        what.into(),
        1,
        "cluster",
        hourly,
        PricePer::Hour,
        Some(note),
    ));
}

fn node_group(group: &NodeGroupSpec, index: usize, prices: &RegionPrices, parts: &mut Parts) {
    let name = if group.name.is_empty() {
        format!("node group {}", index + 1)
    } else {
        group.name.clone()
    };
    instances(group, &name, prices, parts);
    parts.lines.push(line(
        format!(
            "{name}: gp3 root volumes, {} × {} GiB",
            group.desired_size, group.disk_size_gib
        ),
        group.disk_size_gib.saturating_mul(group.desired_size),
        "GiB",
        prices.prices.ebs_gp3_gib_monthly,
        PricePer::Month,
        Some("EKS gives each node a root volume of diskSizeGib; priced as gp3.".into()),
    ));
}

/// Desired size × the on-demand price of the first instance type: EKS
/// launches the first type it has capacity for, usually the first listed.
fn instances(group: &NodeGroupSpec, name: &str, prices: &RegionPrices, parts: &mut Parts) {
    let count = group.desired_size;
    let Some(first) = group.instance_types.first() else {
        parts.unpriced.push(format!(
            "{name}: no instance type chosen, so its instances could not be priced."
        ));
        return;
    };
    let Some(hourly) = prices.instance_hourly(first) else {
        parts.unpriced.push(format!(
            "{name}: {first} is not in the built-in price table, so its {count} instance(s) \
             could not be priced."
        ));
        return;
    };
    let mut notes = Vec::new();
    let factor = prices.ec2_factor();
    if factor != 1.0 {
        notes.push(format!(
            "The us-east-1 price ${:.4} × {factor:.3}, the regional factor of {}.",
            table::us_east_1_hourly(first).unwrap_or_default(),
            prices.prices.code
        ));
    }
    if group.instance_types.len() > 1 {
        notes.push(format!(
            "Priced as {first}, the first of {} types ({}); EKS may launch any of them.",
            group.instance_types.len(),
            group.instance_types.join(", ")
        ));
    }
    if group.max_size > count {
        let at_max = line(
            String::new(),
            group.max_size,
            "",
            hourly,
            PricePer::Hour,
            None,
        );
        notes.push(format!(
            "At its max size of {} it would be ${:.2}.",
            group.max_size, at_max.monthly_usd
        ));
    }
    let priced = line(
        format!("{name}: {first} instances, on-demand Linux"),
        count,
        "instance",
        hourly,
        PricePer::Hour,
        (!notes.is_empty()).then(|| notes.join(" ")),
    );
    match group.capacity_type {
        CapacityType::OnDemand => parts.lines.push(priced),
        CapacityType::Spot => parts.unpriced.push(format!(
            "{name}: {count} × {first} on spot capacity. Spot prices change by the hour, so they \
             are not in the total; on demand they would cost ${:.2}/month.",
            priced.monthly_usd
        )),
    }
}

fn network(spec: &ClusterSpec, prices: &RegionPrices, parts: &mut Parts) {
    match spec.network.egress {
        Egress::NatGateway => nat_gateways(1, prices, parts),
        Egress::NatPerZone => {
            let zones = zone_count(&spec.network.public_subnets);
            if zones == 0 {
                parts.unpriced.push(
                    "A NAT gateway per zone, but no public subnets yet: there is no NAT gateway \
                     to price."
                        .into(),
                );
            } else {
                nat_gateways(zones, prices, parts);
            }
        }
        Egress::PrivateEndpoints => endpoints(spec, prices, parts),
        Egress::Existing => parts.notes.push(
            "The existing VPC's own way out (its NAT gateways or endpoints) is already there: \
             nothing is added for it."
                .into(),
        ),
    }
}

/// Each NAT gateway holds one elastic IP, a public IPv4 address.
fn nat_gateways(count: u32, prices: &RegionPrices, parts: &mut Parts) {
    parts.lines.push(line(
        if count == 1 {
            "NAT gateway".into()
        } else {
            format!("NAT gateways, one per zone ({count})")
        },
        count,
        "gateway",
        prices.prices.nat_gateway_hourly,
        PricePer::Hour,
        None,
    ));
    parts.lines.push(line(
        "Public IPv4 addresses (the NAT gateways' elastic IPs)".into(),
        count,
        "address",
        table::PUBLIC_IPV4_HOURLY,
        PricePer::Hour,
        Some("AWS charges every public IPv4 address by the hour.".into()),
    ));
    parts.unpriced.push(
        "NAT gateway data processing is charged per GB that passes through, which depends on \
         traffic: not in the total."
            .into(),
    );
}

fn endpoints(spec: &ClusterSpec, prices: &RegionPrices, parts: &mut Parts) {
    let (zones, note) = match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => (zone_count(subnets), None),
        NodeSubnets::Existing(ids) => (
            u32::try_from(ids.len()).unwrap_or(u32::MAX),
            Some(
                "The zones of existing node subnets are not known here: one zone per subnet \
                 assumed."
                    .to_string(),
            ),
        ),
    };
    if zones == 0 {
        parts.unpriced.push(
            "Interface endpoints go in the node subnets' zones, and there are no node subnets \
             yet: nothing to price."
                .into(),
        );
        return;
    }
    let per_zone = u32::try_from(INTERFACE_ENDPOINTS.len()).unwrap_or(u32::MAX);
    parts.lines.push(line(
        format!(
            "Interface endpoints ({}) in {zones} zone(s)",
            INTERFACE_ENDPOINTS.join(", ")
        ),
        per_zone.saturating_mul(zones),
        "endpoint-zone",
        prices.prices.interface_endpoint_hourly,
        PricePer::Hour,
        note,
    ));
    parts.lines.push(line(
        "S3 gateway endpoint".into(),
        1,
        "endpoint",
        0.0,
        PricePer::Month,
        Some("Gateway endpoints are free.".into()),
    ));
    parts.unpriced.push(
        "Interface endpoint data processing is charged per GB, which depends on traffic: not in \
         the total."
            .into(),
    );
}

/// Distinct zones of `subnets`; a subnet without a zone yet counts as one.
fn zone_count(subnets: &[SubnetSpec]) -> u32 {
    let named: BTreeSet<&str> = subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .filter(|z| !z.is_empty())
        .collect();
    let unnamed = subnets
        .iter()
        .filter(|s| s.availability_zone.is_empty())
        .count();
    u32::try_from(named.len() + unnamed).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[path = "estimate_tests.rs"]
mod tests;

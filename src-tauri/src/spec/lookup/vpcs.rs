//! The VPCs a user may build the cluster in, for the picker.

use crate::aws::{AwsError, AwsSession};
use crate::spec::network::ExistingSubnet;

/// A VPC the user may build the cluster in, with its subnets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VpcInfo {
    pub id: String,
    pub cidr: String,
    /// The `Name` tag.
    pub name: Option<String>,
    pub is_default: bool,
    pub subnets: Vec<ExistingSubnet>,
}

/// The VPCs of the session's region, for the "existing VPC" picker.
pub async fn vpcs(session: &AwsSession) -> Result<Vec<VpcInfo>, AwsError> {
    let ec2 = session.ec2();
    let out = ec2
        .describe_vpcs()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeVpcs", e))?;
    let subnets = ec2
        .describe_subnets()
        .send()
        .await
        .map_err(|e| session.classify("ec2:DescribeSubnets", e))?;
    let mut vpcs: Vec<VpcInfo> = out
        .vpcs()
        .iter()
        .map(|v| {
            let id = v.vpc_id().unwrap_or_default().to_string();
            VpcInfo {
                subnets: subnets
                    .subnets()
                    .iter()
                    .filter(|s| s.vpc_id() == Some(id.as_str()))
                    .map(|s| ExistingSubnet {
                        id: s.subnet_id().unwrap_or_default().to_string(),
                        cidr: s.cidr_block().unwrap_or_default().to_string(),
                        availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                    })
                    .collect(),
                id,
                cidr: v.cidr_block().unwrap_or_default().to_string(),
                name: v
                    .tags()
                    .iter()
                    .find(|t| t.key() == Some("Name"))
                    .and_then(|t| t.value().map(str::to_string)),
                is_default: v.is_default().unwrap_or(false),
            }
        })
        .collect();
    vpcs.sort_by(|a, b| (!a.is_default, &a.id).cmp(&(!b.is_default, &b.id)));
    Ok(vpcs)
}

//! Built-in knowledge about EKS and EC2: Kubernetes versions, AMI types,
//! instance types and addon versions.
//!
//! Everything here is the offline fallback: when the AWS API answers, its
//! answers win (see `ValidationContext::addon_versions`). The tables are a
//! snapshot of late 2025 and only need to be good enough to plan a cluster
//! and to catch typos without a network.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Kubernetes versions in EKS standard support as of late 2025, newest
/// first. Offline fallback for DescribeClusterVersions.
pub const KUBERNETES_VERSIONS: &[&str] = &["1.34", "1.33", "1.32", "1.31", "1.30"];

/// Kubernetes versions newest first, minor versions compared as numbers
/// (1.10 after 1.9), as the pickers show them.
pub fn sort_newest_first(versions: &mut [String]) {
    versions.sort_by_key(|v| {
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        std::cmp::Reverse((parts.next().unwrap_or(0), parts.next().unwrap_or(0)))
    });
}

/// CPU architecture of an instance type or AMI. Serialized the way EC2
/// writes it ("x86_64", "arm64").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub enum Architecture {
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "arm64")]
    Arm64,
}

impl Architecture {
    /// How the architecture is named to a user; Graviton is the name people
    /// know the arm64 instance types by.
    pub fn describe(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64 (Graviton)",
        }
    }

    /// EC2's own spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Architecture::X86_64 => "x86_64",
            Architecture::Arm64 => "arm64",
        }
    }
}

/// An EKS managed node group AMI type (the `amiType` of CreateNodegroup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AmiType {
    pub name: &'static str,
    pub architecture: Architecture,
    pub description: &'static str,
    /// Newest Kubernetes version EKS builds this AMI for; `None` = all
    /// versions in the catalog. Amazon Linux 2 AMIs stop at 1.32.
    pub last_kubernetes_version: Option<&'static str>,
}

pub const AMI_TYPES: &[AmiType] = &[
    AmiType {
        name: "AL2023_x86_64_STANDARD",
        architecture: Architecture::X86_64,
        description: "Amazon Linux 2023 (x86_64)",
        last_kubernetes_version: None,
    },
    AmiType {
        name: "AL2023_ARM_64_STANDARD",
        architecture: Architecture::Arm64,
        description: "Amazon Linux 2023 (arm64, Graviton)",
        last_kubernetes_version: None,
    },
    AmiType {
        name: "BOTTLEROCKET_x86_64",
        architecture: Architecture::X86_64,
        description: "Bottlerocket (x86_64)",
        last_kubernetes_version: None,
    },
    AmiType {
        name: "BOTTLEROCKET_ARM_64",
        architecture: Architecture::Arm64,
        description: "Bottlerocket (arm64, Graviton)",
        last_kubernetes_version: None,
    },
    AmiType {
        name: "AL2023_x86_64_NVIDIA",
        architecture: Architecture::X86_64,
        description: "Amazon Linux 2023 with NVIDIA drivers (x86_64 GPU instances)",
        last_kubernetes_version: None,
    },
    AmiType {
        name: "AL2_x86_64",
        architecture: Architecture::X86_64,
        description: "Amazon Linux 2 (x86_64), Kubernetes 1.32 and older",
        last_kubernetes_version: Some("1.32"),
    },
    AmiType {
        name: "AL2_ARM_64",
        architecture: Architecture::Arm64,
        description: "Amazon Linux 2 (arm64), Kubernetes 1.32 and older",
        last_kubernetes_version: Some("1.32"),
    },
];

pub fn ami_type(name: &str) -> Option<&'static AmiType> {
    AMI_TYPES.iter().find(|a| a.name == name)
}

/// Whether EKS builds `ami` for `kubernetes_version`. Unknown versions
/// count as offered: the version rule reports those on its own.
pub fn ami_offered_for(ami: &AmiType, kubernetes_version: &str) -> bool {
    match (
        ami.last_kubernetes_version.and_then(version_number),
        version_number(kubernetes_version),
    ) {
        (Some(last), Some(wanted)) => wanted <= last,
        _ => true,
    }
}

/// Whether `version` is older than every version of
/// [`KUBERNETES_VERSIONS`]: past standard support when the catalog was
/// written, so in extended support (or no longer offered). `false` for a
/// version that does not parse.
pub fn older_than_standard_support(version: &str) -> bool {
    let oldest = KUBERNETES_VERSIONS
        .iter()
        .filter_map(|v| version_number(v))
        .min();
    matches!((version_number(version), oldest), (Some(v), Some(o)) if v < o)
}

/// "1.33" → (1, 33), so that 1.4 sorts before 1.33.
fn version_number(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// An EC2 instance type with what the VPC CNI needs to know about it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceType {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_gib: f32,
    pub architecture: Architecture,
    /// Network interfaces the instance can attach (EC2 "maximum ENIs").
    pub max_enis: u32,
    /// IPv4 addresses per ENI, the primary included.
    pub ipv4_per_eni: u32,
}

const fn row(
    name: &'static str,
    vcpus: u32,
    memory_gib: f32,
    architecture: Architecture,
    max_enis: u32,
    ipv4_per_eni: u32,
) -> InstanceType {
    InstanceType {
        name,
        vcpus,
        memory_gib,
        architecture,
        max_enis,
        ipv4_per_eni,
    }
}

use Architecture::{Arm64, X86_64};

/// Common EKS node types with EC2's published ENI limits. Instance types
/// that are not listed still work; only the IP guard cannot size them.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    // Burstable: t3 (Intel), t3a (AMD) and t4g (Graviton) share limits.
    row("t3.medium", 2, 4.0, X86_64, 3, 6),
    row("t3.large", 2, 8.0, X86_64, 3, 12),
    row("t3.xlarge", 4, 16.0, X86_64, 4, 15),
    row("t3.2xlarge", 8, 32.0, X86_64, 4, 15),
    row("t3a.medium", 2, 4.0, X86_64, 3, 6),
    row("t3a.large", 2, 8.0, X86_64, 3, 12),
    row("t3a.xlarge", 4, 16.0, X86_64, 4, 15),
    row("t3a.2xlarge", 8, 32.0, X86_64, 4, 15),
    row("t4g.medium", 2, 4.0, Arm64, 3, 6),
    row("t4g.large", 2, 8.0, Arm64, 3, 12),
    row("t4g.xlarge", 4, 16.0, Arm64, 4, 15),
    row("t4g.2xlarge", 8, 32.0, Arm64, 4, 15),
    // General purpose.
    row("m5.large", 2, 8.0, X86_64, 3, 10),
    row("m5.xlarge", 4, 16.0, X86_64, 4, 15),
    row("m5.2xlarge", 8, 32.0, X86_64, 4, 15),
    row("m5.4xlarge", 16, 64.0, X86_64, 8, 30),
    row("m6i.large", 2, 8.0, X86_64, 3, 10),
    row("m6i.xlarge", 4, 16.0, X86_64, 4, 15),
    row("m6i.2xlarge", 8, 32.0, X86_64, 4, 15),
    row("m6i.4xlarge", 16, 64.0, X86_64, 8, 30),
    row("m6g.large", 2, 8.0, Arm64, 3, 10),
    row("m6g.xlarge", 4, 16.0, Arm64, 4, 15),
    row("m6g.2xlarge", 8, 32.0, Arm64, 4, 15),
    row("m6g.4xlarge", 16, 64.0, Arm64, 8, 30),
    row("m7g.large", 2, 8.0, Arm64, 3, 10),
    row("m7g.xlarge", 4, 16.0, Arm64, 4, 15),
    row("m7g.2xlarge", 8, 32.0, Arm64, 4, 15),
    row("m7g.4xlarge", 16, 64.0, Arm64, 8, 30),
    // Compute optimized.
    row("c5.large", 2, 4.0, X86_64, 3, 10),
    row("c5.xlarge", 4, 8.0, X86_64, 4, 15),
    row("c5.2xlarge", 8, 16.0, X86_64, 4, 15),
    row("c6g.large", 2, 4.0, Arm64, 3, 10),
    row("c6g.xlarge", 4, 8.0, Arm64, 4, 15),
    row("c6g.2xlarge", 8, 16.0, Arm64, 4, 15),
    row("c7g.large", 2, 4.0, Arm64, 3, 10),
    row("c7g.xlarge", 4, 8.0, Arm64, 4, 15),
    row("c7g.2xlarge", 8, 16.0, Arm64, 4, 15),
    // Memory optimized.
    row("r5.large", 2, 16.0, X86_64, 3, 10),
    row("r5.xlarge", 4, 32.0, X86_64, 4, 15),
    row("r5.2xlarge", 8, 64.0, X86_64, 4, 15),
    row("r6g.large", 2, 16.0, Arm64, 3, 10),
    row("r6g.xlarge", 4, 32.0, Arm64, 4, 15),
    row("r6g.2xlarge", 8, 64.0, Arm64, 4, 15),
];

pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// Architecture of any instance type name, listed or not. EC2 names
/// Graviton families with a `g` right after the generation digit (t4g,
/// m7g, c6gn, x2gd, im4gn); a1 is the first Graviton and predates the rule.
/// `None` when `name` is not shaped like `family.size`.
pub fn architecture_of(name: &str) -> Option<Architecture> {
    if let Some(known) = instance_type(name) {
        return Some(known.architecture);
    }
    let (family, size) = name.split_once('.')?;
    if size.is_empty() || !size.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    // High-memory "u-6tb1" style families are all Intel.
    if family.starts_with("u-") {
        return Some(Architecture::X86_64);
    }
    let letters = family.chars().take_while(char::is_ascii_lowercase).count();
    let rest = &family[letters..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let suffix = &rest[digits..];
    if letters == 0
        || digits == 0
        || !suffix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return None;
    }
    if family == "a1" || suffix.starts_with('g') {
        Some(Architecture::Arm64)
    } else {
        Some(Architecture::X86_64)
    }
}

/// IPs the VPC CNI can give to pods on one node, without prefix
/// delegation: every ENI keeps its primary IP for the node itself, so each
/// ENI contributes `ipv4_per_eni - 1` secondary IPs for pods. (EKS's
/// max-pods is this + 2, for the host-network pods aws-node and
/// kube-proxy, which need no IP of their own.) A node therefore holds
/// `max_enis * ipv4_per_eni` subnet IPs when fully attached.
pub fn max_pods_ips(it: &InstanceType) -> u32 {
    it.max_enis * it.ipv4_per_eni.saturating_sub(1)
}

/// The addons the catalog knows versions of.
pub const ADDON_NAMES: &[&str] = &[
    "vpc-cni",
    "coredns",
    "kube-proxy",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
];

/// One version of an addon, as offered for a Kubernetes version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddonVersion {
    pub version: String,
    /// What EKS installs when no version is given.
    pub default: bool,
}

struct AddonRow {
    addon: &'static str,
    kubernetes_version: &'static str,
    /// Newest first; the first is EKS's default.
    versions: &'static [&'static str],
}

// Fallback for DescribeAddonVersions, late 2025. The versions of vpc-cni,
// the pod identity agent and the EBS CSI driver do not depend on the
// Kubernetes minor; coredns and kube-proxy do (kube-proxy's minor is the
// cluster's).
const VPC_CNI: &[&str] = &[
    "v1.20.4-eksbuild.1",
    "v1.19.6-eksbuild.7",
    "v1.19.5-eksbuild.3",
    "v1.19.2-eksbuild.1",
];
const POD_IDENTITY_AGENT: &[&str] = &[
    "v1.3.8-eksbuild.2",
    "v1.3.7-eksbuild.2",
    "v1.3.4-eksbuild.1",
];
const EBS_CSI_DRIVER: &[&str] = &[
    "v1.48.0-eksbuild.2",
    "v1.46.0-eksbuild.1",
    "v1.44.0-eksbuild.1",
];

const fn addon(
    addon: &'static str,
    kubernetes_version: &'static str,
    versions: &'static [&'static str],
) -> AddonRow {
    AddonRow {
        addon,
        kubernetes_version,
        versions,
    }
}

const ADDON_FALLBACK: &[AddonRow] = &[
    addon("vpc-cni", "1.34", VPC_CNI),
    addon("vpc-cni", "1.33", VPC_CNI),
    addon("vpc-cni", "1.32", VPC_CNI),
    addon("vpc-cni", "1.31", VPC_CNI),
    addon("vpc-cni", "1.30", VPC_CNI),
    addon(
        "coredns",
        "1.34",
        &["v1.12.3-eksbuild.1", "v1.12.1-eksbuild.2"],
    ),
    addon(
        "coredns",
        "1.33",
        &["v1.12.1-eksbuild.2", "v1.11.4-eksbuild.2"],
    ),
    addon(
        "coredns",
        "1.32",
        &["v1.11.4-eksbuild.2", "v1.11.3-eksbuild.1"],
    ),
    addon(
        "coredns",
        "1.31",
        &["v1.11.3-eksbuild.1", "v1.11.1-eksbuild.9"],
    ),
    addon("coredns", "1.30", &["v1.11.1-eksbuild.9"]),
    addon("kube-proxy", "1.34", &["v1.34.0-eksbuild.2"]),
    addon(
        "kube-proxy",
        "1.33",
        &["v1.33.3-eksbuild.4", "v1.33.0-eksbuild.2"],
    ),
    addon(
        "kube-proxy",
        "1.32",
        &["v1.32.6-eksbuild.6", "v1.32.0-eksbuild.2"],
    ),
    addon(
        "kube-proxy",
        "1.31",
        &["v1.31.10-eksbuild.6", "v1.31.2-eksbuild.3"],
    ),
    addon(
        "kube-proxy",
        "1.30",
        &["v1.30.14-eksbuild.6", "v1.30.6-eksbuild.3"],
    ),
    addon("eks-pod-identity-agent", "1.34", POD_IDENTITY_AGENT),
    addon("eks-pod-identity-agent", "1.33", POD_IDENTITY_AGENT),
    addon("eks-pod-identity-agent", "1.32", POD_IDENTITY_AGENT),
    addon("eks-pod-identity-agent", "1.31", POD_IDENTITY_AGENT),
    addon("eks-pod-identity-agent", "1.30", POD_IDENTITY_AGENT),
    addon("aws-ebs-csi-driver", "1.34", EBS_CSI_DRIVER),
    addon("aws-ebs-csi-driver", "1.33", EBS_CSI_DRIVER),
    addon("aws-ebs-csi-driver", "1.32", EBS_CSI_DRIVER),
    addon("aws-ebs-csi-driver", "1.31", EBS_CSI_DRIVER),
    addon("aws-ebs-csi-driver", "1.30", EBS_CSI_DRIVER),
];

/// Known versions of `addon` for `kubernetes_version`, newest first, the
/// default marked. Empty when the catalog knows neither.
pub fn addon_versions(addon: &str, kubernetes_version: &str) -> Vec<AddonVersion> {
    ADDON_FALLBACK
        .iter()
        .find(|r| r.addon == addon && r.kubernetes_version == kubernetes_version)
        .map(|r| {
            r.versions
                .iter()
                .enumerate()
                .map(|(i, v)| AddonVersion {
                    version: (*v).to_string(),
                    default: i == 0,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::model::ClusterSpec;

    #[test]
    fn kubernetes_versions_are_newest_first() {
        let numbers: Vec<_> = KUBERNETES_VERSIONS
            .iter()
            .map(|v| version_number(v).unwrap())
            .collect();
        let mut sorted = numbers.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(numbers, sorted);
        assert_eq!(KUBERNETES_VERSIONS[0], "1.34");
    }

    #[test]
    fn every_instance_type_row_agrees_with_its_name() {
        for it in INSTANCE_TYPES {
            let family = it.name.split('.').next().unwrap();
            let graviton = family.ends_with('g');
            assert_eq!(
                it.architecture == Architecture::Arm64,
                graviton,
                "{}",
                it.name
            );
            assert!(it.max_enis >= 2 && it.ipv4_per_eni >= 2, "{}", it.name);
        }
        let mut names: Vec<_> = INSTANCE_TYPES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), INSTANCE_TYPES.len(), "duplicate rows");
    }

    #[test]
    fn eni_limits_match_ec2() {
        let limits = |n: &str| {
            let t = instance_type(n).unwrap();
            (t.max_enis, t.ipv4_per_eni)
        };
        assert_eq!(limits("t3.medium"), (3, 6));
        assert_eq!(limits("t3.large"), (3, 12));
        assert_eq!(limits("t4g.xlarge"), (4, 15));
        assert_eq!(limits("m5.large"), (3, 10));
        assert_eq!(limits("m5.4xlarge"), (8, 30));
        assert_eq!(limits("r5.2xlarge"), (4, 15));
        assert_eq!(limits("c5.large"), (3, 10));
    }

    #[test]
    fn max_pods_ips_leaves_each_enis_primary_ip_to_the_node() {
        // EKS's published max pods: m5.large 29, t3.medium 17, t4g.xlarge 58.
        assert_eq!(max_pods_ips(instance_type("m5.large").unwrap()) + 2, 29);
        assert_eq!(max_pods_ips(instance_type("t3.medium").unwrap()) + 2, 17);
        assert_eq!(max_pods_ips(instance_type("t4g.xlarge").unwrap()) + 2, 58);
    }

    #[test]
    fn architecture_follows_the_graviton_naming_rule() {
        assert_eq!(architecture_of("t4g.xlarge"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("m7g.16xlarge"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("c6gn.large"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("x2gd.metal"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("im4gn.large"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("a1.large"), Some(Architecture::Arm64));
        assert_eq!(architecture_of("m7i.large"), Some(Architecture::X86_64));
        assert_eq!(architecture_of("c6a.24xlarge"), Some(Architecture::X86_64));
        assert_eq!(architecture_of("g5.xlarge"), Some(Architecture::X86_64));
        assert_eq!(architecture_of("p4d.24xlarge"), Some(Architecture::X86_64));
        assert_eq!(architecture_of("t3.medium"), Some(Architecture::X86_64));
        assert_eq!(architecture_of("u-6tb1.metal"), Some(Architecture::X86_64));
        for not_a_type in [
            "t3",
            "t3.",
            ".large",
            "large",
            "T3.medium",
            "t.large",
            "3t.large",
            "",
        ] {
            assert_eq!(architecture_of(not_a_type), None, "{not_a_type}");
        }
    }

    #[test]
    fn versions_older_than_the_catalog_are_past_standard_support() {
        assert!(older_than_standard_support("1.29"));
        assert!(older_than_standard_support("1.9"));
        assert!(!older_than_standard_support("1.30"));
        assert!(!older_than_standard_support("1.33"));
        assert!(!older_than_standard_support("1.35"));
        assert!(!older_than_standard_support(""));
        assert!(!older_than_standard_support("latest"));
    }

    #[test]
    fn al2_stops_at_1_32() {
        let al2 = ami_type("AL2_x86_64").unwrap();
        assert!(ami_offered_for(al2, "1.32"));
        assert!(ami_offered_for(al2, "1.30"));
        assert!(!ami_offered_for(al2, "1.33"));
        let al2023 = ami_type("AL2023_ARM_64_STANDARD").unwrap();
        assert_eq!(al2023.architecture, Architecture::Arm64);
        assert!(ami_offered_for(al2023, "1.34"));
    }

    #[test]
    fn every_catalog_version_has_every_addon_with_one_default() {
        for k in KUBERNETES_VERSIONS {
            for a in ADDON_NAMES {
                let versions = addon_versions(a, k);
                assert!(!versions.is_empty(), "{a} {k}");
                assert!(versions[0].default);
                assert_eq!(versions.iter().filter(|v| v.default).count(), 1);
            }
            let minor = format!("v{k}.");
            assert!(
                addon_versions("kube-proxy", k)
                    .iter()
                    .all(|v| v.version.starts_with(&minor)),
                "kube-proxy must match Kubernetes {k}"
            );
        }
        assert!(addon_versions("vpc-cni", "1.29").is_empty());
        assert!(addon_versions("metrics-server", "1.33").is_empty());
    }

    #[test]
    fn the_seeds_addon_versions_are_known() {
        let seed = ClusterSpec::default();
        let k = &seed.cluster.kubernetes_version;
        for a in &seed.addons {
            assert!(
                addon_versions(&a.name, k)
                    .iter()
                    .any(|v| v.version == a.version),
                "{} {}",
                a.name,
                a.version
            );
        }
        assert_eq!(
            addon_versions("coredns", "1.33")[0].version,
            "v1.12.1-eksbuild.2"
        );
    }

    #[test]
    fn architecture_serializes_like_ec2() {
        assert_eq!(
            serde_json::to_string(&Architecture::X86_64).unwrap(),
            "\"x86_64\""
        );
        assert_eq!(
            serde_json::to_string(&Architecture::Arm64).unwrap(),
            "\"arm64\""
        );
    }
}

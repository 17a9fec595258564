//! What the Create form offers in its pickers: versions, AMI and instance
//! types, addon versions (from the EKS API when it answers, else built in)
//! and access policies.

use super::catalog::{self, AddonVersion, AmiType, InstanceType, ADDON_NAMES};
use serde::Serialize;
use specta::Type;
use std::collections::BTreeMap;

pub const ACCESS_POLICIES: &[&str] = &[
    "AmazonEKSClusterAdminPolicy",
    "AmazonEKSAdminPolicy",
    "AmazonEKSEditPolicy",
    "AmazonEKSViewPolicy",
];

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceTypeChoice {
    #[serde(flatten)]
    pub instance: InstanceType,
    /// IPs VPC CNI can give to pods on one node.
    pub pod_ips: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddonChoice {
    pub name: String,
    pub versions: Vec<AddonVersion>,
    /// "eks" when the versions came from DescribeAddonVersions, "built-in" otherwise.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SpecChoices {
    pub kubernetes_versions: Vec<String>,
    pub ami_types: Vec<AmiType>,
    pub instance_types: Vec<InstanceTypeChoice>,
    pub addons: Vec<AddonChoice>,
    pub access_policies: Vec<String>,
    /// Why some choices come from built-in tables (the account was not read).
    pub notes: Vec<String>,
}

/// What the EKS API said, where it answered (empty parts = not available).
#[derive(Debug, Clone, Default)]
pub struct FromApi {
    /// Versions per addon from DescribeAddonVersions.
    pub addon_versions: BTreeMap<String, Vec<String>>,
    /// EKS's default version per addon.
    pub addon_defaults: BTreeMap<String, String>,
    /// From DescribeClusterVersions, newest first.
    pub kubernetes_versions: Vec<String>,
}

impl From<&super::lookup::AccountFacts> for FromApi {
    fn from(f: &super::lookup::AccountFacts) -> Self {
        Self {
            addon_versions: f.addon_versions.clone(),
            addon_defaults: f.addon_defaults.clone(),
            kubernetes_versions: f.kubernetes_versions.clone(),
        }
    }
}

pub fn build(kubernetes_version: &str, from_api: &FromApi) -> SpecChoices {
    let addons = ADDON_NAMES
        .iter()
        .map(
            |name| match from_api.addon_versions.get(*name).filter(|v| !v.is_empty()) {
                Some(versions) => AddonChoice {
                    name: name.to_string(),
                    versions: versions
                        .iter()
                        .enumerate()
                        .map(|(i, v)| AddonVersion {
                            version: v.clone(),
                            default: match from_api.addon_defaults.get(*name) {
                                Some(d) => d == v,
                                None => i == 0,
                            },
                        })
                        .collect(),
                    source: "eks".into(),
                },
                None => AddonChoice {
                    name: name.to_string(),
                    versions: catalog::addon_versions(name, kubernetes_version),
                    source: "built-in".into(),
                },
            },
        )
        .collect();
    let mut kubernetes_versions: Vec<String> = if !from_api.kubernetes_versions.is_empty() {
        from_api.kubernetes_versions.clone()
    } else {
        catalog::KUBERNETES_VERSIONS
            .iter()
            .map(|v| v.to_string())
            .collect()
    };
    catalog::sort_newest_first(&mut kubernetes_versions);
    SpecChoices {
        kubernetes_versions,
        ami_types: catalog::AMI_TYPES
            .iter()
            .filter(|a| catalog::ami_offered_for(a, kubernetes_version))
            .cloned()
            .collect(),
        instance_types: catalog::INSTANCE_TYPES
            .iter()
            .map(|it| InstanceTypeChoice {
                pod_ips: catalog::max_pods_ips(it),
                instance: it.clone(),
            })
            .collect(),
        addons,
        access_policies: ACCESS_POLICIES.iter().map(|p| p.to_string()).collect(),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_versions_stand_in_when_the_api_says_nothing() {
        let c = build("1.33", &FromApi::default());
        let kube_proxy = c.addons.iter().find(|a| a.name == "kube-proxy").unwrap();
        assert_eq!(kube_proxy.source, "built-in");
        assert!(kube_proxy
            .versions
            .iter()
            .any(|v| v.version == "v1.33.0-eksbuild.2"));
        assert_eq!(c.kubernetes_versions[0], "1.34", "newest first");
    }

    #[test]
    fn api_versions_win_and_the_first_is_the_default() {
        let mut api = FromApi::default();
        api.addon_versions.insert(
            "coredns".to_string(),
            vec![
                "v9.9.9-eksbuild.1".to_string(),
                "v9.9.8-eksbuild.1".to_string(),
            ],
        );
        let c = build("1.33", &api);
        let coredns = c.addons.iter().find(|a| a.name == "coredns").unwrap();
        assert_eq!(coredns.source, "eks");
        assert!(coredns.versions[0].default && !coredns.versions[1].default);
    }

    #[test]
    fn versions_come_newest_first_whatever_order_the_api_gives() {
        let api = FromApi {
            kubernetes_versions: ["1.31", "1.9", "1.34", "1.10"].map(String::from).to_vec(),
            ..Default::default()
        };
        assert_eq!(
            build("1.33", &api).kubernetes_versions,
            ["1.34", "1.31", "1.10", "1.9"]
        );
    }

    #[test]
    fn al2_amis_are_not_offered_for_versions_after_1_32() {
        let names = |v: &str| {
            build(v, &FromApi::default())
                .ami_types
                .iter()
                .map(|a| a.name)
                .collect::<Vec<_>>()
        };
        assert!(names("1.32").contains(&"AL2_x86_64"));
        assert!(!names("1.33").contains(&"AL2_x86_64"));
    }
}

//! What the emulator holds after an apply, read through the SDK (never
//! through the app's own journal), for the provisioning tests.

#![allow(dead_code)]

#[path = "egress.rs"]
pub mod egress;

use aws_sdk_ec2::types::Filter;
use eks_desk::aws::AwsSession;
use eks_desk::spec::model::{NodeSubnets, RoleChoice, VpcChoice};
use eks_desk::spec::plan::{
    CLUSTER_POLICY, NODE_POLICIES, OWNER_TAG, VPC_RESOURCE_CONTROLLER_POLICY,
};
use eks_desk::spec::ClusterSpec;
use std::collections::BTreeSet;

fn owner_filter(spec_id: &str) -> Filter {
    Filter::builder()
        .name(format!("tag:{OWNER_TAG}"))
        .values(spec_id)
        .build()
}

/// What carries the spec's owner tag (or its names), counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Owned {
    pub vpcs: Vec<String>,
    /// (CIDR, AZ), sorted.
    pub subnets: Vec<(String, String)>,
    pub roles: Vec<String>,
    pub clusters: usize,
    pub node_groups: Vec<String>,
    pub addons: Vec<String>,
    pub access_entries: Vec<String>,
    /// Internet and NAT gateways, elastic IPs, route tables, endpoints and
    /// security groups (ids), sorted.
    pub gateways: Vec<String>,
}

/// The managed policies of `role`; `None` only when the role does not
/// exist — any other failure of the look-up fails the test.
pub async fn role_policies(session: &AwsSession, role: &str) -> Option<BTreeSet<String>> {
    let out = match session
        .iam()
        .list_attached_role_policies()
        .role_name(role)
        .send()
        .await
    {
        Ok(out) => out,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            return None
        }
        Err(e) => panic!("iam:ListAttachedRolePolicies {role}: {e:?}"),
    };
    Some(
        out.attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_string))
            .collect(),
    )
}

pub async fn owned(session: &AwsSession, spec: &ClusterSpec) -> Owned {
    let ec2 = session.ec2();
    let mut owned = Owned::default();
    let vpcs = ec2
        .describe_vpcs()
        .filters(owner_filter(&spec.id))
        .send()
        .await
        .unwrap();
    owned.vpcs = vpcs
        .vpcs()
        .iter()
        .filter_map(|v| v.vpc_id().map(str::to_string))
        .collect();
    let subnets = ec2
        .describe_subnets()
        .filters(owner_filter(&spec.id))
        .send()
        .await
        .unwrap();
    owned.subnets = subnets
        .subnets()
        .iter()
        .map(|s| {
            (
                s.cidr_block().unwrap_or_default().to_string(),
                s.availability_zone().unwrap_or_default().to_string(),
            )
        })
        .collect();
    owned.subnets.sort();
    owned.gateways = egress::owned_gateways(session, &spec.id).await;
    for choice in [&spec.iam.cluster_role, &spec.iam.node_role] {
        if let RoleChoice::Create { name, .. } = choice {
            let found = match session.iam().get_role().role_name(name).send().await {
                Ok(out) => Some(out),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_no_such_entity_exception()) =>
                {
                    None
                }
                Err(e) => panic!("iam:GetRole {name}: {e:?}"),
            };
            if let Some(out) = found {
                let ours = out.role().is_some_and(|r| {
                    r.tags()
                        .iter()
                        .any(|t| t.key() == OWNER_TAG && t.value() == spec.id)
                });
                if ours {
                    owned.roles.push(name.clone());
                }
            }
        }
    }
    let eks = session.eks();
    let name = &spec.cluster.name;
    let found = match eks.describe_cluster().name(name).send().await {
        Ok(out) => Some(out),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            None
        }
        Err(e) => panic!("eks:DescribeCluster {name}: {e:?}"),
    };
    if let Some(out) = found {
        let c = out.cluster().unwrap();
        if c.tags().and_then(|t| t.get(OWNER_TAG)) == Some(&spec.id) {
            owned.clusters = 1;
            let groups = eks
                .list_nodegroups()
                .cluster_name(name)
                .send()
                .await
                .unwrap();
            owned.node_groups = groups.nodegroups().to_vec();
            let addons = eks.list_addons().cluster_name(name).send().await.unwrap();
            owned.addons = addons.addons().to_vec();
            owned.addons.sort();
            let entries = eks
                .list_access_entries()
                .cluster_name(name)
                .send()
                .await
                .unwrap();
            owned.access_entries = entries.access_entries().to_vec();
        }
    }
    owned
}

/// Nothing of the spec is left.
pub async fn assert_nothing_owned(session: &AwsSession, spec: &ClusterSpec) {
    assert_eq!(
        owned(session, spec).await,
        Owned::default(),
        "leftovers of {}",
        spec.id
    );
}

/// Exactly the seed's architecture (for `spec`'s names and region), once.
pub async fn assert_seed_architecture(session: &AwsSession, spec: &ClusterSpec, caller_arn: &str) {
    let owned = owned(session, spec).await;
    let ec2 = session.ec2();

    // One VPC, 10.0.0.0/16.
    assert_eq!(owned.vpcs.len(), 1, "one VPC with the owner tag: {owned:?}");
    let VpcChoice::Create { cidr } = &spec.network.vpc else {
        panic!("the seed creates its VPC")
    };
    let vpc = ec2
        .describe_vpcs()
        .vpc_ids(&owned.vpcs[0])
        .send()
        .await
        .unwrap();
    assert_eq!(vpc.vpcs()[0].cidr_block(), Some(cidr.as_str()));

    // 3 /28 control-plane subnets in 3 AZs + the node subnets, nothing more.
    let mut expected: Vec<(String, String)> = spec
        .network
        .control_plane_subnets
        .iter()
        .map(|s| (s.cidr.clone(), s.availability_zone.clone()))
        .collect();
    let NodeSubnets::Create(nodes) = &spec.network.node_subnets else {
        panic!("the seed creates its node subnets")
    };
    expected.extend(
        nodes
            .iter()
            .chain(&spec.network.public_subnets)
            .map(|s| (s.cidr.clone(), s.availability_zone.clone())),
    );
    expected.sort();
    assert_eq!(owned.subnets, expected);
    let cidrs = |list: &[eks_desk::spec::model::SubnetSpec]| -> Vec<String> {
        list.iter().map(|s| s.cidr.clone()).collect()
    };
    let node_cidrs = cidrs(nodes);
    let mut private = cidrs(&spec.network.control_plane_subnets);
    private.extend(node_cidrs.clone());
    egress::assert_seed_egress(
        session,
        &owned.vpcs[0],
        &cidrs(&spec.network.public_subnets),
        &private,
        &node_cidrs,
    )
    .await;
    let cp: Vec<_> = spec.network.control_plane_subnets.iter().collect();
    assert_eq!(cp.len(), 3);
    assert!(cp.iter().all(|s| s.cidr.ends_with("/28")));
    let azs: BTreeSet<_> = cp.iter().map(|s| &s.availability_zone).collect();
    assert_eq!(azs.len(), 3, "three AZs");
    let subnets = ec2
        .describe_subnets()
        .filters(
            Filter::builder()
                .name("vpc-id")
                .values(&owned.vpcs[0])
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cp_ids: BTreeSet<String> = subnets
        .subnets()
        .iter()
        .filter(|s| cp.iter().any(|c| Some(c.cidr.as_str()) == s.cidr_block()))
        .filter_map(|s| s.subnet_id().map(str::to_string))
        .collect();
    assert_eq!(cp_ids.len(), 3);

    // Both roles, with exactly their policies.
    let RoleChoice::Create {
        name: cluster_role, ..
    } = &spec.iam.cluster_role
    else {
        panic!()
    };
    let RoleChoice::Create {
        name: node_role, ..
    } = &spec.iam.node_role
    else {
        panic!()
    };
    assert_eq!(owned.roles, [cluster_role.clone(), node_role.clone()]);
    let arn = |name: &str| eks_desk::aws::arn::managed_policy_arn("aws", name);
    assert_eq!(
        role_policies(session, cluster_role).await.unwrap(),
        [CLUSTER_POLICY, VPC_RESOURCE_CONTROLLER_POLICY]
            .iter()
            .map(|s| arn(s))
            .collect()
    );
    assert_eq!(
        role_policies(session, node_role).await.unwrap(),
        NODE_POLICIES.iter().map(|s| arn(s)).collect()
    );

    // The cluster.
    let eks = session.eks();
    let name = &spec.cluster.name;
    assert_eq!(owned.clusters, 1);
    let cluster = eks.describe_cluster().name(name).send().await.unwrap();
    let cluster = cluster.cluster().unwrap();
    assert_eq!(cluster.version(), Some("1.33"));
    assert_eq!(
        cluster
            .access_config()
            .and_then(|a| a.authentication_mode())
            .map(|m| m.as_str()),
        Some("API_AND_CONFIG_MAP")
    );
    let got: BTreeSet<String> = cluster
        .resources_vpc_config()
        .unwrap()
        .subnet_ids()
        .iter()
        .cloned()
        .collect();
    assert_eq!(
        got, cp_ids,
        "the cluster's subnets are the control-plane subnets"
    );
    assert!(cluster
        .role_arn()
        .unwrap()
        .ends_with(&format!("role/{cluster_role}")));

    // The node group.
    let ng_spec = &spec.node_groups[0];
    assert_eq!(owned.node_groups, std::slice::from_ref(&ng_spec.name));
    let ng = eks
        .describe_nodegroup()
        .cluster_name(name)
        .nodegroup_name(&ng_spec.name)
        .send()
        .await
        .unwrap();
    let ng = ng.nodegroup().unwrap();
    let scaling = ng.scaling_config().unwrap();
    assert_eq!(
        (
            scaling.min_size(),
            scaling.desired_size(),
            scaling.max_size()
        ),
        (Some(1), Some(1), Some(3))
    );
    assert_eq!(
        ng.ami_type().map(|a| a.as_str()),
        Some("AL2023_ARM_64_STANDARD")
    );
    assert_eq!(ng.instance_types(), ["t4g.xlarge"]);
    assert!(ng
        .node_role()
        .unwrap()
        .ends_with(&format!("role/{node_role}")));
    assert_eq!(ng.subnets().len(), 3);
    assert_eq!(ng.tags().unwrap().get(OWNER_TAG), Some(&spec.id));

    // The three addons at their versions, tagged.
    assert_eq!(owned.addons, ["coredns", "kube-proxy", "vpc-cni"]);
    for addon in &spec.addons {
        let out = eks
            .describe_addon()
            .cluster_name(name)
            .addon_name(&addon.name)
            .send()
            .await
            .unwrap();
        let a = out.addon().unwrap();
        assert_eq!(
            a.addon_version(),
            Some(addon.version.as_str()),
            "{}",
            addon.name
        );
        assert_eq!(a.tags().unwrap().get(OWNER_TAG), Some(&spec.id));
    }

    // The caller's access entry with the cluster-admin policy.
    assert_eq!(owned.access_entries, [caller_arn.to_string()]);
    let policies = eks
        .list_associated_access_policies()
        .cluster_name(name)
        .principal_arn(caller_arn)
        .send()
        .await
        .unwrap();
    let arns: Vec<_> = policies
        .associated_access_policies()
        .iter()
        .filter_map(|p| p.policy_arn())
        .collect();
    assert_eq!(
        arns,
        ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]
    );
}

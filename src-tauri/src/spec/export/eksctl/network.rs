//! The `vpc` section of the eksctl export: subnets keyed by zone, the NAT
//! gateway mode or the private-cluster endpoints the spec's egress asks
//! for, and the notes where eksctl does a thing differently.

use std::collections::BTreeMap;

use super::schema::*;
use crate::spec::model::{ClusterSpec, Egress, NodeSubnets, VpcChoice};

/// `key`, or `key-2`, `key-3`... if taken.
pub(super) fn unique_key<V>(map: &BTreeMap<String, V>, key: &str) -> String {
    let mut candidate = key.to_string();
    let mut n = 2;
    while map.contains_key(&candidate) {
        candidate = format!("{key}-{n}");
        n += 1;
    }
    candidate
}

/// The VPC section, and for each node subnet of the spec (by CIDR or id)
/// its key in `vpc.subnets.private`.
pub(super) fn vpc(
    spec: &ClusterSpec,
    notes: &mut Vec<String>,
) -> (Vpc, Option<PrivateCluster>, BTreeMap<String, String>) {
    let (id, cidr) = match &spec.network.vpc {
        VpcChoice::Create { cidr } => (String::new(), cidr.clone()),
        VpcChoice::Existing { vpc_id, cidr } => (vpc_id.clone(), cidr.clone()),
    };
    let existing_vpc = !id.is_empty();
    let mut private: BTreeMap<String, Subnet> = BTreeMap::new();
    let mut node_subnet_keys = BTreeMap::new();
    match &spec.network.node_subnets {
        NodeSubnets::Create(subnets) => {
            for subnet in subnets {
                let key = unique_key(&private, &subnet.availability_zone);
                node_subnet_keys.insert(subnet.cidr.clone(), key.clone());
                private.insert(
                    key,
                    Subnet {
                        id: String::new(),
                        cidr: subnet.cidr.clone(),
                        az: subnet.availability_zone.clone(),
                    },
                );
            }
        }
        NodeSubnets::Existing(ids) => {
            for (i, subnet_id) in ids.iter().enumerate() {
                let key = unique_key(&private, &format!("nodes-{}", i + 1));
                node_subnet_keys.insert(subnet_id.clone(), key.clone());
                private.insert(
                    key,
                    Subnet {
                        id: subnet_id.clone(),
                        cidr: String::new(),
                        az: String::new(),
                    },
                );
            }
        }
    }
    for subnet in &spec.network.control_plane_subnets {
        let key = unique_key(
            &private,
            &format!("control-plane-{}", subnet.availability_zone),
        );
        private.insert(
            key,
            Subnet {
                id: String::new(),
                cidr: subnet.cidr.clone(),
                az: subnet.availability_zone.clone(),
            },
        );
    }

    let settings = &spec.cluster;
    if existing_vpc {
        notes.push(String::new());
        notes.push(
            "eksctl creates no subnets in an existing VPC: every subnet listed below by".into(),
        );
        notes.push(
            "CIDR must exist before `eksctl create cluster`, which looks them up by CIDR.".into(),
        );
    }
    if !spec.network.control_plane_subnets.is_empty() {
        notes.extend([
            String::new(),
            "Control-plane subnets: eksctl takes dedicated control-plane subnets only by".into(),
            "id (vpc.controlPlaneSubnetIDs), so only subnets that already exist. The".into(),
            "spec's are therefore listed as private subnets named control-plane-<zone>,".into(),
            "and the control plane starts out with network interfaces in any private".into(),
            "subnet. Once the cluster exists, move it onto its own subnets with:".into(),
            format!(
                "  eksctl utils update-cluster-vpc-config --cluster {} --region {} \\",
                settings.name, settings.region
            ),
            "    --control-plane-subnet-ids <ids of the control-plane-* subnets> --approve".into(),
        ]);
    }
    let mut public = BTreeMap::new();
    for subnet in &spec.network.public_subnets {
        let key = unique_key(&public, &subnet.availability_zone);
        public.insert(
            key,
            Subnet {
                id: String::new(),
                cidr: subnet.cidr.clone(),
                az: subnet.availability_zone.clone(),
            },
        );
    }
    let mut private_cluster = None;
    // eksctl turns NAT off itself for an existing VPC, whose own way out
    // is used.
    let nat = match spec.network.egress {
        Egress::NatGateway => Some("Single"),
        Egress::NatPerZone => Some("HighlyAvailable"),
        Egress::PrivateEndpoints => {
            private_cluster = Some(PrivateCluster {
                enabled: true,
                additional_endpoint_services: Vec::new(),
            });
            notes.extend([
                String::new(),
                "No internet: a private cluster, for which eksctl makes the EC2, ECR (api".into(),
                "and dkr), S3 and STS endpoints. It has no Elastic Load Balancing endpoint".into(),
                "(the spec's fifth interface endpoint): add one before running the AWS".into(),
                "Load Balancer Controller. eksctl also turns the public API endpoint off.".into(),
            ]);
            Some("Disable")
        }
        Egress::Existing => None,
    }
    .filter(|_| !existing_vpc)
    .map(|gateway| Nat {
        gateway: gateway.into(),
    });
    let vpc = Vpc {
        id,
        cidr,
        subnets: Subnets { private, public },
        nat,
        cluster_endpoints: ClusterEndpoints {
            public_access: settings.endpoint_public_access,
            private_access: settings.endpoint_private_access,
        },
    };
    (vpc, private_cluster, node_subnet_keys)
}

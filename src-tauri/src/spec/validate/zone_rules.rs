//! Which zones EKS can use. Zones are judged by their zone ID, the same
//! physical zone in every account (a zone *name* like us-east-1a maps to
//! different zones in different accounts).

use crate::spec::lookup::ZoneFact;

/// Zone IDs where EKS does not place a cluster's control plane (its
/// subnets are refused there); from the EKS user guide's subnet
/// requirements.
pub const NO_CONTROL_PLANE_ZONE_IDS: &[&str] = &["use1-az3", "usw1-az2", "cac1-az3"];

/// Why EKS cannot use `zone` for a control-plane subnet (`control_plane`)
/// or a node subnet, or `None` when it can.
pub fn zone_problem(zone: &ZoneFact, control_plane: bool) -> Option<String> {
    let ZoneFact {
        name,
        id,
        zone_type,
        ..
    } = zone;
    if zone_type != "availability-zone" {
        let kind = match zone_type.as_str() {
            "local-zone" => "a Local Zone",
            "wavelength-zone" => "a Wavelength Zone",
            other => other,
        };
        return Some(format!(
            "{name} ({id}) is {kind}: EKS clusters and managed node groups run in availability zones only"
        ));
    }
    if control_plane && NO_CONTROL_PLANE_ZONE_IDS.contains(&id.as_str()) {
        return Some(format!(
            "{name} is zone {id}, where EKS does not place control planes: pick another zone for this subnet"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str, id: &str, zone_type: &str) -> ZoneFact {
        ZoneFact {
            name: name.into(),
            id: id.into(),
            zone_type: zone_type.into(),
        }
    }

    #[test]
    fn zones_eks_refuses_say_why() {
        let az3 = zone("us-east-1e", "use1-az3", "availability-zone");
        assert_eq!(
            zone_problem(&az3, true).as_deref(),
            Some("us-east-1e is zone use1-az3, where EKS does not place control planes: pick another zone for this subnet")
        );
        assert_eq!(zone_problem(&az3, false), None, "nodes may run there");
        for id in ["usw1-az2", "cac1-az3"] {
            assert!(
                zone_problem(&zone("x", id, "availability-zone"), true).is_some(),
                "{id}"
            );
        }
        let local = zone("us-east-1-bos-1a", "use1-bos1-az1", "local-zone");
        assert!(zone_problem(&local, false)
            .unwrap()
            .contains("a Local Zone"));
        let wavelength = zone(
            "us-east-1-wl1-bos-wlz-1",
            "use1-wl1-bos-wlz1",
            "wavelength-zone",
        );
        assert!(zone_problem(&wavelength, false)
            .unwrap()
            .contains("a Wavelength Zone"));
        assert_eq!(
            zone_problem(&zone("us-east-1a", "use1-az1", "availability-zone"), true),
            None
        );
    }
}

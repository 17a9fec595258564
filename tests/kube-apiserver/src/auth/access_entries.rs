//! EKS access entries, read from the emulator's EKS API at each sign-in
//! (cached for at most a second, so a deleted entry locks its principal out
//! at once): the entry for the caller's ARN, its username and groups, and
//! the access policies associated with it and their scopes.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;

use super::emulator_client::{eks_get, EmulatorError};
use super::policies::{Association, Role};

#[derive(Clone, Debug)]
pub struct Entry {
    pub username: Option<String>,
    pub groups: Vec<String>,
    pub associations: Vec<Association>,
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

async fn get_json(addr: &str, region: &str, path: &str) -> Result<Option<Value>, EmulatorError> {
    let reply = eks_get(addr, region, path).await?;
    if reply.status == 404 {
        return Ok(None);
    }
    if reply.status != 200 {
        return Err(EmulatorError::Http(format!(
            "{} from {path}: {}",
            reply.status, reply.body
        )));
    }
    serde_json::from_str(&reply.body)
        .map(Some)
        .map_err(|e| EmulatorError::Http(format!("unreadable answer from {path}: {e}")))
}

/// Whether the emulator has a cluster named `name` in `region`.
pub async fn cluster_exists(addr: &str, region: &str, name: &str) -> Result<bool, EmulatorError> {
    Ok(get_json(addr, region, &format!("/clusters/{}", enc(name)))
        .await?
        .is_some())
}

pub async fn list_clusters(addr: &str, region: &str) -> Result<Vec<String>, EmulatorError> {
    let v = get_json(addr, region, "/clusters")
        .await?
        .unwrap_or(Value::Null);
    Ok(v["clusters"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// The entry principal that `caller_arn` signs in as: the ARN itself, or
/// for an assumed-role session the role (at any IAM path), as EKS matches.
pub fn matches(entry_arn: &str, caller_arn: &str) -> bool {
    if entry_arn == caller_arn {
        return true;
    }
    let Some(rest) = caller_arn.strip_prefix("arn:") else {
        return false;
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    if parts.len() != 5 || parts[1] != "sts" {
        return false;
    }
    let (partition, account) = (parts[0], parts[3]);
    let Some(session) = parts[4].strip_prefix("assumed-role/") else {
        return false;
    };
    let Some((role, _)) = session.split_once('/') else {
        return false;
    };
    let prefix = format!("arn:{partition}:iam::{account}:role/");
    entry_arn
        .strip_prefix(&prefix)
        .is_some_and(|path_and_name| path_and_name.rsplit('/').next() == Some(role))
}

pub async fn find_entry(
    addr: &str,
    region: &str,
    cluster: &str,
    caller_arn: &str,
) -> Result<Option<Entry>, EmulatorError> {
    let list = get_json(
        addr,
        region,
        &format!("/clusters/{}/access-entries", enc(cluster)),
    )
    .await?
    .unwrap_or(Value::Null);
    let Some(principal) = list["accessEntries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|arn| matches(arn, caller_arn))
        .map(str::to_string)
    else {
        return Ok(None);
    };
    let path = format!(
        "/clusters/{}/access-entries/{}",
        enc(cluster),
        enc(&principal)
    );
    let Some(described) = get_json(addr, region, &path).await? else {
        return Ok(None);
    };
    let entry = &described["accessEntry"];
    let policies = get_json(addr, region, &format!("{path}/access-policies"))
        .await?
        .unwrap_or(Value::Null);
    let associations = policies["associatedAccessPolicies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let role = Role::from_policy_arn(a["policyArn"].as_str()?)?;
            let scope = &a["accessScope"];
            let namespaces = (scope["type"].as_str() == Some("namespace")).then(|| {
                scope["namespaces"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|n| n.as_str().map(str::to_string))
                    .collect()
            });
            Some(Association { role, namespaces })
        })
        .collect();
    Ok(Some(Entry {
        username: entry["username"]
            .as_str()
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        groups: entry["kubernetesGroups"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g.as_str().map(str::to_string))
            .collect(),
        associations,
    }))
}

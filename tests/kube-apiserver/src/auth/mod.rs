//! Who is calling: static bearer tokens, or EKS tokens verified through the
//! emulator's STS and mapped to a user by the cluster's access entries.

pub mod access_entries;
pub mod eks_token;
pub mod emulator_client;
pub mod policies;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use policies::User;

use crate::api::status::ApiError;

pub struct EksConfig {
    /// The emulator's host:port.
    pub emulator: String,
    /// Cluster names tokens may be for; empty: any cluster the emulator has.
    pub clusters: Vec<String>,
}

struct VerifiedToken {
    caller: eks_token::Caller,
    cluster: String,
    expires_at: i64,
}

pub struct Authenticator {
    static_tokens: Mutex<HashMap<String, User>>,
    eks: Option<EksConfig>,
    /// STS answers per token, kept until the token expires.
    verified: Mutex<HashMap<String, VerifiedToken>>,
    /// Access-entry look-ups, kept for a second at most.
    entries: Mutex<HashMap<(String, String), CachedEntry>>,
}

/// When an access entry was looked up, and what was found.
type CachedEntry = (Instant, Option<access_entries::Entry>);

const ENTRY_TTL: Duration = Duration::from_millis(800);

/// `TOKEN=USERNAME[:GROUP,GROUP...]`.
pub fn parse_static(spec: &str) -> Result<(String, User), String> {
    let (token, rest) = spec
        .split_once('=')
        .ok_or_else(|| format!("--static-token {spec:?}: expected TOKEN=USERNAME[:GROUP,...]"))?;
    let (username, groups) = rest.split_once(':').unwrap_or((rest, ""));
    if token.is_empty() || username.is_empty() {
        return Err(format!("--static-token {spec:?}: empty token or username"));
    }
    let groups = groups
        .split(',')
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect();
    Ok((token.to_string(), static_user(username, groups)))
}

pub fn static_user(username: &str, mut groups: Vec<String>) -> User {
    if !groups.iter().any(|g| g == "system:authenticated") {
        groups.push("system:authenticated".into());
    }
    User {
        username: username.to_string(),
        uid: format!("static:{username}"),
        groups,
        extra: Vec::new(),
        associations: Vec::new(),
    }
}

impl Authenticator {
    pub fn new(statics: Vec<(String, User)>, eks: Option<EksConfig>) -> Self {
        Authenticator {
            static_tokens: Mutex::new(statics.into_iter().collect()),
            eks,
            verified: Mutex::new(HashMap::new()),
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn add_static(&self, token: String, user: User) {
        if let Ok(mut t) = self.static_tokens.lock() {
            t.insert(token, user);
        }
    }

    pub async fn authenticate(&self, authorization: Option<&str>) -> Result<User, ApiError> {
        let token = authorization
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        if let Some(u) = self
            .static_tokens
            .lock()
            .ok()
            .and_then(|t| t.get(token).cloned())
        {
            return Ok(u);
        }
        let Some(eks) = &self.eks else {
            return Err(ApiError::unauthorized());
        };
        match self.authenticate_eks(eks, token).await {
            Ok(u) => Ok(u),
            Err(why) => {
                eprintln!("test-kube-apiserver: EKS token refused: {why}");
                Err(ApiError::unauthorized())
            }
        }
    }

    async fn authenticate_eks(&self, eks: &EksConfig, token: &str) -> Result<User, String> {
        let now = crate::model::meta::now();
        let cached = self.verified.lock().ok().and_then(|v| {
            v.get(token)
                .filter(|t| t.expires_at >= now)
                .map(|t| (t.caller.clone(), t.cluster.clone()))
        });
        let (caller, cluster, region) = match cached {
            Some((caller, cluster)) => {
                let region = eks_token::parse(token, &eks.emulator, now)
                    .map(|p| p.region)
                    .map_err(|e| e.to_string())?;
                (caller, cluster, region)
            }
            None => {
                let p = eks_token::parse(token, &eks.emulator, now).map_err(|e| e.to_string())?;
                if eks_token::is_emulator_root_key(&p.access_key_id) {
                    return Err(
                        "the emulator does not check signatures of its root key; refused".into(),
                    );
                }
                let candidates = if eks.clusters.is_empty() {
                    access_entries::list_clusters(&eks.emulator, &p.region)
                        .await
                        .map_err(|e| e.to_string())?
                } else {
                    eks.clusters.clone()
                };
                let mut found = None;
                for cluster in candidates {
                    if let Some(caller) = eks_token::call_sts(&p, &cluster)
                        .await
                        .map_err(|e| e.to_string())?
                    {
                        found = Some((caller, cluster));
                        break;
                    }
                }
                let (caller, cluster) =
                    found.ok_or("signature does not match for any accepted cluster name")?;
                if eks.clusters.is_empty()
                    && !access_entries::cluster_exists(&eks.emulator, &p.region, &cluster)
                        .await
                        .map_err(|e| e.to_string())?
                {
                    return Err(format!("no cluster {cluster} in the emulator"));
                }
                if let Ok(mut v) = self.verified.lock() {
                    v.retain(|_, t| t.expires_at >= now);
                    v.insert(
                        token.to_string(),
                        VerifiedToken {
                            caller: caller.clone(),
                            cluster: cluster.clone(),
                            expires_at: p.expires_at,
                        },
                    );
                }
                (caller, cluster, p.region)
            }
        };
        let entry = self.entry(eks, &region, &cluster, &caller.arn).await?;
        let entry = entry
            .ok_or_else(|| format!("no access entry for {} in cluster {cluster}", caller.arn))?;
        Ok(user_for(&caller, &entry))
    }

    async fn entry(
        &self,
        eks: &EksConfig,
        region: &str,
        cluster: &str,
        arn: &str,
    ) -> Result<Option<access_entries::Entry>, String> {
        let key = (cluster.to_string(), arn.to_string());
        if let Some((at, e)) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            if at.elapsed() < ENTRY_TTL {
                return Ok(e);
            }
        }
        let e = access_entries::find_entry(&eks.emulator, region, cluster, arn)
            .await
            .map_err(|e| e.to_string())?;
        if let Ok(mut m) = self.entries.lock() {
            m.insert(key, (Instant::now(), e.clone()));
        }
        Ok(e)
    }
}

/// The Kubernetes user EKS makes of a caller and its access entry.
fn user_for(caller: &eks_token::Caller, entry: &access_entries::Entry) -> User {
    let (session, canonical) = match caller.arn.split_once(":assumed-role/") {
        Some((head, tail)) => {
            let (role, session) = tail.split_once('/').unwrap_or((tail, ""));
            let head = head.replace(":sts::", ":iam::");
            (session.to_string(), format!("{head}:role/{role}"))
        }
        None => (String::new(), caller.arn.clone()),
    };
    let default_name = if session.is_empty() {
        caller.arn.clone()
    } else {
        format!(
            "{}/{{{{SessionName}}}}",
            caller
                .arn
                .rsplit_once('/')
                .map(|x| x.0)
                .unwrap_or(&caller.arn)
        )
    };
    let principal_id = caller
        .user_id
        .split(':')
        .next()
        .unwrap_or(&caller.user_id)
        .to_string();
    let username = entry
        .username
        .clone()
        .unwrap_or(default_name)
        .replace("{{SessionName}}", &session)
        .replace("{{AccessKeyID}}", &caller.access_key_id)
        .replace("{{AccountID}}", &caller.account)
        .replace("{{SessionNameRaw}}", &session);
    let mut groups = entry.groups.clone();
    groups.push("system:authenticated".into());
    User {
        username,
        uid: format!("aws-iam-authenticator:{}:{}", caller.account, principal_id),
        groups,
        extra: vec![
            ("accessKeyId".into(), vec![caller.access_key_id.clone()]),
            ("arn".into(), vec![caller.arn.clone()]),
            ("canonicalArn".into(), vec![canonical]),
            ("principalId".into(), vec![principal_id]),
            ("sessionName".into(), vec![session]),
            (
                "sigs.k8s.io/aws-iam-authenticator/principalId".into(),
                vec![caller.user_id.clone()],
            ),
        ],
        associations: entry.associations.clone(),
    }
}

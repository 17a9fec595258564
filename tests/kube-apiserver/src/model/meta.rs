//! Object metadata kept compactly (interned namespaces, a 128-bit uid, unix
//! times) and rendered to Kubernetes JSON on demand, so that 150,000 pods
//! fit in memory without a JSON tree each.

use std::sync::Arc;

use serde_json::{json, Map, Value};

pub type Labels = Vec<(Arc<str>, Arc<str>)>;

#[derive(Clone, Debug)]
pub struct OwnerRef {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub uid: u128,
}

#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub name: String,
    /// Empty for cluster-scoped objects.
    pub namespace: Arc<str>,
    pub generate_name: Option<String>,
    pub uid: u128,
    pub resource_version: u64,
    /// 0: the kind has no generation (pods, events...).
    pub generation: u64,
    pub created: i64,
    pub deletion: Option<i64>,
    pub labels: Labels,
    pub annotations: Vec<(String, String)>,
    pub owner: Option<OwnerRef>,
}

impl Meta {
    /// The store key: `namespace/name`, as etcd orders `/registry/<res>/<ns>/<name>`.
    pub fn key(&self) -> String {
        key_of(&self.namespace, &self.name)
    }

    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| &**v)
    }

    pub fn set_label(&mut self, key: &str, value: &str) {
        match self.labels.iter_mut().find(|(k, _)| &**k == key) {
            Some(entry) => entry.1 = Arc::from(value),
            None => {
                self.labels.push((Arc::from(key), Arc::from(value)));
                self.labels.sort();
            }
        }
    }

    pub fn to_json(&self, managed_fields: Value) -> Value {
        let mut m = Map::new();
        m.insert("name".into(), json!(self.name));
        if let Some(g) = &self.generate_name {
            m.insert("generateName".into(), json!(g));
        }
        if !self.namespace.is_empty() {
            m.insert("namespace".into(), json!(&*self.namespace));
        }
        m.insert("uid".into(), json!(uid_string(self.uid)));
        m.insert(
            "resourceVersion".into(),
            json!(self.resource_version.to_string()),
        );
        if self.generation > 0 {
            m.insert("generation".into(), json!(self.generation));
        }
        m.insert("creationTimestamp".into(), json!(rfc3339(self.created)));
        if let Some(d) = self.deletion {
            m.insert("deletionTimestamp".into(), json!(rfc3339(d)));
            m.insert("deletionGracePeriodSeconds".into(), json!(30));
        }
        if !self.labels.is_empty() {
            let labels: Map<String, Value> = self
                .labels
                .iter()
                .map(|(k, v)| (k.to_string(), json!(&**v)))
                .collect();
            m.insert("labels".into(), Value::Object(labels));
        }
        if !self.annotations.is_empty() {
            let ann: Map<String, Value> = self
                .annotations
                .iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            m.insert("annotations".into(), Value::Object(ann));
        }
        if let Some(o) = &self.owner {
            m.insert(
                "ownerReferences".into(),
                json!([{
                    "apiVersion": o.api_version,
                    "kind": o.kind,
                    "name": o.name,
                    "uid": uid_string(o.uid),
                    "controller": true,
                    "blockOwnerDeletion": true,
                }]),
            );
        }
        if !managed_fields.is_null() {
            m.insert("managedFields".into(), managed_fields);
        }
        Value::Object(m)
    }

    /// The `f:metadata` part of a managedFields entry for these labels/annotations/owner.
    pub fn fields_v1(&self) -> Value {
        let mut md = Map::new();
        if self.generate_name.is_some() {
            md.insert("f:generateName".into(), json!({}));
        }
        if !self.labels.is_empty() {
            let mut l = Map::new();
            l.insert(".".into(), json!({}));
            for (k, _) in &self.labels {
                l.insert(format!("f:{k}"), json!({}));
            }
            md.insert("f:labels".into(), Value::Object(l));
        }
        if !self.annotations.is_empty() {
            let mut a = Map::new();
            a.insert(".".into(), json!({}));
            for (k, _) in &self.annotations {
                a.insert(format!("f:{k}"), json!({}));
            }
            md.insert("f:annotations".into(), Value::Object(a));
        }
        if let Some(o) = &self.owner {
            let mut refs = Map::new();
            refs.insert(".".into(), json!({}));
            refs.insert(
                format!("k:{{\"uid\":\"{}\"}}", uid_string(o.uid)),
                json!({}),
            );
            md.insert("f:ownerReferences".into(), Value::Object(refs));
        }
        Value::Object(md)
    }
}

pub fn key_of(namespace: &str, name: &str) -> String {
    let mut k = String::with_capacity(namespace.len() + name.len() + 1);
    k.push_str(namespace);
    k.push('/');
    k.push_str(name);
    k
}

pub fn uid_string(uid: u128) -> String {
    let h = format!("{uid:032x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

pub fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Kubernetes' short "age" (`duration.HumanDuration`): 45s, 3m12s, 5h, 12d, 2y.
pub fn human_age(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 120 {
        return format!("{s}s");
    }
    let m = s / 60;
    if m < 10 {
        let rem = s % 60;
        return if rem == 0 {
            format!("{m}m")
        } else {
            format!("{m}m{rem}s")
        };
    }
    if m < 180 {
        return format!("{m}m");
    }
    let h = s / 3600;
    if h < 8 {
        let rem = m % 60;
        return if rem == 0 {
            format!("{h}h")
        } else {
            format!("{h}h{rem}m")
        };
    }
    if h < 48 {
        return format!("{h}h");
    }
    let d = h / 24;
    if h < 8 * 24 {
        let rem = h % 24;
        return if rem == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{rem}h")
        };
    }
    if d < 365 * 2 {
        return format!("{d}d");
    }
    format!("{}y", d / 365)
}

/// A deterministic 64-bit mix (splitmix64), for names, IPs and log lines
/// that are the same at every run.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Kubernetes' random-suffix alphabet (no vowels, no look-alikes).
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

pub fn suffix(seed: u64, len: usize) -> String {
    let mut x = mix(seed);
    (0..len)
        .map(|_| {
            let c = ALPHANUMS[(x % ALPHANUMS.len() as u64) as usize] as char;
            x = mix(x);
            c
        })
        .collect()
}

pub fn managed_entry(
    manager: &str,
    api_version: &str,
    time: i64,
    fields: Value,
    subresource: Option<&str>,
) -> Value {
    let mut e = json!({
        "manager": manager,
        "operation": "Update",
        "apiVersion": api_version,
        "time": rfc3339(time),
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
    });
    if let (Some(s), Some(obj)) = (subresource, e.as_object_mut()) {
        obj.insert("subresource".into(), json!(s));
    }
    e
}

//! A stored object: compact metadata plus a body that is compact for the
//! kinds that come by the hundred thousand (pods, nodes) and a JSON map for
//! the few others (deployments, config maps...).

use serde_json::{json, Map, Value};

use super::meta::{managed_entry, Meta};
use super::node::Node;
use super::pod::Pod;
use super::resources::Res;

#[derive(Clone, Debug)]
pub enum Body {
    Pod(Box<Pod>),
    Node(Box<Node>),
    /// Every top-level field but apiVersion, kind and metadata.
    Json(Map<String, Value>),
}

#[derive(Clone, Debug)]
pub struct Object {
    pub res: Res,
    pub meta: Meta,
    pub body: Body,
}

impl Object {
    pub fn to_json(&self) -> Value {
        match &self.body {
            Body::Pod(p) => p.to_json(&self.meta),
            Body::Node(n) => n.to_json(&self.meta),
            Body::Json(body) => {
                let info = self.res.info();
                let mut m = Map::new();
                m.insert("apiVersion".into(), json!(self.res.api_version()));
                m.insert("kind".into(), json!(info.kind));
                m.insert(
                    "metadata".into(),
                    self.meta.to_json(generic_managed(self, body)),
                );
                for (k, v) in body {
                    m.insert(k.clone(), v.clone());
                }
                Value::Object(m)
            }
        }
    }

    pub fn pod(&self) -> Option<&Pod> {
        match &self.body {
            Body::Pod(p) => Some(p),
            _ => None,
        }
    }

    pub fn node(&self) -> Option<&Node> {
        match &self.body {
            Body::Node(n) => Some(n),
            _ => None,
        }
    }

    pub fn json(&self) -> Option<&Map<String, Value>> {
        match &self.body {
            Body::Json(m) => Some(m),
            _ => None,
        }
    }

    pub fn json_mut(&mut self) -> Option<&mut Map<String, Value>> {
        match &mut self.body {
            Body::Json(m) => Some(m),
            _ => None,
        }
    }

    /// A field of a JSON body by path, e.g. `["spec", "replicas"]`.
    pub fn field(&self, path: &[&str]) -> Option<&Value> {
        let mut v = self.json()?.get(*path.first()?)?;
        for p in &path[1..] {
            v = v.get(p)?;
        }
        Some(v)
    }
}

/// One managedFields entry per writer, as a real cluster shows them: the
/// client that created the object, and the controller that owns its status.
fn generic_managed(obj: &Object, body: &Map<String, Value>) -> Value {
    let creator = match obj.res {
        Res::ReplicaSets | Res::Events => "kube-controller-manager",
        Res::Namespaces | Res::ConfigMaps | Res::Services => "kubectl-create",
        _ => "kubectl-client-side-apply",
    };
    let mut fields = Map::new();
    fields.insert("f:metadata".into(), obj.meta.fields_v1());
    for (k, v) in body {
        if k == "status" {
            continue;
        }
        let inner: Map<String, Value> = match v {
            Value::Object(o) => o.keys().map(|f| (format!("f:{f}"), json!({}))).collect(),
            _ => Map::new(),
        };
        fields.insert(format!("f:{k}"), Value::Object(inner));
    }
    let api = obj.res.api_version();
    let mut entries = vec![managed_entry(
        creator,
        api,
        obj.meta.created,
        Value::Object(fields),
        None,
    )];
    if let Some(Value::Object(status)) = body.get("status") {
        if obj.res != Res::Namespaces {
            let f: Map<String, Value> = status
                .keys()
                .map(|k| (format!("f:{k}"), json!({})))
                .collect();
            entries.push(managed_entry(
                "kube-controller-manager",
                api,
                obj.meta.created,
                json!({"f:status": f}),
                Some("status"),
            ));
        }
    }
    Value::Array(entries)
}

//! Authorisation as EKS does it with access policies (AmazonEKS*Policy,
//! whose rules follow Kubernetes' user-facing roles view/edit/admin/
//! cluster-admin) and their scopes, plus `system:masters`. Denials carry
//! Kubernetes' exact Forbidden message.

use serde_json::json;

use crate::api::status::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    ClusterAdmin,
    Admin,
    Edit,
    View,
    AdminView,
}

impl Role {
    pub fn from_policy_arn(arn: &str) -> Option<Role> {
        Some(match arn.rsplit('/').next()? {
            "AmazonEKSClusterAdminPolicy" => Role::ClusterAdmin,
            "AmazonEKSAdminPolicy" => Role::Admin,
            "AmazonEKSEditPolicy" => Role::Edit,
            "AmazonEKSViewPolicy" => Role::View,
            "AmazonEKSAdminViewPolicy" => Role::AdminView,
            _ => return None,
        })
    }

    /// Static-token groups named after Kubernetes' user-facing ClusterRoles.
    pub fn from_group(group: &str) -> Option<Role> {
        Some(match group {
            "system:masters" | "cluster-admin" => Role::ClusterAdmin,
            "admin" => Role::Admin,
            "edit" => Role::Edit,
            "view" => Role::View,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Association {
    pub role: Role,
    /// None: cluster scope.
    pub namespaces: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct User {
    pub username: String,
    pub uid: String,
    pub groups: Vec<String>,
    pub extra: Vec<(String, Vec<String>)>,
    pub associations: Vec<Association>,
}

/// What is being asked, in Kubernetes' authorizer attributes.
#[derive(Clone, Debug, Default)]
pub struct Attributes {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub subresource: String,
    pub namespace: String,
    pub name: String,
    /// A non-resource URL (/version, /api...) instead of a resource.
    pub path: Option<String>,
}

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];

fn cluster_scoped(resource: &str) -> bool {
    matches!(resource, "nodes" | "namespaces")
}

fn role_allows(role: Role, a: &Attributes) -> bool {
    let res = if a.subresource.is_empty() {
        a.resource.clone()
    } else {
        format!("{}/{}", a.resource, a.subresource)
    };
    let verb = a.verb.as_str();
    match role {
        Role::ClusterAdmin => true,
        Role::AdminView => READ.contains(&verb),
        Role::View | Role::Edit | Role::Admin => {
            if res == "nodes" {
                return false;
            }
            if READ.contains(&verb) {
                return res != "secrets";
            }
            if role == Role::View {
                return false;
            }
            WRITE.contains(&verb) && !cluster_scoped(&a.resource) && res != "pods/log"
        }
    }
}

fn association_allows(assoc: &Association, a: &Attributes) -> bool {
    if !role_allows(assoc.role, a) {
        return false;
    }
    match &assoc.namespaces {
        None => true,
        Some(list) => {
            !cluster_scoped(&a.resource)
                && !a.namespace.is_empty()
                && list.iter().any(|n| {
                    n == &a.namespace
                        || (n.ends_with('*') && a.namespace.starts_with(n.trim_end_matches('*')))
                })
        }
    }
}

/// Allowed, or the reason the authoriser gives.
pub fn authorize(user: &User, a: &Attributes) -> Result<(), String> {
    if user.groups.iter().any(|g| g == "system:masters") {
        return Ok(());
    }
    // Every authenticated user may discover the API and review itself.
    if a.path.is_some() {
        return Ok(());
    }
    if a.verb == "create"
        && ((a.group == "authentication.k8s.io" && a.resource == "selfsubjectreviews")
            || (a.group == "authorization.k8s.io"
                && matches!(
                    a.resource.as_str(),
                    "selfsubjectaccessreviews" | "selfsubjectrulesreviews"
                )))
    {
        return Ok(());
    }
    let from_groups = user
        .groups
        .iter()
        .filter_map(|g| Role::from_group(g))
        .map(|role| Association {
            role,
            namespaces: None,
        });
    if user
        .associations
        .iter()
        .cloned()
        .chain(from_groups)
        .any(|assoc| association_allows(&assoc, a))
    {
        return Ok(());
    }
    Err(String::new())
}

/// Kubernetes' Forbidden Status for a denied request.
pub fn forbidden(user: &User, a: &Attributes) -> ApiError {
    if let Some(path) = &a.path {
        return ApiError::new(
            403,
            "Forbidden",
            format!(
                "forbidden: User \"{}\" cannot {} path \"{path}\"",
                user.username, a.verb
            ),
        )
        .with_details(json!({}));
    }
    let qualified = if a.group.is_empty() {
        a.resource.clone()
    } else {
        format!("{}.{}", a.resource, a.group)
    };
    let subject = if a.name.is_empty() {
        format!("{qualified} is forbidden")
    } else {
        format!("{qualified} \"{}\" is forbidden", a.name)
    };
    let resource = if a.subresource.is_empty() {
        a.resource.clone()
    } else {
        format!("{}/{}", a.resource, a.subresource)
    };
    let scope = if a.namespace.is_empty() {
        "at the cluster scope".to_string()
    } else {
        format!("in the namespace \"{}\"", a.namespace)
    };
    let mut details = json!({"kind": a.resource});
    if !a.name.is_empty() {
        details["name"] = json!(a.name);
    }
    if !a.group.is_empty() {
        details["group"] = json!(a.group);
    }
    ApiError::new(
        403,
        "Forbidden",
        format!(
            "{subject}: User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" {scope}",
            user.username, a.verb, a.group
        ),
    )
    .with_details(details)
}

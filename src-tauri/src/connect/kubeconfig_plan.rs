//! The edits that put one EKS cluster's entries into a kubeconfig: only
//! what differs is edited, field by field, so that an entry's other fields
//! (a context's namespace, a user's other `env` variables, extensions,
//! anything unknown) stay, and a second identical write plans nothing.
//!
//! Owned by the writer, per entry it names: the cluster's `server` and
//! `certificate-authority-data`; the user's exec `apiVersion`, `command`,
//! `args` and its `AWS_PROFILE` variable; the context's `cluster` and
//! `user`; `current-context` only when asked.

use super::kubeconfig_entry::{Authenticator, EntryNames, KubeconfigEntry, EXEC_API_VERSION};
use super::yaml_edit_ops::{EditOp, PathStep, YamlPath};
use super::yaml_value::YamlValue;

/// Why the document is not a kubeconfig the writer can add to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapeError(pub String);

fn key(k: &str) -> PathStep {
    PathStep::Key(k.to_string())
}

fn set(at: YamlPath, k: &str, value: YamlValue) -> EditOp {
    EditOp::SetKey {
        at,
        key: k.to_string(),
        value,
    }
}

fn strs(items: &[String]) -> YamlValue {
    YamlValue::Seq(items.iter().map(|s| YamlValue::str(s)).collect())
}

/// The exec plugin's command and arguments, as the AWS CLI (or eks-desk)
/// writes them, and the `AWS_PROFILE` it runs with.
fn exec_command(entry: &KubeconfigEntry) -> (String, Vec<String>, Option<String>) {
    let owned = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match &entry.authenticator {
        Authenticator::Aws => {
            let args = owned(&[
                "--region",
                &entry.region,
                "eks",
                "get-token",
                "--cluster-name",
                &entry.cluster_name,
                "--output",
                "json",
            ]);
            ("aws".to_string(), args, entry.profile.clone())
        }
        Authenticator::EksDesk { binary } => {
            let mut args = owned(&[
                "token",
                "--cluster-name",
                &entry.cluster_name,
                "--region",
                &entry.region,
            ]);
            if let Some(profile) = &entry.profile {
                args.extend(owned(&["--profile", profile]));
            }
            (binary.display().to_string(), args, None)
        }
    }
}

fn profile_env(profile: &str) -> YamlValue {
    YamlValue::map([
        ("name", YamlValue::str("AWS_PROFILE")),
        ("value", YamlValue::str(profile)),
    ])
}

fn new_exec(entry: &KubeconfigEntry) -> YamlValue {
    let (command, args, profile) = exec_command(entry);
    let mut exec = YamlValue::map([
        ("apiVersion", YamlValue::str(EXEC_API_VERSION)),
        ("command", YamlValue::str(&command)),
        ("args", strs(&args)),
    ]);
    if let (Some(profile), YamlValue::Map(map)) = (profile, &mut exec) {
        map.insert("env".into(), YamlValue::Seq(vec![profile_env(&profile)]));
    }
    exec
}

/// The index of the entry named `name` in `section` (a kubeconfig list of
/// `{name, <kind>: {...}}`), the list itself (`None` when absent, null or
/// empty), or a shape error.
fn find_named<'a>(
    doc: &'a YamlValue,
    section: &str,
    name: &str,
) -> Result<(Option<&'a [YamlValue]>, Option<usize>), ShapeError> {
    let items = match doc.get(section) {
        None | Some(YamlValue::Null) => return Ok((None, None)),
        Some(YamlValue::Seq(items)) if items.is_empty() => return Ok((None, None)),
        Some(YamlValue::Seq(items)) => items,
        Some(other) => {
            return Err(ShapeError(format!(
                "`{section}` is {}, not a list",
                other.kind()
            )))
        }
    };
    for (i, item) in items.iter().enumerate() {
        if !matches!(item, YamlValue::Map(_)) {
            return Err(ShapeError(format!(
                "`{section}` item {} is {}, not a mapping",
                i + 1,
                item.kind()
            )));
        }
    }
    let found = items
        .iter()
        .position(|item| item.get("name").and_then(YamlValue::as_str) == Some(name));
    Ok((Some(items), found))
}

/// Adds `entry` to `section`, or hands the existing one to `update`.
fn upsert(
    doc: &YamlValue,
    section: &str,
    name: &str,
    entry: YamlValue,
    update: impl FnOnce(YamlPath, &YamlValue) -> Result<Vec<EditOp>, ShapeError>,
) -> Result<Vec<EditOp>, ShapeError> {
    match find_named(doc, section, name)? {
        (Some(items), Some(i)) => update(vec![key(section), PathStep::Index(i)], &items[i]),
        (Some(_), None) => Ok(vec![EditOp::Push {
            at: vec![key(section)],
            value: entry,
        }]),
        (None, _) => Ok(vec![set(vec![], section, YamlValue::Seq(vec![entry]))]),
    }
}

/// Sets each `(field, value)` of the mapping `inner` (at `at`, under its
/// entry as `inner_key`) that differs; the whole mapping when it is absent.
fn update_fields(
    at: YamlPath,
    entry: &YamlValue,
    inner_key: &str,
    fields: Vec<(&str, YamlValue)>,
) -> Result<Vec<EditOp>, ShapeError> {
    match entry.get(inner_key) {
        None | Some(YamlValue::Null) => {
            let map = YamlValue::Map(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            );
            Ok(vec![set(at, inner_key, map)])
        }
        Some(inner @ YamlValue::Map(_)) => {
            let mut inner_at = at;
            inner_at.push(key(inner_key));
            let mut ops = Vec::new();
            for (k, v) in fields {
                match (inner.get(k), &v) {
                    (Some(now), _) if now == &v => {}
                    // `args` of an older entry lacking the last flags: the
                    // missing ones are appended, so the list keeps its layout.
                    (Some(YamlValue::Seq(now)), YamlValue::Seq(wanted))
                        if !now.is_empty() && wanted.starts_with(now) =>
                    {
                        let mut list_at = inner_at.clone();
                        list_at.push(key(k));
                        ops.extend(wanted[now.len()..].iter().map(|item| EditOp::Push {
                            at: list_at.clone(),
                            value: item.clone(),
                        }));
                    }
                    _ => ops.push(set(inner_at.clone(), k, v)),
                }
            }
            Ok(ops)
        }
        Some(other) => Err(ShapeError(format!(
            "`{inner_key}` of an entry is {}, not a mapping",
            other.kind()
        ))),
    }
}

/// The `AWS_PROFILE` item of the exec `env` list at `exec_at` made to be
/// `profile` (or removed for `None`), other variables untouched.
fn profile_ops(
    exec_at: &YamlPath,
    exec: &YamlValue,
    profile: Option<&str>,
) -> Result<Vec<EditOp>, ShapeError> {
    let items = match exec.get("env") {
        None | Some(YamlValue::Null) => &[][..],
        Some(YamlValue::Seq(items)) => items,
        Some(other) => {
            return Err(ShapeError(format!(
                "exec `env` is {}, not a list",
                other.kind()
            )))
        }
    };
    let mut env_at = exec_at.clone();
    env_at.push(key("env"));
    let is_profile =
        |item: &YamlValue| item.get("name").and_then(YamlValue::as_str) == Some("AWS_PROFILE");
    let found: Vec<usize> = (0..items.len())
        .filter(|i| is_profile(&items[*i]))
        .collect();
    Ok(match (profile, found.first()) {
        (Some(p), Some(&i)) if items[i].get("value").and_then(YamlValue::as_str) == Some(p) => {
            vec![]
        }
        (Some(p), Some(&i)) => {
            let mut at = env_at;
            at.push(PathStep::Index(i));
            vec![set(at, "value", YamlValue::str(p))]
        }
        (Some(p), None) if items.is_empty() => {
            vec![set(
                exec_at.clone(),
                "env",
                YamlValue::Seq(vec![profile_env(p)]),
            )]
        }
        (Some(p), None) => vec![EditOp::Push {
            at: env_at,
            value: profile_env(p),
        }],
        // Last first, so the indices stay right.
        (None, _) => found
            .into_iter()
            .rev()
            .map(|index| EditOp::RemoveItem {
                at: env_at.clone(),
                index,
            })
            .collect(),
    })
}

fn user_ops(
    at: YamlPath,
    existing: &YamlValue,
    entry: &KubeconfigEntry,
) -> Result<Vec<EditOp>, ShapeError> {
    let exec = new_exec(entry);
    let user = match existing.get("user") {
        None | Some(YamlValue::Null) => {
            return Ok(vec![set(at, "user", YamlValue::map([("exec", exec)]))])
        }
        Some(user @ YamlValue::Map(_)) => user,
        Some(other) => {
            return Err(ShapeError(format!(
                "`user` of an entry is {}, not a mapping",
                other.kind()
            )))
        }
    };
    let mut user_at = at;
    user_at.push(key("user"));
    let (command, args, profile) = exec_command(entry);
    let mut ops = update_fields(
        user_at.clone(),
        user,
        "exec",
        vec![
            ("apiVersion", YamlValue::str(EXEC_API_VERSION)),
            ("command", YamlValue::str(&command)),
            ("args", strs(&args)),
        ],
    )?;
    match user.get("exec") {
        Some(current @ YamlValue::Map(_)) => {
            let mut exec_at = user_at;
            exec_at.push(key("exec"));
            ops.extend(profile_ops(&exec_at, current, profile.as_deref())?);
        }
        // The whole exec mapping was just set: add the profile to it.
        _ => {
            if let Some(p) = profile {
                let mut exec_at = user_at;
                exec_at.push(key("exec"));
                ops.push(set(exec_at, "env", YamlValue::Seq(vec![profile_env(&p)])));
            }
        }
    }
    Ok(ops)
}

/// The edits that make `doc` hold `entry` under `names`. `doc` must be a
/// mapping (an empty file is given the writer's skeleton first).
pub(crate) fn plan(
    doc: &YamlValue,
    entry: &KubeconfigEntry,
    names: &EntryNames,
) -> Result<Vec<EditOp>, ShapeError> {
    if !matches!(doc, YamlValue::Map(_)) {
        return Err(ShapeError(format!(
            "the document is {}, not a mapping",
            doc.kind()
        )));
    }
    let cluster_fields = vec![
        ("server", YamlValue::str(&entry.endpoint)),
        (
            "certificate-authority-data",
            YamlValue::str(&entry.certificate_authority_data),
        ),
    ];
    let context_fields = vec![
        ("cluster", YamlValue::str(&names.cluster)),
        ("user", YamlValue::str(&names.user)),
    ];
    let named = |name: &str, inner: &str, fields: &[(&str, YamlValue)]| {
        YamlValue::map([
            ("name", YamlValue::str(name)),
            (
                inner,
                YamlValue::Map(
                    fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect(),
                ),
            ),
        ])
    };
    let mut ops = upsert(
        doc,
        "clusters",
        &names.cluster,
        named(&names.cluster, "cluster", &cluster_fields),
        |at, existing| update_fields(at, existing, "cluster", cluster_fields.clone()),
    )?;
    let new_user = YamlValue::map([
        ("name", YamlValue::str(&names.user)),
        ("user", YamlValue::map([("exec", new_exec(entry))])),
    ]);
    ops.extend(upsert(
        doc,
        "users",
        &names.user,
        new_user,
        |at, existing| user_ops(at, existing, entry),
    )?);
    ops.extend(upsert(
        doc,
        "contexts",
        &names.context,
        named(&names.context, "context", &context_fields),
        |at, existing| update_fields(at, existing, "context", context_fields.clone()),
    )?);
    let current = doc.get("current-context").and_then(YamlValue::as_str);
    if entry.set_current && current != Some(names.context.as_str()) {
        ops.push(set(
            vec![],
            "current-context",
            YamlValue::str(&names.context),
        ));
    }
    Ok(ops)
}

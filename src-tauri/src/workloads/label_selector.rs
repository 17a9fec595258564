//! Kubernetes label selectors, as `kubectl get -l` takes them: `app=web`,
//! `tier!=db`, `env in (prod,staging)`, `env notin (dev)`, `canary`,
//! `!canary`, joined by commas. Parsed once per query, matched per row.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector(Vec<Requirement>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Not a label selector at \"{at}\": {reason} (for example app=web,tier!=db or env in (prod,staging))")]
pub struct SelectorError {
    pub at: String,
    pub reason: &'static str,
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 316
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

fn valid_value(value: &str) -> bool {
    value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Splits on commas that are not inside parentheses.
fn parts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

/// `key in (a,b)` (or `notin` when `negated`).
fn set(key: &str, part: &str, rest: &str, negated: bool) -> Result<Requirement, SelectorError> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or(SelectorError {
            at: part.to_string(),
            reason: "a set is written in parentheses",
        })?;
    let values: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).collect();
    if values.iter().any(|v| !valid_value(v)) {
        return Err(SelectorError {
            at: part.to_string(),
            reason: "label values are letters, digits, '-', '_' and '.' (at most 63)",
        });
    }
    let key = key.trim().to_string();
    Ok(if negated {
        Requirement::NotIn(key, values)
    } else {
        Requirement::In(key, values)
    })
}

impl LabelSelector {
    pub fn parse(text: &str) -> Result<Self, SelectorError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self::default());
        }
        let mut requirements = Vec::new();
        for part in parts(text) {
            let p = part.trim();
            let bad_key = |key: &str| SelectorError {
                at: key.to_string(),
                reason: "label keys are letters, digits, '-', '_', '.' and one '/' prefix",
            };
            let requirement = if let Some((key, value)) = p.split_once("!=") {
                Requirement::NotEquals(key.trim().into(), value.trim().into())
            } else if let Some((key, value)) = p.split_once("==").or_else(|| p.split_once('=')) {
                Requirement::Equals(key.trim().into(), value.trim().into())
            } else if let Some((key, rest)) = p.split_once(" notin ") {
                set(key, p, rest, true)?
            } else if let Some((key, rest)) = p.split_once(" in ") {
                set(key, p, rest, false)?
            } else if let Some(key) = p.strip_prefix('!') {
                Requirement::NotExists(key.trim().into())
            } else {
                Requirement::Exists(p.into())
            };
            let (key, value) = match &requirement {
                Requirement::Equals(k, v) | Requirement::NotEquals(k, v) => (k, Some(v)),
                Requirement::In(k, _)
                | Requirement::NotIn(k, _)
                | Requirement::Exists(k)
                | Requirement::NotExists(k) => (k, None),
            };
            if !valid_key(key) {
                return Err(bad_key(if key.is_empty() { p } else { key }));
            }
            if value.is_some_and(|v| !valid_value(v)) {
                return Err(SelectorError {
                    at: p.to_string(),
                    reason: "label values are letters, digits, '-', '_' and '.' (at most 63)",
                });
            }
            requirements.push(requirement);
        }
        Ok(Self(requirements))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_kind_of_requirement_matches_as_kubernetes_does() {
        let web = labels(&[("app", "web"), ("env", "prod"), ("canary", "")]);
        let db = labels(&[("app", "db"), ("env", "dev")]);
        for (selector, web_matches, db_matches) in [
            ("app=web", true, false),
            ("app==web", true, false),
            ("app!=web", false, true),
            ("env in (prod, staging)", true, false),
            ("env notin (prod)", false, true),
            ("canary", true, false),
            ("!canary", false, true),
            ("app=web,env in (prod)", true, false),
            ("tier!=x", true, true),
            ("", true, true),
            ("app.kubernetes.io/name", false, false),
        ] {
            let s = LabelSelector::parse(selector).unwrap();
            assert_eq!(s.matches(&web), web_matches, "{selector} on web");
            assert_eq!(s.matches(&db), db_matches, "{selector} on db");
        }
    }

    #[test]
    fn malformed_selectors_say_where() {
        for bad in ["app=we b", "=web", "env in prod", "a b c", "app=web,,"] {
            let err = LabelSelector::parse(bad).unwrap_err();
            assert!(
                err.to_string().contains("Not a label selector"),
                "{bad}: {err}"
            );
        }
    }
}

//! The edits of `yaml_edit_ops`, applied to the text through yaml-edit's
//! lossless syntax tree: comments, blank lines, quoting, indentation and
//! key order outside the edited nodes stay as the user wrote them.
//!
//! yaml-edit is lenient (it recovers from errors) and young, so this is
//! never trusted alone: the caller reads the result back with the strict
//! parser and compares it with the value the edits must give.

use super::yaml_edit_ops::{EditOp, PathStep};
use super::yaml_value::{self, YamlValue};
use std::str::FromStr;
use yaml_edit::{Document, Mapping, Sequence, YamlNode};

#[derive(Clone)]
enum Collection {
    Map(Mapping),
    Seq(Sequence),
}

fn walk(root: &Mapping, path: &[PathStep]) -> Option<Collection> {
    let mut node = Collection::Map(root.clone());
    for step in path {
        let child = match (&node, step) {
            (Collection::Map(map), PathStep::Key(key)) => map.get(key.as_str())?,
            (Collection::Seq(seq), PathStep::Index(i)) => seq.get(*i)?,
            _ => return None,
        };
        node = if let Some(map) = child.as_mapping() {
            Collection::Map(map.clone())
        } else {
            Collection::Seq(child.as_sequence()?.clone())
        };
    }
    Some(node)
}

/// A mapping or list value as a node of its own document (yaml-edit copies
/// it in, re-indented to where it goes).
fn collection_node(value: &YamlValue) -> Option<Collection> {
    let text = yaml_value::to_text(value).ok()?;
    let doc = Document::from_str(&text).ok()?;
    match value {
        YamlValue::Map(_) => doc.as_mapping().map(Collection::Map),
        YamlValue::Seq(_) => doc.as_sequence().map(Collection::Seq),
        _ => None,
    }
}

/// A string as serde-saphyr writes it (plain unless it must be quoted):
/// yaml-edit's own quoting is more cautious (`'--output'`) than the
/// surrounding, usually kubectl-written, text.
fn string_node(text: &str) -> Option<YamlNode> {
    let list = yaml_value::to_text(&YamlValue::Seq(vec![YamlValue::str(text)])).ok()?;
    Document::from_str(&list).ok()?.as_sequence()?.get(0)
}

fn set_key(map: &Mapping, key: &str, value: &YamlValue) -> Option<()> {
    match value {
        YamlValue::Null => map.set(key, Option::<i64>::None),
        YamlValue::Bool(b) => map.set(key, *b),
        YamlValue::Int(i) => map.set(key, *i),
        YamlValue::UInt(u) => map.set(key, *u),
        YamlValue::Float(x) => map.set(key, *x),
        YamlValue::Str(text) => map.set(key, string_node(text)?),
        YamlValue::Seq(_) | YamlValue::Map(_) => match collection_node(value)? {
            Collection::Map(node) => map.set(key, node),
            Collection::Seq(node) => map.set(key, node),
        },
    }
    Some(())
}

fn push(seq: &Sequence, value: &YamlValue) -> Option<()> {
    match value {
        YamlValue::Null => seq.push(Option::<i64>::None),
        YamlValue::Bool(b) => seq.push(*b),
        YamlValue::Int(i) => seq.push(*i),
        YamlValue::UInt(u) => seq.push(*u),
        YamlValue::Float(x) => seq.push(*x),
        YamlValue::Str(text) => seq.push(string_node(text)?),
        YamlValue::Seq(_) | YamlValue::Map(_) => match collection_node(value)? {
            Collection::Map(node) => seq.push(node),
            Collection::Seq(node) => seq.push(node),
        },
    }
    Some(())
}

/// `text` with `ops` applied, or `None` when yaml-edit cannot take the
/// document (not a mapping at the top) or an edit's path.
pub(crate) fn apply_keeping_layout(text: &str, ops: &[EditOp]) -> Option<String> {
    let doc = Document::from_str(text).ok()?;
    let root = doc.as_mapping()?;
    for op in ops {
        match op {
            EditOp::SetKey { at, key, value } => match walk(&root, at)? {
                Collection::Map(map) => set_key(&map, key, value)?,
                Collection::Seq(_) => return None,
            },
            EditOp::Push { at, value } => match walk(&root, at)? {
                Collection::Seq(seq) => push(&seq, value)?,
                Collection::Map(_) => return None,
            },
            EditOp::RemoveItem { at, index } => match walk(&root, at)? {
                Collection::Seq(seq) => {
                    seq.remove(*index)?;
                }
                Collection::Map(_) => return None,
            },
        }
    }
    Some(doc.to_string())
}

/// Whether the text has a comment anywhere (what a rewrite from the value
/// would lose).
pub(crate) fn has_comments(text: &str) -> bool {
    match Document::from_str(text) {
        Ok(doc) => doc.comments().next().is_some(),
        // Unreadable to yaml-edit: assume the worst.
        Err(_) => text.contains('#'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::yaml_edit_ops::apply_to_value;
    use crate::connect::yaml_value::parse;

    fn key(k: &str) -> PathStep {
        PathStep::Key(k.to_string())
    }

    /// Applies `ops` both ways and checks that they agree.
    fn both(text: &str, ops: &[EditOp]) -> String {
        let out = apply_keeping_layout(text, ops).expect("yaml-edit takes it");
        let mut expected = parse(text).expect("parses");
        apply_to_value(&mut expected, ops).expect("fits");
        assert_eq!(parse(&out).expect("output parses"), expected, "{out}");
        out
    }

    const COMMENTED: &str = "# my config\napiVersion: v1\nclusters:\n# the kind one\n- name: kind   # trailing\n  cluster:\n    server: https://127.0.0.1:6443\ncontexts: []\nusers: null\npreferences: {}\n";

    #[test]
    fn edits_keep_comments_and_other_entries() {
        let entry = parse("name: new\ncluster:\n  server: https://x\n").expect("parses");
        let out = both(
            COMMENTED,
            &[
                EditOp::Push {
                    at: vec![key("clusters")],
                    value: entry.clone(),
                },
                EditOp::SetKey {
                    at: vec![],
                    key: "contexts".into(),
                    value: YamlValue::Seq(vec![entry.clone()]),
                },
                EditOp::SetKey {
                    at: vec![],
                    key: "users".into(),
                    value: YamlValue::Seq(vec![entry]),
                },
                EditOp::SetKey {
                    at: vec![key("clusters"), PathStep::Index(0), key("cluster")],
                    key: "server".into(),
                    value: YamlValue::str("https://changed"),
                },
                EditOp::SetKey {
                    at: vec![],
                    key: "current-context".into(),
                    value: YamlValue::str("true"),
                },
            ],
        );
        for kept in ["# my config", "# the kind one", "- name: kind   # trailing"] {
            assert!(out.contains(kept), "{kept} lost:\n{out}");
        }
        assert!(has_comments(&out));
    }

    #[test]
    fn removes_a_list_item() {
        let text = "env:\n- name: A\n  value: a\n# keep me\n- name: B\n  value: b\n";
        let out = both(
            text,
            &[EditOp::RemoveItem {
                at: vec![key("env")],
                index: 0,
            }],
        );
        assert!(out.contains("name: B"), "{out}");
    }

    #[test]
    fn a_path_yaml_edit_cannot_follow_is_none() {
        let op = EditOp::Push {
            at: vec![key("missing")],
            value: YamlValue::Null,
        };
        assert_eq!(apply_keeping_layout("a: 1\n", &[op]), None);
        assert_eq!(apply_keeping_layout("- a\n- b\n", &[]), None);
    }

    #[test]
    fn comments_are_found() {
        assert!(!has_comments("a: 1\nb: '#not a comment'\n"));
        assert!(has_comments("a: 1 # yes\n"));
    }
}

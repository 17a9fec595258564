//! The few edits the kubeconfig writer makes, as data: planned once on the
//! document's value, then applied twice — to the value (what the file must
//! mean afterwards) and to the text (to keep its comments and layout). The
//! text is only written when its reading equals the edited value.

use super::yaml_value::YamlValue;

/// A step from a mapping to one of its values, or from a list to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PathStep {
    Key(String),
    Index(usize),
}

pub(crate) type YamlPath = Vec<PathStep>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EditOp {
    /// Sets `key` of the mapping at `at`, added at its end when absent.
    SetKey {
        at: YamlPath,
        key: String,
        value: YamlValue,
    },
    /// Appends to the list at `at`.
    Push { at: YamlPath, value: YamlValue },
    /// Removes item `index` of the list at `at`.
    RemoveItem { at: YamlPath, index: usize },
}

/// An edit whose path does not lead where it should: a planning mistake,
/// never a property of the user's file (the planner reads the same value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("internal error: edit {index} of the kubeconfig does not fit the document")]
pub struct EditMisfit {
    pub index: usize,
}

fn walk_mut<'a>(mut node: &'a mut YamlValue, path: &[PathStep]) -> Option<&'a mut YamlValue> {
    for step in path {
        node = match (node, step) {
            (YamlValue::Map(map), PathStep::Key(key)) => map.get_mut(key)?,
            (YamlValue::Seq(items), PathStep::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Applies `ops` in order; an empty document (`Null`) becomes a mapping
/// when a key is set on it.
pub(crate) fn apply_to_value(doc: &mut YamlValue, ops: &[EditOp]) -> Result<(), EditMisfit> {
    for (index, op) in ops.iter().enumerate() {
        let misfit = EditMisfit { index };
        match op {
            EditOp::SetKey { at, key, value } => {
                let node = walk_mut(doc, at).ok_or(misfit.clone())?;
                if node.is_null() {
                    *node = YamlValue::Map(Default::default());
                }
                let YamlValue::Map(map) = node else {
                    return Err(misfit);
                };
                map.insert(key.clone(), value.clone());
            }
            EditOp::Push { at, value } => match walk_mut(doc, at) {
                Some(YamlValue::Seq(items)) => items.push(value.clone()),
                _ => return Err(misfit),
            },
            EditOp::RemoveItem { at, index: item } => match walk_mut(doc, at) {
                Some(YamlValue::Seq(items)) if *item < items.len() => {
                    items.remove(*item);
                }
                _ => return Err(misfit),
            },
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connect::yaml_value::parse;

    fn key(k: &str) -> PathStep {
        PathStep::Key(k.to_string())
    }

    #[test]
    fn set_push_and_remove() {
        let mut doc = parse("a:\n  - x: 1\n  - y: 2\nb: {}\n").expect("parses");
        apply_to_value(
            &mut doc,
            &[
                EditOp::SetKey {
                    at: vec![key("a"), PathStep::Index(0)],
                    key: "x".into(),
                    value: YamlValue::Int(3),
                },
                EditOp::Push {
                    at: vec![key("a")],
                    value: YamlValue::str("z"),
                },
                EditOp::RemoveItem {
                    at: vec![key("a")],
                    index: 1,
                },
                EditOp::SetKey {
                    at: vec![key("b")],
                    key: "c".into(),
                    value: YamlValue::Null,
                },
            ],
        )
        .expect("fits");
        assert_eq!(
            doc,
            parse("a:\n  - x: 3\n  - z\nb: {c: null}\n").expect("parses")
        );
    }

    #[test]
    fn a_path_that_does_not_fit_names_the_edit() {
        let mut doc = parse("a: 1\n").expect("parses");
        let ops = [
            EditOp::SetKey {
                at: vec![],
                key: "b".into(),
                value: YamlValue::Int(2),
            },
            EditOp::Push {
                at: vec![key("a")],
                value: YamlValue::Null,
            },
        ];
        assert_eq!(apply_to_value(&mut doc, &ops), Err(EditMisfit { index: 1 }));
    }

    #[test]
    fn setting_a_key_on_an_empty_document_makes_a_mapping() {
        let mut doc = YamlValue::Null;
        let op = EditOp::SetKey {
            at: vec![],
            key: "kind".into(),
            value: YamlValue::str("Config"),
        };
        apply_to_value(&mut doc, &[op]).expect("fits");
        assert_eq!(doc, parse("kind: Config\n").expect("parses"));
    }
}

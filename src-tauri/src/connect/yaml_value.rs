//! A YAML document as plain data, in the order it was written: what the
//! kubeconfig writer plans its edits on and checks every rewrite against.
//!
//! It is read by serde-saphyr, a strict parser (yaml-edit, which does the
//! layout-keeping edits, recovers from syntax errors instead of refusing
//! them), so a file that is not YAML is refused here with its line and
//! column before anything else looks at it.
//!
//! A kubeconfig holds tokens and keys: `YamlValue` is crate-private, its
//! `Debug` prints no scalar, and parse errors carry no source snippet.

use indexmap::IndexMap;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use std::fmt;

#[derive(Clone, PartialEq)]
pub(crate) enum YamlValue {
    Null,
    Bool(bool),
    Int(i64),
    /// Above `i64::MAX`.
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<YamlValue>),
    Map(IndexMap<String, YamlValue>),
}

/// Where a document stops being YAML (1-based), and why, in the parser's
/// words without the quoted source line (which may hold a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlSyntaxError {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl YamlValue {
    pub(crate) fn get(&self, key: &str) -> Option<&YamlValue> {
        match self {
            YamlValue::Map(map) => map.get(key),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            YamlValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[YamlValue]> {
        match self {
            YamlValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, YamlValue::Null)
    }

    /// A mapping from `(key, value)` pairs, in that order.
    pub(crate) fn map<const N: usize>(pairs: [(&str, YamlValue); N]) -> YamlValue {
        YamlValue::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub(crate) fn str(text: &str) -> YamlValue {
        YamlValue::Str(text.to_string())
    }

    /// The kind, for messages that must not show the value.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            YamlValue::Null => "null",
            YamlValue::Bool(_) => "a boolean",
            YamlValue::Int(_) | YamlValue::UInt(_) | YamlValue::Float(_) => "a number",
            YamlValue::Str(_) => "a string",
            YamlValue::Seq(_) => "a list",
            YamlValue::Map(_) => "a mapping",
        }
    }
}

/// Shape only: the values of a kubeconfig are tokens and keys.
impl fmt::Debug for YamlValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YamlValue::Seq(items) => f.debug_list().entries(items).finish(),
            YamlValue::Map(map) => f.debug_map().entries(map.iter()).finish(),
            other => f.write_str(other.kind()),
        }
    }
}

/// Reads one YAML document. An empty document (or only comments) is `Null`.
pub(crate) fn parse(text: &str) -> Result<YamlValue, YamlSyntaxError> {
    if text.trim().is_empty() {
        return Ok(YamlValue::Null);
    }
    serde_saphyr::from_str::<YamlValue>(text).map_err(|e| {
        let location = e.location();
        YamlSyntaxError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message: parser_message(&e.to_string()),
        }
    })
}

/// "error: line 1 column 24: did not find ','\n --> <input>…" → "did not find ','".
fn parser_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or(full).trim();
    let first = first.strip_prefix("error:").unwrap_or(first).trim();
    match first.strip_prefix("line ") {
        Some(rest) => rest
            .split_once(": ")
            .map_or(first, |(_, message)| message)
            .to_string(),
        None => first.to_string(),
    }
}

/// The value as YAML text, block style.
pub(crate) fn to_text(value: &YamlValue) -> Result<String, serde_saphyr::SerializeError> {
    serde_saphyr::to_string(value)
}

impl serde::Serialize for YamlValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            YamlValue::Null => s.serialize_unit(),
            YamlValue::Bool(b) => s.serialize_bool(*b),
            YamlValue::Int(i) => s.serialize_i64(*i),
            YamlValue::UInt(u) => s.serialize_u64(*u),
            YamlValue::Float(x) => s.serialize_f64(*x),
            YamlValue::Str(text) => s.serialize_str(text),
            YamlValue::Seq(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            YamlValue::Map(map) => {
                let mut out = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }
        }
    }
}

// Hand-written because serde's `untagged` buffering does not take every
// scalar serde-saphyr hands over (it refused a plain kubeconfig).
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = YamlValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_none<E>(self) -> Result<YamlValue, E> {
        Ok(YamlValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_bool<E>(self, b: bool) -> Result<YamlValue, E> {
        Ok(YamlValue::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<YamlValue, E> {
        Ok(YamlValue::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<YamlValue, E> {
        Ok(i64::try_from(u).map_or(YamlValue::UInt(u), YamlValue::Int))
    }
    fn visit_f64<E>(self, x: f64) -> Result<YamlValue, E> {
        Ok(YamlValue::Float(x))
    }
    fn visit_str<E>(self, text: &str) -> Result<YamlValue, E> {
        Ok(YamlValue::Str(text.to_string()))
    }
    fn visit_string<E>(self, text: String) -> Result<YamlValue, E> {
        Ok(YamlValue::Str(text))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<YamlValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = access.next_element_seed(ValueSeed)? {
            items.push(item);
        }
        Ok(YamlValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<YamlValue, A::Error> {
        let mut map = IndexMap::new();
        while let Some(key) = access.next_key::<String>()? {
            let value = access.next_value_seed(ValueSeed)?;
            map.insert(key, value);
        }
        Ok(YamlValue::Map(map))
    }
}

struct ValueSeed;

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = YamlValue;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<YamlValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

impl<'de> serde::Deserialize<'de> for YamlValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<YamlValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_scalar_kinds() {
        let v = parse("b: 1\na: [x, 2.5, true, ~]\nbig: 18446744073709551615\nq: \"12\"\n")
            .expect("parses");
        let YamlValue::Map(map) = &v else {
            panic!("not a map: {v:?}")
        };
        assert_eq!(map.keys().collect::<Vec<_>>(), ["b", "a", "big", "q"]);
        assert_eq!(v.get("b"), Some(&YamlValue::Int(1)));
        assert_eq!(v.get("big"), Some(&YamlValue::UInt(u64::MAX)));
        assert_eq!(v.get("q"), Some(&YamlValue::str("12")));
        assert_eq!(
            v.get("a"),
            Some(&YamlValue::Seq(vec![
                YamlValue::str("x"),
                YamlValue::Float(2.5),
                YamlValue::Bool(true),
                YamlValue::Null
            ]))
        );
    }

    #[test]
    fn round_trips_through_text() {
        let v = parse("a:\n  - name: \"true\"\n    n: 7\n  - {}\nb: ''\n").expect("parses");
        let text = to_text(&v).expect("writes");
        assert_eq!(parse(&text).expect("reparses"), v, "{text}");
    }

    #[test]
    fn a_broken_document_gives_line_and_column_without_the_source() {
        let e = parse("users:\n- name: a\n  user:\n    token: s3cr3t: [x\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e:?}");
        assert!(e.column.is_some(), "{e:?}");
        assert!(!e.message.contains("s3cr3t"), "{e:?}");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e:?}");
    }

    #[test]
    fn debug_shows_the_shape_not_the_values() {
        let v = parse("token: very-secret\n").expect("parses");
        let shown = format!("{v:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("token"), "{shown}");
    }

    #[test]
    fn empty_text_is_null() {
        assert_eq!(parse("  \n"), Ok(YamlValue::Null));
        assert_eq!(parse("# only a comment\n"), Ok(YamlValue::Null));
    }
}

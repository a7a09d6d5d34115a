//! JSON store: an object at the top level, key order kept; output matches Go's
//! `json.Marshal` + `json.Indent` with one tab per level and a trailing newline, as sops
//! writes it (HTML characters escaped, integral floats without `.0`).

use super::tree::{format_float_f, Tree, Value};
use super::{Format, StoreError};

/// Parses a JSON document whose top level is an object.
///
/// # Errors
/// Syntax errors (line and column) or a top level that is not an object.
pub fn parse(bytes: &[u8]) -> Result<Tree, StoreError> {
    let Node(v) = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json's messages describe the syntax, never quote the input.
        let msg = e.to_string();
        let msg = msg
            .split(" at line ")
            .next()
            .unwrap_or("syntax error")
            .to_owned();
        StoreError::at(Format::Json, e.line(), e.column(), msg)
    })?;
    match v {
        Value::Map(_) => Ok(Tree::single(v)),
        mut other => {
            other.wipe();
            Err(StoreError::new(
                Format::Json,
                "the top level must be an object ({…}), not an array or a scalar",
            ))
        }
    }
}

/// A JSON value read straight into the tree. Objects keep every member in order, a
/// repeated key included, as sops' own decoder keeps them (its MAC covers both).
struct Node(Value);

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor).map(Node)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        #[allow(clippy::cast_precision_loss)] // as sops: past i64, a float
        Ok(i64::try_from(u).map_or(Value::Float(u as f64), Value::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(a.size_hint().unwrap_or(0).min(4096));
        loop {
            match a.next_element::<Node>() {
                Ok(Some(Node(v))) => items.push(v),
                Ok(None) => return Ok(Value::Seq(items)),
                Err(e) => {
                    Value::Seq(items).wipe();
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut entries = Vec::with_capacity(a.size_hint().unwrap_or(0).min(4096));
        loop {
            match a.next_entry::<String, Node>() {
                Ok(Some((k, Node(v)))) => entries.push((k, v)),
                Ok(None) => return Ok(Value::Map(entries)),
                Err(e) => {
                    Value::Map(entries).wipe();
                    return Err(e);
                }
            }
        }
    }
}

/// Emits tab-indented JSON with a trailing newline.
///
/// # Errors
/// When the tree has no document.
pub fn emit(tree: &Tree) -> Result<Vec<u8>, StoreError> {
    emit_with(tree, None)
}

/// Emits JSON indented by `spaces` per level (`None`: one tab, sops' default; `Some(0)`:
/// a line per item without indentation, as Go's `json.Indent` with an empty string).
///
/// # Errors
/// When the tree has no document.
pub fn emit_with(tree: &Tree, spaces: Option<usize>) -> Result<Vec<u8>, StoreError> {
    let Some(doc) = tree.docs.first() else {
        return Err(StoreError::new(Format::Json, "no document to write"));
    };
    // Go's encoding/json refuses a NaN or an infinity, and so does sops; sealbox's
    // own commands write null there.
    if super::go_stores() && has_non_finite(doc) {
        return Err(StoreError::new(
            Format::Json,
            "a float is NaN or infinite, which JSON cannot hold (json: unsupported value)",
        ));
    }
    let unit = spaces.map_or_else(|| "\t".to_owned(), |n| " ".repeat(n));
    // Sized up front: a large value (binary store) must not be copied by regrowth.
    let mut out = String::with_capacity(estimate(doc) + 16);
    write_value(&mut out, doc, 0, &unit);
    out.push('\n');
    Ok(out.into_bytes())
}

fn has_non_finite(v: &Value) -> bool {
    match v {
        Value::Float(f) => !f.is_finite(),
        Value::Map(m) => m.iter().any(|(_, v)| has_non_finite(v)),
        Value::Seq(s) => s.iter().any(has_non_finite),
        _ => false,
    }
}

/// One value as compact JSON (no whitespace, no trailing newline), as Go's
/// `json.Marshal` writes it.
#[must_use]
pub fn compact(v: &Value) -> String {
    let mut out = String::with_capacity(estimate(v));
    write_compact(&mut out, v);
    out
}

fn write_compact(out: &mut String, v: &Value) {
    match v {
        Value::Map(m) => {
            out.push('{');
            let entries = m.iter().filter(|(_, v)| !matches!(v, Value::Comment(_)));
            for (i, (k, v)) in entries.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, v);
            }
            out.push('}');
        }
        Value::Seq(s) => {
            out.push('[');
            let items = s.iter().filter(|v| !matches!(v, Value::Comment(_)));
            for (i, v) in items.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, v);
            }
            out.push(']');
        }
        scalar => write_value(out, scalar, 0, ""),
    }
}

fn estimate(v: &Value) -> usize {
    match v {
        Value::Str(s) | Value::Time(s) => s.len() + s.len() / 16 + 2,
        Value::Bytes(b) => b.len() * 2,
        Value::Map(m) => {
            m.iter()
                .map(|(k, v)| k.len() + 8 + estimate(v))
                .sum::<usize>()
                + 4
        }
        Value::Seq(s) => s.iter().map(|v| estimate(v) + 4).sum::<usize>() + 4,
        _ => 24,
    }
}

fn indent(out: &mut String, level: usize, unit: &str) {
    for _ in 0..level {
        out.push_str(unit);
    }
}

fn write_value(out: &mut String, v: &Value, level: usize, unit: &str) {
    match v {
        Value::Null | Value::Comment(_) => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&go_json_float(*f)),
        Value::Str(s) | Value::Time(s) => write_string(out, s),
        Value::Bytes(b) => write_bytes(out, b),
        Value::Map(m) => {
            let entries: Vec<_> = m
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Comment(_)))
                .collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{\n");
            for (i, (k, v)) in entries.iter().enumerate() {
                indent(out, level + 1, unit);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v, level + 1, unit);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level, unit);
            out.push('}');
        }
        Value::Seq(s) => {
            let items: Vec<_> = s
                .iter()
                .filter(|v| !matches!(v, Value::Comment(_)))
                .collect();
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push_str("[\n");
            for (i, v) in items.iter().enumerate() {
                indent(out, level + 1, unit);
                write_value(out, v, level + 1, unit);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            indent(out, level, unit);
            out.push(']');
        }
    }
}

/// Go `encoding/json` float formatting.
fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        return "null".to_owned();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
        if let Some(neg) = exp.strip_prefix('-') {
            format!("{mant}e-{neg}")
        } else {
            format!("{mant}e+{exp}")
        }
    } else {
        format_float_f(f)
    }
}

/// Writes bytes as a JSON string the way Go's `json.Marshal` writes a Go string that
/// is not UTF-8: each byte that starts no valid character as `\ufffd`.
fn write_bytes(out: &mut String, b: &[u8]) {
    out.push('"');
    for chunk in b.utf8_chunks() {
        write_string_body(out, chunk.valid());
        for _ in chunk.invalid() {
            out.push_str("\\ufffd");
        }
    }
    out.push('"');
}

/// Writes a JSON string the way Go's `json.Marshal` escapes it.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    write_string_body(out, s);
    out.push('"');
}

/// [`write_string`] without the quotes.
fn write_string_body(out: &mut String, s: &str) {
    let plain = !s
        .bytes()
        .any(|b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xe2));
    if plain {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
}

//! Flattening of the metadata tree for dotenv (`sops_` prefix) and INI (`[sops]`):
//! `__map_KEY` and `__list_N` markers, as sops writes them. Unflattening rejects
//! conflicting shapes instead of guessing.

use crate::store::Value;

/// Flattens a metadata tree into `(key, string)` pairs.
#[must_use]
pub fn flatten(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Value::Map(m) = v {
        for (k, v) in m {
            walk(k.clone(), v, &mut out);
        }
    }
    out
}

fn walk(prefix: String, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Map(m) => {
            for (k, v) in m {
                walk(format!("{prefix}__map_{k}"), v, out);
            }
        }
        Value::Seq(s) => {
            for (i, v) in s.iter().enumerate() {
                walk(format!("{prefix}__list_{i}"), v, out);
            }
        }
        Value::Str(s) => out.push((prefix, s.clone())),
        Value::Int(i) => out.push((prefix, i.to_string())),
        Value::Bool(b) => out.push((prefix, b.to_string())),
        Value::Null | Value::Comment(_) => {}
        other => out.push((prefix, crate::sops::metadata_scalar(other))),
    }
}

/// At most this many keys in one map below the top of the metadata (a stanza has a few).
pub const MAX_MAP_LEN: usize = 256;

/// At most this many bytes in one flattened metadata key.
pub const MAX_KEY_LEN: usize = 1024;

/// Orders flattened keys by their list indices only (map steps compare equal, before
/// list steps; a shorter path first): a total preorder, so a stable sort keeps every
/// other order as it was.
fn order(a: &[Tok], b: &[Tok]) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    for (x, y) in a.iter().zip(b) {
        let o = match (x, y) {
            (Tok::Map(_), Tok::Map(_)) => Ordering::Equal,
            (Tok::Map(_), Tok::List(_)) => Ordering::Less,
            (Tok::List(_), Tok::Map(_)) => Ordering::Greater,
            (Tok::List(i), Tok::List(j)) => i.cmp(j),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// At most this many flattened metadata keys (a file with a thousand recipients has a
/// few thousand).
pub const MAX_KEYS: usize = 20_000;

enum Tok {
    Map(String),
    List(usize),
}

fn tokenize(key: &str) -> Option<(String, Vec<Tok>)> {
    let mut toks = Vec::new();
    let (head, mut rest) = match key.find("__") {
        Some(i) => (&key[..i], &key[i..]),
        None => return Some((key.to_owned(), toks)),
    };
    while !rest.is_empty() {
        if toks.len() >= 32 {
            return None;
        }
        let next_marker = |s: &str| {
            let a = s.find("__map_");
            let b = s.find("__list_");
            match (a, b) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        if let Some(r) = rest.strip_prefix("__map_") {
            let end = next_marker(r).unwrap_or(r.len());
            toks.push(Tok::Map(r[..end].to_owned()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("__list_") {
            let end = next_marker(r).unwrap_or(r.len());
            toks.push(Tok::List(r[..end].parse().ok()?));
            rest = &r[end..];
        } else {
            // "__" that is not a marker: part of the key name.
            return Some((key.to_owned(), Vec::new()));
        }
    }
    Some((head.to_owned(), toks))
}

fn insert(node: &mut Value, toks: &[Tok], value: String) -> Result<(), String> {
    let Some((first, rest)) = toks.split_first() else {
        return Err("a metadata key is both a value and a container".to_owned());
    };
    let child = match first {
        Tok::Map(k) => {
            if matches!(node, Value::Null) {
                *node = Value::Map(Vec::new());
            }
            let Value::Map(m) = node else {
                return Err("metadata mixes list and map entries".to_owned());
            };
            if let Some(i) = m.iter().position(|(kk, _)| kk == k) {
                &mut m[i].1
            } else if m.len() >= MAX_MAP_LEN {
                return Err(format!(
                    "a metadata map has more than {MAX_MAP_LEN} keys (not a sops file)"
                ));
            } else {
                m.push((k.clone(), Value::Null));
                let last = m.len() - 1;
                &mut m[last].1
            }
        }
        Tok::List(i) => {
            if matches!(node, Value::Null) {
                *node = Value::Seq(Vec::new());
            }
            let Value::Seq(s) = node else {
                return Err("metadata mixes list and map entries".to_owned());
            };
            // sops writes list items in order: an index is an existing item or the next
            // one. Anything else would make a few bytes of input allocate without bound.
            if *i > s.len() {
                return Err(
                    "a metadata list index skips ahead (sops writes list items in order)"
                        .to_owned(),
                );
            }
            if *i == s.len() {
                s.push(Value::Null);
            }
            &mut s[*i]
        }
    };
    if rest.is_empty() {
        if !matches!(child, Value::Null) {
            return Err("a metadata key appears twice".to_owned());
        }
        *child = Value::Str(value);
        Ok(())
    } else {
        insert(child, rest, value)
    }
}

/// Rebuilds the metadata tree from flattened pairs.
///
/// # Errors
/// Conflicting shapes, gaps in lists, malformed indices.
pub fn unflatten(pairs: Vec<(String, String)>) -> Result<Value, super::metadata::MetadataError> {
    unflatten_pairs(pairs).map_err(super::metadata::MetadataError::from)
}

fn unflatten_pairs(pairs: Vec<(String, String)>) -> Result<Value, String> {
    if pairs.len() > MAX_KEYS {
        return Err(format!(
            "{} metadata keys (more than {MAX_KEYS}: not a sops file)",
            pairs.len()
        ));
    }
    let mut items = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        if k.len() > MAX_KEY_LEN {
            return Err(format!("a metadata key is longer than {MAX_KEY_LEN} bytes"));
        }
        let (head, toks) = tokenize(&k).ok_or_else(|| format!("malformed metadata key '{k}'"))?;
        items.push((k, head, toks, v));
    }
    // List items in index order (a tool may have sorted the lines as text, putting
    // `__list_10` before `__list_2`); everything else keeps its order.
    items.sort_by(|a, b| order(&a.2, &b.2));
    let mut root = Value::Map(Vec::new());
    let mut heads: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (k, head, toks, v) in items {
        let Value::Map(m) = &mut root else {
            return Err("internal: metadata root".to_owned());
        };
        let idx = match heads.get(&head) {
            Some(i) => *i,
            None => {
                heads.insert(head.clone(), m.len());
                m.push((head, Value::Null));
                m.len() - 1
            }
        };
        let slot = &mut m[idx].1;
        if toks.is_empty() {
            if !matches!(slot, Value::Null) {
                return Err(format!("metadata key '{k}' appears twice"));
            }
            *slot = Value::Str(v);
        } else {
            insert(slot, &toks, v)?;
        }
    }
    fn no_gaps(v: &Value) -> bool {
        match v {
            Value::Seq(s) => s.iter().all(|x| !matches!(x, Value::Null) && no_gaps(x)),
            Value::Map(m) => m.iter().all(|(_, x)| no_gaps(x)),
            _ => true,
        }
    }
    if !no_gaps(&root) {
        return Err("metadata list has a gap".to_owned());
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lines: &[&str]) -> Vec<(String, String)> {
        lines
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or((l, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    #[test]
    fn lines_sorted_as_text_still_unflatten() {
        let mut lines: Vec<String> = (0..12)
            .map(|i| format!("age__list_{i}__map_recipient=r{i}"))
            .collect();
        lines.sort();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let v = unflatten(pairs(&refs)).unwrap();
        let Some(Value::Seq(items)) = v.get("age") else {
            panic!("no list");
        };
        assert_eq!(items.len(), 12);
        assert_eq!(
            items[10].get("recipient").and_then(Value::as_str),
            Some("r10")
        );
    }

    #[test]
    fn bombs_and_gaps_are_refused() {
        assert!(unflatten(pairs(&["x__list_10000=1"])).is_err());
        assert!(unflatten(pairs(&["x__list_0=1", "x__list_2=1"])).is_err());
        let wide: Vec<String> = (0..300).map(|i| format!("x__map_m__map_k{i}=1")).collect();
        let refs: Vec<&str> = wide.iter().map(String::as_str).collect();
        assert!(unflatten(pairs(&refs)).is_err());
        let long = format!("x__map_{}=1", "k".repeat(2000));
        assert!(unflatten(pairs(&[long.as_str()])).is_err());
    }
}

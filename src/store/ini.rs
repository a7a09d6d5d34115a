//! INI store with go-ini semantics as sops uses them: `[section]` headers, `key = value`
//! (first `=` or `:`), `;`/`#` comment lines, `"""` multi-line and quoted values, keys
//! before any section in `DEFAULT`. Output is go-ini's pretty format (aligned `=`).

use super::tree::{Tree, Value};
use super::{Format, StoreError};

const DEFAULT: &str = "DEFAULT";

/// Parses INI text into a mapping of sections.
///
/// # Errors
/// Malformed headers, lines without a delimiter, unterminated `"""` values.
pub fn parse(bytes: &[u8]) -> Result<Tree, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        StoreError::new(
            Format::Ini,
            format!("not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    let mut sections: Vec<(String, Value)> = Vec::new();
    let mut pending: Vec<(String, Value)> = Vec::new();
    let mut current: Option<usize> = None;
    let mut lines = text.lines().enumerate();
    while let Some((n, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with(';') || line.starts_with('#') {
            let c = line.trim_start_matches(['#', ';', ' ']);
            pending.push(Value::comment_entry(c.to_owned()));
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(StoreError::at(
                    Format::Ini,
                    n + 1,
                    1,
                    "section header without closing ']'",
                ));
            };
            let name = name.trim().to_owned();
            let idx = match sections.iter().position(|(s, _)| *s == name) {
                Some(i) => i,
                None => {
                    sections.push((name, Value::Map(Vec::new())));
                    sections.len() - 1
                }
            };
            if let Some((_, Value::Map(items))) = sections.get_mut(idx) {
                items.append(&mut pending);
            }
            current = Some(idx);
            continue;
        }
        // A key may be quoted with backticks or double quotes (go-ini writes keys that
        // contain '=' or ':' that way); the delimiter comes after the closing quote.
        let key_end = match line.chars().next() {
            Some(q @ ('`' | '"')) => line[1..].find(q).map_or(0, |i| i + 2),
            _ => 0,
        };
        let Some(pos) = line[key_end..].find(['=', ':']).map(|p| p + key_end) else {
            return Err(StoreError::at(
                Format::Ini,
                n + 1,
                1,
                "expected 'key = value'",
            ));
        };
        let key = unquote_key(line[..pos].trim());
        if key.is_empty() {
            return Err(StoreError::at(Format::Ini, n + 1, 1, "empty key"));
        }
        let mut value = line[pos + 1..].trim().to_owned();
        if let Some(rest) = value.strip_prefix("\"\"\"") {
            let rest = rest.to_owned();
            if let Some(end) = rest.find("\"\"\"") {
                value = rest[..end].to_owned();
            } else {
                let mut acc = rest;
                let mut closed = false;
                for (_, more) in lines.by_ref() {
                    acc.push('\n');
                    if let Some(end) = more.find("\"\"\"") {
                        acc.push_str(&more[..end]);
                        closed = true;
                        break;
                    }
                    acc.push_str(more);
                }
                if !closed {
                    return Err(StoreError::at(
                        Format::Ini,
                        n + 1,
                        pos + 2,
                        "unterminated \"\"\" value",
                    ));
                }
                value = acc;
            }
        } else if value.len() >= 2
            && ((value.starts_with('"') && value.ends_with('"'))
                || (value.starts_with('`') && value.ends_with('`')))
        {
            value = value[1..value.len() - 1].to_owned();
        }
        let idx = match current {
            Some(i) => i,
            None => {
                let i = match sections.iter().position(|(s, _)| s == DEFAULT) {
                    Some(i) => i,
                    None => {
                        sections.push((DEFAULT.to_owned(), Value::Map(Vec::new())));
                        sections.len() - 1
                    }
                };
                current = Some(i);
                i
            }
        };
        if let Some((_, Value::Map(items))) = sections.get_mut(idx) {
            items.append(&mut pending);
            items.push((key, Value::Str(value)));
        }
    }
    if !pending.is_empty() {
        let idx = match current {
            Some(i) => i,
            None => {
                sections.push((DEFAULT.to_owned(), Value::Map(Vec::new())));
                sections.len() - 1
            }
        };
        if let Some((_, Value::Map(items))) = sections.get_mut(idx) {
            items.append(&mut pending);
        }
    }
    Ok(Tree::single(Value::Map(sections)))
}

fn unquote_key(k: &str) -> String {
    if k.len() >= 2
        && ((k.starts_with('`') && k.ends_with('`')) || (k.starts_with('"') && k.ends_with('"')))
    {
        k[1..k.len() - 1].to_owned()
    } else {
        k.to_owned()
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) | Value::Time(s) => s.clone(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => super::tree::format_float_f(*f),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        _ => return None,
    })
}

/// Writes a value so that our reader (and go-ini) gives it back; `None` when no INI
/// quoting can represent it.
fn quote_value(val: &str) -> Option<String> {
    let wrapped = |q: &str| val.len() >= 2 && val.starts_with(q) && val.ends_with(q);
    let needs = val.contains(['\n', '\r', '#', ';'])
        || val.trim() != val
        || wrapped("\"")
        || wrapped("`")
        || val.starts_with("\"\"\"");
    if !needs {
        return Some(val.to_owned());
    }
    let triple_ok = !val.contains("\"\"\"") && !val.starts_with('"') && !val.ends_with('"');
    if val.contains(['\n', '\r']) {
        return triple_ok.then(|| format!("\"\"\"{val}\"\"\""));
    }
    if !val.contains('`') {
        Some(format!("`{val}`"))
    } else if !val.contains('"') {
        Some(format!("\"{val}\""))
    } else if triple_ok {
        Some(format!("\"\"\"{val}\"\"\""))
    } else {
        None
    }
}

fn quote_key(k: &str) -> Option<String> {
    let risky = k.contains(['=', ':']) || k.trim() != k || k.starts_with(['[', ';', '#', '"', '`']);
    if !risky {
        Some(k.to_owned())
    } else if !k.contains('`') {
        Some(format!("`{k}`"))
    } else if !k.contains('"') {
        Some(format!("\"{k}\""))
    } else {
        None
    }
}

/// Emits go-ini pretty format.
///
/// # Errors
/// When the top level is not a mapping of sections or a section holds a nested value.
pub fn emit(tree: &Tree) -> Result<Vec<u8>, StoreError> {
    let Some(Value::Map(sections)) = tree.docs.first() else {
        return Err(StoreError::new(
            Format::Ini,
            "top level must be a mapping of sections",
        ));
    };
    let mut out = String::new();
    let mut first = true;
    // DEFAULT goes first, without a header.
    let ordered = sections
        .iter()
        .filter(|(n, _)| n == DEFAULT)
        .chain(sections.iter().filter(|(n, _)| n != DEFAULT));
    for (name, body) in ordered {
        if let Value::Comment(c) = body {
            out.push_str(&format!("; {c}\n"));
            continue;
        }
        let Value::Map(items) = body else {
            return Err(StoreError::new(
                Format::Ini,
                format!("top-level key '{name}' is not a section; INI needs [section] key = value"),
            ));
        };
        if name == DEFAULT && items.is_empty() {
            continue;
        }
        if !first {
            out.push('\n');
        }
        first = false;
        let lead = items
            .iter()
            .take_while(|(_, v)| matches!(v, Value::Comment(_)))
            .count();
        let (head, rest) = items.split_at(lead);
        for (_, c) in head {
            if let Value::Comment(c) = c {
                out.push_str(&format!("; {c}\n"));
            }
        }
        if name != DEFAULT {
            out.push_str(&format!("[{name}]\n"));
        }
        let width = rest
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Comment(_)))
            .map(|(k, _)| quote_key(k).map_or(0, |q| q.chars().count()))
            .max()
            .unwrap_or(0);
        for (k, v) in rest {
            if let Value::Comment(c) = v {
                out.push_str(&format!("; {c}\n"));
                continue;
            }
            let Some(text) = scalar_text(v) else {
                return Err(StoreError::new(
                    Format::Ini,
                    format!(
                        "key '{k}' in [{name}] holds a nested {}; INI values must be scalars",
                        v.type_name()
                    ),
                ));
            };
            let Some(qk) = quote_key(k) else {
                return Err(StoreError::new(
                    Format::Ini,
                    format!(
                        "key in [{name}] mixes quotes and '=' or ':' in a way INI cannot write"
                    ),
                ));
            };
            let Some(qv) = quote_value(&text) else {
                return Err(StoreError::new(
                    Format::Ini,
                    format!(
                        "the value of '{k}' in [{name}] mixes quotes in a way INI cannot write"
                    ),
                ));
            };
            out.push_str(&format!("{qk:width$} = {qv}\n"));
        }
    }
    Ok(out.into_bytes())
}

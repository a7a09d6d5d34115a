//! dotenv store. Encrypted files and `edit` use sops' semantics ([`parse_sops`]):
//! `KEY=value` split at the first `=`, no trimming, no quote handling, `\n` escapes,
//! `#` comment lines. A plaintext `.env` being encrypted is read with the common dotenv
//! convention for quoted values ([`parse`]), as direnv and python-dotenv read it:
//! `'…'` is literal, `"…"` knows the escapes `\\`, `\"`, `\n`, `\r` and `\t`, and a
//! `#` comment may follow the closing quote after whitespace. Unquoted values keep
//! sops' semantics, so `sealbox encrypt` and `sops encrypt` agree on them. Values are
//! strings.

use super::tree::{format_float_f, Tree, Value};
use super::{Format, StoreError};

/// Whether the rest of a line after a closing quote is only whitespace or a comment.
fn only_trailer(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The value a quoted dotenv value stands for, or `None` when `v` is not one whole
/// quoted value (then it is taken as written, as sops does).
#[must_use]
pub fn unquote(v: &str) -> Option<String> {
    if let Some(body) = v.strip_prefix('\'') {
        let end = body.find('\'')?;
        let (inner, rest) = body.split_at(end);
        return only_trailer(&rest[1..]).then(|| inner.to_owned());
    }
    let body = v.strip_prefix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return only_trailer(&body[i + 1..]).then_some(out),
            '\\' => match chars.next() {
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 't')) => out.push('\t'),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// Parses a plaintext `.env` file: quoted values as the dotenv convention reads them
/// ([`unquote`]), anything else as sops does.
///
/// # Errors
/// A line without `=`, an empty key, or content that is not UTF-8.
pub fn parse(bytes: &[u8]) -> Result<Tree, StoreError> {
    parse_with(bytes, true)
}

/// Parses dotenv text exactly as sops does (encrypted files, `edit`).
///
/// # Errors
/// As [`parse`].
pub fn parse_sops(bytes: &[u8]) -> Result<Tree, StoreError> {
    parse_with(bytes, false)
}

fn parse_with(bytes: &[u8], quotes: bool) -> Result<Tree, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        StoreError::new(
            Format::Dotenv,
            format!("not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    let mut items = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            items.push(Value::comment_entry(c.to_owned()));
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(StoreError::at(
                Format::Dotenv,
                n + 1,
                1,
                "expected KEY=value (no '=' on this line)",
            ));
        };
        if k.is_empty() {
            return Err(StoreError::at(
                Format::Dotenv,
                n + 1,
                1,
                "empty key before '='",
            ));
        }
        if quotes {
            if let Some(v) = unquote(v) {
                items.push((k.to_owned(), Value::Str(v)));
                continue;
            }
        }
        let v = if v.contains('\\') && v.contains("\\n") {
            v.replace("\\n", "\n")
        } else {
            v.to_owned()
        };
        items.push((k.to_owned(), Value::Str(v)));
    }
    Ok(Tree::single(Value::Map(items)))
}

/// Renders a scalar as a dotenv value string.
fn scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) | Value::Time(s) => s.clone(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => {
            let s = format_float_f(*f);
            if s.contains(['.', 'e', 'N', 'I']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        _ => return None,
    })
}

/// Emits dotenv text.
///
/// # Errors
/// When a value is a mapping or sequence, which dotenv cannot hold.
pub fn emit(tree: &Tree) -> Result<Vec<u8>, StoreError> {
    let mut out = String::new();
    for doc in &tree.docs {
        let Value::Map(items) = doc else {
            return Err(StoreError::new(
                Format::Dotenv,
                "top level must be a mapping",
            ));
        };
        for (k, v) in items {
            if let Value::Comment(c) = v {
                out.push('#');
                out.push_str(c);
                out.push('\n');
                continue;
            }
            let Some(text) = scalar_text(v) else {
                return Err(StoreError::new(
                    Format::Dotenv,
                    format!(
                        "key '{k}' holds a nested {}; dotenv values must be scalars",
                        v.type_name()
                    ),
                ));
            };
            out.push_str(k);
            out.push('=');
            out.push_str(&text.replace('\n', "\\n"));
            out.push('\n');
        }
    }
    Ok(out.into_bytes())
}

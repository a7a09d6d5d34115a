//! dotenv store. Encrypted files and `edit` use sops' semantics ([`parse_sops`]):
//! `KEY=value` split at the first `=`, no trimming, no quote handling, `\n` escapes,
//! `#` comment lines. A plaintext `.env` being encrypted is read with the common dotenv
//! convention for quoted values ([`parse`]), as direnv and python-dotenv read it:
//! `'…'` is literal, `"…"` knows the escapes `\\`, `\"`, `\n`, `\r` and `\t`, and a
//! `#` comment may follow the closing quote after whitespace. Unquoted values keep
//! sops' semantics, so `sealbox encrypt` and `sops encrypt` agree on them. Values are
//! strings.

use super::tree::{Tree, Value};
use super::{Format, StoreError};

/// Whether the rest of a line after a closing quote is only whitespace or a comment.
fn only_trailer(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches([' ', '\t', '\r']);
    // A comment needs whitespace before its `#` (`'x'#y` is one literal value).
    trimmed.is_empty() || (trimmed.len() < rest.len() && trimmed.starts_with('#'))
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

/// A dotenv value that direnv (2.32+), python-dotenv and sealbox's own reader all read
/// back as `v`, or `None` when no quoting does:
/// - single quotes, the first choice: literal in direnv and sealbox; python-dotenv reads
///   `\\` and `\'` as escapes there, so not for a value with `'`, a line break, two
///   backslashes in a row, or a trailing backslash;
/// - otherwise double quotes with `\\`, `\"`, `\n` and `\r` escapes: direnv expands
///   `$VAR` there (with no escape for `$`) and turns a backslash followed by `n` or `r`
///   into a line break even when that backslash was escaped, so not for those; and
///   python-dotenv takes an escaped backslash before the closing quote for an escaped
///   quote (then reads on into the next lines), so not for a trailing backslash;
/// - otherwise bare, for a value like `C:\dir\` (letters, digits, `_-./:@+,%=\`);
/// - python-dotenv expands `${…}` in every quoting, so never for that.
#[must_use]
pub fn quote(v: &str) -> Option<String> {
    if v.find("${").is_some_and(|i| v[i..].contains('}')) {
        return None;
    }
    if !v.contains(['\'', '\n', '\r']) && !v.contains("\\\\") && !v.ends_with('\\') {
        return Some(format!("'{v}'"));
    }
    if v.contains('$') || v.contains("\\n") || v.contains("\\r") || v.ends_with('\\') {
        // Bare: direnv takes no space there and expands `$`; sealbox turns `\n` into a
        // line break.
        let bare = !v.is_empty()
            && !v.contains("\\n")
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-./:@+,%=\\".contains(c));
        return bare.then(|| v.to_owned());
    }
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c => s.push(c),
        }
    }
    s.push('"');
    Some(s)
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
        // sops takes `=value` as a key with no name; sealbox's own reading refuses it.
        if k.is_empty() && quotes {
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

/// Emits dotenv text.
///
/// # Errors
/// When a value is a mapping or sequence, which dotenv cannot hold.
pub fn emit(tree: &Tree) -> Result<Vec<u8>, StoreError> {
    // Bytes: a value that is not UTF-8 (a binary file, `!!binary`) is written as it is,
    // as sops writes it.
    let mut out: Vec<u8> = Vec::new();
    // sops writes the first document only.
    let docs = if super::go_stores() {
        &tree.docs[..tree.docs.len().min(1)]
    } else {
        &tree.docs[..]
    };
    for doc in docs {
        let Value::Map(items) = doc else {
            return Err(StoreError::new(
                Format::Dotenv,
                "top level must be a mapping",
            ));
        };
        for (k, v) in items {
            if let Value::Comment(c) = v {
                out.push(b'#');
                out.extend_from_slice(c.as_bytes());
                out.push(b'\n');
                continue;
            }
            let text = match v {
                Value::Bytes(b) => Some(b.clone()),
                _ => super::flat_scalar_text(v).map(String::into_bytes),
            }
            .map(zeroize::Zeroizing::new);
            let Some(text) = text else {
                return Err(StoreError::new(
                    Format::Dotenv,
                    format!(
                        "key '{k}' holds a nested {}; dotenv values must be scalars",
                        v.type_name()
                    ),
                ));
            };
            out.extend_from_slice(k.as_bytes());
            out.push(b'=');
            for &b in text.iter() {
                if b == b'\n' {
                    out.extend_from_slice(b"\\n");
                } else {
                    out.push(b);
                }
            }
            out.push(b'\n');
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_back(line: &str) -> String {
        let tree = parse(line.as_bytes()).expect("parse");
        match tree.docs.first() {
            Some(Value::Map(items)) => match items.first() {
                Some((_, Value::Str(s))) => s.clone(),
                _ => panic!("no string value"),
            },
            _ => panic!("no map"),
        }
    }

    #[test]
    fn quoted_values_follow_the_dotenv_convention() {
        for (line, want) in [
            ("K='a \"b\" $HOME \\n'", "a \"b\" $HOME \\n"),
            (
                "K=\"it's \\\"x\\\" \\\\ \\n\\r\\t\"",
                "it's \"x\" \\ \n\r\t",
            ),
            ("K='x'  # comment", "x"),
            ("K=\"x\" #c", "x"),
            ("K=\"x\"#c", "\"x\"#c"),
            ("K=''#", "''#"),
            ("K=''", ""),
            // Not one whole quoted value: taken as written, as sops does.
            ("K='x' y", "'x' y"),
            ("K='open", "'open"),
            ("K=raw \"kept\"", "raw \"kept\""),
            ("K=a\\nb", "a\nb"),
        ] {
            assert_eq!(read_back(line), want, "{line}");
        }
        let sops = parse_sops(b"K=\"x\"\n").expect("parse");
        assert_eq!(
            sops.docs
                .first()
                .and_then(|d| d.get("K"))
                .and_then(Value::scalar_text),
            Some("\"x\"".to_owned())
        );
    }

    proptest! {
        #[test]
        fn quote_reads_back(v in "[a-z $'\"\\\\`#={}\\n\\r\\tn\u{e9}\u{1f510}]{0,24}") {
            if let Some(q) = quote(&v) {
                prop_assert_eq!(read_back(&format!("K={q}")), v);
            }
        }
    }
}

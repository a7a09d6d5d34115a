//! INI store with go-ini semantics as sops uses them: `[section]` headers, `key = value`
//! (first `=` or `:`), `;`/`#` comment lines, `"""` multi-line and quoted values, keys
//! before any section in `DEFAULT`. Output is go-ini's pretty format (aligned `=`).

use super::tree::{Tree, Value};
use super::{Format, StoreError};

const DEFAULT: &str = "DEFAULT";

/// Parses INI text into a mapping of sections. A `#` or `;` inside a value is part
/// of it (sealbox's own reading: nothing is cut off).
///
/// # Errors
/// Malformed headers, lines without a delimiter, unterminated `"""` values.
pub fn parse(bytes: &[u8]) -> Result<Tree, StoreError> {
    parse_with(bytes, false)
}

/// Parses INI text as sops (go-ini) does: as [`parse`], except that an unquoted
/// value ends at its first `#` or `;`, which starts an inline comment.
///
/// # Errors
/// As [`parse`].
pub fn parse_go(bytes: &[u8]) -> Result<Tree, StoreError> {
    parse_with(bytes, true)
}

fn parse_with(bytes: &[u8], go: bool) -> Result<Tree, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        StoreError::new(
            Format::Ini,
            format!("not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    // go-ini skips a byte order mark (Windows editors write one).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // go-ini's own default section comes first, whether or not keys precede the first
    // header, and a `[DEFAULT]` header opens another: sops' trees hold both.
    let mut sections: Vec<(String, Value)> = Vec::new();
    if go {
        sections.push((DEFAULT.to_owned(), Value::Map(Vec::new())));
    }
    // Comment lines (trimmed, markers kept) waiting for the section or key they
    // belong to.
    let mut pending: Vec<String> = Vec::new();
    let mut current: Option<usize> = None;
    // Lines without their `\n`; a CRLF line keeps its `\r` here, which a comment line
    // and a block value keep further as go-ini does (called as sops).
    let mut lines = text
        .split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .enumerate();
    while let Some((n, raw)) = lines.next() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with(';') || line.starts_with('#') {
            // go-ini keeps a comment line's trailing blanks, a CR included (the joined
            // comment loses those at its very end only).
            let kept = if go { raw } else { raw.trim_end_matches('\r') };
            pending.push(kept.trim_start().to_owned());
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            // As go-ini: the name runs to the last `]`, untrimmed; a `;` or `#` comment
            // after it is the section's, anything else after it is ignored.
            let Some(close) = rest.rfind(']') else {
                return Err(StoreError::at(
                    Format::Ini,
                    n + 1,
                    1,
                    "section header without closing ']'",
                ));
            };
            let (name, after) = (&rest[..close], rest[close + 1..].trim());
            if after.starts_with([';', '#']) {
                pending.push(after.to_owned());
            }
            // Every header opens a section of its own, a repeated name (`[DEFAULT]`
            // too) included, as go-ini reads them for sops: the MAC covers each.
            sections.push((name.to_owned(), Value::Map(Vec::new())));
            let idx = sections.len() - 1;
            if let Some((_, Value::Map(items))) = sections.get_mut(idx) {
                items.extend(joined(&mut pending));
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
        let text = line[pos + 1..].trim();
        let cr = go && raw.ends_with('\r');
        let value = read_value(text, cr, n, &mut lines, &mut pending, go)?;
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
            // A key given again takes the place of the first, with its own comment
            // (go-ini: the last value wins).
            let at = match items
                .iter()
                .position(|(k, v)| *k == key && !matches!(v, Value::Comment(_)))
            {
                Some(at) => {
                    let old_comment =
                        matches!(items.get(at + 1), Some((_, Value::Comment(_)))) && go;
                    items.drain(at..at + 1 + usize::from(old_comment));
                    at
                }
                None => items.len(),
            };
            let mut entry = vec![(key, Value::Str(value))];
            entry.extend(joined(&mut pending));
            items.splice(at..at, entry);
        }
    }
    // Comments after the last key of the file: go-ini drops them (sops never sees
    // them); sealbox keeps them in the last section.
    if go {
        pending.clear();
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
            items.extend(joined(&mut pending));
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

/// Writes a value so that our reader (and go-ini) gives it back; `None` when no INI
/// quoting can represent it.
fn quote_value(val: &str) -> Option<String> {
    let wrapped = |q: &str| val.len() >= 2 && val.starts_with(q) && val.ends_with(q);
    let needs = val.contains(['\n', '\r', '#', ';'])
        || val.trim() != val
        || wrapped("\"")
        || wrapped("'")
        || val.starts_with('`')
        || val.ends_with('\\')
        || val.starts_with("\"\"\"");
    if !needs {
        return Some(val.to_owned());
    }
    let triple_ok = !val.contains("\"\"\"") && !val.starts_with('"') && !val.ends_with('"');
    if val.contains(['\n', '\r']) {
        return triple_ok.then(|| format!("\"\"\"{val}\"\"\""));
    }
    // Inside `"…"` a `#` or `;` would still start a comment (go-ini), and a value
    // ending in `\` would join the next line.
    if !val.contains('`') {
        Some(format!("`{val}`"))
    } else if !val.contains(['"', '#', ';']) && !val.ends_with('\\') {
        Some(format!("\"{val}\""))
    } else if triple_ok {
        Some(format!("\"\"\"{val}\"\"\""))
    } else {
        None
    }
}

fn quote_key(k: &str) -> Option<String> {
    // A key that starts with a BOM is quoted too: first in the file, it would be read
    // as a byte order mark.
    let risky = k.contains(['=', ':'])
        || k.trim() != k
        || k.starts_with(['[', ';', '#', '"', '`', '\u{feff}']);
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

/// The comment lines of a section or key as one comment, as sops reads go-ini's:
/// the first line without its marker, the others as written, one per line.
fn joined(pending: &mut Vec<String>) -> Option<(String, Value)> {
    if pending.is_empty() {
        return None;
    }
    let mut text = pending.join("\n");
    pending.clear();
    // The first mark decides what goes: after a `;`, every `;` and space in front;
    // after a `#`, every `#` and space (a tab stays). The blanks at the end go too.
    let body = match text.chars().next() {
        Some(m @ (';' | '#')) => text.trim_start_matches([m, ' ']),
        _ => &text[..],
    };
    let start = text.len() - body.len();
    text.drain(..start);
    text.truncate(text.trim_end().len());
    (!text.is_empty()).then(|| Value::comment_entry(text))
}

/// Writes a comment as sops has go-ini write it, line by line: a line that starts
/// with `;` or `#` keeps that mark, then one space and the rest trimmed; any other
/// line gets `; ` before its text, trimmed but in a section's comment (`section`).
fn push_comment(out: &mut String, c: &str, section: bool) {
    for line in c.split('\n') {
        match line.chars().next() {
            Some(m @ (';' | '#')) => {
                out.push(m);
                out.push(' ');
                out.push_str(line[1..].trim());
            }
            _ => {
                out.push_str("; ");
                out.push_str(if section { line } else { line.trim() });
            }
        }
        out.push('\n');
    }
}

/// A value as go-ini writes it: `"""…"""` when it holds a line break or a
/// backtick, `` `…` `` when it holds `#` or `;`, `"…"` when it has blanks at either
/// end, else as it is (sops' output, even where it would not read back).
fn go_quote_value(val: &str) -> String {
    if val.contains(['\n', '`']) {
        format!("\"\"\"{val}\"\"\"")
    } else if val.contains(['#', ';']) {
        format!("`{val}`")
    } else if val.trim() != val {
        format!("\"{val}\"")
    } else {
        val.to_owned()
    }
}

/// A value as go-ini reads it from the text after the delimiter (trimmed): `"""…"""`
/// or `` `…` `` up to the last closing quote on the line, or over several lines (then
/// a comment may follow the closing quote); a
/// trailing `\` joins the next lines; otherwise (with `inline_comments`) an inline
/// comment starts at the first `#` or `;` (pushed to `pending`, it joins the key's
/// comment), and one pair of surrounding `"` or `'` is dropped.
///
/// `text` is the value's first line, trimmed; `cr`: that line ended with a CR, which a
/// block value keeps (read as go-ini).
fn read_value<'a>(
    text: &str,
    cr: bool,
    n: usize,
    lines: &mut impl Iterator<Item = (usize, &'a str)>,
    pending: &mut Vec<String>,
    inline_comments: bool,
) -> Result<String, StoreError> {
    // go-ini sees the line with its line break, so `"""` alone opens a block too.
    let quote = if text.starts_with("\"\"\"") {
        Some("\"\"\"")
    } else if text.starts_with('`') {
        Some("`")
    } else {
        None
    };
    if let Some(q) = quote {
        let body = &text[q.len()..];
        if let Some(end) = body.rfind(q) {
            return Ok(body[..end].to_owned());
        }
        let mut acc = body.to_owned();
        if cr {
            acc.push('\r');
        }
        for (_, more) in lines.by_ref() {
            // go-ini keeps a CRLF file's `\r` in a block value (`inline_comments`: read
            // as go-ini, called as sops); sealbox's own reading drops it.
            let more = match more.strip_suffix('\r') {
                Some(m) if !inline_comments => m,
                _ => more,
            };
            acc.push('\n');
            if let Some(end) = more.rfind(q) {
                acc.push_str(&more[..end]);
                // After a block's closing quote, go-ini reads a comment from the first
                // `#` or `;` on (on a one-line value it reads none).
                if let Some(i) = more[end..].find(['#', ';']) {
                    pending.push(more[end + i..].trim().to_owned());
                }
                return Ok(acc);
            }
            acc.push_str(more);
        }
        return Err(StoreError::at(
            Format::Ini,
            n + 1,
            1,
            format!("unterminated {q} value"),
        ));
    }
    if let Some(first) = text.strip_suffix('\\') {
        let mut acc = first.to_owned();
        for (_, more) in lines.by_ref() {
            let more = more.trim();
            if more.is_empty() {
                break;
            }
            acc.push_str(more);
            if !acc.ends_with('\\') {
                break;
            }
            acc.pop();
        }
        return Ok(acc);
    }
    let mut value = text;
    if let Some(i) = value.find(['#', ';']).filter(|_| inline_comments) {
        pending.push(value[i..].to_owned());
        value = value[..i].trim();
    }
    let surrounded = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    if surrounded('"') || surrounded('\'') {
        value = &value[1..value.len() - 1];
    }
    Ok(value.to_owned())
}

/// Gives the document a `DEFAULT` section, first, when it has none: go-ini always
/// has one, so sops' INI trees start with it (shown as `DEFAULT: {}` in other formats).
pub fn default_section_first(tree: &mut Tree) {
    for doc in &mut tree.docs {
        if let Value::Map(sections) = doc {
            if !sections
                .iter()
                .any(|(n, v)| n == DEFAULT && matches!(v, Value::Map(_)))
            {
                sections.insert(0, (DEFAULT.to_owned(), Value::Map(Vec::new())));
            }
        }
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
    // Sections go in the tree's order, each under its header but a `DEFAULT` that
    // comes first (go-ini's own default section), which has none and is left out when
    // empty; a `DEFAULT` further on is written `[DEFAULT]`, as sops writes it.
    let lead = sections
        .iter()
        .position(|(_, v)| !matches!(v, Value::Comment(_)));
    let go = super::go_stores();
    for (at, (name, body)) in sections.iter().enumerate() {
        let headless = Some(at) == lead && name == DEFAULT;
        if let Value::Comment(c) = body {
            // sops hands go-ini sections only: a comment between them is dropped.
            if !go {
                push_comment(&mut out, c, false);
            }
            continue;
        }
        let Value::Map(items) = body else {
            return Err(StoreError::new(
                Format::Ini,
                format!("top-level key '{name}' is not a section; INI needs [section] key = value"),
            ));
        };
        if headless && items.is_empty() {
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
        // sops makes the first comment the section's and drops the others before the
        // first key.
        for (_, c) in head.iter().take(if go { 1 } else { head.len() }) {
            if let Value::Comment(c) = c {
                push_comment(&mut out, c, go);
            }
        }
        if !headless {
            out.push_str(&format!("[{name}]\n"));
        }
        let width = rest
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Comment(_)))
            // go-ini pads by bytes, not characters.
            .map(|(k, _)| quote_key(k).map_or(0, |q| q.len()))
            .max()
            .unwrap_or(0);
        // The comments after a key are that key's (go-ini writes them before it).
        for (i, (k, v)) in rest.iter().enumerate() {
            if matches!(v, Value::Comment(_)) {
                continue;
            }
            let after: Vec<&Value> = rest[i + 1..]
                .iter()
                .map(|(_, v)| v)
                .take_while(|v| matches!(v, Value::Comment(_)))
                .collect();
            // sops sets each one as the key's comment in turn: the last one stays.
            let after = if go {
                after.last().map_or(&[][..], std::slice::from_ref)
            } else {
                &after[..]
            };
            for c in after {
                if let Value::Comment(c) = c {
                    push_comment(&mut out, c, false);
                }
            }
            let Some(text) = super::flat_scalar_text(v) else {
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
            let quoted = if super::go_stores() {
                Some(go_quote_value(&text))
            } else {
                quote_value(&text)
            };
            let Some(qv) = quoted else {
                return Err(StoreError::new(
                    Format::Ini,
                    format!(
                        "the value of '{k}' in [{name}] mixes quotes in a way INI cannot write"
                    ),
                ));
            };
            out.push_str(&qk);
            out.push_str(&" ".repeat(width.saturating_sub(qk.len())));
            out.push_str(&format!(" = {qv}\n"));
        }
    }
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The section `s` of `text` as (key, value) pairs, comments as `#text`.
    fn section(text: &str) -> Vec<(String, String)> {
        let tree = parse_go(text.as_bytes()).expect("parse");
        let Some(Value::Map(sections)) = tree.docs.first() else {
            panic!("no sections")
        };
        let Some((_, Value::Map(items))) = sections.iter().find(|(n, _)| n == "s") else {
            panic!("no section s")
        };
        items
            .iter()
            .map(|(k, v)| match v {
                Value::Comment(c) => (String::new(), format!("#{c}")),
                Value::Str(s) => (k.clone(), s.clone()),
                other => (k.clone(), format!("{other:?}")),
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    // Each case checked against sops 3.11 (go-ini) on the same text.
    #[test]
    fn values_are_read_as_go_ini_reads_them() {
        let text = "[s]\na = \"quoted\" ; c1\nb = with ; semi\nc = x#y\nd = `a;b`\n\
                    e = \"a;b\" # c2\nf = 'single'\ng = foo\\\n  bar\nh = `x` y`\ni = \"\"\"t;r\"\"\"\n";
        assert_eq!(
            section(text),
            pairs(&[
                ("a", "quoted"),
                ("", "#c1"),
                ("b", "with"),
                ("", "#semi"),
                ("c", "x"),
                ("", "#y"),
                ("d", "a;b"),
                ("e", "\"a"),
                ("", "#b\" # c2"),
                ("f", "single"),
                ("g", "foobar"),
                ("h", "x` y"),
                ("i", "t;r"),
            ])
        );
    }

    // A key's comment lines and its inline comment are one comment after it, as
    // sops reads them; written back, it goes before the key again.
    #[test]
    fn key_comments_follow_their_key_and_are_written_before_it() {
        let text = "; top\n[s]\n; sec\na = 1\n; own\n; own2\nb = 2 ; inl\n";
        assert_eq!(
            section(text),
            pairs(&[
                ("", "#top"),
                ("a", "1"),
                ("", "#sec"),
                ("b", "2"),
                ("", "#own\n; own2\n; inl"),
            ])
        );
        let out = emit(&parse_go(text.as_bytes()).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "; top\n[s]\n; sec\na = 1\n; own\n; own2\n; inl\nb = 2\n"
        );
    }

    #[test]
    fn sealbox_keeps_what_follows_a_hash_in_a_value() {
        let tree = parse(b"[s]\npass = abc#1;2\n").unwrap();
        let Some(Value::Map(sections)) = tree.docs.first() else {
            panic!("no sections")
        };
        assert_eq!(
            sections[0].1.get("pass").and_then(Value::as_str),
            Some("abc#1;2")
        );
    }

    proptest! {
        #[test]
        fn written_values_read_back(v in "\\PC{0,24}") {
            let tree = Tree::single(Value::Map(vec![(
                "s".to_owned(),
                Value::Map(vec![("k".to_owned(), Value::Str(v.clone()))]),
            )]));
            if let Ok(out) = emit(&tree) {
                let text = String::from_utf8(out).expect("utf-8");
                prop_assert_eq!(section(&text), vec![("k".to_owned(), v)]);
            }
        }
    }
}

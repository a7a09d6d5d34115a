//! The YAML emitter, in go-yaml v3's style (4-space indent, literal blocks, quoting only
//! where a plain scalar would change type), so sops and sealbox write the same bytes.

use super::scalar::resolve_plain;
use crate::store::tree::{format_float_g, Tree, Value};

const INDENT: usize = 4;

/// Emits the tree as YAML (documents separated by `---`).
#[must_use]
pub fn emit(tree: &Tree) -> Vec<u8> {
    emit_as(tree, false)
}

/// Emits an encrypted tree: encrypted comments inside sequences become `- ENC[…]`
/// items, as sops writes them.
#[must_use]
pub fn emit_encrypted(tree: &Tree) -> Vec<u8> {
    emit_as(tree, true)
}

fn emit_as(tree: &Tree, enc: bool) -> Vec<u8> {
    let mut out = String::new();
    for (i, doc) in tree.docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        match doc {
            Value::Map(m) if m.is_empty() => out.push_str("{}\n"),
            // A document of comments only: go-yaml writes them, then `{}`.
            Value::Map(m) if m.iter().all(|(_, v)| matches!(v, Value::Comment(_))) => {
                emit_map(&mut out, m, 0, None, enc);
                out.push_str("{}\n");
            }
            Value::Map(m) => emit_map(&mut out, m, 0, None, enc),
            // A sequence on its own (`decrypt --extract` of a list).
            Value::Seq(s) if !s.is_empty() => emit_seq(&mut out, s, 0, enc),
            other => {
                out.push_str(&scalar(other, 0));
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

fn pad(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Writes a mapping at `indent`. `first_inline` means the first line is already
/// positioned (after "- ").
fn emit_map(
    out: &mut String,
    m: &[(String, Value)],
    indent: usize,
    first_inline: Option<()>,
    enc: bool,
) {
    let mut first = first_inline.is_some();
    for (i, (k, v)) in m.iter().enumerate() {
        if first {
            first = false;
        } else {
            pad(out, indent);
        }
        if let Value::Comment(c) = v {
            push_comment(out, c, indent);
            continue;
        }
        let kt = key_text(k);
        if kt.chars().count() > 1000 {
            // Implicit keys are limited to 1024 characters: use an explicit `? key`.
            out.push_str("? ");
            out.push_str(&kt);
            out.push('\n');
            pad(out, indent);
        } else {
            out.push_str(&kt);
        }
        out.push(':');
        if let (false, Value::Seq(s)) = (enc, v) {
            if !s.is_empty() && s.iter().all(|v| matches!(v, Value::Comment(_))) {
                if comment_only_seq(out, s, &m[i + 1..], indent) {
                    return;
                }
                continue;
            }
        }
        emit_child(out, v, indent, enc);
    }
}

/// A sequence value that holds only comments (`key: [] # note`), as go-yaml writes it:
/// `[]`, then its comments on their own lines, unless a comment follows before the
/// next key (go-yaml then drops them); when only comments follow to the end of the
/// mapping, those come first and the sequence's comments after a blank line.
/// Returns whether it wrote the rest of the mapping.
fn comment_only_seq(
    out: &mut String,
    s: &[Value],
    rest: &[(String, Value)],
    indent: usize,
) -> bool {
    out.push_str(" []\n");
    let write = |out: &mut String, items: &mut dyn Iterator<Item = &Value>| {
        for c in items {
            if let Value::Comment(c) = c {
                pad(out, indent);
                push_comment(out, c, indent);
            }
        }
    };
    let lead = rest
        .iter()
        .take_while(|(_, v)| matches!(v, Value::Comment(_)))
        .count();
    if lead == 0 {
        write(out, &mut s.iter());
        return false;
    }
    if lead < rest.len() {
        return false;
    }
    write(out, &mut rest.iter().map(|(_, v)| v));
    out.push('\n');
    write(out, &mut s.iter());
    true
}

/// The indentation of what nests under a line at `indent`: go-yaml aligns it to the
/// next multiple of the indent step (a key at column 6 inside a sequence item nests
/// its block at column 8).
fn nested(indent: usize) -> usize {
    INDENT * ((indent + INDENT) / INDENT)
}

/// Writes the value of a mapping entry whose key is at `indent`.
fn emit_child(out: &mut String, v: &Value, indent: usize, enc: bool) {
    let inner = nested(indent);
    match v {
        Value::Map(m) if m.iter().any(|(_, v)| !matches!(v, Value::Comment(_))) => {
            out.push('\n');
            emit_map(out, m, inner, None, enc);
        }
        Value::Seq(s) if !s.is_empty() => {
            out.push('\n');
            emit_seq(out, s, inner, enc);
        }
        // A mapping of comments only (`key: {} # note`): go-yaml writes the encrypted
        // comments inside the braces, the closing one at column 0 (the parser reads
        // that back); in plaintext it writes `{}` and the comments are gone.
        Value::Map(m) if enc && !m.is_empty() => {
            out.push_str(" {\n");
            for (_, c) in m {
                if let Value::Comment(c) = c {
                    pad(out, inner);
                    push_comment(out, c, inner);
                }
            }
            out.push_str("}\n");
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, inner));
            out.push('\n');
        }
    }
}

fn emit_seq(out: &mut String, s: &[Value], indent: usize, enc: bool) {
    emit_seq_at(out, s, indent, false, enc);
}

/// Writes a sequence at `indent`; `first_inline` means the first line is already
/// positioned (after an outer "- ", go-yaml's compact `- - item`).
fn emit_seq_at(out: &mut String, s: &[Value], indent: usize, first_inline: bool, enc: bool) {
    for (i, item) in s.iter().enumerate() {
        if !(first_inline && i == 0) {
            pad(out, indent);
        }
        match item {
            // An encrypted comment inside a sequence is written as an item, as sops
            // writes it: a `#ENC` line there is placed by go-yaml's comment rules, which
            // can move it out of the sequence (and then its key path no longer fits).
            Value::Comment(c) if comment_item(c, enc) => {
                out.push_str("- ");
                out.push_str(c);
                out.push('\n');
            }
            Value::Comment(c) => push_comment(out, c, indent),
            Value::Map(m) if m.iter().any(|(_, v)| !matches!(v, Value::Comment(_))) => {
                // Comments before the first key go above the "- " line.
                let lead = m
                    .iter()
                    .take_while(|(_, v)| matches!(v, Value::Comment(_)))
                    .count();
                let (head, rest) = m.split_at(lead);
                for (_, c) in head {
                    if let Value::Comment(c) = c {
                        out.push('#');
                        out.push_str(c);
                        out.push('\n');
                        pad(out, indent);
                    }
                }
                out.push_str("- ");
                emit_map(out, rest, indent + 2, Some(()), enc);
            }
            // A mapping of comments only (an alias of `{} # note`): go-yaml writes
            // them as the item's head comment.
            Value::Map(m) if !m.is_empty() => {
                for (_, c) in m {
                    if let Value::Comment(c) = c {
                        push_comment(out, c, indent);
                        pad(out, indent);
                    }
                }
                out.push_str("- {}\n");
            }
            Value::Seq(inner) if !inner.is_empty() => {
                // Comment lines that open the inner sequence are its head comment,
                // which go-yaml writes above the `- ` line; comment items (sops'
                // encrypted form) stay in it, and it is written compact (`- - a`).
                let lead = inner
                    .iter()
                    .take_while(|v| matches!(v, Value::Comment(c) if !comment_item(c, enc)))
                    .count();
                let (head, rest) = inner.split_at(lead);
                for c in head {
                    if let Value::Comment(c) = c {
                        push_comment(out, c, indent);
                        pad(out, indent);
                    }
                }
                if rest.is_empty() {
                    out.push_str("- []\n");
                } else {
                    out.push_str("- ");
                    emit_seq_at(out, rest, indent + 2, true, enc);
                }
            }
            other => {
                // A block scalar's lines align just after the dash.
                out.push_str("- ");
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// Whether a comment inside a sequence is written as a `- ENC[…]` item (sops'
/// encrypted form) rather than as a `#` line.
fn comment_item(c: &str, enc: bool) -> bool {
    enc && c.starts_with("ENC[AES256_GCM,") && !c.contains('\n')
}

/// Writes a comment (already indented on its first line); text with line breaks
/// becomes several comment lines.
fn push_comment(out: &mut String, c: &str, indent: usize) {
    for (i, part) in c.split(['\n', '\r']).enumerate() {
        if i > 0 {
            pad(out, indent);
        }
        out.push('#');
        out.push_str(part);
        out.push('\n');
    }
}

fn key_text(k: &str) -> String {
    if k == "<<" {
        // go-yaml tags a plain `<<` key as a merge key; sops writes it so.
        "!!merge <<".to_owned()
    } else if plain_ok(k) && !k.contains('\n') {
        k.to_owned()
    } else {
        double_quoted(k)
    }
}

fn scalar(v: &Value, block_indent: usize) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => ".nan".to_owned(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { ".inf" } else { "-.inf" }.to_owned(),
        Value::Float(f) => {
            // Keep the float type on a round trip (go-yaml would print 1.0 as "1").
            let g = format_float_g(*f);
            if g.contains(['.', 'e']) {
                g
            } else {
                format!("{g}.0")
            }
        }
        Value::Time(t) => t.clone(),
        Value::Map(_) => "{}".to_owned(),
        Value::Seq(_) => "[]".to_owned(),
        Value::Comment(c) => double_quoted(c),
        Value::Bytes(b) => string_scalar(&String::from_utf8_lossy(b), block_indent),
        Value::Str(s) => string_scalar(s, block_indent),
    }
}

fn string_scalar(s: &str, block_indent: usize) -> String {
    if s.contains('\n') && literal_ok(s) {
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") || s == "\n" {
            "+"
        } else {
            ""
        };
        // Text that starts with a space or a line break needs an explicit indentation
        // indicator; go-yaml writes its indent step.
        let hint = if s.starts_with([' ', '\n']) {
            INDENT.to_string()
        } else {
            String::new()
        };
        let mut out = format!("|{hint}{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        // The caller adds the final newline.
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                pad(&mut out, block_indent);
                out.push_str(line);
            }
        }
        out
    } else if plain_ok(s) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn literal_ok(s: &str) -> bool {
    !s.starts_with('\t')
        && !s.contains(" \n")
        && !s.ends_with(' ')
        && !s
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
}

/// Whether `s` can be written as a plain scalar and read back as the same string.
fn plain_ok(s: &str) -> bool {
    if s.is_empty() || s.trim() != s || s.contains('\n') {
        return false;
    }
    if !matches!(resolve_plain(s), Value::Str(_)) {
        return false;
    }
    // YAML 1.1 booleans: go-yaml quotes them so older readers keep them strings.
    if s == "<<"
        || matches!(
            s,
            "y" | "Y"
                | "yes"
                | "Yes"
                | "YES"
                | "n"
                | "N"
                | "no"
                | "No"
                | "NO"
                | "on"
                | "On"
                | "ON"
                | "off"
                | "Off"
                | "OFF"
        )
    {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if "[]{},#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') {
        let second = s.chars().nth(1);
        if second.is_none_or(|c| c == ' ' || c == '\t') {
            return false;
        }
    }
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains("\t") {
        return false;
    }
    !s.chars().any(|c| {
        c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}'
    })
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted(m: Vec<(String, Value)>) -> String {
        String::from_utf8(emit(&Tree::single(Value::Map(m)))).unwrap_or_default()
    }

    #[test]
    fn strings_that_would_change_type_are_quoted() {
        let out = emitted(vec![
            ("a".into(), Value::Str("true".into())),
            ("b".into(), Value::Str("123".into())),
            ("c".into(), Value::Str("plain".into())),
        ]);
        assert!(out.contains("a: \"true\"\n"), "{out}");
        assert!(out.contains("b: \"123\"\n"), "{out}");
        assert!(out.contains("c: plain\n"), "{out}");
    }

    #[test]
    fn nesting_indents_four_spaces_and_multiline_is_literal() {
        let out = emitted(vec![(
            "outer".into(),
            Value::Map(vec![
                ("inner".into(), Value::Int(1)),
                ("text".into(), Value::Str("line one\nline two".into())),
            ]),
        )]);
        assert!(out.contains("outer:\n    inner: 1\n"), "{out}");
        assert!(
            out.contains("    text: |-\n        line one\n        line two\n"),
            "{out}"
        );
    }
}

//! The YAML emitter, in go-yaml v3's style (4-space indent unless told otherwise,
//! literal blocks, quoting only where a plain scalar would change type), so sops and
//! sealbox write the same bytes.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use super::quote::{double_quoted, plain_ok, quoted, string_scalar};
use crate::store::tree::{format_float_g, Tree, Value};

/// go-yaml's default indentation step, the one sops writes.
pub const DEFAULT_INDENT: usize = 4;

thread_local! {
    /// The indentation step of the document being emitted on this thread: set by
    /// [`emit_with`] for the length of one call (a parameter, kept out of every
    /// signature so the emitter's functions stay as they are).
    static STEP: Cell<usize> = const { Cell::new(DEFAULT_INDENT) };
    /// Comments after a sequence whose last item is a block collection: go-yaml writes
    /// them at the indentation of the next line (before the next key), or after a blank
    /// line at column 0 at the end of the document.
    static DEFERRED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The column of the mapping that holds that sequence: a line there gets the
    /// deferred comments before it; a key further left gets them after its entry.
    static DEFER_MIN: Cell<usize> = const { Cell::new(0) };
}

/// Whether a whole float prints as go-yaml prints it (`1`), not as `1.0`.
static GO_FLOATS: AtomicBool = AtomicBool::new(false);

/// Prints whole floats as go-yaml does for the rest of the process (`1.0` as `1`, `1e3`
/// as `1000`), so text decrypted in sops mode is sops' byte for byte. sealbox's own
/// commands keep `1.0`, so a float stays a float when the text is read back.
pub fn floats_as_go_yaml() {
    GO_FLOATS.store(true, Ordering::Relaxed);
}

pub(super) fn step() -> usize {
    STEP.with(Cell::get)
}

/// Where go-yaml puts the content of a node nested under a node at `indent` (not
/// directly a sequence item): the next multiple of the step.
fn nested(indent: usize) -> usize {
    let s = step();
    s * ((indent + s) / s)
}

/// Emits the tree as YAML (documents separated by `---`).
#[must_use]
pub fn emit(tree: &Tree) -> Vec<u8> {
    emit_with(tree, false, DEFAULT_INDENT)
}

/// Emits an encrypted tree: encrypted comments inside sequences become `- ENC[…]`
/// items, as sops writes them.
#[must_use]
pub fn emit_encrypted(tree: &Tree) -> Vec<u8> {
    emit_with(tree, true, DEFAULT_INDENT)
}

/// Emits with an indentation step of `indent` spaces, clamped as go-yaml does
/// (below 2 or above 9 means 2); `enc` as in [`emit_encrypted`].
#[must_use]
pub fn emit_with(tree: &Tree, enc: bool, indent: usize) -> Vec<u8> {
    let indent = if (2..=9).contains(&indent) { indent } else { 2 };
    let before = STEP.with(|s| s.replace(indent));
    let out = emit_as(tree, enc);
    STEP.with(|s| s.set(before));
    out
}

fn emit_as(tree: &Tree, enc: bool) -> Vec<u8> {
    // Nothing deferred by an earlier call on this thread may reach this output.
    DEFERRED.with(|d| d.borrow_mut().clear());
    DEFER_MIN.with(|m| m.set(0));
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
        flush_deferred(&mut out);
    }
    out.into_bytes()
}

/// Starts a line at column `n`, after any comments deferred to it.
pub(super) fn pad(out: &mut String, n: usize) {
    if n >= DEFER_MIN.with(Cell::get) {
        for c in DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut())) {
            spaces(out, n);
            push_comment(out, &c, n);
        }
    }
    spaces(out, n);
}

/// The deferred comments, when an entry at `indent` (left of the mapping that holds
/// the sequence they follow) is next: go-yaml writes them after that entry.
fn deferred_after_entry(indent: usize) -> Vec<String> {
    if indent < DEFER_MIN.with(Cell::get) {
        DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut()))
    } else {
        Vec::new()
    }
}

/// Writes `n` spaces.
pub(super) fn spaces(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Writes the comments deferred to the end of a document: a blank line, then column 0.
fn flush_deferred(out: &mut String) {
    let rest = DEFERRED.with(|d| std::mem::take(&mut *d.borrow_mut()));
    if !rest.is_empty() {
        out.push('\n');
        for c in rest {
            push_comment(out, &c, 0);
        }
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
    // The comments after the last entry are that entry's foot: go-yaml writes them
    // before what a sequence item above deferred.
    let last = m.iter().rposition(|(_, v)| !matches!(v, Value::Comment(_)));
    for (i, (k, v)) in m.iter().enumerate() {
        if first {
            first = false;
        } else if last.is_some_and(|l| i > l) {
            spaces(out, indent);
        } else {
            pad(out, indent);
        }
        if let Value::Comment(c) = v {
            push_comment(out, c, indent);
            continue;
        }
        let carry = deferred_after_entry(indent);
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
                let done = comment_only_seq(out, s, &m[i + 1..], indent);
                for c in carry {
                    spaces(out, indent);
                    push_comment(out, &c, indent);
                }
                if done {
                    return;
                }
                continue;
            }
        }
        emit_child(out, v, indent, enc);
        for c in carry {
            spaces(out, indent);
            push_comment(out, &c, indent);
        }
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
    // The comments after a last item that is a block collection are written where the
    // next line starts (go-yaml's foot of that item).
    let last = s.iter().rposition(|v| !matches!(v, Value::Comment(_)));
    let block_last = last.is_some_and(|l| match &s[l] {
        Value::Map(m) => m.iter().any(|(_, v)| !matches!(v, Value::Comment(_))),
        Value::Seq(inner) => inner.iter().any(|v| !matches!(v, Value::Comment(_))),
        _ => false,
    });
    let s = match last {
        Some(l) if block_last && !enc && l + 1 < s.len() => {
            let (items, tail) = s.split_at(l + 1);
            let tail: Vec<String> = tail
                .iter()
                .filter_map(|v| match v {
                    Value::Comment(c) => Some(c.clone()),
                    _ => None,
                })
                .collect();
            emit_seq_at(out, items, indent, first_inline, enc);
            DEFERRED.with(|d| d.borrow_mut().extend(tail));
            DEFER_MIN.with(|m| m.set(indent.saturating_sub(step())));
            return;
        }
        _ => s,
    };
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
            spaces(out, indent);
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
        quoted(k)
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
            let g = format_float_g(*f);
            if g.contains(['.', 'e']) || GO_FLOATS.load(Ordering::Relaxed) {
                g
            } else {
                // Keep the float type on a round trip (go-yaml would print "1").
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

#[cfg(test)]
mod tests {
    use super::*;

    fn emitted(m: Vec<(String, Value)>) -> String {
        String::from_utf8(emit(&Tree::single(Value::Map(m)))).unwrap_or_default()
    }

    /// Each pair as sops 3.11 (go-yaml v3) printed it.
    #[test]
    fn strings_are_quoted_as_go_yaml_quotes_them() {
        for (value, shown) in [
            ("a: b", "'a: b'"),
            ("it's: x", "'it''s: x'"),
            (" lead", "' lead'"),
            ("true", "\"true\""),
            ("", "\"\""),
            ("1:2", "\"1:2\""),
            ("yes", "\"yes\""),
            ("tab\there", "\"tab\\there\""),
            ("ctrl\u{1}x", "\"ctrl\\x01x\""),
            ("a\u{7f}b", "\"a\\x7Fb\""),
            ("\u{1F680} rocket", "\"\\U0001F680 rocket\""),
            ("a\u{85}b", "\"a\\Nb\""),
            ("?q", "?q"),
            ("x,y", "x,y"),
            ("h\u{e9}llo w\u{f6}rld", "h\u{e9}llo w\u{f6}rld"),
        ] {
            let out = emitted(vec![("k".into(), Value::Str(value.into()))]);
            assert_eq!(out, format!("k: {shown}\n"), "{value:?}");
        }
        let out = emitted(vec![("k".into(), Value::Str("\nlead".into()))]);
        assert_eq!(out, "k: |4-\n\n    lead\n");
        let out = emitted(vec![("k".into(), Value::Str("a\n\tb".into()))]);
        assert_eq!(out, "k: |-\n    a\n    \tb\n");
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

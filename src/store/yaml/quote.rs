//! How the emitter writes a string, as go-yaml v3 (and so sops) writes it: plain where
//! that reads back as the same string, a literal block for text with line breaks,
//! single quotes where plain text would not read back, double quotes with escapes where
//! the text would read as another type or holds what go-yaml does not print.

use super::emit::{spaces, step};
use super::scalar::resolve_plain;
use crate::store::tree::Value;

pub(super) fn string_scalar(s: &str, block_indent: usize) -> String {
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
            step().to_string()
        } else {
            String::new()
        };
        let mut out = format!("|{hint}{chomp}");
        let body = s.strip_suffix('\n').unwrap_or(s);
        // The caller adds the final newline.
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                spaces(&mut out, block_indent);
                out.push_str(line);
            }
        }
        out
    } else if plain_ok(s) {
        s.to_owned()
    } else {
        quoted_at(s, block_indent)
    }
}

/// go-yaml's line breaks besides `\n` that a string may hold: NEL, LS and PS.
fn other_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// go-yaml's `is_printable`: what it writes as itself. A tab, other control characters,
/// U+0085, a BOM and every character beyond U+FFFF (emoji) are not: a string holding
/// one is written in double quotes with that character escaped.
fn printable(c: char) -> bool {
    let u = u32::from(c);
    c == '\n'
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

/// A string that cannot be plain, quoted as go-yaml quotes it: double quotes when the
/// text would read as another type (go-yaml asks for them then) or when single quotes
/// cannot carry it (a character go-yaml does not print, a line break); otherwise
/// single quotes, with `'` doubled.
pub(super) fn quoted(s: &str) -> String {
    quoted_at(s, 0)
}

/// `quoted`, for a value whose lines go-yaml indents by `indent`: single quotes also
/// refuse a line separator (U+2028/U+2029) next to a space, and after one go-yaml
/// writes the indentation before the next character, as after a line break.
fn quoted_at(s: &str, indent: usize) -> String {
    let other_type = s.is_empty() || !matches!(resolve_plain(s), Value::Str(_)) || old_yaml(s);
    let break_by_space = s
        .chars()
        .zip(s.chars().skip(1))
        .any(|(a, b)| (other_break(a) && b == ' ') || (a == ' ' && other_break(b)));
    if other_type || s.contains('\n') || !s.chars().all(printable) || break_by_space {
        return double_quoted(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let mut after_break = false;
    for c in s.chars() {
        if other_break(c) {
            after_break = true;
        } else if after_break {
            spaces(&mut out, indent);
            after_break = false;
        }
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// What a YAML 1.1 reader takes for a bool, a merge key or a sexagesimal number
/// (`1:30`): go-yaml quotes them so older readers keep them strings.
fn old_yaml(s: &str) -> bool {
    const BOOLS: [&str; 22] = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
        "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
    ];
    s == "<<" || BOOLS.contains(&s) || base60(s)
}

/// go-yaml's `isBase60Float`: `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`.
fn base60(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if !frac.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return false;
    }
    let mut parts = int.split(':');
    let head = parts.next().unwrap_or("");
    if !head.starts_with(|c: char| c.is_ascii_digit())
        || !head.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return false;
    }
    let mut sixties = 0;
    for p in parts {
        let ok = match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        };
        if !ok {
            return false;
        }
        sixties += 1;
    }
    sixties > 0
}

fn literal_ok(s: &str) -> bool {
    // go-yaml writes no block scalar that holds a space before a line break, ends with
    // a space, or holds a character it does not print (a tab is fine there, but not
    // first: go-yaml's output would not read back).
    !s.starts_with('\t')
        && !s.contains(" \n")
        && !s.ends_with(' ')
        && s.chars().all(|c| c == '\t' || printable(c))
}

/// Whether `s` can be written as a plain scalar and read back as the same string.
pub(super) fn plain_ok(s: &str) -> bool {
    // Only a space counts as one at either end (go-yaml's `is_space`): a no-break
    // space or another Unicode blank stays in plain text.
    if s.is_empty() || s.starts_with(' ') || s.ends_with(' ') || s.contains('\n') {
        return false;
    }
    if !matches!(resolve_plain(s), Value::Str(_)) {
        return false;
    }
    // YAML 1.1 booleans and the like: go-yaml quotes them so older readers keep them
    // strings.
    if old_yaml(s) || !s.chars().all(printable) {
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

pub(super) fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // go-yaml's BOM test looks at the string's first bytes whatever the position, so
    // text that starts with a BOM has every character escaped.
    let all = s.starts_with('\u{feff}');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{a0}' if all => out.push_str("\\_"),
            // What go-yaml does not print, by code point: \xXX, \uXXXX or \UXXXXXXXX.
            c if all || !printable(c) => {
                let u = u32::from(c);
                if u <= 0xff {
                    out.push_str(&format!("\\x{u:02X}"));
                } else if u <= 0xffff {
                    out.push_str(&format!("\\u{u:04X}"));
                } else {
                    out.push_str(&format!("\\U{u:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

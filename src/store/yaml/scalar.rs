//! YAML scalars as go-yaml v3 resolves them: plain text to int, float, bool, null or
//! time by the YAML 1.1/1.2 rules sops' parser uses; explicit tags and quoted styles.

use std::sync::LazyLock;

use regex::Regex;
use saphyr_parser::ScalarStyle;

use crate::store::tree::Value;

static INT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|[0-9]+)$")
        .unwrap_or_else(|_| unreachable_regex())
});
static FLOAT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
        .unwrap_or_else(|_| unreachable_regex())
});
static TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})?)?$",
    )
    .unwrap_or_else(|_| unreachable_regex())
});

pub(super) fn unreachable_regex() -> Regex {
    // The patterns above are constants checked by tests; this keeps clippy's
    // no-panic rule without `unwrap`.
    #[allow(clippy::unwrap_used)]
    Regex::new("$^").unwrap()
}

/// go-yaml v3 integer resolution (underscores dropped, 0x/0o/0b and leading-0 octal).
pub(super) fn parse_int(s: &str) -> Option<i64> {
    parse_wide_int(s).and_then(|v| i64::try_from(v).ok())
}

/// Whether go-yaml reads `s` as an unsigned 64-bit integer: an integer past
/// `i64::MAX` that still fits 64 bits, which sops cannot walk.
pub(super) fn is_go_uint64(s: &str) -> bool {
    parse_wide_int(s).is_some_and(|v| v > i128::from(i64::MAX) && v <= i128::from(u64::MAX))
}

fn parse_wide_int(s: &str) -> Option<i128> {
    let plain = s.replace('_', "");
    if !INT_RE.is_match(&plain) {
        return None;
    }
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    // Go's ParseInt (base 0) takes the prefixes in either case.
    let (radix, body) = if let Some(h) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, h)
    } else if let Some(o) = digits
        .strip_prefix("0o")
        .or_else(|| digits.strip_prefix("0O"))
    {
        (8, o)
    } else if let Some(b) = digits
        .strip_prefix("0b")
        .or_else(|| digits.strip_prefix("0B"))
    {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let mag = i128::from_str_radix(body, radix).ok()?;
    Some(if neg { -mag } else { mag })
}

/// Resolves a time scalar to sops' RFC 3339 text, or `None`.
pub(crate) fn resolve_time(s: &str) -> Option<String> {
    let c = TIME_RE.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, mo, d) = (num(1)?, num(2)?, num(3)?);
    // Go's time.Parse checks the day against the month (2024-2-30 stays a string).
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=days).contains(&d) {
        return None;
    }
    let Some(sep) = c.get(4) else {
        return Some(format!("{y:04}-{mo:02}-{d:02}T00:00:00Z"));
    };
    let zone = c.get(9).map(|m| m.as_str());
    // go-yaml accepts a zone only after 'T'/'t' and requires none after a space.
    match (sep.as_str(), zone) {
        (" ", Some(_)) | ("T" | "t", None) => return None,
        _ => {}
    }
    let (h, mi, se) = (num(5)?, num(6)?, num(7)?);
    if h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let frac = c
        .get(8)
        .map(|m| m.as_str().trim_end_matches('0'))
        .unwrap_or("");
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    let zone = match zone {
        None | Some("Z" | "+00:00" | "-00:00") => "Z",
        Some(z) => z,
    };
    Some(format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{frac}{zone}"
    ))
}

/// The type a plain scalar resolves to (go-yaml v3 rules).
pub(super) fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes().first().copied().unwrap_or(b' ');
    if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
        if let Some(i) = parse_int(s) {
            return Value::Int(i);
        }
        let plain = s.replace('_', "");
        if FLOAT_RE.is_match(&plain) {
            // Past f64's range Go's ParseFloat fails, and go-yaml keeps the text.
            if let Ok(f) = plain.parse::<f64>().map_err(drop).and_then(|f: f64| {
                if f.is_finite() {
                    Ok(f)
                } else {
                    Err(())
                }
            }) {
                return Value::Float(f);
            }
        }
        if let Some(t) = resolve_time(s) {
            return Value::Time(t);
        }
    }
    Value::Str(s.to_owned())
}

/// The core-schema name of a scalar's tag (`int` for `!!int` and for
/// `!<tag:yaml.org,2002:int>`); a local or other tag (`!int`, `!foo`) makes the scalar
/// a string, as go-yaml reads it; the non-specific `!` leaves it to be resolved.
pub(super) fn tag_name(tag: &saphyr_parser::Tag) -> Option<String> {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.is_yaml_core_schema() {
        Some(tag.suffix.clone())
    } else if let Some(name) = tag.suffix.strip_prefix(CORE) {
        Some(name.to_owned())
    } else if tag.handle.is_empty() && matches!(tag.suffix.as_str(), "" | "!") {
        None
    } else {
        Some("str".to_owned())
    }
}

/// Drops the spaces and tabs on either side of each U+2028/U+2029, as go-yaml's scanner
/// does in a flow scalar, where it reads them as line breaks (and keeps them).
pub(super) fn fold_line_separators(text: &str) -> String {
    let separator = |c: char| matches!(c, '\u{2028}' | '\u{2029}');
    let mut out = String::with_capacity(text.len());
    let mut after = false;
    for c in text.chars() {
        if separator(c) {
            out.truncate(out.trim_end_matches([' ', '\t']).len());
            after = true;
        } else if after && matches!(c, ' ' | '\t') {
            continue;
        } else {
            after = false;
        }
        out.push(c);
    }
    out
}

pub(super) fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Option<Value> {
    match tag {
        Some("str") => return Some(Value::Str(text.to_owned())),
        // Past i64 go-yaml keeps an unsigned integer (which sops then refuses to
        // encrypt, see `go_unwalkable`); read it as a float meanwhile.
        Some("int") => {
            #[allow(clippy::cast_precision_loss)]
            return parse_wide_int(text).and_then(|v| match i64::try_from(v) {
                Ok(i) => Some(Value::Int(i)),
                Err(_) if is_go_uint64(text) && crate::store::go_stores() => {
                    Some(Value::Float(v as f64))
                }
                Err(_) => None,
            });
        }
        Some("float") => return text.replace('_', "").parse().ok().map(Value::Float),
        Some("bool") => {
            return match resolve_plain(text) {
                v @ Value::Bool(_) => Some(v),
                _ => None,
            }
        }
        Some("null") => return Some(Value::Null),
        // go-yaml decodes `!!binary` base64 into the string it holds: text when that
        // is UTF-8, raw bytes (which sops encrypts as a string) otherwise.
        Some("binary") => {
            use base64::Engine as _;
            let packed: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
                text.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
            );
            let raw = base64::engine::general_purpose::STANDARD
                .decode(packed.as_bytes())
                .ok()?;
            return Some(match String::from_utf8(raw) {
                Ok(s) => Value::Str(s),
                Err(e) => Value::Bytes(e.into_bytes()),
            });
        }
        _ => {}
    }
    Some(match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.to_owned()),
    })
}

/// What sops cannot encrypt in a YAML text it reads: a mapping key that go-yaml
/// resolves to another type than a string (`1:`, `true:`, `~:`, a date), or an integer
/// past `i64::MAX` (go-yaml's `uint64`). sops fails on these when it walks the tree
/// (exit 23); sealbox's own grammar writes such keys as strings. `None` when there is
/// none, or when the text does not parse (the reader reports that).
#[must_use]
pub fn go_unwalkable(src: &str) -> Option<String> {
    use saphyr_parser::{Event, Parser};
    // Per open collection: whether it is a mapping whose next node is a key.
    let mut open: Vec<bool> = Vec::new();
    // Per open collection: whether it is a mapping.
    let mut mapping: Vec<bool> = Vec::new();
    for ev in Parser::new_from_str(src) {
        let (ev, _) = ev.ok()?;
        let starts_node = matches!(
            ev,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        );
        let mut key = false;
        if starts_node {
            if let (Some(next_is_key), Some(true)) = (open.last_mut(), mapping.last()) {
                key = *next_is_key;
                *next_is_key = !*next_is_key;
            }
        }
        match ev {
            Event::MappingStart(..) => {
                open.push(true);
                mapping.push(true);
            }
            Event::SequenceStart(..) => {
                open.push(false);
                mapping.push(false);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
                mapping.pop();
            }
            Event::Scalar(text, style, _, tag) => {
                let tag = tag.as_deref().and_then(tag_name);
                if key {
                    let kind = match resolve_scalar(&text, style, tag.as_deref()) {
                        Some(Value::Str(_)) | None => None,
                        Some(Value::Int(_)) => Some("int"),
                        Some(Value::Float(_)) if is_go_uint64(&text) => Some("uint64"),
                        Some(Value::Float(_)) => Some("float64"),
                        Some(Value::Bool(_)) => Some("bool"),
                        Some(Value::Time(_)) => Some("time.Time"),
                        Some(Value::Null) => Some("<nil>"),
                        Some(_) => Some("another type"),
                    };
                    if let Some(kind) = kind {
                        return Some(format!(
                            "Tree contains a non-string key (type {kind}): {}. Only string keys are supported",
                            crate::output::escape_name(&text)
                        ));
                    }
                } else {
                    let int_style = match tag.as_deref() {
                        None => matches!(style, ScalarStyle::Plain),
                        Some(t) => t == "int",
                    };
                    if int_style && is_go_uint64(&text) {
                        return Some("Cannot walk value, unknown type: uint64".to_owned());
                    }
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_as_go_yaml_does() {
        assert!(matches!(resolve_plain("123"), Value::Int(123)));
        assert!(matches!(resolve_plain("-7"), Value::Int(-7)));
        assert!(matches!(resolve_plain("0x1F"), Value::Int(31)));
        assert!(matches!(resolve_plain("1.5"), Value::Float(f) if (f - 1.5).abs() < 1e-12));
        assert!(matches!(resolve_plain("true"), Value::Bool(true)));
        assert!(matches!(resolve_plain("false"), Value::Bool(false)));
        assert!(matches!(resolve_plain("~"), Value::Null));
        assert!(matches!(resolve_plain("null"), Value::Null));
        assert!(matches!(resolve_plain("hello"), Value::Str(s) if s == "hello"));
        assert!(matches!(resolve_plain("12abc"), Value::Str(_)));
        assert!(matches!(
            resolve_plain("2001-12-14T21:59:43Z"),
            Value::Time(_)
        ));
    }

    #[test]
    fn quoted_and_tagged_scalars_keep_their_text() {
        let v = resolve_scalar("123", ScalarStyle::DoubleQuoted, None);
        assert!(matches!(v, Some(Value::Str(s)) if s == "123"));
        let v = resolve_scalar("true", ScalarStyle::SingleQuoted, None);
        assert!(matches!(v, Some(Value::Str(s)) if s == "true"));
        assert_eq!(resolve_time("not a time"), None);
    }
}

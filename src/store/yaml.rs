//! YAML store: parses with `saphyr-parser` events and recovers comments from the source
//! text (outside scalar spans), so comments and key order survive a round trip; emits
//! go-yaml v3 style (4-space indent, literal blocks, quoting only where a plain scalar
//! would change type). Anchors are expanded within a budget; errors never quote input.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::tree::{format_float_g, Tree, Value};
use super::{Format, StoreError};

/// Most work alias expansion may create (guards against "billion laughs"): each node
/// costs 32 units and each byte of text 1, so about 256 MiB of expanded document.
const NODE_BUDGET: usize = 256 * 1024 * 1024;
/// Deepest nesting accepted (the tree is walked recursively).
const MAX_DEPTH: usize = 256;

struct Comment {
    index: usize,
    col: usize,
    text: String,
}

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    comments: Vec<Comment>,
    next_comment: usize,
    anchors: HashMap<usize, Value>,
    budget: usize,
    depth: usize,
}

impl Drop for Builder<'_> {
    fn drop(&mut self) {
        // Anchored nodes are copies of (possibly secret) values: wipe them.
        self.anchors.values_mut().for_each(Value::wipe);
    }
}

fn err_at(span: &Span, msg: impl Into<String>) -> StoreError {
    StoreError::at(Format::Yaml, span.start.line(), span.start.col() + 1, msg)
}

impl<'a> Builder<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), StoreError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(StoreError::at(
                Format::Yaml,
                e.marker().line(),
                e.marker().col() + 1,
                e.info().to_owned(),
            )),
            None => Err(StoreError::new(Format::Yaml, "unexpected end of input")),
        }
    }

    /// Comments before `index` (and, when `min_col` is set, indented at least that far).
    fn take_comments(&mut self, index: usize, min_col: Option<usize>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.index >= index || min_col.is_some_and(|m| c.col < m) {
                break;
            }
            out.push(c.text.clone());
            self.next_comment += 1;
        }
        out
    }

    fn charge(&mut self, n: usize, span: &Span) -> Result<(), StoreError> {
        self.budget = self.budget.saturating_add(n);
        if self.budget > NODE_BUDGET {
            return Err(err_at(span, "document too large after alias expansion"));
        }
        Ok(())
    }

    /// Builds the node that starts with `ev`.
    fn node(&mut self, ev: Event<'a>, span: Span) -> Result<Value, StoreError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err_at(
                &span,
                format!("nested deeper than {MAX_DEPTH} levels"),
            ));
        }
        let r = self.node_inner(ev, span);
        self.depth -= 1;
        r
    }

    fn node_inner(&mut self, ev: Event<'a>, span: Span) -> Result<Value, StoreError> {
        let text_len = match &ev {
            Event::Scalar(t, ..) => t.len(),
            _ => 0,
        };
        self.charge(32 + text_len, &span)?;
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let tag_suffix = tag.as_ref().map(|t| t.suffix.clone());
                let v = resolve_scalar(&text, style, tag_suffix.as_deref())
                    .ok_or_else(|| err_at(&span, "scalar does not match its tag"))?;
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            Event::Alias(id) => {
                let weight = self
                    .anchors
                    .get(&id)
                    .map(count_nodes)
                    .ok_or_else(|| err_at(&span, "alias to an unknown anchor"))?;
                // Charge before copying, so a bomb fails before it allocates.
                self.charge(weight, &span)?;
                self.anchors
                    .get(&id)
                    .map(Value::duplicate)
                    .ok_or_else(|| err_at(&span, "alias to an unknown anchor"))
            }
            Event::SequenceStart(anchor, _) => {
                let mut items = Vec::new();
                let mut col = None;
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        let tail = self.take_comments(sp.start.index(), col);
                        items.extend(tail.into_iter().map(Value::Comment));
                        break;
                    }
                    let c = *col.get_or_insert(sp.start.col());
                    let _ = c;
                    for text in self.take_comments(sp.start.index(), None) {
                        items.push(Value::Comment(text));
                    }
                    let v = self.node(ev, sp)?;
                    items.push(v);
                }
                let v = Value::Seq(items);
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            Event::MappingStart(anchor, _) => {
                let mut entries: Vec<(String, Value)> = Vec::new();
                let mut col = None;
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        let tail = self.take_comments(sp.start.index(), col);
                        entries.extend(tail.into_iter().map(Value::comment_entry));
                        break;
                    }
                    col.get_or_insert(sp.start.col());
                    for text in self.take_comments(sp.start.index(), None) {
                        entries.push(Value::comment_entry(text));
                    }
                    let key = match self.node(ev, sp)? {
                        Value::Str(s) | Value::Time(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => format_float_g(f),
                        Value::Null => String::new(),
                        _ => return Err(err_at(&sp, "mapping keys must be scalars")),
                    };
                    if key == "<<" {
                        return Err(err_at(
                            &sp,
                            "merge keys (<<) are not supported; write the keys out",
                        ));
                    }
                    if entries
                        .iter()
                        .any(|(k, v)| *k == key && !matches!(v, Value::Comment(_)))
                    {
                        return Err(err_at(&sp, format!("duplicate key '{key}'")));
                    }
                    let (ev, sp) = self.next()?;
                    let v = self.node(ev, sp)?;
                    entries.push((key, v));
                }
                let v = Value::Map(entries);
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            _ => Err(err_at(&span, "unexpected YAML event")),
        }
    }
}

fn count_nodes(v: &Value) -> usize {
    match v {
        Value::Map(m) => {
            32 + m
                .iter()
                .map(|(k, v)| k.len() + count_nodes(v))
                .sum::<usize>()
        }
        Value::Seq(s) => 32 + s.iter().map(count_nodes).sum::<usize>(),
        Value::Str(s) | Value::Time(s) | Value::Comment(s) => 32 + s.len(),
        _ => 32,
    }
}

/// Finds comments in `src`: a `#` at line start or after a blank, outside every scalar.
/// Lines end at `\n` or `\r`, as they do for the YAML parser.
fn find_comments(src: &str, scalar_spans: &[(usize, usize)]) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut span_i = 0usize;
    let mut prev_blank = true;
    let mut col = 0usize;
    let mut chars = src.char_indices().enumerate().peekable();
    while let Some((here, (bpos, ch))) = chars.next() {
        if ch == '\n' || ch == '\r' {
            prev_blank = true;
            col = 0;
            continue;
        }
        while scalar_spans.get(span_i).is_some_and(|&(_, e)| e <= here) {
            span_i += 1;
        }
        let in_scalar = scalar_spans
            .get(span_i)
            .is_some_and(|&(s, e)| s <= here && here < e);
        if ch == '#' && prev_blank && !in_scalar {
            let rest = &src[bpos + 1..];
            let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            out.push(Comment {
                index: here,
                col,
                text: rest[..end].trim_end().to_owned(),
            });
            // Skip to the end of the line.
            while chars
                .peek()
                .is_some_and(|(_, (_, c))| *c != '\n' && *c != '\r')
            {
                chars.next();
            }
            continue;
        }
        prev_blank = ch == ' ' || ch == '\t';
        col += 1;
    }
    out
}

/// Parses YAML (all documents) into a tree.
///
/// # Errors
/// Syntax errors, non-mapping documents, duplicate keys, alias bombs.
pub fn parse(bytes: &[u8]) -> Result<Tree, StoreError> {
    let src = std::str::from_utf8(bytes).map_err(|e| {
        StoreError::new(
            Format::Yaml,
            format!("not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    // First pass: scalar spans, so '#' inside strings is not taken for a comment.
    let mut spans = Vec::new();
    let mut p = Parser::new_from_str(src);
    while let Some(ev) = p.next_event() {
        match ev {
            Ok((Event::Scalar(..), sp)) => spans.push((sp.start.index(), sp.end.index())),
            Ok(_) => {}
            Err(e) => {
                return Err(StoreError::at(
                    Format::Yaml,
                    e.marker().line(),
                    e.marker().col() + 1,
                    e.info().to_owned(),
                ))
            }
        }
    }
    spans.sort_unstable();
    let comments = find_comments(src, &spans);
    let mut b = Builder {
        parser: Parser::new_from_str(src),
        comments,
        next_comment: 0,
        anchors: HashMap::new(),
        budget: 0,
        depth: 0,
    };
    let mut docs = Vec::new();
    loop {
        let (ev, sp) = b.next()?;
        match ev {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                let (ev, sp) = b.next()?;
                let doc = match ev {
                    Event::DocumentEnd => Value::Map(Vec::new()),
                    Event::Scalar(ref s, ScalarStyle::Plain, _, None)
                        if s.is_empty() || s == "~" || s == "null" =>
                    {
                        Value::Map(Vec::new())
                    }
                    ev @ Event::MappingStart(..) => b.node(ev, sp)?,
                    _ => {
                        return Err(err_at(
                            &sp,
                            "every document must be a mapping (key: value) at the top level",
                        ))
                    }
                };
                let mut doc = doc;
                if let Value::Map(m) = &mut doc {
                    let rest = b.take_comments(usize::MAX, None);
                    m.extend(rest.into_iter().map(Value::comment_entry));
                }
                docs.push(doc);
            }
            _ => return Err(err_at(&sp, "unexpected content outside a document")),
        }
    }
    if docs.is_empty() {
        docs.push(Value::Map(Vec::new()));
    }
    Ok(Tree { docs })
}

static INT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$")
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

fn unreachable_regex() -> Regex {
    // The patterns above are constants checked by tests; this keeps clippy's
    // no-panic rule without `unwrap`.
    #[allow(clippy::unwrap_used)]
    Regex::new("$^").unwrap()
}

/// go-yaml v3 integer resolution (underscores dropped, 0x/0o/0b and leading-0 octal).
fn parse_int(s: &str) -> Option<i64> {
    let plain = s.replace('_', "");
    if !INT_RE.is_match(&plain) {
        return None;
    }
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let (radix, body) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    let mag = i128::from_str_radix(body, radix).ok()?;
    let v = if neg { -mag } else { mag };
    i64::try_from(v).ok()
}

/// Resolves a time scalar to sops' RFC 3339 text, or `None`.
pub(crate) fn resolve_time(s: &str) -> Option<String> {
    let c = TIME_RE.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, mo, d) = (num(1)?, num(2)?, num(3)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
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
fn resolve_plain(s: &str) -> Value {
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
            if let Ok(f) = plain.parse::<f64>() {
                return Value::Float(f);
            }
        }
        if let Some(t) = resolve_time(s) {
            return Value::Time(t);
        }
    }
    Value::Str(s.to_owned())
}

fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Option<Value> {
    match tag {
        Some("str") => return Some(Value::Str(text.to_owned())),
        Some("int") => return parse_int(text).map(Value::Int),
        Some("float") => return text.replace('_', "").parse().ok().map(Value::Float),
        Some("bool") => {
            return match resolve_plain(text) {
                v @ Value::Bool(_) => Some(v),
                _ => None,
            }
        }
        Some("null") => return Some(Value::Null),
        _ => {}
    }
    Some(match style {
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::Str(text.to_owned()),
    })
}

// ---------------------------------------------------------------------------------
// Emitter

const INDENT: usize = 4;

/// Emits the tree as YAML (documents separated by `---`).
#[must_use]
pub fn emit(tree: &Tree) -> Vec<u8> {
    let mut out = String::new();
    for (i, doc) in tree.docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        match doc {
            Value::Map(m) if m.is_empty() => out.push_str("{}\n"),
            Value::Map(m) => emit_map(&mut out, m, 0, None),
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
fn emit_map(out: &mut String, m: &[(String, Value)], indent: usize, first_inline: Option<()>) {
    let mut first = first_inline.is_some();
    for (k, v) in m {
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
        emit_child(out, v, indent);
    }
}

/// Writes the value of a mapping entry whose key is at `indent`.
fn emit_child(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Map(m) if m.iter().any(|(_, v)| !matches!(v, Value::Comment(_))) => {
            out.push('\n');
            emit_map(out, m, indent + INDENT, None);
        }
        Value::Seq(s) if !s.is_empty() => {
            out.push('\n');
            emit_seq(out, s, indent + INDENT);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, indent + INDENT));
            out.push('\n');
        }
    }
}

fn emit_seq(out: &mut String, s: &[Value], indent: usize) {
    for item in s {
        pad(out, indent);
        match item {
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
                emit_map(out, rest, indent + 2, Some(()));
            }
            Value::Seq(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                emit_seq(out, inner, indent + INDENT);
            }
            other => {
                out.push_str("- ");
                out.push_str(&scalar(other, indent + INDENT));
                out.push('\n');
            }
        }
    }
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
    if plain_ok(k) && !k.contains('\n') {
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
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        let mut out = format!("|{chomp}\n");
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            if !line.is_empty() {
                pad(&mut out, block_indent);
                out.push_str(line);
            }
            out.push('\n');
        }
        // The caller adds the final newline.
        out.pop();
        out
    } else if plain_ok(s) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

fn literal_ok(s: &str) -> bool {
    !s.starts_with([' ', '\t', '\n'])
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

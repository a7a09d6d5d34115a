//! YAML store: parses with `saphyr-parser` events and recovers comments from the source
//! text (outside scalar spans), so comments and key order survive a round trip; emits
//! go-yaml v3 style (4-space indent, literal blocks, quoting only where a plain scalar
//! would change type). Anchors are expanded within a budget; errors never quote input.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::store::tree::{format_float_g, Tree, Value};
use crate::store::{Format, StoreError};

mod emit;
mod scalar;

pub use emit::emit;
use scalar::resolve_scalar;
pub(crate) use scalar::resolve_time;

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

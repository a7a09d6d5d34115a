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

pub use emit::{emit, emit_encrypted};
use scalar::resolve_scalar;
pub(crate) use scalar::resolve_time;

/// Most work alias expansion may create (guards against "billion laughs"): each node
/// costs 32 units and each byte of text 1, so about 256 MiB of expanded document.
const NODE_BUDGET: usize = 256 * 1024 * 1024;
/// Deepest nesting accepted (the tree is walked recursively).
const MAX_DEPTH: usize = 256;

struct Comment {
    index: usize,
    line: usize,
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
    /// The dash column of the sequence whose item is being built (a mapping that is a
    /// sequence item keeps comments from that column on, as go-yaml does).
    item_dash: Option<usize>,
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

    /// Comments not taken yet that stand on `line` (comments after a value on its line).
    fn take_line_comments(&mut self, line: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.line != line {
                break;
            }
            out.push(c.text.clone());
            self.next_comment += 1;
        }
        out
    }

    /// Whether the next comment not taken yet stands on `line`.
    fn comment_on_line(&self, line: usize) -> bool {
        self.comments
            .get(self.next_comment)
            .is_some_and(|c| c.line == line)
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
                // Where comments after the last item belong (go-yaml's rules, which sops
                // follows): a block sequence keeps those indented at least as far as its
                // dashes, unless its last item is itself a sequence; a sequence without
                // indentation (`key:\n- a`) keeps none; a flow sequence keeps all before `]`.
                let flow = span.end.index() > span.start.index();
                let dash = span.start.col();
                let start = span.start.index();
                let mut items = Vec::new();
                let mut indentless = false;
                let mut first = true;
                let mut last_is_seq = false;
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        let tail = if flow {
                            self.take_comments(sp.start.index(), None)
                        } else if indentless || last_is_seq {
                            Vec::new()
                        } else {
                            // go-yaml gives the first comment after the last item to the
                            // sequence whatever its column, when the next token is left
                            // of that comment (several blocks end at once).
                            let mut tail = Vec::new();
                            if let Some(c) = self.comments.get(self.next_comment) {
                                if c.index < sp.start.index() && c.col > sp.start.col() {
                                    tail.push(c.text.clone());
                                    self.next_comment += 1;
                                }
                            }
                            tail.extend(self.take_comments(sp.start.index(), Some(dash)));
                            tail
                        };
                        items.extend(tail.into_iter().map(Value::Comment));
                        break;
                    }
                    if first {
                        indentless = !flow && sp.start.index() == start;
                        first = false;
                    }
                    for text in self.take_comments(sp.start.index(), None) {
                        items.push(Value::Comment(text));
                    }
                    let line = sp.start.line();
                    let scalar = matches!(ev, Event::Scalar(..) | Event::Alias(_));
                    let nested_flow =
                        matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..))
                            && sp.end.index() > sp.start.index();
                    last_is_seq = matches!(ev, Event::SequenceStart(..));
                    self.item_dash = (!flow && !indentless).then_some(dash);
                    let v = self.node(ev, sp)?;
                    self.item_dash = None;
                    // (Inside a flow sequence, a note after `]` is the outer node's.)
                    if !flow && (scalar || nested_flow) {
                        // `- a # note`, `- [a] # note`: sops keeps the note before its
                        // item.
                        let notes = self.take_line_comments(line);
                        items.extend(notes.into_iter().map(Value::Comment));
                    }
                    items.push(v);
                }
                let v = Value::Seq(items);
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            Event::MappingStart(anchor, _) => {
                let flow = span.end.index() > span.start.index();
                let item_dash = self.item_dash.take();
                let mut entries: Vec<(String, Value)> = Vec::new();
                let mut col = None;
                loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        // A block mapping keeps the comments after its last entry that are
                        // indented at least as far as its keys (or, as a sequence item, as
                        // its dash); a flow mapping keeps all before `}`.
                        // (The dash column only for the last item: between items,
                        // a comment at the dash column belongs to the sequence.)
                        let item_dash = item_dash.filter(|d| sp.start.col() < *d);
                        let min = if flow {
                            None
                        } else {
                            match (col, item_dash) {
                                (Some(c), Some(d)) => Some(std::cmp::min(c, d)),
                                (c, d) => c.or(d),
                            }
                        };
                        let tail = self.take_comments(sp.start.index(), min);
                        entries.extend(tail.into_iter().map(Value::comment_entry));
                        break;
                    }
                    col.get_or_insert(sp.start.col());
                    for text in self.take_comments(sp.start.index(), None) {
                        entries.push(Value::comment_entry(text));
                    }
                    let key_line = sp.start.line();
                    self.item_dash = None;
                    let key = match self.node(ev, sp)? {
                        Value::Str(s) | Value::Time(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => format_float_g(f),
                        Value::Null => String::new(),
                        _ => return Err(err_at(&sp, "mapping keys must be scalars")),
                    };
                    // A merge key (`<<: *base`) stays a key named `<<` holding the
                    // expanded anchor, as sops keeps it (and writes `!!merge <<`).
                    if entries
                        .iter()
                        .any(|(k, v)| *k == key && !matches!(v, Value::Comment(_)))
                    {
                        return Err(err_at(&sp, format!("duplicate key '{key}'")));
                    }
                    let (ev, sp) = self.next()?;
                    let value_flow =
                        matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..))
                            && sp.end.index() > sp.start.index();
                    let value_line = sp.start.line();
                    // `key: # note` before a block value, and `key: value # note`: sops
                    // keeps the note before the key. After a flow collection on the key's
                    // line, the note becomes the collection's first item.
                    let before_value = self
                        .comments
                        .get(self.next_comment)
                        .is_some_and(|c| c.line == key_line && c.index < sp.start.index());
                    if !flow && !value_flow && before_value {
                        for text in self.take_line_comments(key_line) {
                            entries.push(Value::comment_entry(text));
                        }
                    }
                    let mut v = self.node(ev, sp)?;
                    if !flow && self.comment_on_line(key_line) && value_line == key_line {
                        let notes = self.take_line_comments(key_line);
                        if value_flow {
                            prepend_comments(&mut v, notes);
                        } else {
                            entries.extend(notes.into_iter().map(Value::comment_entry));
                        }
                    }
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

/// Puts comments first in a collection (a note after a flow collection on its line).
fn prepend_comments(v: &mut Value, notes: Vec<String>) {
    match v {
        Value::Seq(items) => {
            items.splice(0..0, notes.into_iter().map(Value::Comment));
        }
        Value::Map(entries) => {
            entries.splice(0..0, notes.into_iter().map(Value::comment_entry));
        }
        _ => {}
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
    let mut line = 1usize;
    let mut after_cr = false;
    let mut chars = src.char_indices().enumerate().peekable();
    while let Some((here, (bpos, ch))) = chars.next() {
        if ch == '\n' || ch == '\r' {
            // `\r\n` is one line break.
            if !(ch == '\n' && after_cr) {
                line += 1;
            }
            after_cr = ch == '\r';
            prev_blank = true;
            col = 0;
            continue;
        }
        after_cr = false;
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
                line,
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

/// The char index just past the closing quote of a quoted scalar that starts (after
/// any anchor or tag) at or after `start` and ends by `limit`.
fn quoted_end(chars: &[char], start: usize, limit: usize, q: char) -> Option<usize> {
    let open = (start..limit.min(chars.len())).find(|&i| chars.get(i) == Some(&q))?;
    let mut i = open + 1;
    while let Some(&c) = chars.get(i) {
        if q == '"' && c == '\\' {
            i += 2;
            continue;
        }
        if c == q {
            if q == '\'' && chars.get(i + 1) == Some(&'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// go-yaml writes a flow mapping that holds only comments (sops' encrypted
/// `key: {} # note`) as `{`, the comment lines, then `}` at column 0, which go-yaml
/// reads back but a strict parser rejects as under-indented. Indents such a closer to
/// its comments' column; `None` when there is none.
fn indent_flow_closers(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len() + 16);
    let mut changed = false;
    let mut comment_col = None;
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start_matches(' ');
        if matches!(body, "}" | "]") {
            if let Some(col) = comment_col.filter(|c| *c > 0) {
                out.push_str(&" ".repeat(col));
                changed = true;
            }
        }
        comment_col = trimmed.starts_with('#').then(|| body.len() - trimmed.len());
        out.push_str(line);
    }
    changed.then_some(out)
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
    let fixed = indent_flow_closers(src);
    let src = fixed.as_deref().unwrap_or(src);
    // First pass: scalar spans, so '#' inside strings is not taken for a comment.
    let mut spans = Vec::new();
    let mut chars: Option<Vec<char>> = None;
    let mut p = Parser::new_from_str(src);
    while let Some(ev) = p.next_event() {
        match ev {
            Ok((Event::Scalar(_, style, ..), sp)) => {
                let (start, mut end) = (sp.start.index(), sp.end.index());
                // The parser's span of a quoted scalar runs on over a comment that
                // follows on its line: end it at the closing quote.
                let quote = match style {
                    ScalarStyle::DoubleQuoted => Some('"'),
                    ScalarStyle::SingleQuoted => Some('\''),
                    _ => None,
                };
                if let Some(q) = quote {
                    let cs = chars.get_or_insert_with(|| src.chars().collect());
                    if let Some(e) = quoted_end(cs, start, end, q) {
                        end = e;
                    }
                }
                spans.push((start, end));
            }
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
        item_dash: None,
    };
    let mut docs = Vec::new();
    loop {
        let (ev, sp) = b.next()?;
        match ev {
            Event::StreamStart | Event::Nothing => {}
            // Comments after a document's last entry belong to it, up to the next
            // document's start (or the end of the stream).
            Event::DocumentEnd | Event::StreamEnd => {
                let until = if matches!(ev, Event::StreamEnd) {
                    usize::MAX
                } else {
                    sp.start.index()
                };
                let rest = b.take_comments(until, None);
                if let Some(Value::Map(m)) = docs.last_mut() {
                    m.extend(rest.into_iter().map(Value::comment_entry));
                }
                if matches!(ev, Event::StreamEnd) {
                    break;
                }
            }
            Event::DocumentStart(_) => {
                let (ev, sp) = b.next()?;
                let doc = match ev {
                    Event::DocumentEnd => {
                        let rest = b.take_comments(sp.start.index(), None);
                        Value::Map(rest.into_iter().map(Value::comment_entry).collect())
                    }
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
                docs.push(doc);
            }
            _ => return Err(err_at(&sp, "unexpected content outside a document")),
        }
    }
    if docs.is_empty() {
        // sops (go-yaml) finds no document in text that is only comments or blank
        // lines and refuses it; an empty input is an empty mapping (callers decide).
        if !src.is_empty() {
            return Err(StoreError::new(
                Format::Yaml,
                "no document: the text holds only comments or blank lines; add a key (key: value)",
            ));
        }
        docs.push(Value::Map(Vec::new()));
    }
    Ok(Tree { docs })
}

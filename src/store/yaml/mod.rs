//! YAML store: parses with `saphyr-parser` events and recovers comments from the source
//! text (outside scalar spans), so comments and key order survive a round trip; emits
//! go-yaml v3 style (4-space indent, literal blocks, quoting only where a plain scalar
//! would change type). Anchors are expanded within a budget; errors never quote input.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use region::Open;
use source::Comment;
use tail::{doc_ends, Leaf, Plan};

use crate::store::tree::{format_float_g, Tree, Value};
use crate::store::{Format, StoreError};

mod emit;
mod quote;
mod region;
mod scalar;
mod source;
mod tail;

pub use emit::{
    emit, emit_encrypted, emit_with, floats_as_go_yaml, layout_that_reads_back, DEFAULT_INDENT,
};
pub use scalar::go_unwalkable;
use scalar::resolve_scalar;
pub(crate) use scalar::resolve_time;

/// Most work alias expansion may create (guards against "billion laughs"): each node
/// costs 32 units and each byte of text 1, so about 256 MiB of expanded document.
const NODE_BUDGET: usize = 256 * 1024 * 1024;
/// Deepest nesting accepted (the tree is walked recursively).
const MAX_DEPTH: usize = 256;

struct Builder<'a> {
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    comments: Vec<Comment>,
    next_comment: usize,
    anchors: HashMap<usize, Value>,
    budget: usize,
    depth: usize,
    /// The scalar (or flow collection) read last.
    leaf: Option<Leaf>,
    /// The open block collections, outermost first.
    open: Vec<Open>,
    /// How the comments after the last token are shared among the blocks that close
    /// at the next token, and that token (cleared when a token is read).
    plan: Option<Plan>,
    /// Comments go-yaml holds for the next node because the item they came before is
    /// empty (`-` alone, which takes no comments): the next key or item gets them; a
    /// mapping that ends first drops them.
    carry: Vec<String>,
    /// Feet go-yaml holds past an empty item: the next item's foot (sops writes it
    /// after that item), or the foot of the mapping that ends first.
    carry_feet: Vec<String>,
    /// The note after an anchor or tag on a key's line, which the block collection
    /// that follows writes after its first comments.
    notes_after_heads: Vec<String>,
    /// The line of the last flow collection's closing `]` or `}`.
    flow_end_line: usize,
    /// Char indices where a document ends (`---`/`...` lines) and the text's length.
    doc_ends: Vec<usize>,
    total: usize,
    /// The text, by char index.
    chars: Vec<char>,
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

    /// Whether nothing but blanks follows `span` and the text ends without a line
    /// break.
    fn ends_unbroken(&self, span: &Span) -> bool {
        let rest = self.chars.get(span.end.index()..).unwrap_or(&[]);
        !matches!(self.chars.last(), Some('\n' | '\r'))
            && rest.iter().all(|c| *c == ' ' || *c == '\t')
    }

    fn node_inner(&mut self, ev: Event<'a>, span: Span) -> Result<Value, StoreError> {
        let text_len = match &ev {
            Event::Scalar(t, ..) => t.len(),
            _ => 0,
        };
        self.charge(32 + text_len, &span)?;
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                self.set_leaf(Leaf {
                    line: span.end.line(),
                    empty: text.is_empty() && style == ScalarStyle::Plain,
                    block: matches!(style, ScalarStyle::Literal | ScalarStyle::Folded),
                    item: false,
                });
                // A block scalar whose last line ends the file with no line break has
                // no final line break to keep (go-yaml reads `a: |\n  x` as "x").
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                let text = if block && text.ends_with('\n') && self.ends_unbroken(&span) {
                    std::borrow::Cow::Owned(text[..text.len() - 1].to_owned())
                } else {
                    text
                };
                // go-yaml (YAML 1.1) also breaks lines at U+2028/U+2029, keeping the
                // character, so the blanks around one in a plain or single-quoted
                // scalar are line ends and indentation it skips (sops writes
                // 'a\u{2028}    b' for "a\u{2028}b").
                let text = if matches!(style, ScalarStyle::Plain | ScalarStyle::SingleQuoted)
                    && text.contains(['\u{2028}', '\u{2029}'])
                {
                    std::borrow::Cow::Owned(scalar::fold_line_separators(&text))
                } else {
                    text
                };
                let tag_suffix = tag.as_deref().and_then(scalar::tag_name);
                let v = resolve_scalar(&text, style, tag_suffix.as_deref())
                    .ok_or_else(|| err_at(&span, "scalar does not match its tag"))?;
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            Event::Alias(id) => {
                self.set_leaf(Leaf {
                    line: span.end.line(),
                    empty: false,
                    block: false,
                    item: false,
                });
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
                let flow = self.is_flow(&span);
                // An anchor or tag before a block sequence is part of its start
                // event's span, which then ends at the first dash.
                let at = if flow { span.start } else { span.end };
                // Where the first dash stands, and whether the sequence is one without
                // indentation (`key:\n- a`): the parser's span is at the dash of an
                // indented sequence, and after the dash of one without indentation,
                // whose dash is then in its key's column.
                let (dash, indentless) = if flow {
                    (at.col(), false)
                } else {
                    self.first_dash(at)
                };
                let mut items = Vec::new();
                let mut first = true;
                // In a flow sequence, a note on the line where an item ends is that
                // item's, which sops writes before it; one on the `[` line is dropped.
                let mut prev_line = span.start.line();
                let mut prev_at: Option<usize> = None;
                loop {
                    let (ev, sp) = self.next()?;
                    let sp = if flow && matches!(ev, Event::SequenceEnd) {
                        self.flow_closer(sp)
                    } else {
                        sp
                    };
                    if flow {
                        let notes = self.take_line_comments_before(prev_line, sp.start.index());
                        if let Some(at) = prev_at {
                            items.splice(at..at, notes.into_iter().map(Value::Comment));
                        }
                    }
                    if matches!(ev, Event::SequenceEnd) {
                        if flow {
                            self.flow_end_line = sp.start.line();
                        }
                        let tail = if flow && first {
                            self.closing_empty_flow(span.start.index(), &sp)
                        } else {
                            self.closing_comments(&sp, flow, !first)
                        };
                        items.extend(tail.into_iter().map(Value::Comment));
                        break;
                    }
                    let dash_at = if flow {
                        None
                    } else {
                        self.dash_before(sp.start.index(), dash)
                    };
                    let mut dash_line = sp.start.line();
                    if let Some(d) = dash_at {
                        // How go-yaml reads the comments before this item's dash, when
                        // no block closed there (a closing block has set the plan).
                        let end = sp.start.index().clamp(d, self.chars.len().max(d));
                        let breaks = self
                            .chars
                            .get(d..end)
                            .map_or(0, |s| s.iter().filter(|c| **c == '\n').count());
                        dash_line = sp.start.line().saturating_sub(breaks);
                        self.region_share_at(saphyr_parser::Marker::new(d, dash_line, dash));
                    }
                    if first {
                        first = false;
                        if !flow {
                            self.open.push(Open {
                                seq: true,
                                indentless,
                                indent: dash,
                            });
                        }
                    }
                    let empty = !flow
                        && matches!(&ev, Event::Scalar(t, ScalarStyle::Plain, ..) if t.is_empty());
                    let block = !flow
                        && matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..))
                        && !self.is_flow(&sp);
                    // Before an empty item or a block collection, go-yaml gives the item
                    // only the comments before its dash: those after it wait for the
                    // next token (inside the collection, or past the empty item).
                    let until = match dash_at {
                        Some(d) if empty || block => d,
                        _ => sp.start.index(),
                    };
                    let leading = self.take_comments(until, None);
                    let kept = if flow { 0 } else { self.kept_feet() };
                    let (mut heads, feet) = if flow {
                        (leading, Vec::new())
                    } else {
                        self.split_item_feet(leading)
                    };
                    let line = sp.start.line();
                    if empty {
                        // An empty item takes no comment: go-yaml holds the ones before
                        // its dash for the next key or item, except the previous
                        // item's own foot, which stays after that item.
                        let own = heads.drain(..kept.min(heads.len()));
                        items.extend(self.carry.drain(..).map(Value::Comment));
                        items.extend(own.map(Value::Comment));
                        self.carry.extend(heads);
                        self.carry_feet.extend(feet);
                        let v = self.node(ev, sp)?;
                        items.push(v);
                        // Its foot, a run right after the dash, is held as well.
                        self.set_leaf(Leaf {
                            line: dash_line,
                            empty: true,
                            block: false,
                            item: true,
                        });
                        continue;
                    }
                    let feet = if self.carry_feet.is_empty() {
                        feet
                    } else {
                        let mut held = std::mem::take(&mut self.carry_feet);
                        held.extend(feet);
                        held
                    };
                    items.extend(self.carry.drain(..).map(Value::Comment));
                    items.extend(heads.into_iter().map(Value::Comment));
                    // The note after an anchor or tag on the key's line goes to the
                    // first item's node: before a scalar, into a block collection (as
                    // its first comment), and a flow collection drops it.
                    match ev {
                        Event::SequenceStart(..) | Event::MappingStart(..) if self.is_flow(&sp) => {
                            self.notes_after_heads.clear();
                        }
                        Event::SequenceStart(..) | Event::MappingStart(..) => {}
                        _ => items.extend(self.notes_after_heads.drain(..).map(Value::Comment)),
                    }
                    if block && dash_at.is_some() {
                        // The dash is the last token before the collection: a run
                        // right after it is its foot, held for the collection's first
                        // node.
                        self.set_leaf(Leaf {
                            line: dash_line,
                            empty: true,
                            block: false,
                            item: true,
                        });
                    }
                    let scalar = matches!(ev, Event::Scalar(..) | Event::Alias(_));
                    let nested_flow =
                        matches!(ev, Event::SequenceStart(..) | Event::MappingStart(..))
                            && self.is_flow(&sp);
                    // A block sequence hands its foot on to its first item (which
                    // drops it when it is a flow collection).
                    let feet = if block && matches!(ev, Event::SequenceStart(..)) {
                        self.carry_feet.extend(feet);
                        Vec::new()
                    } else {
                        feet
                    };
                    let scalar_end = sp.end.line();
                    let v = self.node(ev, sp)?;
                    prev_line = if nested_flow {
                        self.flow_end_line
                    } else {
                        scalar_end
                    };
                    // (Inside a flow sequence, a note after `]` is the outer node's.)
                    if !flow && (scalar || nested_flow) {
                        // `- a # note`, `- [a] # note`: sops keeps the note before its
                        // item; after a `]` on a later line, that note instead.
                        let end = self.flow_end_line;
                        let end_note = nested_flow && end > line && self.comment_on_line(end);
                        let notes = self.take_line_comments(line);
                        let notes = if end_note {
                            self.take_line_comments(end)
                        } else {
                            notes
                        };
                        items.extend(notes.into_iter().map(Value::Comment));
                    }
                    prev_at = Some(items.len());
                    items.push(v);
                    // go-yaml's reader keeps a collection's foot from its end only:
                    // the foot a flow item's start was given is gone.
                    let feet = if nested_flow { Vec::new() } else { feet };
                    feet_after_item(&mut items, feet, !(scalar || nested_flow));
                }
                let v = Value::Seq(items);
                if anchor > 0 {
                    self.anchors.insert(anchor, v.duplicate());
                }
                Ok(v)
            }
            Event::MappingStart(anchor, _) => {
                let flow = self.is_flow(&span);
                let mut entries: Vec<(String, Value)> = Vec::new();
                let mut col = None;
                // Where the last key's own foot stands in `entries` (start, length).
                let mut key_feet_at: Option<(usize, usize)> = None;
                // In a flow mapping, a note on the line where an entry ends is that
                // entry's, which sops writes before its key; one on the `{` line is
                // dropped.
                let mut prev_line = span.start.line();
                let mut prev_at: Option<usize> = None;
                let mut prev_flow = false;
                loop {
                    let (ev, sp) = self.next()?;
                    let sp = if flow && matches!(ev, Event::MappingEnd) {
                        self.flow_closer(sp)
                    } else {
                        sp
                    };
                    if flow {
                        let notes = self.take_line_comments_before(prev_line, sp.start.index());
                        match prev_at {
                            // After a flow collection value, the note is its first item.
                            Some(at) if prev_flow => prepend_comments(&mut entries[at].1, notes),
                            Some(at) => {
                                entries.splice(at..at, notes.into_iter().map(Value::comment_entry));
                            }
                            None => {}
                        }
                    }
                    if matches!(ev, Event::MappingEnd) {
                        if flow {
                            self.flow_end_line = sp.start.line();
                        }
                        // A mapping's end takes what go-yaml held: it drops the heads
                        // and keeps the feet as its own.
                        self.carry.clear();
                        let feet = std::mem::take(&mut self.carry_feet);
                        let leaf_foot = if flow { 0 } else { self.closing_leaf_foot(&sp) };
                        let mut tail = if flow && col.is_none() {
                            self.closing_empty_flow(span.start.index(), &sp)
                        } else {
                            self.closing_comments(&sp, flow, col.is_some())
                        };
                        if !flow {
                            let own: Vec<String> =
                                tail.drain(..leaf_foot.min(tail.len())).collect();
                            // The end's own foot replaces the last key's: its own, or
                            // the one its value handed it.
                            let end_foot = !tail.is_empty() || !feet.is_empty();
                            match key_feet_at.take() {
                                Some(at) => {
                                    let at = value_foot(&mut entries, at, own);
                                    if end_foot {
                                        drop_key_feet(&mut entries, Some(at));
                                    }
                                }
                                None if end_foot => {}
                                None => tail = own,
                            }
                        }
                        entries.extend(feet.into_iter().map(Value::comment_entry));
                        entries.extend(tail.into_iter().map(Value::comment_entry));
                        break;
                    }
                    if !flow {
                        // How go-yaml reads the comments before this key, when no
                        // block closed here (a closing block has set the plan); the
                        // scanner has not yet opened the block this key starts.
                        self.region_share(&sp);
                    }
                    if col.is_none() && !flow {
                        self.open.push(Open {
                            seq: false,
                            indentless: false,
                            indent: sp.start.col(),
                        });
                    }
                    col.get_or_insert(sp.start.col());
                    let held = std::mem::take(&mut self.carry);
                    entries.extend(held.into_iter().map(Value::comment_entry));
                    let held = std::mem::take(&mut self.carry_feet);
                    entries.extend(held.into_iter().map(Value::comment_entry));
                    let leading = self.take_comments(sp.start.index(), None);
                    // The comments go-yaml makes this key's foot (a run left of the
                    // block after an empty `key:`, then a blank line) follow its entry
                    // when it is the mapping's first key; a later key's foot is the
                    // previous key's, which stands just before this key.
                    let first_key = entries.iter().all(|(_, v)| matches!(v, Value::Comment(_)));
                    let (heads, key_feet) = if flow {
                        (leading, Vec::new())
                    } else if first_key {
                        self.split_item_feet(leading)
                    } else {
                        // go-yaml moves this key's foot to the previous key, where it
                        // replaces the foot that key's value had handed it.
                        // (When the previous key has a foot of its own, the value's
                        // stays with the value.)
                        let kept = self.kept_feet().min(leading.len());
                        let order: Vec<usize> = (0..leading.len()).collect();
                        let (_, feet) = self.split_item_feet(order);
                        let mut leading = leading;
                        match key_feet_at.take() {
                            Some(at) => {
                                let own = leading.drain(..kept).collect();
                                let at = value_foot(&mut entries, at, own);
                                if !feet.is_empty() {
                                    drop_key_feet(&mut entries, Some(at));
                                }
                            }
                            None if !feet.is_empty() => {
                                leading.drain(..kept);
                            }
                            None => {}
                        }
                        (leading, Vec::new())
                    };
                    entries.extend(heads.into_iter().map(Value::comment_entry));
                    let notes = std::mem::take(&mut self.notes_after_heads);
                    entries.extend(notes.into_iter().map(Value::comment_entry));
                    let key_line = sp.start.line();
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
                            && self.is_flow(&sp);
                    let value_anchor = match ev {
                        Event::SequenceStart(a, _) | Event::MappingStart(a, _) => a,
                        _ => 0,
                    };
                    let value_line = sp.start.line();
                    // Where the value's content starts, past an anchor or a tag.
                    let content = self.content_start(&sp);
                    let scalar_value = matches!(ev, Event::Scalar(..) | Event::Alias(_));
                    // `key: &anchor` or `key: !!tag` with nothing after: an empty
                    // value on the key's line, as after `key:` (what follows the
                    // properties is the next node's, not this value's content).
                    let empty_with_properties = matches!(
                        &ev,
                        Event::Scalar(t, ScalarStyle::Plain, ..) if t.is_empty()
                    ) && content.index() > sp.start.index();
                    // `key: # note` before a block value or a flow collection on a
                    // later line, and `key: value # note`: sops keeps the note before
                    // the key. After a flow collection on the key's line, the note
                    // becomes the collection's first item. After an anchor or tag on
                    // the key's line, it is the block collection's own, which sops
                    // writes after its first comments (a flow collection drops it).
                    let before_value = self
                        .comments
                        .get(self.next_comment)
                        .is_some_and(|c| c.line == key_line && c.index < content.index());
                    if !flow && (!value_flow || value_line > key_line) && before_value {
                        let notes = self.take_line_comments(key_line);
                        let flow_later = content.line() > value_line
                            && matches!(self.chars.get(content.index()), Some('[' | '{'));
                        if flow_later {
                            drop(notes);
                        } else if content.line() > value_line
                            && (!scalar_value
                                || (empty_with_properties
                                    && content.index() < self.chars.len()
                                    && Some(content.col()) == col))
                        {
                            self.notes_after_heads = notes;
                        } else {
                            entries.extend(notes.into_iter().map(Value::comment_entry));
                        }
                    }
                    // A value on a later line than its key: go-yaml's last token is
                    // the `:`, whose (empty) value takes no foot; what it would be is
                    // the next node's.
                    if !flow && value_line > key_line {
                        self.set_leaf(Leaf {
                            line: key_line,
                            empty: true,
                            block: false,
                            item: false,
                        });
                    }
                    // A scalar on a later line than its key: the comments before it
                    // are its head, which sops keeps before the key, and its foot,
                    // which sops keeps after the entry.
                    let mut value_feet = Vec::new();
                    if !flow && scalar_value && !empty_with_properties && content.line() > key_line
                    {
                        self.region_share_at(content);
                        let leading = self.take_comments(content.index(), None);
                        let (heads, feet) = self.split_item_feet(leading);
                        entries.extend(heads.into_iter().map(Value::comment_entry));
                        value_feet = feet;
                    }
                    let scalar_end = sp.end.line();
                    let mut v = self.node(ev, sp)?;
                    prev_line = if value_flow {
                        self.flow_end_line
                    } else {
                        scalar_end
                    };
                    prev_flow = value_flow;
                    // A note after a flow collection that closes on a later line
                    // (`key: [` … `] # note`) is the collection's too, and takes the
                    // place of one after its `[`.
                    let end = self.flow_end_line;
                    let end_note =
                        !flow && value_flow && end > key_line && self.comment_on_line(end);
                    if !flow && self.comment_on_line(key_line) && value_line == key_line {
                        let notes = self.take_line_comments(key_line);
                        if value_flow {
                            if !end_note {
                                prepend_comments(&mut v, notes);
                            }
                        } else {
                            entries.extend(notes.into_iter().map(Value::comment_entry));
                        }
                    }
                    if end_note {
                        let notes = self.take_line_comments(end);
                        prepend_comments(&mut v, notes);
                    }
                    // The note is the collection node's own in go-yaml, so an alias to
                    // it repeats the note, as sops writes it.
                    if value_flow && value_anchor > 0 {
                        self.anchors.insert(value_anchor, v.duplicate());
                    }
                    prev_at = Some(entries.len());
                    entries.push((key, v));
                    entries.extend(value_feet.into_iter().map(Value::comment_entry));
                    if !key_feet.is_empty() {
                        key_feet_at = Some((entries.len(), key_feet.len()));
                    }
                    entries.extend(key_feet.into_iter().map(Value::comment_entry));
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

/// Places a value's own foot when its key (whose foot stands at `at`) has one: sops
/// writes it inside a collection value, and before the key's foot after a scalar.
/// Returns where the key's foot stands then.
fn value_foot(
    entries: &mut Vec<(String, Value)>,
    at: (usize, usize),
    foot: Vec<String>,
) -> (usize, usize) {
    let (start, len) = at;
    if foot.is_empty() {
        return at;
    }
    let start = start.min(entries.len());
    let value = entries[..start]
        .iter_mut()
        .rev()
        .find(|(_, v)| !matches!(v, Value::Comment(_)))
        .map(|(_, v)| v);
    match value {
        Some(Value::Seq(items)) => {
            items.extend(foot.into_iter().map(Value::Comment));
            at
        }
        Some(Value::Map(m)) => {
            m.extend(foot.into_iter().map(Value::comment_entry));
            at
        }
        _ => {
            let n = foot.len();
            entries.splice(start..start, foot.into_iter().map(Value::comment_entry));
            (start + n, len)
        }
    }
}

/// Removes a key's foot, replaced by a later foot in go-yaml.
fn drop_key_feet(entries: &mut Vec<(String, Value)>, at: Option<(usize, usize)>) {
    if let Some((start, len)) = at {
        let end = (start + len).min(entries.len());
        if start < end {
            entries.drain(start..end);
        }
    }
}

/// Writes the comments go-yaml made the foot of a sequence item's first token: after a
/// scalar or flow item, after the first entry of a mapping item, after the first item
/// of a nested sequence.
fn feet_after_item(items: &mut Vec<Value>, feet: Vec<String>, block: bool) {
    if feet.is_empty() {
        return;
    }
    let first_after = |n: usize, is_comment: &dyn Fn(usize) -> bool| {
        (0..n).find(|&i| !is_comment(i)).map_or(n, |i| i + 1)
    };
    match items.last_mut() {
        Some(Value::Map(entries)) if block => {
            let is_comment = |v: &Value| matches!(v, Value::Comment(_));
            let mut at = first_after(entries.len(), &|i| is_comment(&entries[i].1));
            // The foot of a mapping's only key whose value is a scalar: sops writes the
            // value's foot first, and what follows the entry is that foot.
            let only = entries[at..].iter().all(|(_, v)| is_comment(v));
            if only && at > 0 && !matches!(entries[at - 1].1, Value::Map(_) | Value::Seq(_)) {
                at = entries.len();
            }
            entries.splice(at..at, feet.into_iter().map(Value::comment_entry));
        }
        Some(Value::Seq(inner)) if block => {
            let at = first_after(inner.len(), &|i| matches!(inner[i], Value::Comment(_)));
            inner.splice(at..at, feet.into_iter().map(Value::Comment));
        }
        _ => items.extend(feet.into_iter().map(Value::Comment)),
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
    source::check_document_end(src)?;
    let mut fixed = source::indent_flow_closers(src);
    // A closing bracket left of its block: moved right until the parser takes it (a
    // column per try, a bounded number of tries).
    let mut tries = 0;
    let comments = loop {
        let text = fixed.as_deref().unwrap_or(src);
        match source::comments(text) {
            Ok(c) => break c,
            Err(e) => match source::pad_flow_closer(text, &e).filter(|_| tries < 64) {
                Some(padded) => {
                    fixed = Some(padded);
                    tries += 1;
                }
                None => return Err(e),
            },
        }
    };
    let src = fixed.as_deref().unwrap_or(src);
    let mut b = Builder {
        parser: Parser::new_from_str(src),
        comments,
        next_comment: 0,
        anchors: HashMap::new(),
        budget: 0,
        depth: 0,
        leaf: None,
        open: Vec::new(),
        plan: None,
        carry: Vec::new(),
        carry_feet: Vec::new(),
        notes_after_heads: Vec::new(),
        flow_end_line: 0,
        doc_ends: doc_ends(src),
        total: src.chars().count(),
        chars: src.chars().collect(),
    };
    let mut docs = Vec::new();
    // How many comments the last document's end took as its foot only because it had
    // no foot of its own (a foot found after the next `---` replaces them).
    let mut end_heads = 0;
    // The last document's `...` (char index and line), while no document follows it.
    let mut last_dots: Option<(usize, usize)> = None;
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
                let end = matches!(ev, Event::DocumentEnd);
                if end {
                    b.region_share_at(sp.start);
                    last_dots = b
                        .is_dots(sp.start.index())
                        .then(|| (sp.start.index(), sp.start.line()));
                } else if let Some((dots, line)) = last_dots {
                    b.skip_after_final_end(dots, line);
                }
                let mut rest = b.take_comments(until, None);
                if end {
                    // Before a `---` or `...`, go-yaml's document end keeps its foot;
                    // only when it has none do the comments it would head become it.
                    let kept = b.kept_feet();
                    let (mut heads, mut feet) = b.split_item_feet(rest);
                    let mut own: Vec<String> = heads.drain(..kept.min(heads.len())).collect();
                    own.append(&mut feet);
                    end_heads = if own.is_empty() { heads.len() } else { 0 };
                    // A `...` with comments right after it has that foot.
                    if own.is_empty() && b.dots_with_foot(&sp) {
                        heads.clear();
                    }
                    rest = if own.is_empty() { heads } else { own };
                }
                if let Some(Value::Map(m)) = docs.last_mut() {
                    m.extend(rest.into_iter().map(Value::comment_entry));
                }
                if matches!(ev, Event::StreamEnd) {
                    break;
                }
            }
            Event::DocumentStart(explicit) => {
                last_dots = None;
                // The comments on the lines right after a `---` (not on the first
                // line), when a blank line or the end follows them, are go-yaml's foot
                // of that marker: the previous document's last comments, or the foot
                // of the first key when there is no previous document.
                // After a `...`, that marker ended the previous document: a run right
                // after it (then a blank line) is its last comments, and the `---`'s
                // foot is the new document's.
                let after_end = explicit && b.after_explicit_end(sp.start.index());
                if after_end {
                    let end_foot = b.end_marker_foot(&sp);
                    if let Some(Value::Map(m)) = docs.last_mut() {
                        m.extend(end_foot.into_iter().map(Value::comment_entry));
                    }
                }
                let (mut before, foot) = if explicit {
                    b.marker_foot(&sp)
                } else {
                    (Vec::new(), Vec::new())
                };
                let first_key_foot = match docs.last_mut() {
                    Some(Value::Map(m)) if !foot.is_empty() && !after_end => {
                        // The implicit end's foot: what it took in place of one goes.
                        m.truncate(m.len().saturating_sub(end_heads));
                        m.extend(foot.into_iter().map(Value::comment_entry));
                        Vec::new()
                    }
                    _ => foot,
                };
                end_heads = 0;
                let (ev, sp) = b.next()?;
                let mut doc = match ev {
                    Event::DocumentEnd => {
                        let rest = b.take_comments(sp.start.index(), None);
                        Value::Map(rest.into_iter().map(Value::comment_entry).collect())
                    }
                    Event::Scalar(ref s, ScalarStyle::Plain, _, None)
                        if matches!(s.as_ref(), "" | "~" | "null" | "Null" | "NULL") =>
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
                if let Value::Map(m) = &mut doc {
                    // A document with no entry whose `---` has a foot drops its head.
                    let keyless = m.iter().all(|(_, v)| matches!(v, Value::Comment(_)));
                    if keyless && !first_key_foot.is_empty() {
                        before.clear();
                    }
                    m.splice(0..0, before.into_iter().map(Value::comment_entry));
                }
                if !first_key_foot.is_empty() {
                    if let Value::Map(m) = &mut doc {
                        let at = m
                            .iter()
                            .position(|(_, v)| !matches!(v, Value::Comment(_)))
                            .map_or(m.len(), |i| i + 1);
                        m.splice(at..at, first_key_foot.into_iter().map(Value::comment_entry));
                    }
                }
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

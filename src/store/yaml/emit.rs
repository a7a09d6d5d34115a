//! The YAML emitter, in go-yaml v3's style (4-space indent unless told otherwise,
//! literal blocks, quoting only where a plain scalar would change type), so sops and
//! sealbox write the same bytes.
//!
//! Comments are handed to the writer as sops hands them to go-yaml: the comments
//! before a key or item are its head, those that end a sequence are its last item's
//! foot, those that end a mapping are its tail, and a collection's leading comments
//! are its own head. The writer then places them as go-yaml's emitter does, with the
//! same state (the line and column, the pending head, foot and tail, the indentation
//! of the last foot), so even its odd placements (a collection's foot written after
//! the next value, a blank line after a foot) come out byte for byte.

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
}

/// Whether a whole float is written as go-yaml writes it (`1`), not as `1.0`.
static GO_FLOATS: AtomicBool = AtomicBool::new(false);

/// Whether comments and blocks are laid out as go-yaml lays them out even where that
/// does not read back as YAML (a foot before empty brackets, `|4` on a list item).
static GO_LAYOUT: AtomicBool = AtomicBool::new(false);

/// Prints whole floats as go-yaml does for the rest of the process (`1.0` as `1`, `1e3`
/// as `1000`), and every comment where go-yaml puts it, so text decrypted in sops mode
/// is sops' byte for byte. sealbox's own commands keep `1.0`, so a float stays a float
/// when the text is read back, and never write a layout that does not read back.
pub fn floats_as_go_yaml() {
    GO_FLOATS.store(true, Ordering::Relaxed);
    GO_LAYOUT.store(true, Ordering::Relaxed);
}

/// Lays text out, for the rest of the process, so that it always reads back (whole
/// floats stay as [`floats_as_go_yaml`] set them): for text a person edits and sealbox
/// reads again, as `sops edit` shows.
pub fn layout_that_reads_back() {
    GO_LAYOUT.store(false, Ordering::Relaxed);
}

pub(super) fn step() -> usize {
    STEP.with(Cell::get)
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
    let mut w = Writer::new(indent);
    for (i, doc) in tree.docs.iter().enumerate() {
        w.document(&node(doc, enc), i == 0);
    }
    STEP.with(|s| s.set(before));
    w.out.into_bytes()
}

/// A node as sops builds it for go-yaml, with its comments.
struct Node<'a> {
    kind: Kind<'a>,
    /// Written before the node (above its `- ` or its first key).
    head: Vec<&'a str>,
    /// A sequence item's foot: the comments that end the sequence.
    foot: Vec<&'a str>,
    /// A mapping's tail: the comments after its last entry.
    tail: Vec<&'a str>,
}

enum Kind<'a> {
    Scalar(&'a Value),
    /// An encrypted comment inside a sequence, written as an item (sops' form).
    Raw(&'a str),
    Map(Vec<Entry<'a>>),
    Seq(Vec<Node<'a>>),
}

struct Entry<'a> {
    key: &'a str,
    head: Vec<&'a str>,
    value: Node<'a>,
}

impl<'a> Node<'a> {
    fn bare(kind: Kind<'a>) -> Self {
        Node {
            kind,
            head: Vec::new(),
            foot: Vec::new(),
            tail: Vec::new(),
        }
    }
}

/// Builds the node for a value, placing its comments as sops' YAML store does.
fn node(v: &Value, enc: bool) -> Node<'_> {
    match v {
        Value::Map(m) => {
            let mut out = Node::bare(Kind::Map(Vec::new()));
            let mut entries = Vec::new();
            let mut pending = Vec::new();
            for (k, v) in m {
                if let Value::Comment(c) = v {
                    pending.push(c.as_str());
                    continue;
                }
                if entries.is_empty() {
                    out.head = std::mem::take(&mut pending);
                }
                entries.push(Entry {
                    key: k,
                    head: std::mem::take(&mut pending),
                    value: node(v, enc),
                });
            }
            if entries.is_empty() {
                out.head = pending;
            } else {
                out.tail = pending;
            }
            out.kind = Kind::Map(entries);
            out
        }
        Value::Seq(s) => {
            let mut out = Node::bare(Kind::Seq(Vec::new()));
            let mut items: Vec<Node<'_>> = Vec::new();
            let mut pending = Vec::new();
            for v in s {
                let mut item = match v {
                    Value::Comment(c) if comment_item(c, enc) => Node::bare(Kind::Raw(c)),
                    Value::Comment(c) => {
                        pending.push(c.as_str());
                        continue;
                    }
                    v => node(v, enc),
                };
                if items.is_empty() {
                    out.head = std::mem::take(&mut pending);
                }
                // The comments before an item go before its own leading comments.
                pending.append(&mut item.head);
                item.head = std::mem::take(&mut pending);
                items.push(item);
            }
            match items.last_mut() {
                Some(last) => last.foot = pending,
                None => out.head = pending,
            }
            out.kind = Kind::Seq(items);
            out
        }
        other => Node::bare(Kind::Scalar(other)),
    }
}

/// What holds the node being written, which sets how far its content is indented:
/// two past a dash, the next multiple of the step elsewhere.
#[derive(Clone, Copy, PartialEq)]
enum Holder {
    Doc,
    Item,
    Value,
}

/// go-yaml's emitter state, as far as sops' documents use it.
struct Writer<'a> {
    out: String,
    step: usize,
    column: usize,
    /// The column of the mapping key written last.
    key_col: usize,
    /// Only indentation on the current line so far.
    indention: bool,
    /// The last character written is a space or a line start.
    whitespace: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
    /// The indentation of the foot just written: a line there gets a blank line first.
    foot_indent: Option<usize>,
    head: Vec<&'a str>,
    foot: Vec<&'a str>,
    tail: Vec<&'a str>,
}

impl<'a> Writer<'a> {
    fn new(step: usize) -> Self {
        Writer {
            out: String::new(),
            step,
            column: 0,
            key_col: 0,
            indention: true,
            whitespace: true,
            indent: None,
            indents: Vec::new(),
            foot_indent: None,
            head: Vec::new(),
            foot: Vec::new(),
            tail: Vec::new(),
        }
    }

    /// An event's comments replace the pending ones of each kind it carries.
    fn take_comments(&mut self, head: &[&'a str], foot: &[&'a str], tail: &[&'a str]) {
        if !head.is_empty() {
            self.head = head.to_vec();
        }
        if !foot.is_empty() {
            self.foot = foot.to_vec();
        }
        if !tail.is_empty() {
            self.tail = tail.to_vec();
        }
    }

    fn put(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    fn current_indent(&self) -> usize {
        self.indent.unwrap_or(0)
    }

    fn write_indent(&mut self) {
        let indent = self.current_indent();
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        if self.foot_indent == Some(indent) {
            self.put_break();
        }
        while self.column < indent {
            self.put(" ");
        }
        self.whitespace = true;
        self.foot_indent = None;
    }

    fn write_indicator(&mut self, s: &str, need_space: bool, is_space: bool, is_indention: bool) {
        if need_space && !self.whitespace {
            self.put(" ");
        }
        self.put(s);
        self.whitespace = is_space;
        self.indention = self.indention && is_indention;
    }

    /// Writes comment lines, each on its own line at the current indentation, as
    /// go-yaml writes the `#text` sops hands it: a line break inside a comment is
    /// copied (`\r` and the Unicode breaks as they are, `\n` as a line break), the
    /// text after it starts a new line that gets `# ` unless it starts with `#`, and
    /// a comment that ends with a break gets no further one.
    fn write_comment(&mut self, lines: &[&str]) {
        let is_break = |c: char| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}');
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.write_indent();
            }
            let text = format!("#{line}");
            let mut breaks = false;
            let mut pound = false;
            let mut rest = text.as_str();
            while let Some(c) = rest.chars().next() {
                if is_break(c) {
                    if c == '\n' {
                        self.put_break();
                    } else {
                        let mut buf = [0u8; 4];
                        self.out.push_str(c.encode_utf8(&mut buf));
                        self.column = 0;
                        self.indention = true;
                    }
                    rest = &rest[c.len_utf8()..];
                    breaks = true;
                    pound = false;
                    continue;
                }
                if breaks {
                    self.write_indent();
                }
                if !pound {
                    if c != '#' {
                        self.put("# ");
                    }
                    pound = true;
                }
                let end = rest.find(is_break).unwrap_or(rest.len());
                self.put(&rest[..end]);
                self.indention = false;
                breaks = false;
                rest = &rest[end..];
            }
            if !breaks {
                self.put_break();
            }
        }
        self.whitespace = true;
    }

    /// Writes pending comments on their own lines; after a foot or a tail (`foot`),
    /// the next line at this indentation gets a blank line first.
    fn flush(&mut self, lines: Vec<&'a str>, foot: bool) {
        if lines.is_empty() {
            return;
        }
        self.write_indent();
        self.write_comment(&lines);
        if foot {
            self.foot_indent = Some(self.current_indent());
        }
    }

    /// The pending tail, then the pending head.
    fn process_head(&mut self) {
        let tail = std::mem::take(&mut self.tail);
        self.flush(tail, true);
        let head = std::mem::take(&mut self.head);
        self.flush(head, false);
    }

    fn process_foot(&mut self) {
        let foot = std::mem::take(&mut self.foot);
        self.flush(foot, true);
    }

    /// Writes the pending foot after a node's start, as go-yaml does. Before an empty
    /// collection that puts its brackets alone at the start of a line, where they do
    /// not read back as YAML: sealbox's own commands write the foot after the
    /// brackets instead (called as `sops`, it writes what sops writes).
    fn foot_before(&mut self, n: &Node<'a>) {
        let empty = match &n.kind {
            Kind::Map(entries) => entries.is_empty(),
            Kind::Seq(items) => items.is_empty(),
            Kind::Scalar(_) | Kind::Raw(_) => false,
        };
        if !empty || GO_LAYOUT.load(Ordering::Relaxed) {
            self.process_foot();
        }
    }

    /// Indents for the content of a node held by `holder`.
    fn increase_indent(&mut self, flow: bool, holder: Holder) {
        self.indents.push(self.indent);
        self.indent = Some(match self.indent {
            None if flow => self.step,
            None => 0,
            Some(i) if holder == Holder::Item => i + 2,
            Some(i) => self.step * ((i + self.step) / self.step),
        });
    }

    fn decrease_indent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    fn document(&mut self, root: &Node<'a>, first: bool) {
        if !first {
            self.write_indent();
            self.write_indicator("---", true, false, false);
            self.write_indent();
        }
        if !self.head.is_empty() {
            self.process_head();
            self.put_break();
        }
        self.analyze(root);
        self.process_head();
        self.start(root, Holder::Doc);
        self.process_foot();
        self.content(root, Holder::Doc);
        // The end of the document writes any foot still pending, after a blank line.
        self.foot_indent = Some(0);
        self.process_foot();
        self.foot_indent = None;
        self.write_indent();
    }

    /// Takes the comments of the node's start (a collection's foot comes with its end).
    fn analyze(&mut self, n: &Node<'a>) {
        let foot: &[&str] = match n.kind {
            Kind::Scalar(_) | Kind::Raw(_) => &n.foot,
            Kind::Map(_) | Kind::Seq(_) => &[],
        };
        self.take_comments(&n.head, foot, &[]);
    }

    /// The node's start: a scalar is written whole, a collection has nothing yet.
    fn start(&mut self, n: &Node<'a>, holder: Holder) {
        match &n.kind {
            Kind::Scalar(v) => {
                self.increase_indent(true, holder);
                let block = if holder == Holder::Doc {
                    0
                } else {
                    self.current_indent()
                };
                let mut text = scalar(v, block);
                // A literal block item whose text starts with a space or a line break
                // carries an indentation indicator: go-yaml writes its step although
                // the lines stand two past the dash, which a YAML reader takes as
                // wrongly indented. sealbox's own commands write the 2 that reads back.
                let hint = format!("|{}", self.step);
                if holder == Holder::Item
                    && self.step != 2
                    && text.starts_with(&hint)
                    && !GO_LAYOUT.load(Ordering::Relaxed)
                {
                    text.replace_range(..hint.len(), "|2");
                }
                // The same for a mapping's value where the key does not stand a step
                // left of the block (a mapping in a list item): the indicator counts
                // from the key's column.
                let from_key = block.saturating_sub(self.key_col);
                if holder == Holder::Value
                    && from_key != self.step
                    && (1..=9).contains(&from_key)
                    && text.starts_with(&hint)
                    && !GO_LAYOUT.load(Ordering::Relaxed)
                {
                    text.replace_range(..hint.len(), &format!("|{from_key}"));
                }
                self.scalar_text(&text);
                self.decrease_indent();
            }
            Kind::Raw(c) => self.scalar_text(c),
            Kind::Map(_) | Kind::Seq(_) => {}
        }
    }

    fn scalar_text(&mut self, text: &str) {
        if !self.whitespace {
            self.put(" ");
        }
        match text.rsplit_once('\n') {
            Some((_, last)) => {
                self.out.push_str(text);
                self.column = last.chars().count().max(1);
            }
            None => self.put(text),
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// A collection's content and end (nothing for a scalar).
    fn content(&mut self, n: &Node<'a>, holder: Holder) {
        match &n.kind {
            Kind::Map(entries) if entries.is_empty() => {
                self.write_indicator("{", true, true, false);
                self.increase_indent(true, holder);
                self.take_comments(&[], &n.foot, &[]);
                self.process_head();
                self.decrease_indent();
                self.write_indicator("}", false, false, false);
                self.process_foot();
            }
            Kind::Seq(items) if items.is_empty() => {
                self.write_indicator("[", true, true, false);
                self.increase_indent(true, holder);
                self.take_comments(&[], &n.foot, &[]);
                self.decrease_indent();
                if self.column == 0 {
                    self.write_indent();
                }
                self.write_indicator("]", false, false, false);
                self.process_foot();
            }
            Kind::Map(entries) => {
                for (i, e) in entries.iter().enumerate() {
                    self.take_comments(&e.head, &[], &[]);
                    if i == 0 {
                        self.increase_indent(false, holder);
                    }
                    self.process_head();
                    self.write_indent();
                    self.key_col = self.column;
                    let simple = simple_key(e.key) && key_text(e.key).chars().count() <= 1000;
                    if !simple {
                        self.write_indicator("?", true, false, true);
                    }
                    let key = if simple {
                        key_text(e.key)
                    } else {
                        // Written as any other scalar: a key of several lines as a
                        // literal block.
                        let i = self.current_indent();
                        string_scalar(e.key, self.step * ((i + self.step) / self.step))
                    };
                    self.scalar_text(&key);
                    self.analyze(&e.value);
                    if simple {
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.start(&e.value, Holder::Value);
                    self.foot_before(&e.value);
                    self.content(&e.value, Holder::Value);
                }
                self.take_comments(&[], &n.foot, &n.tail);
                self.process_head();
                self.decrease_indent();
            }
            Kind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.analyze(item);
                    if i == 0 {
                        self.increase_indent(false, holder);
                    }
                    self.process_head();
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.start(item, Holder::Item);
                    self.foot_before(item);
                    self.content(item, Holder::Item);
                }
                self.take_comments(&[], &n.foot, &[]);
                self.decrease_indent();
            }
            Kind::Scalar(_) | Kind::Raw(_) => {}
        }
    }
}

/// Writes `n` spaces.
pub(super) fn spaces(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Whether go-yaml writes a key in the simple form (`key:`), not as `? key`: one line
/// of at most 128 bytes, as its emitter decides (the `!!merge` tag of `<<` counts too).
/// (A key whose written form, quoted, runs past 1000 characters is written as `? key`
/// too: a reader takes no longer simple key.)
fn simple_key(k: &str) -> bool {
    !k.contains(['\n', '\u{85}', '\u{2028}', '\u{2029}']) && k.len() <= 128
}

/// Whether a comment inside a sequence is written as a `- ENC[…]` item (sops'
/// encrypted form) rather than as a `#` line.
fn comment_item(c: &str, enc: bool) -> bool {
    enc && c.starts_with("ENC[AES256_GCM,") && !c.contains('\n')
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
        Value::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => string_scalar(s, block_indent),
            Err(_) => binary_scalar(b, block_indent),
        },
        // go-yaml resolves a plain `<<` to a merge tag and sops writes that tag on
        // such a value; sealbox's own text keeps a quoted string.
        Value::Str(s) if s == "<<" && GO_LAYOUT.load(Ordering::Relaxed) => "!!merge <<".to_owned(),
        Value::Str(s) => string_scalar(s, block_indent),
    }
}

/// Bytes that are not UTF-8, as go-yaml writes them: `!!binary` base64, cut into a
/// literal block of 70-character lines when longer than that.
fn binary_scalar(b: &[u8], block_indent: usize) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(b);
    if text.len() <= 70 {
        return format!("!!binary {text}");
    }
    let mut out = "!!binary |".to_owned();
    for line in text.as_bytes().chunks(70) {
        out.push('\n');
        out.push_str(&" ".repeat(block_indent));
        out.push_str(&String::from_utf8_lossy(line));
    }
    out
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

    /// A key whose quoted form is long is written `? key`, so it reads back.
    #[test]
    fn long_quoted_keys_read_back() {
        let key = "\u{3}".repeat(300) + "k";
        let out = emitted(vec![(key, Value::Int(1))]);
        assert!(out.starts_with("? "), "{out}");
        assert!(super::super::parse(out.as_bytes()).is_ok(), "{out}");
    }

    /// Line separators: single quotes with the next character indented, as go-yaml
    /// writes them, double quotes next to a space; both read back as they were.
    #[test]
    fn line_separators_are_written_as_go_yaml_and_read_back() {
        let value = |s: &str| Value::Str(s.into());
        let entries = vec![
            ("a".into(), value("x\u{2028}y")),
            ("b".into(), value("p\u{2029} q")),
            (
                "c\u{2028}d".into(),
                Value::Seq(vec![value("\u{2028}\u{2028}z")]),
            ),
        ];
        let out = emitted(entries.clone());
        assert_eq!(
            out,
            "a: 'x\u{2028}    y'\nb: \"p\\P q\"\n? 'c\u{2028}    d'\n:   - '\u{2028}\u{2028}      z'\n"
        );
        let back = super::super::parse(out.as_bytes()).expect("reads back");
        assert_eq!(emit(&back), out.as_bytes());
        assert!(back.docs[0] == Value::Map(entries));
    }

    /// A list item of text that starts with a line break reads back.
    #[test]
    fn block_items_with_leading_breaks_read_back() {
        let out = emitted(vec![(
            "k".into(),
            Value::Seq(vec![
                Value::Str("\n\n  #\nx".into()),
                Value::Str("\ny".into()),
            ]),
        )]);
        assert!(out.contains("- |2-\n"), "{out}");
        let back = super::super::parse(out.as_bytes()).expect("reads back");
        assert_eq!(emit(&back), out.as_bytes());
    }

    /// Found by the fuzzer: a mark past the end of the text must not panic.
    #[test]
    fn odd_input_from_the_fuzzer_reads_back() {
        let odd: &[u8] = b"%[.[ \x22\x22:\xc2\xa5,\x09\xee\x95\xbeJ!!:!!!!!!(\x0d\x0a---\x0d::\x0d#\x0a\x0d\x0b#\x0b\x09j :z!:#\x0b\x09z :#\x0b\x09z :\x0d - 4444\x5c4- &'\x0b\x09\x0d - 444444\x0b\x0b\x09z\x0d - 4";
        if let Ok(tree) = super::super::parse(odd) {
            assert!(super::super::parse(&emit(&tree)).is_ok());
        }
    }

    #[test]
    fn comments_of_a_document_after_dots_are_kept() {
        // Only a last `...` drops the comments after its own run; a document that
        // follows it keeps its comments.
        let tree = super::super::parse(b"a: 1\n...\nb: 1\n# kept\n").unwrap();
        let out = String::from_utf8(emit(&tree)).unwrap();
        assert!(out.contains("# kept"), "{out}");
        let tree = super::super::parse(b"a: 1\n...\n# kept\n\n# dropped\n").unwrap();
        let out = String::from_utf8(emit(&tree)).unwrap();
        assert!(
            out.contains("# kept") && !out.contains("# dropped"),
            "{out}"
        );
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

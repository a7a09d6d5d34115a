//! The comment queue of the YAML parser's `Builder`: taking comments off the queue the
//! source scan found, sharing the comments after a block's last token among the blocks
//! that close there (the rules are in `region`), and flow detection. It never sees
//! values, only positions of comments and tokens.

use saphyr_parser::{Marker, Span};

use super::region::{self, Next};
use super::{Builder, Comment};

/// How the comments after the last token are shared among the blocks that close at
/// the next token (at `at`), and that token.
pub(super) struct Plan {
    at: usize,
    /// Each closing block's share, innermost first; `done` of them are taken.
    blocks: Vec<usize>,
    done: usize,
    /// For the comments left to the next token: which are its foot.
    feet: Vec<bool>,
    /// How many of those are the last token's own foot (see `region::Shares`).
    kept: usize,
    /// How many of the first block's share are the last value's own foot.
    leaf_foot: usize,
}

/// Where the last scalar ended, for the comments after it.
#[derive(Clone, Copy)]
pub(super) struct Leaf {
    pub(super) line: usize,
    /// `key:` with no value (go-yaml's VALUE token ends the line).
    pub(super) empty: bool,
    /// A block scalar (`|`, `>`), which runs up to the next content.
    pub(super) block: bool,
    /// An empty sequence item (`-` alone), whose foot go-yaml holds for the next node.
    pub(super) item: bool,
}

impl Builder<'_> {
    /// Comments before `index` (and, when `min_col` is set, indented at least that far).
    pub(super) fn take_comments(&mut self, index: usize, min_col: Option<usize>) -> Vec<String> {
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

    /// How many of the comments after the last token the block that closes now keeps
    /// (the blocks that close at one token share them, innermost first; see `region`).
    pub(super) fn region_share(&mut self, end: &Span) -> usize {
        self.region_share_at(end.start)
    }

    /// As [`Self::region_share`], with the next token at `next`.
    pub(super) fn region_share_at(&mut self, next: saphyr_parser::Marker) -> usize {
        self.plan_at(next);
        let Some(plan) = self.plan.as_mut() else {
            return 0;
        };
        let n = plan.blocks.get(plan.done).copied().unwrap_or(0);
        plan.done += 1;
        n
    }

    /// Plans how the comments before the next token at `next` are shared, unless
    /// that is done.
    fn plan_at(&mut self, next: saphyr_parser::Marker) {
        let at = next.index();
        if self.plan.as_ref().is_none_or(|p| p.at != at) {
            let pending: Vec<Comment> = self.comments[self.next_comment.min(self.comments.len())..]
                .iter()
                .take_while(|c| c.index < at)
                .map(|c| Comment {
                    index: c.index,
                    line: c.line,
                    col: c.col,
                    text: String::new(),
                })
                .collect();
            let eof = at >= self.total;
            let next = Next {
                line: next.line(),
                col: next.col(),
                doc_end: eof || self.doc_ends.binary_search(&at).is_ok(),
                eof,
                dash: self.chars.get(at) == Some(&'-')
                    && self.chars.get(at + 1).is_none_or(|c| c.is_whitespace()),
            };
            // A block scalar's span runs on over the blank lines after it: go-yaml
            // counts from its last line of text, which is right above the first
            // comment unless a blank line stands between them.
            let leaf = match (self.leaf, pending.first()) {
                (Some(l), Some(first)) if l.block => {
                    let above = first.index.saturating_sub(first.col);
                    let blank = self.line_above_is_blank(above);
                    Some(Leaf {
                        line: first.line.saturating_sub(if blank { 2 } else { 1 }),
                        empty: l.empty,
                        block: false,
                        item: l.item,
                    })
                }
                (l, _) => l,
            };
            let shares = region::shares(&pending, leaf, &self.open, &next);
            self.plan = Some(Plan {
                at,
                blocks: shares.blocks,
                done: 0,
                feet: shares.feet,
                kept: shares.kept,
                leaf_foot: shares.leaf_foot,
            });
        }
    }

    /// How many of the comments the innermost closing block keeps are the last
    /// value's own foot (asked before that block takes its share).
    pub(super) fn closing_leaf_foot(&mut self, end: &Span) -> usize {
        self.plan_at(end.start);
        self.plan
            .as_ref()
            .filter(|p| p.done == 0)
            .map_or(0, |p| p.leaf_foot)
    }

    /// The span of a flow collection's closing bracket. After a trailing comma
    /// (`{a: 1,` … `}`) saphyr gives the end event the comma's span; the bracket is
    /// the first character past it that is not a blank, a line break or a comment.
    pub(super) fn flow_closer(&self, end: Span) -> Span {
        let (mut i, mut line, mut col) = (end.start.index(), end.start.line(), end.start.col());
        if self.chars.get(i) != Some(&',') {
            return end;
        }
        let mut in_comment = false;
        i += 1;
        col += 1;
        while let Some(&c) = self.chars.get(i) {
            match c {
                '\n' => {
                    line += 1;
                    col = 0;
                    in_comment = false;
                    i += 1;
                    continue;
                }
                _ if in_comment => {}
                '#' => in_comment = true,
                ' ' | '\t' | '\r' => {}
                _ => break,
            }
            i += 1;
            col += 1;
        }
        Span::new(Marker::new(i, line, col), Marker::new(i + 1, line, col + 1))
    }

    /// The comments an empty flow collection opened at char `open` keeps at its end
    /// `end`: those before its opening bracket; go-yaml drops the ones inside.
    pub(super) fn closing_empty_flow(&mut self, open: usize, end: &Span) -> Vec<String> {
        let before = self.take_comments(open, None);
        self.closing_comments(end, true, false);
        before
    }

    /// The comments a collection keeps after its last item, at its end `end`: all
    /// before a flow collection's closing bracket (which becomes the last token read),
    /// or a block's share of those after its last token (`pushed`: the block is on the
    /// open stack, to be taken off).
    pub(super) fn closing_comments(&mut self, end: &Span, flow: bool, pushed: bool) -> Vec<String> {
        if flow {
            self.set_leaf(Leaf {
                line: end.start.line(),
                empty: false,
                block: false,
                item: false,
            });
            return self.take_comments(end.start.index(), None);
        }
        let n = self.region_share(end);
        if pushed {
            self.open.pop();
        }
        self.take_n(n)
    }

    /// The char index of the dash at column `col` that an item starting at char
    /// `start` follows: on the item's line (`- - a`) or the nearest line above whose
    /// text starts there with `-`, past blank and comment lines only.
    pub(super) fn dash_before(&self, start: usize, col: usize) -> Option<usize> {
        let mut end = start.min(self.chars.len());
        let mut own_line = true;
        loop {
            let line_start = self.chars[..end]
                .iter()
                .rposition(|c| *c == '\n' || *c == '\r')
                .map_or(0, |i| i + 1);
            let at = line_start.saturating_add(col);
            let indent_only = self.chars[line_start..at.min(end)]
                .iter()
                .all(|c| *c == ' ');
            if at < end && indent_only && self.chars.get(at) == Some(&'-') {
                return Some(at);
            }
            // Above the item's own line, only blank and comment lines stand between
            // the dash and the item: stop at anything else (so the search stays
            // short on any input).
            let text = self.chars[line_start..end]
                .iter()
                .find(|c| **c != ' ' && **c != '\t');
            if !own_line && text.is_some_and(|c| *c != '#') {
                return None;
            }
            own_line = false;
            end = line_start.checked_sub(1)?;
        }
    }

    /// How many of the comments left to the next token are the last token's own foot.
    pub(super) fn kept_feet(&self) -> usize {
        self.plan.as_ref().map_or(0, |p| p.kept)
    }

    /// Splits the comments before a sequence item into those before it and those
    /// go-yaml makes the foot of the next token, which sops writes after the item.
    pub(super) fn split_item_feet<T>(&mut self, comments: Vec<T>) -> (Vec<T>, Vec<T>) {
        let Some(plan) = self.plan.take() else {
            return (comments, Vec::new());
        };
        let mut heads = Vec::new();
        let mut feet = Vec::new();
        for (i, c) in comments.into_iter().enumerate() {
            if plan.feet.get(i).copied().unwrap_or(false) {
                feet.push(c);
            } else {
                heads.push(c);
            }
        }
        (heads, feet)
    }

    /// The column of a block sequence's first dash, and whether the sequence has no
    /// indentation of its own, from the parser's start mark `at` (at an indented
    /// sequence's dash; after the dash of one without indentation).
    pub(super) fn first_dash(&self, at: saphyr_parser::Marker) -> (usize, bool) {
        let mut i = at.index();
        while i > 0 && self.chars.get(i - 1) == Some(&' ') {
            i -= 1;
        }
        let mut before = (i > 0 && self.chars.get(i - 1) == Some(&'-'))
            .then(|| at.col().checked_sub(at.index() - (i - 1)))
            .flatten();
        if before.is_none() && self.chars.get(at.index()) != Some(&'-') {
            // `- # note` then the item's content on later lines: the mark is after the
            // note; the dash is the first thing on the mark's line.
            let line_start = at.index().saturating_sub(at.col());
            let first = (line_start..at.index()).find(|&k| self.chars.get(k) != Some(&' '));
            if let Some(k) = first.filter(|&k| self.chars.get(k) == Some(&'-')) {
                before = Some(k - line_start);
            }
        }
        let parent_key_col = self.open.last().filter(|o| !o.seq).map(|o| o.indent);
        match (before, parent_key_col) {
            (Some(d), Some(k)) if d == k => (d, true),
            _ => (at.col(), false),
        }
    }

    /// Whether the line that ends just before char `line_start` holds only blanks.
    fn line_above_is_blank(&self, line_start: usize) -> bool {
        let Some(mut i) = line_start.checked_sub(1) else {
            return false;
        };
        // Step over the line break (`\n`, `\r\n` or `\r`).
        if self.chars.get(i) == Some(&'\n') && i > 0 && self.chars.get(i - 1) == Some(&'\r') {
            i -= 1;
        }
        while i > 0 {
            match self.chars.get(i - 1) {
                Some('\n' | '\r') => return true,
                Some(' ' | '\t') => i -= 1,
                _ => return false,
            }
        }
        true
    }

    /// The last token read (a scalar, alias or flow collection's end).
    pub(super) fn set_leaf(&mut self, leaf: Leaf) {
        self.leaf = Some(leaf);
        self.plan = None;
    }

    /// Comments not taken yet that stand on `line` (comments after a value on its line).
    pub(super) fn take_line_comments(&mut self, line: usize) -> Vec<String> {
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

    /// Whether the `---` at char `at` follows a `...` with only blank and comment lines
    /// between: the previous document then ended at the `...`, before go-yaml read the
    /// comments after the `---`.
    pub(super) fn after_explicit_end(&self, at: usize) -> bool {
        self.explicit_end_before(at).is_some()
    }

    /// The char index of that `...`.
    fn explicit_end_before(&self, at: usize) -> Option<usize> {
        let i = self.doc_ends.binary_search(&at).ok()?;
        let prev = *self.doc_ends.get(i.checked_sub(1)?)?;
        if !self.is_dots(prev) {
            return None;
        }
        let between = self.chars.get(prev + 3..at).unwrap_or_default();
        let mut in_comment = false;
        between
            .iter()
            .all(|c| {
                match c {
                    '#' => in_comment = true,
                    '\n' | '\r' => in_comment = false,
                    _ => {}
                }
                in_comment || c.is_whitespace() || *c == '#'
            })
            .then_some(prev)
    }

    /// Takes the comments on the lines right after the `---` at `marker` when a blank
    /// line or the end of the text follows them and the marker is not on the first
    /// line (go-yaml reads them as the marker's foot); none otherwise.
    /// Also returns the comments before the marker, which are taken with it.
    pub(super) fn marker_foot(&mut self, marker: &Span) -> (Vec<String>, Vec<String>) {
        let line = marker.start.line();
        if line <= 1 {
            return (Vec::new(), Vec::new());
        }
        let pending = &self.comments[self.next_comment.min(self.comments.len())..];
        let before = pending
            .iter()
            .take_while(|c| c.index < marker.start.index())
            .count();
        // (Whole-line comments only: a note after a value ends the run.)
        let run = pending[before..]
            .iter()
            .enumerate()
            .take_while(|(i, c)| c.line == line + 1 + i && self.own_line(c))
            .count();
        let Some(last) = run.checked_sub(1).and_then(|i| pending.get(before + i)) else {
            return (Vec::new(), Vec::new());
        };
        if !self.blank_after(last.index) {
            return (Vec::new(), Vec::new());
        }
        let before = self.take_n(before);
        (before, self.take_n(run))
    }

    /// Where a node's content starts: past the anchor and tag at the start of its span,
    /// and the blank space and comments after them.
    pub(super) fn content_start(&self, span: &Span) -> saphyr_parser::Marker {
        let start = span.start;
        let at = super::source::past_properties(&self.chars, start.index());
        if at == start.index() {
            return start;
        }
        let skipped = self.chars.get(start.index()..at).unwrap_or_default();
        let breaks = skipped.iter().filter(|c| **c == '\n').count();
        let col = skipped
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(start.col() + skipped.len(), |p| skipped.len() - p - 1);
        saphyr_parser::Marker::new(at, start.line() + breaks, col)
    }

    /// Whether the document end at `end` is a `...` with a comment on the next line.
    pub(super) fn dots_with_foot(&self, end: &Span) -> bool {
        let at = end.start.index();
        if !self.is_dots(at) {
            return false;
        }
        let line = end.start.line();
        let run: Vec<&Comment> = self
            .comments
            .iter()
            .skip(self.next_comment)
            .skip_while(|c| c.index <= at)
            .enumerate()
            .take_while(|(i, c)| c.line == line + 1 + i && self.own_line(c))
            .map(|(_, c)| c)
            .collect();
        run.last().is_some_and(|c| self.blank_after(c.index))
    }

    /// Whether nothing but blank space stands before the comment on its line.
    fn own_line(&self, c: &Comment) -> bool {
        (c.index.saturating_sub(c.col)..c.index).all(|i| {
            self.chars
                .get(i)
                .is_some_and(|ch| *ch == ' ' || *ch == '\t')
        })
    }

    /// Whether a `...` marker stands at char `at`.
    pub(super) fn is_dots(&self, at: usize) -> bool {
        self.chars.get(at..at + 3) == Some(&['.', '.', '.'][..])
    }

    /// After a last `...` (at char `dots`, on `line`), go-yaml keeps only the comments
    /// on the lines right after it (that marker's foot): the others left in the queue
    /// are skipped.
    pub(super) fn skip_after_final_end(&mut self, dots: usize, line: usize) {
        let from = self.next_comment.min(self.comments.len());
        let rest = &self.comments[from..];
        if rest.first().is_some_and(|c| c.index < dots) {
            return;
        }
        let kept = rest
            .iter()
            .enumerate()
            .take_while(|(i, c)| c.line == line + 1 + i && self.own_line(c))
            .count();
        self.comments.truncate(from + kept);
    }

    /// Whether the line after the one holding char `index` is blank, or the text ends.
    fn blank_after(&self, index: usize) -> bool {
        let mut i = index;
        while self.chars.get(i).is_some_and(|c| *c != '\n' && *c != '\r') {
            i += 1;
        }
        if self.chars.get(i) == Some(&'\r') && self.chars.get(i + 1) == Some(&'\n') {
            i += 1;
        }
        i += 1;
        while self.chars.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
            i += 1;
        }
        self.chars.get(i).is_none_or(|c| *c == '\n' || *c == '\r')
    }

    /// After a `...`, the comments on the lines right after it, when a blank line
    /// follows them: go-yaml's foot of that marker, the ended document's last comments.
    pub(super) fn end_marker_foot(&mut self, marker: &Span) -> Vec<String> {
        let at = marker.start.index();
        let Some(dots) = self.explicit_end_before(at) else {
            return Vec::new();
        };
        let breaks = self
            .chars
            .get(dots..at)
            .map_or(0, |s| s.iter().filter(|c| **c == '\n').count());
        let line = marker.start.line().saturating_sub(breaks);
        let pending = &self.comments[self.next_comment.min(self.comments.len())..];
        let run = pending
            .iter()
            .enumerate()
            .take_while(|(i, c)| c.index < at && c.line == line + 1 + i && self.own_line(c))
            .count();
        match run.checked_sub(1).and_then(|i| pending.get(i)) {
            Some(last) if self.blank_after(last.index) => self.take_n(run),
            _ => Vec::new(),
        }
    }

    /// Whether the collection that starts at `span` is a flow one: its start event
    /// spans `[`/`{` (after any anchor or tag); a block collection's span is empty or
    /// covers only its anchor and tag.
    pub(super) fn is_flow(&self, span: &Span) -> bool {
        // The start token's span runs on over the blanks after `[` (and a comment
        // there): its last character before those is the bracket.
        let text = self
            .chars
            .get(span.start.index()..span.end.index())
            .unwrap_or(&[]);
        let mut last = None;
        let mut after_blank = true;
        for &c in text {
            if c == '#' && after_blank {
                break;
            }
            if !c.is_whitespace() {
                last = Some(c);
            }
            after_blank = c.is_whitespace();
        }
        matches!(last, Some('[' | '{'))
    }

    /// Takes the next `n` comments.
    pub(super) fn take_n(&mut self, n: usize) -> Vec<String> {
        let end = (self.next_comment + n).min(self.comments.len());
        let out = self.comments[self.next_comment..end]
            .iter()
            .map(|c| c.text.clone())
            .collect();
        self.next_comment = end;
        out
    }

    /// The comments on `line` that come before char `index`, taken.
    pub(super) fn take_line_comments_before(&mut self, line: usize, index: usize) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.line != line || c.index >= index {
                break;
            }
            out.push(c.text.clone());
            self.next_comment += 1;
        }
        out
    }

    /// Whether the next comment not taken yet stands on `line`.
    pub(super) fn comment_on_line(&self, line: usize) -> bool {
        self.comments
            .get(self.next_comment)
            .is_some_and(|c| c.line == line)
    }
}

/// Char indices of the lines that start with a document marker (`---`, `...`).
pub(super) fn doc_ends(src: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut at_line_start = true;
    for (i, (b, c)) in src.char_indices().enumerate() {
        if at_line_start {
            let rest = &src[b..];
            if (rest.starts_with("---") || rest.starts_with("..."))
                && rest[3..].chars().next().is_none_or(char::is_whitespace)
            {
                out.push(i);
            }
        }
        at_line_start = c == '\n' || c == '\r';
    }
    out
}

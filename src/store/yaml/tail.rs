//! Which block the comments after a node belong to, as go-yaml (and so sops) decides:
//! taking comments off the queue the source scan found, the rules for the first
//! comments after a block's last item, and flow detection. Part of the YAML parser's
//! `Builder`; it never sees values, only positions of comments and tokens.

use saphyr_parser::Span;

use super::{Builder, Comment};

/// Where the last scalar ended, for the comments after it.
#[derive(Clone, Copy)]
pub(super) struct Leaf {
    pub(super) line: usize,
    /// `key:` with no value (go-yaml's VALUE token ends the line).
    pub(super) empty: bool,
    /// A block scalar (`|`, `>`), which runs up to the next content.
    pub(super) block: bool,
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

    /// How many of the comments after a block's last item (up to `end`, the next
    /// token) belong to that block whatever their column: go-yaml keeps the first one
    /// unless it stands at the next token's column; at the end of a document only what it
    /// scans as a foot of the last scalar (the line right after it, or a run that a
    /// comment further left than the block's `indent` ends).
    pub(super) fn foot_run(&mut self, end: &Span, indent: usize) -> usize {
        let pending: Vec<&Comment> = self.comments[self.next_comment.min(self.comments.len())..]
            .iter()
            .take_while(|c| c.index < end.start.index())
            .collect();
        let Some(first) = pending.first() else {
            return 0;
        };
        let doc_end = end.start.index() >= self.total
            || self.doc_ends.binary_search(&end.start.index()).is_ok();
        if !doc_end {
            // A comment at the next token's column opens what follows.
            return usize::from(first.col != end.start.col());
        }
        // (The run and the comment that ends it on consecutive lines.)
        let split = pending
            .iter()
            .enumerate()
            .skip(1)
            .take_while(|(i, c)| c.line == pending[i - 1].line + 1)
            .find(|(_, c)| c.col != first.col && c.col < indent)
            .map(|(i, _)| i);
        let n = match (split, self.leaf) {
            (Some(split), _) => split,
            // A foot left of the block (`# c` at column 0 after `k:\n  a: 1`) is the
            // document's: sops moves it out.
            (None, Some(leaf)) => usize::from(
                first.line == leaf.line + 1 && !leaf.empty && !leaf.block && first.col >= indent,
            ),
            (None, None) => 0,
        };
        // Otherwise the comments open what follows: the end of the document.
        self.to_doc_end = n == 0;
        n
    }

    /// Whether the collection that starts at `span` is a flow one: its start event
    /// spans `[`/`{` (after any anchor or tag); a block collection's span is empty or
    /// covers only its anchor and tag.
    pub(super) fn is_flow(&self, span: &Span) -> bool {
        span.end.index() > span.start.index()
            && matches!(self.chars.get(span.end.index() - 1), Some('[' | '{'))
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

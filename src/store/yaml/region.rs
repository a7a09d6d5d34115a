//! Which block keeps each comment that stands after a block's last token, as go-yaml
//! (and so sops) decides: the comments between the last token and the next one are
//! cut into runs at blank lines and at lines left of the innermost block; a run right
//! after the token is that token's foot; the end of each closing block is placed at the
//! first run in its own column; a run goes to the first closing point at or after it.
//! Works on positions only (lines and columns of comments); never sees text.

use super::source::Comment;
use super::tail::Leaf;

/// An open block collection, as the scanner's indentation stack sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Open {
    pub(super) seq: bool,
    /// `key:\n- a`: a sequence at its key's column, which has no end of its own.
    pub(super) indentless: bool,
    /// Column of the keys (mapping) or dashes (sequence).
    pub(super) indent: usize,
}

/// Where a run of comments is handed on: to the last token itself, or to the first
/// token at or after a position. Positions count in half steps over the region's
/// comments: `2k` is the gap before comment `k`, `2k + 1` its start.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Token,
    At(usize),
}

struct Run {
    first: usize,
    len: usize,
    head: bool,
    mark: Mark,
}

/// The next token after the comments.
pub(super) struct Next {
    pub(super) line: usize,
    pub(super) col: usize,
    /// The end of the document (a marker or the end of the text).
    pub(super) doc_end: bool,
    /// The end of the text.
    pub(super) eof: bool,
    /// A `- ` entry (which continues a sequence without indentation at its column).
    pub(super) dash: bool,
}

/// How `comments` (those after the last token, before the next) are shared.
pub(super) struct Shares {
    /// How many each closing block keeps, innermost first.
    pub(super) blocks: Vec<usize>,
    /// For each comment left to the next token: whether it is that token's foot (which
    /// go-yaml puts after the next sequence item, not before it).
    pub(super) feet: Vec<bool>,
    /// How many of the first comments left to the next token are the last token's
    /// foot (no block closes): they stand before the next token, as heads would, but
    /// stay there when the next token is an empty item, which takes no head.
    pub(super) kept: usize,
    /// How many of the innermost closing block's share are the last value's own foot
    /// (the rest is the block end's foot, which replaces its last key's).
    pub(super) leaf_foot: usize,
}

/// How `comments` (those after the last token `leaf`, before `next`) are shared among
/// the blocks that `next` closes and `next` itself. `open` lists the open blocks,
/// outermost first.
pub(super) fn shares(
    comments: &[Comment],
    leaf: Option<Leaf>,
    open: &[Open],
    next: &Next,
) -> Shares {
    let closing = closing(open, next);
    let mut out = vec![0; closing.len()];
    if comments.is_empty() {
        return Shares {
            blocks: out,
            feet: Vec::new(),
            kept: 0,
            leaf_foot: 0,
        };
    }
    // The scanner's indentation: the innermost block with one (0 at the top).
    let indent = open
        .iter()
        .rev()
        .find(|o| !o.indentless)
        .map_or(0, |o| o.indent);
    let runs = runs(comments, leaf, indent, next);
    let n = comments.len();
    // Where each closing block's end token stands: after the last token, unless a run
    // starts in its column (the earliest such run). At the end of a document the
    // blocks at column 0 close at the next token.
    let mut mark: isize = -1;
    let mut ends = Vec::with_capacity(closing.len());
    for &i in &closing {
        let b = open[i];
        if b.indentless {
            ends.push(None);
            continue;
        }
        if next.doc_end && b.indent == 0 {
            mark = isize::try_from(2 * n + 2).unwrap_or(isize::MAX);
        }
        if let Some(r) = runs.iter().find(|r| comments[r.first].col == b.indent) {
            mark = isize::try_from(2 * r.first + 1).unwrap_or(isize::MAX);
        }
        ends.push(Some(mark));
    }
    let mut next_run = 0;
    let mut pending = 0;
    // Runs before the next token that nothing closing keeps and that go there as
    // heads: the last token's foot when no block closes (it stands just before the
    // next token either way).
    let mut kept = 0;
    let mut leaf_foot = 0;
    // Runs that are the last token's foot stay with it, when it is a real node (the
    // empty value of `key:` or `-` takes no comments: they wait for what takes them).
    while let Some(r) = runs.get(next_run).filter(|r| r.mark == Mark::Token) {
        match out.first_mut() {
            Some(first) if leaf.is_some_and(|l| !l.empty) => {
                *first += r.len;
                leaf_foot += r.len;
            }
            None if leaf.is_some_and(|l| !l.empty) => kept += r.len,
            _ => pending += r.len,
        }
        next_run += 1;
    }
    for (slot, end) in ends.iter().enumerate() {
        let Some(end) = end else { continue };
        while let Some(r) = runs.get(next_run) {
            let at = match r.mark {
                Mark::Token => -1,
                Mark::At(p) => isize::try_from(p).unwrap_or(isize::MAX),
            };
            // A head never goes to an end token, and the runs after it wait with it.
            if at > *end || r.head {
                break;
            }
            pending += r.len;
            next_run += 1;
        }
        // A mapping's end takes what is pending (the foot of its last key); a block
        // sequence's end takes nothing and leaves it to the next mapping's end.
        if !open[closing[slot]].seq {
            out[slot] += pending;
            pending = 0;
        }
    }
    // What is still pending, and the runs left, go to the next token: feet and heads.
    let mut feet = vec![false; kept];
    feet.extend(std::iter::repeat_n(true, pending));
    for r in &runs[next_run.min(runs.len())..] {
        feet.extend(std::iter::repeat_n(!r.head, r.len));
    }
    Shares {
        blocks: out,
        feet,
        kept,
        leaf_foot,
    }
}

/// Indices into `open` of the blocks that `next` closes, innermost first.
fn closing(open: &[Open], next: &Next) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, b) in open.iter().enumerate().rev() {
        let closes = next.doc_end
            || if b.indentless {
                next.col < b.indent || (next.col == b.indent && !next.dash)
            } else {
                next.col < b.indent
            };
        if !closes {
            break;
        }
        out.push(i);
    }
    out
}

/// Cuts the comments into runs as go-yaml's scanner does.
fn runs(cs: &[Comment], leaf: Option<Leaf>, indent: usize, next: &Next) -> Vec<Run> {
    // The line on which a comment is the last token's foot, whether a blank line came
    // first, and whether the token is an empty value (whose foot is never kept).
    let (foot_line, mut first_empty, empty) = match leaf {
        Some(l) if l.block => (None, true, false),
        Some(l) => (
            Some(l.line + 1),
            cs[0].line <= l.line + 1,
            l.empty && !l.item,
        ),
        None => (None, true, false),
    };
    let mut out = Vec::new();
    let mut mark = Mark::Token;
    let mut cur: Option<(usize, usize)> = None;
    // At a blank line after a comment: the first run, right after the token (or left
    // of the block), is the token's foot.
    let blank = |cur: &mut Option<(usize, usize)>,
                 mark: &mut Mark,
                 first_empty: bool,
                 gap: usize,
                 out: &mut Vec<Run>| {
        if let Some((f, len)) = *cur {
            let start = &cs[f];
            let dedented = start.col < indent;
            if first_empty && ((Some(start.line) == foot_line && !empty) || dedented) {
                if dedented {
                    *mark = Mark::At(2 * f + 1);
                }
                out.push(Run {
                    first: f,
                    len,
                    head: false,
                    mark: *mark,
                });
                *mark = Mark::At(gap);
                *cur = None;
            }
        }
    };
    for (k, c) in cs.iter().enumerate() {
        if k > 0 && c.line > cs[k - 1].line + 1 {
            blank(&mut cur, &mut mark, first_empty, 2 * k, &mut out);
            first_empty = false;
        }
        if let Some((f, len)) = cur {
            if c.col < indent && c.col != cs[f].col {
                out.push(Run {
                    first: f,
                    len,
                    head: false,
                    mark,
                });
                mark = Mark::At(2 * k + 1);
                cur = None;
            }
        }
        cur = Some(match cur {
            Some((f, len)) => (f, len + 1),
            None => (k, 1),
        });
    }
    let last = cs.len() - 1;
    if next.eof || next.line > cs[last].line + 1 {
        blank(&mut cur, &mut mark, first_empty, 2 * cs.len(), &mut out);
    }
    // The next token's line, left of the block, ends a run as a comment line would.
    if let (false, Some((f, len))) = (next.eof, cur) {
        if next.col < indent && next.col != cs[f].col {
            out.push(Run {
                first: f,
                len,
                head: false,
                mark,
            });
            cur = None;
        }
    }
    if let Some((f, len)) = cur {
        out.push(Run {
            first: f,
            len,
            head: true,
            mark: Mark::At(2 * f + 1),
        });
    }
    out
}

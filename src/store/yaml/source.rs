//! What the YAML parser's events do not carry: the comments of a text, found outside
//! every scalar with their line and column, and go-yaml's lenient layouts that a strict
//! parser needs adjusted. Called by the YAML store's parser only; never sees values.

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::store::{Format, StoreError};

pub(super) struct Comment {
    pub(super) index: usize,
    pub(super) line: usize,
    pub(super) col: usize,
    pub(super) text: String,
}

/// The comments of `src`, in order.
///
/// # Errors
/// A syntax error of the text (line and column, never content).
pub(super) fn comments(src: &str) -> Result<Vec<Comment>, StoreError> {
    // First pass: scalar spans, so '#' inside strings is not taken for a comment.
    let mut spans = Vec::new();
    let mut chars: Option<Vec<char>> = None;
    let mut p = Parser::new_from_str(src);
    while let Some(ev) = p.next_event() {
        match ev {
            Ok((Event::Scalar(_, style, anchor, tag), sp)) => {
                let (mut start, mut end) = (sp.start.index(), sp.end.index());
                // The span of a scalar with an anchor or tag starts at them: the
                // comments between them and the text are outside the scalar.
                if anchor > 0 || tag.is_some() {
                    let cs = chars.get_or_insert_with(|| src.chars().collect());
                    start = past_properties(cs, start).min(end);
                }
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
    Ok(find_comments(src, &spans))
}

/// The char index of a node's content, from the start of its anchor or tag at `i`:
/// past the anchor and tag, and the blank space and comments after them.
pub(super) fn past_properties(cs: &[char], mut i: usize) -> usize {
    if !matches!(cs.get(i), Some('&' | '!')) {
        return i;
    }
    // Bounded by the text: every step moves on.
    while let Some(&c) = cs.get(i) {
        match c {
            '&' | '!' => {
                while cs.get(i).is_some_and(|c| !c.is_whitespace()) {
                    i += 1;
                }
            }
            '#' => {
                while cs.get(i).is_some_and(|c| *c != '\n' && *c != '\r') {
                    i += 1;
                }
            }
            c if c.is_whitespace() => i += 1,
            _ => break,
        }
    }
    i
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
                // Trailing blanks stay, as go-yaml keeps them; line separators that
                // go-yaml would take for a break do not.
                text: rest[..end]
                    .trim_end_matches(['\u{85}', '\u{2028}', '\u{2029}'])
                    .to_owned(),
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
pub(super) fn indent_flow_closers(src: &str) -> Option<String> {
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

/// go-yaml reads a flow collection's closing `]` or `}` wherever it stands on its
/// own line; a strict parser wants it right of the block it is in (`args: [` … `]`
/// at column 0 fails as under-indented). After such a failure (`err`), moves that
/// line's closer one column right; `None` when the failure is another.
pub(super) fn pad_flow_closer(src: &str, err: &StoreError) -> Option<String> {
    if err.message != "invalid indentation" {
        return None;
    }
    let (line, col) = (err.line?, err.col?);
    let mut out = String::with_capacity(src.len() + 1);
    let mut padded = false;
    for (i, text) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let lead = text.len() - text.trim_start_matches(' ').len();
            if lead + 1 != col || !text[lead..].starts_with([']', '}']) {
                return None;
            }
            out.push(' ');
            padded = true;
        }
        out.push_str(text);
    }
    padded.then_some(out)
}

/// go-yaml refuses a document end marker (`...`) before any document has started;
/// so does sops, and so must we.
///
/// # Errors
/// The marker's line.
pub(super) fn check_document_end(src: &str) -> Result<(), StoreError> {
    for (i, line) in src.lines().enumerate() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if line.starts_with("...") && line[3..].chars().next().is_none_or(char::is_whitespace) {
            return Err(StoreError::at(
                Format::Yaml,
                i + 1,
                1,
                "document end marker (...) before any document; remove it",
            ));
        }
        break;
    }
    Ok(())
}

//! Line numbers found only when a finding needs one: byte offsets of line starts,
//! built on first use.

/// A text and, once a line number is asked for, the byte offsets its lines start at
/// (most files have no finding and never need them).
pub(super) struct Lines<'t> {
    pub(super) text: &'t str,
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Self {
            text,
            starts: std::cell::OnceCell::new(),
        }
    }

    pub(super) fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// The 0-based line holding byte `at`.
    pub(super) fn index_of(&self, at: usize) -> usize {
        self.starts()
            .partition_point(|&s| s <= at)
            .saturating_sub(1)
    }

    /// Where line `idx` starts, and its text without the newline.
    pub(super) fn line(&self, idx: usize) -> (usize, &'t str) {
        let start = self.starts().get(idx).copied().unwrap_or(0);
        (start, self.line_from(start))
    }

    /// The end (the newline, or the end of the text) of the line starting at `start`.
    pub(super) fn end_from(&self, start: usize) -> usize {
        let rest = self.text.as_bytes().get(start..).unwrap_or_default();
        memchr::memchr(b'\n', rest).map_or(self.text.len(), |i| start + i)
    }

    /// The line starting at byte `start`, without its newline.
    pub(super) fn line_from(&self, start: usize) -> &'t str {
        self.text.get(start..self.end_from(start)).unwrap_or("")
    }

    /// `span` lines from the one starting at `start`, without the last newline.
    pub(super) fn window(&self, start: usize, span: usize) -> &'t str {
        let mut end = self.end_from(start);
        for _ in 1..span {
            if end >= self.text.len() {
                break;
            }
            end = self.end_from(end + 1);
        }
        self.text.get(start..end).unwrap_or("")
    }
}

//! Redaction of known values: every value of an environment (at least `min` bytes long)
//! and the forms it takes when a program passes it on — base64 (standard and URL-safe,
//! padded or not, alone or inside a longer base64 text at any of the three byte
//! offsets), URL encoding (`encodeURIComponent`, hex in either case, `+` for spaces) and
//! JSON string escapes — replaced by `[REDACTED:KEY]`.
//!
//! One Aho-Corasick automaton (leftmost-longest) holds every form. [`Stream`] filters
//! text that arrives in pieces: a match split across two reads is still caught, because
//! the tail of each read that could still grow into a match (never more than the longest
//! form minus one byte, and nothing at all when no form starts there) is held back until
//! the next read or the end. `exec --redact`, `redact` and `scan --values` share it.

mod forms;
mod grams;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use zeroize::Zeroizing;

use forms::forms_of;
pub(crate) use forms::url_encode;
use grams::Grams;

/// Default shortest value that is redacted (bytes): shorter ones (`1`, `true`, `dev`)
/// would blank out ordinary words.
pub const DEFAULT_MIN: usize = 6;

/// How a value appears in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The value itself.
    Raw,
    /// base64 of the value on its own (standard or URL-safe, with or without padding).
    Base64,
    /// The part of a longer base64 text that only the value determines.
    Base64Inner,
    /// Percent-encoded (`encodeURIComponent`, either hex case, or `+` for spaces).
    Url,
    /// Inside a JSON string (escaped as `serde_json` or an ASCII-only encoder writes it).
    Json,
}

impl Form {
    /// A short name for reports.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Raw => "plain",
            Form::Base64 => "base64",
            Form::Base64Inner => "inside base64",
            Form::Url => "URL-encoded",
            Form::Json => "JSON-escaped",
        }
    }
}

/// One found form of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset where it starts.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// Index of the key in [`Patterns::keys`].
    pub key: usize,
    /// Which form it was.
    pub form: Form,
}

/// The automaton built from an environment's values.
pub struct Patterns {
    ac: Option<AhoCorasick>,
    /// Per pattern: the key it redacts and its form.
    owners: Vec<(usize, Form)>,
    /// Every pattern, sorted, to tell whether a tail of the text may still grow into one.
    sorted: Vec<Zeroizing<Vec<u8>>>,
    /// First bytes of the patterns.
    first: [bool; 256],
    /// The sampling prefilter, when the patterns are long enough for it.
    grams: Option<Grams>,
    /// Key names.
    keys: Vec<String>,
    /// `[REDACTED:KEY]` per key.
    labels: Vec<Vec<u8>>,
    max_len: usize,
}

impl std::fmt::Debug for Patterns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Patterns({} keys, {} forms, <redacted>)",
            self.keys.len(),
            self.owners.len()
        )
    }
}

impl Patterns {
    /// The automaton for `(key, value)` pairs: values shorter than `min` bytes are left
    /// alone, and so is any encoded form shorter than `min`. When two keys share a value,
    /// the first names it.
    ///
    /// # Errors
    /// When the automaton cannot be built (far beyond any real environment's size).
    pub fn new<'a>(
        values: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        min: usize,
    ) -> Result<Self, String> {
        let min = min.max(1);
        let mut keys: Vec<String> = Vec::new();
        let mut candidates: Vec<(Zeroizing<Vec<u8>>, usize, Form)> = Vec::new();
        for (key, value) in values {
            if value.len() < min {
                continue;
            }
            let k = keys.iter().position(|x| x == key).unwrap_or_else(|| {
                keys.push(key.to_owned());
                keys.len() - 1
            });
            for (bytes, form) in forms_of(value) {
                if bytes.len() >= min {
                    candidates.push((bytes, k, form));
                }
            }
        }
        // One pattern per distinct text: the first key (and form) that has it.
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by(|&a, &b| {
            candidates[a]
                .0
                .as_slice()
                .cmp(candidates[b].0.as_slice())
                .then(a.cmp(&b))
        });
        let mut keep = vec![false; candidates.len()];
        let mut prev: Option<usize> = None;
        for i in order {
            if prev.is_none_or(|p| candidates[p].0 != candidates[i].0) {
                keep[i] = true;
                prev = Some(i);
            }
        }
        let mut patterns: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        let mut owners: Vec<(usize, Form)> = Vec::new();
        for ((bytes, k, form), kept) in candidates.into_iter().zip(keep) {
            if kept {
                patterns.push(bytes);
                owners.push((k, form));
            }
        }
        let max_len = patterns.iter().map(|p| p.len()).max().unwrap_or(0);
        let ac = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(patterns.iter().map(|p| p.as_slice()))
                    .or_else(|_| {
                        AhoCorasick::builder()
                            .match_kind(MatchKind::LeftmostLongest)
                            .build(patterns.iter().map(|p| p.as_slice()))
                    })
                    .map_err(|e| format!("cannot build the redaction automaton: {e}"))?,
            )
        };
        let grams = Grams::new(patterns.iter().map(|p| p.as_slice()));
        let mut first = [false; 256];
        for p in &patterns {
            if let Some(&b) = p.first() {
                first[usize::from(b)] = true;
            }
        }
        let mut sorted = patterns;
        sorted.sort_unstable_by(|a, b| a.as_slice().cmp(b.as_slice()));
        let labels = keys
            .iter()
            .map(|k| format!("[REDACTED:{k}]").into_bytes())
            .collect();
        Ok(Self {
            ac,
            owners,
            sorted,
            first,
            grams,
            keys,
            labels,
            max_len,
        })
    }

    /// Key names, indexed by [`Hit::key`].
    #[must_use]
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// Whether there is nothing to redact.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ac.is_none()
    }

    /// The longest form, in bytes: a stream never holds back more than this minus one.
    #[must_use]
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The automaton's leftmost-longest matches in `text`, read only in the windows the
    /// prefilter leaves (the same matches as reading all of it).
    fn matches<'a>(
        &'a self,
        ac: &'a AhoCorasick,
        text: &'a [u8],
    ) -> impl Iterator<Item = aho_corasick::Match> + 'a {
        let windows = match &self.grams {
            Some(g) => g.windows(text),
            None => std::iter::once(0..text.len()).collect(),
        };
        windows
            .into_iter()
            .flat_map(move |w| ac.find_iter(Input::new(text).span(w)))
    }

    /// Every form found in `text`, leftmost-longest, not overlapping.
    pub fn find_iter<'a>(&'a self, text: &'a [u8]) -> impl Iterator<Item = Hit> + 'a {
        self.ac.iter().flat_map(move |ac| {
            self.matches(ac, text).map(move |m| {
                let (key, form) = self
                    .owners
                    .get(m.pattern().as_usize())
                    .copied()
                    .unwrap_or((0, Form::Raw));
                Hit {
                    start: m.start(),
                    end: m.end(),
                    key,
                    form,
                }
            })
        })
    }

    /// `text` with every form replaced.
    #[must_use]
    pub fn redact(&self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut s = Stream::new(self);
        s.feed(text, &mut out);
        s.finish(&mut out);
        out
    }

    /// `text` with every form replaced, for messages (lossy UTF-8).
    #[must_use]
    pub fn redact_str(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.redact(text.as_bytes())).into_owned()
    }

    /// Whether `tail` is a proper prefix of some pattern (so more text could make it one).
    fn could_grow(&self, tail: &[u8]) -> bool {
        let i = self.sorted.partition_point(|p| p.as_slice() < tail);
        self.sorted
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take(2)
            .any(|p| p.len() > tail.len() && p.starts_with(tail))
    }

    /// Where the part of `buf` that may still grow into a match begins (`buf.len()` when
    /// none does); never before `from` nor more than `max_len - 1` bytes from the end.
    fn open_tail(&self, buf: &[u8], from: usize) -> usize {
        let lo = buf
            .len()
            .saturating_sub(self.max_len.saturating_sub(1))
            .max(from);
        (lo..buf.len())
            .find(|&s| {
                buf.get(s).is_some_and(|&b| self.first[usize::from(b)])
                    && buf.get(s..).is_some_and(|t| self.could_grow(t))
            })
            .unwrap_or(buf.len())
    }

    /// Redacts `buf` into `out`. Without `eof`, stops before any match that more text
    /// could change; returns how many bytes of `buf` were handled (the rest must come
    /// again, followed by more text).
    fn process(&self, buf: &[u8], eof: bool, out: &mut Vec<u8>) -> usize {
        let Some(ac) = &self.ac else {
            out.extend_from_slice(buf);
            return buf.len();
        };
        let tail = if eof {
            buf.len()
        } else {
            self.open_tail(buf, 0)
        };
        let mut done = 0;
        for m in self.matches(ac, buf) {
            // A match starting in the open tail may still become a longer one, and one
            // starting before it is settled (every pattern that starts there is either
            // wholly inside `buf` or already impossible).
            if m.start() >= tail {
                break;
            }
            out.extend_from_slice(buf.get(done..m.start()).unwrap_or_default());
            let key = self
                .owners
                .get(m.pattern().as_usize())
                .map_or(0, |(k, _)| *k);
            out.extend_from_slice(self.labels.get(key).map_or(&b"[REDACTED]"[..], |l| l));
            done = m.end();
        }
        // Matches that ended past the tail's start moved it.
        let cut = if eof {
            buf.len()
        } else {
            self.open_tail(buf, done).max(done)
        };
        out.extend_from_slice(buf.get(done..cut).unwrap_or_default());
        cut
    }
}

/// A redacting filter over text that arrives in pieces.
pub struct Stream<'p> {
    patterns: &'p Patterns,
    /// Bytes held back: the start of a possible match.
    pending: Zeroizing<Vec<u8>>,
}

impl<'p> Stream<'p> {
    /// A filter with nothing held back.
    #[must_use]
    pub fn new(patterns: &'p Patterns) -> Self {
        Self {
            patterns,
            pending: Zeroizing::new(Vec::new()),
        }
    }

    /// Filters the next piece into `out` (which may get less than it was given: the
    /// tail that could be the start of a value is kept until [`Stream::feed`] or
    /// [`Stream::finish`] is called again).
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.pending.is_empty() {
            let used = self.patterns.process(chunk, false, out);
            self.pending
                .extend_from_slice(chunk.get(used..).unwrap_or_default());
        } else {
            self.pending.extend_from_slice(chunk);
            let buf = std::mem::take(&mut *self.pending);
            let buf = Zeroizing::new(buf);
            let used = self.patterns.process(&buf, false, out);
            self.pending
                .extend_from_slice(buf.get(used..).unwrap_or_default());
        }
    }

    /// How many bytes are held back.
    #[must_use]
    pub fn held(&self) -> usize {
        self.pending.len()
    }

    /// Filters what was held back: the text has ended.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let buf = std::mem::take(&mut *self.pending);
        let buf = Zeroizing::new(buf);
        self.patterns.process(&buf, true, out);
    }
}

#[cfg(test)]
mod tests;

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

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use base64::Engine as _;
use zeroize::Zeroizing;

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

/// The forms of one value: `(bytes, form)`, possibly with repeats.
fn forms_of(value: &[u8]) -> Vec<(Zeroizing<Vec<u8>>, Form)> {
    let mut out: Vec<(Zeroizing<Vec<u8>>, Form)> = Vec::new();
    out.push((Zeroizing::new(value.to_vec()), Form::Raw));
    let engines = [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    for e in engines {
        out.push((Zeroizing::new(e.encode(value).into_bytes()), Form::Base64));
    }
    // Inside a longer base64 text the value starts at byte offset 0, 1 or 2 of a 3-byte
    // group; the characters whose 6 bits all come from the value are the same whatever
    // surrounds it.
    let n = value.len();
    for k in 0..3usize {
        let mut padded = Zeroizing::new(vec![0u8; k]);
        padded.extend_from_slice(value);
        let first = (8 * k).div_ceil(6);
        let last = (8 * (k + n)) / 6;
        if last <= first {
            continue;
        }
        for e in [engines[1], engines[3]] {
            let text = Zeroizing::new(e.encode(padded.as_slice()).into_bytes());
            if let Some(core) = text.get(first..last) {
                out.push((Zeroizing::new(core.to_vec()), Form::Base64Inner));
            }
        }
    }
    for upper in [true, false] {
        for plus in [false, true] {
            out.push((Zeroizing::new(url_encode(value, upper, plus)), Form::Url));
        }
    }
    if let Ok(s) = std::str::from_utf8(value) {
        for ascii in [false, true] {
            out.push((
                Zeroizing::new(json_escape(s, ascii).into_bytes()),
                Form::Json,
            ));
        }
    }
    out
}

/// `encodeURIComponent`: everything but `A-Za-z0-9-_.!~*'()` percent-encoded (`+` for
/// a space when `plus`, as HTML forms do).
pub(crate) fn url_encode(value: &[u8], upper: bool, plus: bool) -> Vec<u8> {
    let digits: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = Vec::with_capacity(value.len() * 3);
    for &b in value {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b);
        } else if plus && b == b' ' {
            out.push(b'+');
        } else {
            out.push(b'%');
            out.push(digits[usize::from(b >> 4)]);
            out.push(digits[usize::from(b & 15)]);
        }
    }
    out
}

/// The inside of a JSON string holding `s`: `"` `\` and control characters escaped;
/// with `ascii`, everything past U+007F as `\uXXXX` (surrogate pairs), as encoders that
/// keep JSON to ASCII write it.
fn json_escape(s: &str, ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
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

    /// Every form found in `text`, leftmost-longest, not overlapping.
    pub fn find_iter<'a>(&'a self, text: &'a [u8]) -> impl Iterator<Item = Hit> + 'a {
        self.ac.iter().flat_map(move |ac| {
            ac.find_iter(text).map(move |m| {
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
        for m in ac.find_iter(buf) {
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
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use proptest::prelude::*;

    fn pats(pairs: &[(&str, &str)], min: usize) -> Patterns {
        Patterns::new(pairs.iter().map(|(k, v)| (*k, v.as_bytes())), min).unwrap()
    }

    fn red(p: &Patterns, text: &str) -> String {
        String::from_utf8(p.redact(text.as_bytes())).unwrap()
    }

    #[test]
    fn every_form_is_replaced() {
        let v = "p@ss/wörd+?=&\"\\ x";
        let p = pats(&[("DB_PASS", v)], 6);
        let mut forms = vec![
            v.to_owned(),
            STANDARD.encode(v),
            URL_SAFE_NO_PAD.encode(v),
            url_encode(v.as_bytes(), true, false)
                .into_iter()
                .map(char::from)
                .collect(),
            String::from_utf8(url_encode(v.as_bytes(), false, false)).unwrap(),
            String::from_utf8(url_encode(v.as_bytes(), true, true)).unwrap(),
            serde_json::to_string(v)
                .unwrap()
                .trim_matches('"')
                .to_owned(),
            json_escape(v, true),
        ];
        forms.dedup();
        for f in forms {
            let text = format!("before {f} after\n");
            assert_eq!(red(&p, &text), "before [REDACTED:DB_PASS] after\n", "{f}");
        }
    }

    #[test]
    fn base64_inside_a_longer_text_at_each_offset() {
        let v = "s3cr3t-token-value";
        let p = pats(&[("T", v)], 6);
        for k in 0..3 {
            for tail in 0..3 {
                let mut data = b"Authorization: Basic "[..k + 1].to_vec();
                data.extend_from_slice(v.as_bytes());
                data.extend_from_slice(&b"\x00\x01\x02"[..tail]);
                for enc in [STANDARD.encode(&data), URL_SAFE_NO_PAD.encode(&data)] {
                    let out = red(&p, &enc);
                    assert!(out.contains("[REDACTED:T]"), "offset {k}: {enc} -> {out}");
                    assert!(!out.contains(&STANDARD.encode(v)[..8]), "{out}");
                }
            }
        }
    }

    #[test]
    fn short_values_and_text_without_values_pass_through() {
        let p = pats(&[("SHORT", "true"), ("LONG", "abcdef123")], 6);
        assert_eq!(red(&p, "true abcdef12"), "true abcdef12");
        assert_eq!(red(&p, "xabcdef123x"), "x[REDACTED:LONG]x");
        let none = pats(&[("A", "x")], 6);
        assert!(none.is_empty());
        assert_eq!(red(&none, "anything"), "anything");
        assert_eq!(pats(&[("A", "xy")], 2).keys(), ["A"]);
    }

    #[test]
    fn longest_value_wins_and_shared_values_name_the_first_key() {
        let p = pats(
            &[("A", "secret"), ("B", "secret-longer"), ("C", "secret")],
            6,
        );
        assert_eq!(red(&p, "secret-longer secret"), "[REDACTED:B] [REDACTED:A]");
        assert_eq!(p.keys(), ["A", "B", "C"]);
    }

    #[test]
    fn a_value_split_across_pieces_is_caught_and_holdback_is_small() {
        let p = pats(&[("K", "hunter2hunter2")], 6);
        let mut s = Stream::new(&p);
        let mut out = Vec::new();
        s.feed(b"line one\nhas hunt", &mut out);
        assert_eq!(out, b"line one\nhas ");
        assert_eq!(s.held(), 4);
        s.feed(b"er2hun", &mut out);
        s.feed(b"ter2!\n", &mut out);
        // Nothing that can start a value is held after a newline.
        assert_eq!(s.held(), 0);
        assert_eq!(out, b"line one\nhas [REDACTED:K]!\n");
        s.feed(b"hunter", &mut out);
        s.finish(&mut out);
        assert_eq!(out, b"line one\nhas [REDACTED:K]!\nhunter");
    }

    #[test]
    fn a_short_match_waits_for_a_possible_longer_one() {
        let p = pats(&[("A", "abcdef"), ("B", "abcdefghij")], 6);
        let mut s = Stream::new(&p);
        let mut out = Vec::new();
        s.feed(b"xxabcdef", &mut out);
        assert_eq!(out, b"xx");
        s.feed(b"ghij.", &mut out);
        s.finish(&mut out);
        assert_eq!(out, b"xx[REDACTED:B].");
        // An earlier, longer candidate beats a later complete match.
        let p = pats(&[("A", "cdefgh"), ("B", "abcdefghijkl")], 6);
        let mut s = Stream::new(&p);
        let mut out = Vec::new();
        s.feed(b"abcdefgh", &mut out);
        s.feed(b"ijkl", &mut out);
        s.finish(&mut out);
        assert_eq!(out, b"[REDACTED:B]");
    }

    #[test]
    fn debug_shows_no_value() {
        let p = pats(&[("K", "very-secret-value")], 6);
        assert!(!format!("{p:?}").contains("very-secret"));
    }

    proptest! {
        #[test]
        fn splitting_never_changes_the_result(
            values in prop::collection::vec("[a-c]{6,12}", 1..4),
            filler in prop::collection::vec(prop_oneof!["[a-d ]{0,8}".prop_map(|s| s), Just(String::new())], 1..6),
            picks in prop::collection::vec(0usize..8, 1..6),
            cuts in prop::collection::vec(0usize..200, 0..8),
        ) {
            let pairs: Vec<(String, String)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("K{i}"), v.clone()))
                .collect();
            let p = Patterns::new(pairs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())), 6).unwrap();
            let mut text = String::new();
            for (i, f) in filler.iter().enumerate() {
                text.push_str(f);
                if let Some(&pick) = picks.get(i) {
                    let v = &values[pick % values.len()];
                    if pick % 2 == 0 { text.push_str(v) } else { text.push_str(&STANDARD.encode(v)) }
                }
            }
            let whole = p.redact(text.as_bytes());
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
            cuts.sort_unstable();
            let mut out = Vec::new();
            let mut s = Stream::new(&p);
            let mut at = 0;
            for c in cuts {
                s.feed(&text.as_bytes()[at..c], &mut out);
                prop_assert!(s.held() < p.max_len().max(1));
                at = c;
            }
            s.feed(&text.as_bytes()[at..], &mut out);
            s.finish(&mut out);
            prop_assert_eq!(&out, &whole);
            // And the whole-text result has no value left in it.
            let shown = String::from_utf8(whole).unwrap();
            for v in &values {
                prop_assert!(!shown.contains(v.as_str()), "{}", shown);
            }
        }
    }
}

//! Encoded runs worth decoding and scanning again: base64 (standard or URL-safe) of at
//! least 20 characters with mixed case and a digit, hex of at least 32, and
//! percent-encoded text. Only decodings that are mostly printable text are kept.

use base64::Engine as _;

/// Bytes of base64 (standard and URL-safe alphabets), with what kind of byte each is.
const B64: [u8; 256] = b64_classes();
const B64_MEMBER: u8 = 1;
const B64_UPPER: u8 = 2;
const B64_LOWER: u8 = 4;
const B64_DIGIT: u8 = 8;
/// A letter past `f`, or one of `+/_-`: not hex.
const B64_NOT_HEX: u8 = 16;
const B64_MIXED: u8 = B64_UPPER | B64_LOWER | B64_DIGIT;

const fn b64_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let c = b as u8;
        let hex = if c.is_ascii_hexdigit() {
            0
        } else {
            B64_NOT_HEX
        };
        table[b] = if c.is_ascii_uppercase() {
            B64_MEMBER | B64_UPPER | hex
        } else if c.is_ascii_lowercase() {
            B64_MEMBER | B64_LOWER | hex
        } else if c.is_ascii_digit() {
            B64_MEMBER | B64_DIGIT
        } else if matches!(c, b'+' | b'/' | b'_' | b'-') {
            B64_MEMBER | B64_NOT_HEX
        } else {
            0
        };
        b += 1;
    }
    table
}

/// Bytes a percent-encoded string leaves as they are (RFC 3986 unreserved, and `+`).
const UNRESERVED: [bool; 256] =
    byte_class(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+-");

const fn byte_class(members: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < members.len() {
        table[members[i] as usize] = true;
        i += 1;
    }
    table
}

/// The shortest base64 run worth decoding.
const MIN_BASE64: usize = 20;

/// Runs of at least [`MIN_BASE64`] base64 bytes (with up to two `=` after them), each
/// with the `B64_*` kinds of byte it holds. Looks at the last byte a run would need
/// first, so text without long runs is skipped in strides.
fn base64_runs(b: &[u8]) -> Vec<(std::ops::Range<usize>, u8)> {
    let member = |at: usize| B64[usize::from(b[at])] != 0;
    let mut out = Vec::new();
    let mut i = 0;
    while i + MIN_BASE64 <= b.len() {
        if !member(i + MIN_BASE64 - 1) {
            i += MIN_BASE64;
            continue;
        }
        // The last byte outside the alphabet before it, if any, restarts the search.
        if let Some(j) = (i..i + MIN_BASE64 - 1).rev().find(|&j| !member(j)) {
            i = j + 1;
            continue;
        }
        let (mut end, mut kinds) = (i, 0);
        while let Some(&c) = b.get(end) {
            let k = B64[usize::from(c)];
            if k == 0 {
                break;
            }
            kinds |= k;
            end += 1;
        }
        let mut pad = 0;
        while pad < 2 && b.get(end) == Some(&b'=') {
            end += 1;
            pad += 1;
        }
        out.push((i..end, kinds));
        i = end;
    }
    out
}

fn is_escape(b: &[u8], at: usize) -> bool {
    b.get(at) == Some(&b'%')
        && b.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
        && b.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
}

/// Percent-encoded runs: unreserved bytes and at least three `%XX` escapes.
fn percent_runs(b: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let mut from = 0;
    for at in memchr::memchr_iter(b'%', b) {
        if at < from || !is_escape(b, at) {
            continue;
        }
        let mut start = at;
        while start > from && UNRESERVED[usize::from(b[start - 1])] {
            start -= 1;
        }
        let (mut end, mut escapes) = (at, 0);
        loop {
            if is_escape(b, end) {
                end += 3;
                escapes += 1;
            } else if end < b.len() && UNRESERVED[usize::from(b[end])] {
                end += 1;
            } else {
                break;
            }
        }
        if escapes >= 3 {
            out.push(start..end);
        }
        from = end;
    }
    out
}

/// What an encoded run may hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Run {
    Percent,
    /// A base64-alphabet run; the `B64_*` kinds of byte in it.
    Base64(u8),
}

/// Encoded runs in `text`, in order, chosen as a leftmost-first search for either kind
/// would: where a base64 run and a percent run overlap, the one starting first wins (the
/// base64 run on a tie), and a percent run cut by a base64 run goes on after it.
fn runs(text: &str) -> Vec<(std::ops::Range<usize>, Run)> {
    let b = text.as_bytes();
    let base64 = base64_runs(b);
    if memchr::memchr(b'%', b).is_none() {
        return base64
            .into_iter()
            .map(|(r, kinds)| (r, Run::Base64(kinds)))
            .collect();
    }
    let mut out: Vec<(std::ops::Range<usize>, Run)> = Vec::new();
    let mut percent: std::collections::VecDeque<_> = percent_runs(b).into();
    let mut base64: std::collections::VecDeque<_> = base64.into();
    while let Some((r, kinds)) = base64.pop_front() {
        // Percent runs that start before this base64 run win over it; what is left of
        // it after them is a base64 run again if it is still long enough.
        let mut beaten = false;
        while let Some(p) = percent.front().cloned() {
            if p.start >= r.start {
                break;
            }
            percent.pop_front();
            let overlaps = p.end > r.start;
            out.push((p.clone(), Run::Percent));
            if overlaps {
                beaten = true;
                let rest = b.get(p.end..r.end).unwrap_or_default();
                if let Some((q, kinds)) = base64_runs(rest).into_iter().next() {
                    if q.start == 0 {
                        base64.push_front((q.start + p.end..q.end + p.end, kinds));
                    }
                }
                break;
            }
        }
        if beaten {
            continue;
        }
        // This base64 run wins over the percent runs it overlaps; what is left of them
        // after it is searched again.
        while let Some(p) = percent.front().cloned() {
            if p.start >= r.end {
                break;
            }
            percent.pop_front();
            if p.end > r.end {
                let rest = b.get(r.end..p.end).unwrap_or_default();
                for q in percent_runs(rest).into_iter().rev() {
                    percent.push_front(q.start + r.end..q.end + r.end);
                }
            }
        }
        out.push((r, Run::Base64(kinds)));
    }
    out.extend(percent.into_iter().map(|p| (p, Run::Percent)));
    out
}

fn printable(b: &[u8]) -> Option<String> {
    if b.len() < 8 {
        return None;
    }
    let text = std::str::from_utf8(b).ok()?;
    let good = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
        .count();
    (good * 100 >= text.chars().count() * 95).then(|| text.to_owned())
}

fn percent(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    Some(out)
}

/// Whether `s` is base64 of prose (words and spaces): encoded text, not a key.
#[must_use]
pub fn is_encoded_prose(s: &str) -> bool {
    if s.len() < 24 {
        return false;
    }
    let body = s.trim_end_matches('=');
    let decoded = if body.contains(['-', '_']) {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body)
    } else {
        base64::engine::general_purpose::STANDARD_NO_PAD.decode(body)
    };
    let Some(text) = decoded.ok().and_then(|b| String::from_utf8(b).ok()) else {
        return false;
    };
    let n = text.chars().count();
    let wordy = text
        .chars()
        .filter(|c| c.is_alphabetic() || matches!(c, ' ' | ',' | '.' | '\'' | '-'))
        .count();
    text.matches(' ').count() >= 3 && wordy * 100 >= n * 95
}

/// `(byte offset, run, encoding, decoded text)` for each decodable run of `text`.
pub fn candidates(text: &str) -> Vec<(usize, &str, &'static str, String)> {
    let mut out = Vec::new();
    for (range, kind) in runs(text) {
        let Some(s) = text.get(range.clone()) else {
            continue;
        };
        let start = range.start;
        let kinds = match kind {
            Run::Percent => {
                if let Some(t) = percent(s).as_deref().and_then(printable) {
                    if t != s {
                        out.push((start, s, "percent", t));
                    }
                }
                continue;
            }
            Run::Base64(kinds) => kinds,
        };
        // Hex first (`kinds` does not see `=` padding after a run); base64 worth
        // decoding mixes both cases and digits (identifiers and words do not).
        let hex = kinds & B64_NOT_HEX == 0 && !s.ends_with('=');
        if hex && s.len() >= 32 && s.len() % 2 == 0 {
            if let Some(t) = hex::decode(s).ok().as_deref().and_then(printable) {
                out.push((start, s, "hex", t));
            }
            continue;
        }
        if kinds & B64_MIXED != B64_MIXED {
            continue;
        }
        let body = s.trim_end_matches('=');
        let decoded = if body.contains(['-', '_']) {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body)
        } else {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(body)
        };
        if let Some(t) = decoded.ok().as_deref().and_then(printable) {
            out.push((start, s, "base64", t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{base64_runs, candidates, percent_runs};
    use proptest::prelude::*;

    proptest! {
        /// The stride search finds exactly the runs a regex finds.
        #[test]
        fn base64_runs_agree_with_a_regex(text in "([A-Za-z0-9+/_=%. -]{0,30}\n?){0,12}") {
            let re = regex::Regex::new(r"[A-Za-z0-9+/_-]{20,}={0,2}").unwrap();
            let want: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            let got: Vec<_> = base64_runs(text.as_bytes()).into_iter().map(|(r, _)| r).collect();
            prop_assert_eq!(got, want);
        }

        /// Both kinds together are chosen as the old alternation chose them.
        #[test]
        fn runs_agree_with_the_alternation(
            text in "([A-Za-z0-9+/_=.~ -]{0,25}(%[0-9A-Fa-f]{2})?){0,12}"
        ) {
            let re = regex::Regex::new(
                r"[A-Za-z0-9+/_-]{20,}={0,2}|(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*",
            ).unwrap();
            let want: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            let got: Vec<_> = super::runs(&text).into_iter().map(|(r, _)| r).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn percent_runs_agree_with_a_regex(text in "([A-Za-z0-9%.~ +-]{0,12}(%[0-9A-Fa-f]{2})?){0,12}") {
            let re = regex::Regex::new(
                r"(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*",
            ).unwrap();
            let want: Vec<_> = re.find_iter(&text).map(|m| m.range()).collect();
            prop_assert_eq!(percent_runs(text.as_bytes()), want);
        }
    }

    #[test]
    fn decodes_base64_hex_and_percent_runs_of_text_only() {
        let b64 = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "token = ghp_example_value_1234",
        );
        let hex = hex::encode("password=Xk9mQ2vLp7zR");
        let line = format!(
            "a: {b64}\nb: {hex}\nc: user%3Dme%26pass%3Dsecret%21\nd: getUserAccountSettings2Now\n\
             e: 70617373776f72643d586B396D5132764C70377A52\n"
        );
        let got = candidates(&line);
        let kinds: Vec<&str> = got.iter().map(|g| g.2).collect();
        assert_eq!(kinds, ["base64", "hex", "percent", "hex"], "{got:?}");
        assert_eq!(got[0].3, "token = ghp_example_value_1234");
        assert_eq!(got[1].3, "password=Xk9mQ2vLp7zR");
        assert_eq!(got[2].3, "user=me&pass=secret!");
    }
}

//! Encoded runs worth decoding and scanning again: base64 (standard or URL-safe) of at
//! least 20 characters with mixed case and a digit, hex of at least 32, and
//! percent-encoded text. Only decodings that are mostly printable text are kept.

use std::sync::OnceLock;

use base64::Engine as _;
use regex::Regex;

fn runs() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"[A-Za-z0-9+/_-]{20,}={0,2}|(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*",
        )
        .ok()
    })
    .as_ref()
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
    let Some(re) = runs() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in re.find_iter(text) {
        let s = m.as_str();
        if s.contains('%') {
            if let Some(t) = percent(s).as_deref().and_then(printable) {
                if t != s {
                    out.push((m.start(), s, "percent", t));
                }
            }
            continue;
        }
        if s.len() >= 32 && s.len() % 2 == 0 && s.bytes().all(|c| c.is_ascii_hexdigit()) {
            if let Some(t) = hex::decode(s).ok().as_deref().and_then(printable) {
                out.push((m.start(), s, "hex", t));
            }
            continue;
        }
        let (mut upper, mut lower, mut digit) = (false, false, false);
        for c in s.bytes() {
            upper |= c.is_ascii_uppercase();
            lower |= c.is_ascii_lowercase();
            digit |= c.is_ascii_digit();
        }
        if !(upper && lower && digit) {
            continue;
        }
        let body = s.trim_end_matches('=');
        let decoded = if body.contains(['-', '_']) {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body)
        } else {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(body)
        };
        if let Some(t) = decoded.ok().as_deref().and_then(printable) {
            out.push((m.start(), s, "base64", t));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::candidates;

    #[test]
    fn decodes_base64_hex_and_percent_runs_of_text_only() {
        let b64 = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "token = ghp_example_value_1234",
        );
        let hex = hex::encode("password=Xk9mQ2vLp7zR");
        let line = format!(
            "a: {b64}\nb: {hex}\nc: user%3Dme%26pass%3Dsecret%21\nd: getUserAccountSettings2Now\n"
        );
        let got = candidates(&line);
        let kinds: Vec<&str> = got.iter().map(|g| g.2).collect();
        assert_eq!(kinds, ["base64", "hex", "percent"], "{got:?}");
        assert_eq!(got[0].3, "token = ghp_example_value_1234");
        assert_eq!(got[1].3, "password=Xk9mQ2vLp7zR");
        assert_eq!(got[2].3, "user=me&pass=secret!");
    }
}

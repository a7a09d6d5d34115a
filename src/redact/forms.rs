//! The forms a value takes when a program passes it on: itself, base64 (alone or inside
//! a longer base64 text), percent-encoded and JSON-escaped.

use base64::Engine as _;
use zeroize::Zeroizing;

use super::Form;

/// The forms of one value: `(bytes, form)`, possibly with repeats.
pub(super) fn forms_of(value: &[u8]) -> Vec<(Zeroizing<Vec<u8>>, Form)> {
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
        // Go's encoding/json also writes `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`.
        let mut go = Zeroizing::new(String::with_capacity(s.len() + 8));
        crate::store::json::write_string(&mut go, s);
        if let Some(inner) = go.get(1..go.len().saturating_sub(1)) {
            out.push((Zeroizing::new(inner.as_bytes().to_vec()), Form::Json));
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
pub(super) fn json_escape(s: &str, ascii: bool) -> String {
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

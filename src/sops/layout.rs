//! Keeping a file's metadata block as it was written. Teams that mix sops and sealbox
//! should see only real changes in diffs: when a value is edited, the stanzas (and the
//! data key) stay the same, so the block is taken from the old file as it was (key
//! order, indentation of the armored keys, `version`) and only `lastmodified` and `mac`
//! get their new values. The result is parsed back and used only when it reads as the
//! freshly written file does; otherwise the fresh output stands.

use crate::store::Format;

use super::Sealed;

/// The byte range of the metadata block in a file's text.
fn block(format: Format, text: &str) -> Option<std::ops::Range<usize>> {
    let lines = line_starts(text);
    let line = |i: usize| -> &str {
        let end = lines.get(i + 1).copied().unwrap_or(text.len());
        &text[lines[i]..end]
    };
    match format {
        Format::Yaml => {
            // `sops:` at column 0, to the next top-level key, document marker or EOF.
            let start = (0..lines.len()).find(|&i| line(i).trim_end() == "sops:")?;
            let end = (start + 1..lines.len())
                .find(|&i| {
                    let l = line(i);
                    !l.starts_with([' ', '\t', '\n', '\r', '#']) && !l.is_empty()
                })
                .map_or(text.len(), |i| lines[i]);
            Some(lines[start]..end)
        }
        Format::Json => {
            // `"sops": {` at some indent, to the `}` at the same indent.
            let start = (0..lines.len()).find(|&i| {
                let l = line(i).trim_start();
                l.starts_with("\"sops\": {") || l.starts_with("\"sops\":{")
            })?;
            let indent = &line(start)[..line(start).len() - line(start).trim_start().len()];
            let end = (start + 1..lines.len()).find(|&i| {
                let l = line(i).trim_end_matches(['\n', '\r']);
                l == format!("{indent}}}") || l == format!("{indent}}},")
            })?;
            let close = lines[end] + line(end).find('}')? + 1;
            Some(lines[start] + line(start).len() - line(start).trim_start().len()..close)
        }
        Format::Dotenv => {
            // The `sops_` lines, contiguous.
            let first = (0..lines.len()).find(|&i| line(i).starts_with("sops_"))?;
            let last = (first..lines.len())
                .take_while(|&i| line(i).starts_with("sops_"))
                .last()?;
            let end = lines.get(last + 1).copied().unwrap_or(text.len());
            Some(lines[first]..end)
        }
        Format::Ini => {
            let start = (0..lines.len()).find(|&i| line(i).trim_end() == "[sops]")?;
            let end = (start + 1..lines.len())
                .find(|&i| line(i).trim_start().starts_with('['))
                .map_or(text.len(), |i| lines[i]);
            Some(lines[start]..end)
        }
        Format::Binary => None,
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    if v.last() == Some(&text.len()) {
        v.pop();
    }
    v
}

/// Whether two metadata blocks differ only in `lastmodified`, `mac` and `version`.
fn same_keys(a: &Sealed, b: &Sealed) -> bool {
    let strip = |s: &Sealed| {
        let mut m = s.meta.clone();
        m.lastmodified.clear();
        m.mac = None;
        m.version.clear();
        m.to_value()
    };
    strip(a) == strip(b)
}

/// `fresh` (just written from `old`'s data key and stanzas) with `old`'s metadata
/// block in place of its own, `lastmodified` and `mac` updated. `fresh` unchanged when
/// the stanzas differ or the result would not read back the same.
#[must_use]
pub fn keep(format: Format, old: &[u8], fresh: Vec<u8>) -> Vec<u8> {
    keep_inner(format, old, &fresh).unwrap_or(fresh)
}

fn keep_inner(format: Format, old: &[u8], fresh: &[u8]) -> Option<Vec<u8>> {
    let old_text = std::str::from_utf8(old).ok()?;
    let new_text = std::str::from_utf8(fresh).ok()?;
    let parse = |b: &[u8]| {
        format
            .parse_encrypted(b)
            .ok()
            .and_then(|t| Sealed::from_tree(format, t).ok())
    };
    let (before, after) = (parse(old)?, parse(fresh)?);
    if !same_keys(&before, &after) {
        return None;
    }
    let old_mac = before.meta.mac.as_deref()?;
    let new_mac = after.meta.mac.as_deref()?;
    let (old_lm, new_lm) = (&before.meta.lastmodified, &after.meta.lastmodified);
    if old_mac.is_empty() || old_lm.is_empty() {
        return None;
    }
    let old_block = &old_text[block(format, old_text)?];
    let new_range = block(format, new_text)?;
    // Each value must appear exactly once in the old block to be replaced safely.
    if old_block.matches(old_mac).count() != 1 || old_block.matches(old_lm.as_str()).count() != 1 {
        return None;
    }
    let kept = old_block
        .replacen(old_mac, new_mac, 1)
        .replacen(old_lm.as_str(), new_lm, 1);
    let mut out = String::with_capacity(new_text.len());
    out.push_str(&new_text[..new_range.start]);
    out.push_str(&kept);
    out.push_str(&new_text[new_range.end..]);
    let check = parse(out.as_bytes())?;
    let same = check.meta.mac.as_deref() == Some(new_mac)
        && check.meta.lastmodified == *new_lm
        && same_keys(&check, &after)
        && check.tree.docs == after.tree.docs;
    same.then(|| out.into_bytes())
}

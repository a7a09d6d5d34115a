//! `scan --values`: where an environment's real values (and their encoded forms) occur
//! in a text, found with the automaton [`crate::redact::Patterns`] builds from them.
//! A finding names the file, line, column, commit and key, never the value: its
//! `secret`, `matched` and `line_text` hold `[REDACTED:KEY]`, and its fingerprint is
//! taken over the key and the place, not over the value (a hash of a short value could
//! be reversed by guessing).

use std::collections::BTreeSet;

use crate::redact::Patterns;
use crate::scan::Finding;

/// The rule id of every value finding.
pub const RULE_ID: &str = "environment-value";

/// What the findings say about where the values came from.
pub struct Source<'a> {
    /// The automaton.
    pub patterns: &'a Patterns,
    /// Per key of `patterns` (same index): the environment it came from.
    pub envs: &'a [String],
}

/// The value findings in `text` (shown as `file`); with `lines`, only matches that touch
/// one of those 1-based lines (the lines a change adds).
#[must_use]
pub fn find(
    source: &Source<'_>,
    file: &str,
    text: &str,
    lines: Option<&BTreeSet<usize>>,
) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // Line counting is incremental: hits come in order.
    let mut line = 1usize;
    let mut line_start = 0usize;
    let mut counted = 0usize;
    for hit in source.patterns.find_iter(bytes) {
        let before = bytes.get(counted..hit.start).unwrap_or_default();
        for nl in memchr::memchr_iter(b'\n', before) {
            line += 1;
            line_start = counted + nl + 1;
        }
        counted = hit.start;
        let inside = bytes.get(hit.start..hit.end).unwrap_or_default();
        let last_line = line + memchr::memchr_iter(b'\n', inside).count();
        if let Some(set) = lines {
            if set.range(line..=last_line).next().is_none() {
                continue;
            }
        }
        let col = String::from_utf8_lossy(bytes.get(line_start..hit.start).unwrap_or_default())
            .chars()
            .count()
            + 1;
        let key = source
            .patterns
            .keys()
            .get(hit.key)
            .map_or("?", String::as_str);
        let env = source.envs.get(hit.key).map_or("?", String::as_str);
        let label = format!("[REDACTED:{key}]");
        let description = format!(
            "the value of {key} from environment '{env}' ({})",
            hit.form.as_str()
        );
        let mut f = Finding::at(
            RULE_ID,
            &description,
            file,
            (line, col),
            &label,
            &label,
            &label,
            vec![
                format!("key:{key}"),
                format!("env:{env}"),
                format!("form:{}", hit.form.as_str()),
            ],
        );
        f.entropy = 0.0;
        f.fingerprint = crate::scan::fingerprint(RULE_ID, &format!("{env}:{key}:{file}:{line}"));
        out.push(f);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_columns_and_keys_without_the_value() {
        let p =
            Patterns::new([("DB", &b"hunter2hunter2"[..]), ("API", b"k-123456789")], 6).unwrap();
        let envs = vec!["prod".to_owned(), "prod".to_owned()];
        let src = Source {
            patterns: &p,
            envs: &envs,
        };
        let text = "a\npass=hunter2hunter2\n\u{e9}x aHVudGVyMmh1bnRlcjI= k-123456789\n";
        let f = find(&src, "cfg.txt", text, None);
        assert_eq!(f.len(), 3);
        assert_eq!((f[0].line, f[0].col), (2, 6));
        assert_eq!((f[1].line, f[1].col), (3, 4));
        assert!(f[1].description.contains("base64") && f[1].description.contains("DB"));
        assert_eq!((f[2].line, f[2].col), (3, 25));
        assert!(f[2].description.contains("API"));
        for x in &f {
            let shown = format!(
                "{} {} {} {:?}",
                x.secret.as_str(),
                x.matched.as_str(),
                x.line_text.as_str(),
                x
            );
            assert!(
                !shown.contains("hunter2") && !shown.contains("k-1234"),
                "{shown}"
            );
        }
        // Only the added lines.
        let only: BTreeSet<usize> = [3].into_iter().collect();
        assert_eq!(find(&src, "cfg.txt", text, Some(&only)).len(), 2);
        // A value that spans lines counts for each.
        let p = Patterns::new([("M", &b"line1\nline2"[..])], 6).unwrap();
        let envs = vec!["dev".to_owned()];
        let src = Source {
            patterns: &p,
            envs: &envs,
        };
        let only: BTreeSet<usize> = [2].into_iter().collect();
        assert_eq!(find(&src, "f", "line1\nline2\n", Some(&only)).len(), 1);
    }
}

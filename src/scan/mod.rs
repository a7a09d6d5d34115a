//! The secret scanner: a keyword prefilter (Aho-Corasick, case-insensitive) picks the
//! lines and rules worth running, the rule's regex finds the secret, then the entropy
//! floor, placeholders, sops `ENC[…]` values, `sealbox:allow`/`gitleaks:allow` markers
//! and ignored fingerprints drop what is not a leak. Sources (directories, staged
//! changes, stdin) and reports live beside it.

mod csv;
mod decode;
mod finding;
pub mod gitleaks;
mod keywords;
mod lines;
mod noise;
pub mod report;
pub mod rules;
pub mod sources;
pub mod values;

pub use finding::{fingerprint, Finding, Severity};

/// Rules or a gitleaks config that cannot be used; the message names the rule, file or
/// field (never a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError(String);

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ScanError {}

impl From<String> for ScanError {
    fn from(m: String) -> Self {
        Self(m)
    }
}

impl From<ScanError> for crate::error::Error {
    fn from(e: ScanError) -> Self {
        crate::error::Error::Usage(e.0)
    }
}
use lines::Lines;
use noise::{filtered, is_placeholder, skip_line, MAX_RULE_LINES};

use zeroize::Zeroizing;

use rules::Rule;

/// Rules that share their keywords and window size. Where many lines hit them, one
/// `RegexSet` pass over a line tells which of them match before any runs for its
/// captures: the generic assignment rules share keywords such as `token`, and most
/// lines that name a token hold none.
struct Group {
    rules: Vec<usize>,
    span: usize,
    /// Built on first use; `None` when the patterns do not build as one set.
    set: std::sync::OnceLock<Option<regex::bytes::RegexSet>>,
}

/// A group is checked through its set once this many lines of one text hit it (or once
/// its set exists): a pre-commit scan of a few lines does not pay for building sets.
const SET_AFTER_LINES: usize = 8;

/// The lazy DFA cache of one set, per thread: the set of a dozen generic assignment
/// patterns needs about 4 MiB of states on a large tree; with the default 2 MiB it keeps
/// clearing them and runs at half speed.
const SET_DFA_CACHE: usize = 8 << 20;

/// Compiled rules and their prefilter.
pub struct Scanner {
    rules: Vec<Rule>,
    prefilter: keywords::Keywords,
    /// Pattern index → group indexes.
    pattern_groups: Vec<Vec<usize>>,
    groups: Vec<Group>,
    /// Groups of rules without keywords (custom configs): run on every line.
    always: Vec<usize>,
    /// Rules with a `files` pattern: run on every line of the files it matches.
    file_rules: Vec<usize>,
    /// Whether each rule is a catch-all assignment rule (its hit yields to others).
    generic: Vec<bool>,
    ignored: std::collections::HashSet<String>,
    /// Shorter fingerprints (at least [`MIN_FINGERPRINT_PREFIX`] hex digits, as the human
    /// report shows them): each ignores the fingerprints it starts.
    ignored_prefixes: Vec<String>,
    /// Global allowlists (gitleaks `[[allowlists]]`).
    allow: Vec<gitleaks::Allow>,
}

/// The shortest fingerprint prefix an ignore file may hold (what the human report shows).
pub const MIN_FINGERPRINT_PREFIX: usize = report::FINGERPRINT_SHOWN;

/// How many encodings deep the scanner looks (base64 of hex of a secret is 2).
pub const MAX_DECODE_DEPTH: usize = 2;

impl Scanner {
    /// Builds a scanner from rules.
    ///
    /// # Errors
    /// When the prefilter cannot be built.
    pub fn new(rules: Vec<Rule>) -> Result<Self, ScanError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        let mut file_rules = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.files.is_some() {
                file_rules.push(i);
            }
            // Path-only rules need no line; file rules run in their files.
            if r.def.keywords.is_empty() && r.files.is_none() && !r.path_only {
                always.push(i);
            }
            for k in &r.def.keywords {
                let k = k.to_ascii_lowercase();
                match patterns.iter().position(|p| *p == k) {
                    Some(j) => owners[j].push(i),
                    None => {
                        patterns.push(k);
                        owners.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = keywords::Keywords::new(&patterns)?;
        // Split each owner list by window size; equal lists share their groups.
        let mut groups: Vec<Group> = Vec::new();
        let mut known: std::collections::HashMap<(Vec<usize>, usize), usize> =
            std::collections::HashMap::new();
        let mut grouped = |list: &[usize]| -> Vec<usize> {
            let mut spans: Vec<usize> = list.iter().map(|&i| rules[i].span()).collect();
            spans.sort_unstable();
            spans.dedup();
            spans
                .into_iter()
                .map(|span| {
                    let members: Vec<usize> = list
                        .iter()
                        .copied()
                        .filter(|&i| rules[i].span() == span)
                        .collect();
                    *known.entry((members.clone(), span)).or_insert_with(|| {
                        groups.push(Group {
                            rules: members,
                            span,
                            set: std::sync::OnceLock::new(),
                        });
                        groups.len() - 1
                    })
                })
                .collect()
        };
        let pattern_groups = owners.iter().map(|o| grouped(o)).collect();
        let always = grouped(&always);
        let generic = rules
            .iter()
            .map(|r| r.def.filters.contains(&rules::Filter::Assignment))
            .collect();
        Ok(Self {
            rules,
            prefilter,
            pattern_groups,
            groups,
            always,
            file_rules,
            generic,
            ignored: std::collections::HashSet::new(),
            ignored_prefixes: Vec::new(),
            allow: Vec::new(),
        })
    }

    /// The built-in rules.
    ///
    /// # Errors
    /// Only if the embedded rules are broken (a test guards this).
    pub fn builtin() -> Result<Self, ScanError> {
        Self::new(rules::load(rules::BUILTIN, "built-in rules")?)
    }

    /// Adds global allowlists.
    pub fn allow(&mut self, lists: Vec<gitleaks::Allow>) {
        self.allow.extend(lists);
    }

    /// Whether an allowlist (the rule's or a global one) drops `f`.
    #[must_use]
    pub fn allowed(&self, f: &Finding) -> bool {
        let own = self
            .rules
            .iter()
            .find(|r| r.def.id == f.rule_id)
            .map_or(&[][..], |r| r.allow.as_slice());
        own.iter().chain(self.allow.iter()).any(|a| a.drops(f))
    }

    /// Fingerprints to ignore (`.sealboxignore`, baselines): whole ones, or prefixes of
    /// at least [`MIN_FINGERPRINT_PREFIX`] hex digits (shorter ones are not used).
    pub fn ignore(&mut self, fingerprints: impl IntoIterator<Item = String>) {
        for fp in fingerprints {
            let fp = fp.to_ascii_lowercase();
            if fp.len() >= 64 {
                self.ignored.insert(fp);
            } else if fp.len() >= MIN_FINGERPRINT_PREFIX {
                self.ignored_prefixes.push(fp);
            }
        }
    }

    /// Whether `fingerprint` is ignored, whole or by a prefix.
    fn is_ignored(&self, fingerprint: &str) -> bool {
        self.ignored.contains(fingerprint)
            || self
                .ignored_prefixes
                .iter()
                .any(|p| fingerprint.starts_with(p.as_str()))
    }

    /// The rules.
    #[must_use]
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Scans `text`; `lines` restricts the scan to these 1-based lines (staged additions).
    /// Base64, hex and percent-encoded runs are decoded and scanned too (up to
    /// [`MAX_DECODE_DEPTH`] levels); such findings point at the encoded run and carry
    /// `decoded:<encoding>` and `decode-depth:<n>` tags.
    #[must_use]
    pub fn scan(
        &self,
        file: &str,
        text: &str,
        lines: Option<&std::collections::BTreeSet<usize>>,
    ) -> Vec<Finding> {
        let mut out = self.scan_plain(file, text, lines, true);
        self.scan_decoded(file, text, lines, 1, &mut out);
        out
    }

    fn scan_decoded(
        &self,
        file: &str,
        text: &str,
        lines: Option<&std::collections::BTreeSet<usize>>,
        depth: usize,
        out: &mut Vec<Finding>,
    ) {
        if depth > MAX_DECODE_DEPTH {
            return;
        }
        let bytes = text.as_bytes();
        // Candidates come in text order: each one's line is found from the previous one's
        // (a long minified line is not searched again for every run on it).
        let (mut counted_to, mut line_idx, mut line_start) = (0, 0, 0);
        // The current line and whether an allow marker is on it, once looked up.
        let mut current: Option<(&str, bool)> = None;
        for (at, run, encoding, decoded) in decode::candidates(text) {
            let between = bytes.get(counted_to..at).unwrap_or_default();
            if let Some(nl) = memchr::memrchr(b'\n', between) {
                line_idx += memchr::memchr_iter(b'\n', between).count();
                line_start = counted_to + nl + 1;
                current = None;
            }
            counted_to = counted_to.max(at);
            if lines.is_some_and(|set| !set.contains(&(line_idx + 1))) {
                continue;
            }
            let (line, allowed) = *current.get_or_insert_with(|| {
                let end = memchr::memchr(b'\n', bytes.get(at..).unwrap_or_default())
                    .map_or(text.len(), |i| at + i);
                let line = text.get(line_start..end).unwrap_or("");
                (
                    line,
                    line.contains("sealbox:allow") || line.contains("gitleaks:allow"),
                )
            });
            if allowed {
                continue;
            }
            // Decoded text is not the file: path-only and file-path rules stay out.
            let mut inner = self.scan_plain(file, &decoded, None, false);
            self.scan_decoded(file, &decoded, None, depth + 1, &mut inner);
            for mut f in inner {
                if out
                    .iter()
                    .any(|o| o.line == line_idx + 1 && o.secret == f.secret)
                {
                    continue;
                }
                // The decoded secret says more than a generic hit on its encoding.
                out.retain(|o| {
                    !(o.line == line_idx + 1
                        && self.is_generic(&o.rule_id)
                        && run.contains(o.secret.as_str()))
                });
                f.line = line_idx + 1;
                f.col = text
                    .get(line_start..at)
                    .map_or(1, |p| p.chars().count() + 1);
                f.line_text = Zeroizing::new(line.trim().to_owned());
                if !f.tags.iter().any(|t| t.starts_with("decoded:")) {
                    f.tags.push(format!("decoded:{encoding}"));
                    f.tags.push(format!("decode-depth:{depth}"));
                }
                out.push(f);
            }
        }
    }

    /// One pass of the rules over `text`; `whole` when `text` is the file's own (not
    /// decoded from it), so the rules that go by its path apply.
    fn scan_plain(
        &self,
        file: &str,
        text: &str,
        lines: Option<&std::collections::BTreeSet<usize>>,
        whole: bool,
    ) -> Vec<Finding> {
        let text_lines = Lines::new(text);
        // Which groups of rules to try on which lines (by the byte their line starts at),
        // from one pass of the prefilter.
        let mut hits: Vec<(usize, usize)> = Vec::new();
        if !self.always.is_empty() {
            for (idx, &start) in text_lines.starts().iter().enumerate() {
                if lines.is_some_and(|set| !set.contains(&(idx + 1))) {
                    continue;
                }
                hits.extend(self.always.iter().map(|&g| (start, g)));
            }
        }
        let mut found: Vec<(usize, usize)> = Vec::new();
        self.prefilter
            .each(text.as_bytes(), |at, pattern| found.push((at, pattern)));
        // In text order, so each line start is found by looking back no further than
        // the previous hit (a long minified line is not searched again for every hit).
        found.sort_unstable();
        let (mut last_at, mut last_start) = (0, 0);
        for (at, pattern) in found {
            // A keyword within the reach of a multi-line rule above a scanned line counts;
            // single-line rules check their own line below.
            if let Some(set) = lines {
                let idx = text_lines.index_of(at);
                if set.range(idx + 1..=idx + MAX_RULE_LINES).next().is_none() {
                    continue;
                }
            }
            let Some(gs) = self.pattern_groups.get(pattern) else {
                continue;
            };
            let between = text.as_bytes().get(last_at..at).unwrap_or_default();
            if let Some(nl) = memchr::memrchr(b'\n', between) {
                last_start = last_at + nl + 1;
            }
            last_at = at;
            hits.extend(gs.iter().map(|&g| (last_start, g)));
        }
        hits.sort_unstable();
        hits.dedup();
        let mut lines_per_group = vec![0usize; self.groups.len()];
        for &(_, g) in &hits {
            lines_per_group[g] += 1;
        }
        let mut out: Vec<(usize, Finding)> = Vec::new();
        for (ri, rule) in self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| whole && r.path_only)
        {
            if rule.path.as_ref().is_some_and(|p| p.is_match(file)) {
                let mut f =
                    Finding::for_file(&rule.def.id, &rule.def.description, file, rule.tags.clone());
                f.severity = rule.def.severity;
                out.push((ri, f));
            }
        }
        let mut done: Vec<usize> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        for (at, &(start, _)) in hits.iter().enumerate() {
            if at > 0 && hits[at - 1].0 == start {
                continue;
            }
            let line = text_lines.line_from(start);
            let skip_first = skip_line(line);
            let selected = lines.is_none_or(|set| set.contains(&(text_lines.index_of(start) + 1)));
            done.clear();
            for &(_, g) in hits[at..].iter().take_while(|(l, _)| *l == start) {
                let Some(group) = self.groups.get(g) else {
                    continue;
                };
                if group.span == 1 && (skip_first || !selected) {
                    continue;
                }
                // The text the patterns see: this line, or it and the next ones.
                let window = text_lines.window(start, group.span);
                candidates.clear();
                let set = (group.rules.len() > 1
                    && (group.set.get().is_some() || lines_per_group[g] >= SET_AFTER_LINES))
                    .then(|| group.set.get_or_init(|| self.build_set(group)).as_ref())
                    .flatten();
                match set {
                    // Most lines hold none: telling that is cheaper than asking which.
                    Some(set) if !set.is_match(window.as_bytes()) => {}
                    Some(set) => candidates.extend(
                        set.matches(window.as_bytes())
                            .into_iter()
                            .filter_map(|k| group.rules.get(k).copied()),
                    ),
                    None => candidates.extend_from_slice(&group.rules),
                }
                for &ri in &candidates {
                    if done.contains(&ri) {
                        continue;
                    }
                    done.push(ri);
                    let Some(rule) = self.rules.get(ri) else {
                        continue;
                    };
                    if rule.path_only || rule.path.as_ref().is_some_and(|p| !p.is_match(file)) {
                        continue;
                    }
                    for f in self.findings_of(rule, file, &text_lines, start, window, lines) {
                        out.push((ri, f));
                    }
                }
            }
        }
        // Credential files: their rules see every line of the files they name.
        for &ri in self.file_rules.iter().filter(|_| whole) {
            let Some(rule) = self.rules.get(ri) else {
                continue;
            };
            if !rule.files.as_ref().is_some_and(|p| p.is_match(file))
                || rule.path.as_ref().is_some_and(|p| !p.is_match(file))
            {
                continue;
            }
            // What the rule requires is nowhere in the file: no line needs a look.
            if rule.csv.is_none() && !rule.admits(text) {
                continue;
            }
            if let Some(column) = rule.csv.as_ref().and_then(rules::LazyRegex::get) {
                for (idx, offset, value) in csv::column_values(text, column) {
                    if lines.is_some_and(|set| !set.contains(&(idx + 1)))
                        || is_placeholder(&value)
                        || filtered(&rule.def.filters, &value, &value)
                    {
                        continue;
                    }
                    let (_, line) = text_lines.line(idx);
                    if skip_line(line) {
                        continue;
                    }
                    let col = line.get(..offset).map_or(1, |p| p.chars().count() + 1);
                    let mut f = Finding::at(
                        &rule.def.id,
                        &rule.def.description,
                        file,
                        (idx + 1, col),
                        &value,
                        line.trim(),
                        line,
                        rule.tags.clone(),
                    );
                    f.severity = rule.def.severity;
                    out.push((ri, f));
                }
                continue;
            }
            // The lines that hold what the rule requires (all lines if it requires
            // nothing): found by one search of the whole text, not a test per line.
            let starts: Vec<usize> = match rule.def.requires.first() {
                Some(need) => {
                    let mut idxs: Vec<usize> = need
                        .split('|')
                        .flat_map(|lit| rules::find_ignoring_case(text, lit))
                        .map(|at| text_lines.index_of(at))
                        .collect();
                    idxs.sort_unstable();
                    idxs.dedup();
                    idxs.into_iter()
                        .filter_map(|i| text_lines.starts().get(i).copied())
                        .collect()
                }
                None => text_lines.starts().to_vec(),
            };
            for start in starts {
                let idx = text_lines.index_of(start);
                let line = text_lines.line_from(start);
                if rule.span() == 1
                    && (skip_line(line) || lines.is_some_and(|set| !set.contains(&(idx + 1))))
                {
                    continue;
                }
                let window = text_lines.window(start, rule.span());
                for f in self.findings_of(rule, file, &text_lines, start, window, lines) {
                    out.push((ri, f));
                }
            }
        }
        // One finding per secret and place: overlapping rules keep the most specific
        // (the first in rules/, catch-all assignment rules after all others), and a
        // secret inside another one found on the same line is the same leak.
        out.sort_by_key(|(ri, f)| {
            (
                f.line,
                self.generic.get(*ri).copied().unwrap_or(false),
                f.col,
                *ri,
            )
        });
        let mut kept: Vec<Finding> = Vec::with_capacity(out.len());
        let mut line_from = 0;
        for (_, f) in out {
            if kept.last().is_some_and(|k| k.line != f.line) {
                line_from = kept.len();
            }
            let same = kept.get(line_from..).unwrap_or_default().iter().any(|k| {
                k.line == f.line
                    && !f.secret.is_empty()
                    && !k.secret.is_empty()
                    && (k.secret.contains(f.secret.as_str())
                        || f.secret.contains(k.secret.as_str()))
            });
            if !same {
                kept.push(f);
            }
        }
        let mut out = kept;
        out.sort_by_key(|f| (f.line, f.col));
        // Ignored after choosing the rule, so an ignored secret does not come back
        // under a more generic rule.
        out.retain(|f| !self.is_ignored(&f.fingerprint) && !self.allowed(f));
        out
    }

    /// Whether the rule `id` is a catch-all assignment rule, whose hit yields to a more
    /// specific one.
    fn is_generic(&self, id: &str) -> bool {
        self.rules
            .iter()
            .position(|r| r.def.id == id)
            .is_some_and(|i| self.generic.get(i).copied().unwrap_or(false))
    }

    /// One set of a group's patterns, built as [`rules::compile`] builds each of them.
    fn build_set(&self, group: &Group) -> Option<regex::bytes::RegexSet> {
        regex::bytes::RegexSetBuilder::new(
            group
                .rules
                .iter()
                .map(|&ri| self.rules.get(ri).map_or("", Rule::pattern)),
        )
        .unicode(false)
        .dfa_size_limit(SET_DFA_CACHE)
        .build()
        .ok()
    }

    /// The findings of one rule in `window` (which starts at byte `start` of the text).
    fn findings_of(
        &self,
        rule: &Rule,
        file: &str,
        text: &Lines<'_>,
        start: usize,
        window: &str,
        lines: Option<&std::collections::BTreeSet<usize>>,
    ) -> Vec<Finding> {
        let span = rule.span();
        let mut out = Vec::new();
        for (range, secret, whole) in rule.matches(window) {
            if is_placeholder(secret) || filtered(&rule.def.filters, whole, secret) {
                continue;
            }
            // The finding is on the line where the secret starts.
            let at = start + range.start;
            let idx = text.index_of(at);
            let (secret_start, secret_line) = text.line(idx);
            if span > 1
                && (skip_line(secret_line) || lines.is_some_and(|set| !set.contains(&(idx + 1))))
            {
                continue;
            }
            let col = text
                .text
                .get(secret_start..at)
                .map_or(1, |p| p.chars().count() + 1);
            let mut f = Finding::at(
                &rule.def.id,
                &rule.def.description,
                file,
                (idx + 1, col),
                secret,
                secret_line.trim(),
                whole,
                rule.tags.clone(),
            );
            f.severity = rule.def.severity;
            out.push(f);
        }
        out
    }
}

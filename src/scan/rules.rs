//! Scanner rules as data: the built-in set is `rules/*.toml` (one file per provider
//! family, format in `rules/README.md`), embedded at build time in file order. Each
//! rule has an id, keywords for the prefilter, a regex with a secret group, an optional
//! entropy floor, and examples and negatives that `sealbox scan rules check` (and a test)
//! run, so a rule that stops behaving is caught.

use regex::bytes::Regex;
use serde::Deserialize;

/// The built-in rules.
pub const BUILTIN: &str = concat!(
    // Credential files and config idioms come first: on a line they share with a
    // provider or URL rule, the format's own rule names the finding.
    include_str!("rules/00-credential-files.toml"),
    include_str!("rules/01-aws.toml"),
    include_str!("rules/02-google-cloud.toml"),
    include_str!("rules/03-azure.toml"),
    include_str!("rules/04-github.toml"),
    include_str!("rules/05-gitlab.toml"),
    include_str!("rules/06-bitbucket-atlassian.toml"),
    include_str!("rules/07-payments.toml"),
    include_str!("rules/08-slack.toml"),
    include_str!("rules/09-messaging.toml"),
    include_str!("rules/10-package-registries.toml"),
    include_str!("rules/11-ai-providers.toml"),
    include_str!("rules/12-infrastructure.toml"),
    include_str!("rules/13-saas-developer-tools.toml"),
    include_str!("rules/14-private-keys-and-signed-tokens.toml"),
    include_str!("rules/15-urls-with-embedded-credentials.toml"),
    include_str!("rules/16-generic-assignments.toml"),
);

/// One rule as written.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Unique id.
    pub id: String,
    /// What it finds.
    pub description: String,
    /// Lowercase literals; the rule only runs where one appears.
    pub keywords: Vec<String>,
    /// The pattern.
    pub regex: String,
    /// Capture group with the secret (0 = the whole match).
    #[serde(default)]
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy of the secret.
    #[serde(default)]
    pub entropy: Option<f64>,
    /// How many lines, from the one with the keyword, the pattern sees (default 1, at
    /// most 3): for a name and its value on consecutive lines (`- name: X_TOKEN` /
    /// `value: …`, a function named for a secret returning a literal).
    #[serde(default)]
    pub lines: Option<usize>,
    /// Literals (matched ignoring ASCII case) that must all be in the text before the
    /// pattern runs, `a|b` for either of two: a cheap test for rules whose keyword is
    /// common (`https://`) but whose pattern needs more (`@`).
    #[serde(default)]
    pub requires: Vec<String>,
    /// `low` for documented test-mode keys (default `high`).
    #[serde(default)]
    pub severity: super::Severity,
    /// The noise filters a hit must pass besides the placeholder test (see
    /// [`Filter`]).
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// A path pattern (regex on the path as reported, `/`-separated): in files whose
    /// path matches, the rule runs on every line whatever its keywords, so a credential
    /// file whose lines name nothing (`.pgpass`, `config/master.key`) is read as one. A
    /// rule with `files` may have no keywords: it then runs in those files only.
    #[serde(default)]
    pub files: Option<String>,
    /// For a CSV rule (with `files` and an empty regex): the header of the column that
    /// holds a credential on each row (a regex on the unquoted header name).
    #[serde(default)]
    pub csv_column: Option<String>,
    /// Strings the rule must find.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Strings the rule must not find.
    #[serde(default)]
    pub negatives: Vec<String>,
}

/// A noise filter a rule opts into: what, besides placeholders, is not a leak
/// although the pattern matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Filter {
    /// A rule that matches any `name = value` assignment: references, variable names,
    /// public keys, digests and keys named for something else are not secrets. Such a
    /// rule is also "generic": a more specific rule's hit on the same secret wins.
    Assignment,
    /// Hex of a digest's length other than 32 characters (SHA-1, SHA-256) is more likely
    /// a commit or content hash than a key.
    DigestHex,
    /// References and variable names are not secrets (`${DB_PASS}`, `vault:…`,
    /// `DB_PASSWORD`), without the other assignment tests: for format rules whose
    /// context already says a credential sits there.
    Reference,
    /// Well-known default and filler words (`password`, `root`, `admin`, `secret`,
    /// `none`): a weak value in a credential file is more often a template than a leak.
    Trivial,
}

#[derive(Deserialize)]
struct RuleFile {
    rules: Vec<RuleDef>,
}

/// A compiled rule.
pub struct Rule {
    /// The definition.
    pub def: RuleDef,
    /// The compiled pattern, built on first use (a pre-commit scan of a few lines
    /// compiles only the rules whose keywords appear).
    pub re: std::sync::OnceLock<Regex>,
    /// Only files whose path matches (gitleaks' `path`).
    pub path: Option<regex::Regex>,
    /// The rule's own allowlists.
    pub allow: Vec<super::gitleaks::Allow>,
    /// Tags copied into findings.
    pub tags: Vec<String>,
    /// A path-only rule: a file whose path matches is a finding by itself.
    pub path_only: bool,
    /// Files in which the rule runs on every line (the rule's `files`).
    pub files: Option<LazyRegex>,
    /// The header of a CSV rule's column.
    pub csv: Option<LazyRegex>,
}

/// A pattern compiled on first use (its syntax was checked when the rule was loaded).
pub struct LazyRegex {
    pattern: String,
    re: std::sync::OnceLock<Option<regex::Regex>>,
}

impl LazyRegex {
    fn new(pattern: &str) -> Self {
        Self {
            pattern: pattern.to_owned(),
            re: std::sync::OnceLock::new(),
        }
    }

    /// The compiled pattern (`None` only if it does not compile, which the syntax check
    /// at load time rules out in practice).
    #[must_use]
    pub fn get(&self) -> Option<&regex::Regex> {
        self.re
            .get_or_init(|| regex::Regex::new(&self.pattern).ok())
            .as_ref()
    }

    /// Whether `text` matches.
    #[must_use]
    pub fn is_match(&self, text: &str) -> bool {
        self.get().is_some_and(|re| re.is_match(text))
    }
}

impl Rule {
    /// A rule from its definition and an already compiled pattern.
    #[must_use]
    pub fn compiled(def: RuleDef, re: Regex) -> Self {
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(re);
        Self {
            def,
            re: cell,
            path: None,
            allow: Vec::new(),
            tags: Vec::new(),
            path_only: false,
            files: None,
            csv: None,
        }
    }

    /// How many lines the rule sees (1 to 3).
    #[must_use]
    pub fn span(&self) -> usize {
        self.def.lines.unwrap_or(1).clamp(1, 3)
    }

    /// The pattern's text: the compiled one where it was given compiled (configs
    /// translate gitleaks' syntax), else the rule's own.
    #[must_use]
    pub fn pattern(&self) -> &str {
        self.re.get().map_or(self.def.regex.as_str(), Regex::as_str)
    }

    /// Whether `text` holds what the rule `requires` (so the pattern may match).
    #[must_use]
    pub fn admits(&self, text: &str) -> bool {
        self.def
            .requires
            .iter()
            .all(|need| need.split('|').any(|lit| contains_ignoring_case(text, lit)))
    }

    /// The compiled pattern. Built-in patterns are checked by a test and by
    /// `scan rules check`; one that failed to compile would match nothing.
    #[must_use]
    pub fn regex(&self) -> &Regex {
        self.re.get_or_init(|| {
            compile(&self.def.regex).unwrap_or_else(|_| {
                #[allow(clippy::unwrap_used)]
                Regex::new(r"[^\s\S]").unwrap()
            })
        })
    }

    /// The secret a match of this rule holds in `text`, with its byte range, if it passes
    /// the entropy floor.
    #[must_use]
    pub fn secrets<'t>(&self, text: &'t str) -> Vec<(std::ops::Range<usize>, &'t str)> {
        self.matches(text)
            .into_iter()
            .map(|(r, s, _)| (r, s))
            .collect()
    }

    /// Like [`Rule::secrets`], with the whole match as well.
    #[must_use]
    pub fn matches<'t>(&self, text: &'t str) -> Vec<(std::ops::Range<usize>, &'t str, &'t str)> {
        let group = self
            .def
            .secret_group
            .unwrap_or(usize::from(self.regex().captures_len() > 1));
        let mut out = Vec::new();
        if !self.admits(text) {
            return out;
        }
        for caps in self.regex().captures_iter(text.as_bytes()) {
            let Some(m) = caps.get(group).or_else(|| caps.get(0)) else {
                continue;
            };
            if m.range().is_empty() {
                continue;
            }
            // Byte patterns may start or end inside a non-ASCII character: widen to it.
            let range = widen(text, m.range());
            let Some(v) = text.get(range.clone()).filter(|v| !v.is_empty()) else {
                continue;
            };
            if let Some(floor) = self.def.entropy {
                // Hex has 4 bits per character at most: a random 32-hex key measures
                // about 3.4, so hex values get a floor scaled to their alphabet.
                let hex = v.len() >= 20 && v.bytes().all(|b| b.is_ascii_hexdigit());
                let floor = if hex { floor.min(3.0) } else { floor };
                if entropy(v) < floor {
                    continue;
                }
            }
            let whole = caps
                .get(0)
                .and_then(|w| text.get(widen(text, w.range())))
                .unwrap_or("");
            out.push((range, v, whole));
        }
        out
    }
}

/// `range` of `text` grown to whole characters.
fn widen(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let (mut start, mut end) = (range.start.min(text.len()), range.end.min(text.len()));
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Compiles a rule's pattern for byte haystacks with Unicode off, so `\b`, `\s` and `\w`
/// are ASCII (as in gitleaks' Go patterns), case folding is ASCII, `.` and negated classes
/// match one byte (so counted repeats count bytes on non-ASCII text), and the lazy DFA
/// stays small and never gives up on a non-ASCII byte. A pattern that holds non-ASCII
/// text (so `(?i)` folds `ñ`) or needs Unicode (`\p{L}`) is compiled whole with Unicode on,
/// as `(?u)` and the pattern, so its text says how to compile it again (in a set built the
/// same way).
///
/// # Errors
/// When the pattern does not compile either way.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    let build = |p: &str| regex::bytes::RegexBuilder::new(p).unicode(false).build();
    let unicode = || build(&format!("(?u){pattern}"));
    if pattern.is_ascii() {
        build(pattern).or_else(|_| unicode())
    } else {
        unicode()
    }
}

/// Where `needle` starts in `hay`, ignoring ASCII case.
pub(super) fn find_ignoring_case<'h>(
    hay: &'h str,
    needle: &'h str,
) -> impl Iterator<Item = usize> + 'h {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let first = n.first().copied().unwrap_or(0);
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, h).filter(move |&at| {
        !n.is_empty()
            && h.get(at..at + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
    })
}

/// Whether `hay` holds `needle`, ignoring ASCII case.
fn contains_ignoring_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = needle.first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, hay).any(|at| {
        hay.get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Shannon entropy in bits per character.
#[must_use]
pub fn entropy(s: &str) -> f64 {
    // Secrets are ASCII: count bytes in an array; other text falls back to a map.
    let counts: Vec<usize> = if s.is_ascii() {
        let mut table = [0usize; 128];
        for b in s.bytes() {
            table[usize::from(b & 0x7f)] += 1;
        }
        table.into_iter().filter(|&c| c > 0).collect()
    } else {
        let mut map = std::collections::HashMap::new();
        for c in s.chars() {
            *map.entry(c).or_insert(0usize) += 1;
        }
        map.into_values().collect()
    };
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let total = n as f64;
    counts
        .iter()
        .map(|&c| {
            #[allow(clippy::cast_precision_loss)]
            let p = c as f64 / total;
            -p * p.log2()
        })
        .sum()
}

/// Parses and compiles rules.
///
/// # Errors
/// A message naming the rule that fails (bad TOML, bad regex, duplicate id, no keyword).
pub fn load(text: &str, source: &str) -> Result<Vec<Rule>, super::ScanError> {
    load_text(text, source).map_err(super::ScanError::from)
}

fn load_text(text: &str, source: &str) -> Result<Vec<Rule>, String> {
    let file: RuleFile =
        toml::from_str(text).map_err(|e| format!("{source}: {}", e.message().trim()))?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(file.rules.len());
    for def in file.rules {
        if !seen.insert(def.id.clone()) {
            return Err(format!("{source}: duplicate rule id '{}'", def.id));
        }
        if (def.keywords.is_empty() && def.files.is_none())
            || def.keywords.iter().any(|k| k.len() < 2)
        {
            return Err(format!(
                "{source}: rule '{}' needs keywords of at least 2 characters",
                def.id
            ));
        }
        if def.requires.iter().any(|r| r.split('|').any(str::is_empty)) {
            return Err(format!(
                "{source}: rule '{}': requires lists an empty literal",
                def.id
            ));
        }
        if def.lines.is_some_and(|n| !(1..=3).contains(&n)) {
            return Err(format!(
                "{source}: rule '{}': lines must be 1, 2 or 3",
                def.id
            ));
        }
        // Syntax is checked now (cheap); compilation waits for the first use.
        regex_syntax::Parser::new()
            .parse(&def.regex)
            .map_err(|e| format!("{source}: rule '{}': bad regex: {e}", def.id))?;
        // Path and column patterns too: checked now, compiled on first use (a pre-commit
        // scan of a few files compiles those its files need).
        let lazy = |p: Option<&str>, what: &str| -> Result<Option<LazyRegex>, String> {
            p.map(|p| {
                regex_syntax::Parser::new()
                    .parse(p)
                    .map(|_| LazyRegex::new(p))
                    .map_err(|e| format!("{source}: rule '{}': bad {what}: {e}", def.id))
            })
            .transpose()
        };
        let files = lazy(def.files.as_deref(), "files pattern")?;
        let csv = lazy(def.csv_column.as_deref(), "csv_column")?;
        if csv.is_some() && (files.is_none() || !def.regex.is_empty()) {
            return Err(format!(
                "{source}: rule '{}': csv_column needs files and an empty regex",
                def.id
            ));
        }
        // A rule with `files` and no pattern is a path-only rule: such a file (a PKCS#12
        // bundle, a Java keystore) is a finding by itself.
        let path_only = def.regex.is_empty() && files.is_some() && csv.is_none();
        if def.regex.is_empty() && !path_only && csv.is_none() {
            return Err(format!("{source}: rule '{}' has an empty regex", def.id));
        }
        let path = if path_only {
            def.files
                .as_deref()
                .map(regex::Regex::new)
                .transpose()
                .map_err(|e| format!("{source}: rule '{}': bad files pattern: {e}", def.id))?
        } else {
            None
        };
        out.push(Rule {
            def,
            re: std::sync::OnceLock::new(),
            path,
            allow: Vec::new(),
            tags: Vec::new(),
            path_only,
            files: if path_only { None } else { files },
            csv,
        });
    }
    Ok(out)
}

/// Runs every rule's examples and negatives; returns the failures.
#[must_use]
pub fn check(rules: &[Rule]) -> Vec<String> {
    let mut bad = Vec::new();
    for r in rules {
        if r.def.examples.is_empty() || r.def.negatives.is_empty() {
            bad.push(format!(
                "{}: needs at least one example and one negative",
                r.def.id
            ));
        }
        if r.path_only {
            let matches = |p: &str| r.path.as_ref().is_some_and(|re| re.is_match(p));
            for ex in r.def.examples.iter().filter(|p| !matches(p)) {
                bad.push(format!("{}: example path does not match: {ex}", r.def.id));
            }
            for neg in r.def.negatives.iter().filter(|p| matches(p)) {
                bad.push(format!("{}: negative path matches: {neg}", r.def.id));
            }
            continue;
        }
        // What the scanner would report: the pattern's hits less placeholders and the
        // rule's noise filters.
        let reported = |text: &str| {
            if let Some(column) = r.csv.as_ref().and_then(LazyRegex::get) {
                return super::csv::column_values(text, column)
                    .iter()
                    .any(|(_, _, v)| !super::noise::is_placeholder(v));
            }
            r.matches(text).into_iter().any(|(_, secret, whole)| {
                !super::noise::is_placeholder(secret)
                    && !super::noise::filtered(&r.def.filters, whole, secret)
            })
        };
        for ex in &r.def.examples {
            if !reported(ex) {
                bad.push(format!("{}: example does not match: {ex}", r.def.id));
            }
            let lower = ex.to_ascii_lowercase();
            if r.files.is_none()
                && !r
                    .def
                    .keywords
                    .iter()
                    .any(|k| lower.contains(&k.to_ascii_lowercase()))
            {
                bad.push(format!(
                    "{}: example has none of the keywords: {ex}",
                    r.def.id
                ));
            }
        }
        for neg in &r.def.negatives {
            if reported(neg) {
                bad.push(format!("{}: negative matches: {neg}", r.def.id));
            }
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::contains_ignoring_case;

    #[test]
    fn required_literals_ignore_case_and_accept_alternatives() {
        assert!(contains_ignoring_case(
            "X-Authorization: Bearer",
            "authorization"
        ));
        assert!(contains_ignoring_case("a@b", "@"));
        assert!(!contains_ignoring_case("https://example.com/x", "@"));
        assert!(!contains_ignoring_case("autho", "authorization"));
        let mut rules = super::load(
            "[[rules]]\nid = 'r'\ndescription = 'd'\nkeywords = ['token']\n\
             regex = 'token=(\\w+)'\nrequires = ['def|fn', '=']\n",
            "test",
        )
        .unwrap();
        let rule = rules.remove(0);
        assert!(rule.admits("fn x() { token=abc }"));
        assert!(rule.admits("DEF x(): token=abc"));
        assert!(!rule.admits("const token=abc"));
        assert!(!rule.admits("def token"));
        assert!(super::load(
            "[[rules]]\nid = 'r'\ndescription = 'd'\nkeywords = ['token']\n\
             regex = 'x'\nrequires = ['a|']\n",
            "test",
        )
        .is_err());
    }
    #[test]
    fn builtin_patterns_compile_with_unicode_off() {
        // A set of built-in patterns is built from their text: it must mean the same.
        for rule in super::load(super::BUILTIN, "built-in rules").unwrap() {
            assert_eq!(rule.regex().as_str(), rule.def.regex, "{}", rule.def.id);
        }
    }

    #[test]
    fn patterns_that_need_unicode_keep_it_and_matches_keep_whole_characters() {
        let re = super::compile(r"\p{L}{3}").unwrap();
        assert!(re.as_str().starts_with("(?u)"));
        assert!(re.is_match("äöü".as_bytes()));
        // `.` is a byte with Unicode off: a match ending inside 'é' widens to all of it.
        let def = |regex: &str| {
            format!(
                "[[rules]]\nid = 'r'\ndescription = 'd'\nkeywords = ['tok']\nregex = '{regex}'\n"
            )
        };
        let rules = super::load(&def("tok=(.{2})"), "test").unwrap();
        assert_eq!(rules[0].secrets("tok=aéb"), vec![(4..7, "aé")]);
        // ASCII `\b`, as in gitleaks' Go patterns: a non-ASCII letter is not a word byte.
        let rules = super::load(&def(r"\btok_[a-z]{3}"), "test").unwrap();
        assert_eq!(rules[0].secrets("étok_abc").len(), 1);
        // An empty capture inside a character is no secret (widening would make it one).
        let rules = super::load(&def(r"tok=.{3}(\d*)"), "test").unwrap();
        assert!(rules[0].secrets("tok=aaé").is_empty());
        // Non-ASCII text in a pattern keeps Unicode, so `(?i)` folds it.
        let re = super::compile("(?i)contraseña=(\\S+)").unwrap();
        assert!(re.as_str().starts_with("(?u)"));
        assert!(re.is_match("CONTRASEÑA=x".as_bytes()));
    }

    #[test]
    fn the_fallback_pattern_matches_nothing() {
        let re = regex::bytes::Regex::new(r"[^\s\S]").unwrap();
        assert!(!re.is_match(b"anything \\ s S at all\n\xff"));
    }
}

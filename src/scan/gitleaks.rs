//! gitleaks configuration files (`--config`, `$GITLEAKS_CONFIG`,
//! `$GITLEAKS_CONFIG_TOML`, `.gitleaks.toml` in the scanned root): `[[rules]]` (id,
//! description, regex, secretGroup, entropy, keywords, path, tags, allowlists),
//! `[extend]` (`useDefault` = sealbox's built-in rules, `path`, `disabledRules`), and
//! global `[[allowlists]]` / `[allowlist]` (paths, regexes with `regexTarget`,
//! stopwords, commits, `condition`, `targetRules`). Also the positional
//! `.gitleaksignore` entries (`file:rule:line`, `commit:file:rule:line`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

use super::rules::{Rule, RuleDef};
use super::Finding;

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Config {
    extend: Option<Extend>,
    rules: Vec<GlRule>,
    allowlists: Vec<GlAllow>,
    allowlist: Option<GlAllow>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Extend {
    use_default: bool,
    path: Option<String>,
    disabled_rules: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
struct GlRule {
    id: String,
    description: Option<String>,
    regex: Option<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    keywords: Option<Vec<String>>,
    path: Option<String>,
    tags: Option<Vec<String>>,
    allowlists: Vec<GlAllow>,
    allowlist: Option<GlAllow>,
    skip_report: bool,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default, rename_all = "camelCase")]
struct GlAllow {
    condition: Option<String>,
    commits: Vec<String>,
    paths: Vec<String>,
    regexes: Vec<String>,
    regex_target: Option<String>,
    stopwords: Vec<String>,
    target_rules: Vec<String>,
}

/// What an allowlist regex is tested against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Secret,
    Match,
    Line,
}

/// A compiled allowlist.
pub struct Allow {
    all: bool,
    commits: HashSet<String>,
    paths: Vec<Regex>,
    regexes: Vec<Regex>,
    target: Target,
    stopwords: Vec<String>,
    rules: Vec<String>,
}

impl Allow {
    /// Whether this allowlist suppresses `f`.
    #[must_use]
    pub fn drops(&self, f: &Finding) -> bool {
        if !self.rules.is_empty() && !self.rules.contains(&f.rule_id) {
            return false;
        }
        let mut checks: Vec<bool> = Vec::new();
        if !self.commits.is_empty() {
            checks.push(
                f.commit
                    .as_ref()
                    .is_some_and(|c| self.commits.contains(&c.id)),
            );
        }
        if !self.paths.is_empty() {
            checks.push(self.paths.iter().any(|r| r.is_match(&f.file)));
        }
        if !self.regexes.is_empty() {
            let hay = match self.target {
                Target::Secret => f.secret.as_str(),
                Target::Match => f.matched.as_str(),
                Target::Line => f.line_text.as_str(),
            };
            checks.push(self.regexes.iter().any(|r| r.is_match(hay)));
        }
        if !self.stopwords.is_empty() {
            let lower = f.secret.to_lowercase();
            checks.push(self.stopwords.iter().any(|w| lower.contains(w.as_str())));
        }
        if checks.is_empty() {
            return false;
        }
        if self.all {
            checks.iter().all(|c| *c)
        } else {
            checks.iter().any(|c| *c)
        }
    }
}

fn compile_allow(a: &GlAllow, source: &str, at: &str) -> Result<Allow, String> {
    let re =
        |s: &String| Regex::new(s).map_err(|e| format!("{source}: {at}: bad regex '{s}': {e}"));
    let target = match a.regex_target.as_deref() {
        None | Some("secret") => Target::Secret,
        Some("match") => Target::Match,
        Some("line") => Target::Line,
        Some(other) => {
            return Err(format!(
                "{source}: {at}: regexTarget '{other}' is not secret, match or line"
            ))
        }
    };
    let all = match a
        .condition
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("OR") => false,
        Some("AND") => true,
        Some(other) => {
            return Err(format!(
                "{source}: {at}: condition '{other}' is not OR or AND"
            ))
        }
    };
    Ok(Allow {
        all,
        commits: a.commits.iter().cloned().collect(),
        paths: a.paths.iter().map(re).collect::<Result<_, _>>()?,
        regexes: a.regexes.iter().map(re).collect::<Result<_, _>>()?,
        target,
        stopwords: a.stopwords.iter().map(|w| w.to_lowercase()).collect(),
        rules: a.target_rules.clone(),
    })
}

/// Rules and global allowlists from a config.
pub struct Loaded {
    /// The rules, built-in ones first when `useDefault` is set.
    pub rules: Vec<Rule>,
    /// Global allowlists.
    pub allow: Vec<Allow>,
}

/// The config that applies: `--config`, `$GITLEAKS_CONFIG`, `$GITLEAKS_CONFIG_TOML`,
/// or `ROOT/.gitleaks.toml`; `None` for sealbox's built-in rules.
///
/// # Errors
/// A config that cannot be read or is invalid, named with the reason.
pub fn find(explicit: Option<&Path>, root: &Path) -> Result<Option<Loaded>, super::ScanError> {
    find_config(explicit, root).map_err(super::ScanError::from)
}

fn find_config(explicit: Option<&Path>, root: &Path) -> Result<Option<Loaded>, String> {
    if let Some(p) = explicit {
        return load_file(p, 0).map(Some);
    }
    if let Some(p) = std::env::var_os("GITLEAKS_CONFIG") {
        return load_file(Path::new(&p), 0).map(Some);
    }
    if let Ok(text) = std::env::var("GITLEAKS_CONFIG_TOML") {
        return load(&text, "$GITLEAKS_CONFIG_TOML", Path::new("."), 0).map(Some);
    }
    let local = root.join(".gitleaks.toml");
    if local.is_file() {
        return load_file(&local, 0).map(Some);
    }
    Ok(None)
}

fn load_file(path: &Path, depth: usize) -> Result<Loaded, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the scanner config ({e})", path.display()))?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned);
    load(&text, &path.display().to_string(), &dir, depth)
}

/// Parses a gitleaks config.
///
/// # Errors
/// Invalid TOML, a bad regex, a rule without id or regex/path, too deep an `extend`.
fn load(text: &str, source: &str, dir: &Path, depth: usize) -> Result<Loaded, String> {
    if depth > 2 {
        return Err(format!("{source}: [extend] nests deeper than 2 levels"));
    }
    let cfg: Config =
        toml::from_str(text).map_err(|e| format!("{source}: {}", e.message().trim()))?;
    let mut base = match &cfg.extend {
        Some(Extend {
            use_default: true,
            path: Some(_),
            ..
        }) => {
            return Err(format!(
                "{source}: [extend] sets both useDefault and path; choose one"
            ))
        }
        Some(Extend {
            use_default: true, ..
        }) => Loaded {
            rules: super::rules::load(super::rules::BUILTIN, "built-in rules")
                .map_err(|e| e.to_string())?,
            allow: Vec::new(),
        },
        Some(Extend { path: Some(p), .. }) => load_file(&dir.join(p), depth + 1)?,
        _ => Loaded {
            rules: Vec::new(),
            allow: Vec::new(),
        },
    };
    if let Some(ext) = &cfg.extend {
        base.rules
            .retain(|r| !ext.disabled_rules.contains(&r.def.id));
    }
    for (i, r) in cfg.rules.iter().enumerate() {
        let at = format!("rules[{i}] ({})", r.id);
        if r.id.is_empty() {
            return Err(format!("{source}: rules[{i}] has no id"));
        }
        if r.skip_report {
            continue;
        }
        let mut allows: Vec<Allow> = r
            .allowlists
            .iter()
            .chain(r.allowlist.iter())
            .map(|a| compile_allow(a, source, &at))
            .collect::<Result<_, _>>()?;
        let path = r
            .path
            .as_ref()
            .map(|p| Regex::new(p).map_err(|e| format!("{source}: {at}: bad path regex: {e}")))
            .transpose()?;
        if let Some(existing) = base.rules.iter_mut().find(|b| b.def.id == r.id) {
            // Same id as a base rule: override what is given, append allowlists.
            if let Some(d) = &r.description {
                existing.def.description.clone_from(d);
            }
            if let Some(re) = &r.regex {
                let compiled = super::rules::compile(re)
                    .map_err(|e| format!("{source}: {at}: bad regex: {e}"))?;
                existing.re = std::sync::OnceLock::new();
                let _ = existing.re.set(compiled);
                existing.def.regex.clone_from(re);
                // What the built-in pattern needed says nothing about the new one.
                existing.def.requires.clear();
                existing.def.lines = None;
            }
            if r.secret_group.is_some() {
                existing.def.secret_group = r.secret_group;
            }
            if r.entropy.is_some() {
                existing.def.entropy = r.entropy;
            }
            if let Some(k) = &r.keywords {
                existing.def.keywords = k.iter().map(|k| k.to_lowercase()).collect();
            }
            if path.is_some() {
                existing.path = path;
            }
            if let Some(t) = &r.tags {
                existing.tags.clone_from(t);
            }
            existing.allow.append(&mut allows);
            continue;
        }
        let regex = match (&r.regex, &path) {
            (Some(re), _) => re.clone(),
            // A path-only rule: the file itself is the finding.
            (None, Some(_)) => "^".to_owned(),
            (None, None) => return Err(format!("{source}: {at} has neither regex nor path")),
        };
        let re =
            super::rules::compile(&regex).map_err(|e| format!("{source}: {at}: bad regex: {e}"))?;
        let mut rule = Rule::compiled(
            RuleDef {
                id: r.id.clone(),
                description: r.description.clone().unwrap_or_else(|| r.id.clone()),
                keywords: r
                    .keywords
                    .clone()
                    .unwrap_or_default()
                    .iter()
                    .map(|k| k.to_lowercase())
                    .collect(),
                regex,
                secret_group: r.secret_group,
                entropy: r.entropy,
                lines: None,
                requires: Vec::new(),
                severity: super::Severity::High,
                // gitleaks names its catch-all rules `generic-…`.
                filters: if r.id.starts_with("generic") {
                    vec![super::rules::Filter::Assignment]
                } else {
                    Vec::new()
                },
                files: None,
                csv_column: None,
                examples: Vec::new(),
                negatives: Vec::new(),
            },
            re,
        );
        rule.path = path;
        rule.allow = allows;
        rule.tags = r.tags.clone().unwrap_or_default();
        rule.path_only = r.regex.is_none();
        base.rules.push(rule);
    }
    for (i, a) in cfg
        .allowlists
        .iter()
        .chain(cfg.allowlist.iter())
        .enumerate()
    {
        base.allow
            .push(compile_allow(a, source, &format!("allowlists[{i}]"))?);
    }
    Ok(base)
}

/// A `.gitleaksignore` entry: `file:rule:line` or `commit:file:rule:line`.
#[derive(PartialEq, Eq, Hash, Debug)]
pub struct Positional {
    commit: Option<String>,
    file: String,
    rule: String,
    line: usize,
}

impl Positional {
    /// Parses one entry.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().replace('\\', "/");
        let (rest, line) = s.rsplit_once(':')?;
        let line: usize = line.parse().ok()?;
        let (rest, rule) = rest.rsplit_once(':')?;
        let (commit, file) = match rest.split_once(':') {
            Some((c, f)) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                (Some(c.to_owned()), f.to_owned())
            }
            _ => (None, rest.to_owned()),
        };
        Some(Self {
            commit,
            file,
            rule: rule.to_owned(),
            line,
        })
    }

    /// Whether `f` is the finding this entry names.
    #[must_use]
    pub fn covers(&self, f: &Finding) -> bool {
        self.file == f.file
            && self.rule == f.rule_id
            && self.line == f.line
            && self
                .commit
                .as_ref()
                .is_none_or(|c| f.commit.as_ref().is_some_and(|fc| &fc.id == c))
    }
}

//! `.sealbox.toml`: its schema (environments, key groups, rules), parsing with errors
//! that never echo a quoted value, and the [`Project`] found from the working
//! directory, whose paths must stay inside the config's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::recipients::spec::{Lists, Spec};
use crate::recipients::RecipientError;

use super::cfg_err;
use super::discover::{find_up, rel_to};

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub(super) struct TomlConfig {
    pub(super) environments: BTreeMap<String, TomlEnv>,
    pub(super) rules: Vec<TomlRule>,
    pub(super) allow_shared_recipients: bool,
}

/// Keys a table had that the schema does not know (collected by `flatten`, since
/// serde's `deny_unknown_fields` does not work beside it), refused after parsing.
pub(super) type Unknown = BTreeMap<String, toml::Value>;

/// The recipient lists an environment, a key group or a rule carries: one definition,
/// flattened into each.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TomlRecipients {
    /// age recipients.
    pub age: Vec<String>,
    /// AWS KMS key ARNs (`ARN` or `ARN+ROLE_ARN`).
    pub aws_kms: Vec<String>,
    /// GCP KMS resource ids.
    pub gcp_kms: Vec<String>,
    /// Azure Key Vault key URLs.
    pub azure_kv: Vec<String>,
    /// Vault transit URIs.
    pub hc_vault: Vec<String>,
    /// KMS encryption context.
    pub encryption_context: BTreeMap<String, String>,
    /// AWS shared-config profile for the KMS keys.
    pub aws_profile: Option<String>,
    /// PGP fingerprints (through the user's gpg).
    pub pgp: Vec<String>,
}

impl TomlRecipients {
    /// Every recipient as a spec, in sops' stanza order, PGP last.
    ///
    /// # Errors
    /// The first invalid entry, named.
    pub fn specs(&self) -> Result<Vec<Spec>, RecipientError> {
        let mut out = self.lists().parse()?;
        for fp in &self.pgp {
            out.push(Spec::Pgp(crate::recipients::pgp::PgpKey::parse(fp)?));
        }
        Ok(out)
    }

    /// The lists, to parse into specs.
    #[must_use]
    pub fn lists(&self) -> Lists<'_> {
        Lists {
            age: &self.age,
            aws_kms: &self.aws_kms,
            hc_vault: &self.hc_vault,
            gcp_kms: &self.gcp_kms,
            azure_kv: &self.azure_kv,
            context: Some(&self.encryption_context),
            aws_profile: self.aws_profile.as_deref(),
        }
    }
}

/// One `[environments.NAME]` table.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TomlEnv {
    /// Files (paths or globs, relative to the config's directory).
    pub files: Vec<String>,
    /// Recipients (when there are no key groups).
    #[serde(flatten)]
    pub recipients: TomlRecipients,
    /// Key groups (Shamir); when set, the flat recipient lists above must be empty.
    pub key_groups: Vec<TomlGroup>,
    /// Groups needed to decrypt (default: all).
    pub shamir_threshold: usize,
    /// Rotation policy, e.g. `90d`.
    pub max_age: Option<String>,
    /// Allow this environment to share recipients with others.
    pub allow_shared_recipients: Option<bool>,
    /// Which values new files encrypt: one of sops' selectors, e.g.
    /// `selector = { encrypted_regex = "^(data|stringData)$" }` (default: all but keys
    /// ending in `_unencrypted`).
    pub selector: BTreeMap<String, String>,
    /// The MAC covers encrypted values only (sops' `mac_only_encrypted`).
    pub mac_only_encrypted: bool,
    /// A secrets manager that mirrors this environment (`push`/`pull`/`diff`).
    pub sync: Option<String>,
    /// A secrets manager that holds this environment instead of files.
    pub source: Option<String>,
    #[serde(flatten)]
    pub(super) unknown: Unknown,
}

/// One `[[environments.NAME.key_groups]]` table.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TomlGroup {
    /// The group's recipients.
    #[serde(flatten)]
    pub recipients: TomlRecipients,
    #[serde(flatten)]
    pub(super) unknown: Unknown,
}

impl TomlEnv {
    /// The environment's recipients as key groups (one group without Shamir).
    ///
    /// # Errors
    /// An invalid recipient, as a message naming the field.
    pub fn groups(&self, name: &str) -> Result<Vec<Vec<Spec>>, RecipientError> {
        let flat = &self.recipients;
        if self.key_groups.is_empty() {
            return Ok(vec![flat.specs().map_err(|e| {
                RecipientError::Invalid(format!("environments.{name}: {e}"))
            })?]);
        }
        if let Ok(specs) = flat.specs() {
            if !specs.is_empty() {
                return Err(RecipientError::Invalid(format!(
                    "environments.{name}: list recipients either in key_groups or beside them, not both"
                )));
            }
        }
        self.key_groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                g.recipients.specs().map_err(|e| {
                    RecipientError::Invalid(format!("environments.{name}.key_groups[{i}]: {e}"))
                })
            })
            .collect()
    }

    /// The selector entry, checked against sops' selector keys.
    ///
    /// # Errors
    /// An unknown key, or more than one ([`Error::Config`] naming `config`).
    pub fn selector_entry(
        &self,
        config: &Path,
        name: &str,
    ) -> Result<Option<(String, String)>, Error> {
        let mut it = self.selector.iter();
        let first = it.next();
        if it.next().is_some() {
            return Err(cfg_err(
                config,
                format!("environments.{name}.selector: give one selector, not several"),
            ));
        }
        match first {
            None => Ok(None),
            Some((k, v)) if crate::sops::metadata::SELECTOR_KEYS.contains(&k.as_str()) => {
                Ok(Some((k.clone(), v.clone())))
            }
            Some((k, _)) => Err(cfg_err(
                config,
                format!(
                    "environments.{name}.selector: unknown selector '{k}' (one of {})",
                    crate::sops::metadata::SELECTOR_KEYS.join(", ")
                ),
            )),
        }
    }

    /// Every recipient of every group, described (`age age1…`, `kms arn:…`).
    #[must_use]
    pub fn describe_recipients(&self, name: &str) -> Vec<String> {
        self.groups(name)
            .unwrap_or_default()
            .iter()
            .flatten()
            .map(Spec::describe)
            .collect()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct TomlRule {
    pub(super) path_regex: Option<String>,
    #[serde(flatten)]
    pub(super) selector: crate::cli::SelectorArgs,
    pub(super) mac_only_encrypted: bool,
    #[serde(flatten)]
    pub(super) recipients: TomlRecipients,
    #[serde(flatten)]
    pub(super) unknown: Unknown,
}

pub(super) fn parse_toml(path: &Path) -> Result<TomlConfig, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?;
    let cfg: TomlConfig = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| {
                text.as_bytes()
                    .iter()
                    .take(s.start)
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1
            })
            .map_or(String::new(), |l| format!("line {l}: "));
        // toml's message names the field but may quote a value (a misplaced private
        // key, say): keep the words, drop anything between quotes.
        let msg = redact_quoted(e.message().trim());
        cfg_err(
            path,
            format!("{line}{msg} (fix the file, see README for the format)"),
        )
    })?;
    let unknown = |table: &str, keys: &Unknown| -> Result<(), Error> {
        match keys.keys().next() {
            None => Ok(()),
            Some(k) => {
                let line = text
                    .lines()
                    .position(|l| {
                        let l = l.trim_start();
                        l.strip_prefix(k.as_str())
                            .is_some_and(|rest| rest.trim_start().starts_with('='))
                    })
                    .map_or(String::new(), |i| format!("line {}: ", i + 1));
                Err(cfg_err(
                    path,
                    format!("{line}unknown field `{k}` in {table} (fix the file, see README for the format)"),
                ))
            }
        }
    };
    for (name, env) in &cfg.environments {
        unknown(&format!("environments.{name}"), &env.unknown)?;
        for (i, g) in env.key_groups.iter().enumerate() {
            unknown(&format!("environments.{name}.key_groups[{i}]"), &g.unknown)?;
        }
    }
    for (i, r) in cfg.rules.iter().enumerate() {
        unknown(&format!("rules[{i}]"), &r.unknown)?;
    }
    Ok(cfg)
}

/// Replaces every `"…"` or `'…'` segment with `"…"`.
pub(super) fn redact_quoted(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut quote: Option<char> = None;
    for c in msg.chars() {
        match quote {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '"' => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    if quote.is_some() {
        out.push_str("…\"");
    }
    out
}

/// The project configuration found from the working directory.
#[derive(Debug)]
pub struct Project {
    /// The `.sealbox.toml` file.
    pub path: PathBuf,
    /// Its directory; environment files are relative to it.
    pub base: PathBuf,
    /// Environments by name.
    pub environments: BTreeMap<String, TomlEnv>,
    /// Top-level `allow_shared_recipients`.
    pub allow_shared_recipients: bool,
}

pub(super) fn is_glob(p: &str) -> bool {
    p.contains(['*', '?', '[', '{'])
}

impl Project {
    /// Finds and parses `.sealbox.toml` walking up from the working directory.
    ///
    /// # Errors
    /// No config (exit 2 with a hint to run `sealbox init`) or a malformed one.
    pub fn find() -> Result<Self, Error> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::io(Path::new("."), "read the working directory", e))?;
        let path = find_up(&cwd, ".sealbox.toml").ok_or_else(|| {
            if let Some(sops) = find_up(&cwd, ".sops.yaml") {
                return Error::Usage(format!(
                    "no .sealbox.toml found from here up, but {} is: read a file directly with -f FILE, or run `sealbox init --from-sops` there to make environments from its rules",
                    sops.display()
                ));
            }
            Error::Usage(
                "no .sealbox.toml found from here up (run `sealbox init` to create one)".to_owned(),
            )
        })?;
        Self::load(&path)
    }

    /// Parses a given `.sealbox.toml`.
    ///
    /// # Errors
    /// A malformed config.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let cfg = parse_toml(path)?;
        Ok(Self {
            base: path.parent().unwrap_or(Path::new(".")).to_owned(),
            path: path.to_owned(),
            environments: cfg.environments,
            allow_shared_recipients: cfg.allow_shared_recipients,
        })
    }

    /// An environment by name.
    ///
    /// # Errors
    /// An unknown name (the message lists the known ones).
    pub fn env(&self, name: &str) -> Result<&TomlEnv, Error> {
        self.environments.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.environments.keys().map(String::as_str).collect();
            cfg_err(
                &self.path,
                format!(
                    "no environment '{name}' (known: {})",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            )
        })
    }

    /// `base/entry` for a path listed in this config, refused unless it stays inside the
    /// config's directory: no absolute path, no `..`, and no symbolic link that leads
    /// out (a cloned repository's config must not send writes to `~/.ssh`).
    ///
    /// # Errors
    /// [`Error::Config`] naming the entry.
    pub fn inside(&self, env: &str, entry: &str) -> Result<PathBuf, Error> {
        let rel = Path::new(entry);
        let lexical = rel.is_relative()
            && rel.components().all(|c| {
                matches!(
                    c,
                    std::path::Component::Normal(_) | std::path::Component::CurDir
                )
            });
        let path = self.base.join(rel);
        let base = std::fs::canonicalize(&self.base).unwrap_or_else(|_| self.base.clone());
        // The deepest part of the path that exists, with its links resolved.
        let mut probe = path.as_path();
        let resolved = loop {
            if let Ok(p) = std::fs::canonicalize(probe) {
                break Some(p);
            }
            match probe.parent() {
                Some(parent) => probe = parent,
                None => break None,
            }
        };
        if lexical && resolved.is_some_and(|r| r.starts_with(&base)) {
            return Ok(path);
        }
        Err(cfg_err(
            &self.path,
            format!(
                "environments.{env}.files: '{entry}' is outside {} (paths in a config must stay inside its directory; pass the file on the command line if you mean it)",
                self.base.display()
            ),
        ))
    }

    /// The file `set` writes for an environment: its first entry that is not a glob.
    ///
    /// # Errors
    /// An unknown environment, or one whose files are all globs.
    pub fn primary_file(&self, name: &str) -> Result<PathBuf, Error> {
        let env = self.env(name)?;
        if let Some(source) = &env.source {
            return Err(cfg_err(
                &self.path,
                format!("environment '{name}' lives in {source} (source =), not in a file; change its values there, or `sealbox pull` them into a file environment"),
            ));
        }
        let entry = env.files.iter().find(|f| !is_glob(f)).ok_or_else(|| {
            cfg_err(
                &self.path,
                format!("environments.{name}.files has no plain path (only globs) to write to"),
            )
        })?;
        self.inside(name, entry)
    }

    /// Existing files of the given environments (all when `names` is empty); globs are
    /// matched below the config's directory.
    ///
    /// # Errors
    /// An unknown environment or a bad pattern.
    pub fn files(&self, names: &[String]) -> Result<Vec<PathBuf>, Error> {
        for n in names {
            self.env(n)?;
        }
        let mut literal = Vec::new();
        let mut globs = globset::GlobSetBuilder::new();
        let mut any_glob = false;
        for (name, env) in &self.environments {
            if !names.is_empty() && !names.contains(name) {
                continue;
            }
            for pat in &env.files {
                if is_glob(pat) {
                    let g = globset::Glob::new(pat).map_err(|e| {
                        cfg_err(
                            &self.path,
                            format!("environments.{name}.files: bad pattern '{pat}': {e}"),
                        )
                    })?;
                    globs.add(g);
                    any_glob = true;
                } else {
                    literal.push(self.inside(name, pat)?);
                }
            }
        }
        let mut out: Vec<PathBuf> = literal.into_iter().filter(|p| p.is_file()).collect();
        if any_glob {
            let set = globs
                .build()
                .map_err(|e| cfg_err(&self.path, e.to_string()))?;
            let mut stack = vec![self.base.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in rd.flatten() {
                    let p = entry.path();
                    if entry.file_name() == ".git" {
                        continue;
                    }
                    match entry.file_type() {
                        Ok(t) if t.is_dir() => stack.push(p),
                        Ok(t)
                            if t.is_file()
                                && p.strip_prefix(&self.base)
                                    .is_ok_and(|rel| set.is_match(rel)) =>
                        {
                            out.push(p);
                        }
                        _ => {}
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The environment whose `files` cover `file`, if any.
    #[must_use]
    pub fn env_of(&self, file: &Path) -> Option<&str> {
        let rel = rel_to(&self.path, file);
        self.environments.iter().find_map(|(name, env)| {
            env.files
                .iter()
                .any(|pat| {
                    pat == &rel
                        || globset::Glob::new(pat).is_ok_and(|g| g.compile_matcher().is_match(&rel))
                })
                .then_some(name.as_str())
        })
    }
}

/// The files `.sealbox.toml` (found from the working directory) lists for the given
/// environments, or for all of them, with the config's directory.
///
/// # Errors
/// No config, an unknown environment, or a bad pattern.
pub fn environment_files(envs: &[String]) -> Result<(PathBuf, Vec<PathBuf>), Error> {
    let project = Project::find()?;
    let files = project.files(envs)?;
    Ok((project.base, files))
}

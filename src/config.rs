//! Project configuration, as far as creating and re-keying files needs it: which
//! recipients and selector a file gets. `.sealbox.toml` (environments and rules) is
//! found walking up from the file's directory, then from the working directory; without
//! one, `.sops.yaml` creation rules apply as sops applies them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::recipients::spec::{Lists, Spec};
use crate::store::{Format, Value};

/// What a new file gets.
#[derive(Debug, Clone, Default)]
pub struct Creation {
    /// The config file it came from.
    pub source: PathBuf,
    /// Key groups of recipients (one group unless Shamir is configured).
    pub groups: Vec<Vec<Spec>>,
    /// Shamir threshold (0 = all groups).
    pub shamir_threshold: usize,
    /// Selector key and value (`encrypted_regex`, …).
    pub selector: Option<(String, String)>,
    /// MAC over encrypted values only.
    pub mac_only_encrypted: bool,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct TomlConfig {
    environments: BTreeMap<String, TomlEnv>,
    rules: Vec<TomlRule>,
    allow_shared_recipients: bool,
}

/// One `[environments.NAME]` table.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default, deny_unknown_fields)]
pub struct TomlEnv {
    /// Files (paths or globs, relative to the config's directory).
    pub files: Vec<String>,
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
    /// Key groups (Shamir); when set, the flat recipient lists above must be empty.
    pub key_groups: Vec<TomlGroup>,
    /// Groups needed to decrypt (default: all).
    pub shamir_threshold: usize,
    /// Rotation policy, e.g. `90d`.
    pub max_age: Option<String>,
    /// Allow this environment to share recipients with others.
    pub allow_shared_recipients: Option<bool>,
}

/// One `[[environments.NAME.key_groups]]` table.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default, deny_unknown_fields)]
pub struct TomlGroup {
    /// age recipients.
    pub age: Vec<String>,
    /// AWS KMS key ARNs.
    pub aws_kms: Vec<String>,
    /// GCP KMS resource ids.
    pub gcp_kms: Vec<String>,
    /// Azure Key Vault key URLs.
    pub azure_kv: Vec<String>,
    /// Vault transit URIs.
    pub hc_vault: Vec<String>,
    /// KMS encryption context.
    pub encryption_context: BTreeMap<String, String>,
    /// AWS profile.
    pub aws_profile: Option<String>,
}

impl TomlGroup {
    fn lists(&self) -> Lists<'_> {
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

impl TomlEnv {
    /// The environment's recipients as key groups (one group without Shamir).
    ///
    /// # Errors
    /// An invalid recipient, as a message naming the field.
    pub fn groups(&self, name: &str) -> Result<Vec<Vec<Spec>>, String> {
        let flat = Lists {
            age: &self.age,
            aws_kms: &self.aws_kms,
            hc_vault: &self.hc_vault,
            gcp_kms: &self.gcp_kms,
            azure_kv: &self.azure_kv,
            context: Some(&self.encryption_context),
            aws_profile: self.aws_profile.as_deref(),
        };
        if self.key_groups.is_empty() {
            return Ok(vec![flat
                .parse()
                .map_err(|e| format!("environments.{name}: {e}"))?]);
        }
        if let Ok(specs) = flat.parse() {
            if !specs.is_empty() {
                return Err(format!(
                    "environments.{name}: list recipients either in key_groups or beside them, not both"
                ));
            }
        }
        self.key_groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                g.lists()
                    .parse()
                    .map_err(|e| format!("environments.{name}.key_groups[{i}]: {e}"))
            })
            .collect()
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
#[serde(default, deny_unknown_fields)]
struct TomlRule {
    path_regex: Option<String>,
    age: Vec<String>,
    unencrypted_suffix: Option<String>,
    encrypted_suffix: Option<String>,
    unencrypted_regex: Option<String>,
    encrypted_regex: Option<String>,
    mac_only_encrypted: bool,
    aws_kms: Vec<String>,
    gcp_kms: Vec<String>,
    azure_kv: Vec<String>,
    hc_vault: Vec<String>,
    encryption_context: BTreeMap<String, String>,
    aws_profile: Option<String>,
}

fn find_up(start: &Path, name: &str) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let p = d.join(name);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

fn locate(file: &Path, name: &str) -> Option<PathBuf> {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let from_file = abs.parent().and_then(|d| find_up(d, name));
    from_file.or_else(|| std::env::current_dir().ok().and_then(|c| find_up(&c, name)))
}

fn rel_to(config: &Path, file: &Path) -> String {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let base = config.parent().unwrap_or(Path::new("/"));
    abs.strip_prefix(base)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| abs.to_string_lossy().into_owned())
}

fn cfg_err(path: &Path, message: impl Into<String>) -> Error {
    Error::Config {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Finds the creation settings for `file`, or `None` when no config applies.
///
/// # Errors
/// A config file that cannot be read or parsed, or that has no rule for the file.
pub fn creation_for(file: &Path) -> Result<Option<Creation>, Error> {
    Cache::default().creation_for(file)
}

/// A parsed config file.
enum Loaded {
    Toml(TomlConfig),
    Sops(Value),
}

/// Config lookups for bulk runs: each directory is searched once and each config file
/// parsed once, however many files share them.
#[derive(Default)]
pub struct Cache {
    found: std::sync::Mutex<std::collections::HashMap<PathBuf, Option<PathBuf>>>,
    parsed: std::sync::Mutex<std::collections::HashMap<PathBuf, std::sync::Arc<Loaded>>>,
}

impl Cache {
    /// The config that applies to `file`, found walking up from its directory.
    fn config_for(&self, file: &Path) -> Option<PathBuf> {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
        let dir = abs.parent().map(Path::to_owned).unwrap_or_default();
        if let Ok(found) = self.found.lock() {
            if let Some(hit) = found.get(&dir) {
                return hit.clone();
            }
        }
        let hit = locate(file, ".sealbox.toml").or_else(|| locate(file, ".sops.yaml"));
        if let Ok(mut found) = self.found.lock() {
            found.insert(dir, hit.clone());
        }
        hit
    }

    fn load(&self, path: &Path) -> Result<std::sync::Arc<Loaded>, Error> {
        if let Some(l) = self.parsed.lock().ok().and_then(|p| p.get(path).cloned()) {
            return Ok(l);
        }
        let loaded = if path.file_name().is_some_and(|n| n == ".sealbox.toml") {
            Loaded::Toml(parse_toml(path)?)
        } else {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
            let tree = Format::Yaml
                .parse_plain(&bytes)
                .map_err(|e| cfg_err(path, e.to_string()))?;
            Loaded::Sops(tree.docs.first().map_or(Value::Null, Value::duplicate))
        };
        let loaded = std::sync::Arc::new(loaded);
        if let Ok(mut p) = self.parsed.lock() {
            p.insert(path.to_owned(), loaded.clone());
        }
        Ok(loaded)
    }

    /// Finds the creation settings for `file`, or `None` when no config applies.
    ///
    /// # Errors
    /// A config file that cannot be read or parsed, or that has no rule for the file.
    pub fn creation_for(&self, file: &Path) -> Result<Option<Creation>, Error> {
        let Some(path) = self.config_for(file) else {
            return Ok(None);
        };
        match &*self.load(&path)? {
            Loaded::Toml(cfg) => creation_from_toml(&path, cfg, file).map(Some),
            Loaded::Sops(doc) => creation_from_sops(&path, doc, file).map(Some),
        }
    }
}

fn parse_toml(path: &Path) -> Result<TomlConfig, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?;
    toml::from_str(&text).map_err(|e| {
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
    })
}

/// Replaces every `"…"` or `'…'` segment with `"…"`.
fn redact_quoted(msg: &str) -> String {
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

fn creation_from_toml(path: &Path, cfg: &TomlConfig, file: &Path) -> Result<Creation, Error> {
    let rel = rel_to(path, file);
    for (name, env) in &cfg.environments {
        for pat in &env.files {
            let g = globset::Glob::new(pat)
                .map_err(|e| {
                    cfg_err(
                        path,
                        format!("environments.{name}.files: bad pattern '{pat}': {e}"),
                    )
                })?
                .compile_matcher();
            if pat == &rel || g.is_match(&rel) {
                return Ok(Creation {
                    source: path.to_owned(),
                    groups: env.groups(name).map_err(|m| cfg_err(path, m))?,
                    shamir_threshold: env.shamir_threshold,
                    ..Creation::default()
                });
            }
        }
    }
    for (i, rule) in cfg.rules.iter().enumerate() {
        let hit = match &rule.path_regex {
            Some(r) => regex::Regex::new(r)
                .map_err(|_| {
                    cfg_err(
                        path,
                        format!("rules[{i}].path_regex is not a valid regular expression"),
                    )
                })?
                .is_match(&rel),
            None => true,
        };
        if hit {
            let selector = [
                ("unencrypted_suffix", &rule.unencrypted_suffix),
                ("encrypted_suffix", &rule.encrypted_suffix),
                ("unencrypted_regex", &rule.unencrypted_regex),
                ("encrypted_regex", &rule.encrypted_regex),
            ]
            .into_iter()
            .find_map(|(k, v)| v.clone().map(|v| (k.to_owned(), v)));
            let lists = Lists {
                age: &rule.age,
                aws_kms: &rule.aws_kms,
                hc_vault: &rule.hc_vault,
                gcp_kms: &rule.gcp_kms,
                azure_kv: &rule.azure_kv,
                context: Some(&rule.encryption_context),
                aws_profile: rule.aws_profile.as_deref(),
            };
            let group = lists
                .parse()
                .map_err(|e| cfg_err(path, format!("rules[{i}]: {e}")))?;
            return Ok(Creation {
                source: path.to_owned(),
                groups: vec![group],
                selector,
                mac_only_encrypted: rule.mac_only_encrypted,
                ..Creation::default()
            });
        }
    }
    Err(cfg_err(
        path,
        format!("no environment or rule covers '{rel}' (add it to an environment's files, or pass --age)"),
    ))
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Str(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::Seq(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// One `.sops.yaml` key group: `age: [..]`, `kms: [{arn, role, context, aws_profile}]`,
/// `gcp_kms: [{resource_id}]`, `azure_keyvault: [{vaultUrl, key, version}]`,
/// `hc_vault: [uri]`, and `merge: [groups]` flattened in.
fn sops_group(g: &Value, profile: &str) -> Result<Vec<Spec>, String> {
    let items = |k: &str| match g.get(k) {
        Some(Value::Seq(v)) => v
            .iter()
            .filter(|x| !matches!(x, Value::Comment(_)))
            .map(Value::duplicate)
            .collect(),
        _ => Vec::new(),
    };
    let field = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut out = Lists {
        age: &string_list(g.get("age")),
        hc_vault: &string_list(g.get("hc_vault")),
        ..Lists::default()
    }
    .parse()
    .map_err(|e| e.to_string())?;
    for k in items("kms") {
        let arn = field(&k, "arn").ok_or("a kms entry has no arn")?;
        let arn = match field(&k, "role").filter(|r| !r.is_empty()) {
            Some(role) => format!("{arn}+{role}"),
            None => arn,
        };
        let context = match k.get("context") {
            Some(Value::Map(m)) => m
                .iter()
                .filter_map(|(a, b)| b.scalar_text().map(|b| (a.clone(), b)))
                .collect(),
            _ => BTreeMap::new(),
        };
        let p = field(&k, "aws_profile").unwrap_or_else(|| profile.to_owned());
        out.push(Spec::Kms(
            crate::recipients::aws::KmsKey::parse(&arn, context, &p).map_err(|e| e.to_string())?,
        ));
    }
    for k in items("gcp_kms") {
        let id = field(&k, "resource_id").ok_or("a gcp_kms entry has no resource_id")?;
        out.push(Spec::Gcp(
            crate::recipients::gcp::parse(&id).map_err(|e| e.to_string())?,
        ));
    }
    for k in items("azure_keyvault") {
        let (Some(url), Some(key)) = (field(&k, "vaultUrl"), field(&k, "key")) else {
            return Err("an azure_keyvault entry needs vaultUrl and key".to_owned());
        };
        let version = field(&k, "version").unwrap_or_default();
        let full = format!("{}/keys/{key}/{version}", url.trim_end_matches('/'));
        out.push(Spec::Azure(
            crate::recipients::azure::AzureKey::parse(&full).map_err(|e| e.to_string())?,
        ));
    }
    for m in items("merge") {
        out.extend(sops_group(&m, profile)?);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.key_id()));
    Ok(out)
}

fn creation_from_sops(path: &Path, doc: &Value, file: &Path) -> Result<Creation, Error> {
    let Some(Value::Seq(rules)) = doc.get("creation_rules") else {
        return Err(cfg_err(path, "no creation_rules list"));
    };
    let rel = rel_to(path, file);
    for (i, rule) in rules.iter().enumerate() {
        if matches!(rule, Value::Comment(_)) {
            continue;
        }
        let hit = match rule.get("path_regex").and_then(Value::as_str) {
            Some(r) => regex::Regex::new(r)
                .map_err(|_| {
                    cfg_err(
                        path,
                        format!("creation_rules[{i}].path_regex is not a valid regular expression"),
                    )
                })?
                .is_match(&rel),
            None => true,
        };
        if !hit {
            continue;
        }
        let profile = rule
            .get("aws_profile")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let groups = match rule.get("key_groups") {
            Some(Value::Seq(gs)) if !gs.is_empty() => gs
                .iter()
                .filter(|g| !matches!(g, Value::Comment(_)))
                .enumerate()
                .map(|(j, g)| {
                    sops_group(g, profile).map_err(|m| {
                        cfg_err(path, format!("creation_rules[{i}].key_groups[{j}]: {m}"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => {
                let (age, kms, vault, gcp, azure) = (
                    string_list(rule.get("age")),
                    string_list(rule.get("kms")),
                    string_list(rule.get("hc_vault_transit_uri")),
                    string_list(rule.get("gcp_kms")),
                    string_list(rule.get("azure_keyvault")),
                );
                let lists = Lists {
                    age: &age,
                    aws_kms: &kms,
                    hc_vault: &vault,
                    gcp_kms: &gcp,
                    azure_kv: &azure,
                    context: None,
                    aws_profile: Some(profile),
                };
                vec![lists
                    .parse()
                    .map_err(|e| cfg_err(path, format!("creation_rules[{i}]: {e}")))?]
            }
        };
        let selector = crate::sops::metadata::SELECTOR_KEYS
            .into_iter()
            .find_map(|k| {
                rule.get(k)
                    .and_then(Value::as_str)
                    .map(|v| (k.to_owned(), v.to_owned()))
            });
        let shamir_threshold = match rule.get("shamir_threshold") {
            Some(Value::Int(n)) => usize::try_from(*n).unwrap_or(0),
            _ => 0,
        };
        return Ok(Creation {
            source: path.to_owned(),
            groups,
            shamir_threshold,
            selector,
            mac_only_encrypted: matches!(rule.get("mac_only_encrypted"), Some(Value::Bool(true))),
        });
    }
    Err(cfg_err(path, format!("no creation rule matches '{rel}'")))
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

fn is_glob(p: &str) -> bool {
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

/// Seconds in a duration like `90d`, `12h`, `30m`, `45s` or `2w`; `None` for anything
/// else (including values that would overflow).
#[must_use]
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let num: i64 = s.get(..s.len() - unit.len_utf8())?.parse().ok()?;
    let mul = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    num.checked_mul(mul).filter(|v| *v >= 0)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_parse_and_odd_input_is_refused() {
        assert_eq!(parse_duration("90d"), Some(90 * 86_400));
        assert_eq!(parse_duration("12h"), Some(43_200));
        assert_eq!(parse_duration("1s"), Some(1));
        for bad in [
            "",
            "d",
            "9\u{434}",
            "\u{434}",
            "-1d",
            "99999999999999999d",
            "1y",
            "1.5h",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }
}

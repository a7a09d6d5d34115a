//! Project configuration, as far as creating and re-keying files needs it: which
//! recipients and selector a file gets. `.sealbox.toml` (environments and rules) is
//! found walking up from the file's directory, then from the working directory; without
//! one, `.sops.yaml` creation rules apply as sops applies them.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::recipients::spec::Spec;
use crate::store::{Format, Value};

pub(crate) mod discover;
pub mod project;
pub mod sops_yaml;

pub use project::{environment_files, Project, TomlEnv, TomlGroup};
pub use sops_yaml::{load_rules, SopsRule};

use discover::{locate, rel_to};
use project::{parse_toml, TomlConfig};
use sops_yaml::creation_from_sops;

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
            Loaded::Toml(cfg) => {
                if let Some(c) = creation_from_toml(&path, cfg, file)? {
                    return Ok(Some(c));
                }
                // A project that moved from sops keeps its .sops.yaml for what the
                // environments do not list (`init --from-sops` leaves it in place).
                if let Some(sops) = locate(file, ".sops.yaml") {
                    if let Loaded::Sops(doc) = &*self.load(&sops)? {
                        return creation_from_sops(&sops, doc, file).map(Some);
                    }
                }
                Err(cfg_err(
                    &path,
                    format!(
                        "no environment or rule covers '{}' (add it to an environment's files, or pass --age)",
                        discover::rel_to(&path, file)
                    ),
                ))
            }
            Loaded::Sops(doc) => creation_from_sops(&path, doc, file).map(Some),
        }
    }
}

/// `None` when no environment or rule of the config covers `file`.
fn creation_from_toml(
    path: &Path,
    cfg: &TomlConfig,
    file: &Path,
) -> Result<Option<Creation>, Error> {
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
                return Ok(Some(Creation {
                    source: path.to_owned(),
                    groups: env.groups(name).map_err(|e| cfg_err(path, e.to_string()))?,
                    shamir_threshold: env.shamir_threshold,
                    selector: env.selector_entry(path, name)?,
                    mac_only_encrypted: env.mac_only_encrypted,
                }));
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
            let selector = rule.selector.entry();
            let group = rule
                .recipients
                .specs()
                .map_err(|e| cfg_err(path, format!("rules[{i}]: {e}")))?;
            return Ok(Some(Creation {
                source: path.to_owned(),
                groups: vec![group],
                selector,
                mac_only_encrypted: rule.mac_only_encrypted,
                ..Creation::default()
            }));
        }
    }
    Ok(None)
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

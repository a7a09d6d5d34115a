//! `.sops.yaml`: its `creation_rules` (path regex, selectors, recipients, key groups)
//! applied to a file as sops applies them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::Error;
use crate::recipients::spec::{Lists, Spec};
use crate::store::Value;

use super::discover::rel_to;
use super::{cfg_err, Creation};

pub(super) fn string_list(v: Option<&Value>) -> Vec<String> {
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
pub(super) fn sops_group(g: &Value, profile: &str) -> Result<Vec<Spec>, String> {
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
    for fp in string_list(g.get("pgp")) {
        out.push(Spec::Pgp(
            crate::recipients::pgp::PgpKey::parse(&fp).map_err(|e| e.to_string())?,
        ));
    }
    for m in items("merge") {
        out.extend(sops_group(&m, profile)?);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert(s.key_id()));
    Ok(out)
}

/// One `creation_rules` entry, resolved.
pub struct SopsRule {
    /// Its index in `creation_rules`.
    pub index: usize,
    /// `path_regex`, if any (matched against the path relative to `.sops.yaml`).
    pub path_regex: Option<regex::Regex>,
    /// What it creates files with.
    pub creation: Creation,
}

/// Every creation rule of a parsed `.sops.yaml`, in order (sops uses the first that
/// matches).
///
/// # Errors
/// No `creation_rules`, a bad regex or recipient (naming the rule).
pub(super) fn rules_of(path: &Path, doc: &Value) -> Result<Vec<SopsRule>, Error> {
    let Some(Value::Seq(rules)) = doc.get("creation_rules") else {
        return Err(cfg_err(path, "no creation_rules list"));
    };
    let mut out = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        if matches!(rule, Value::Comment(_)) {
            continue;
        }
        let path_regex = match rule.get("path_regex").and_then(Value::as_str) {
            Some(r) => Some(regex::Regex::new(r).map_err(|_| {
                cfg_err(
                    path,
                    format!("creation_rules[{i}].path_regex is not a valid regular expression"),
                )
            })?),
            None => None,
        };
        out.push(SopsRule {
            index: i,
            path_regex,
            creation: rule_creation(path, i, rule)?,
        });
    }
    Ok(out)
}

/// Parses and resolves the `.sops.yaml` at `path`.
///
/// # Errors
/// As [`rules_of`], or the file cannot be read or parsed.
pub fn load_rules(path: &Path) -> Result<Vec<SopsRule>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "read", e))?;
    let tree = crate::store::Format::Yaml
        .parse_plain(&bytes)
        .map_err(|e| cfg_err(path, e.to_string()))?;
    let doc = tree.docs.first().map_or(Value::Null, Value::duplicate);
    rules_of(path, &doc)
}

/// A string field of a rule as go-yaml reads it into a Go string: any scalar's text
/// (`5` is "5"); `None` for null, empty or a collection.
#[must_use]
pub fn rule_string(rule: &Value, key: &str) -> Option<String> {
    rule.get(key)
        .filter(|v| !matches!(v, Value::Null))
        .and_then(Value::scalar_text)
        .filter(|v| !v.is_empty())
}

/// A bool field as go-yaml reads it into a Go bool: `true`/`false`, or one of YAML
/// 1.1's words (`yes`, `off`, …), which go-yaml still takes for a typed bool; `None`
/// for anything else (the string "true" included).
#[must_use]
pub fn go_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Str(w) => match w.as_str() {
            "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
            "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The path a rule's `path_regex` is matched against: `file` relative to the
/// directory of the config at `config`.
#[must_use]
pub fn match_path(config: &Path, file: &Path) -> String {
    rel_to(config, file)
}

/// The creation settings the first matching rule of a parsed `.sops.yaml` (`doc`, read
/// from `path`) gives `file`.
///
/// # Errors
/// No `creation_rules`, a bad rule, or no rule matching the file.
pub fn creation_from_sops(path: &Path, doc: &Value, file: &Path) -> Result<Creation, Error> {
    let rel = rel_to(path, file);
    for rule in rules_of(path, doc)? {
        if rule.path_regex.as_ref().is_none_or(|r| r.is_match(&rel)) {
            return Ok(rule.creation);
        }
    }
    Err(cfg_err(path, format!("no creation rule matches '{rel}'")))
}

/// The creation settings of one rule (`i`: its index, for messages).
///
/// # Errors
/// A key that does not parse.
pub(crate) fn rule_creation(path: &Path, i: usize, rule: &Value) -> Result<Creation, Error> {
    {
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
                let mut group = lists
                    .parse()
                    .map_err(|e| cfg_err(path, format!("creation_rules[{i}]: {e}")))?;
                for fp in string_list(rule.get("pgp")) {
                    group.push(Spec::Pgp(
                        crate::recipients::pgp::PgpKey::parse(&fp)
                            .map_err(|e| cfg_err(path, format!("creation_rules[{i}].pgp: {e}")))?,
                    ));
                }
                vec![group]
            }
        };
        // go-yaml reads a scalar of any kind into a string field (`5` is "5").
        let selector = crate::sops::metadata::SELECTOR_KEYS
            .into_iter()
            .find_map(|k| rule_string(rule, k).map(|v| (k.to_owned(), v)));
        let shamir_threshold = match rule.get("shamir_threshold") {
            Some(Value::Int(n)) => usize::try_from(*n).unwrap_or(0),
            _ => 0,
        };
        Ok(Creation {
            source: path.to_owned(),
            groups,
            shamir_threshold,
            selector,
            // go-yaml reads YAML 1.1's words into a typed bool too.
            mac_only_encrypted: rule
                .get("mac_only_encrypted")
                .and_then(go_bool)
                .unwrap_or(false),
        })
    }
}

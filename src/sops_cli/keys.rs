//! Master keys and selectors for new files, as sops decides them: the key flags (or
//! their `SOPS_*` variables) when any is given, else the first matching creation rule
//! of `.sops.yaml` (`--config`/`SOPS_CONFIG`, else found walking up from the working
//! directory, as sops looks). Key flags of `rotate --add-*/--rm-*` and `groups add`.

use std::path::{Path, PathBuf};

use super::args::SopsArgs;
use super::{code, Fail};
use crate::recipients::spec::{parse_context, Lists, Spec};
use crate::recipients::Recipient;
use crate::sops::Selector;
use crate::store::{Format, Value};

/// What a new file is encrypted for.
pub(crate) struct Plan {
    pub groups: Vec<Vec<Box<dyn Recipient>>>,
    pub threshold: usize,
    pub selector: Selector,
    pub mac_only: bool,
}

impl Plan {
    /// The groups as the wrapping functions take them.
    pub fn refs(&self) -> Vec<Vec<&dyn Recipient>> {
        self.groups
            .iter()
            .map(|g| g.iter().map(|r| &**r).collect())
            .collect()
    }
}

/// The `.sops.yaml` sops would read: `--config`/`SOPS_CONFIG`, else the first one
/// walking up from the working directory.
pub(crate) fn config_path(a: &SopsArgs) -> Option<PathBuf> {
    if let Some(c) = a.get("config") {
        return Some(PathBuf::from(c));
    }
    let mut dir = std::env::current_dir().ok();
    while let Some(d) = dir {
        let p = d.join(".sops.yaml");
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent().map(Path::to_owned);
    }
    None
}

/// The first creation rule of the config that matches `name`.
pub(crate) fn creation_rule(a: &SopsArgs, name: &Path) -> Result<crate::config::Creation, Fail> {
    creation_rule_if_any(a, name)?.ok_or_else(|| {
        Fail::usage(
            "config file not found, or has no creation rules, and no keys provided through command line options",
        )
    })
}

/// The creation rule sops applies to `name`, as sops finds it: none without a config
/// or without `creation_rules`; otherwise the first rule whose `path_regex` is empty
/// or matches (each compiled in turn: a bad one before the match fails, exit 1), an
/// error when none matches; that rule may set one selector only, and its keys must
/// read (a key of the wrong type, or one that does not parse, fails, exit 1).
pub(crate) fn creation_rule_if_any(
    a: &SopsArgs,
    name: &Path,
) -> Result<Option<crate::config::Creation>, Fail> {
    let conf = super::sopsconf::load(a)?;
    let (Some(path), Some(doc)) = (conf.path, conf.doc) else {
        return Ok(None);
    };
    let rules = match doc.get("creation_rules") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Seq(rules)) => rules,
        Some(_) => return Ok(None),
    };
    let rel = crate::config::sops_yaml::match_path(&path, name);
    let mut found = None;
    for (i, rule) in rules
        .iter()
        .filter(|r| !matches!(r, Value::Comment(_)))
        .enumerate()
    {
        let pattern = crate::config::sops_yaml::rule_string(rule, "path_regex").unwrap_or_default();
        if pattern.is_empty() {
            found = Some((i, rule));
            break;
        }
        let re = super::sopsconf::go_regex(&pattern)
            .map_err(|e| Fail::usage(format!("can not compile regexp: {e}")))?;
        if re.is_match(&rel) {
            found = Some((i, rule));
            break;
        }
    }
    let Some((i, rule)) = found else {
        return Err(Fail::usage(format!(
            "error loading config: no matching creation rules found for {rel} in {}",
            path.display()
        )));
    };
    let selectors = crate::sops::metadata::SELECTOR_KEYS
        .iter()
        .filter(|k| crate::config::sops_yaml::rule_string(rule, k).is_some())
        .count();
    if selectors > 1 {
        return Err(Fail::usage(
            "error loading config: cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex for the same rule",
        ));
    }
    let grouped = matches!(rule.get("key_groups"), Some(Value::Seq(g)) if !g.is_empty());
    if !grouped {
        for k in [
            "age",
            "pgp",
            "kms",
            "gcp_kms",
            "azure_keyvault",
            "hc_vault_transit_uri",
        ] {
            let ok = match rule.get(k) {
                None | Some(Value::Null | Value::Str(_)) => true,
                Some(Value::Seq(items)) => items
                    .iter()
                    .all(|v| matches!(v, Value::Str(_) | Value::Comment(_))),
                Some(_) => false,
            };
            if !ok {
                let got = rule.get(k).map_or("nil", Value::type_name);
                return Err(Fail::usage(format!(
                    "invalid {k} key configuration: expected string, []string, or nil, got {got} (in {}, creation_rules[{i}])",
                    path.display()
                )));
            }
        }
    }
    crate::config::sops_yaml::rule_creation(&path, i, rule)
        .map(Some)
        .map_err(|e| Fail::usage(format!("error loading config: {e}")))
}

/// The key kinds of the key flags (`--age`, `--add-age`, `--rm-age`, …).
pub(crate) const KEY_FLAGS: &[&str] = &[
    "age",
    "kms",
    "hc-vault-transit",
    "gcp-kms",
    "azure-kv",
    "pgp",
    "hckms",
];

/// Key specs from the flags named `age`, `kms`, … (or `add-age`, … with `prefix`).
pub(crate) fn flag_specs(a: &SopsArgs, prefix: &str) -> Result<Vec<Spec>, Fail> {
    let l = |n: &str| a.list(&format!("{prefix}{n}"));
    let (age, kms, vault, gcp, azure, pgp, hckms) = (
        l("age"),
        l("kms"),
        l("hc-vault-transit"),
        l("gcp-kms"),
        l("azure-kv"),
        l("pgp"),
        l("hckms"),
    );
    if !hckms.is_empty() {
        return Err(Fail::new(
            code::NO_ENCRYPTION_KEY_FOUND,
            "sealbox does not support HuaweiCloud KMS keys (--hckms)",
        ));
    }
    let context = a
        .get("encryption-context")
        .map(|c| parse_context(&c))
        .transpose()
        .map_err(|e| Fail::new(code::INVALID_KMS_ENCRYPTION_CONTEXT, e.to_string()))?;
    let profile = a.get("aws-profile");
    let mut specs = Lists {
        age: &age,
        aws_kms: &kms,
        hc_vault: &vault,
        gcp_kms: &gcp,
        azure_kv: &azure,
        context: context.as_ref(),
        aws_profile: profile.as_deref(),
    }
    .parse()
    .map_err(|e| Fail::usage(format!("invalid key: {e}")))?;
    // sops' stanza order: PGP keys after the others.
    for fp in pgp {
        let key = crate::recipients::pgp::PgpKey::parse(&fp)
            .map_err(|e| Fail::usage(format!("invalid key: {e}")))?;
        if !specs.iter().any(|s| matches!(s, Spec::Pgp(k) if *k == key)) {
            specs.push(Spec::Pgp(key));
        }
    }
    Ok(specs)
}

pub(crate) fn build(specs: &[Spec]) -> Result<Vec<Box<dyn Recipient>>, Fail> {
    specs
        .iter()
        .map(|s| {
            s.build()
                .map_err(|e| Fail::usage(format!("invalid key: {e}")))
        })
        .collect()
}

fn threshold_flag(a: &SopsArgs) -> Result<Option<usize>, Fail> {
    a.get("shamir-secret-sharing-threshold")
        .map(|t| {
            t.parse::<usize>().map_err(|_| {
                Fail::usage(format!(
                    "--shamir-secret-sharing-threshold: '{t}' is not a number"
                ))
            })
        })
        .transpose()
}

/// The selector from the flags, else `config`, else sops' default.
fn selector(
    a: &SopsArgs,
    config: Option<&(String, String)>,
    format: Format,
) -> Result<Selector, Fail> {
    if format == Format::Binary {
        // sops ignores them, saying so for each kind given by a flag or the rule (but
        // the unencrypted comment regex, which it passes over in silence).
        let what = [
            (
                "unencrypted_suffix",
                "an unencrypted suffix",
                "produces one key that should always be encrypted",
            ),
            (
                "encrypted_suffix",
                "an encrypted suffix",
                "produces one key that should always be encrypted",
            ),
            (
                "encrypted_regex",
                "an encrypted regex",
                "produces one key that should always be encrypted",
            ),
            (
                "unencrypted_regex",
                "an unencrypted regex",
                "produces one key that should always be encrypted",
            ),
            (
                "encrypted_comment_regex",
                "an encrypted comment regex",
                "never produces comments",
            ),
        ];
        for (key, name, why) in what {
            let flag = a.get(&key.replace('_', "-")).filter(|v| !v.is_empty());
            let rule = config.filter(|(k, v)| k == key && !v.is_empty());
            if flag.is_some() || rule.is_some() {
                super::warn(&format!(
                    "Using {name} does not make sense with the input store (the binary store {why}) and will be ignored."
                ));
            }
        }
        return Ok(Selector::All);
    }
    // A flag takes the place of the rule's entry of the same kind; two kinds in all,
    // from flags or rule, conflict (sops: exit 8).
    let mut given: Vec<(String, String)> = crate::sops::metadata::SELECTOR_KEYS
        .iter()
        .filter_map(|k| a.get(&k.replace('_', "-")).map(|v| ((*k).to_owned(), v)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    if let Some((k, v)) = config {
        if !v.is_empty() && !given.iter().any(|(g, _)| g == k) {
            given.push((k.clone(), v.clone()));
        }
    }
    if given.len() > 1 {
        return Err(Fail::new(
            code::CONFLICTING_PARAMETERS,
            "Error: cannot use more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, or unencrypted_comment_regex in the same file",
        ));
    }
    match given.first() {
        Some((k, v)) => Selector::from_entry(k, v)
            .map_err(|e| Fail::usage(e.to_string()))?
            .ok_or_else(|| Fail::usage(format!("unknown selector {k}"))),
        None => Ok(Selector::UnencryptedSuffix("_unencrypted".to_owned())),
    }
}

impl Plan {
    /// Fails when a key group holds no key (a rule with empty key lists), as sops
    /// fails when it wraps the data key: after reading the file, exit 1.
    pub(crate) fn require_keys(&self, name: &Path) -> Result<(), Fail> {
        if self.groups.is_empty() || self.groups.iter().any(Vec::is_empty) {
            return Err(Fail::usage(format!(
                "Could not generate data key: the creation rule for {} names no key sealbox can encrypt for (empty key group); list keys in it or pass --age/--pgp",
                name.display()
            )));
        }
        Ok(())
    }
}

/// Keys, threshold and selector for a new file named `name`.
pub(crate) fn plan(a: &SopsArgs, name: &Path, format: Format) -> Result<Plan, Fail> {
    let flags = flag_specs(a, "")?;
    let mac_flag = a.on("mac-only-encrypted");
    if !flags.is_empty() {
        let threshold = threshold_flag(a)?.unwrap_or(0);
        // With a config, sops still reads the matching rule (for its selector): a
        // config without one, or a rule that does not read, fails as without flags.
        let rule = creation_rule_if_any(a, name)?;
        return Ok(Plan {
            groups: vec![build(&flags)?],
            threshold,
            selector: selector(a, rule.as_ref().and_then(|r| r.selector.as_ref()), format)?,
            mac_only: mac_flag || rule.is_some_and(|r| r.mac_only_encrypted),
        });
    }
    let rule = creation_rule(a, name)?;
    let groups = rule
        .groups
        .iter()
        .map(|g| build(g))
        .collect::<Result<Vec<_>, _>>()?;
    let threshold = threshold_flag(a)?.unwrap_or(rule.shamir_threshold);
    Ok(Plan {
        threshold: if groups.len() > 1 { threshold } else { 0 },
        groups,
        selector: selector(a, rule.selector.as_ref(), format)?,
        mac_only: mac_flag || rule.mac_only_encrypted,
    })
}

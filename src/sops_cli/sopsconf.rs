//! The parts of `.sops.yaml` beyond creation rules: `stores:` (output indentation of
//! YAML, JSON and the JSON envelope of binary files) and `destination_rules:` (where
//! `sops publish` sends a file). Read as sops 3.11 reads them: unknown keys are
//! ignored, a known key of the wrong type is an error ("error loading config", exit
//! 1). Callers: `mod.rs` (checks the file once), `files`/`edits`/`keygroups` (indent),
//! `publish`.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::args::SopsArgs;
use super::{code, keys, Fail};
use crate::store::{Format, Indent, Value};

/// sops' raw indentation settings (`stores.yaml.indent` 0 = the default 4;
/// `stores.json.indent` -1 = one tab).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RawIndent {
    yaml: i64,
    json: i64,
    json_binary: i64,
}

impl Default for RawIndent {
    fn default() -> Self {
        Self {
            yaml: 0,
            json: -1,
            json_binary: -1,
        }
    }
}

/// One `destination_rules` entry.
pub(crate) struct DestRule {
    /// `path_regex` (absent: matches every file), compiled only by `publish`, the one
    /// command that reads it (sops does the same, so a pattern only Go's engine takes
    /// stops no other command).
    pub path_regex: Option<String>,
    pub s3_bucket: String,
    pub gcs_bucket: String,
    pub vault_path: String,
    pub vault_address: String,
    pub vault_kv_mount_name: String,
    pub vault_kv_version: i64,
    pub omit_extensions: bool,
}

/// What `.sops.yaml` says besides creation rules.
#[derive(Default)]
pub(crate) struct SopsConf {
    /// The file read (None: there is none).
    pub path: Option<PathBuf>,
    /// Its document (None: no file, or one with no document, as sops reads either).
    pub doc: Option<Value>,
    stores: RawIndent,
    pub destination_rules: Vec<DestRule>,
}

fn bad(path: &Path, what: &str) -> Fail {
    Fail::new(
        code::ERROR_GENERIC,
        format!(
            "error loading config: Could not unmarshal config file {}: {what}",
            path.display()
        ),
    )
}

fn int_at(path: &Path, v: Option<&Value>, name: &str, default: i64) -> Result<i64, Fail> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Int(i)) => Ok(*i),
        // sops takes a float and truncates it (`indent: 1.5` is 1, `1e3` is 1000).
        #[allow(clippy::cast_possible_truncation)]
        Some(Value::Float(f)) if f.is_finite() && f.abs() < 1e15 => Ok(f.trunc() as i64),
        Some(other) => Err(bad(
            path,
            &format!("{name} must be an integer, not {}", other.type_name()),
        )),
    }
}

fn str_at(path: &Path, v: Option<&Value>, name: &str) -> Result<String, Fail> {
    match v {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::Str(s) | Value::Time(s)) => Ok(s.clone()),
        Some(v @ (Value::Int(_) | Value::Float(_) | Value::Bool(_))) => {
            Ok(v.scalar_text().unwrap_or_default())
        }
        Some(other) => Err(bad(
            path,
            &format!("{name} must be a string, not {}", other.type_name()),
        )),
    }
}

fn bool_at(path: &Path, v: Option<&Value>, name: &str) -> Result<bool, Fail> {
    match v {
        None | Some(Value::Null) => Ok(false),
        // go-yaml keeps YAML 1.1's words for a typed bool (not the string "true").
        Some(v) => crate::config::sops_yaml::go_bool(v).ok_or_else(|| {
            bad(
                path,
                &format!("{name} must be true or false, not {}", v.type_name()),
            )
        }),
    }
}

fn map_at<'a>(path: &Path, v: Option<&'a Value>, name: &str) -> Result<Option<&'a Value>, Fail> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(m @ Value::Map(_)) => Ok(Some(m)),
        Some(other) => Err(bad(
            path,
            &format!("{name} must be a mapping, not {}", other.type_name()),
        )),
    }
}

fn parse_stores(path: &Path, doc: &Value) -> Result<RawIndent, Fail> {
    let mut out = RawIndent::default();
    let Some(stores) = map_at(path, doc.get("stores"), "stores")? else {
        return Ok(out);
    };
    let indent = |name: &str, default: i64| -> Result<i64, Fail> {
        let store = map_at(path, stores.get(name), &format!("stores.{name}"))?;
        int_at(
            path,
            store.and_then(|s| s.get("indent")),
            &format!("stores.{name}.indent"),
            default,
        )
    };
    out.yaml = indent("yaml", 0)?;
    out.json = indent("json", -1)?;
    out.json_binary = indent("json_binary", -1)?;
    Ok(out)
}

fn parse_destinations(path: &Path, doc: &Value) -> Result<Vec<DestRule>, Fail> {
    let items = match doc.get("destination_rules") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Seq(items)) => items,
        Some(other) => {
            return Err(bad(
                path,
                &format!(
                    "destination_rules must be a list of rules, not {}",
                    other.type_name()
                ),
            ))
        }
    };
    let mut out = Vec::new();
    for (i, item) in items
        .iter()
        .filter(|v| !matches!(v, Value::Comment(_)))
        .enumerate()
    {
        let name = |k: &str| format!("destination_rules[{i}].{k}");
        let Some(rule) = map_at(path, Some(item), &format!("destination_rules[{i}]"))? else {
            continue;
        };
        let s = |k: &str| str_at(path, rule.get(k), &name(k));
        let regex = s("path_regex")?;
        let path_regex = Some(regex).filter(|r| !r.is_empty());
        out.push(DestRule {
            path_regex,
            s3_bucket: s("s3_bucket")?,
            gcs_bucket: s("gcs_bucket")?,
            vault_path: s("vault_path")?,
            vault_address: s("vault_address")?,
            vault_kv_mount_name: s("vault_kv_mount_name")?,
            vault_kv_version: int_at(
                path,
                rule.get("vault_kv_version"),
                &name("vault_kv_version"),
                0,
            )?,
            omit_extensions: bool_at(path, rule.get("omit_extensions"), &name("omit_extensions"))?,
        });
    }
    Ok(out)
}

/// A list of strings (`[]string` in sops): a single string is refused, as Go's YAML
/// reader refuses it.
fn strings_at(path: &Path, v: Option<&Value>, name: &str) -> Result<(), Fail> {
    match v {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Seq(items)) => {
            for (j, item) in items
                .iter()
                .filter(|v| !matches!(v, Value::Comment(_)))
                .enumerate()
            {
                str_at(path, Some(item), &format!("{name}[{j}]"))?;
            }
            Ok(())
        }
        Some(other) => Err(bad(
            path,
            &format!(
                "{name} must be a list of strings, not {}",
                other.type_name()
            ),
        )),
    }
}

/// A list of mappings (`kms: [{arn: …}]`, `key_groups`, `merge`).
fn maps_at<'a>(path: &Path, v: Option<&'a Value>, name: &str) -> Result<Vec<&'a Value>, Fail> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Seq(items)) => items
            .iter()
            .filter(|v| !matches!(v, Value::Comment(_)))
            .enumerate()
            .filter_map(|(j, item)| map_at(path, Some(item), &format!("{name}[{j}]")).transpose())
            .collect(),
        Some(other) => Err(bad(
            path,
            &format!("{name} must be a list, not {}", other.type_name()),
        )),
    }
}

/// One key group as sops' `keyGroup` type reads it.
fn check_group(path: &Path, g: &Value, name: &str) -> Result<(), Fail> {
    for k in ["age", "pgp", "hc_vault"] {
        strings_at(path, g.get(k), &format!("{name}.{k}"))?;
    }
    for k in ["kms", "gcp_kms", "azure_keyvault"] {
        maps_at(path, g.get(k), &format!("{name}.{k}"))?;
    }
    for (j, m) in maps_at(path, g.get("merge"), &format!("{name}.merge"))?
        .into_iter()
        .enumerate()
    {
        check_group(path, m, &format!("{name}.merge[{j}]"))?;
    }
    Ok(())
}

/// `creation_rules` must be a list of mappings whose typed fields have their types,
/// or sops refuses the whole file, whatever the command (the keys of a rule, which
/// sops reads as strings or lists, are read where files are encrypted).
fn check_creation_rules(path: &Path, doc: &Value) -> Result<(), Fail> {
    match doc.get("creation_rules") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::Seq(items)) => {
            for (i, item) in items
                .iter()
                .filter(|v| !matches!(v, Value::Comment(_)))
                .enumerate()
            {
                let name = format!("creation_rules[{i}]");
                let Some(rule) = map_at(path, Some(item), &name)? else {
                    continue;
                };
                let mut strings = vec!["path_regex", "aws_profile"];
                strings.extend(crate::sops::metadata::SELECTOR_KEYS);
                for k in strings {
                    str_at(path, rule.get(k), &format!("{name}.{k}"))?;
                }
                int_at(
                    path,
                    rule.get("shamir_threshold"),
                    &format!("{name}.shamir_threshold"),
                    0,
                )?;
                bool_at(
                    path,
                    rule.get("mac_only_encrypted"),
                    &format!("{name}.mac_only_encrypted"),
                )?;
                for (j, g) in maps_at(path, rule.get("key_groups"), &format!("{name}.key_groups"))?
                    .into_iter()
                    .enumerate()
                {
                    check_group(path, g, &format!("{name}.key_groups[{j}]"))?;
                }
            }
            Ok(())
        }
        Some(other) => Err(bad(
            path,
            &format!(
                "creation_rules must be a list of rules, not {}",
                other.type_name()
            ),
        )),
    }
}

/// Reads the `.sops.yaml` sops would read (`--config`, `SOPS_CONFIG`, else walking
/// up from the working directory); none there is no error.
///
/// # Errors
/// A file that cannot be read or parsed, or a known key of the wrong type.
pub(crate) fn load(a: &SopsArgs) -> Result<SopsConf, Fail> {
    let Some(path) = keys::config_path(a) else {
        return Ok(SopsConf::default());
    };
    let bytes = std::fs::read(&path).map_err(|e| {
        Fail::new(
            code::ERROR_GENERIC,
            format!("error loading config: cannot read {}: {e}", path.display()),
        )
    })?;
    // A file of comments and blank lines holds no document: sops reads no settings.
    let empty = String::from_utf8_lossy(&bytes)
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    let doc = if empty {
        Value::Null
    } else {
        let tree = Format::Yaml
            .parse_plain(&bytes)
            .map_err(|e| bad(&path, &e.to_string()))?;
        tree.docs.first().map_or(Value::Null, Value::duplicate)
    };
    let (stores, destination_rules) = match &doc {
        Value::Null => (RawIndent::default(), Vec::new()),
        Value::Map(_) => {
            check_creation_rules(&path, &doc)?;
            (parse_stores(&path, &doc)?, parse_destinations(&path, &doc)?)
        }
        other => {
            return Err(bad(
                &path,
                &format!("the top level must be a mapping, not {}", other.type_name()),
            ))
        }
    };
    Ok(SopsConf {
        path: Some(path),
        doc: (!matches!(doc, Value::Null)).then_some(doc),
        stores,
        destination_rules,
    })
}

/// The indentation of output in `out`'s format: `stores:` of the config, overridden
/// in the legacy form (no subcommand) by the global `--indent`, as sops does.
///
/// # Errors
/// A config error, a non-numeric `--indent`, or a negative indentation for the
/// format being written (sops: "Error dumping file", exit 4).
pub(crate) fn indent(a: &SopsArgs, out: Format) -> Result<Indent, Fail> {
    let mut raw = load(a)?.stores;
    if a.command.is_none() {
        if let Some(v) = a.get("indent") {
            let n: i64 = v.trim().parse().map_err(|_| {
                Fail::usage(format!(
                    "Incorrect Usage. invalid value \"{v}\" for flag -indent: parse error"
                ))
            })?;
            raw = RawIndent {
                yaml: n,
                json: n,
                json_binary: n,
            };
        }
    }
    resolve(raw, out)
}

/// sops' raw settings as the emitters take them, for output in `out`'s format.
fn resolve(raw: RawIndent, out: Format) -> Result<Indent, Fail> {
    let dump = |m: &str| Fail::new(code::ERROR_DUMPING_TREE, format!("Error dumping file: {m}"));
    let json = |n: i64| -> Result<Option<usize>, Fail> {
        match n {
            -1 => Ok(None),
            n if n < -1 => Err(dump(
                "Error marshaling to json: JSON Indentation parameter smaller than -1 is not accepted",
            )),
            n => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX).min(1024))),
        }
    };
    let mut indent = Indent::default();
    match out {
        Format::Yaml => {
            if raw.yaml < 0 {
                return Err(dump("YAML Negative indentation not accepted"));
            }
            if raw.yaml > 0 {
                indent.yaml = usize::try_from(raw.yaml).unwrap_or(2);
            }
        }
        Format::Json => indent.json = json(raw.json)?,
        Format::Binary => indent.json_binary = json(raw.json_binary)?,
        Format::Dotenv | Format::Ini => {}
    }
    Ok(indent)
}

/// A Go (RE2) pattern as Rust's `regex` reads it: the two differ in `\Q…\E` (a literal
/// run), which Go takes and `regex` does not.
///
/// # Errors
/// A pattern neither engine takes.
pub(crate) fn go_regex(pattern: &str) -> Result<Regex, regex::Error> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(i) = rest.find("\\Q") {
        // `\\Q` is a literal backslash then `Q`, not a quote.
        let escaped = rest[..i].chars().rev().take_while(|c| *c == '\\').count() % 2 == 1;
        out.push_str(&rest[..i]);
        if escaped {
            out.push_str("\\Q");
            rest = &rest[i + 2..];
            continue;
        }
        let body = &rest[i + 2..];
        let (lit, after) = match body.find("\\E") {
            Some(j) => (&body[..j], &body[j + 2..]),
            None => (body, ""),
        };
        out.push_str(&regex::escape(lit));
        rest = after;
    }
    out.push_str(rest);
    Regex::new(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(yaml: i64, json: i64) -> RawIndent {
        RawIndent {
            yaml,
            json,
            json_binary: json,
        }
    }

    #[test]
    fn go_literal_runs_are_read() {
        let re = go_regex(r"^\Qa.b+c\E/x$").unwrap();
        assert!(re.is_match("a.b+c/x") && !re.is_match("aXb+c/x"));
        assert!(go_regex(r"\Qtail.yaml").unwrap().is_match("tail.yaml"));
        assert!(go_regex(r"\\Q").unwrap().is_match("\\Q"));
        assert!(go_regex("(").is_err());
    }

    #[test]
    fn raw_settings_map_as_sops_reads_them() {
        let y = |n| resolve(raw(n, -1), Format::Yaml).map(|i| i.yaml);
        assert_eq!(y(0).unwrap(), 4);
        assert_eq!(y(2).unwrap(), 2);
        assert_eq!(y(7).unwrap(), 7);
        assert_eq!(y(-1).unwrap_err().code, code::ERROR_DUMPING_TREE);
        let j = |n| resolve(raw(0, n), Format::Json).map(|i| i.json);
        assert_eq!(j(-1).unwrap(), None);
        assert_eq!(j(0).unwrap(), Some(0));
        assert_eq!(j(3).unwrap(), Some(3));
        assert_eq!(j(-2).unwrap_err().code, code::ERROR_DUMPING_TREE);
        let b = resolve(raw(0, 2), Format::Binary).unwrap();
        assert_eq!((b.json_binary, b.json), (Some(2), None));
        // Formats without indentation ignore bad values.
        assert!(resolve(raw(-5, -5), Format::Dotenv).is_ok());
    }
}

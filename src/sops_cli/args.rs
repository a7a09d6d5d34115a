//! sops' command line as urfave/cli v1 reads it: Go-style flags (`-x`, `--x`,
//! `--x=v`, `--x v`), global flags before the subcommand, the subcommand's flags before
//! its first positional argument; everything after that is positional. Environment
//! variables stand in for flags that were not given, as sops' flag definitions say.

use std::collections::BTreeMap;

use super::Fail;

/// One flag sops knows: its names (long first) and whether it takes a value.
struct FlagDef {
    names: &'static [&'static str],
    value: bool,
    env: Option<&'static str>,
}

const fn b(names: &'static [&'static str]) -> FlagDef {
    FlagDef {
        names,
        value: false,
        env: None,
    }
}

const fn v(names: &'static [&'static str]) -> FlagDef {
    FlagDef {
        names,
        value: true,
        env: None,
    }
}

const fn ve(names: &'static [&'static str], env: &'static str) -> FlagDef {
    FlagDef {
        names,
        value: true,
        env: Some(env),
    }
}

const fn be(names: &'static [&'static str], env: &'static str) -> FlagDef {
    FlagDef {
        names,
        value: false,
        env: Some(env),
    }
}

/// Every flag of every sops subcommand (their names never collide, so one table
/// serves the legacy form and all subcommands).
const FLAGS: &[FlagDef] = &[
    // Global.
    ve(&["config"], "SOPS_CONFIG"),
    b(&["verbose"]),
    v(&["indent"]),
    b(&["mac-only-encrypted"]),
    ve(&["decryption-order"], "SOPS_DECRYPTION_ORDER"),
    be(&["disable-version-check"], "SOPS_DISABLE_VERSION_CHECK"),
    b(&["check-for-updates"]),
    b(&["version", "v"]),
    b(&["help", "h"]),
    be(&["enable-local-keyservice"], "SOPS_ENABLE_LOCAL_KEYSERVICE"),
    ve(&["keyservice"], "SOPS_KEYSERVICE"),
    // Keys for new files.
    ve(&["age", "a"], "SOPS_AGE_RECIPIENTS"),
    ve(&["pgp", "p"], "SOPS_PGP_FP"),
    ve(&["kms", "k"], "SOPS_KMS_ARN"),
    v(&["aws-profile"]),
    ve(&["gcp-kms"], "SOPS_GCP_KMS_IDS"),
    ve(&["azure-kv"], "SOPS_AZURE_KEYVAULT_URLS"),
    ve(&["hc-vault-transit"], "SOPS_VAULT_URIS"),
    ve(&["hckms"], "SOPS_HUAWEICLOUD_KMS_IDS"),
    v(&["encryption-context"]),
    v(&["shamir-secret-sharing-threshold"]),
    // Selectors.
    v(&["unencrypted-suffix"]),
    v(&["encrypted-suffix"]),
    v(&["unencrypted-regex"]),
    v(&["encrypted-regex"]),
    v(&["unencrypted-comment-regex"]),
    v(&["encrypted-comment-regex"]),
    // Input and output.
    b(&["in-place", "i"]),
    v(&["output"]),
    v(&["input-type"]),
    v(&["output-type"]),
    v(&["filename-override"]),
    v(&["extract"]),
    b(&["ignore-mac"]),
    b(&["show-master-keys", "s"]),
    // The legacy single-command form.
    b(&["encrypt", "e"]),
    b(&["decrypt", "d"]),
    b(&["rotate", "r"]),
    v(&["set"]),
    v(&["add-age"]),
    v(&["rm-age"]),
    v(&["add-pgp"]),
    v(&["rm-pgp"]),
    v(&["add-kms"]),
    v(&["rm-kms"]),
    v(&["add-gcp-kms"]),
    v(&["rm-gcp-kms"]),
    v(&["add-azure-kv"]),
    v(&["rm-azure-kv"]),
    v(&["add-hc-vault-transit"]),
    v(&["rm-hc-vault-transit"]),
    v(&["add-hckms"]),
    v(&["rm-hckms"]),
    // Subcommand specifics.
    b(&["yes", "y"]),
    b(&["value-file"]),
    b(&["value-stdin"]),
    b(&["idempotent"]),
    b(&["pristine"]),
    v(&["user"]),
    b(&["same-process"]),
    b(&["background"]),
    b(&["no-fifo"]),
    v(&["filename"]),
    v(&["file", "f"]),
    b(&["omit-extensions"]),
    b(&["recursive"]),
    v(&["network", "net"]),
    v(&["address", "addr"]),
    b(&["prompt"]),
];

/// How `--help` shows the flag `long`: its names (`--in-place, -i`), each followed by
/// ` value` when it takes one (`--kms value, -k value`), and the variable that stands in for it (`[$SOPS_AGE_RECIPIENTS]`).
#[must_use]
pub(crate) fn help_line(long: &str) -> Option<String> {
    let def = FLAGS.iter().find(|d| d.names[0] == long)?;
    let names: Vec<String> = def
        .names
        .iter()
        .map(|n| {
            let dashes = if n.len() == 1 { "-" } else { "--" };
            let value = if def.value { " value" } else { "" };
            format!("{dashes}{n}{value}")
        })
        .collect();
    let mut line = names.join(", ");
    if let Some(env) = def.env {
        line.push_str(&format!("  [${env}]"));
    }
    Some(line)
}

/// The names of the flag `long` as completion offers them (`--in-place`, `-i`).
#[must_use]
pub(crate) fn completion_names(long: &str) -> Vec<String> {
    FLAGS
        .iter()
        .find(|d| d.names[0] == long)
        .map(|d| {
            d.names
                .iter()
                .map(|n| {
                    if n.len() == 1 {
                        format!("-{n}")
                    } else {
                        format!("--{n}")
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The long names of the flags the legacy single-command form takes.
#[must_use]
pub(crate) fn legacy_flags() -> Vec<&'static str> {
    FLAGS
        .iter()
        .map(|d| d.names[0])
        .filter(|n| !SUBCOMMAND_ONLY.contains(n))
        .collect()
}

/// Flags only subcommands define (sops refuses them before the subcommand or in the
/// legacy form).
const SUBCOMMAND_ONLY: &[&str] = &[
    "yes",
    "value-file",
    "value-stdin",
    "idempotent",
    "pristine",
    "user",
    "same-process",
    "background",
    "no-fifo",
    "filename",
    "file",
    "omit-extensions",
    "recursive",
    "network",
    "address",
    "prompt",
];

/// The flags given before a subcommand that it still reads.
const GLOBAL_READ: &[&str] = &[
    "config",
    "verbose",
    "disable-version-check",
    "check-for-updates",
    "help",
    "version",
];

/// sops' subcommands.
pub const SUBCOMMANDS: &[&str] = &[
    "encrypt",
    "decrypt",
    "edit",
    "rotate",
    "set",
    "unset",
    "updatekeys",
    "exec-env",
    "exec-file",
    "filestatus",
    "groups",
    "publish",
    "keyservice",
    "completion",
    "help",
    "h",
];

/// Flags Go reads as integers: a value that is not one stops the command (exit 1).
const INT_FLAGS: &[&str] = &["indent", "shamir-secret-sharing-threshold"];

/// A bool as Go's `strconv.ParseBool` reads it.
fn go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// An integer as Go's `strconv.ParseInt(v, 0, 64)` reads it (sign, `0x`, `0o`, `0b`,
/// a leading `0` for octal, `_` between digits).
fn go_int(v: &str) -> Option<i64> {
    let (neg, body) = match v.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_owned())
    } else {
        (10, lower)
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    let n = i64::from_str_radix(&digits.replace('_', ""), radix).ok()?;
    Some(if neg { -n } else { n })
}

fn def(name: &str) -> Option<&'static FlagDef> {
    FLAGS.iter().find(|f| f.names.contains(&name))
}

/// A parsed sops command line.
#[derive(Debug, Default)]
pub struct SopsArgs {
    /// The subcommand, when one was given.
    pub command: Option<String>,
    /// `groups add|delete`.
    pub sub: Option<String>,
    /// Flag values by canonical (long) name; bool flags hold "true"/"false".
    flags: BTreeMap<&'static str, Vec<String>>,
    /// Flags given before a subcommand: sops' subcommands read only `--config` and
    /// the logging/version switches from there, the rest is ignored.
    global: BTreeMap<&'static str, Vec<String>>,
    /// Positional arguments.
    pub positional: Vec<String>,
}

impl SopsArgs {
    /// Parses the arguments after the program name.
    ///
    /// # Errors
    /// An unknown flag or a flag without its value (sops exits 1 for both).
    pub fn parse(args: &[String]) -> Result<Self, Fail> {
        let mut out = SopsArgs::default();
        let app: Vec<&str> = FLAGS
            .iter()
            .map(|f| f.names[0])
            .filter(|n| !SUBCOMMAND_ONLY.contains(n))
            .collect();
        let mut i = out.flags_until_positional(args, 0, Some(&app))?;
        let mut reordered = None;
        if let Some(first) = args.get(i) {
            if SUBCOMMANDS.contains(&first.as_str()) {
                out.command = Some(first.clone());
                out.global = std::mem::take(&mut out.flags);
                i += 1;
                if first == "groups" {
                    if let Some(sub) = args.get(i).filter(|s| !s.starts_with('-')) {
                        out.sub = Some(sub.clone());
                        i += 1;
                    }
                }
                let own = super::cmdflags::of(first, out.sub.as_deref());
                let tail = args.get(i..).unwrap_or(&[]);
                let tail = match &own {
                    Some(names) => super::cmdflags::reorder(tail, |n| {
                        def(n).is_some_and(|d| names.contains(&d.names[0]))
                    }),
                    None => tail.to_vec(),
                };
                let j = out.flags_until_positional(&tail, 0, own.as_deref())?;
                reordered = Some(tail[j..].to_vec());
            }
        }
        let rest = match &reordered {
            Some(r) => r.as_slice(),
            None => args.get(i..).unwrap_or(&[]),
        };
        // `--` ends flag parsing in Go; it is not itself an argument.
        let rest = match rest.first() {
            Some(s) if s == "--" => &rest[1..],
            _ => rest,
        };
        out.positional = rest.to_vec();
        // sops' commands that take one file say so when given more (the others count
        // their arguments themselves).
        let one_file = match out.command.as_deref() {
            None => true,
            Some(c) => ["encrypt", "decrypt", "edit", "rotate"].contains(&c),
        };
        if out.positional.len() > 1 && one_file {
            super::warn(
                "More than one positional argument provided. Only the first one will be used!",
            );
            if let Some(f) = out.positional.iter().skip(1).find(|p| p.starts_with('-')) {
                super::warn(&format!(
                    "Note that one of the ignored positional argument is {f:?}, which looks like a flag. Flags must always be provided before the first positional argument!"
                ));
            }
        }
        Ok(out)
    }

    /// Reads flags from `i` up to the first positional; `only`: the command's own
    /// flags (others are "not defined", as sops says).
    fn flags_until_positional(
        &mut self,
        args: &[String],
        mut i: usize,
        only: Option<&[&str]>,
    ) -> Result<usize, Fail> {
        // The name each flag was given by here: urfave/cli refuses two forms of one
        // flag (`-i` and `--in-place`) in the same place.
        let mut forms: BTreeMap<&'static str, &str> = BTreeMap::new();
        while let Some(arg) = args.get(i) {
            if arg == "--" || arg == "-" || !arg.starts_with('-') {
                return Ok(i);
            }
            let body = arg.trim_start_matches('-');
            if arg.starts_with("---") || body.is_empty() {
                return Err(Fail::usage(format!("bad flag syntax: {arg}")));
            }
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (body, None),
            };
            let Some(d) = def(name).filter(|d| only.is_none_or(|o| o.contains(&d.names[0]))) else {
                return Err(Fail::usage(format!(
                    "Incorrect Usage: flag provided but not defined: -{name}"
                )));
            };
            let form = d
                .names
                .iter()
                .find(|n| **n == name)
                .copied()
                .unwrap_or(name);
            match forms.insert(d.names[0], form) {
                Some(other) if other != form => {
                    return Err(Fail::usage(format!(
                        "Cannot use two forms of the same flag: {other} {form}"
                    )));
                }
                _ => {}
            }
            let value = if d.value {
                match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i).cloned().ok_or_else(|| {
                            Fail::usage(format!("Incorrect Usage: flag needs an argument: -{name}"))
                        })?
                    }
                }
            } else {
                let v = inline.unwrap_or_else(|| "true".to_owned());
                if go_bool(&v).is_none() {
                    return Err(Fail::usage(format!(
                        "invalid boolean value \"{v}\" for -{name}: parse error"
                    )));
                }
                v
            };
            if INT_FLAGS.contains(&d.names[0]) && go_int(&value).is_none() {
                return Err(Fail::usage(format!(
                    "invalid value \"{value}\" for flag -{name}: parse error"
                )));
            }
            self.flags.entry(d.names[0]).or_default().push(value);
            i += 1;
        }
        Ok(i)
    }

    /// The last value of a flag, else its environment variable.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<String> {
        if let Some(v) = self.flags.get(name).and_then(|v| v.last()) {
            return Some(v.clone());
        }
        if GLOBAL_READ.contains(&name) {
            if let Some(v) = self.global.get(name).and_then(|v| v.last()) {
                return Some(v.clone());
            }
        }
        let env = def(name)?.env?;
        std::env::var(env).ok().filter(|v| !v.is_empty())
    }

    /// Every value of a repeatable flag (each may be a comma-separated list), else its
    /// environment variable's.
    #[must_use]
    pub fn list(&self, name: &str) -> Vec<String> {
        let raw: Vec<String> = match self.flags.get(name) {
            Some(v) => v.clone(),
            None => self.get(name).into_iter().collect(),
        };
        raw.iter()
            .flat_map(|s| crate::recipients::spec::split_list(s))
            .collect()
    }

    /// Whether a bool flag is set (`--x`, `--x=true`, or its variable).
    #[must_use]
    pub fn on(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "t" | "yes"))
    }

    /// Whether the flag was given on the command line (not from the environment).
    #[must_use]
    pub fn given(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
}

#[cfg(test)]
mod tests {
    use super::SopsArgs;

    fn p(args: &[&str]) -> SopsArgs {
        let v: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        SopsArgs::parse(&v).unwrap()
    }

    #[test]
    fn legacy_and_subcommand_forms() {
        let a = p(&["-d", "--output-type=json", "f.yaml"]);
        assert!(a.command.is_none());
        assert!(a.on("decrypt"));
        assert_eq!(a.get("output-type").as_deref(), Some("json"));
        assert_eq!(a.positional, ["f.yaml"]);
        let a = p(&[
            "--config",
            "c.yaml",
            "decrypt",
            "--extract",
            "[\"a\"]",
            "f.yaml",
            "--x",
        ]);
        assert_eq!(a.command.as_deref(), Some("decrypt"));
        assert_eq!(a.get("config").as_deref(), Some("c.yaml"));
        assert_eq!(a.positional, ["f.yaml", "--x"]);
        let a = p(&["groups", "delete", "--file", "f.yaml", "1"]);
        assert_eq!(a.sub.as_deref(), Some("delete"));
        assert_eq!(a.positional, ["1"]);
    }

    #[test]
    fn unknown_flags_and_missing_values_are_usage_errors() {
        let v = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            SopsArgs::parse(&v(&["decrypt", "--bogus", "f"]))
                .unwrap_err()
                .code,
            1
        );
        assert_eq!(
            SopsArgs::parse(&v(&["decrypt", "--output"]))
                .unwrap_err()
                .code,
            1
        );
    }
}

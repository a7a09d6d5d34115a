//! `sealbox init`: writes `.sealbox.toml` with the environments asked for, creates an
//! age identity (or reuses the one already in the keyring), stores it in the OS keyring
//! or in a 0600 identity file (optionally passphrase-protected), and prints the public
//! key and next steps. Asks with dialoguer on a terminal; `--yes` takes the defaults.

use std::fmt::Write as _;
use std::path::PathBuf;

use age::secrecy::ExposeSecret;

use crate::cli::InitArgs;
use crate::commands::ctx::Ctx;
use crate::error::{Error, Result};
use crate::identity::{file, keyring, prompt};

const DEFAULT_ENVS: [&str; 3] = ["dev", "staging", "prod"];

fn valid_env_name(n: &str) -> bool {
    !n.is_empty()
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Where the identity goes.
enum Keep {
    Keyring,
    File { passphrase: bool },
}

fn config_text(envs: &[String], recipient: &str) -> String {
    let mut s = String::from(
        "# sealbox project configuration: environments, their files and who can decrypt them.\n\
         # Give each environment its own recipients (e.g. a deploy key for prod), then remove\n\
         # allow_shared_recipients so `sealbox check` enforces the separation.\n\
         allow_shared_recipients = true\n",
    );
    for e in envs {
        let _ = write!(
            s,
            "\n[environments.{e}]\nfiles = [\"secrets/{e}.env\"]\nage = [\"{recipient}\"]\n"
        );
    }
    s
}

/// Runs `sealbox init`.
///
/// # Errors
/// An existing config without `--force`, bad names, or write failures.
pub fn run(ctx: &Ctx, args: &InitArgs) -> Result<()> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(std::path::Path::new("."), "read the working directory", e))?;
    let config = cwd.join(".sealbox.toml");
    if config.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (pass --force to overwrite it)",
            config.display()
        )));
    }
    let sops = cwd.join(".sops.yaml");
    if args.from_sops || (sops.is_file() && args.env.is_empty()) {
        return from_sops(ctx, &cwd, &sops, &config);
    }
    let ask = !args.yes && prompt::interactive();
    let mut envs: Vec<String> = if !args.env.is_empty() {
        args.env.clone()
    } else if ask {
        let answer = prompt::text("Environments (comma-separated)", &DEFAULT_ENVS.join(","))
            .ok_or_else(|| Error::Usage("init cancelled".to_owned()))?;
        answer
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        DEFAULT_ENVS.iter().map(|s| (*s).to_owned()).collect()
    };
    envs.dedup();
    if let Some(bad) = envs.iter().find(|e| !valid_env_name(e)) {
        return Err(Error::Usage(format!(
            "environment name '{bad}' is not valid (letters, digits, '-' and '_' only)"
        )));
    }
    if envs.is_empty() {
        return Err(Error::Usage("no environments given".to_owned()));
    }

    // Reuse an identity the keyring already holds, so one person has one key.
    let existing = if args.no_keyring {
        None
    } else {
        keyring::load()
    };
    let (recipient, stored_where) = if let Some((recipient, desc)) = existing_file_identity() {
        (recipient, desc)
    } else if let Some((text, store)) = existing {
        let text = zeroize::Zeroizing::new(text);
        let id = text
            .split_whitespace()
            .find(|t| t.starts_with("AGE-SECRET-KEY-"))
            .and_then(|t| t.parse::<age::x25519::Identity>().ok())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "the {store} holds a sealbox entry that is not an age identity"
                ))
            })?;
        (
            id.to_public().to_string(),
            format!("your existing identity in the {store}"),
        )
    } else {
        let keep = if args.no_keyring {
            Keep::File { passphrase: ask }
        } else if ask {
            let choice = prompt::select(
                "Where should the new private key live?",
                &[
                    "OS keyring (recommended)",
                    "identity file, passphrase-protected",
                    "identity file",
                ],
                0,
            )
            .ok_or_else(|| Error::Usage("init cancelled".to_owned()))?;
            match choice {
                0 => Keep::Keyring,
                1 => Keep::File { passphrase: true },
                _ => Keep::File { passphrase: false },
            }
        } else {
            Keep::Keyring
        };
        let id = age::x25519::Identity::generate();
        let recipient = id.to_public().to_string();
        let secret = id.to_string();
        let secret = secret.expose_secret();
        let stored = match keep {
            Keep::Keyring => {
                match keyring::store(secret, &recipient) {
                    Ok(name) => format!("the {name} (service sealbox)"),
                    Err(why) => {
                        ctx.note(&format!("no OS keyring could store the key ({why}); using an identity file instead"));
                        write_identity_file(secret, &recipient, false)?
                    }
                }
            }
            Keep::File { passphrase } => write_identity_file(secret, &recipient, passphrase)?,
        };
        (recipient, stored)
    };

    crate::output::write_atomic(
        &config,
        config_text(&envs, &recipient).as_bytes(),
        crate::output::NewMode::Public,
    )?;
    let first = envs.first().map_or("dev", String::as_str);
    println!(
        "Created {} with environments: {}",
        config.display(),
        envs.join(", ")
    );
    println!("Your public key (recipient): {recipient}");
    println!("Your private key is in {stored_where}.");
    println!();
    println!("Next steps:");
    println!("  sealbox set {first} DATABASE_URL            # prompts for the value, writes secrets/{first}.env");
    println!("  sealbox exec -e {first} -- your-command     # runs it with the secrets in its environment");
    println!(
        "  git add .sealbox.toml secrets/              # the files are encrypted; commit them"
    );
    Ok(())
}

/// The identity file sealbox already has, with its public key.
fn existing_file_identity() -> Option<(String, String)> {
    let path = file::default_path()?;
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(&path).ok()?);
    // The key itself decides the recipient; the comment is used only for a
    // passphrase-protected file, whose key cannot be read without the passphrase.
    let recipient = if file::is_protected(&text) {
        text.lines()
            .find_map(|l| l.strip_prefix("# public key: "))
            .map(|r| r.trim().to_owned())
            .filter(|r| crate::recipients::parse_age(r).is_ok())?
    } else {
        text.split_whitespace()
            .find(|t| t.starts_with("AGE-SECRET-KEY-"))
            .and_then(|t| t.parse::<age::x25519::Identity>().ok())
            .map(|id| id.to_public().to_string())?
    };
    Some((
        recipient,
        format!("your existing identity file {}", path.display()),
    ))
}

fn write_identity_file(secret: &str, recipient: &str, passphrase: bool) -> Result<String> {
    let path: PathBuf = file::default_path().ok_or_else(|| {
        Error::Usage(
            "neither XDG_CONFIG_HOME nor HOME is set; cannot place the identity file".to_owned(),
        )
    })?;
    let pass = if passphrase {
        prompt::new_passphrase().filter(|p| !p.is_empty())
    } else {
        None
    };
    let text = match &pass {
        Some(p) => file::protect(secret, recipient, p).map_err(|e| Error::Backend {
            path: path.clone(),
            message: e.to_string(),
        })?,
        None => format!("# sealbox identity\n# public key: {recipient}\n{secret}\n"),
    };
    let text = zeroize::Zeroizing::new(text);
    file::write_new(&path, &text).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Usage(format!(
                "{} already exists; sealbox will use it (remove it first to make a new one)",
                path.display()
            ))
        } else {
            Error::io(&path, "write", e)
        }
    })?;
    Ok(if pass.is_some() {
        format!("{} (passphrase-protected, mode 0600)", path.display())
    } else {
        format!("{} (mode 0600)", path.display())
    })
}

/// A name for the environment a creation rule becomes: the last word of its path
/// regex that is not a file extension or a generic word, else `rule-N`.
fn env_name(rule: &crate::config::SopsRule, taken: &[String]) -> String {
    const GENERIC: &[&str] = &[
        "yaml",
        "yml",
        "json",
        "env",
        "ini",
        "enc",
        "sops",
        "secret",
        "secrets",
        "txt",
        "config",
        "configs",
        "conf",
        "files",
        "file",
        "encrypted",
    ];
    let base = rule
        .path_regex
        .as_ref()
        .and_then(|r| {
            r.as_str()
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .filter(|w| w.len() > 1 && w.chars().any(|c| c.is_ascii_alphabetic()))
                .rfind(|w| !GENERIC.contains(&w.to_ascii_lowercase().as_str()))
                .map(|w| w.trim_matches(['-', '_']).to_ascii_lowercase())
        })
        .filter(|w| valid_env_name(w))
        .unwrap_or_else(|| {
            if rule.path_regex.is_none() {
                "default".to_owned()
            } else {
                format!("rule-{}", rule.index)
            }
        });
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// `init --from-sops`: each creation rule becomes an environment listing the sops files
/// it covers today, with its recipients (key groups and threshold) and selector. No key
/// is made: the project's keys stay the keys; `.sops.yaml` stays for new files.
fn from_sops(
    ctx: &Ctx,
    cwd: &std::path::Path,
    sops: &std::path::Path,
    config: &std::path::Path,
) -> Result<()> {
    if !sops.is_file() {
        return Err(Error::Usage(format!(
            "--from-sops: no .sops.yaml in {}",
            cwd.display()
        )));
    }
    let rules = crate::config::load_rules(sops)?;
    // The sops files below, each under the first rule that matches it (as sops picks).
    let mut covered: Vec<Vec<String>> = vec![Vec::new(); rules.len()];
    let walk = ignore::WalkBuilder::new(cwd)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walk.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(cwd) else {
            continue;
        };
        let rel = rel.to_string_lossy().into_owned();
        if rel == ".sops.yaml" || rel == ".sealbox.toml" {
            continue;
        }
        let Some(i) = rules
            .iter()
            .position(|r| r.path_regex.as_ref().is_none_or(|re| re.is_match(&rel)))
        else {
            continue;
        };
        let format = crate::store::Format::from_path(entry.path());
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        if crate::commands::open::load_sealed(entry.path(), format, &bytes).is_ok() {
            covered[i].push(rel);
        }
    }
    let mut doc = toml_edit::DocumentMut::new();
    doc.decor_mut().set_prefix(format!(
        "# Made by `sealbox init --from-sops` from {}: one environment per creation rule.\n# .sops.yaml stays: files no environment lists are created by its rules.\n\n",
        sops.display()
    ));
    let mut envs = toml_edit::Table::new();
    envs.set_implicit(true);
    let mut names: Vec<String> = Vec::new();
    let mut ours = Vec::new();
    let mine: Vec<String> = ctx
        .identities()
        .listing()
        .0
        .into_iter()
        .map(|(public, _)| public)
        .collect();
    for (rule, mut files) in rules.iter().zip(covered) {
        files.sort();
        let name = env_name(rule, &names);
        names.push(name.clone());
        let mut t = toml_edit::Table::new();
        t.decor_mut().set_prefix(format!(
            "\n# creation_rules[{}]{}\n",
            rule.index,
            rule.path_regex
                .as_ref()
                .map_or(String::new(), |r| format!(": path_regex {}", r.as_str()))
        ));
        // Names are literal paths: glob characters in them are escaped.
        let literal: Vec<String> = files.iter().map(|f| escape_glob(f)).collect();
        t.insert(
            "files",
            toml_edit::value(toml_edit::Array::from_iter(
                literal.iter().map(String::as_str),
            )),
        );
        let fill = |t: &mut toml_edit::Table, specs: &[crate::recipients::Spec]| {
            for s in specs {
                let (field, entry) = s.config_entry();
                if !t.contains_key(field) {
                    t.insert(field, toml_edit::value(toml_edit::Array::new()));
                }
                if let Some(a) = t.get_mut(field).and_then(toml_edit::Item::as_array_mut) {
                    a.push(entry);
                }
                if let crate::recipients::Spec::Kms(k) = s {
                    if !k.context.is_empty() && !t.contains_key("encryption_context") {
                        let mut ctxt = toml_edit::InlineTable::new();
                        for (a, b) in &k.context {
                            ctxt.insert(a, b.as_str().into());
                        }
                        t.insert("encryption_context", toml_edit::value(ctxt));
                    }
                    if !k.profile.is_empty() && !t.contains_key("aws_profile") {
                        t.insert("aws_profile", toml_edit::value(k.profile.as_str()));
                    }
                }
            }
        };
        let groups = &rule.creation.groups;
        if groups.len() > 1 {
            let mut arr = toml_edit::ArrayOfTables::new();
            for g in groups {
                let mut gt = toml_edit::Table::new();
                fill(&mut gt, g);
                arr.push(gt);
            }
            t.insert("key_groups", toml_edit::Item::ArrayOfTables(arr));
            if rule.creation.shamir_threshold > 0 {
                t.insert(
                    "shamir_threshold",
                    toml_edit::value(i64::try_from(rule.creation.shamir_threshold).unwrap_or(0)),
                );
            }
        } else if let Some(g) = groups.first() {
            fill(&mut t, g);
        }
        if let Some((k, v)) = &rule.creation.selector {
            let mut sel = toml_edit::InlineTable::new();
            sel.insert(k, v.as_str().into());
            t.insert("selector", toml_edit::value(sel));
        }
        if rule.creation.mac_only_encrypted {
            t.insert("mac_only_encrypted", toml_edit::value(true));
        }
        if groups
            .iter()
            .flatten()
            .any(|s| matches!(s, crate::recipients::Spec::Age(r) if mine.contains(r)))
        {
            ours.push(name.clone());
        }
        envs.insert(&name, toml_edit::Item::Table(t));
    }
    // sops projects routinely list one person's key in several rules: keep that legal.
    let mut seen = std::collections::HashSet::new();
    let shared = rules
        .iter()
        .flat_map(|r| {
            let mut keys: Vec<String> = r
                .creation
                .groups
                .iter()
                .flatten()
                .map(|s| s.key_id())
                .collect();
            keys.sort();
            keys.dedup();
            keys
        })
        .any(|k| !seen.insert(k));
    if shared {
        doc.insert("allow_shared_recipients", toml_edit::value(true));
        if let Some((mut key, _)) = doc.get_key_value_mut("allow_shared_recipients") {
            key.leaf_decor_mut().set_prefix(
                "# The rules share recipients, as sops projects often do; `sealbox check` flags\n# that unless allowed. Give environments their own keys, then remove this.\n",
            );
        }
    }
    doc.insert("environments", toml_edit::Item::Table(envs));
    let text = doc.to_string();
    // What we wrote must read back as the config it describes.
    crate::output::write_atomic(config, text.as_bytes(), crate::output::NewMode::Public)?;
    if let Err(e) = crate::config::Project::load(config) {
        let _ = std::fs::remove_file(config);
        return Err(e);
    }
    println!(
        "Created {} from {}: {}",
        config.display(),
        sops.display(),
        names.join(", ")
    );
    if ours.is_empty() {
        println!("None of your identities is an age recipient of these rules; ask a teammate to run `sealbox recipients add -e ENV <your key>` (`sealbox whoami` prints it), or use a KMS key the rules name.");
    } else {
        println!(
            "You can open: {} (with your existing key; no new key was made).",
            ours.join(", ")
        );
    }
    Ok(())
}

/// A path as a glob that matches only itself.
fn escape_glob(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}') {
            out.push('[');
            out.push(c);
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

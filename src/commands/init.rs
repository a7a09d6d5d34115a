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

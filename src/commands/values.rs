//! `sealbox set ENV KEY [VALUE]`, `get ENV KEY`, `unset ENV KEY`: one value in the
//! environment's file (the first of its `files` that is not a glob). An existing file
//! keeps its data key and the IVs of unchanged values, so a change touches one line
//! plus the MAC and lastmodified; a missing file is created for the environment's
//! recipients.

use std::io::{IsTerminal, Read as _, Write as _};
use std::path::Path;

use zeroize::Zeroizing;

use crate::cli::{GetArgs, SetArgs, UnsetArgs};
use crate::commands::{common, ctx::Ctx, open};
use crate::config::Project;
use crate::crypto::dek::DataKey;
use crate::error::{Error, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient};
use crate::sops::{self, Metadata, Selector, SOPS_FORMAT_VERSION};
use crate::store::{Format, Tree, Value};

/// Whether `k` is a usable environment variable name.
#[must_use]
pub fn valid_name(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_name(k: &str) -> Result<()> {
    if valid_name(k) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "'{k}' is not a valid variable name (letters, digits and '_', not starting with a digit)"
        )))
    }
}

fn check_format(path: &Path) -> Result<Format> {
    match Format::from_path(path) {
        f @ (Format::Dotenv | Format::Yaml | Format::Json) => Ok(f),
        other => Err(Error::input(
            path,
            format!("set/get/unset work on dotenv, YAML and JSON files, not {other}"),
            Some("list a .env, .yaml or .json file first in the environment's files"),
        )),
    }
}

/// A random URL-safe string of `len` characters.
pub(crate) fn generate(len: usize) -> Result<Zeroizing<String>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    if !(1..=4096).contains(&len) {
        return Err(Error::Usage(
            "--generate takes a length from 1 to 4096".to_owned(),
        ));
    }
    let mut out = Zeroizing::new(String::with_capacity(len));
    let mut buf = Zeroizing::new([0u8; 64]);
    while out.len() < len {
        crate::crypto::rng::fill_secret(buf.as_mut())
            .map_err(|_| Error::Usage("the OS random number generator failed".to_owned()))?;
        // 64 symbols: every byte maps without bias through its low 6 bits.
        for b in buf.iter().take(len - out.len()) {
            out.push(char::from(ALPHABET[usize::from(b & 63)]));
        }
    }
    Ok(out)
}

fn value_of(args: &SetArgs) -> Result<Zeroizing<String>> {
    if let Some(len) = args.generate {
        return generate(len);
    }
    if let Some(f) = &args.from_file {
        let bytes = Zeroizing::new(std::fs::read(f).map_err(|e| Error::io(f, "read", e))?);
        return String::from_utf8(bytes.to_vec())
            .map(Zeroizing::new)
            .map_err(|_| {
                Error::input(
                    f,
                    "is not UTF-8 text; values are strings",
                    Some("base64-encode binary values"),
                )
            });
    }
    match args.value.as_deref() {
        Some("-") => {
            let mut s = Zeroizing::new(String::new());
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Error::io(Path::new("<stdin>"), "read", e))?;
            if s.ends_with('\n') {
                s.pop();
                if s.ends_with('\r') {
                    s.pop();
                }
            }
            Ok(s)
        }
        Some(v) => {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "sealbox: warning: a value typed on the command line stays in your shell history and is visible in `ps` while sealbox runs; next time run `sealbox set {} {}` with no value to be prompted, or pass `-` to read stdin",
                    args.env, args.key
                );
            }
            Ok(Zeroizing::new(v.to_owned()))
        }
        None => crate::identity::prompt::secret_value(&args.key)
            .map(Zeroizing::new)
            .ok_or_else(|| {
                Error::Usage(
                    "no value: pass VALUE, `-` to read stdin, --from-file FILE or --generate"
                        .to_owned(),
                )
            }),
    }
}

/// Opens an environment's file for a change, or starts a new one.
pub(crate) struct Target {
    /// The file as read (None for a new file).
    original: Option<Vec<u8>>,
    pub(crate) path: std::path::PathBuf,
    format: Format,
    tree: Tree,
    key: DataKey,
    meta: Metadata,
    ivs: sops::IvCache,
    exists: bool,
    /// Held from the read to the rename, so concurrent writers serialize.
    _lock: crate::lock::FileLock,
}

impl Target {
    /// Whether the file's selector encrypts a top-level value under `key`.
    pub(crate) fn encrypts(&self, key: &str) -> bool {
        match &self.meta.selector {
            Selector::EncryptedSuffix(sfx) => key.ends_with(sfx.as_str()),
            Selector::EncryptedRegex(r) => r.is_match(key),
            Selector::UnencryptedSuffix(sfx) => !key.ends_with(sfx.as_str()),
            Selector::UnencryptedRegex(r) => !r.is_match(key),
            Selector::EncryptedCommentRegex(_) => false,
            Selector::All | Selector::UnencryptedCommentRegex(_) => true,
        }
    }

    /// The file's format.
    pub(crate) fn format(&self) -> Format {
        self.format
    }
}

pub(crate) fn open_target(ctx: &Ctx, project: &Project, env: &str) -> Result<Target> {
    let path = project.primary_file(env)?;
    let format = check_format(&path)?;
    let lock = crate::lock::lock(&path)?;
    if path.exists() {
        let original = open::read(&path)?;
        let (sealed, opened, key) = open::open_bytes(ctx, &path, format, &original, false)?;
        return Ok(Target {
            original: Some(original),
            path,
            format,
            tree: opened.tree,
            key,
            meta: sealed.meta.clone(),
            ivs: opened.ivs,
            exists: true,
            _lock: lock,
        });
    }
    let cfg = project.env(env)?;
    let source = project.path.display().to_string();
    let specs = cfg.groups(env).map_err(|e| Error::Config {
        path: project.path.clone(),
        message: e.to_string(),
    })?;
    let recips: Vec<Vec<Box<dyn Recipient>>> = specs
        .iter()
        .map(|g| common::build_recipients(g, &source))
        .collect::<Result<_>>()?;
    if recips.iter().all(Vec::is_empty) {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environments.{env} lists no recipients, so nobody could decrypt {}",
                path.display()
            ),
        });
    }
    let key = DataKey::generate().map_err(|_| open::sops_err(&path, sops::SopsError::Rng))?;
    let refs: Vec<Vec<&dyn Recipient>> = recips
        .iter()
        .map(|g| g.iter().map(|r| &**r).collect())
        .collect();
    let threshold = if refs.len() > 1 {
        cfg.shamir_threshold
    } else {
        0
    };
    let groups = recipients::wrap_groups(&key, &refs, threshold).map_err(|e| Error::Backend {
        path: path.clone(),
        message: e.to_string(),
    })?;
    Ok(Target {
        original: None,
        path,
        format,
        tree: Tree::single(Value::Map(Vec::new())),
        key,
        meta: Metadata {
            lastmodified: String::new(),
            mac: None,
            version: SOPS_FORMAT_VERSION.to_owned(),
            selector: Selector::UnencryptedSuffix("_unencrypted".to_owned()),
            mac_only_encrypted: false,
            shamir_threshold: threshold,
            groups,
        },
        ivs: sops::IvCache::default(),
        exists: false,
        _lock: lock,
    })
}

pub(crate) fn save(mut t: Target) -> Result<()> {
    // An existing file keeps its `version` and its metadata block's layout: same data
    // key and stanzas, so a mixed sops/sealbox team's diff shows only the value.
    if t.original.is_none() {
        t.meta.version = SOPS_FORMAT_VERSION.to_owned();
    }
    let tree = std::mem::take(&mut t.tree.docs);
    let sealed = sops::seal(Tree { docs: tree }, &t.key, t.meta, Some(&mut t.ivs))
        .map_err(|e| open::sops_err(&t.path, e))?;
    let mut bytes = sealed
        .into_bytes(t.format)
        .map_err(|e| Error::input(&t.path, e.to_string(), None))?;
    if let Some(old) = &t.original {
        bytes = sops::layout::keep(t.format, old, bytes);
    }
    if !t.exists {
        if let Some(dir) = t.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create directory", e))?;
        }
    }
    output::write_atomic(&t.path, &bytes, NewMode::Public)
}

pub(crate) fn top_map(t: &mut Target) -> Result<&mut Vec<(String, Value)>> {
    match t.tree.docs.first_mut() {
        Some(Value::Map(m)) => Ok(m),
        _ => Err(Error::input(
            &t.path,
            "the top level is not a mapping",
            None,
        )),
    }
}

/// Runs `sealbox set`.
///
/// # Errors
/// Bad names, unknown environments, undecryptable files, write failures.
pub fn set(ctx: &Ctx, args: &SetArgs) -> Result<()> {
    check_name(&args.key)?;
    let project = Project::find()?;
    project.env(&args.env)?;
    let value = value_of(args)?;
    let mut t = open_target(ctx, &project, &args.env)?;
    if !t.encrypts(&args.key) {
        return Err(Error::input(
            &t.path,
            format!("{} would be stored in clear: this file only encrypts the keys its encrypted_* selector names", args.key),
            Some("use a key name the selector covers, or add the value with `sealbox edit`"),
        ));
    }
    let map = top_map(&mut t)?;
    let new = Value::Str(value.to_string());
    match map
        .iter_mut()
        .find(|(k, v)| *k == args.key && !matches!(v, Value::Comment(_)))
    {
        Some((_, v)) => *v = new,
        None => map.push((args.key.clone(), new)),
    }
    let path = t.path.clone();
    save(t)?;
    ctx.note(&format!("set {} in {}", args.key, path.display()));
    ctx.audit(crate::audit::Event {
        command: "set",
        files: vec![path],
        environments: vec![args.env.clone()],
        keys: vec![args.key.clone()],
        ..Default::default()
    })
}

/// The environment (or file) and key a `get` reads.
struct Named {
    env: String,
    key: String,
}

/// Runs `sealbox get`.
///
/// # Errors
/// Unknown environment or key, undecryptable file.
pub fn get(ctx: &Ctx, args: &GetArgs) -> Result<()> {
    // A `source =` environment: its manager holds the values.
    if let (None, Some(env), Some(key)) = (&args.file, &args.env, &args.key) {
        let project = Project::find()?;
        if let Some((target, found)) = super::managed::source_values(ctx, &project, env)? {
            let text = found
                .get(key)
                .map(|v| Zeroizing::new(v.to_string()))
                .ok_or_else(|| {
                    Error::Usage(format!("{key} is not set in environment {env} ({target})"))
                })?;
            let named = Named {
                env: env.clone(),
                key: key.clone(),
            };
            return print_value(ctx, &named, text, Vec::new());
        }
    }
    let (path, env, key) = match (&args.file, &args.env, &args.key) {
        (Some(f), key, None) => (f.clone(), None, key.clone()),
        (Some(_), _, Some(_)) => {
            return Err(Error::Usage(
                "get -f FILE takes one KEY, no environment".to_owned(),
            ))
        }
        (None, Some(env), key) => {
            let project = Project::find()?;
            (project.primary_file(env)?, Some(env.clone()), key.clone())
        }
        (None, None, _) => {
            return Err(Error::Usage(
                "get needs ENV [KEY], or -f FILE [KEY]".to_owned(),
            ))
        }
    };
    let Some(key) = key else {
        // Names only: the project's environment (every file), or the one file.
        return match &env {
            Some(env) => {
                crate::commands::recipients::keys(&crate::cli::KeysArgs { env: env.clone() })
            }
            None => crate::commands::recipients::keys_of_files(std::slice::from_ref(&path)),
        };
    };
    let args = Named {
        env: env.clone().unwrap_or_else(|| path.display().to_string()),
        key,
    };
    let format = if env.is_some() {
        check_format(&path)?
    } else {
        crate::store::Format::from_path(&path)
    };
    if !path.exists() {
        return Err(Error::input(
            &path,
            format!("does not exist yet, so {} is not set", args.key),
            Some("sealbox set ENV KEY"),
        ));
    }
    let (opened, unauthenticated) = open::read_for_values(ctx, &path, format)?;
    open::refuse_ambiguous(&path, &opened.tree)?;
    if unauthenticated.contains(&args.key) {
        return Err(Error::Integrity {
            path: path.clone(),
            message: format!(
                "{} is stored in the clear and the file's MAC covers only encrypted values, so it is not authenticated",
                args.key
            ),
        });
    }
    let v = opened
        .tree
        .docs
        .first()
        .and_then(|d| d.get(&args.key))
        .ok_or_else(|| {
            Error::input(
                &path,
                format!("{} is not set in environment {}", args.key, args.env),
                None,
            )
        })?;
    let text =
        Zeroizing::new(v.scalar_text().ok_or_else(|| {
            Error::input(&path, format!("{} is not a single value", args.key), None)
        })?);
    print_value(ctx, &args, text, vec![path])
}

/// Prints a value `get` found (with a newline on a terminal), after the audit line.
fn print_value(
    ctx: &Ctx,
    args: &Named,
    mut text: Zeroizing<String>,
    files: Vec<std::path::PathBuf>,
) -> Result<()> {
    if std::io::stdout().is_terminal() {
        text.push('\n');
    }
    ctx.audit(crate::audit::Event {
        command: "get",
        files,
        environments: vec![args.env.clone()],
        keys: vec![args.key.clone()],
        ..Default::default()
    })?;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(Path::new("<stdout>"), "write", e)),
    }
}

/// Runs `sealbox unset`.
///
/// # Errors
/// Unknown environment or key, undecryptable file.
pub fn unset(ctx: &Ctx, args: &UnsetArgs) -> Result<()> {
    let project = Project::find()?;
    let path = project.primary_file(&args.env)?;
    check_format(&path)?;
    // Unsetting what is not set leaves things as asked: a note, exit 0 (as `rm -f`).
    if !path.exists() {
        ctx.note(&format!(
            "{} is not set in environment {} ({} does not exist yet); nothing to do",
            args.key,
            args.env,
            path.display()
        ));
        return Ok(());
    }
    let mut t = open_target(ctx, &project, &args.env)?;
    let map = top_map(&mut t)?;
    let before = map.len();
    map.retain(|(k, v)| *k != args.key || matches!(v, Value::Comment(_)));
    if map.len() == before {
        ctx.note(&format!(
            "{} is not set in environment {}; nothing to do",
            args.key, args.env
        ));
        return Ok(());
    }
    save(t)?;
    ctx.note(&format!("removed {} from {}", args.key, path.display()));
    ctx.audit(crate::audit::Event {
        command: "unset",
        files: vec![path],
        environments: vec![args.env.clone()],
        keys: vec![args.key.clone()],
        ..Default::default()
    })
}

//! `sealbox edit FILE`: decrypt into a private temp file (tmpfs when available, 0600 in
//! a 0700 directory), run the editor, re-encrypt with the same data key so unchanged
//! values keep their ciphertext, then overwrite and remove the temp file. An unchanged
//! buffer leaves the file byte-identical; a failing editor or invalid edit changes nothing.

use std::fs;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use zeroize::Zeroizing;

use crate::cli::EditArgs;
use crate::commands::{ctx::Ctx, open};
use crate::error::{Error, Result};
use crate::output::{self, NewMode};
use crate::sops;
use crate::store::Tree;

/// Start of the private directories an edit makes: `sealbox-edit-PID-…`.
const EDIT_PREFIX: &str = "sealbox-edit-";

/// Wipes and removes the private directories of edits whose sealbox is gone (killed
/// with the plaintext copy still open), and says how many. Every sealbox run but
/// `check` does this first; `check` reports them (see [`stale_edit_dirs`]).
pub fn clean_stale_dirs(ctx: &Ctx) {
    let removed = stale_edit_dirs(true).len();
    if removed > 0 {
        ctx.note(&format!(
            "removed {removed} private edit director(ies) in {} left by a sealbox that was killed",
            temp_base().display()
        ));
    }
}

/// The private edit directories of this user whose sealbox is gone; with `remove`,
/// their files are wiped and the directories removed (those returned).
pub fn stale_edit_dirs(remove: bool) -> Vec<PathBuf> {
    let base = temp_base();
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(&base) else {
        return found;
    };
    let me = rustix::process::geteuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(EDIT_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let ours = fs::symlink_metadata(entry.path()).is_ok_and(|m| {
            use std::os::unix::fs::MetadataExt;
            m.is_dir() && m.uid() == me
        });
        if !ours || output::pid_alive(pid) {
            continue;
        }
        if !remove {
            found.push(entry.path());
            continue;
        }
        if let Ok(files) = fs::read_dir(entry.path()) {
            for f in files.flatten() {
                wipe(&f.path());
            }
        }
        if fs::remove_dir(entry.path()).is_ok() {
            found.push(entry.path());
        }
    }
    found
}

fn temp_base() -> PathBuf {
    for cand in [
        Some(PathBuf::from("/dev/shm")),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
    ]
    .into_iter()
    .flatten()
    {
        if cand.is_dir() && tempfile::tempdir_in(&cand).is_ok() {
            return cand;
        }
    }
    std::env::temp_dir()
}

/// Overwrites a file with zeros, then removes it.
fn wipe(path: &Path) {
    // Never through a link: only a regular file of its own is overwritten.
    if let Ok(meta) = fs::symlink_metadata(path).and_then(|m| {
        m.is_file()
            .then_some(m)
            .ok_or_else(|| std::io::Error::other("not a regular file"))
    }) {
        let nofollow = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
        if let Ok(mut f) = fs::OpenOptions::new()
            .write(true)
            .custom_flags(nofollow)
            .open(path)
        {
            let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0)];
            let _ = f.write_all(&zeros);
            let _ = f.sync_all();
        }
    }
    let _ = fs::remove_file(path);
}

fn editor_argv() -> Result<Vec<String>> {
    let chosen = ["SEALBOX_EDITOR", "SOPS_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    // vi without a terminal prints the whole plaintext to wherever stdout goes.
    if chosen.is_none() && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Error::Usage(
            "no editor is set and this is not a terminal, so no editor was started; set $EDITOR (or $SOPS_EDITOR) to a command that edits the file it is given".to_owned(),
        ));
    }
    let cmd = chosen.unwrap_or_else(|| "vi".to_owned());
    shlex::split(&cmd).filter(|a| !a.is_empty()).ok_or_else(|| {
        Error::Usage(format!(
            "cannot parse the editor command '{cmd}' (set $EDITOR)"
        ))
    })
}

/// Runs `sealbox edit`.
///
/// # Errors
/// See [`Error`]; the encrypted file is unchanged on every error.
pub fn run(ctx: &Ctx, args: &EditArgs) -> Result<()> {
    run_changed(ctx, args).map(|_| ())
}

/// Runs `edit` and says whether the file was changed (`sops edit` exits 200 when not).
///
/// # Errors
/// As [`run`].
pub fn run_changed(ctx: &Ctx, args: &EditArgs) -> Result<bool> {
    let path = &args.file;
    let format = open::format_of(path, args.input_type);
    ctx.audit_preflight()?;
    if fs::symlink_metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return new_file(ctx, path, format).map(|()| true);
    }
    let file_bytes = open::read(path)?;
    let (sealed, opened, key) = open::open_bytes(ctx, path, format, &file_bytes, false)?;
    let mut ivs = opened.ivs;
    let original = Zeroizing::new(
        format
            .emit_plain(&opened.tree)
            .map_err(|e| Error::input(path, e.to_string(), None))?,
    );
    drop(opened.tree);
    let result = edit_privately(ctx, path, format, &original);
    let changed = matches!(result, Ok(Some(_)));
    // The plaintext went to the editor whatever happens next: logged in every case.
    let saved = (|| -> Result<()> {
        if let Some(tree) = result? {
            let edit = Edit {
                path,
                format,
                file_bytes: &file_bytes,
                original: &original,
                sealed: &sealed,
                key: &key,
            };
            let copy = Tree {
                docs: tree
                    .docs
                    .iter()
                    .map(crate::store::Value::duplicate)
                    .collect(),
            };
            if let Err(err) = save(ctx, &edit, copy, &mut ivs) {
                if matches!(err, Error::EditSetAside { .. }) {
                    return Err(err);
                }
                // Whatever failed, the edit is not lost: it goes aside, encrypted as before.
                let out = reseal(path, format, tree, &key, &sealed, None)?;
                let aside = set_aside(path, &out)?;
                ctx.note(&format!(
                    "{}: the edit could not be saved; it is kept encrypted in {}",
                    path.display(),
                    aside.display()
                ));
                return Err(err);
            }
        }
        Ok(())
    })();
    ctx.audit_result(
        saved,
        crate::audit::Event {
            command: "edit",
            files: vec![path.clone()],
            ..Default::default()
        },
    )
    .map(|()| changed)
}

/// `edit` of a file that does not exist yet: an empty document to fill in, encrypted
/// for the recipients the config names for that path (as sops does with its template).
fn new_file(ctx: &Ctx, path: &Path, format: crate::store::Format) -> Result<()> {
    use crate::crypto::dek::DataKey;
    use crate::recipients::{self, Recipient};
    use crate::sops::{Metadata, Selector};
    use crate::store::{Format, Value};
    let c = crate::config::creation_for(path)?.ok_or_else(|| {
        Error::input(
            path,
            "does not exist, and no .sealbox.toml or .sops.yaml says whom to encrypt a new file for",
            Some("add the file to an environment or a creation rule, or create it with `sealbox encrypt --age RECIPIENT`"),
        )
    })?;
    let source = c.source.display().to_string();
    let owned = c
        .groups
        .iter()
        .map(|g| crate::commands::common::build_recipients(g, &source))
        .collect::<Result<Vec<_>>>()?;
    if owned.iter().all(Vec::is_empty) {
        return Err(Error::Config {
            path: c.source.clone(),
            message: format!(
                "no recipients for {}, so nobody could decrypt it",
                path.display()
            ),
        });
    }
    let groups: Vec<Vec<&dyn Recipient>> = owned
        .iter()
        .map(|g| g.iter().map(|r| &**r).collect())
        .collect();
    let selector = if format == Format::Binary {
        Selector::All
    } else {
        match &c.selector {
            Some((k, v)) => Selector::from_entry(k, v)
                .map_err(|e| Error::Config {
                    path: c.source.clone(),
                    message: e.to_string(),
                })?
                .unwrap_or_else(|| Selector::UnencryptedSuffix("_unencrypted".to_owned())),
            None => Selector::UnencryptedSuffix("_unencrypted".to_owned()),
        }
    };
    let original = Zeroizing::new(if format == Format::Binary {
        Vec::new()
    } else {
        format
            .emit_plain(&Tree::single(Value::Map(Vec::new())))
            .map_err(|e| Error::input(path, e.to_string(), None))?
    });
    let Some(tree) = edit_privately(ctx, path, format, &original)? else {
        ctx.note(&format!(
            "{}: nothing written, so no file was created",
            path.display()
        ));
        return Ok(());
    };
    let key = DataKey::generate().map_err(|_| open::sops_err(path, sops::SopsError::Rng))?;
    let threshold = if groups.len() > 1 {
        c.shamir_threshold
    } else {
        0
    };
    let wrapped =
        recipients::wrap_groups(&key, &groups, threshold).map_err(|e| Error::Backend {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
    let meta = Metadata {
        lastmodified: String::new(),
        mac: None,
        version: sops::SOPS_FORMAT_VERSION.to_owned(),
        selector,
        mac_only_encrypted: c.mac_only_encrypted,
        shamir_threshold: threshold,
        groups: wrapped,
    };
    let sealed = sops::seal(tree, &key, meta, None).map_err(|e| open::sops_err(path, e))?;
    let out = sealed
        .to_bytes(format)
        .map_err(|e| Error::input(path, e.to_string(), None))?;
    let _lock = crate::lock::lock(path)?;
    // Created, never replaced: another writer may have made it meanwhile.
    output::write_new(path, &out, NewMode::Public)?;
    ctx.note(&format!("{}: created", path.display()));
    ctx.audit(crate::audit::Event {
        command: "edit",
        files: vec![path.to_owned()],
        ..Default::default()
    })
}

/// Writes `original` to a private copy (tmpfs when there is one), runs the editor on it
/// until it holds a valid document, and wipes it; `None` when nothing changed.
pub(crate) fn edit_privately(
    ctx: &Ctx,
    path: &Path,
    format: crate::store::Format,
    original: &[u8],
) -> Result<Option<Tree>> {
    let prefix = format!("{EDIT_PREFIX}{}-", std::process::id());
    let dir = tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(fs::Permissions::from_mode(0o700))
        .tempdir_in(temp_base())
        .map_err(|e| Error::io(path, "create a private temp directory for", e))?;
    let name = path
        .file_name()
        .map_or_else(|| "secrets".into(), std::ffi::OsStr::to_os_string);
    let tmp = dir.path().join(name);
    // While the plaintext copy exists, Ctrl-C, SIGTERM and SIGHUP must not kill sealbox
    // before it wipes the copy: they are recorded, and acted on once the editor is gone.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut hooks = Vec::new();
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        if let Ok(id) = signal_hook::flag::register(sig, std::sync::Arc::clone(&stop)) {
            hooks.push(id);
        }
    }
    let result = edit_loop(ctx, path, format, &tmp, original, &stop);
    wipe(&tmp);
    drop(dir);
    for id in hooks {
        signal_hook::low_level::unregister(id);
    }
    result
}

/// Runs the editor until it leaves a valid document; `None` when nothing changed.
fn edit_loop(
    ctx: &Ctx,
    path: &Path,
    format: crate::store::Format,
    tmp: &Path,
    original: &[u8],
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Option<Tree>> {
    {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode_0600()
            .open(tmp)
            .map_err(|e| Error::io(tmp, "create", e))?;
        f.write_all(original)
            .map_err(|e| Error::io(tmp, "write", e))?;
    }
    let argv = editor_argv()?;
    loop {
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).arg(tmp);
        ctx.scrub_child(&mut cmd);
        let status = crate::hardening::run_child(&mut cmd).map_err(|e| Error::Backend {
            path: path.to_owned(),
            message: format!(
                "cannot run the editor '{}': {e}; the file is unchanged (set $EDITOR)",
                argv[0]
            ),
        })?;
        if stop.load(std::sync::atomic::Ordering::SeqCst) && !status.success() {
            return Err(Error::Backend {
                path: path.to_owned(),
                message: "interrupted; the file is unchanged and the temporary copy was wiped"
                    .to_owned(),
            });
        }
        if !status.success() {
            return Err(Error::Backend {
                path: path.to_owned(),
                message: format!("the editor exited with {status}; the file is unchanged"),
            });
        }
        let edited = Zeroizing::new(fs::read(tmp).map_err(|e| Error::io(tmp, "read back", e))?);
        if edited.as_slice() == original {
            ctx.note(&format!("{}: no changes", path.display()));
            return Ok(None);
        }
        let tree = match format.parse_plain_as_sops(&edited) {
            Ok(t) if !sops::has_metadata(format, &t) || format == crate::store::Format::Binary => t,
            Ok(_) => {
                if retry(path, "the edited file must not contain a sops key", stop)? {
                    continue;
                }
                return Err(Error::input(
                    path,
                    "the edited file contains a sops key; the file is unchanged",
                    None,
                ));
            }
            Err(e) => {
                if retry(path, &e.to_string(), stop)? {
                    continue;
                }
                return Err(Error::input(
                    path,
                    format!("the edited text is not valid: {e}; the file is unchanged"),
                    Some("run sealbox edit again"),
                ));
            }
        };
        return Ok(Some(tree));
    }
}

/// What an edit started from.
struct Edit<'a> {
    path: &'a Path,
    format: crate::store::Format,
    /// The encrypted file as it was read.
    file_bytes: &'a [u8],
    /// Its plaintext, as the editor got it.
    original: &'a [u8],
    sealed: &'a sops::Sealed,
    key: &'a crate::crypto::dek::DataKey,
}

/// Saves an edit under the file's lock. When another writer changed the file while the
/// editor was open, the two changes are merged key by key (as the merge driver does);
/// a key both changed leaves the file as the other writer left it, and the user's edit
/// goes, encrypted for the same recipients, to `FILE.sealbox-conflict`.
fn save(ctx: &Ctx, e: &Edit<'_>, tree: Tree, ivs: &mut sops::IvCache) -> Result<()> {
    let path = e.path;
    let _lock = crate::lock::lock(path)?;
    let current = open::read(path)?;
    if current.as_slice() == e.file_bytes {
        let out = reseal(path, e.format, tree, e.key, e.sealed, Some(ivs))?;
        return output::write_atomic(path, &out, NewMode::Public);
    }
    let (sealed_now, opened_now, key_now) = open::open_bytes(ctx, path, e.format, &current, false)?;
    let base = e
        .format
        .parse_plain_as_sops(e.original)
        .map_err(|err| Error::input(path, err.to_string(), None))?;
    let mut conflicts = Vec::new();
    let docs = crate::commands::git::merge_docs(
        Some(&base.docs),
        &tree.docs,
        &opened_now.tree.docs,
        &mut conflicts,
    );
    if conflicts.is_empty() {
        let mut ivs_now = opened_now.ivs;
        if key_now.ct_eq(e.key) {
            ivs_now.absorb(std::mem::take(ivs));
        }
        let out = reseal(
            path,
            e.format,
            Tree { docs },
            &key_now,
            &sealed_now,
            Some(&mut ivs_now),
        )?;
        output::write_atomic(path, &out, NewMode::Public)?;
        ctx.note(&format!(
            "{}: changed by another writer while you edited; merged key by key",
            path.display()
        ));
        return Ok(());
    }
    let out = reseal(path, e.format, tree, e.key, e.sealed, Some(ivs))?;
    let aside = set_aside(path, &out)?;
    Err(Error::EditSetAside {
        path: path.to_owned(),
        keys: conflicts,
        aside,
    })
}

/// Writes an edit that could not go into `path` beside it, as `FILE.sealbox-conflict`
/// (or `.1`, `.2`, … when that exists): created exclusively, so neither an earlier
/// edit set aside nor a link planted under that name is ever written through.
fn set_aside(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt as _;
    for n in 0..100 {
        let mut name = path.as_os_str().to_owned();
        name.push(".sealbox-conflict");
        if n > 0 {
            name.push(format!(".{n}"));
        }
        let aside = PathBuf::from(name);
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o644)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&aside);
        match file {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| Error::io(&aside, "write", e))?;
                return Ok(aside);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&aside, "create", e)),
        }
    }
    Err(Error::input(
        path,
        "has 100 edits set aside already",
        Some("remove the old FILE.sealbox-conflict* files"),
    ))
}

/// Encrypts `tree` with `key` and the metadata of `sealed`, as bytes of `format`.
fn reseal(
    path: &Path,
    format: crate::store::Format,
    tree: Tree,
    key: &crate::crypto::dek::DataKey,
    sealed: &sops::Sealed,
    ivs: Option<&mut sops::IvCache>,
) -> Result<Vec<u8>> {
    let mut meta = sealed.meta.clone();
    meta.version = sops::SOPS_FORMAT_VERSION.to_owned();
    let resealed = sops::seal(tree, key, meta, ivs).map_err(|e| open::sops_err(path, e))?;
    resealed
        .to_bytes(format)
        .map_err(|e| Error::input(path, e.to_string(), None))
}

/// On a terminal, offers to reopen the editor after an invalid edit.
fn retry(path: &Path, why: &str, stop: &std::sync::atomic::AtomicBool) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprintln!("sealbox: {}: {why}", path.display());
    eprint!("Press Enter to edit again, or type q and Enter to abandon the edit: ");
    let mut line = String::new();
    let read = std::io::stdin().read_line(&mut line);
    if read.is_err()
        || stop.load(std::sync::atomic::Ordering::SeqCst)
        || line.trim().eq_ignore_ascii_case("q")
    {
        return Ok(false);
    }
    Ok(true)
}

trait Mode0600 {
    fn mode_0600(&mut self) -> &mut Self;
}

impl Mode0600 for fs::OpenOptions {
    fn mode_0600(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
    }
}

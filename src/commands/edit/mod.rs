//! `sealbox edit FILE`: decrypt into a private temp file (tmpfs when available, 0600 in
//! a 0700 directory), run the editor, re-encrypt with the same data key so unchanged
//! values keep their ciphertext, then overwrite and remove the temp file. An unchanged
//! buffer leaves the file byte-identical; a failing editor or invalid edit changes nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::cli::EditArgs;
use crate::commands::{ctx::Ctx, open};
use crate::error::{Error, Result};
use crate::output::{self, NewMode};
use crate::sops;
use crate::store::Tree;

mod private;

pub(crate) use private::edit_privately;
pub(crate) use private::private_dir;
pub use private::{clean_stale_dirs, stale_edit_dirs};

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
    let (sealed, opened, key) = open::open_bytes(ctx, path, format, &file_bytes, args.ignore_mac)?;
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
                // Part of the error: shown even with -q.
                eprintln!(
                    "sealbox: {}: the edit could not be saved; it is kept encrypted in {}",
                    crate::output::escape_name(&path.display().to_string()),
                    crate::output::escape_name(&aside.display().to_string())
                );
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
    // Everything that can fail before the plaintext exists is done first (a missing
    // directory, a key service that is down), so nothing typed is lost to it.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Error::input(
                path,
                "cannot be created: its directory does not exist",
                Some("create the directory first (mkdir -p), then edit again"),
            ));
        }
    }
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
    // Created, never replaced: another writer may have made it meanwhile. Whatever
    // stops the write, the edit goes aside, encrypted for the same recipients.
    let written =
        crate::lock::lock(path).and_then(|_lock| output::create_only(path, &out, NewMode::Public));
    if let Err(err) = written {
        let aside = set_aside(path, &out)?;
        eprintln!(
            "sealbox: {}: the new file could not be written; the edit is kept encrypted in {}",
            crate::output::escape_name(&path.display().to_string()),
            crate::output::escape_name(&aside.display().to_string())
        );
        return Err(err);
    }
    ctx.note(&format!("{}: created", path.display()));
    ctx.audit(crate::audit::Event {
        command: "edit",
        files: vec![path.to_owned()],
        ..Default::default()
    })
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
        let out = sops::layout::keep(e.format, &current, out);
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
        let out = sops::layout::keep(e.format, &current, out);
        output::write_atomic(path, &out, NewMode::Public)?;
        ctx.note(&format!(
            "{}: changed by another writer while you edited; merged key by key",
            path.display()
        ));
        return Ok(());
    }
    // Set aside under the file's current key and recipients: when the other writer
    // rotated it (a recipient removed), the old key must not protect new values.
    let out = if key_now.ct_eq(e.key) {
        reseal(path, e.format, tree, e.key, e.sealed, Some(ivs))?
    } else {
        reseal(path, e.format, tree, &key_now, &sealed_now, None)?
    };
    let aside = set_aside(path, &out)?;
    Err(Error::EditSetAside {
        path: path.to_owned(),
        keys: conflicts,
        aside,
    })
}

/// Writes an edit that could not go into `path` beside it, as `FILE.sealbox-conflict`
/// (or `.1`, `.2`, … when that exists): created exclusively, so neither an earlier
/// edit set aside nor a link planted under that name is ever written through. When
/// nothing can be created there (the directory went away or is read-only), the edit
/// goes to sealbox's state directory instead (`$XDG_STATE_HOME/sealbox/set-aside/`,
/// 0700); it is encrypted either way.
fn set_aside(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    match set_aside_in(path, bytes) {
        Ok(p) => Ok(p),
        Err(first) => {
            use std::os::unix::fs::DirBuilderExt as _;
            let name = path.file_name().unwrap_or(path.as_os_str());
            crate::audit::state_dir()
                .map(|s| s.join("sealbox").join("set-aside"))
                .filter(|dir| {
                    fs::DirBuilder::new()
                        .recursive(true)
                        .mode(0o700)
                        .create(dir)
                        .is_ok()
                })
                .and_then(|dir| set_aside_in(&dir.join(name), bytes).ok())
                .ok_or(first)
        }
    }
}

fn set_aside_in(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
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
    // The file's `version` stays: same data key, same stanzas, only values changed.
    let meta = sealed.meta.clone();
    let resealed = sops::seal(tree, key, meta, ivs).map_err(|e| open::sops_err(path, e))?;
    resealed
        .to_bytes(format)
        .map_err(|e| Error::input(path, e.to_string(), None))
}

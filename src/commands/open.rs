//! Opening encrypted files: reading them, parsing the envelope, recovering the data key
//! through the recipients, decrypting and checking the MAC. Two ways, said by name:
//! [`open_file`]/[`open_bytes`] keep what a re-encryption needs (the IVs, the sealed
//! metadata), [`read_plaintext`]/[`plaintext_of`] only read. Also the refusal of files
//! whose unauthenticated parts could change what `exec`, `export` and `get` see.

use std::path::Path;

use crate::cli::FormatArg;
use crate::commands::ctx::Ctx;
use crate::crypto::dek::DataKey;
use crate::error::{Error, Result};
use crate::recipients;
use crate::sops::{Opened, Sealed, SopsError};
use crate::store::Format;

/// Reads a whole file.
///
/// # Errors
/// [`Error::Io`].
pub fn read(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    // Without fs::read's size query: most secrets files are small.
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
    let mut buf = Vec::with_capacity(8192);
    // Large files: size the buffer once instead of doubling (and copying) it.
    if let Ok(meta) = f.metadata() {
        if meta.len() > 8192 {
            // A sparse or lying size must not abort: a failed reservation just means
            // the buffer grows as the data comes.
            let _ =
                buf.try_reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
        }
    }
    f.read_to_end(&mut buf)
        .map_err(|e| Error::io(path, "read", e))?;
    Ok(buf)
}

/// The format of `path`, unless overridden.
#[must_use]
pub fn format_of(path: &Path, arg: Option<FormatArg>) -> Format {
    arg.map_or_else(|| Format::from_path(path), FormatArg::format)
}

/// Maps an envelope error to a command error for `path`.
#[must_use]
pub fn sops_err(path: &Path, e: SopsError) -> Error {
    match e {
        SopsError::NotEncrypted => Error::NotEncrypted {
            path: path.to_owned(),
        },
        SopsError::AlreadyEncrypted => Error::input(
            path,
            "is already encrypted",
            Some("use `sealbox rotate` for a new data key, or `sealbox edit` to change it"),
        ),
        SopsError::BadMetadata(m) => Error::Integrity {
            path: path.to_owned(),
            message: format!("bad sops metadata: {m}"),
        },
        SopsError::Integrity(m) | SopsError::Mac(m) => Error::Integrity {
            path: path.to_owned(),
            message: m,
        },
        SopsError::Unsupported(m) => Error::input(path, m, None),
        e @ SopsError::CommentLooksPlain => Error::input(path, e.to_string(), None),
        SopsError::Rng => Error::Backend {
            path: path.to_owned(),
            message: "the OS random number generator failed".to_owned(),
        },
    }
}

/// Parses an encrypted file.
///
/// # Errors
/// Unreadable, malformed, or not encrypted.
pub fn load_sealed(path: &Path, format: Format, bytes: &[u8]) -> Result<Sealed> {
    let tree = format.parse_encrypted(bytes).map_err(|e| {
        Error::input(
            path,
            e.to_string(),
            Some("is this a sops file of that format? pass --input-type to override the extension"),
        )
    })?;
    Sealed::from_tree(format, tree).map_err(|e| sops_err(path, e))
}

/// Recovers the data key of a sealed file.
///
/// # Errors
/// [`Error::NoIdentity`] when nothing unwraps it.
pub fn data_key(ctx: &Ctx, path: &Path, sealed: &Sealed) -> Result<DataKey> {
    let ids = ctx.identities();
    let (key, used) = recipients::unwrap_data_key_used(&sealed.meta, ids)
        .map_err(|f| no_key_error(ctx, path, sealed, f))?;
    ctx.record_used(used);
    Ok(key)
}

/// The error for a file whose data key no master key recovered.
#[must_use]
pub fn no_key_error(
    ctx: &Ctx,
    path: &Path,
    sealed: &Sealed,
    f: recipients::UnwrapFailure,
) -> Error {
    // `pending`: a bulk run's first pass sets the file aside (see
    // `remote::deferring`); this error is never shown.
    if f.unavailable || f.pending {
        return Error::Backend {
            path: path.to_owned(),
            message: format!("no master key could be used: {}", f.problems.join("; ")),
        };
    }
    let ids = ctx.identities();
    let mut problems = ids.problems.clone();
    for p in f.problems {
        // A key command that failed once fails the same for every stanza.
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    Error::NoIdentity {
        path: path.to_owned(),
        recipients: sealed.meta.describe_keys(),
        looked: ids.looked.clone(),
        problems,
        environment: crate::config::Project::find()
            .ok()
            .and_then(|p| p.env_of(path).map(str::to_owned)),
    }
}

/// Reads, unwraps and decrypts a file, keeping what a re-encryption needs.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn open_file(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    ignore_mac: bool,
) -> Result<(Sealed, Opened, DataKey)> {
    let bytes = read(path)?;
    open_bytes(ctx, path, format, &bytes, ignore_mac)
}

/// Like [`open_file`] for a file already read into `bytes`.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn open_bytes(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    bytes: &[u8],
    ignore_mac: bool,
) -> Result<(Sealed, Opened, DataKey)> {
    let sealed = load_sealed(path, format, bytes)?;
    let key = data_key(ctx, path, &sealed)?;
    let opened = sealed
        .open(&key, ignore_mac)
        .map_err(|e| sops_err(path, e))?;
    report_comments(ctx, path, &opened);
    Ok((sealed, opened, key))
}

/// Reads, unwraps and decrypts a file for reading only (no IVs kept, no copies).
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn read_plaintext(ctx: &Ctx, path: &Path, format: Format, ignore_mac: bool) -> Result<Opened> {
    plaintext_of(ctx, path, format, read(path)?, ignore_mac)
}

/// Like [`read_plaintext`] for a file already read into `bytes`.
///
/// # Errors
/// Any failure on the way, mapped to its exit code.
pub fn plaintext_of(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    bytes: Vec<u8>,
    ignore_mac: bool,
) -> Result<Opened> {
    let sealed = load_sealed(path, format, &bytes)?;
    drop(bytes);
    let key = data_key(ctx, path, &sealed)?;
    let opened = sealed
        .into_plaintext(&key, ignore_mac)
        .map_err(|e| sops_err(path, e))?;
    report_comments(ctx, path, &opened);
    Ok(opened)
}

/// Reads a file for `exec`, `export` and `get`: its plaintext, and the top-level keys
/// whose non-empty values no MAC covers (stored in the clear in a file whose MAC covers
/// only encrypted values, sops' `mac_only_encrypted`): anyone who can write the file
/// could have added or changed those.
///
/// # Errors
/// As [`read_plaintext`].
pub fn read_for_values(ctx: &Ctx, path: &Path, format: Format) -> Result<(Opened, Vec<String>)> {
    use crate::store::Value;
    let bytes = read(path)?;
    let sealed = load_sealed(path, format, &bytes)?;
    drop(bytes);
    let mut unauthenticated = Vec::new();
    if sealed.meta.mac_only_encrypted {
        for doc in &sealed.tree.docs {
            if let Value::Map(m) = doc {
                for (k, v) in m {
                    let clear = match v {
                        Value::Str(s) => !s.is_empty() && !crate::sops::value::is_enc(s),
                        Value::Comment(_) | Value::Null => false,
                        _ => true,
                    };
                    if clear {
                        unauthenticated.push(k.clone());
                    }
                }
            }
        }
    }
    let key = data_key(ctx, path, &sealed)?;
    let opened = sealed
        .into_plaintext(&key, false)
        .map_err(|e| sops_err(path, e))?;
    report_comments(ctx, path, &opened);
    Ok((opened, unauthenticated))
}

/// Refuses a document whose meaning for `exec`, `export` and `get` could have been
/// changed without the data key: more than one YAML document, or a key given twice.
/// Key names and empty values are outside the sops MAC, so anyone who can write the
/// file can append `---` and a second document, or a `KEY=` line that overrides the
/// encrypted one; such files are refused (exit 4), naming the key, never a value.
///
/// # Errors
/// [`Error::Integrity`] naming the document or key.
pub fn refuse_ambiguous(path: &Path, tree: &crate::store::Tree) -> Result<()> {
    use crate::store::Value;
    if tree.docs.len() > 1 {
        return Err(Error::Integrity {
            path: path.to_owned(),
            message: format!(
                "has {} documents; only the first one is covered as a whole, so a second one could override its values (remove every document after the first)",
                tree.docs.len()
            ),
        });
    }
    if let Some(Value::Map(items)) = tree.docs.first() {
        let mut seen = std::collections::HashSet::new();
        for (k, v) in items {
            if matches!(v, Value::Comment(_)) {
                continue;
            }
            if !seen.insert(k.as_str()) {
                return Err(Error::Integrity {
                    path: path.to_owned(),
                    message: format!(
                        "sets {k} more than once; a later line could override the encrypted value (remove the duplicate)"
                    ),
                });
            }
        }
    }
    Ok(())
}

fn report_comments(ctx: &Ctx, path: &Path, opened: &Opened) {
    if opened.unreadable_comments > 0 {
        ctx.note(&format!(
            "{}: {} comment(s) could not be decrypted and were kept as they are",
            path.display(),
            opened.unreadable_comments
        ));
    }
}

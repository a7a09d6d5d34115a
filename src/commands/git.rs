//! `sealbox git …`: `install-hook` (a plain `.git/hooks/pre-commit` running `sealbox
//! scan --staged`, for teams without the pre-commit framework), and `setup` with the
//! drivers it installs: `textconv` (git diff shows decrypted lines) and `merge` (two
//! branches that change different keys of one encrypted file merge cleanly).

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;

use crate::cli::InstallHookArgs;
use crate::commands::{ctx::Ctx, open};
use crate::error::{Error, Outcome, Result};
use crate::store::Value;

const HOOK: &str = "#!/bin/sh\n# Installed by `sealbox git install-hook`: block commits that add plaintext secrets.\nexec sealbox scan --staged\n";

/// Runs `sealbox git install-hook`.
///
/// # Errors
/// Outside a git repository, or an existing hook without `--force`.
pub fn install_hook(ctx: &Ctx, args: &InstallHookArgs) -> Result<()> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(std::path::Path::new("."), "read the working directory", e))?;
    let dir = crate::git::hooks_dir(&cwd)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create", e))?;
    let path = dir.join("pre-commit");
    if path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (pass --force to replace it, or call `sealbox scan --staged` from it)",
            path.display()
        )));
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(&path)
        .map_err(|e| Error::io(&path, "write", e))?;
    f.write_all(HOOK.as_bytes())
        .map_err(|e| Error::io(&path, "write", e))?;
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .map_err(|e| Error::io(&path, "make executable", e))?;
    ctx.note(&format!("installed {}", path.display()));
    Ok(())
}

/// Runs `sealbox git setup`: `.gitattributes` beside `.sealbox.toml` names every file
/// pattern of every environment with `diff=sealbox merge=sealbox`, and the repository's
/// own config gets the two drivers (never the textconv cache: it would keep plaintext
/// in git notes).
///
/// # Errors
/// Outside a git repository, without a config, or when a file cannot be written.
pub fn setup(ctx: &Ctx) -> Result<()> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(std::path::Path::new("."), "read the working directory", e))?;
    crate::git::open(&cwd)?;
    let project = crate::config::Project::find()?;
    let attrs = project.base.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attrs) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&attrs, "read", e)),
    };
    let mut text = existing.clone();
    let mut added = 0;
    for env in project.environments.values() {
        for pat in &env.files {
            // A leading slash anchors the pattern at this directory, as in the config.
            let line = format!(
                "/{} diff=sealbox merge=sealbox",
                pat.trim_start_matches('/')
            );
            if !text.lines().any(|l| l.trim() == line) {
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&line);
                text.push('\n');
                added += 1;
            }
        }
    }
    if text != existing {
        crate::output::write_atomic(&attrs, text.as_bytes(), crate::output::NewMode::Public)?;
    }
    crate::git::set_local_config(
        &cwd,
        &[
            ("diff.sealbox.textconv", "sealbox git textconv"),
            ("diff.sealbox.cachetextconv", "false"),
            (
                "merge.sealbox.name",
                "sealbox: merge encrypted files key by key",
            ),
            ("merge.sealbox.driver", "sealbox git merge %O %A %B %P"),
        ],
    )?;
    ctx.note(&format!(
        "{}: {added} pattern(s) added; diff and merge drivers set in .git/config",
        attrs.display()
    ));
    Ok(())
}

/// Runs `sealbox git textconv FILE`: decrypted text for an encrypted file (git's temp
/// files keep the file name, so the format comes from the extension), anything else
/// as it is. A file that cannot be decrypted here is shown as stored, with a note.
///
/// # Errors
/// Only when the file cannot be read or stdout written.
pub fn textconv(ctx: &Ctx, file: &std::path::Path) -> Result<()> {
    let bytes = open::read(file)?;
    let format = crate::store::Format::from_path(file);
    let plain = open::load_sealed(file, format, &bytes).and_then(|sealed| {
        let key = open::data_key(ctx, file, &sealed)?;
        let opened = sealed
            .into_plaintext(&key, false)
            .map_err(|e| open::sops_err(file, e))?;
        format
            .emit_plain(&opened.tree)
            .map(zeroize::Zeroizing::new)
            .map_err(|e| Error::input(file, e.to_string(), None))
    });
    match plain {
        Ok(p) => {
            // No log line, no plaintext: git shows the encrypted text instead.
            match ctx.audit(crate::audit::Event {
                command: "diff",
                files: vec![file.to_owned()],
                ..Default::default()
            }) {
                Ok(()) => crate::output::write_stdout(&p),
                Err(e) => {
                    ctx.note(&format!("showing the encrypted text: {e}"));
                    crate::output::write_stdout(&bytes)
                }
            }
        }
        Err(Error::NotEncrypted { .. }) => crate::output::write_stdout(&bytes),
        Err(e) => {
            ctx.note(&format!("showing the encrypted text: {e}"));
            crate::output::write_stdout(&bytes)
        }
    }
}

/// A side of a merge, opened.
struct Side {
    sealed: crate::sops::Sealed,
    tree: crate::store::Tree,
    key: crate::crypto::dek::DataKey,
    ivs: crate::sops::IvCache,
}

fn open_side(ctx: &Ctx, file: &std::path::Path, format: crate::store::Format) -> Result<Side> {
    let (sealed, opened, key) = open::open_file(ctx, file, format, false)?;
    Ok(Side {
        sealed,
        tree: opened.tree,
        key,
        ivs: opened.ivs,
    })
}

/// Three-way merge of whole documents, key by key; conflicting key paths (names only,
/// never values) are collected. Used by the merge driver and by `edit` when the file
/// changed while the editor was open.
pub(crate) fn merge_docs(
    base: Option<&[Value]>,
    ours: &[Value],
    theirs: &[Value],
    conflicts: &mut Vec<String>,
) -> Vec<Value> {
    let count = ours.len().max(theirs.len());
    let mut docs = Vec::with_capacity(count);
    for i in 0..count {
        let bd = base.and_then(|b| b.get(i));
        let label = if count > 1 {
            format!("document {i}")
        } else {
            String::new()
        };
        if let Some(v) = merge_value(&label, bd, ours.get(i), theirs.get(i), conflicts) {
            docs.push(v);
        }
    }
    docs
}

/// Three-way merge of one value; conflicting key paths are collected. The result is
/// built from explicit copies of the chosen values (it goes into a `Tree`, wiped when
/// dropped); nothing else is copied.
fn merge_value(
    path: &str,
    base: Option<&Value>,
    ours: Option<&Value>,
    theirs: Option<&Value>,
    conflicts: &mut Vec<String>,
) -> Option<Value> {
    if ours == theirs || base == theirs {
        return ours.map(Value::duplicate);
    }
    if base == ours {
        return theirs.map(Value::duplicate);
    }
    match (ours, theirs) {
        (Some(Value::Map(o)), Some(Value::Map(t))) => {
            let b = match base {
                Some(Value::Map(b)) => Some(b),
                _ => None,
            };
            fn find<'a>(m: &'a [(String, Value)], k: &str) -> Option<&'a Value> {
                m.iter()
                    .find(|(n, v)| n == k && !matches!(v, Value::Comment(_)))
                    .map(|(_, v)| v)
            }
            let mut out = Vec::new();
            for (k, v) in o {
                if matches!(v, Value::Comment(_)) {
                    out.push((k.clone(), v.duplicate()));
                    continue;
                }
                let bv = b.and_then(|b| find(b, k));
                let tv = find(t, k);
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(m) = merge_value(&sub, bv, Some(v), tv, conflicts) {
                    out.push((k.clone(), m));
                }
            }
            for (k, v) in t {
                if matches!(v, Value::Comment(_)) || find(o, k).is_some() {
                    continue;
                }
                let bv = b.and_then(|b| find(b, k));
                let sub = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(m) = merge_value(&sub, bv, None, Some(v), conflicts) {
                    out.push((k.clone(), m));
                }
            }
            Some(Value::Map(out))
        }
        _ => {
            conflicts.push(if path.is_empty() {
                "(the whole document)".to_owned()
            } else {
                path.to_owned()
            });
            // Keep ours (or theirs where ours deleted it) so the file stays whole.
            ours.or(theirs).map(Value::duplicate)
        }
    }
}

/// Runs `sealbox git merge BASE OURS THEIRS PATH` (git's `%O %A %B %P`): the three
/// versions are decrypted, merged key by key, and the result is encrypted into OURS
/// with the data key and recipients of the side that kept them, unchanged values
/// keeping their ciphertext and a fresh MAC. Keys changed on both sides are a
/// conflict: OURS keeps our value (so the file stays encrypted and valid), the keys are
/// named, and the exit code is 1 so git marks the file conflicted.
///
/// # Errors
/// A side that cannot be opened (exit 2–5), a conflict is [`Outcome::Findings`].
pub fn merge(
    ctx: &Ctx,
    base: &std::path::Path,
    ours: &std::path::Path,
    theirs: &std::path::Path,
    path: &std::path::Path,
) -> Result<Outcome> {
    // Three versions are decrypted: logged whatever the outcome, and not at all
    // unless the log can be written.
    ctx.audit_preflight()?;
    let result = merge_sides(ctx, base, ours, theirs, path);
    let failed = !matches!(result, Ok(Outcome::Clean));
    let event = crate::audit::Event {
        command: "merge",
        files: vec![path.to_owned()],
        failed,
        ..Default::default()
    };
    ctx.audit_result(result, event)
}

fn merge_sides(
    ctx: &Ctx,
    base: &std::path::Path,
    ours: &std::path::Path,
    theirs: &std::path::Path,
    path: &std::path::Path,
) -> Result<Outcome> {
    let format = crate::store::Format::from_path(path);
    // Serialize with writers of the file itself (`%P`, relative to the work tree, where
    // git runs the driver) and of git's copy.
    let _lock = crate::lock::lock(path)?;
    let _lock_ours = crate::lock::lock(ours)?;
    let o = open_side(ctx, ours, format)?;
    let t = open_side(ctx, theirs, format)?;
    // An empty ancestor: the file was added on both branches.
    let b = match std::fs::metadata(base) {
        Ok(m) if m.len() > 0 => Some(open_side(ctx, base, format)?),
        _ => None,
    };
    let mut conflicts = Vec::new();
    let docs = merge_docs(
        b.as_ref().map(|b| b.tree.docs.as_slice()),
        &o.tree.docs,
        &t.tree.docs,
        &mut conflicts,
    );
    // Keep the data key and recipients of ours, unless only theirs changed them
    // (a rotate or updatekeys on their branch).
    let keys_of = |s: &Side| s.sealed.meta.describe_keys();
    let theirs_rekeyed = b
        .as_ref()
        .is_some_and(|b| keys_of(&o) == keys_of(b) && keys_of(&t) != keys_of(b))
        || b.as_ref()
            .is_some_and(|b| o.key.ct_eq(&b.key) && !t.key.ct_eq(&b.key));
    let (mut main, other) = if theirs_rekeyed { (t, o) } else { (o, t) };
    if main.key.ct_eq(&other.key) {
        main.ivs.absorb(other.ivs);
    }
    let mut meta = main.sealed.meta.clone();
    meta.version = crate::sops::SOPS_FORMAT_VERSION.to_owned();
    let merged = crate::sops::seal(
        crate::store::Tree { docs },
        &main.key,
        meta,
        Some(&mut main.ivs),
    )
    .map_err(|e| open::sops_err(path, e))?;
    let out = merged
        .to_bytes(format)
        .map_err(|e| Error::input(path, e.to_string(), None))?;
    crate::output::write_atomic(ours, &out, crate::output::NewMode::Public)?;
    if conflicts.is_empty() {
        ctx.note(&format!("{}: merged key by key", path.display()));
        return Ok(Outcome::Clean);
    }
    eprintln!(
        "sealbox: {}: both branches changed {} ({}); kept our value{} and the file stays encrypted; see theirs with `git show MERGE_HEAD:{} | sealbox decrypt --input-type {} /dev/stdin`, choose with `sealbox edit {}`, then `git add` it",
        path.display(),
        if conflicts.len() == 1 { "this key" } else { "these keys" },
        conflicts.join(", "),
        if conflicts.len() == 1 { "" } else { "s" },
        path.display(),
        format.name(),
        path.display()
    );
    Ok(Outcome::Findings(conflicts.len()))
}

//! `sealbox updatekeys PATH…`: wrap each file's data key for the recipients the config
//! (or `--age`) names now. Adding recipients keeps values, MAC and lastmodified as they
//! are. Removing one makes a new data key and re-encrypts every value (unless
//! `--no-rotate`): the removed person holds the old key from any old checkout, so only
//! a new one locks them out of what is written from now on.

use std::path::{Path, PathBuf};

use crate::cli::UpdatekeysArgs;
use crate::commands::{bulk, bulk::Done, common, ctx::Ctx, jobs, open};
use crate::crypto::dek::DataKey;
use crate::error::{Error, Outcome, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient};
use crate::sops::{self, Sealed};
use crate::store::{Format, Value};

/// What rewrapping one file did.
pub(crate) struct Rewrapped {
    /// Recipients added (described).
    pub added: Vec<String>,
    /// Recipients removed (described).
    pub removed: Vec<String>,
    /// Whether a new data key was made.
    pub rotated: bool,
    /// The file's value names (for what removed recipients could have copied).
    pub names: Vec<String>,
}

/// Recipients by key group.
pub(crate) type Groups = Vec<Vec<Box<dyn Recipient>>>;

/// The recipients the config names for a file now, with the Shamir threshold.
///
/// # Errors
/// No config covers the file, or an invalid recipient in it.
pub(crate) fn configured(path: &Path) -> Result<(Groups, usize)> {
    let c = crate::config::creation_for(path)?.ok_or_else(|| {
        Error::Usage(format!(
            "{}: no .sealbox.toml or .sops.yaml found; pass --age RECIPIENT",
            path.display()
        ))
    })?;
    let source = c.source.display().to_string();
    let groups = c
        .groups
        .iter()
        .map(|g| common::build_recipients(g, &source))
        .collect::<Result<Vec<_>>>()?;
    Ok((groups, c.shamir_threshold))
}

/// The names of a document's values, nested keys joined with `.` (list items are part
/// of their key's value).
pub(crate) fn value_names(docs: &[Value]) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        if let Value::Map(m) = v {
            for (k, v) in m {
                if matches!(v, Value::Comment(_)) {
                    continue;
                }
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match v {
                    Value::Map(_) => walk(&name, v, out),
                    _ => out.push(name),
                }
            }
        }
    }
    let mut out = Vec::new();
    for d in docs {
        walk("", d, &mut out);
    }
    out
}

/// Wraps `path`'s data key for `groups` (a new key when a recipient is removed and
/// `rotate`), writing the file only when something changed.
///
/// # Errors
/// Any failure to open, wrap or write the file.
pub(crate) fn rewrap(
    ctx: &Ctx,
    path: &Path,
    format: Format,
    groups: &[Vec<&dyn Recipient>],
    threshold: usize,
    rotate: bool,
) -> Result<Option<Rewrapped>> {
    let _lock = crate::lock::lock(path)?;
    let bytes = open::read(path)?;
    let sealed = open::load_sealed(path, format, &bytes)?;
    let key = open::data_key(ctx, path, &sealed)?;
    // Prove the key is right (and the file intact) before re-wrapping it.
    let opened = sealed
        .open(&key, false)
        .map_err(|e| open::sops_err(path, e))?;
    let old: Vec<String> = sealed.meta.describe_keys();
    let new: Vec<String> = groups.iter().flatten().map(|r| r.describe()).collect();
    if old == new && sealed.meta.groups.len() == groups.len() {
        return Ok(None);
    }
    let added: Vec<String> = new.iter().filter(|r| !old.contains(r)).cloned().collect();
    // Per key group: a key dropped from one group but kept in another still held that
    // group's share (with Shamir, enough shares are the whole key).
    let mut removed: Vec<String> = Vec::new();
    for (i, g) in sealed.meta.groups.iter().enumerate() {
        let now: Vec<String> = groups
            .get(i)
            .map(|g| g.iter().map(|r| r.describe()).collect())
            .unwrap_or_default();
        for k in g {
            let d = k.describe();
            if !now.contains(&d) && !removed.contains(&d) {
                removed.push(d);
            }
        }
    }
    let rotated = rotate && !removed.is_empty();
    let names = value_names(&opened.tree.docs);
    let mut meta = sealed.meta.clone();
    meta.shamir_threshold = if groups.len() > 1 { threshold } else { 0 };
    let wrap = |k: &DataKey| {
        recipients::wrap_groups(k, groups, threshold).map_err(|e| Error::Backend {
            path: path.to_owned(),
            message: e.to_string(),
        })
    };
    let updated = if rotated {
        let fresh = DataKey::generate().map_err(|_| open::sops_err(path, sops::SopsError::Rng))?;
        meta.groups = wrap(&fresh)?;
        meta.version = sops::SOPS_FORMAT_VERSION.to_owned();
        // No IV cache: every value is encrypted anew under the new key.
        sops::seal(opened.tree, &fresh, meta, None).map_err(|e| open::sops_err(path, e))?
    } else {
        meta.groups = wrap(&key)?;
        Sealed {
            tree: crate::store::Tree {
                docs: sealed.tree.docs.iter().map(Value::duplicate).collect(),
            },
            meta,
        }
    };
    let out = updated
        .to_bytes(format)
        .map_err(|e| Error::input(path, e.to_string(), None))?;
    output::write_atomic(path, &out, NewMode::Public)?;
    Ok(Some(Rewrapped {
        added,
        removed,
        rotated,
        names,
    }))
}

/// Reports one file's changes; a removal without a new key is a warning.
pub(crate) fn report(ctx: &Ctx, path: &Path, r: &Rewrapped) {
    let shown = path.display();
    for a in &r.added {
        ctx.note(&format!("{shown}: added {a}"));
    }
    for a in &r.removed {
        ctx.note(&format!("{shown}: removed {a}"));
    }
    if r.removed.is_empty() {
        return;
    }
    if r.rotated {
        ctx.note(&format!(
            "{shown}: new data key; values written from now on are out of the removed recipients' reach"
        ));
    } else {
        eprintln!(
            "sealbox: warning: {shown}: the data key is unchanged (--no-rotate), so the removed recipients can still read every value, including new ones; run `sealbox rotate {shown}`"
        );
    }
    if !r.names.is_empty() {
        eprintln!(
            "sealbox: {shown}: the removed recipients could have copied {}; change each at its source (e.g. `sealbox rotate -e ENV KEY --generate --run '…'`)",
            r.names.join(", ")
        );
    }
}

/// Runs `sealbox updatekeys`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, args: &UpdatekeysArgs) -> Result<Outcome> {
    let flag_recipients =
        common::build_recipients(&common::flag_specs(&args.recipients)?, "recipient flags")?;
    let jobs = if args.all {
        let (_, files) = crate::config::environment_files(&args.env)?;
        files
            .into_iter()
            .filter(|f| f.exists())
            .map(|input| jobs::Job {
                input,
                mirrored: None,
                explicit: false,
            })
            .collect()
    } else {
        jobs::expand(ctx, &args.paths, None)?
    };
    let audited: Vec<PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    let result = bulk::run_bulk(ctx, "updated", jobs, |job| {
        let path = &job.input;
        let format = open::format_of(path, args.input_type);
        let owned;
        let (groups, threshold): (Vec<Vec<&dyn Recipient>>, usize) = if flag_recipients.is_empty() {
            let threshold;
            (owned, threshold) = configured(path)?;
            (
                owned
                    .iter()
                    .map(|g| g.iter().map(|r| &**r).collect())
                    .collect(),
                threshold,
            )
        } else {
            (vec![flag_recipients.iter().map(|r| &**r).collect()], 0)
        };
        match rewrap(ctx, path, format, &groups, threshold, !args.no_rotate)? {
            None => {
                ctx.note(&format!("{}: already up to date", path.display()));
                Ok(Done::Skipped)
            }
            Some(r) => {
                report(ctx, path, &r);
                Ok(Done::Written)
            }
        }
    });
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "updatekeys",
            files: audited,
            environments: args.env.clone(),
            ..Default::default()
        },
    )
}

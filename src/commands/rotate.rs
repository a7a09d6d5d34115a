//! `sealbox rotate PATH…`: a new data key per file, every value re-encrypted with new
//! IVs, the key wrapped again for the same recipients. Files are rewritten atomically.

use crate::cli::RotateArgs;
use crate::commands::{bulk, bulk::Done, ctx::Ctx, jobs, open};
use crate::crypto::dek::DataKey;
use crate::error::{Error, Outcome, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient};
use crate::sops::{self, MasterKey};

/// Rebuilds wrap-able recipients from a file's stanzas.
pub(crate) fn recipients_of(
    path: &std::path::Path,
    groups: &[Vec<MasterKey>],
) -> Result<Vec<Vec<Box<dyn Recipient>>>> {
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|k| {
                    recipients::Spec::from_master_key(k)
                        .map_err(|m| {
                            Error::input(
                                path,
                                format!("cannot re-wrap for {}: {m}", k.describe()),
                                Some("use sops for files with PGP or HuaweiCloud keys"),
                            )
                        })?
                        .build()
                        .map_err(|e| Error::input(path, e.to_string(), None))
                })
                .collect()
        })
        .collect()
}

/// Runs `sealbox rotate`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, args: &RotateArgs) -> Result<Outcome> {
    if let Some(env) = &args.env {
        return rotate_value(ctx, args, env).map(Outcome::from);
    }
    let jobs = jobs::expand(ctx, &args.paths, None)?;
    let audited: Vec<std::path::PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    let result = bulk::run_bulk(ctx, "rotated", jobs, |job| {
        let path = &job.input;
        let format = open::format_of(path, args.input_type);
        let _lock = crate::lock::lock(path)?;
        let (sealed, opened, _old) = open::open_file(ctx, path, format, false)?;
        let recips = recipients_of(path, &sealed.meta.groups)?;
        let groups: Vec<Vec<&dyn Recipient>> = recips
            .iter()
            .map(|g| g.iter().map(|r| &**r).collect())
            .collect();
        let key = DataKey::generate().map_err(|_| open::sops_err(path, sops::SopsError::Rng))?;
        let mut meta = sealed.meta.clone();
        meta.groups =
            recipients::wrap_groups(&key, &groups, meta.shamir_threshold).map_err(|e| {
                Error::Backend {
                    path: path.clone(),
                    message: e.to_string(),
                }
            })?;
        meta.version = sops::SOPS_FORMAT_VERSION.to_owned();
        let resealed =
            sops::seal(opened.tree, &key, meta, None).map_err(|e| open::sops_err(path, e))?;
        let out = resealed
            .to_bytes(format)
            .map_err(|e| Error::input(path, e.to_string(), None))?;
        output::write_atomic(path, &out, NewMode::Public)?;
        Ok(Done::Written)
    });
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "rotate",
            files: audited,
            environments: Vec::new(),
            ..Default::default()
        },
    )
}

/// `rotate -e ENV KEY --generate [LEN] [--run CMD]`: a new value for one key; `CMD`
/// applies it first (e.g. `ALTER USER`), and the file changes only if it succeeds.
fn rotate_value(ctx: &Ctx, args: &RotateArgs, env: &str) -> Result<()> {
    use crate::store::Value;
    let [key] = args.paths.as_slice() else {
        return Err(Error::Usage(
            "rotate -e ENV takes exactly one KEY".to_owned(),
        ));
    };
    let key = key.to_string_lossy().into_owned();
    let Some(len) = args.generate else {
        return Err(Error::Usage(
            "rotate -e ENV KEY needs --generate [LEN] to make the new value".to_owned(),
        ));
    };
    if !crate::commands::values::valid_name(&key) {
        return Err(Error::Usage(format!(
            "'{key}' is not a valid variable name"
        )));
    }
    let project = crate::config::Project::find()?;
    let value = crate::commands::values::generate(len)?;
    let mut t = crate::commands::values::open_target(ctx, &project, env)?;
    let path = t.path.clone();
    let map = crate::commands::values::top_map(&mut t)?;
    let Some(slot) = map
        .iter_mut()
        .find(|(k, v)| *k == key && !matches!(v, Value::Comment(_)))
    else {
        return Err(Error::input(
            &path,
            format!("{key} is not set in environment {env}; use `sealbox set`"),
            None,
        ));
    };
    if let Some(cmd) = &args.run {
        let mut child = std::process::Command::new("sh");
        child.arg("-c").arg(cmd);
        ctx.scrub_child(&mut child);
        child.env(&key, value.as_str());
        let status = crate::hardening::run_child(&mut child).map_err(|e| Error::Backend {
            path: path.clone(),
            message: format!("cannot run --run command: {e}"),
        })?;
        if !status.success() {
            return Err(Error::Backend {
                path: path.clone(),
                message: format!("--run command failed ({status}); {key} was not changed"),
            });
        }
    }
    slot.1 = Value::Str(value.to_string());
    crate::commands::values::save(t)?;
    ctx.note(&format!("rotated {key} in {}", path.display()));
    ctx.audit(crate::audit::Event {
        command: "rotate",
        files: vec![path],
        environments: vec![env.to_owned()],
        keys: vec![key],
        ..Default::default()
    })
}

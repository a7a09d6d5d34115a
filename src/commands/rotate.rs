//! `sealbox rotate PATH…`: a new data key per file, every value re-encrypted with new
//! IVs, the key wrapped again for the same recipients. Files are rewritten atomically.

use crate::cli::RotateArgs;
use crate::commands::common::{self, Ctx, Done};
use crate::crypto::dek::DataKey;
use crate::error::{Error, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient};
use crate::sops::{self, MasterKey};

/// Rebuilds wrap-able recipients from a file's stanzas (age only for now).
pub(crate) fn recipients_of(
    path: &std::path::Path,
    groups: &[Vec<MasterKey>],
) -> Result<Vec<Vec<Box<dyn Recipient>>>> {
    groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|k| match (k.kind.as_str(), k.field("recipient")) {
                    ("age", Some(r)) => recipients::parse_age(r)
                        .map_err(|e| Error::input(path, e.to_string(), None)),
                    _ => Err(Error::input(
                        path,
                        format!(
                            "cannot re-wrap for {}: sealbox cannot write that key type yet",
                            k.describe()
                        ),
                        Some("use sops for files with PGP or cloud KMS keys"),
                    )),
                })
                .collect()
        })
        .collect()
}

/// Runs `sealbox rotate`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, args: &RotateArgs) -> Result<()> {
    let jobs = common::expand(ctx, &args.paths, None)?;
    let audited: Vec<std::path::PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    let result = common::run_bulk(ctx, "rotated", jobs, |job| {
        let path = &job.input;
        let format = common::format_of(path, args.input_type);
        let (sealed, opened, _old) = common::open_file(ctx, path, format, false)?;
        let recips = recipients_of(path, &sealed.meta.groups)?;
        let groups: Vec<Vec<&dyn Recipient>> = recips
            .iter()
            .map(|g| g.iter().map(|r| &**r).collect())
            .collect();
        let key = DataKey::generate().map_err(|_| common::sops_err(path, sops::SopsError::Rng))?;
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
            sops::seal(opened.tree, &key, meta, None).map_err(|e| common::sops_err(path, e))?;
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

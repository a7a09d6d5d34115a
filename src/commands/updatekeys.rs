//! `sealbox updatekeys PATH…`: wrap each file's existing data key for the recipients
//! the config (or `--age`) names now. Values, MAC and lastmodified stay as they are.

use crate::cli::UpdatekeysArgs;
use crate::commands::{bulk, bulk::Done, common, ctx::Ctx, jobs, open};
use crate::error::{Error, Outcome, Result};
use crate::output::{self, NewMode};
use crate::recipients::{self, Recipient};
use crate::sops::Sealed;

/// Runs `sealbox updatekeys`.
///
/// # Errors
/// See [`Error`].
pub fn run(ctx: &Ctx, args: &UpdatekeysArgs) -> Result<Outcome> {
    let flag_recipients =
        common::build_recipients(&common::flag_specs(&args.recipients)?, "recipient flags")?;
    let jobs = jobs::expand(ctx, &args.paths, None)?;
    let audited: Vec<std::path::PathBuf> = jobs.iter().map(|j| j.input.clone()).collect();
    let result = bulk::run_bulk(ctx, "updated", jobs, |job| {
        let path = &job.input;
        let format = open::format_of(path, args.input_type);
        let _lock = crate::lock::lock(path)?;
        let bytes = open::read(path)?;
        let sealed = open::load_sealed(path, format, &bytes)?;
        let key = open::data_key(ctx, path, &sealed)?;
        // Prove the key is right (and the file intact) before re-wrapping it.
        sealed
            .open(&key, false)
            .map_err(|e| open::sops_err(path, e))?;
        let (config_recips, threshold);
        let groups: Vec<Vec<&dyn Recipient>> = if flag_recipients.is_empty() {
            let c = crate::config::creation_for(path)?.ok_or_else(|| {
                Error::Usage(format!(
                    "{}: no .sealbox.toml or .sops.yaml found; pass --age RECIPIENT",
                    path.display()
                ))
            })?;
            let source = c.source.display().to_string();
            threshold = c.shamir_threshold;
            config_recips = c
                .groups
                .iter()
                .map(|g| common::build_recipients(g, &source))
                .collect::<Result<Vec<_>>>()?;
            config_recips
                .iter()
                .map(|g| g.iter().map(|r| &**r).collect())
                .collect()
        } else {
            threshold = 0;
            vec![flag_recipients.iter().map(|r| &**r).collect()]
        };
        let old: Vec<String> = sealed.meta.describe_keys();
        let new: Vec<String> = groups.iter().flatten().map(|r| r.describe()).collect();
        if old == new && sealed.meta.groups.len() == groups.len() {
            ctx.note(&format!("{}: already up to date", path.display()));
            return Ok(Done::Skipped);
        }
        let mut meta = sealed.meta.clone();
        meta.groups =
            recipients::wrap_groups(&key, &groups, threshold).map_err(|e| Error::Backend {
                path: path.clone(),
                message: e.to_string(),
            })?;
        meta.shamir_threshold = if groups.len() > 1 { threshold } else { 0 };
        let updated = Sealed {
            tree: crate::store::Tree {
                docs: sealed
                    .tree
                    .docs
                    .iter()
                    .map(crate::store::Value::duplicate)
                    .collect(),
            },
            meta,
        };
        let out = updated
            .to_bytes(format)
            .map_err(|e| Error::input(path, e.to_string(), None))?;
        output::write_atomic(path, &out, NewMode::Public)?;
        for r in new.iter().filter(|r| !old.contains(r)) {
            ctx.note(&format!("{}: added {r}", path.display()));
        }
        for r in old.iter().filter(|r| !new.contains(r)) {
            ctx.note(&format!("{}: removed {r}", path.display()));
        }
        Ok(Done::Written)
    });
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "updatekeys",
            files: audited,
            environments: Vec::new(),
            ..Default::default()
        },
    )
}

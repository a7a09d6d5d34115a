//! `sealbox pull -e ENV [--from TARGET] [--dry-run] [--prune]`: writes a secrets
//! manager's values into the environment's encrypted file through `set`'s path (the
//! data key is kept, unchanged values keep their ciphertext, so a commit shows only
//! the changed lines; a new file gets the environment's recipients). Everything is
//! read and checked before the one atomic write: a failed pull leaves the file as it
//! was.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::cli::PullArgs;
use crate::commands::values::{open_target, save, top_map, valid_name};
use crate::commands::{ctx::Ctx, managed};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::managers::{Plan, Status, Values};
use crate::store::{Format, Value};

/// Runs `sealbox pull`.
///
/// # Errors
/// Config errors (2), a key the file cannot hold (2), an undecryptable file (3), a
/// refusal (3), an unreachable manager (5).
pub fn run(ctx: &Ctx, args: &PullArgs) -> Result<()> {
    let project = Project::find()?;
    if let Some(source) = managed::source_of(&project, &args.env)? {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environment '{}' lives in {source} (source =) and has no file to pull into; pull into a file environment instead",
                args.env
            ),
        });
    }
    let target = managed::sync_target(&project, &args.env, args.from.as_deref(), "--from")?;
    let incoming = managed::read_target(ctx, &target)?;
    let mut t = open_target(ctx, &project, &args.env)?;
    let path = t.path.clone();
    let dotenv = t.format() == Format::Dotenv;
    for k in incoming.0.keys() {
        if dotenv && !valid_name(k) {
            return Err(Error::input(
                &path,
                format!("{target} holds '{k}', which is not a variable name a dotenv file can hold; nothing was written"),
                Some("rename it in the manager, or list a .yaml or .json file first in the environment's files"),
            ));
        }
        if !t.encrypts(k) {
            return Err(Error::input(
                &path,
                format!("{k} would be stored in clear: this file only encrypts the keys its selector names; nothing was written"),
                Some("rename the key in the manager, or change the file's selector"),
            ));
        }
        if incoming.get(k).is_some_and(|v| v.contains('\0')) {
            return Err(Error::input(
                &path,
                format!("{target}: {k} contains a NUL byte, which no environment variable can hold; nothing was written"),
                None,
            ));
        }
    }
    let map = top_map(&mut t)?;
    let mut current = BTreeMap::new();
    for (k, v) in map.iter() {
        if let Some(text) = v.scalar_text() {
            current.insert(k.clone(), Zeroizing::new(text));
        }
    }
    let current = Values(current);
    let plan = Plan::new(&incoming, &current, args.prune);
    let heading = if args.dry_run {
        format!(
            "{} from {target} (dry run, nothing written)",
            path.display()
        )
    } else {
        format!("{} from {target}", path.display())
    };
    let summary = plan.summary(&heading);
    if args.dry_run || !plan.has_writes() {
        return crate::output::write_stdout(summary.as_bytes());
    }
    for (k, st) in &plan.keys {
        match st {
            Status::Added | Status::Changed => {
                let Some(v) = incoming.get(k) else { continue };
                let new = Value::Str(v.to_string());
                match map
                    .iter_mut()
                    .find(|(name, old)| name == k && !matches!(old, Value::Comment(_)))
                {
                    Some((_, old)) => *old = new,
                    None => map.push((k.clone(), new)),
                }
            }
            Status::Removed => {
                map.retain(|(name, v)| name != k || matches!(v, Value::Comment(_)));
            }
            Status::Unchanged | Status::Extra => {}
        }
    }
    let touched: Vec<String> = plan
        .keys_with(&[Status::Added, Status::Changed, Status::Removed])
        .map(str::to_owned)
        .collect();
    let result = save(t).and_then(|()| crate::output::write_stdout(summary.as_bytes()));
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "pull",
            files: vec![path],
            environments: vec![args.env.clone()],
            keys: touched,
            ..Default::default()
        },
    )
}

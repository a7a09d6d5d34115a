//! `sealbox diff -e ENV [--against TARGET] [--format human|json]`: which keys differ
//! between an environment and a secrets manager. Values are compared in memory by a
//! keyed hash and never printed. Exit 0 in sync, 1 on drift.

use crate::cli::{DiffArgs, DiffFormat};
use crate::commands::{ctx::Ctx, managed};
use crate::config::Project;
use crate::error::{Error, Outcome, Result};
use crate::managers::{Plan, Status};

/// Runs `sealbox diff`.
///
/// # Errors
/// As `push` before it writes; drift is [`Outcome::Findings`].
pub fn run(ctx: &Ctx, args: &DiffArgs) -> Result<Outcome> {
    let project = Project::find()?;
    let target = managed::sync_target(&project, &args.env, args.against.as_deref(), "--against")?;
    let values = managed::env_values(ctx, &args.env)?;
    let current = managed::read_target(ctx, &target)?;
    let plan = Plan::new(&values, &current, false);
    let list = |s: Status| -> Vec<&str> { plan.keys_with(&[s]).collect() };
    let (missing, extra, changed) = (
        list(Status::Added),
        list(Status::Extra),
        list(Status::Changed),
    );
    let drift = missing.len() + extra.len() + changed.len();
    let text = match args.format {
        DiffFormat::Human => {
            let mut out = String::new();
            for (word, keys) in [
                ("missing", &missing),
                ("extra", &extra),
                ("changed", &changed),
            ] {
                for k in keys {
                    out.push_str(&format!("  {word:<8} {k}\n"));
                }
            }
            let same = plan.count(Status::Unchanged);
            if drift == 0 {
                out.push_str(&format!(
                    "{} and {target} are in sync ({same} keys)\n",
                    args.env
                ));
            } else {
                out.push_str(&format!(
                    "{} and {target} differ: {} missing from the target, {} only in the target, {} changed, {same} the same\n",
                    args.env,
                    missing.len(),
                    extra.len(),
                    changed.len()
                ));
            }
            out
        }
        DiffFormat::Json => {
            let v = serde_json::json!({
                "environment": args.env,
                "target": target.to_string(),
                "in_sync": drift == 0,
                "missing": missing,
                "extra": extra,
                "changed": changed,
                "unchanged": plan.count(Status::Unchanged),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&v).map_err(|e| Error::Usage(e.to_string()))?
            )
        }
    };
    crate::output::write_stdout(text.as_bytes())?;
    ctx.audit(crate::audit::Event {
        command: "diff",
        files: project
            .files(std::slice::from_ref(&args.env))
            .unwrap_or_default(),
        environments: vec![args.env.clone()],
        ..Default::default()
    })?;
    Ok(Outcome::findings(drift))
}

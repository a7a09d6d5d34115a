//! `sealbox push -e ENV [--to TARGET] [--dry-run] [--prune]`: writes an environment's
//! values to a secrets manager. Only added and changed keys are written (a new
//! version each, or one new version of a single-entry target), so the manager's
//! history shows real changes; the summary names keys, never values.

use crate::cli::PushArgs;
use crate::commands::{ctx::Ctx, managed};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::managers::{self, ManagerError, Plan, Status};

/// Runs `sealbox push`.
///
/// # Errors
/// Config errors (2), an undecryptable environment (3), a refusal (3, naming the
/// key), an unreachable manager (5); a failure part-way names the keys written.
pub fn run(ctx: &Ctx, args: &PushArgs) -> Result<()> {
    let project = Project::find()?;
    let target = managed::sync_target(&project, &args.env, args.to.as_deref(), "--to")?;
    let values = managed::env_values(ctx, &args.env)?;
    let current = managed::read_target(ctx, &target)?;
    let plan = Plan::new(&values, &current, args.prune);
    let heading = if args.dry_run {
        format!("{target} (dry run, nothing written)")
    } else {
        target.to_string()
    };
    let summary = plan.summary(&heading);
    if args.dry_run || !plan.has_writes() {
        return crate::output::write_stdout(summary.as_bytes());
    }
    let changed: Vec<String> = plan
        .keys_with(&[Status::Added, Status::Changed, Status::Removed])
        .map(str::to_owned)
        .collect();
    let result = managers::write(&target, &plan, &values, &current).map_err(|f| {
        let done = if f.written.is_empty() {
            "nothing was written".to_owned()
        } else {
            format!(
                "written before the failure: {} (the other keys were not)",
                f.written.join(", ")
            )
        };
        let error = match f.error {
            ManagerError::Refused(m) => ManagerError::Refused(format!("{m}; {done}")),
            ManagerError::Unavailable(m) => ManagerError::Unavailable(format!("{m}; {done}")),
            ManagerError::Invalid(m) => ManagerError::Invalid(format!("{m}; {done}")),
        };
        error.into_error(&target)
    });
    let result = result.and_then(|()| crate::output::write_stdout(summary.as_bytes()));
    ctx.audit_result(
        result,
        crate::audit::Event {
            command: "push",
            files: project
                .files(std::slice::from_ref(&args.env))
                .unwrap_or_default(),
            environments: vec![args.env.clone()],
            keys: changed,
            ..Default::default()
        },
    )
    .map_err(|e: Error| e)
}

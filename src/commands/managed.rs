//! Environments and secrets managers, for the commands: which target an environment
//! syncs with (`sync =`, or a flag), where a `source =` environment lives, its values
//! read from the manager, and a file environment's values as one map. Called by
//! `push`, `pull`, `diff`, `exec`'s loader, `get` and `check --access`.

use crate::commands::ctx::Ctx;
use crate::commands::exec::{load_vars, Names};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::managers::{self, Target, Values};

/// Parses a target given on the command line (`flag` names it in errors).
///
/// # Errors
/// A malformed target (exit 2).
pub fn parse_flag(flag: &str, s: &str) -> Result<Target> {
    Target::parse(s).map_err(|e| Error::Usage(format!("{flag}: {e}")))
}

fn parse_field(project: &Project, env: &str, field: &str, s: &str) -> Result<Target> {
    Target::parse(s).map_err(|e| Error::Config {
        path: project.path.clone(),
        message: format!("environments.{env}.{field}: {e}"),
    })
}

/// The manager a `source =` environment lives in, or `None` for a file environment.
///
/// # Errors
/// An unknown environment, a malformed target, or `source` beside `files`.
pub fn source_of(project: &Project, env: &str) -> Result<Option<Target>> {
    let cfg = project.env(env)?;
    let Some(s) = &cfg.source else {
        return Ok(None);
    };
    if !cfg.files.is_empty() {
        return Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environments.{env} has both files and source; an environment lives either in files (mirror it with sync = \"{s}\") or in a manager (source =), not both"
            ),
        });
    }
    parse_field(project, env, "source", s).map(Some)
}

/// The target `push`/`pull`/`diff` use: the flag's, else the environment's `sync =`.
///
/// # Errors
/// Neither is given, or the target is malformed.
pub fn sync_target(
    project: &Project,
    env: &str,
    given: Option<&str>,
    flag: &str,
) -> Result<Target> {
    let cfg = project.env(env)?;
    if let Some(s) = given {
        return parse_flag(flag, s);
    }
    match &cfg.sync {
        Some(s) => parse_field(project, env, "sync", s),
        None => Err(Error::Config {
            path: project.path.clone(),
            message: format!(
                "environments.{env} has no sync target; pass {flag} TARGET or add sync = \"vault:secret/app/{env}\" (or aws-sm:…, aws-ssm:/…/) to it"
            ),
        }),
    }
}

/// Reads a target's values, remembering its credentials as used (children of `exec`
/// do not inherit them, the audit log names the target).
///
/// # Errors
/// The manager's failure: unreachable 5, refused 3, unusable data 2.
pub fn read_target(ctx: &Ctx, target: &Target) -> Result<Values> {
    ctx.record_used([format!("{} {target}", target.credential_kind())]);
    managers::read(target).map_err(|e| e.into_error(target))
}

/// The values of a `source =` environment, or `None` for a file environment.
///
/// # Errors
/// As [`source_of`] and [`read_target`].
pub fn source_values(ctx: &Ctx, project: &Project, env: &str) -> Result<Option<(Target, Values)>> {
    match source_of(project, env)? {
        None => Ok(None),
        Some(t) => {
            let v = read_target(ctx, &t)?;
            Ok(Some((t, v)))
        }
    }
}

/// An environment's values (its files', or its source's) as one map of every key.
///
/// # Errors
/// As `exec`'s loader: no files, undecryptable files, an unreachable source.
pub fn env_values(ctx: &Ctx, env: &str) -> Result<Values> {
    let envs = [env.to_owned()];
    let from = crate::commands::exec::From {
        envs: &envs,
        files: &[],
    };
    let vars = load_vars(ctx, &from, &[], None, false, Names::Any)?;
    Ok(Values(
        vars.into_iter().map(|v| (v.name, v.value)).collect(),
    ))
}

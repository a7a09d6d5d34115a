//! `sealbox exec -e ENV [-e ENV2]… -- CMD [ARG]…`: decrypts the environments' files in
//! memory, merges their top-level values (later environments win), and replaces this
//! process with CMD, so signals, the terminal and the exit code are the child's.
//! Plaintext never touches disk; values are never printed, even with `--verbose`.

use std::os::unix::process::CommandExt;

use zeroize::Zeroizing;

use crate::cli::ExecArgs;
use crate::commands::values::valid_name;
use crate::commands::{ctx::Ctx, managed, open};
use crate::config::Project;
use crate::error::{Error, Outcome, Result};
use crate::store::{Format, Value};

/// One variable and where it came from.
pub struct Var {
    /// Name (after `--prefix`).
    pub name: String,
    /// Value.
    pub value: Zeroizing<String>,
    /// Environment it came from.
    pub env: String,
}

/// Which key names the consumer of the variables can take.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// Environment variable names only: other keys are skipped with a warning.
    EnvVars,
    /// Any key (JSON, Kubernetes Secrets).
    Any,
}

/// Decrypts and merges the environments' values, in order; later environments win.
///
/// # Errors
/// Unknown environments, undecryptable files (exit 3 naming the environment), values
/// with a NUL byte.
pub fn load_vars(
    ctx: &Ctx,
    from: &From,
    only: &[String],
    prefix: Option<&str>,
    verbose: bool,
    names: Names,
) -> Result<Vec<Var>> {
    let mut vars: Vec<Var> = Vec::new();
    let project = if from.envs.is_empty() {
        None
    } else {
        Some(Project::find()?)
    };
    for (env, files) in from.sources()? {
        let env = &env;
        let managed_source = match &project {
            Some(p) if from.envs.contains(env) => managed::source_values(ctx, p, env)?,
            _ => None,
        };
        if let Some((target, found)) = managed_source {
            for (k, value) in found.0 {
                if !only.is_empty() && !only.contains(&k) {
                    continue;
                }
                let name = format!("{}{k}", prefix.unwrap_or(""));
                if names == Names::EnvVars && !valid_name(&name) {
                    ctx.note(&format!("{target}: skipping '{name}': not a valid environment variable name (use letters, digits and '_')"));
                    continue;
                }
                if value.contains('\0') {
                    return Err(Error::Usage(format!(
                        "{target}: {k} contains a NUL byte, which no environment variable can hold"
                    )));
                }
                merge(
                    &mut vars,
                    name,
                    value,
                    env,
                    &target.to_string(),
                    verbose,
                    ctx,
                );
            }
            continue;
        }
        for file in files {
            let format = Format::from_path(&file);
            let (opened, unauthenticated) =
                open::read_for_values(ctx, &file, format).map_err(|e| match e {
                    Error::NoIdentity {
                        path,
                        recipients,
                        looked,
                        problems,
                        ..
                    } => Error::NoIdentity {
                        path,
                        recipients,
                        looked,
                        problems,
                        environment: Some(env.clone()),
                    },
                    other => other,
                })?;
            open::refuse_ambiguous(&file, &opened.tree)?;
            for doc in &opened.tree.docs {
                let Value::Map(items) = doc else { continue };
                for (k, v) in items.iter() {
                    if matches!(v, Value::Comment(_)) {
                        continue;
                    }
                    if !only.is_empty() && !only.contains(k) {
                        continue;
                    }
                    if unauthenticated.contains(k) {
                        ctx.note(&format!(
                            "{}: skipping {k}: stored in the clear and not covered by the MAC (mac_only_encrypted), so not authenticated",
                            file.display()
                        ));
                        continue;
                    }
                    let Some(value) = v.scalar_text() else {
                        if verbose {
                            eprintln!(
                                "sealbox: {}: skipping {k}: not a single value",
                                file.display()
                            );
                        }
                        continue;
                    };
                    let name = format!("{}{k}", prefix.unwrap_or(""));
                    if names == Names::EnvVars && !valid_name(&name) {
                        ctx.note(&format!(
                            "{}: skipping '{name}': not a valid environment variable name (use letters, digits and '_')",
                            file.display()
                        ));
                        continue;
                    }
                    if value.contains('\0') {
                        return Err(Error::input(
                            &file,
                            format!(
                                "{k} contains a NUL byte, which no environment variable can hold"
                            ),
                            None,
                        ));
                    }
                    let origin = file.display().to_string();
                    merge(
                        &mut vars,
                        name,
                        Zeroizing::new(value),
                        env,
                        &origin,
                        verbose,
                        ctx,
                    );
                }
            }
        }
    }
    if let Some(missing) = only.iter().find(|k| {
        !vars
            .iter()
            .any(|v| v.name == format!("{}{k}", prefix.unwrap_or("")))
    }) {
        return Err(Error::Usage(format!(
            "--only {missing}: no such variable in {}",
            from.describe()
        )));
    }
    Ok(vars)
}

/// Where `exec`, `export` and `get` take values from: environments of the project
/// (`-e`), then plain sops files named with `-f` (no config needed, as `sops exec-env`).
pub struct From<'a> {
    /// Environments, in order.
    pub envs: &'a [String],
    /// Files, after the environments.
    pub files: &'a [std::path::PathBuf],
}

impl From<'_> {
    /// Each source's label and files, in merge order.
    ///
    /// # Errors
    /// No config (with `-e`), an unknown environment, or one with no files yet.
    pub fn sources(&self) -> Result<Vec<(String, Vec<std::path::PathBuf>)>> {
        let mut out = Vec::new();
        if !self.envs.is_empty() {
            let project = Project::find()?;
            for env in self.envs {
                // A `source =` environment's values come from its manager, not files.
                if project.env(env)?.source.is_some() {
                    out.push((env.clone(), Vec::new()));
                    continue;
                }
                let files = project.files(std::slice::from_ref(env))?;
                if files.is_empty() {
                    return Err(Error::Config {
                        path: project.path.clone(),
                        message: format!(
                            "environment '{env}' has no files yet (add one with `sealbox set {env} KEY`)"
                        ),
                    });
                }
                out.push((env.clone(), files));
            }
        }
        for f in self.files {
            out.push((f.display().to_string(), vec![f.clone()]));
        }
        Ok(out)
    }

    /// The sources, for messages.
    #[must_use]
    pub fn describe(&self) -> String {
        self.envs
            .iter()
            .cloned()
            .chain(self.files.iter().map(|f| f.display().to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The files, for the audit log.
    #[must_use]
    pub fn audit_files(&self) -> Vec<std::path::PathBuf> {
        self.sources()
            .map(|s| s.into_iter().flat_map(|(_, f)| f).collect())
            .unwrap_or_default()
    }
}

/// Adds one variable; a later environment's value replaces an earlier one's, except
/// that an empty (unauthenticated) value never blanks one.
fn merge(
    vars: &mut Vec<Var>,
    name: String,
    value: Zeroizing<String>,
    env: &str,
    origin: &str,
    verbose: bool,
    ctx: &Ctx,
) {
    if let Some(prev) = vars.iter_mut().find(|x| x.name == name) {
        if value.is_empty() && !prev.value.is_empty() {
            ctx.note(&format!(
                "{name} is empty in {env} and would blank the value from {}; empty values are not authenticated, so that one is kept",
                prev.env
            ));
            return;
        }
        if verbose {
            eprintln!("sealbox: {name} from {env} overrides {}", prev.env);
        }
        prev.value = value;
        env.clone_into(&mut prev.env);
    } else {
        if verbose {
            eprintln!("sealbox: {name} from {env} ({origin})");
        }
        vars.push(Var {
            name,
            value,
            env: env.to_owned(),
        });
    }
}

/// Runs `sealbox exec`. On success this never returns: the process becomes CMD (with
/// `--redact`, sealbox waits for it and returns its exit code).
///
/// # Errors
/// Anything before the command starts; 126/127 when it cannot be started.
pub fn run(ctx: &Ctx, args: &ExecArgs) -> Result<Outcome> {
    let from = From {
        envs: &args.env,
        files: &args.file,
    };
    let vars = load_vars(
        ctx,
        &from,
        &args.only,
        args.prefix.as_deref(),
        args.verbose,
        Names::EnvVars,
    )?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err(Error::Usage("exec needs a command after --".to_owned()));
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(rest);
    ctx.scrub_child(&mut cmd);
    for v in &vars {
        if args.no_override && std::env::var_os(&v.name).is_some() {
            if args.verbose {
                eprintln!(
                    "sealbox: {} already set; keeping it (--no-override)",
                    v.name
                );
            }
            continue;
        }
        // An empty value is stored in the clear and is not covered by the MAC: anyone
        // who can write the file can add `PATH=`. It never blanks an inherited value.
        if v.value.is_empty() && std::env::var_os(&v.name).is_some_and(|x| !x.is_empty()) {
            ctx.note(&format!(
                "{} is empty in environment {} and would blank the inherited value; empty values are not authenticated, so the inherited one is kept",
                v.name, v.env
            ));
            continue;
        }
        cmd.env(&v.name, v.value.as_str());
    }
    // The audit line is written before the process is replaced.
    ctx.audit(crate::audit::Event {
        command: "exec",
        files: from.audit_files(),
        environments: args.env.clone(),
        keys: vars.iter().map(|v| v.name.clone()).collect(),
        ..Default::default()
    })?;
    if args.redact {
        return super::redact::exec_filtered(&mut cmd, program, &vars, args.redact_min);
    }
    crate::hardening::restore_core_limit_for_exec();
    let err = cmd.exec();
    let shown = program.to_string_lossy().into_owned();
    Err(match err.kind() {
        std::io::ErrorKind::NotFound => Error::Exec {
            command: shown,
            code: 127,
            message: "command not found".to_owned(),
        },
        std::io::ErrorKind::PermissionDenied => Error::Exec {
            command: shown,
            code: 126,
            message: "permission denied (not executable)".to_owned(),
        },
        _ => Error::Exec {
            command: shown,
            code: 126,
            message: format!("cannot run it: {err}"),
        },
    })
}

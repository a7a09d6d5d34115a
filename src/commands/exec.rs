//! `sealbox exec -e ENV [-e ENV2]… -- CMD [ARG]…`: decrypts the environments' files in
//! memory, merges their top-level values (later environments win), and replaces this
//! process with CMD, so signals, the terminal and the exit code are the child's.
//! Plaintext never touches disk; values are never printed, even with `--verbose`.

use std::os::unix::process::CommandExt;

use zeroize::Zeroizing;

use crate::cli::ExecArgs;
use crate::commands::values::valid_name;
use crate::commands::{ctx::Ctx, open};
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
    envs: &[String],
    only: &[String],
    prefix: Option<&str>,
    verbose: bool,
    names: Names,
) -> Result<Vec<Var>> {
    let project = Project::find()?;
    let mut vars: Vec<Var> = Vec::new();
    for env in envs {
        project.env(env)?;
        let files = project.files(std::slice::from_ref(env))?;
        if files.is_empty() {
            return Err(Error::Config {
                path: project.path.clone(),
                message: format!(
                    "environment '{env}' has no files yet (add one with `sealbox set {env} KEY`)"
                ),
            });
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
                    let value = Zeroizing::new(value);
                    if let Some(prev) = vars.iter_mut().find(|x| x.name == name) {
                        // An empty value is not authenticated: it never replaces one.
                        if value.is_empty() && !prev.value.is_empty() {
                            ctx.note(&format!(
                                "{name} is empty in {env} and would blank the value from {}; empty values are not authenticated, so that one is kept",
                                prev.env
                            ));
                            continue;
                        }
                        if verbose {
                            eprintln!("sealbox: {name} from {env} overrides {}", prev.env);
                        }
                        prev.value = value;
                        prev.env.clone_from(env);
                    } else {
                        if verbose {
                            eprintln!("sealbox: {name} from {env} ({})", file.display());
                        }
                        vars.push(Var {
                            name,
                            value,
                            env: env.clone(),
                        });
                    }
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
            envs.join(", ")
        )));
    }
    Ok(vars)
}

/// Runs `sealbox exec`. On success this never returns: the process becomes CMD (with
/// `--redact`, sealbox waits for it and returns its exit code).
///
/// # Errors
/// Anything before the command starts; 126/127 when it cannot be started.
pub fn run(ctx: &Ctx, args: &ExecArgs) -> Result<Outcome> {
    let vars = load_vars(
        ctx,
        &args.env,
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
        files: crate::config::environment_files(&args.env)
            .map(|(_, f)| f)
            .unwrap_or_default(),
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

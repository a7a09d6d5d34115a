//! `sealbox export -e ENV --format …`: an environment's values for a shell (bash, zsh,
//! fish — quoted so any value round-trips through `eval`), a dotenv file (quoted so
//! direnv, python-dotenv and sealbox read it alike, or refused), a `docker run
//! --env-file` file, JSON, GitHub Actions (`::add-mask::` lines and `$GITHUB_ENV`
//! heredoc entries) or a Kubernetes Secret manifest. Keys that are no variable name are
//! skipped with a warning, except in JSON and Kubernetes Secrets.

use std::fmt::Write as _;
use std::io::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::Zeroizing;

use crate::cli::{ExportArgs, ExportFormat};
use crate::commands::ctx::Ctx;
use crate::commands::exec::{load_vars, Names, Var};
use crate::error::{Error, Result};

/// POSIX single quotes: everything literal, `'` written as `'\''`.
fn sh_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "'\\''"))
}

/// fish single quotes: only `\\` and `\'` are escapes.
fn fish_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Whether `k` can be a key of a Kubernetes Secret's `data`.
fn k8s_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
}

/// Workflow-command escaping for `::add-mask::`.
fn gha_escape(v: &str) -> String {
    v.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn render(
    args: &ExportArgs,
    vars: &[Var],
) -> Result<(Zeroizing<String>, Option<Zeroizing<String>>)> {
    let mut out = Zeroizing::new(String::new());
    let mut github_env = None;
    match args.format {
        ExportFormat::Dotenv => {
            for v in vars {
                let quoted = Zeroizing::new(crate::store::dotenv::quote(&v.value).ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: no dotenv quoting makes direnv, python-dotenv and sealbox read this value alike (one that mixes ' or a line break with $, holds ${{…}}, or ends in a backslash after characters only quotes can carry); export with --format json or --format bash",
                        v.name
                    ))
                })?);
                let _ = writeln!(out, "{}={}", v.name, quoted.as_str());
            }
        }
        ExportFormat::Docker => {
            for v in vars {
                if v.value.contains(['\n', '\r']) {
                    return Err(Error::Usage(format!(
                        "{}: holds a line break, which `docker run --env-file` cannot carry; export with --format json or --format bash",
                        v.name
                    )));
                }
                let _ = writeln!(out, "{}={}", v.name, v.value.as_str());
            }
        }
        ExportFormat::Bash | ExportFormat::Zsh => {
            for v in vars {
                let _ = writeln!(out, "export {}={}", v.name, sh_quote(&v.value));
            }
        }
        ExportFormat::Fish => {
            for v in vars {
                let _ = writeln!(out, "set -gx {} {}", v.name, fish_quote(&v.value));
            }
        }
        ExportFormat::Json => {
            let map: serde_json::Map<String, serde_json::Value> = vars
                .iter()
                .map(|v| {
                    (
                        v.name.clone(),
                        serde_json::Value::String(v.value.to_string()),
                    )
                })
                .collect();
            let text = serde_json::to_string_pretty(&serde_json::Value::Object(map))
                .map_err(|e| Error::Usage(format!("cannot render JSON: {e}")))?;
            out.push_str(&text);
            out.push('\n');
        }
        ExportFormat::GithubActions => {
            let mut env = Zeroizing::new(String::new());
            for v in vars {
                for line in v.value.lines().filter(|l| !l.trim().is_empty()) {
                    let _ = writeln!(out, "::add-mask::{}", gha_escape(line));
                }
                let mut delim;
                loop {
                    let mut r = [0u8; 8];
                    crate::crypto::rng::fill(&mut r).map_err(|_| {
                        Error::Usage("the OS random number generator failed".to_owned())
                    })?;
                    delim = format!("SEALBOX_EOF_{}", hex::encode(r));
                    if !v.value.contains(&delim) {
                        break;
                    }
                }
                let _ = write!(env, "{}<<{delim}\n{}\n{delim}\n", v.name, v.value.as_str());
            }
            github_env = Some(env);
        }
        ExportFormat::K8s => {
            let name = args.name.clone().unwrap_or_else(|| {
                let mut parts = args.env.clone();
                parts.extend(args.file.iter().filter_map(|f| {
                    let stem = f.file_stem()?.to_string_lossy().to_ascii_lowercase();
                    let clean: String = stem
                        .chars()
                        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                        .collect();
                    Some(clean.trim_matches('-').to_owned())
                }));
                format!("sealbox-{}", parts.join("-"))
            });
            let _ = write!(
                out,
                "apiVersion: v1\nkind: Secret\nmetadata:\n    name: {name}\ntype: Opaque\ndata:\n"
            );
            if vars.is_empty() {
                let keep = out.len() - "data:\n".len();
                out.truncate(keep);
                out.push_str("data: {}\n");
            }
            for v in vars {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    v.name,
                    STANDARD.encode(v.value.as_bytes())
                );
            }
        }
    }
    Ok((out, github_env))
}

/// Runs `sealbox export`.
///
/// # Errors
/// As `exec` before the command starts, plus write failures.
pub fn run(ctx: &Ctx, args: &ExportArgs) -> Result<()> {
    if let Some(name) = &args.name {
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        {
            return Err(Error::Usage(format!(
                "--name '{name}' is not a valid Kubernetes object name"
            )));
        }
    }
    let names = if args.format.needs_env_names() {
        Names::EnvVars
    } else {
        Names::Any
    };
    let from = crate::commands::exec::From {
        envs: &args.env,
        files: &args.file,
    };
    let mut vars = load_vars(ctx, &from, &args.only, args.prefix.as_deref(), false, names)?;
    if args.format == ExportFormat::K8s {
        vars.retain(|v| {
            let ok = k8s_key(&v.name);
            if !ok {
                ctx.note(&format!(
                    "skipping '{}': a Kubernetes Secret key holds only letters, digits, '-', '.' and '_'",
                    v.name
                ));
            }
            ok
        });
    }
    // As for exec: an empty value is not authenticated, so it never blanks a variable
    // the shell that evaluates this output already has (an appended `PATH=`).
    vars.retain(|v| {
        let blanks = v.value.is_empty() && std::env::var_os(&v.name).is_some_and(|x| !x.is_empty());
        if blanks {
            ctx.note(&format!(
                "{} is empty in environment {} and would blank the variable this shell has; empty values are not authenticated, so it is left out",
                v.name, v.env
            ));
        }
        !blanks
    });
    // Rendered in full first: a value that cannot be exported fails before anything is
    // written.
    let (out, github_env) = render(args, &vars)?;
    ctx.audit(crate::audit::Event {
        command: "export",
        files: from.audit_files(),
        environments: args.env.clone(),
        keys: vars.iter().map(|v| v.name.clone()).collect(),
        ..Default::default()
    })?;
    crate::output::write_stdout(out.as_bytes())?;
    if let Some(env) = github_env {
        match std::env::var_os("GITHUB_ENV") {
            Some(path) if !path.is_empty() => {
                let path = std::path::PathBuf::from(path);
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(&path)
                    .map_err(|e| Error::io(&path, "open", e))?;
                f.write_all(env.as_bytes())
                    .map_err(|e| Error::io(&path, "append to", e))?;
            }
            _ => crate::output::write_stdout(env.as_bytes())?,
        }
    }
    Ok(())
}

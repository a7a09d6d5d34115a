//! `sealbox audit verify` and `sealbox audit log`: prove the hash chain of the audit log
//! (exit 4 naming the first broken line) and show its events, filtered by time or
//! environment.

use crate::cli::{AuditCommand, AuditLogArgs, CheckFormat};
use crate::commands::ctx::Ctx;
use crate::error::{Error, Result};

fn since_cutoff(s: &str) -> Result<String> {
    let secs = crate::config::parse_duration(s);
    match secs {
        Some(secs) => {
            let t = time::OffsetDateTime::now_utc() - time::Duration::seconds(secs);
            let f =
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
            t.format(&f)
                .map_err(|e| Error::Usage(format!("--since: {e}")))
        }
        None if s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-') => Ok(s.to_owned()),
        None => Err(Error::Usage(format!(
            "--since '{s}': expected an RFC 3339 time or a duration like 30m, 12h, 7d"
        ))),
    }
}

fn log(args: &AuditLogArgs) -> Result<()> {
    let path = crate::audit::log_path()
        .ok_or_else(|| Error::Usage("no audit log location (set SEALBOX_AUDIT_LOG)".to_owned()))?;
    if !path.exists() {
        return Ok(());
    }
    let since = args.since.as_deref().map(since_cutoff).transpose()?;
    let entries = crate::audit::entries(&path, since.as_deref(), args.env.as_deref())?;
    let mut out = String::new();
    for e in &entries {
        match args.format {
            CheckFormat::Json => {
                out.push_str(&serde_json::Value::Object(e.clone()).to_string());
                out.push('\n');
            }
            CheckFormat::Human => {
                let s = |k: &str| {
                    e.get(k)
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                        .to_owned()
                };
                let list = |k: &str| {
                    e.get(k)
                        .and_then(serde_json::Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(serde_json::Value::as_str)
                                .collect::<Vec<_>>()
                                .join(",")
                        })
                        .unwrap_or_default()
                };
                let files = match e.get("file_count") {
                    Some(n) => format!("{n} files"),
                    None => list("files"),
                };
                out.push_str(&format!(
                    "{} {} {} env=[{}] keys=[{}] by {}@{} via [{}]\n",
                    s("time"),
                    s("command"),
                    files,
                    list("environments"),
                    list("keys"),
                    s("user"),
                    s("host"),
                    list("recipients")
                ));
            }
        }
    }
    crate::output::write_stdout(out.as_bytes())
}

/// Runs `sealbox audit …`.
///
/// # Errors
/// [`Error::Integrity`] for a broken chain; I/O errors.
pub fn run(ctx: &Ctx, cmd: &AuditCommand) -> Result<()> {
    match cmd {
        AuditCommand::Verify => {
            let path = crate::audit::log_path().ok_or_else(|| {
                Error::Usage("no audit log location (set SEALBOX_AUDIT_LOG)".to_owned())
            })?;
            if !path.exists() && !crate::audit::has_head(&path) {
                ctx.note(&format!("{}: no audit log yet", path.display()));
                return Ok(());
            }
            let n = crate::audit::verify(&path)?;
            ctx.note(&format!("{}: {n} events, chain intact", path.display()));
            Ok(())
        }
        AuditCommand::Log(a) => log(a),
    }
}

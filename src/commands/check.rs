//! `sealbox check [PATH]`: the project's policy, without writing anything. Findings:
//! files an environment lists that are not encrypted, recipients shared between
//! environments (unless allowed), files whose recipients differ from the config's, and
//! files whose MAC does not verify (when an identity can open them). Exit 0 healthy,
//! 1 findings, 2 error. Rotation age (`max_age`) comes with the audit work.

use std::path::{Path, PathBuf};

use crate::cli::{CheckArgs, CheckFormat};
use crate::commands::common::{self, Ctx};
use crate::config::Project;
use crate::error::{Error, Result};
use crate::store::Format;

/// One problem found.
struct Finding {
    kind: &'static str,
    file: Option<PathBuf>,
    environment: Option<String>,
    message: String,
    fix: String,
}

fn rel(base: &Path, p: &Path) -> String {
    p.strip_prefix(base).unwrap_or(p).display().to_string()
}

/// Runs `sealbox check`.
///
/// # Errors
/// [`Error::Findings`] when something is wrong; config errors exit 2.
pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<()> {
    let project = match &args.path {
        Some(p) => Project::load(&p.join(".sealbox.toml"))?,
        None => Project::find()?,
    };
    if args.access {
        return access_report(ctx, &project, args.format);
    }
    let mut findings = Vec::new();

    // Recipients shared between environments.
    let names: Vec<&String> = project.environments.keys().collect();
    for (i, a) in names.iter().enumerate() {
        for b in names.iter().skip(i + 1) {
            let (ea, eb) = (&project.environments[*a], &project.environments[*b]);
            let allowed = project.allow_shared_recipients
                || ea.allow_shared_recipients == Some(true)
                || eb.allow_shared_recipients == Some(true);
            if allowed {
                continue;
            }
            for r in ea.age.iter().filter(|r| eb.age.contains(r)) {
                findings.push(Finding {
                    kind: "shared-recipient",
                    file: None,
                    environment: Some(format!("{a},{b}")),
                    message: format!("environments {a} and {b} share the recipient {r}, so one identity opens both"),
                    fix: "give each environment its own recipients, or set allow_shared_recipients = true".to_owned(),
                });
            }
        }
    }

    for (name, env) in &project.environments {
        for file in project.files(std::slice::from_ref(name))? {
            let shown = rel(&project.base, &file);
            let format = Format::from_path(&file);
            let bytes = common::read(&file)?;
            let sealed = match common::load_sealed(&file, format, &bytes) {
                Ok(s) => s,
                Err(Error::Input { message, .. }) if message.starts_with("is not encrypted") => {
                    findings.push(Finding {
                        kind: "unencrypted-secret-file",
                        file: Some(file.clone()),
                        environment: Some(name.clone()),
                        message: format!(
                            "{shown} is listed in environment {name} but is not encrypted"
                        ),
                        fix: format!("sealbox encrypt --in-place {shown}"),
                    });
                    continue;
                }
                Err(e) => {
                    findings.push(Finding {
                        kind: "unreadable-file",
                        file: Some(file.clone()),
                        environment: Some(name.clone()),
                        message: e.to_string(),
                        fix: "restore the file from git".to_owned(),
                    });
                    continue;
                }
            };
            let mut have: Vec<String> = sealed
                .meta
                .groups
                .iter()
                .flatten()
                .filter(|k| k.kind == "age")
                .filter_map(|k| k.field("recipient").map(str::to_owned))
                .collect();
            let mut want = env.age.clone();
            have.sort();
            want.sort();
            if have != want {
                let missing: Vec<&String> = want.iter().filter(|r| !have.contains(r)).collect();
                let stale: Vec<&String> = have.iter().filter(|r| !want.contains(r)).collect();
                findings.push(Finding {
                    kind: "recipients-differ",
                    file: Some(file.clone()),
                    environment: Some(name.clone()),
                    message: format!(
                        "{shown}: recipients differ from environment {name} (missing: [{}], not in config: [{}])",
                        missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                        stale.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                    fix: format!("sealbox updatekeys {shown}"),
                });
            }
            if let Ok(key) = common::data_key(ctx, &file, &sealed) {
                if let Err(e) = sealed.into_plaintext(&key, false) {
                    findings.push(Finding {
                        kind: "integrity",
                        file: Some(file.clone()),
                        environment: Some(name.clone()),
                        message: format!("{shown}: {e}"),
                        fix: "restore the file from git".to_owned(),
                    });
                }
            }
        }
    }

    match args.format {
        CheckFormat::Human => {
            for f in &findings {
                println!("{}: {} (fix: {})", f.kind, f.message, f.fix);
            }
            if findings.is_empty() {
                ctx.note(&format!("{}: no findings", project.path.display()));
            }
        }
        CheckFormat::Json => {
            let items: Vec<serde_json::Value> = findings
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "kind": f.kind,
                        "file": f.file.as_ref().map(|p| rel(&project.base, p)),
                        "environment": f.environment,
                        "message": f.message,
                        "fix": f.fix,
                    })
                })
                .collect();
            let text =
                serde_json::to_string_pretty(&items).map_err(|e| Error::Usage(e.to_string()))?;
            crate::output::write_stdout(format!("{text}\n").as_bytes())?;
        }
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(Error::Findings(findings.len()))
    }
}

/// `check --access`: per environment and file, who can open it (from the files' own
/// metadata, so it shows what is true, not what the config intends).
fn access_report(ctx: &Ctx, project: &Project, format: CheckFormat) -> Result<()> {
    let mut rows = Vec::new();
    for name in project.environments.keys() {
        for file in project.files(std::slice::from_ref(name))? {
            let format_of = Format::from_path(&file);
            let bytes = common::read(&file)?;
            let who = match common::load_sealed(&file, format_of, &bytes) {
                Ok(s) => s.meta.describe_keys(),
                Err(_) => vec!["anyone with read access (not encrypted)".to_owned()],
            };
            rows.push((name.clone(), rel(&project.base, &file), who));
        }
    }
    let text = match format {
        CheckFormat::Human => rows
            .iter()
            .map(|(env, file, who)| format!("{env}\t{file}\t{}\n", who.join(", ")))
            .collect::<String>(),
        CheckFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(env, file, who)| serde_json::json!({"environment": env, "file": file, "recipients": who}))
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).map_err(|e| Error::Usage(e.to_string()))?
            )
        }
    };
    let _ = ctx;
    crate::output::write_stdout(text.as_bytes())
}

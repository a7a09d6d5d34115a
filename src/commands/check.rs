//! `sealbox check [PATH]`: the project's policy, without writing anything. Findings:
//! files an environment lists that are not encrypted, recipients shared between
//! environments (unless allowed), files whose recipients differ from the config's, and
//! files whose MAC does not verify (when an identity can open them). Exit 0 healthy,
//! 1 findings, 2 error. Rotation age (`max_age`) comes with the audit work.

use std::path::{Path, PathBuf};

use crate::cli::{CheckArgs, CheckFormat};
use crate::commands::{ctx::Ctx, open};
use crate::config::Project;
use crate::error::{Error, Outcome, Result};
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
/// Config errors (exit 2); what is wrong is [`Outcome::Findings`].
pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<Outcome> {
    let project = match &args.path {
        Some(p) => Project::load(&p.join(".sealbox.toml"))?,
        None => Project::find()?,
    };
    if args.access {
        return access_report(ctx, &project, args.format).map(Outcome::from);
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
            let (ra, rb) = (ea.describe_recipients(a), eb.describe_recipients(b));
            for r in ra.iter().filter(|r| rb.contains(r)) {
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
            let bytes = open::read(&file)?;
            let sealed = match open::load_sealed(&file, format, &bytes) {
                Ok(s) => s,
                Err(Error::NotEncrypted { .. }) => {
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
            let mut have: Vec<String> = sealed.meta.describe_keys();
            let mut want = env
                .groups(name)
                .map_err(|e| Error::Config {
                    path: project.path.clone(),
                    message: e.to_string(),
                })?
                .iter()
                .flatten()
                .map(crate::recipients::Spec::describe)
                .collect::<Vec<_>>();
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
            if let Err(e) = open::refuse_ambiguous(&file, &sealed.tree) {
                findings.push(Finding {
                    kind: "ambiguous-file",
                    file: Some(file.clone()),
                    environment: Some(name.clone()),
                    message: e.to_string(),
                    fix: "remove the extra document or the duplicate key".to_owned(),
                });
            }
            findings.extend(emptied_keys(&file, &shown, name, format, &sealed));
            findings.extend(removed_still_keyed(
                ctx, &file, &shown, name, format, &sealed,
            ));
            if let Some(max) = &env.max_age {
                let limit = crate::config::parse_duration(max).ok_or_else(|| Error::Config {
                    path: project.path.clone(),
                    message: format!("environments.{name}.max_age '{max}' is not a duration like 90d, 12h, 30m or 1s"),
                })?;
                findings.extend(stale_keys(&file, &shown, name, &sealed, limit));
            }
            if let Ok(key) = open::data_key(ctx, &file, &sealed) {
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

    findings.extend(stale_temp_files(&project.base));
    for dir in crate::commands::edit::stale_edit_dirs(false) {
        findings.push(Finding {
            kind: "stale-edit-copy",
            file: Some(dir.clone()),
            environment: None,
            message: format!(
                "{} holds the plaintext copy of an edit whose sealbox was killed",
                dir.display()
            ),
            fix: "wiped now by this check; if others can log in here, change the values that were in it".to_owned(),
        });
    }
    crate::commands::edit::stale_edit_dirs(true);

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
    Ok(Outcome::findings(findings.len()))
}

/// Keys whose value is empty now but was encrypted in a committed version of the file.
/// Empty values are outside the sops MAC, so this is how a value is silently replaced
/// by nothing (`KEY=` appended, or `KEY: ""`) by anyone who can write the file.
fn emptied_keys(
    file: &Path,
    shown: &str,
    env: &str,
    format: Format,
    sealed: &crate::sops::Sealed,
) -> Vec<Finding> {
    use crate::store::Value;
    let empty: Vec<&str> = sealed
        .tree
        .docs
        .iter()
        .filter_map(|d| match d {
            Value::Map(m) => Some(m),
            _ => None,
        })
        .flatten()
        .filter(|(_, v)| matches!(v, Value::Str(s) if s.is_empty()) || matches!(v, Value::Null))
        .map(|(k, _)| k.as_str())
        .collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let mut was_encrypted = std::collections::BTreeSet::new();
    for old in crate::git::committed_versions(file, 200) {
        let Ok(tree) = format.parse_encrypted(&old) else {
            continue;
        };
        for doc in &tree.docs {
            if let Value::Map(m) = doc {
                for (k, v) in m {
                    if empty.contains(&k.as_str())
                        && matches!(v, Value::Str(s) if crate::sops::value::is_enc(s))
                    {
                        was_encrypted.insert(k.clone());
                    }
                }
            }
        }
    }
    was_encrypted
        .into_iter()
        .map(|k| Finding {
            kind: "emptied-value",
            file: Some(file.to_path_buf()),
            environment: Some(env.to_owned()),
            message: format!(
                "{shown}: {k} is empty, but a committed version had it encrypted; empty values are not covered by the MAC, so anyone who can write the file can blank it"
            ),
            fix: format!("restore it (git log -p {shown}) or `sealbox set {env} {k}`"),
        })
        .collect()
}

/// Recipients a committed version of the file had, that it no longer has, while the
/// data key stayed the same: they hold that key from their old checkout and can read
/// every value, including those written since. The keys are compared when this user
/// can open both versions; otherwise any ciphertext the two versions share proves the
/// key is the same (a new key re-encrypts every value).
fn removed_still_keyed(
    ctx: &Ctx,
    file: &Path,
    shown: &str,
    env: &str,
    format: Format,
    sealed: &crate::sops::Sealed,
) -> Vec<Finding> {
    // (group, key) pairs: with key groups, leaving one group is a removal too.
    let pairs = |s: &crate::sops::Sealed| -> Vec<(usize, String)> {
        s.meta
            .groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| g.iter().map(move |k| (i, k.describe())))
            .collect()
    };
    let now = pairs(sealed);
    let now_enc = enc_values(&sealed.tree.docs);
    let mut now_key = None;
    let mut flagged: Vec<String> = Vec::new();
    for old in crate::git::committed_versions(file, 50) {
        let Ok(before) = open::load_sealed(file, format, &old) else {
            continue;
        };
        let gone: Vec<String> = pairs(&before)
            .into_iter()
            .filter(|p| !now.contains(p) && !flagged.contains(&p.1))
            .map(|(_, k)| k)
            .collect();
        if gone.is_empty() {
            continue;
        }
        // A ciphertext both versions share proves the key is the same. Otherwise the
        // keys are compared, unwrapping the old one only with local (age) keys: history
        // must not send requests to whatever service an old commit names.
        let same_key = !enc_values(&before.tree.docs).is_disjoint(&now_enc) || {
            let local = before.meta.groups.iter().flatten().all(|k| k.kind == "age");
            if local && now_key.is_none() {
                now_key = Some(open::data_key(ctx, file, sealed).ok());
            }
            match (local, now_key.as_ref().and_then(Option::as_ref)) {
                (true, Some(a)) => open::data_key(ctx, file, &before).is_ok_and(|b| a.ct_eq(&b)),
                _ => false,
            }
        };
        if same_key {
            flagged.extend(gone);
        }
    }
    flagged.sort();
    flagged.dedup();
    if flagged.is_empty() {
        return Vec::new();
    }
    vec![Finding {
        kind: "removed-recipient-can-read",
        file: Some(file.to_path_buf()),
        environment: Some(env.to_owned()),
        message: format!(
            "{shown}: {} no longer a recipient, but the data key is the one a committed version wrapped for them, so they can still read every value",
            flagged.join(", ") + if flagged.len() == 1 { " is" } else { " are" }
        ),
        fix: format!("sealbox rotate {shown}, then change the values they could read at their source"),
    }]
}

/// The encrypted values (`ENC[…]` strings) of a document.
fn enc_values(docs: &[crate::store::Value]) -> std::collections::HashSet<String> {
    use crate::store::Value;
    fn walk(v: &Value, out: &mut std::collections::HashSet<String>) {
        match v {
            Value::Str(s) if crate::sops::value::is_enc(s) => {
                out.insert(s.clone());
            }
            Value::Map(m) => m.iter().for_each(|(_, v)| walk(v, out)),
            Value::Seq(s) => s.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = std::collections::HashSet::new();
    docs.iter().for_each(|d| walk(d, &mut out));
    out
}

/// Temp files a sealbox left in the project (killed mid-write): those of a writer that
/// is gone may hold plaintext and, being hidden, get committed by `git add -A`.
fn stale_temp_files(base: &Path) -> Vec<Finding> {
    let mut out = Vec::new();
    let walk = ignore::WalkBuilder::new(base)
        .hidden(false)
        .git_ignore(false)
        .ignore(false)
        .parents(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walk.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(crate::output::temp_file_pid)
        else {
            continue;
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let live = pid.is_some_and(crate::output::pid_alive);
        out.push(Finding {
            kind: "stale-temp-file",
            file: Some(entry.path().to_path_buf()),
            environment: None,
            message: format!(
                "{} is a temporary file of a sealbox {}; it may hold plaintext",
                rel(base, entry.path()),
                if live { "that is still running" } else { "that was killed mid-write" }
            ),
            fix: "run any sealbox write in that directory (it removes the files of writers that are gone), or delete it".to_owned(),
        });
    }
    out
}

/// `check --access`: per environment and file, who can open it (from the files' own
/// metadata, so it shows what is true, not what the config intends).
fn access_report(ctx: &Ctx, project: &Project, format: CheckFormat) -> Result<()> {
    let mut rows = Vec::new();
    for name in project.environments.keys() {
        if let Some(target) = crate::commands::managed::source_of(project, name)? {
            rows.push((
                name.clone(),
                target.to_string(),
                source_access(ctx, &target),
            ));
            continue;
        }
        for file in project.files(std::slice::from_ref(name))? {
            let format_of = Format::from_path(&file);
            let bytes = open::read(&file)?;
            let who = match open::load_sealed(&file, format_of, &bytes) {
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

/// Who can read a `source =` environment: whoever the manager's policies allow; what
/// sealbox can tell is whether the current credentials can (key names are not shown).
fn source_access(ctx: &Ctx, target: &crate::managers::Target) -> Vec<String> {
    let mine = match crate::commands::managed::read_target(ctx, target) {
        Ok(v) => format!("the current credentials can read it ({} keys)", v.0.len()),
        Err(e @ Error::Refused { .. }) => format!("the current credentials are refused: {e}"),
        Err(e) => format!("not checked: {e}"),
    };
    vec![
        "whoever the manager's access policies allow".to_owned(),
        mine,
    ]
}

/// Top-level keys older than `limit` seconds: a key's age is the last commit that changed
/// its line, or the file's `lastmodified` for uncommitted lines and outside git.
fn stale_keys(
    file: &Path,
    shown: &str,
    env: &str,
    sealed: &crate::sops::Sealed,
    limit: i64,
) -> Vec<Finding> {
    use time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let lastmodified = time::OffsetDateTime::parse(&sealed.meta.lastmodified, &Rfc3339)
        .map(time::OffsetDateTime::unix_timestamp)
        .unwrap_or(now);
    let blamed = crate::git::line_times(file);
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let keys: Vec<&str> = match sealed.tree.docs.first() {
        Some(crate::store::Value::Map(m)) => m
            .iter()
            .filter(|(_, v)| !matches!(v, crate::store::Value::Comment(_)))
            .map(|(k, _)| k.as_str())
            .collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for key in keys {
        let line = text.lines().position(|l| {
            let t = l.trim_start();
            t.starts_with(&format!("{key}="))
                || t.starts_with(&format!("{key}:"))
                || t.starts_with(&format!("\"{key}\":"))
                || t.split_once('=').is_some_and(|(k, _)| k.trim() == key)
        });
        let changed = line
            .and_then(|n| blamed.as_ref().and_then(|b| b.get(&(n + 1)).copied()))
            .unwrap_or(lastmodified);
        let age = now - changed;
        if age > limit {
            let when = time::OffsetDateTime::from_unix_timestamp(changed)
                .ok()
                .and_then(|t| t.format(&Rfc3339).ok())
                .unwrap_or_default();
            out.push(Finding {
                kind: "secret-too-old",
                file: Some(file.to_owned()),
                environment: Some(env.to_owned()),
                message: format!("{shown}: {key} last changed {when} ({} days ago), older than max_age of environment {env}", age / 86_400),
                fix: format!("sealbox rotate -e {env} {key} --generate"),
            });
        }
    }
    out
}

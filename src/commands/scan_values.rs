//! `sealbox scan --values -e ENV [PATH | --staged | --git [RANGE] | --stdin]`: "did a
//! real secret of this environment ever get written down?". Decrypts the environments
//! in memory, builds one automaton from their values and encoded forms (the one
//! `exec --redact` uses) and looks for them in a tree, the staged change, git history or
//! stdin. Only value findings are reported (the rules do not run); every report format
//! names file, line, commit and key, with `Secret` and `Match` always redacted;
//! `.sealboxignore` fingerprints (over environment, key, file and line) leave an
//! occurrence out. Exit 0 clean, 1 found, 2 error, 3 when the environment cannot be
//! decrypted.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{ScanArgs, ScanFormat};
use crate::commands::ctx::Ctx;
use crate::commands::exec::{load_vars, Names};
use crate::error::{Error, Outcome, Result};
use crate::scan::values::{find, Source, RULE_ID};
use crate::scan::{report, sources, Finding};

/// Runs `sealbox scan --values`.
///
/// # Errors
/// Unknown or undecryptable environments, git errors, an unreadable path.
pub fn run(ctx: &Ctx, args: &ScanArgs) -> Result<Outcome> {
    let vars = load_vars(
        ctx,
        &crate::commands::exec::From {
            envs: &args.values_env,
            files: &[],
        },
        &[],
        None,
        false,
        Names::Any,
    )?;
    let patterns = super::redact::patterns_for(&vars, args.values_min)?;
    let envs: Vec<String> = patterns
        .keys()
        .iter()
        .map(|k| {
            vars.iter()
                .find(|v| &v.name == k)
                .map(|v| v.env.clone())
                .unwrap_or_default()
        })
        .collect();
    ctx.audit(crate::audit::Event {
        command: "scan",
        files: crate::config::environment_files(&args.values_env)
            .map(|(_, f)| f)
            .unwrap_or_default(),
        environments: args.values_env.clone(),
        keys: vars.iter().map(|v| v.name.clone()).collect(),
        ..Default::default()
    })?;
    let skipped_short = vars.len().saturating_sub(patterns.keys().len());
    drop(vars);
    if skipped_short > 0 {
        ctx.note(&format!(
            "{skipped_short} value(s) shorter than {} bytes are not looked for (--values-min)",
            args.values_min
        ));
    }
    let source = Source {
        patterns: &patterns,
        envs: &envs,
    };
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(Path::new("."), "read the working directory", e))?;
    let mut findings: Vec<Finding> = Vec::new();
    if args.stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io(Path::new("<stdin>"), "read", e))?;
        findings = find(&source, "<stdin>", &text, None);
    } else if args.staged {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        let added =
            sources::git::staged(&root).map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        let scan_text = |p: &str, t: &str, l: Option<&std::collections::BTreeSet<usize>>| {
            find(&source, p, t, l)
        };
        for b in &added {
            findings.extend(b.scan(&scan_text));
        }
    } else if let Some(range) = &args.git {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--git: {e}")))?;
        let range = Some(range.as_str()).filter(|r| !r.is_empty());
        let added =
            sources::git::history(&root, range).map_err(|e| Error::Usage(format!("--git: {e}")))?;
        let source = &source;
        let scan_text =
            |p: &str, t: &str, l: Option<&std::collections::BTreeSet<usize>>| find(source, p, t, l);
        let per: Vec<Vec<Finding>> = added
            .par_iter()
            .map(|b| {
                let mut fs = b.scan(&scan_text);
                for f in &mut fs {
                    f.commit.clone_from(&b.commit);
                    if let Some(c) = &b.commit {
                        f.fingerprint = crate::scan::fingerprint(
                            RULE_ID,
                            &format!("{}:{}:{}", f.fingerprint, c.id, f.col),
                        );
                    }
                }
                fs
            })
            .collect();
        findings.extend(per.into_iter().flatten());
    } else {
        findings = scan_path(ctx, args, &source)?;
    }
    let ignored = ignore_entries(&cwd, args);
    let before = findings.len();
    findings.retain(|f| {
        !ignored
            .iter()
            .any(|e| f.fingerprint.starts_with(e.as_str()))
    });
    if findings.len() < before {
        ctx.note(&format!(
            "{} occurrence(s) left out by .sealboxignore",
            before - findings.len()
        ));
    }
    let text = match args.format {
        ScanFormat::Human => human(&findings),
        ScanFormat::Json => report::json(&findings, true),
        ScanFormat::Sarif => report::sarif(
            &findings,
            vec![(
                RULE_ID.to_owned(),
                "a real value of an environment, in plain or encoded form".to_owned(),
            )],
            true,
        ),
        ScanFormat::Csv => report::csv(&findings, true),
        ScanFormat::Junit => report::junit(&findings),
    };
    match &args.report {
        Some(path) => {
            crate::output::write_atomic(path, text.as_bytes(), crate::output::NewMode::Private)?;
        }
        None => crate::output::write_stdout(text.as_bytes())?,
    }
    ctx.note(&if findings.is_empty() {
        format!(
            "no value of {} found",
            args.values_env.join(", ")
        )
    } else {
        format!(
            "{} occurrence(s) of values of {} found: rotate them (sealbox rotate -e ENV KEY --generate) and purge them from history",
            findings.len(),
            args.values_env.join(", ")
        )
    });
    Ok(Outcome::findings(findings.len()))
}

/// One line per occurrence: where, which key of which environment, in what form, and
/// the fingerprint `.sealboxignore` takes. No value, not even its first characters.
fn human(findings: &[Finding]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for f in findings {
        let at = f.commit.as_ref().map_or(String::new(), |c| {
            format!(
                "{} ({} <{}>, {}): ",
                c.id.get(..12).unwrap_or(&c.id),
                c.author,
                c.email,
                c.date
            )
        });
        let fp = f
            .fingerprint
            .get(..report::FINGERPRINT_SHOWN)
            .unwrap_or(&f.fingerprint);
        let _ = writeln!(
            out,
            "{at}{}:{}:{}: {RULE_ID}: {} (fingerprint {fp}; rotate the value, or add `{fp}` to .sealboxignore if it belongs there)",
            f.file, f.line, f.col, f.description
        );
    }
    out
}

/// Fingerprint prefixes (16 hex digits or more) from `.sealboxignore` in the
/// repository's root and in the scanned directory.
fn ignore_entries(cwd: &Path, args: &ScanArgs) -> Vec<String> {
    let scanned = match &args.path {
        Some(p) if p.is_dir() => p.clone(),
        Some(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
        None => cwd.to_path_buf(),
    };
    let mut dirs: Vec<PathBuf> =
        crate::git::root(&std::fs::canonicalize(&scanned).unwrap_or_else(|_| scanned.clone()))
            .ok()
            .into_iter()
            .collect();
    dirs.push(scanned);
    let mut out = Vec::new();
    for d in dirs {
        let Ok(text) = std::fs::read_to_string(d.join(".sealboxignore")) else {
            continue;
        };
        for l in text.lines().map(str::trim) {
            let e = l.split_whitespace().next().unwrap_or("");
            let e = e.strip_prefix("sha256:").unwrap_or(e);
            if (crate::scan::MIN_FINGERPRINT_PREFIX..=64).contains(&e.len())
                && e.bytes().all(|b| b.is_ascii_hexdigit())
            {
                out.push(e.to_ascii_lowercase());
            }
        }
    }
    out
}

/// A directory or file: paths shown from the repository's root inside git, else from
/// the scanned directory, as `scan` shows them.
fn scan_path(ctx: &Ctx, args: &ScanArgs, source: &Source<'_>) -> Result<Vec<Finding>> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.exists() {
        return Err(Error::io(
            &root,
            "scan",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let base = if root.is_dir() {
        root.clone()
    } else {
        root.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_owned)
    };
    let canon_base = std::fs::canonicalize(&base).unwrap_or_else(|_| base.clone());
    let shown_root = std::fs::canonicalize(&base)
        .ok()
        .and_then(|abs| crate::git::root(&abs).ok())
        .and_then(|top| std::fs::canonicalize(top).ok())
        .unwrap_or_else(|| canon_base.clone());
    let prefix = canon_base
        .strip_prefix(&shown_root)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let scan_file = |f: &Path, text: &str| {
        let shown = prefix
            .join(f.strip_prefix(&base).unwrap_or(f))
            .display()
            .to_string();
        find(source, &shown, text, None)
    };
    if root.is_file() {
        // A file named on the command line is read whole (windows, archives, binary
        // runs); one that cannot be read is an error, never a silent skip.
        return match sources::scan_file(&root, &mut Vec::new(), &scan_file) {
            Ok((found, _)) => Ok(found),
            Err(unread) => Err(Error::io(&root, "read", unread.source)),
        };
    }
    let tree = sources::scan_tree(
        &root,
        rayon::current_num_threads(),
        args.no_ignore,
        &scan_file,
    );
    for n in tree.notes {
        ctx.note(&n);
    }
    let mut out = Vec::new();
    for r in tree.results {
        out.extend(r.found);
        if let Some(unread) = r.note {
            ctx.note(&unread.note);
        }
    }
    Ok(out)
}

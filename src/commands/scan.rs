//! `sealbox scan [PATH] [--staged | --stdin]` and `sealbox scan rules check|list`: runs
//! the scanner over the chosen source, adds a finding for every file an environment lists
//! that is not encrypted, drops fingerprints listed in `.sealboxignore`, and reports.
//! Exit 0 clean, 1 findings, 2 error.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{RulesCommand, ScanArgs, ScanFormat, ScanSub};
use crate::commands::common::Ctx;
use crate::error::{Error, Result};
use crate::scan::{fingerprint, report, sources, Finding, Scanner};

fn ignore_file(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join(".sealboxignore"))
        .map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.split_whitespace().next().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Files an environment lists that are not sops files.
fn plaintext_env_files(
    base: &Path,
    only: Option<&std::collections::BTreeSet<PathBuf>>,
) -> Vec<Finding> {
    let Ok(project) = crate::config::Project::find() else {
        return Vec::new();
    };
    let Ok(files) = project.files(&[]) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in files {
        let rel = f.strip_prefix(base).unwrap_or(&f).to_path_buf();
        if only.is_some_and(|set| !set.contains(&rel)) {
            continue;
        }
        let format = crate::store::Format::from_path(&f);
        let encrypted = std::fs::read(&f)
            .ok()
            .and_then(|b| format.parse_encrypted(&b).ok())
            .is_some_and(|t| crate::sops::Sealed::from_tree(format, t).is_ok());
        if !encrypted {
            let name = rel.display().to_string();
            out.push(Finding {
                rule_id: "unencrypted-secret-file".to_owned(),
                description:
                    "a file an environment lists is not encrypted (sealbox encrypt --in-place it)"
                        .to_owned(),
                fingerprint: fingerprint("unencrypted-secret-file", &name),
                file: name,
                line: 1,
                col: 1,
                secret: String::new(),
                line_text: String::new(),
                entropy: 0.0,
                commit: None,
            });
        }
    }
    out
}

/// `(id, description)` of every built-in rule, for SARIF's rule list.
fn scanner_rules() -> Vec<(String, String)> {
    Scanner::builtin()
        .map(|s| {
            s.rules()
                .iter()
                .map(|r| (r.def.id.clone(), r.def.description.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `sealbox scan`.
///
/// # Errors
/// [`Error::Findings`] (exit 1) when something was found; usage or git errors exit 2.
pub fn run(ctx: &Ctx, args: &ScanArgs) -> Result<()> {
    let mut scanner = Scanner::builtin().map_err(Error::Usage)?;
    if let Some(ScanSub::Rules(cmd)) = &args.sub {
        return match cmd {
            RulesCommand::List => {
                let mut out = String::new();
                for r in scanner.rules() {
                    out.push_str(&format!("{}\t{}\n", r.def.id, r.def.description));
                }
                crate::output::write_stdout(out.as_bytes())
            }
            RulesCommand::Check => {
                let bad = crate::scan::rules::check(scanner.rules());
                for b in &bad {
                    eprintln!("sealbox: rule check: {b}");
                }
                ctx.note(&format!(
                    "{} rules checked, {} problems",
                    scanner.rules().len(),
                    bad.len()
                ));
                if bad.is_empty() {
                    Ok(())
                } else {
                    Err(Error::Findings(bad.len()))
                }
            }
        };
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(Path::new("."), "read the working directory", e))?;
    let mut findings: Vec<Finding> = Vec::new();
    if args.stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io(Path::new("<stdin>"), "read", e))?;
        scanner.ignore(ignore_file(&cwd));
        findings = scanner.scan("<stdin>", &text, None);
    } else if args.staged {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        scanner.ignore(ignore_file(&root));
        let added =
            crate::git::staged(&root).map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        let names: std::collections::BTreeSet<PathBuf> =
            added.iter().map(|b| PathBuf::from(&b.path)).collect();
        for b in &added {
            findings.extend(scanner.scan(&b.path, &b.text, Some(&b.lines)));
        }
        findings.extend(plaintext_env_files(&root, Some(&names)));
    } else if let Some(range) = &args.git {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--git: {e}")))?;
        scanner.ignore(ignore_file(&root));
        let range = Some(range.as_str()).filter(|r| !r.is_empty());
        let added =
            crate::git::history(&root, range).map_err(|e| Error::Usage(format!("--git: {e}")))?;
        let scanner = &scanner;
        let per: Vec<Vec<Finding>> = added
            .par_iter()
            .map(|b| {
                let mut fs = scanner.scan(&b.path, &b.text, Some(&b.lines));
                for f in &mut fs {
                    f.commit.clone_from(&b.commit);
                }
                fs
            })
            .collect();
        findings.extend(per.into_iter().flatten());
    } else {
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
                .map_or_else(|| PathBuf::from("."), Path::to_owned)
        };
        scanner.ignore(ignore_file(&base));
        let (files, notes) = if root.is_file() {
            (vec![root.clone()], Vec::new())
        } else {
            sources::walk(&root)
        };
        for n in notes {
            ctx.note(&n);
        }
        let scanner = &scanner;
        let per_file: Vec<(Vec<Finding>, Option<String>)> = files
            .par_iter()
            .map(|f| {
                let shown = f.strip_prefix(&base).unwrap_or(f).display().to_string();
                match sources::read_text(f) {
                    Ok(text) => (scanner.scan(&shown, &text, None), None),
                    Err(note) => (Vec::new(), Some(note)),
                }
            })
            .collect();
        for (fs, note) in per_file {
            findings.extend(fs);
            if let Some(n) = note {
                if !n.ends_with("(binary)") {
                    ctx.note(&n);
                }
            }
        }
        if root.is_dir() {
            let canon = std::fs::canonicalize(&root).unwrap_or(root.clone());
            findings.extend(plaintext_env_files(&canon, None));
        }
    }
    let text = match args.format {
        ScanFormat::Human => report::human(&findings, args.show_secrets),
        ScanFormat::Json => report::json(&findings, args.redact),
        ScanFormat::Sarif => report::sarif(&findings, scanner_rules(), args.redact),
        ScanFormat::Csv => report::csv(&findings, args.redact),
        ScanFormat::Junit => report::junit(&findings),
    };
    match &args.report {
        Some(path) => {
            crate::output::write_atomic(path, text.as_bytes(), crate::output::NewMode::Private)?
        }
        None => crate::output::write_stdout(text.as_bytes())?,
    }
    if findings.is_empty() {
        ctx.note("no secrets found");
        Ok(())
    } else {
        ctx.note(&format!("{} secret(s) found", findings.len()));
        Err(Error::Findings(findings.len()))
    }
}

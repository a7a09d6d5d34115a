//! `sealbox scan [PATH] [--staged | --stdin]` and `sealbox scan rules check|list`: runs
//! the scanner over the chosen source, adds a finding for every file an environment lists
//! that is not encrypted, drops fingerprints listed in the repository root's and the
//! scanned directory's `.sealboxignore`, and reports (paths from the repository root
//! inside git). Exit 0 clean, 1 findings, 2 error.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{RulesCommand, ScanArgs, ScanFormat, ScanSub};
use crate::commands::ctx::Ctx;
use crate::error::{Error, Outcome, Result};
use crate::scan::gitleaks::{self, Positional};
use crate::scan::{fingerprint, report, sources, Finding, Scanner};

/// What the ignore files and a baseline suppress.
#[derive(Default)]
struct Suppress {
    /// Content fingerprints (`sha256(rule:secret)`).
    fingerprints: Vec<String>,
    /// gitleaks' positional entries.
    positional: Vec<Positional>,
}

impl Suppress {
    fn add_entry(&mut self, entry: &str) {
        let e = entry.split_whitespace().next().unwrap_or("");
        let e = e.strip_prefix("sha256:").unwrap_or(e);
        // A whole fingerprint or the prefix the human report shows (at least 16 digits).
        if (crate::scan::MIN_FINGERPRINT_PREFIX..=64).contains(&e.len())
            && e.bytes().all(|b| b.is_ascii_hexdigit())
        {
            self.fingerprints.push(e.to_ascii_lowercase());
        } else if let Some(p) = Positional::parse(e) {
            self.positional.push(p);
        }
    }

    /// `.sealboxignore` and `.gitleaksignore` in each of `dirs` (a directory named twice
    /// is read once).
    fn read_files(&mut self, dirs: &[PathBuf]) {
        let mut read: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let canon = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            if read.contains(&canon) {
                continue;
            }
            read.push(canon);
            for name in [".sealboxignore", ".gitleaksignore"] {
                if let Ok(t) = std::fs::read_to_string(dir.join(name)) {
                    for l in t.lines().map(str::trim) {
                        if !l.is_empty() && !l.starts_with('#') {
                            self.add_entry(l);
                        }
                    }
                }
            }
        }
    }

    /// A previous JSON report: its fingerprints, its secrets, else its positions.
    fn read_baseline(&mut self, path: &Path) -> Result<()> {
        let bad = |why: String| {
            Error::input(
                path,
                format!("is not a JSON scan report: {why}"),
                Some("pass a report written with --format json"),
            )
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?;
        let items: Vec<serde_json::Value> =
            serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        for it in items {
            let field = |k: &str| it.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let fp = field("Fingerprint");
            let (rule, secret) = (field("RuleID"), field("Secret"));
            if fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit()) {
                self.fingerprints.push(fp.to_ascii_lowercase());
            } else if !rule.is_empty() && !secret.is_empty() && secret != "REDACTED" {
                self.fingerprints.push(fingerprint(rule, secret));
            } else if let Some(line) = it.get("StartLine").and_then(serde_json::Value::as_u64) {
                let commit = field("Commit");
                let entry = if commit.is_empty() {
                    format!("{}:{rule}:{line}", field("File"))
                } else {
                    format!("{commit}:{}:{rule}:{line}", field("File"))
                };
                self.add_entry(&entry);
            } else {
                return Err(bad(
                    "an entry has neither Fingerprint, Secret nor StartLine".to_owned(),
                ));
            }
        }
        Ok(())
    }
}

/// The top of the git work tree holding `dir` (canonical), if there is one.
fn repo_root(dir: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(dir).ok()?;
    let top = crate::git::root(&abs).ok()?;
    std::fs::canonicalize(top).ok()
}

/// The scanner for a root: a gitleaks config if one applies, else the built-in rules;
/// with the ignore files of the repository's root and of `root`, and the baseline.
fn scanner_for(args: &ScanArgs, root: &Path) -> Result<(Scanner, Vec<Positional>)> {
    let mut scanner = match gitleaks::find(args.config.as_deref(), root)? {
        Some(loaded) => {
            let mut s = Scanner::new(loaded.rules)?;
            s.allow(loaded.allow);
            s
        }
        None => Scanner::builtin()?,
    };
    let mut sup = Suppress::default();
    let mut dirs: Vec<PathBuf> = repo_root(root).into_iter().collect();
    dirs.push(root.to_path_buf());
    sup.read_files(&dirs);
    if let Some(b) = &args.baseline {
        sup.read_baseline(b)?;
    }
    scanner.ignore(sup.fingerprints);
    Ok((scanner, sup.positional))
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
            out.push(Finding::for_file(
                "unencrypted-secret-file",
                "a file an environment lists is not encrypted (sealbox encrypt --in-place it)",
                &name,
                Vec::new(),
            ));
        }
    }
    out
}

/// `(id, description)` of every rule in use, for SARIF's rule list.
fn scanner_rules(s: &Scanner) -> Vec<(String, String)> {
    s.rules()
        .iter()
        .map(|r| (r.def.id.clone(), r.def.description.clone()))
        .collect()
}

/// Runs `sealbox scan`.
///
/// # Errors
/// Usage or git errors (exit 2); what was found is [`Outcome::Findings`] (exit 1).
pub fn run(ctx: &Ctx, args: &ScanArgs) -> Result<Outcome> {
    if let Some(ScanSub::Rules(cmd)) = &args.sub {
        let scanner = Scanner::builtin()?;
        return match cmd {
            RulesCommand::List => {
                let mut out = String::new();
                for r in scanner.rules() {
                    out.push_str(&format!("{}\t{}\n", r.def.id, r.def.description));
                }
                crate::output::write_stdout(out.as_bytes()).map(Outcome::from)
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
                Ok(Outcome::findings(bad.len()))
            }
        };
    }
    if args.values {
        return super::scan_values::run(ctx, args);
    }
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(Path::new("."), "read the working directory", e))?;
    let mut findings: Vec<Finding> = Vec::new();
    // What a directory scan left out.
    let mut skipped: Option<sources::Skipped> = None;
    let positional;
    let scanner;
    if args.stdin {
        (scanner, positional) = scanner_for(args, &cwd)?;
        // In windows (bounded memory whatever the input), archives through their entries.
        let scanner_ref = &scanner;
        let (found, left) = sources::read::scan_reader(
            Path::new("<stdin>"),
            std::io::stdin().lock(),
            &|name: &Path, text: &str| scanner_ref.scan(&name.display().to_string(), text, None),
        )
        .map_err(|e| Error::io(Path::new("<stdin>"), "read", e))?;
        findings = found;
        let mut tally = sources::Skipped::default();
        tally.add_left(left);
        skipped = Some(tally);
    } else if args.staged {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        (scanner, positional) = scanner_for(args, &root)?;
        let added = crate::scan::sources::git::staged(&root)
            .map_err(|e| Error::Usage(format!("--staged: {e}")))?;
        let names: std::collections::BTreeSet<PathBuf> =
            added.iter().map(|b| PathBuf::from(&b.path)).collect();
        let scan_text =
            |p: &str, t: &str, l: Option<&std::collections::BTreeSet<usize>>| scanner.scan(p, t, l);
        for b in &added {
            findings.extend(b.scan(&scan_text));
        }
        findings.extend(plaintext_env_files(&root, Some(&names)));
    } else if let Some(range) = &args.git {
        let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("--git: {e}")))?;
        (scanner, positional) = scanner_for(args, &root)?;
        let range = Some(range.as_str()).filter(|r| !r.is_empty());
        let added = crate::scan::sources::git::history(&root, range)
            .map_err(|e| Error::Usage(format!("--git: {e}")))?;
        let scanner = &scanner;
        let scan_text =
            |p: &str, t: &str, l: Option<&std::collections::BTreeSet<usize>>| scanner.scan(p, t, l);
        let per: Vec<Vec<Finding>> = added
            .par_iter()
            .map(|b| {
                let mut fs = b.scan(&scan_text);
                for f in &mut fs {
                    f.commit.clone_from(&b.commit);
                }
                // Commit allowlists can only be judged now that the commit is known.
                fs.retain(|f| !scanner.allowed(f));
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
            // A bare file name's parent is "": the current directory.
            root.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_owned)
        };
        (scanner, positional) = scanner_for(args, &base)?;
        // Paths are shown from the repository's root, else from the scanned directory.
        let canon_base = std::fs::canonicalize(&base).unwrap_or_else(|_| base.clone());
        let shown_root = repo_root(&base).unwrap_or_else(|| canon_base.clone());
        let prefix = canon_base
            .strip_prefix(&shown_root)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let scanner_ref = &scanner;
        let scan_file = |f: &Path, text: &str| {
            let shown = prefix
                .join(f.strip_prefix(&base).unwrap_or(f))
                .display()
                .to_string();
            scanner_ref.scan(&shown, text, None)
        };
        let tree = if root.is_file() {
            // A file named on the command line is read whole, or the scan fails.
            let (found, left) = sources::scan_file(&root, &mut Vec::new(), &scan_file)
                .map_err(|u| Error::io(&root, "scan", u.source))?;
            let mut skipped = sources::Skipped::default();
            skipped.add_left(left);
            sources::Tree {
                results: vec![sources::FileResult {
                    path: root.clone(),
                    found,
                    note: None,
                }],
                notes: Vec::new(),
                skipped,
            }
        } else {
            sources::scan_tree(
                &root,
                rayon::current_num_threads(),
                args.no_ignore,
                &scan_file,
            )
        };
        for n in tree.notes {
            ctx.note(&n);
        }
        let mut tally = tree.skipped;
        for r in tree.results {
            findings.extend(r.found);
            if let Some(unread) = r.note {
                tally.add(unread.kind);
                ctx.note(&unread.note);
            }
        }
        skipped = Some(tally);
        if root.is_dir() {
            findings.extend(plaintext_env_files(&shown_root, None));
        }
    }
    findings.retain(|f| !positional.iter().any(|p| p.covers(f)));
    let text = match args.format {
        ScanFormat::Human => report::human(&findings, args.show_secrets),
        ScanFormat::Json => report::json(&findings, args.redact),
        ScanFormat::Sarif => report::sarif(&findings, scanner_rules(&scanner), args.redact),
        ScanFormat::Csv => report::csv(&findings, args.redact),
        ScanFormat::Junit => report::junit(&findings),
    };
    match &args.report {
        Some(path) => {
            crate::output::write_atomic(path, text.as_bytes(), crate::output::NewMode::Private)?
        }
        None => crate::output::write_stdout(text.as_bytes())?,
    }
    let verdict = if findings.is_empty() {
        "no secrets found".to_owned()
    } else {
        format!("{} secret(s) found", findings.len())
    };
    match skipped
        .as_ref()
        .and_then(|s| Some((s.describe()?, s.ignored())))
    {
        Some((what, true)) => ctx.note(&format!(
            "{verdict} (skipped {what}; --no-ignore scans git-ignored files)"
        )),
        Some((what, false)) => ctx.note(&format!("{verdict} (skipped {what})")),
        None => ctx.note(&verdict),
    }
    Ok(Outcome::findings(findings.len()))
}

//! What the scanner reads: a directory tree (honouring `.gitignore` but, unlike the
//! `ignore` crate's default, scanning hidden files such as `.env.production` or `.npmrc`;
//! only `.git/` is skipped; binary and huge files are skipped with a note), the staged
//! changes of a git repository (added lines only), or stdin.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files above this size are skipped with a note.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// A text to scan.
pub struct Blob {
    /// Name shown in findings.
    pub name: String,
    /// Content.
    pub text: String,
    /// Only these lines (1-based), for staged changes.
    pub lines: Option<BTreeSet<usize>>,
}

/// Lists the files under `root` to scan, and notes about skipped ones.
#[must_use]
pub fn walk(root: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let too_big = e.metadata().is_ok_and(|m| m.len() > MAX_FILE);
                if too_big {
                    notes.push(format!(
                        "{}: skipped (larger than {} MiB)",
                        e.path().display(),
                        MAX_FILE >> 20
                    ));
                } else {
                    files.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(err) => notes.push(format!("skipped: {err}")),
        }
    }
    files.sort();
    (files, notes)
}

/// Reads a file as text; an error (with a reason) for binary or unreadable files.
///
/// # Errors
/// The note to show.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: cannot read ({e})", path.display()))?;
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(format!("{}: skipped (binary)", path.display()));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .current_dir(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.first().copied().unwrap_or(""),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A file being collected from the diff: name, added line numbers, added lines.
type Pending = (String, BTreeSet<usize>, Vec<(usize, String)>);

/// The lines the index adds against HEAD, per file, with their line numbers in the
/// staged version.
///
/// # Errors
/// Not a git repository, or git failing.
pub fn staged(repo: &Path) -> Result<Vec<Blob>, String> {
    let diff = git(
        repo,
        &[
            "diff",
            "--cached",
            "--no-color",
            "--no-ext-diff",
            "-U0",
            "--diff-filter=ACMR",
            "--no-renames",
        ],
    )?;
    let mut blobs: Vec<Blob> = Vec::new();
    let mut current: Option<Pending> = None;
    let mut next_line = 0usize;
    let flush = |cur: Option<Pending>, blobs: &mut Vec<Blob>| {
        if let Some((name, set, added)) = cur {
            if set.is_empty() {
                return;
            }
            // Rebuild a text where each added line sits at its own line number.
            let max = set.iter().next_back().copied().unwrap_or(0);
            let mut lines = vec![String::new(); max];
            for (n, l) in added {
                if let Some(slot) = lines.get_mut(n - 1) {
                    *slot = l;
                }
            }
            blobs.push(Blob {
                name,
                text: lines.join("\n"),
                lines: Some(set),
            });
        }
    };
    for l in diff.lines() {
        if let Some(path) = l.strip_prefix("+++ b/") {
            flush(current.take(), &mut blobs);
            current = Some((path.to_owned(), BTreeSet::new(), Vec::new()));
        } else if l.starts_with("+++ ") {
            flush(current.take(), &mut blobs);
        } else if let Some(h) = l.strip_prefix("@@ ") {
            // @@ -a,b +c,d @@
            let plus = h
                .split_whitespace()
                .find(|p| p.starts_with('+'))
                .unwrap_or("+0");
            next_line = plus[1..]
                .split(',')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        } else if let Some(added) = l.strip_prefix('+') {
            if let Some((_, set, lines)) = current.as_mut() {
                if next_line > 0 {
                    set.insert(next_line);
                    lines.push((next_line, added.to_owned()));
                }
            }
            next_line += 1;
        }
    }
    flush(current.take(), &mut blobs);
    Ok(blobs)
}

/// The top of the git work tree containing `dir`.
///
/// # Errors
/// When `dir` is not inside a git repository.
pub fn repo_root(dir: &Path) -> Result<PathBuf, String> {
    git(dir, &["rev-parse", "--show-toplevel"]).map(|s| PathBuf::from(s.trim()))
}

//! What the scanner reads: a directory tree (honouring `.gitignore` but, unlike the
//! `ignore` crate's default, scanning hidden files such as `.env.production` or `.npmrc`;
//! only `.git/` is skipped; binary and huge files are skipped with a note). Staged
//! changes and history come from [`crate::git`].

use std::path::{Path, PathBuf};

/// Files above this size are skipped with a note.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

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

/// Reads a file as text into `buf` (reused between files, so scanning many files does
/// not allocate and zero fresh memory for each); an error (with a reason) for binary or
/// unreadable files.
///
/// # Errors
/// The note to show.
pub fn read_text_into<'b>(
    path: &Path,
    buf: &'b mut Vec<u8>,
) -> Result<std::borrow::Cow<'b, str>, String> {
    use std::io::Read as _;
    buf.clear();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(buf))
        .map_err(|e| format!("{}: cannot read ({e})", path.display()))?;
    if buf.iter().take(8192).any(|b| *b == 0) {
        return Err(format!("{}: skipped (binary)", path.display()));
    }
    Ok(String::from_utf8_lossy(buf))
}

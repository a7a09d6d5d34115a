//! What the scanner reads: a directory tree (honouring `.gitignore` but, unlike the
//! `ignore` crate's default, scanning hidden files such as `.env.production` or `.npmrc`;
//! only `.git/` is skipped; binary and huge files are skipped with a note). Staged
//! changes and history come from [`git`].

pub mod git;

use std::path::{Path, PathBuf};

/// Files above this size are skipped with a note.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The walker over `root`: `.gitignore` and `.ignore` files are honoured, hidden files
/// are scanned, `.git/` is skipped.
fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .git_ignore(true)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git");
    builder
}

/// What [`scan_tree`] gives back for one file: its findings, or a note on why it was
/// skipped. Files with neither are left out.
pub struct FileResult<T> {
    /// The file.
    pub path: PathBuf,
    /// What `scan` made of it.
    pub found: Vec<T>,
    /// Why it was skipped (binary, too large, unreadable).
    pub note: Option<String>,
}

/// Walks `root` on `threads` threads and hands each file's text to `scan` on the thread
/// that found it, so reading and scanning start with the walk rather than after it.
/// Results come back sorted by path; walk errors come back as notes.
pub fn scan_tree<T: Send>(
    root: &Path,
    threads: usize,
    scan: &(dyn Fn(&Path, &str) -> Vec<T> + Sync),
) -> (Vec<FileResult<T>>, Vec<String>) {
    let results = std::sync::Mutex::new(Vec::new());
    let notes = std::sync::Mutex::new(Vec::new());
    walker(root)
        .threads(threads.max(1))
        .build_parallel()
        .run(|| {
            let mut buf = Vec::new();
            let (results, notes) = (&results, &notes);
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let (found, note) = match read_text_into(&path, &mut buf) {
                            Ok(text) => (scan(&path, &text), None),
                            Err(note) => (Vec::new(), Some(note)),
                        };
                        if !found.is_empty() || note.is_some() {
                            results
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push(FileResult { path, found, note });
                        }
                    }
                    Ok(_) => {}
                    Err(err) => {
                        notes
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(format!("skipped: {err}"));
                    }
                }
                ignore::WalkState::Continue
            })
        });
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by(|a, b| a.path.cmp(&b.path));
    let mut notes = notes
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    notes.sort();
    (results, notes)
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
    let cannot = |e: std::io::Error| format!("{}: cannot read ({e})", path.display());
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_FILE {
        return Err(format!(
            "{}: skipped (larger than {} MiB)",
            path.display(),
            MAX_FILE >> 20
        ));
    }
    // The size read above is a hint (the file may grow): read to the end, no further
    // than the limit.
    buf.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE + 1).read_to_end(buf).map_err(cannot)?;
    if buf.len() as u64 > MAX_FILE {
        return Err(format!(
            "{}: skipped (larger than {} MiB)",
            path.display(),
            MAX_FILE >> 20
        ));
    }
    if memchr::memchr(0, buf.get(..8192).unwrap_or(buf)).is_some() {
        return Err(format!("{}: skipped (binary)", path.display()));
    }
    Ok(match std::str::from_utf8(buf) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(buf),
    })
}

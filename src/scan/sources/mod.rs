//! What the scanner reads: a directory tree (honouring `.gitignore` unless told not to
//! but, unlike the `ignore` crate's default, scanning hidden files such as
//! `.env.production` or `.npmrc`; only `.git/` is always skipped; binary and huge files
//! are skipped) and a count of what it skipped. Staged changes and history come from
//! [`git`].

pub mod git;

use std::path::{Path, PathBuf};

/// Files above this size are skipped with a note.
pub const MAX_FILE: u64 = 16 * 1024 * 1024;

/// The walker over `root`: `.gitignore` and `.ignore` files are honoured unless
/// `no_ignore`, hidden files are scanned, `.git/` is skipped.
fn walker(root: &Path, no_ignore: bool) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(root);
    if no_ignore {
        builder.standard_filters(false);
    } else {
        builder
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false);
    }
    builder
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git");
    builder
}

/// Why a file was not scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipKind {
    /// It holds a NUL byte in its first 8 KiB.
    Binary,
    /// It is larger than [`MAX_FILE`].
    TooLarge,
    /// It could not be opened or read.
    Unreadable,
}

/// A file that was not scanned: why, and the note that says so (its path and reason).
#[derive(Debug, Clone)]
pub struct Unread {
    /// Why.
    pub kind: SkipKind,
    /// `path: skipped (reason)`.
    pub note: String,
}

/// How many entries a directory scan left out, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    /// Files left out by `.gitignore`, `.ignore` or `.git/info/exclude`.
    pub ignored_files: usize,
    /// Directories left out by those (their contents are not counted).
    pub ignored_dirs: usize,
    /// Binary files.
    pub binary: usize,
    /// Files larger than [`MAX_FILE`].
    pub too_large: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Symbolic links (not followed).
    pub links: usize,
}

impl Skipped {
    /// Counts one unread file.
    pub fn add(&mut self, kind: SkipKind) {
        match kind {
            SkipKind::Binary => self.binary += 1,
            SkipKind::TooLarge => self.too_large += 1,
            SkipKind::Unreadable => self.unreadable += 1,
        }
    }

    /// `1 git-ignored file, 2 binary files`; `None` when nothing was skipped.
    #[must_use]
    pub fn describe(&self) -> Option<String> {
        let n = |count: usize, one: &str, many: &str| {
            (count > 0).then(|| format!("{count} {}", if count == 1 { one } else { many }))
        };
        let parts: Vec<String> = [
            n(self.ignored_files, "git-ignored file", "git-ignored files"),
            n(
                self.ignored_dirs,
                "git-ignored directory",
                "git-ignored directories",
            ),
            n(self.binary, "binary file", "binary files"),
            n(self.too_large, "too-large file", "too-large files"),
            n(self.unreadable, "unreadable file", "unreadable files"),
            n(self.links, "symbolic link", "symbolic links"),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// Whether `.gitignore` (or `.ignore`) left anything out.
    #[must_use]
    pub fn ignored(&self) -> bool {
        self.ignored_files + self.ignored_dirs > 0
    }
}

/// What [`scan_tree`] gives back for one file: its findings, or why it was not read.
/// Files with neither are left out.
pub struct FileResult<T> {
    /// The file.
    pub path: PathBuf,
    /// What `scan` made of it.
    pub found: Vec<T>,
    /// Why it was skipped (binary, too large, unreadable).
    pub note: Option<Unread>,
}

/// What [`scan_tree`] found: per-file results sorted by path, walk errors as notes, and
/// what the ignore files left out.
pub struct Tree<T> {
    /// Files with findings or a reason they were not read.
    pub results: Vec<FileResult<T>>,
    /// Walk errors.
    pub notes: Vec<String>,
    /// Entries the ignore files left out, and links not followed (unread files are
    /// counted by the caller from `results`).
    pub skipped: Skipped,
}

/// The paths one walker thread saw, handed over when the thread is done with them.
struct Seen<'a> {
    /// Each path, and whether it is a directory the walk went into.
    mine: Vec<(PathBuf, bool)>,
    all: &'a std::sync::Mutex<Vec<(PathBuf, bool)>>,
}

impl Drop for Seen<'_> {
    fn drop(&mut self) {
        self.all
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .append(&mut self.mine);
    }
}

/// Walks `root` on `threads` threads and hands each file's text to `scan` on the thread
/// that found it, so reading and scanning start with the walk rather than after it.
/// Results come back sorted by path; walk errors come back as notes. Unless `no_ignore`,
/// entries the ignore files leave out are counted (a directory as one, not descended).
pub fn scan_tree<T: Send>(
    root: &Path,
    threads: usize,
    no_ignore: bool,
    scan: &(dyn Fn(&Path, &str) -> Vec<T> + Sync),
) -> Tree<T> {
    let results = std::sync::Mutex::new(Vec::new());
    let notes = std::sync::Mutex::new(Vec::new());
    let seen = std::sync::Mutex::new(Vec::new());
    let links = std::sync::atomic::AtomicUsize::new(0);
    walker(root, no_ignore)
        .threads(threads.max(1))
        .build_parallel()
        .run(|| {
            let mut buf = Vec::new();
            let (results, notes, links) = (&results, &notes, &links);
            let mut dirs = Seen {
                mine: Vec::new(),
                all: &seen,
            };
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let (found, note) = match read_text_into(&path, &mut buf) {
                            Ok(text) => (scan(&path, &text), None),
                            Err(note) => (Vec::new(), Some(note)),
                        };
                        if !no_ignore {
                            dirs.mine.push((path.clone(), false));
                        }
                        if !found.is_empty() || note.is_some() {
                            results
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push(FileResult { path, found, note });
                        }
                    }
                    Ok(e) => {
                        if e.path_is_symlink() {
                            links.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        if !no_ignore {
                            let walked = e.file_type().is_some_and(|t| t.is_dir());
                            dirs.mine.push((e.into_path(), walked));
                        }
                    }
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
    let mut skipped = Skipped {
        links: links.into_inner(),
        ..Skipped::default()
    };
    if !no_ignore {
        count_ignored(
            seen.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
            &mut skipped,
        );
    }
    Tree {
        results,
        notes,
        skipped,
    }
}

/// Counts the entries of the directories the walk went through that it did not yield:
/// what the ignore files left out (`.git` aside). Ignored directories count once.
fn count_ignored(seen: Vec<(PathBuf, bool)>, skipped: &mut Skipped) {
    let dirs: Vec<&PathBuf> = seen.iter().filter(|(_, d)| *d).map(|(p, _)| p).collect();
    let seen: std::collections::HashSet<&Path> = seen.iter().map(|(p, _)| p.as_path()).collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name() == ".git" || seen.contains(path.as_path()) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => skipped.ignored_dirs += 1,
                _ => skipped.ignored_files += 1,
            }
        }
    }
}

/// Reads a file as text into `buf` (reused between files, so scanning many files does
/// not allocate and zero fresh memory for each); an error (with a reason) for binary,
/// too large or unreadable files.
///
/// # Errors
/// Why the file was not read, with the note to show.
pub fn read_text_into<'b>(
    path: &Path,
    buf: &'b mut Vec<u8>,
) -> Result<std::borrow::Cow<'b, str>, Unread> {
    use std::io::Read as _;
    buf.clear();
    let cannot = |e: std::io::Error| Unread {
        kind: SkipKind::Unreadable,
        note: format!("{}: cannot read ({e})", path.display()),
    };
    let too_large = || Unread {
        kind: SkipKind::TooLarge,
        note: format!(
            "{}: skipped (larger than {} MiB)",
            path.display(),
            MAX_FILE >> 20
        ),
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_FILE {
        return Err(too_large());
    }
    // The size read above is a hint (the file may grow): read to the end, no further
    // than the limit.
    buf.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
    file.take(MAX_FILE + 1).read_to_end(buf).map_err(cannot)?;
    if buf.len() as u64 > MAX_FILE {
        return Err(too_large());
    }
    if memchr::memchr(0, buf.get(..8192).unwrap_or(buf)).is_some() {
        return Err(Unread {
            kind: SkipKind::Binary,
            note: format!("{}: skipped (binary)", path.display()),
        });
    }
    Ok(match std::str::from_utf8(buf) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(buf),
    })
}

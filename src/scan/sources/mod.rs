//! What the scanner reads: a directory tree (honouring `.gitignore` unless told not to
//! but, unlike the `ignore` crate's default, scanning hidden files such as
//! `.env.production` or `.npmrc`; only `.git/` is always skipped) and a count of what it
//! left out. Every file is read ([`read`]): large ones in windows, binary ones through
//! their printable runs, archives through their entries. Staged changes and history come
//! from [`git`].

pub mod git;
pub mod read;

use std::path::{Path, PathBuf};

use super::Finding;

/// Files up to this size are read and scanned in one piece; larger ones in windows.
pub const MAX_FILE: u64 = read::WINDOW as u64;

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
    /// It could not be opened or read.
    Unreadable,
}

/// A file that was not scanned: why, and the note that says so (its path and reason).
#[derive(Debug)]
pub struct Unread {
    /// Why.
    pub kind: SkipKind,
    /// `path: cannot read (reason)`.
    pub note: String,
    /// The error behind it.
    pub source: std::io::Error,
}

/// How many entries a directory scan left out, by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    /// Files left out by `.gitignore`, `.ignore` or `.git/info/exclude`.
    pub ignored_files: usize,
    /// Directories left out by those (their contents are not counted).
    pub ignored_dirs: usize,
    /// Archive entries past the depth or size limits ([`read::MAX_DEPTH`],
    /// [`read::MAX_EXPANDED`]).
    pub archive_limits: usize,
    /// Encrypted or unreadable archive entries.
    pub archive_unreadable: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Symbolic links (not followed).
    pub links: usize,
}

impl Skipped {
    /// Counts one unread file.
    pub fn add(&mut self, kind: SkipKind) {
        match kind {
            SkipKind::Unreadable => self.unreadable += 1,
        }
    }

    /// Counts what reading one file left out.
    pub fn add_left(&mut self, left: read::Left) {
        self.archive_limits += left.over_limits;
        self.archive_unreadable += left.unreadable_entries;
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
            n(
                self.archive_limits,
                "archive entry past the depth/size limits",
                "archive entries past the depth/size limits",
            ),
            n(
                self.archive_unreadable,
                "encrypted or unreadable archive entry",
                "encrypted or unreadable archive entries",
            ),
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
pub struct FileResult {
    /// The file.
    pub path: PathBuf,
    /// What `scan` made of it.
    pub found: Vec<Finding>,
    /// Why it was not read.
    pub note: Option<Unread>,
}

/// What [`scan_tree`] found: per-file results sorted by path, walk errors as notes, and
/// what the ignore files left out.
pub struct Tree {
    /// Files with findings or a reason they were not read.
    pub results: Vec<FileResult>,
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
pub fn scan_tree(root: &Path, threads: usize, no_ignore: bool, scan: &read::ScanFn<'_>) -> Tree {
    let results = std::sync::Mutex::new(Vec::new());
    let notes = std::sync::Mutex::new(Vec::new());
    let seen = std::sync::Mutex::new(Vec::new());
    let links = std::sync::atomic::AtomicUsize::new(0);
    let left = std::sync::Mutex::new(read::Left::default());
    walker(root, no_ignore)
        .threads(threads.max(1))
        .build_parallel()
        .run(|| {
            let mut buf = Vec::new();
            let (results, notes, links, left) = (&results, &notes, &links, &left);
            let mut dirs = Seen {
                mine: Vec::new(),
                all: &seen,
            };
            Box::new(move |entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let (found, note) = match scan_file(&path, &mut buf, scan) {
                            Ok((found, l)) => {
                                if l != read::Left::default() {
                                    left.lock()
                                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                                        .add(l);
                                }
                                (found, None)
                            }
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
    skipped.add_left(
        left.into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
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

/// Scans one file. One that fits in a window and is text (the common case) is read
/// into `buf` (reused between files, so scanning many files does not allocate and zero
/// fresh memory for each) and scanned in place; a larger, binary or archive file is read
/// by [`read::scan_path`].
///
/// # Errors
/// When the file cannot be opened or read, with the note to show.
pub fn scan_file(
    path: &Path,
    buf: &mut Vec<u8>,
    scan: &read::ScanFn<'_>,
) -> Result<(Vec<Finding>, read::Left), Unread> {
    use std::io::Read as _;
    buf.clear();
    let cannot = |e: std::io::Error| Unread {
        kind: SkipKind::Unreadable,
        note: format!("{}: cannot read ({e})", path.display()),
        source: e,
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len <= MAX_FILE {
        // The size read above is a hint (the file may grow): read no further than a window.
        buf.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
        file.take(MAX_FILE + 1).read_to_end(buf).map_err(cannot)?;
        let head = buf.get(..8192).unwrap_or(buf);
        let plain = buf.len() as u64 <= MAX_FILE
            && memchr::memchr(0, head).is_none()
            && !head.starts_with(b"PK\x03\x04")
            && !head.starts_with(b"\x1f\x8b\x08")
            && head.get(257..262) != Some(b"ustar");
        if plain {
            let text = match std::str::from_utf8(buf) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(buf),
            };
            return Ok((scan(path, &text), read::Left::default()));
        }
    }
    read::scan_path(path, scan).map_err(cannot)
}

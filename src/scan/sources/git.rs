//! What the scanner reads from git, through libgit2: the lines the index adds to HEAD
//! (the pre-commit scan) and the lines each commit of a range adds (history scans, each
//! blob once), with two lines of context so a value added under an unchanged name is
//! seen. A binary file (an archive, a keystore, a compiled file) has no lines: its new
//! version is read whole, as the tree scan reads it (printable runs, archive entries).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use git2::{Diff, DiffOptions, Sort};

use crate::git::{err, open, GitError};
use crate::scan::Finding;

/// The largest binary blob read from history or the index (bigger ones are left out,
/// as the tree scan leaves out what it cannot read whole).
const MAX_BLOB: usize = 256 << 20;

/// Added lines of one file version, placed at their line numbers.
pub struct Added {
    /// Path in the repository.
    pub path: String,
    /// A text where line `n` holds the added line `n` (other lines are empty).
    pub text: String,
    /// The added line numbers (1-based).
    pub lines: BTreeSet<usize>,
    /// The commit that added them (history scans).
    pub commit: Option<CommitInfo>,
    /// A binary file's new version, read when it is scanned (then `text` and `lines`
    /// are empty): the repository's directory and the blob.
    pub blob: Option<(std::path::PathBuf, git2::Oid)>,
}

/// What scans a text: `(path, text, added lines)` to findings.
pub type TextScan<'a> = &'a (dyn Fn(&str, &str, Option<&BTreeSet<usize>>) -> Vec<Finding> + Sync);

impl Added {
    /// The findings of `scan` in this version: its added lines, or for a binary file
    /// its printable runs and archive entries (`a.zip!dir/file`).
    pub fn scan(&self, scan: TextScan<'_>) -> Vec<Finding> {
        let Some((dir, oid)) = &self.blob else {
            return scan(&self.path, &self.text, Some(&self.lines));
        };
        // One blob in memory at a time per scanning thread, however long the history.
        let Ok(repo) = git2::Repository::open(dir) else {
            return Vec::new();
        };
        let Ok(blob) = repo.find_blob(*oid) else {
            return Vec::new();
        };
        let each = |name: &Path, text: &str| scan(&name.to_string_lossy(), text, None);
        super::read::scan_reader(Path::new(&self.path), blob.content(), &each)
            .map(|(found, _)| found)
            .unwrap_or_default()
    }
}

/// Who committed what, when.
#[derive(Clone, Debug, Default)]
pub struct CommitInfo {
    /// Full hash.
    pub id: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339 (UTC).
    pub date: String,
    /// First line of the message.
    pub message: String,
}

fn diff_opts() -> DiffOptions {
    let mut o = DiffOptions::new();
    // Two lines of context: rules that read a name and its value on consecutive lines
    // (`lines = 2|3`) see an unchanged name above an added value.
    o.context_lines(2).ignore_submodules(true);
    o
}

/// One file of a diff: path, new blob, added line numbers, the lines, whether binary.
type DiffFile = (
    String,
    git2::Oid,
    BTreeSet<usize>,
    Vec<(usize, String)>,
    bool,
);

/// Collects the `+` lines of a diff per file, and the new blobs of binary files; `seen`
/// says which new blobs were read already.
fn added_lines(
    repo: &git2::Repository,
    diff: &Diff<'_>,
    commit: Option<&CommitInfo>,
    seen: Option<&mut HashSet<git2::Oid>>,
) -> Result<Vec<Added>, GitError> {
    let files: std::cell::RefCell<Vec<DiffFile>> = std::cell::RefCell::new(Vec::new());
    diff.foreach(
        &mut |delta, _| {
            let path = delta
                .new_file()
                .path()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.borrow_mut().push((
                path,
                delta.new_file().id(),
                BTreeSet::new(),
                Vec::new(),
                false,
            ));
            true
        },
        Some(&mut |delta, _| {
            // A binary file with a new version (not a deletion).
            if !delta.new_file().id().is_zero() {
                if let Some(f) = files.borrow_mut().last_mut() {
                    f.4 = true;
                }
            }
            true
        }),
        None,
        Some(&mut |_delta, _hunk, line| {
            let added = line.origin() == '+';
            if added || line.origin() == ' ' {
                let mut files = files.borrow_mut();
                if let (Some(n), Some(f)) = (line.new_lineno(), files.last_mut()) {
                    let n = n as usize;
                    let text = String::from_utf8_lossy(line.content());
                    if added {
                        f.2.insert(n);
                    }
                    f.3.push((n, text.trim_end_matches(['\n', '\r']).to_owned()));
                }
            }
            true
        }),
    )
    .map_err(|e| err(&e))?;
    let mut seen = seen;
    let mut out = Vec::new();
    for (path, oid, set, added, binary) in files.into_inner() {
        if set.is_empty() && !binary {
            continue;
        }
        if let Some(s) = seen.as_deref_mut() {
            if !s.insert(oid) {
                continue;
            }
        }
        if binary {
            // The size from the object's header: a huge blob is never loaded.
            let size = repo
                .odb()
                .and_then(|odb| odb.read_header(oid))
                .map_or(usize::MAX, |(size, _)| size);
            if size <= MAX_BLOB {
                out.push(Added {
                    path,
                    text: String::new(),
                    lines: BTreeSet::new(),
                    commit: commit.cloned(),
                    blob: Some((repo.path().to_path_buf(), oid)),
                });
            }
            continue;
        }
        let max = set.iter().next_back().copied().unwrap_or(0);
        let mut lines = vec![String::new(); max];
        for (n, l) in added {
            if let Some(slot) = lines.get_mut(n.saturating_sub(1)) {
                *slot = l;
            }
        }
        out.push(Added {
            path,
            text: lines.join("\n"),
            lines: set,
            commit: commit.cloned(),
            blob: None,
        });
    }
    Ok(out)
}

/// The lines the index adds against HEAD (all lines of files new to the index).
///
/// # Errors
/// Not a repository, or an unreadable index.
pub fn staged(dir: &Path) -> Result<Vec<Added>, GitError> {
    let repo = open(dir)?;
    let head = match repo.head() {
        Ok(h) => Some(h.peel_to_tree().map_err(|e| err(&e))?),
        // A repository without commits yet: everything staged is new.
        Err(_) => None,
    };
    let index = repo.index().map_err(|e| err(&e))?;
    let diff = repo
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut diff_opts()))
        .map_err(|e| err(&e))?;
    added_lines(&repo, &diff, None, None)
}

fn info(c: &git2::Commit<'_>) -> CommitInfo {
    let a = c.author();
    let secs = a.when().seconds();
    let date = time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    CommitInfo {
        id: c.id().to_string(),
        author: a.name().unwrap_or_default().to_owned(),
        email: a.email().unwrap_or_default().to_owned(),
        date,
        message: c.summary().unwrap_or_default().to_owned(),
    }
}

/// The lines each commit of `range` adds (`A..B`, a single revision for its whole
/// history, or all of HEAD's history), oldest first; merge commits add nothing of their
/// own (as `git log -p` shows them) and a blob met twice is scanned once.
///
/// # Errors
/// Not a repository, or a range git cannot resolve.
pub fn history(dir: &Path, range: Option<&str>) -> Result<Vec<Added>, GitError> {
    let repo = open(dir)?;
    let mut walk = repo.revwalk().map_err(|e| err(&e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
        .map_err(|e| err(&e))?;
    match range {
        Some(r) if r.contains("..") => walk.push_range(r).map_err(|e| GitError::BadRange {
            range: r.to_owned(),
            message: e.message().to_owned(),
        })?,
        Some(r) => {
            let obj = repo.revparse_single(r).map_err(|e| GitError::BadRange {
                range: r.to_owned(),
                message: e.message().to_owned(),
            })?;
            walk.push(obj.id()).map_err(|e| err(&e))?;
        }
        None => match walk.push_head() {
            Ok(()) => {}
            // No commits yet: no history.
            Err(_) => return Ok(Vec::new()),
        },
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in walk {
        let id = id.map_err(|e| err(&e))?;
        let commit = repo.find_commit(id).map_err(|e| err(&e))?;
        if commit.parent_count() > 1 {
            continue;
        }
        let tree = commit.tree().map_err(|e| err(&e))?;
        let parent = match commit.parent(0) {
            Ok(p) => Some(p.tree().map_err(|e| err(&e))?),
            Err(_) => None,
        };
        let diff = repo
            .diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut diff_opts()))
            .map_err(|e| err(&e))?;
        let meta = info(&commit);
        out.extend(added_lines(&repo, &diff, Some(&meta), Some(&mut seen))?);
    }
    Ok(out)
}

//! Git repositories through libgit2 (git2): finding the work tree, the commit time of
//! each line of a file (`check`'s `max_age`), a file's committed versions (`check`'s
//! emptied values), and the hooks directory and local config (`git setup`). What the
//! scanner reads from git (staged and history lines) is in `scan::sources::git`.
//! Nothing here runs the git CLI.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::Repository;

/// What went wrong talking to git.
#[derive(Debug)]
#[non_exhaustive]
pub enum GitError {
    /// The directory is not inside a git work tree.
    NotARepository(PathBuf),
    /// The repository is bare.
    Bare,
    /// A revision range does not resolve.
    BadRange {
        /// The range as given.
        range: String,
        /// libgit2's message.
        message: String,
    },
    /// libgit2 failed.
    Git(String),
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotARepository(d) => {
                write!(f, "{} is not inside a git repository", d.display())
            }
            GitError::Bare => f.write_str("a bare repository has no work tree"),
            GitError::BadRange { range, message } => {
                write!(f, "cannot resolve the range '{range}': {message}")
            }
            GitError::Git(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for GitError {}

impl From<GitError> for crate::error::Error {
    fn from(e: GitError) -> Self {
        crate::error::Error::Usage(e.to_string())
    }
}

pub(crate) fn err(e: &git2::Error) -> GitError {
    GitError::Git(e.message().to_owned())
}

/// Opens the repository containing `dir`.
///
/// # Errors
/// When `dir` is not inside a git work tree.
pub fn open(dir: &Path) -> Result<Repository, GitError> {
    let repo =
        Repository::discover(dir).map_err(|_| GitError::NotARepository(dir.to_path_buf()))?;
    if repo.workdir().is_none() {
        return Err(GitError::Bare);
    }
    Ok(repo)
}

/// The top of the work tree containing `dir`.
///
/// # Errors
/// When `dir` is not inside a git work tree.
pub fn root(dir: &Path) -> Result<PathBuf, GitError> {
    let repo = open(dir)?;
    repo.workdir().map(Path::to_path_buf).ok_or(GitError::Bare)
}

/// Unix time of the last commit that changed each line (1-based) of `file` as it is
/// on disk; lines not committed yet are absent. `None` outside git or for a file git
/// does not track.
#[must_use]
pub fn line_times(file: &Path) -> Option<HashMap<usize, i64>> {
    let abs = std::path::absolute(file).ok()?;
    let repo = open(abs.parent()?).ok()?;
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let canon = std::fs::canonicalize(&abs).ok()?;
    let rel = canon.strip_prefix(&workdir).ok()?;
    let committed = repo.blame_file(rel, None).ok()?;
    let contents = std::fs::read(&canon).ok()?;
    let blame = committed.blame_buffer(&contents).ok()?;
    let mut times: HashMap<git2::Oid, i64> = HashMap::new();
    let mut out = HashMap::new();
    for hunk in blame.iter() {
        let id = hunk.final_commit_id();
        if id.is_zero() {
            continue;
        }
        let t = match times.get(&id) {
            Some(t) => *t,
            None => {
                let t = repo.find_commit(id).ok()?.committer().when().seconds();
                times.insert(id, t);
                t
            }
        };
        let start = hunk.final_start_line();
        for n in start..start + hunk.lines_in_hunk() {
            out.insert(n, t);
        }
    }
    Some(out)
}

/// The committed versions of `file` (newest first, each distinct blob once), from the
/// history of HEAD, at most `max` of them. Empty outside git.
#[must_use]
pub fn committed_versions(file: &Path, max: usize) -> Vec<Vec<u8>> {
    let Some(found) = (|| {
        let abs = std::path::absolute(file).ok()?;
        let repo = open(abs.parent()?).ok()?;
        let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
        let canon = std::fs::canonicalize(&abs).ok()?;
        let rel = canon.strip_prefix(&workdir).ok()?.to_path_buf();
        Some((repo, rel))
    })() else {
        return Vec::new();
    };
    let (repo, rel) = found;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let Ok(mut walk) = repo.revwalk() else {
        return out;
    };
    if walk.push_head().is_err() {
        return out;
    }
    // A bounded walk: enough history to see what a file used to hold.
    for oid in walk.flatten().take(2_000) {
        if out.len() >= max {
            break;
        }
        let Some(entry) = repo
            .find_commit(oid)
            .ok()
            .and_then(|c| c.tree().ok())
            .and_then(|t| t.get_path(&rel).ok())
        else {
            continue;
        };
        if !seen.insert(entry.id()) {
            continue;
        }
        if let Ok(blob) = repo.find_blob(entry.id()) {
            out.push(blob.content().to_vec());
        }
    }
    out
}

/// Where the repository's hooks live (`core.hooksPath`, else `.git/hooks`).
///
/// # Errors
/// Not a repository.
pub fn hooks_dir(dir: &Path) -> Result<PathBuf, GitError> {
    let repo = open(dir)?;
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    Ok(match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().map_or_else(|| p.clone(), |w| w.join(&p)),
        None => repo.path().join("hooks"),
    })
}

/// Sets entries in the repository's own config (`.git/config`).
///
/// # Errors
/// Not a repository, or a config that cannot be written.
pub fn set_local_config(dir: &Path, entries: &[(&str, &str)]) -> Result<(), GitError> {
    let repo = open(dir)?;
    let mut cfg = repo
        .config()
        .and_then(|c| c.open_level(git2::ConfigLevel::Local))
        .map_err(|e| err(&e))?;
    for (k, v) in entries {
        cfg.set_str(k, v).map_err(|e| err(&e))?;
    }
    Ok(())
}

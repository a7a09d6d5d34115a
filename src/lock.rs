//! Exclusive locks for read-modify-write of an encrypted file (`set`, `unset`, `edit`'s
//! save, `rotate`, `updatekeys`, the merge driver): `flock` on a lock file kept outside
//! the user's tree, in a private directory (`/run/user/UID/sealbox/locks`, else
//! `$XDG_RUNTIME_DIR/sealbox/locks`, `$TMPDIR/sealbox-UID/locks`, `~/.cache/sealbox/locks`,
//! the first one that is a 0700 directory of the user's), named by a hash of the file's
//! absolute path, and removed when the lock is released. The kernel releases the lock
//! when its holder exits, even after `kill -9`, so a crash never leaves a file locked;
//! concurrent writers serialize and each sees the other's result.

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{flock, FlockOperation};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A held lock; released when dropped (or when the process dies). Its file is removed
/// as it is released, so lock files do not pile up (one left by a killed holder is
/// reused and removed by the next).
#[derive(Debug)]
pub struct FileLock {
    file: File,
    at: PathBuf,
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Removed while still held: whoever waits on this file sees it gone and opens
        // the name afresh (see `lock`); the lock itself ends when `file` closes.
        let _ = fs::remove_file(&self.at);
        let _ = flock(&self.file, FlockOperation::Unlock);
    }
}

/// The private directory lock files live in, created 0700 and checked to be ours: the
/// first of `/run/user/UID/sealbox`, `$XDG_RUNTIME_DIR/sealbox`, `$TMPDIR/sealbox-UID` and
/// `$XDG_CACHE_HOME/sealbox` (else `~/.cache/sealbox`) that is usable. In a shared
/// `/tmp` another user may have made `sealbox-UID` first; then the next one is used.
fn lock_dir() -> std::io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    let mut bases = Vec::new();
    // The same place whatever the environment (a cron job without XDG_RUNTIME_DIR must
    // meet the shell's writers): the user's runtime directory by its usual path first.
    let run = PathBuf::from(format!("/run/user/{uid}"));
    if fs::symlink_metadata(&run).is_ok_and(|m| m.is_dir() && m.uid() == uid) {
        bases.push(run.join("sealbox"));
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        if d.is_absolute() && d.is_dir() && !bases.contains(&d.join("sealbox")) {
            bases.push(d.join("sealbox"));
        }
    }
    // A fixed place next, then $TMPDIR's (two shells with different TMPDIRs still meet
    // in /tmp).
    bases.push(PathBuf::from(format!("/tmp/sealbox-{uid}")));
    let tmp = std::env::temp_dir().join(format!("sealbox-{uid}"));
    if !bases.contains(&tmp) {
        bases.push(tmp);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    if let Some(c) = cache {
        bases.push(c.join("sealbox"));
    }
    let mut last = std::io::Error::other("no directory for lock files");
    for base in bases {
        match private_dir(&base, uid).and_then(|()| {
            let dir = base.join("locks");
            private_dir(&dir, uid).map(|()| dir)
        }) {
            Ok(dir) => return Ok(dir),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Creates `d` (0700) if needed and checks it is a real directory of `uid` that nobody
/// else can write.
fn private_dir(d: &Path, uid: u32) -> std::io::Result<()> {
    if let Err(e) = crate::output::create_private_dirs(d) {
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(e);
        }
    }
    let m = fs::symlink_metadata(d)?;
    if !m.is_dir() || m.uid() != uid || m.permissions().mode() & 0o022 != 0 {
        return Err(std::io::Error::other(format!(
            "{} is not a private directory of this user",
            d.display()
        )));
    }
    Ok(())
}

/// The absolute path `path` names (symlinks in its directory resolved), whether or not
/// the file exists yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = fs::canonicalize(parent).unwrap_or_else(|_| parent.to_path_buf());
    match path.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    }
}

/// Takes the exclusive lock for `path`, waiting for another writer to finish.
///
/// # Errors
/// [`Error::Io`] naming `path` when the lock directory cannot be used.
pub fn lock(path: &Path) -> Result<FileLock> {
    static DIR: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let dir = DIR
        .get_or_init(|| lock_dir().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| {
            Error::io(
                path,
                "create the lock directory for",
                std::io::Error::other(e.clone()),
            )
        })?;
    let digest = Sha256::digest(absolute(path).as_os_str().as_encoded_bytes());
    let at = dir.join(format!("{}.lock", hex::encode(&digest[..16])));
    let mut said = false;
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
            .open(&at)
            .map_err(|e| Error::io(path, "open the lock file for", e))?;
        // Short waits (another `set` finishing) pass silently; a long one says why.
        let mut held = false;
        for _ in 0..100 {
            if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
                held = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        if !held {
            if !said {
                eprintln!(
                    "sealbox: waiting for another sealbox that is writing {}",
                    path.display()
                );
                said = true;
            }
            flock(&file, FlockOperation::LockExclusive)
                .map_err(|e| Error::io(path, "lock", std::io::Error::from(e)))?;
        }
        // The holder before us removes the lock file as it lets go: a lock taken on a
        // file that is no longer at its name guards nothing, so open the name again.
        let ours = file.metadata().ok();
        let named = fs::symlink_metadata(&at).ok();
        if let (Some(a), Some(b)) = (ours, named) {
            if a.dev() == b.dev() && a.ino() == b.ino() {
                return Ok(FileLock { file, at });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writers on many threads (each lock its own open file, as separate processes
    /// have) serialize a read-modify-write, including across the removal of the lock
    /// file between holders, and leave no lock file behind.
    #[test]
    fn writers_serialize_and_leave_no_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let counter = dir.path().join("counter");
        fs::write(&counter, "0").unwrap();
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let counter = counter.clone();
                std::thread::spawn(move || {
                    for _ in 0..40 {
                        let held = lock(&counter).unwrap();
                        let n: u32 = fs::read_to_string(&counter).unwrap().parse().unwrap();
                        std::thread::yield_now();
                        fs::write(&counter, (n + 1).to_string()).unwrap();
                        drop(held);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(fs::read_to_string(&counter).unwrap(), "240");
        let held = lock(&counter).unwrap();
        let at = held.at.clone();
        assert!(at.exists());
        drop(held);
        assert!(!at.exists(), "{} outlived its lock", at.display());
    }
}

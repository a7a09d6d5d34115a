//! Exclusive locks for read-modify-write of an encrypted file (`set`, `unset`, `edit`'s
//! save, `rotate`, `updatekeys`, the merge driver): `flock` on a lock file kept outside
//! the user's tree, in a private directory (`$XDG_RUNTIME_DIR/sealbox/locks`, else
//! `$TMPDIR/sealbox-UID/locks`), named by a hash of the file's absolute path. The kernel
//! releases the lock when its holder exits, even after `kill -9`, so a crash never
//! leaves a file locked; concurrent writers serialize and each sees the other's result.

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::{flock, FlockOperation};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// A held lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// The private directory lock files live in, created 0700 and checked to be ours.
fn lock_dir() -> std::io::Result<PathBuf> {
    let uid = rustix::process::geteuid().as_raw();
    let base = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(d) if d.is_absolute() && d.is_dir() => d.join("sealbox"),
        _ => std::env::temp_dir().join(format!("sealbox-{uid}")),
    };
    let dir = base.join("locks");
    for d in [&base, &dir] {
        match fs::DirBuilder::new().mode(0o700).create(d) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        // In a shared /tmp another user could have made it first: use it only if it is
        // a real directory of ours that nobody else can write.
        let m = fs::symlink_metadata(d)?;
        if !m.is_dir() || m.uid() != uid || m.permissions().mode() & 0o022 != 0 {
            return Err(std::io::Error::other(format!(
                "{} is not a private directory of this user",
                d.display()
            )));
        }
    }
    Ok(dir)
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
    let dir = lock_dir().map_err(|e| Error::io(path, "create the lock directory for", e))?;
    let digest = Sha256::digest(absolute(path).as_os_str().as_encoded_bytes());
    let name = format!("{}.lock", hex::encode(&digest[..16]));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(dir.join(name))
        .map_err(|e| Error::io(path, "open the lock file for", e))?;
    // Short waits (another `set` finishing) pass silently; a long one says why.
    for _ in 0..100 {
        if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
            return Ok(FileLock { _file: file });
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    eprintln!(
        "sealbox: waiting for another sealbox that is writing {}",
        path.display()
    );
    flock(&file, FlockOperation::LockExclusive)
        .map_err(|e| Error::io(path, "lock", std::io::Error::from(e)))?;
    Ok(FileLock { _file: file })
}

//! File output: atomic writes (temp file in the same directory, fsync, rename) that keep
//! an existing file's mode, 0600 for new plaintext, and stdout writes where a closed pipe
//! counts as success. The only module that writes files for commands.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::error::{Error, Result};

/// Mode for a new file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NewMode {
    /// Encrypted content: 0644.
    Public,
    /// Plaintext secrets: 0600.
    Private,
}

/// Writes `bytes` to `path` atomically. An existing file keeps its mode; a new one
/// gets `mode`. After any failure the old file is untouched and no temp file remains.
/// Replacing an existing file is fsynced before the rename, so a crash cannot leave it
/// empty; a new file (e.g. under `--output-dir`, where the input still exists) is not.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: NewMode) -> Result<()> {
    write_file(path, bytes, mode, false)
}

/// Like [`write_atomic`] for a file that most likely does not exist yet (a mirror under
/// `--output-dir`): tries to create it directly and only then looks for an old one.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_new(path: &Path, bytes: &[u8], mode: NewMode) -> Result<()> {
    write_file(path, bytes, mode, true)
}

fn write_file(path: &Path, bytes: &[u8], mode: NewMode, expect_new: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if expect_new {
        let perm = match mode {
            NewMode::Public => 0o644,
            NewMode::Private => 0o600,
        };
        if write_new_unnamed(dir, path, bytes, perm)? {
            return Ok(());
        }
    }
    let existing = fs::metadata(path).ok();
    let durable = existing.is_some();
    let perm = match existing {
        // Plaintext never inherits group/other bits from the file it replaces.
        Some(m) if mode == NewMode::Private => m.permissions().mode() & 0o7700,
        Some(m) => m.permissions().mode() & 0o7777,
        None => match mode {
            NewMode::Public => 0o644,
            NewMode::Private => 0o600,
        },
    };
    if !durable && write_new_unnamed(dir, path, bytes, perm)? {
        return Ok(());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".sealbox-")
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(if durable {
            0o600
        } else {
            perm
        }))
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, "create a temporary file beside", e))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io(path, "write", e))?;
    if durable {
        tmp.as_file()
            .sync_all()
            .map_err(|e| Error::io(path, "sync", e))?;
        // Keep the replaced file's exact mode (not filtered by the umask).
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(perm))
            .map_err(|e| Error::io(path, "set mode of", e))?;
    }
    tmp.persist(path)
        .map_err(|e| Error::io(path, "replace", e.error))?;
    Ok(())
}

/// Creates a new file by writing an unnamed inode (`O_TMPFILE`) and linking it into
/// place, so the name appears only with its full content and no temp name is ever
/// visible. Returns `Ok(false)` when the file system or kernel cannot do this (or the
/// name exists by now), so the caller falls back to temp file + rename.
fn write_new_unnamed(dir: &Path, path: &Path, bytes: &[u8], perm: u32) -> Result<bool> {
    use rustix::fs::{linkat, openat, AtFlags, Mode, OFlags, CWD};
    let fd = match openat(
        CWD,
        dir,
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_bits_truncate(perm),
    ) {
        Ok(fd) => fd,
        Err(_) => return Ok(false),
    };
    let mut file = fs::File::from(fd);
    file.write_all(bytes)
        .map_err(|e| Error::io(path, "write", e))?;
    // Linking the descriptor itself needs CAP_DAC_READ_SEARCH on older kernels; the
    // /proc/self/fd route works for everyone.
    if linkat(&file, "", CWD, path, AtFlags::EMPTY_PATH).is_ok() {
        return Ok(true);
    }
    let proc_path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&file));
    match linkat(CWD, proc_path.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW) {
        Ok(()) => Ok(true),
        Err(_) => Ok(false),
    }
}

/// Writes to stdout; a closed pipe is not an error.
///
/// # Errors
/// Other stdout errors.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(Path::new("<stdout>"), "write", e)),
    }
}

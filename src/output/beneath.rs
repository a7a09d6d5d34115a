//! Writes under `--output-dir` that cannot be sent elsewhere by a link: the file's
//! directory is opened from the output root with `openat2(RESOLVE_BENEATH |
//! RESOLVE_NO_SYMLINKS)` and the file created in it.

use std::fs;
use std::io;
use std::path::Path;

use super::{temp_prefix, write_new_with, Content, NewMode};
use crate::error::{Error, Result};

/// Writes `path`, a file under the output directory `root` (`--output-dir`), without
/// ever following a symbolic link below `root`: its directory is opened with
/// `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` from `root`, and the file is created
/// in it as an unnamed inode linked into place (or renamed over what is there, which
/// replaces a planted link rather than writing through it). Where the kernel has no
/// `openat2` or the file system no `O_TMPFILE`, the path-based [`write_new_with`] runs,
/// which refuses a link at the file's own name.
///
/// # Errors
/// [`Error::Io`] naming the path (a link in the way is such an error).
pub fn write_beneath(
    root: Option<&Path>,
    path: &Path,
    content: Content<'_>,
    mode: NewMode,
) -> Result<()> {
    let Some((root, rel)) = root.and_then(|r| Some((r, path.strip_prefix(r).ok()?))) else {
        return write_new_with(path, content, mode);
    };
    match write_beneath_fd(root, rel, path, content, mode) {
        Ok(true) => Ok(()),
        Ok(false) => write_new_with(path, content, mode),
        Err(e) => Err(e),
    }
}

fn write_beneath_fd(
    root: &Path,
    rel: &Path,
    shown: &Path,
    content: Content<'_>,
    mode: NewMode,
) -> Result<bool> {
    use rustix::fs::{linkat, openat, openat2, renameat, AtFlags, Mode, OFlags, ResolveFlags, CWD};
    let Some(name) = rel.file_name() else {
        return Ok(false);
    };
    let perm = mode.bits();
    let dir_flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(root_fd) = openat(CWD, root, dir_flags, Mode::empty()) else {
        return Ok(false);
    };
    let parent = rel.parent().filter(|p| !p.as_os_str().is_empty());
    let dir_fd = match parent {
        None => root_fd,
        Some(p) => match openat2(
            &root_fd,
            p,
            dir_flags,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
        ) {
            Ok(fd) => fd,
            // No openat2 here (old kernel, or a seccomp profile that refuses it).
            Err(rustix::io::Errno::NOSYS | rustix::io::Errno::PERM) => return Ok(false),
            Err(e) => {
                return Err(Error::io(
                    shown,
                    "open the output directory (no symbolic links below --output-dir) for",
                    e.into(),
                ))
            }
        },
    };
    let Ok(fd) = openat(
        &dir_fd,
        ".",
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_bits_truncate(perm),
    ) else {
        return Ok(false);
    };
    let mut file = fs::File::from(fd);
    content(&mut file).map_err(|e| Error::io(shown, "write", e))?;
    let proc_path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&file));
    let link = |to: &Path| {
        linkat(&file, "", &dir_fd, to, AtFlags::EMPTY_PATH).or_else(|_| {
            linkat(
                CWD,
                proc_path.as_str(),
                &dir_fd,
                to,
                AtFlags::SYMLINK_FOLLOW,
            )
        })
    };
    match link(Path::new(name)) {
        Ok(()) => return Ok(true),
        Err(rustix::io::Errno::EXIST) => {}
        Err(_) => return Ok(false),
    }
    // Something is there already (an earlier run, or a planted link): replace the name.
    for _ in 0..8 {
        let mut r = [0u8; 8];
        crate::crypto::rng::fill(&mut r)
            .map_err(|e| Error::io(shown, "name a temporary file beside", io::Error::other(e)))?;
        let tmp = format!("{}{}.tmp", temp_prefix(), hex::encode(r));
        match link(Path::new(&tmp)) {
            Ok(()) => {
                return match renameat(&dir_fd, tmp.as_str(), &dir_fd, name) {
                    Ok(()) => Ok(true),
                    Err(e) => {
                        let _ = rustix::fs::unlinkat(&dir_fd, tmp.as_str(), AtFlags::empty());
                        Err(Error::io(shown, "replace", e.into()))
                    }
                };
            }
            Err(rustix::io::Errno::EXIST) => continue,
            Err(_) => return Ok(false),
        }
    }
    Ok(false)
}

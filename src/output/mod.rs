//! File output: atomic writes (an unnamed temp inode in the same directory, fsync, a
//! link to a `.sealbox-PID-….tmp` name and a rename) that keep an existing file's mode,
//! 0600 for new plaintext, and stdout writes where a closed pipe counts as success. A
//! target that is not a regular file (a FIFO, a terminal, `/dev/stdout`, `/dev/null`) is
//! written into, never replaced; a symbolic link is written through to its target, as
//! sops does, so the target never stays in plaintext behind a link turned ciphertext.
//! Content comes as bytes or as a writer callback (large binaries are base64-encoded
//! straight into the file). The only module that writes files for commands.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt as _, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

mod beneath;
mod dirs;
mod stale;

pub use beneath::write_beneath;
pub use dirs::{create_dirs_beneath, create_private_dirs};
use stale::clean_stale_once;
pub use stale::{clean_stale, pid_alive, temp_file_pid};

/// Mode for a new file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NewMode {
    /// Encrypted content: 0644.
    Public,
    /// Plaintext secrets: 0600.
    Private,
    /// As sops writes files (called as `sops`): a new file 0666 less the umask, an
    /// existing one keeps its mode, plaintext or not.
    AsSops,
}

impl NewMode {
    /// The mode of a new file (the umask still applies).
    pub(crate) fn bits(self) -> u32 {
        match self {
            NewMode::Public => 0o644,
            NewMode::Private => 0o600,
            NewMode::AsSops => 0o666,
        }
    }
}

/// Something that writes a file's content into a writer (once per attempt).
pub type Content<'a> = &'a dyn Fn(&mut dyn Write) -> io::Result<()>;

/// Writes `bytes` to `path` atomically. An existing file keeps its mode and, where
/// this process may give it, its owner; a new one gets `mode`. After any failure the
/// old file is untouched and no temp file remains. (With [`NewMode::AsSops`] only, a
/// file that cannot be replaced is rewritten in place, as sops does: see
/// `write_in_place`.)
/// Replacing an existing file is fsynced before the rename, so a crash cannot leave it
/// empty; a new file (e.g. under `--output-dir`, where the input still exists) is not.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: NewMode) -> Result<()> {
    write_file(path, &|w| w.write_all(bytes), mode, false)
}

/// [`write_atomic`] with the content written by `content`.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_atomic_with(path: &Path, content: Content<'_>, mode: NewMode) -> Result<()> {
    write_file(path, content, mode, false)
}

/// Like [`write_atomic`] for a file that most likely does not exist yet (a mirror under
/// `--output-dir`): tries to create it directly and only then looks for an old one.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_new(path: &Path, bytes: &[u8], mode: NewMode) -> Result<()> {
    write_file(path, &|w| w.write_all(bytes), mode, true)
}

/// Creates `path` with `bytes`, atomically, only if nothing has that name: an existing
/// file (or link, or anything else) is left alone and the error's kind is
/// [`io::ErrorKind::AlreadyExists`]. For a file another writer may create meanwhile.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn create_only(path: &Path, bytes: &[u8], mode: NewMode) -> Result<()> {
    use rustix::fs::{linkat, openat, AtFlags, Mode, OFlags, CWD};
    let perm = mode.bits();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let exists = || {
        Error::io(
            path,
            "create",
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "another file has its name now",
            ),
        )
    };
    if let Ok(fd) = openat(
        CWD,
        dir,
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_bits_truncate(perm),
    ) {
        let mut file = fs::File::from(fd);
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(path, "write", e))?;
        let proc_path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&file));
        let linked = linkat(&file, "", CWD, path, AtFlags::EMPTY_PATH).or_else(|e| {
            if e == rustix::io::Errno::EXIST {
                Err(e)
            } else {
                linkat(CWD, proc_path.as_str(), CWD, path, AtFlags::SYMLINK_FOLLOW)
            }
        });
        match linked {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => return Err(exists()),
            Err(_) => {}
        }
    }
    // No O_TMPFILE here: a named temp file, linked into place without replacing.
    let tmp = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .suffix(".tmp")
        .permissions(fs::Permissions::from_mode(perm))
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, "create a temporary file beside", e))?;
    tmp.as_file()
        .write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, "write", e))?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(exists()),
        Err(e) => Err(Error::io(path, "create", e.error)),
    }
}

/// [`write_new`] with the content written by `content`.
///
/// # Errors
/// [`Error::Io`] naming the path.
pub fn write_new_with(path: &Path, content: Content<'_>, mode: NewMode) -> Result<()> {
    write_file(path, content, mode, true)
}

/// Where a write to `path` must go: the path itself, or the target of a symbolic link
/// (followed to the end), and whether that is something other than a regular file.
enum Target {
    /// This process's own stdout (`/dev/stdout`, `/proc/self/fd/1`), whatever it is: a
    /// file it was redirected to keeps what the shell wrote before and after.
    Stdout,
    /// A regular file (existing or not) at this path: replaced atomically.
    Regular(PathBuf),
    /// A FIFO, character device or the like: written into.
    Special(PathBuf),
}

/// Whether `path` is one of the names of an open descriptor (`/dev/stdout`,
/// `/dev/stderr`, `/dev/fd/N`, `/proc/PID/fd/N`), not a file of its own.
fn names_a_descriptor(path: &Path) -> bool {
    let Some(p) = path.to_str() else {
        return false;
    };
    matches!(p, "/dev/stdout" | "/dev/stderr" | "/dev/stdin")
        || p.starts_with("/dev/fd/")
        || (p.starts_with("/proc/") && p.contains("/fd/"))
}

fn target_of(path: &Path, expect_new: bool) -> Result<Target> {
    // `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`: a descriptor, never a file to
    // replace. Our own stdout is written through the descriptor itself.
    if names_a_descriptor(path) {
        if let Ok(m) = fs::metadata(path) {
            use std::os::unix::fs::MetadataExt as _;
            let out = rustix::fs::fstat(std::io::stdout());
            if out.is_ok_and(|o| o.st_dev == m.dev() && o.st_ino == m.ino()) {
                return Ok(Target::Stdout);
            }
            if !m.is_dir() {
                return Ok(Target::Special(path.to_path_buf()));
            }
        }
    }
    let Ok(link) = fs::symlink_metadata(path) else {
        return Ok(Target::Regular(path.to_path_buf()));
    };
    let is_link = link.file_type().is_symlink();
    if is_link && expect_new {
        // A mirror under --output-dir: a link already there was planted, not made by us.
        return Err(Error::io(
            path,
            "write",
            io::Error::other("a symbolic link is in the way in the output directory; remove it"),
        ));
    }
    let meta = fs::metadata(path).map_err(|e| {
        Error::io(
            path,
            "follow the symbolic link (its target must exist) at",
            e,
        )
    })?;
    let ft = meta.file_type();
    if ft.is_file() {
        if is_link {
            let target = fs::canonicalize(path)
                .map_err(|e| Error::io(path, "follow the symbolic link at", e))?;
            return Ok(Target::Regular(target));
        }
        Ok(Target::Regular(path.to_path_buf()))
    } else if ft.is_dir() {
        Err(Error::io(
            path,
            "write",
            io::Error::other("it is a directory"),
        ))
    } else if ft.is_fifo() || ft.is_char_device() || ft.is_block_device() || ft.is_socket() {
        Ok(Target::Special(path.to_path_buf()))
    } else {
        Err(Error::io(
            path,
            "write",
            io::Error::other("it is not a regular file"),
        ))
    }
}

/// Writes into an existing FIFO, device or socket path: never renamed over.
fn write_special(path: &Path, shown: &Path, content: Content<'_>) -> Result<()> {
    // A regular file reached through a descriptor's name is truncated, as `>` does.
    let regular = fs::metadata(path).is_ok_and(|m| m.is_file());
    let mut f = fs::OpenOptions::new()
        .write(true)
        .truncate(regular)
        .open(path)
        .map_err(|e| Error::io(shown, "open for writing", e))?;
    match content(&mut f).and_then(|()| f.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(shown, "write", e)),
    }
}

fn write_file(shown: &Path, content: Content<'_>, mode: NewMode, expect_new: bool) -> Result<()> {
    let path = match target_of(shown, expect_new)? {
        Target::Stdout => return write_stdout_with(content),
        Target::Special(p) => return write_special(&p, shown, content),
        Target::Regular(p) => p,
    };
    let path = path.as_path();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if expect_new && write_new_unnamed(dir, path, content, mode.bits())? {
        return Ok(());
    }
    let existing = fs::metadata(path).ok();
    let durable = existing.is_some();
    let perm = match &existing {
        // Plaintext never inherits group/other bits from the file it replaces.
        Some(m) if mode == NewMode::Private => m.permissions().mode() & 0o0700,
        Some(m) => m.permissions().mode() & 0o7777,
        None => mode.bits(),
    };
    // The replaced file's owner too (when this process may give it: root, or a group
    // of its own), so a file written by root for a service stays the service's.
    let owner = existing.as_ref().map(|m| {
        use std::os::unix::fs::MetadataExt as _;
        (m.uid(), m.gid())
    });
    if !durable && write_new_unnamed(dir, path, content, perm)? {
        return Ok(());
    }
    clean_stale_once(dir);
    let replaced = replace_unnamed(dir, path, content, perm, owner).and_then(|done| {
        if done {
            return Ok(());
        }
        // The file system refuses O_TMPFILE: a named temp file, the pid in its name.
        let mut tmp = tempfile::Builder::new()
            .prefix(&temp_prefix())
            .suffix(".tmp")
            .permissions(fs::Permissions::from_mode(if durable {
                0o600
            } else {
                perm
            }))
            .tempfile_in(dir)
            .map_err(|e| Replace::Place(Error::io(path, "create a temporary file beside", e)))?;
        content(tmp.as_file_mut()).map_err(|e| Replace::Other(Error::io(path, "write", e)))?;
        if durable {
            tmp.as_file()
                .sync_all()
                .map_err(|e| Replace::Other(Error::io(path, "sync", e)))?;
            // Keep the replaced file's exact mode (not filtered by the umask).
            fs::set_permissions(tmp.path(), fs::Permissions::from_mode(perm))
                .map_err(|e| Replace::Other(Error::io(path, "set mode of", e)))?;
            give_owner(tmp.as_file(), owner, perm);
        }
        tmp.persist(path)
            .map(|_| ())
            .map_err(|e| Replace::Rename(Error::io(path, "replace", e.error)))
    });
    match (replaced, existing) {
        (Ok(()), _) => Ok(()),
        // sops rewrites files in place; called as `sops`, so does sealbox where the
        // file cannot be replaced (sealbox's own commands fail instead).
        (Err(Replace::Place(e) | Replace::Rename(e)), Some(old))
            if in_place_allowed(mode) && cannot_replace(&e) =>
        {
            write_in_place(path, &old, content).map_err(|why| match why {
                InPlace::Refused => e,
                InPlace::Failed(f) => Error::io(path, "rewrite in place", f),
                InPlace::Damaged(f) => Error::io(
                    path,
                    "rewrite in place (the old content could not be put back either; check the file)",
                    f,
                ),
            })
        }
        (Err(Replace::Place(e) | Replace::Rename(e) | Replace::Other(e)), _) => Err(e),
    }
}

/// Set once called as `sops`: encrypted files (`edit`'s save through sealbox's own
/// editor flow too) may be rewritten in place where they cannot be replaced.
static SOPS_REWRITES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets encrypted files be rewritten in place, for the rest of the process, where a
/// rename cannot replace them, as sops rewrites every file (see `write_in_place`).
pub fn rewrite_in_place_as_sops() {
    SOPS_REWRITES.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether a file written with `mode` may fall back to a rewrite in place: sops'
/// modes, or encrypted content once called as `sops`; never sealbox's own plaintext.
fn in_place_allowed(mode: NewMode) -> bool {
    mode == NewMode::AsSops
        || (mode == NewMode::Public && SOPS_REWRITES.load(std::sync::atomic::Ordering::Relaxed))
}

/// Why an atomic replacement failed: placing the new file beside the old one
/// (`Place`), renaming it over (`Rename`), or otherwise.
enum Replace {
    Place(Error),
    Rename(Error),
    Other(Error),
}

/// Whether the new file could not be put beside `path` (a directory this user may
/// not write) or renamed over it (a file that is a mount point of its own, as a file
/// bind-mounted alone into a container is), although the file itself may be
/// writable. A rename refused for another reason (EPERM: a sticky directory, another
/// user's file) is not one of these.
fn cannot_replace(e: &Error) -> bool {
    let Error::Io { action, source, .. } = e else {
        return false;
    };
    match source.kind() {
        io::ErrorKind::PermissionDenied => *action == "create a temporary file beside",
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices => *action == "replace",
        _ => false,
    }
}

/// How a rewrite in place ended when it did not succeed.
enum InPlace {
    /// Not attempted: the name no longer holds the file that was to be replaced.
    Refused,
    /// The new content did not go in; the old one was put back.
    Failed(io::Error),
    /// Neither went in completely.
    Damaged(io::Error),
}

/// Rewrites `path` in place, as sops always does, where it cannot be replaced (see
/// [`cannot_replace`]): only the very file that was to be replaced (same device and
/// inode, a regular file, reached without following a link). Not atomic: the old
/// content is kept in memory and written back if the new one fails to go in.
fn write_in_place(path: &Path, old: &fs::Metadata, content: Content<'_>) -> Result<(), InPlace> {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _};
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags((rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32)
        .open(path)
        .map_err(InPlace::Failed)?;
    let now = f.metadata().map_err(InPlace::Failed)?;
    if !now.is_file() || now.dev() != old.dev() || now.ino() != old.ino() {
        return Err(InPlace::Refused);
    }
    let mut before = zeroize::Zeroizing::new(Vec::new());
    io::Read::read_to_end(&mut f, &mut before).map_err(InPlace::Failed)?;
    let put = |f: &mut fs::File, c: Content<'_>| -> io::Result<()> {
        f.seek(SeekFrom::Start(0))?;
        let mut w = Counted {
            inner: &mut *f,
            n: 0,
        };
        c(&mut w)?;
        let n = w.n;
        f.set_len(n)?;
        f.sync_all()
    };
    match put(&mut f, content) {
        Ok(()) => Ok(()),
        Err(e) => match put(&mut f, &|w| w.write_all(&before)) {
            Ok(()) => Err(InPlace::Failed(e)),
            Err(_) => Err(InPlace::Damaged(e)),
        },
    }
}

/// A writer that counts what goes through it.
struct Counted<'a> {
    inner: &'a mut fs::File,
    n: u64,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Gives the new inode (already given its mode `perm`) the replaced file's owner and
/// group where this process may; a refusal leaves it this user's. A change of owner
/// clears set-id bits, which are then set again where allowed.
fn give_owner(file: &fs::File, owner: Option<(u32, u32)>, perm: u32) {
    use rustix::fs::{fchmod, fchown, Gid, Mode, Uid};
    let Some((uid, gid)) = owner else { return };
    let (u, g) = (Uid::from_raw(uid), Gid::from_raw(gid));
    if fchown(file, Some(u), Some(g)).is_err() {
        let _ = fchown(file, None, Some(g));
    }
    if perm & 0o6000 != 0 {
        let _ = fchmod(file, Mode::from_bits_truncate(perm));
    }
}

/// `.sealbox-PID.NS-` (NS: the pid namespace, when known): the start of every temp file
/// name, so a later run can tell whether the writer is still alive.
pub(super) fn temp_prefix() -> String {
    match stale::pid_namespace() {
        Some(ns) => format!(".sealbox-{}.{ns}-", std::process::id()),
        None => format!(".sealbox-{}-", std::process::id()),
    }
}

/// Replaces `path`: the content goes into an unnamed inode (`O_TMPFILE`), is synced and
/// given its mode, then linked to a unique `.sealbox-PID-….tmp` name and renamed over
/// the target, so a name other than the target's exists only for the microseconds
/// between the link and the rename. `Ok(false)` when the file system cannot do this.
fn replace_unnamed(
    dir: &Path,
    path: &Path,
    content: Content<'_>,
    perm: u32,
    owner: Option<(u32, u32)>,
) -> std::result::Result<bool, Replace> {
    use rustix::fs::{fchmod, linkat, openat, AtFlags, Mode, OFlags, CWD};
    let fd = match openat(
        CWD,
        dir,
        OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC,
        Mode::from_bits_truncate(0o600),
    ) {
        Ok(fd) => fd,
        Err(_) => return Ok(false),
    };
    let mut file = fs::File::from(fd);
    let other = |e: Error| Replace::Other(e);
    content(&mut file).map_err(|e| other(Error::io(path, "write", e)))?;
    file.sync_all()
        .map_err(|e| other(Error::io(path, "sync", e)))?;
    fchmod(&file, Mode::from_bits_truncate(perm))
        .map_err(|e| other(Error::io(path, "set mode of", e.into())))?;
    give_owner(&file, owner, perm);
    for _ in 0..8 {
        let mut r = [0u8; 8];
        crate::crypto::rng::fill(&mut r).map_err(|e| {
            other(Error::io(
                path,
                "name a temporary file beside",
                io::Error::other(e),
            ))
        })?;
        let tmp = dir.join(format!("{}{}.tmp", temp_prefix(), hex::encode(r)));
        let linked = linkat(&file, "", CWD, &tmp, AtFlags::EMPTY_PATH).or_else(|_| {
            let proc_path = format!("/proc/self/fd/{}", std::os::fd::AsRawFd::as_raw_fd(&file));
            linkat(CWD, proc_path.as_str(), CWD, &tmp, AtFlags::SYMLINK_FOLLOW)
        });
        match linked {
            Ok(()) => {
                return match fs::rename(&tmp, path) {
                    Ok(()) => Ok(true),
                    Err(e) => {
                        let _ = fs::remove_file(&tmp);
                        Err(Replace::Rename(Error::io(path, "replace", e)))
                    }
                };
            }
            Err(rustix::io::Errno::EXIST) => continue,
            Err(_) => return Ok(false),
        }
    }
    Ok(false)
}

/// Creates a new file by writing an unnamed inode (`O_TMPFILE`) and linking it into
/// place, so the name appears only with its full content and no temp name is ever
/// visible. Returns `Ok(false)` when the file system or kernel cannot do this (or the
/// name exists by now), so the caller falls back to temp file + rename.
fn write_new_unnamed(dir: &Path, path: &Path, content: Content<'_>, perm: u32) -> Result<bool> {
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
    content(&mut file).map_err(|e| Error::io(path, "write", e))?;
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
    write_stdout_with(&|w| w.write_all(bytes))
}

/// [`write_stdout`] with the content written by `content`.
///
/// # Errors
/// Other stdout errors.
pub fn write_stdout_with(content: Content<'_>) -> Result<()> {
    let mut out = io::stdout().lock();
    match content(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(Path::new("<stdout>"), "write", e)),
    }
}

/// A name (file, key) for a message or a line of output: control characters are
/// escaped (`\n`, `\u{1b}`), so a hostile name cannot forge lines or terminal escapes.
#[must_use]
pub fn escape_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

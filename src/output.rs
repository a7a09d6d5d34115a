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

/// Mode for a new file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NewMode {
    /// Encrypted content: 0644.
    Public,
    /// Plaintext secrets: 0600.
    Private,
}

/// Something that writes a file's content into a writer (once per attempt).
pub type Content<'a> = &'a dyn Fn(&mut dyn Write) -> io::Result<()>;

/// Writes `bytes` to `path` atomically. An existing file keeps its mode; a new one
/// gets `mode`. After any failure the old file is untouched and no temp file remains.
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
    /// A regular file (existing or not) at this path: replaced atomically.
    Regular(PathBuf),
    /// A FIFO, character device or the like: written into.
    Special(PathBuf),
}

fn target_of(path: &Path, expect_new: bool) -> Result<Target> {
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
    let mut f = fs::OpenOptions::new()
        .write(true)
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
        Target::Special(p) => return write_special(&p, shown, content),
        Target::Regular(p) => p,
    };
    let path = path.as_path();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if expect_new {
        let perm = match mode {
            NewMode::Public => 0o644,
            NewMode::Private => 0o600,
        };
        if write_new_unnamed(dir, path, content, perm)? {
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
    if !durable && write_new_unnamed(dir, path, content, perm)? {
        return Ok(());
    }
    clean_stale_once(dir);
    if replace_unnamed(dir, path, content, perm)? {
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
        .map_err(|e| Error::io(path, "create a temporary file beside", e))?;
    content(tmp.as_file_mut()).map_err(|e| Error::io(path, "write", e))?;
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

/// `.sealbox-PID-`: the start of every temp file name, so a later run can tell whether
/// the writer is still alive.
fn temp_prefix() -> String {
    format!(".sealbox-{}-", std::process::id())
}

/// Replaces `path`: the content goes into an unnamed inode (`O_TMPFILE`), is synced and
/// given its mode, then linked to a unique `.sealbox-PID-….tmp` name and renamed over
/// the target, so a name other than the target's exists only for the microseconds
/// between the link and the rename. `Ok(false)` when the file system cannot do this.
fn replace_unnamed(dir: &Path, path: &Path, content: Content<'_>, perm: u32) -> Result<bool> {
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
    content(&mut file).map_err(|e| Error::io(path, "write", e))?;
    file.sync_all().map_err(|e| Error::io(path, "sync", e))?;
    fchmod(&file, Mode::from_bits_truncate(perm))
        .map_err(|e| Error::io(path, "set mode of", e.into()))?;
    for _ in 0..8 {
        let mut r = [0u8; 8];
        crate::crypto::rng::fill(&mut r)
            .map_err(|e| Error::io(path, "name a temporary file beside", io::Error::other(e)))?;
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
                        Err(Error::io(path, "replace", e))
                    }
                };
            }
            Err(rustix::io::Errno::EXIST) => continue,
            Err(_) => return Ok(false),
        }
    }
    Ok(false)
}

/// Whether `name` is a sealbox temp file name; the writer's pid when it records one.
#[must_use]
pub fn temp_file_pid(name: &str) -> Option<Option<u32>> {
    let rest = name.strip_prefix(".sealbox-")?.strip_suffix(".tmp")?;
    Some(
        rest.split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok()),
    )
}

/// Whether a process with this id is alive (or cannot be told apart from one).
#[must_use]
pub fn pid_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes the temp files in `dir` whose writer is gone (its pid, in the name, is no
/// longer alive: a `kill -9` mid-write); returns how many. Files of live writers, and
/// names without a pid (older versions), are left alone.
pub fn clean_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(Some(pid)) = name.to_str().and_then(temp_file_pid) else {
            continue;
        };
        let is_file = e.file_type().is_ok_and(|t| t.is_file());
        if is_file && !pid_alive(pid) && fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// [`clean_stale`] for each directory the first time this process writes into it,
/// with a note saying how many were removed.
fn clean_stale_once(dir: &Path) {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static DONE: OnceLock<Mutex<HashSet<std::path::PathBuf>>> = OnceLock::new();
    let first = DONE
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .is_ok_and(|mut d| d.insert(dir.to_path_buf()));
    if first {
        let n = clean_stale(dir);
        if n > 0 {
            eprintln!(
                "sealbox: removed {n} temporary file(s) in {} left by a sealbox that was killed",
                dir.display()
            );
        }
    }
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

/// Creates `dir` and any missing parents as 0700 directories, whatever the umask
/// (config, state and audit directories, which hold keys and logs). Existing
/// directories are left as they are.
///
/// # Errors
/// The first directory that cannot be created.
pub fn create_private_dirs(dir: &Path) -> io::Result<()> {
    let mut missing = Vec::new();
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d.as_os_str().is_empty() || fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d);
        cur = d.parent();
    }
    for d in missing.into_iter().rev() {
        create_private_dir(d)?;
    }
    Ok(())
}

fn create_private_dir(d: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    match fs::DirBuilder::new().mode(0o700).create(d) {
        Ok(()) => fs::set_permissions(d, fs::Permissions::from_mode(0o700)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `root/rel` for files written under an output directory: directories that
/// are missing are made 0700 (they will hold plaintext), and every one that already
/// exists below `root` must be a real directory, not a symbolic link someone planted
/// to send the files elsewhere.
///
/// # Errors
/// A link in the way, or a directory that cannot be created.
pub fn create_dirs_beneath(root: &Path, rel: &Path) -> Result<()> {
    if fs::symlink_metadata(root).is_err() {
        create_private_dirs(root).map_err(|e| Error::io(root, "create directory", e))?;
    }
    let mut cur = root.to_path_buf();
    for part in rel.components() {
        use std::path::Component;
        match part {
            Component::Normal(p) => cur.push(p),
            Component::CurDir => continue,
            _ => {
                return Err(Error::io(
                    &cur,
                    "create directory",
                    io::Error::other("the path leaves the output directory"),
                ))
            }
        }
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(Error::io(
                    &cur,
                    "write under",
                    io::Error::other(
                        "a symbolic link is in the way in the output directory; remove it",
                    ),
                ))
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(Error::io(
                    &cur,
                    "create directory",
                    io::Error::other("a file is in the way"),
                ))
            }
            Err(_) => {
                create_private_dir(&cur).map_err(|e| Error::io(&cur, "create directory", e))?
            }
        }
    }
    Ok(())
}

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
    let perm = match mode {
        NewMode::Public => 0o644,
        NewMode::Private => 0o600,
    };
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
            Err(rustix::io::Errno::NOSYS) => return Ok(false),
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

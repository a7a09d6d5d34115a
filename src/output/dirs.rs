//! Directories sealbox creates: 0700 whatever the umask, and under `--output-dir`
//! never through a symbolic link someone planted there.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::error::{Error, Result};

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

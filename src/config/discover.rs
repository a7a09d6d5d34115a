//! Finding config files: walking up from a file's directory, then from the working
//! directory, and naming a file relative to its config.

use std::path::{Path, PathBuf};

pub(super) fn find_up(start: &Path, name: &str) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let p = d.join(name);
        if p.is_file() {
            return Some(p);
        }
        dir = d.parent();
    }
    None
}

pub(super) fn locate(file: &Path, name: &str) -> Option<PathBuf> {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let from_file = abs.parent().and_then(|d| find_up(d, name));
    from_file.or_else(|| std::env::current_dir().ok().and_then(|c| find_up(&c, name)))
}

pub(crate) fn rel_to(config: &Path, file: &Path) -> String {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let base = config.parent().unwrap_or(Path::new("/"));
    abs.strip_prefix(base)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| abs.to_string_lossy().into_owned())
}

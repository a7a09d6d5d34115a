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
    let abs = go_abs(file);
    let base = config.parent().unwrap_or(Path::new("/"));
    abs.strip_prefix(base)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| abs.to_string_lossy().into_owned())
}

/// Go's `filepath.Abs`: absolute and lexically cleaned (`a/../b` is `b`), links left as
/// they are. sops shows paths and matches `path_regex` this way.
pub(crate) fn go_abs(p: &Path) -> PathBuf {
    go_clean(&std::path::absolute(p).unwrap_or_else(|_| p.to_owned()))
}

/// Go's `filepath.Clean`, lexically: no `.` parts, `..` eats the part before it.
pub(crate) fn go_clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

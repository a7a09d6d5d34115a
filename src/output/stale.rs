//! Temp files of writers that are gone: every temp name carries its writer's pid, so a
//! later run removes only the files of sealboxes that died mid-write (`kill -9`), never
//! a live writer's.

use std::fs;
use std::path::Path;

/// Whether `name` is a sealbox temp file name; the writer's pid when it records one.
#[must_use]
pub fn temp_file_pid(name: &str) -> Option<Option<u32>> {
    let rest = name.strip_prefix(".sealbox-")?.strip_suffix(".tmp")?;
    Some(rest.split_once('-').and_then(|(who, _)| {
        // `PID.NS`: NS is the writer's pid namespace; a pid from another namespace (a
        // container sharing the directory) says nothing here, so it is not used.
        let (pid, ns) = match who.split_once('.') {
            Some((pid, ns)) => (pid, Some(ns.parse::<u64>().ok()?)),
            None => (who, None),
        };
        if ns.is_some_and(|ns| Some(ns) != pid_namespace()) {
            return None;
        }
        pid.parse::<u32>().ok()
    }))
}

/// This process's pid namespace (the inode of `/proc/self/ns/pid`), if it can be read.
#[must_use]
pub fn pid_namespace() -> Option<u64> {
    static NS: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *NS.get_or_init(|| {
        let link = fs::read_link("/proc/self/ns/pid").ok()?;
        let text = link.to_str()?;
        text.strip_prefix("pid:[")?.strip_suffix(']')?.parse().ok()
    })
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
pub(super) fn clean_stale_once(dir: &Path) {
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

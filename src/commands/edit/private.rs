//! The private side of an edit: the plaintext copy in a 0700 directory on tmpfs (when
//! there is one), the editor run on it until it holds a valid document, the copy wiped
//! afterwards, and the copies of killed runs found and wiped by the next run.

use std::fs;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use zeroize::Zeroizing;

use crate::commands::ctx::Ctx;
use crate::error::{Error, Result};
use crate::output;
use crate::sops;
use crate::store::Tree;

/// Start of the private directories an edit makes: `sealbox-edit-PID-…`.
const EDIT_PREFIX: &str = "sealbox-edit-";

/// Wipes and removes the private directories of edits whose sealbox is gone (killed
/// with the plaintext copy still open), and says how many. Every sealbox run but
/// `check` does this first; `check` reports them (see [`stale_edit_dirs`]).
pub fn clean_stale_dirs(ctx: &Ctx) {
    let removed = stale_edit_dirs(true).len();
    if removed > 0 {
        ctx.note(&format!(
            "removed {removed} private edit director(ies) in {} left by a sealbox that was killed",
            temp_base().display()
        ));
    }
}

/// The private edit directories of this user whose sealbox is gone; with `remove`,
/// their files are wiped and the directories removed (those returned).
pub fn stale_edit_dirs(remove: bool) -> Vec<PathBuf> {
    let base = temp_base();
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(&base) else {
        return found;
    };
    let me = rustix::process::geteuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(EDIT_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let ours = fs::symlink_metadata(entry.path()).is_ok_and(|m| {
            use std::os::unix::fs::MetadataExt;
            m.is_dir() && m.uid() == me
        });
        if !ours || output::pid_alive(pid) {
            continue;
        }
        if !remove {
            found.push(entry.path());
            continue;
        }
        if let Ok(files) = fs::read_dir(entry.path()) {
            for f in files.flatten() {
                wipe(&f.path());
            }
        }
        if fs::remove_dir(entry.path()).is_ok() {
            found.push(entry.path());
        }
    }
    found
}

/// A 0700 directory for plaintext that must not outlive this run, on tmpfs when there
/// is one, named with this process's id: if sealbox is killed while it exists, the next
/// run wipes it ([`clean_stale_dirs`]). Used by `edit` and `sops exec-file`.
///
/// # Errors
/// When no such directory can be created.
pub(crate) fn private_dir() -> std::io::Result<tempfile::TempDir> {
    let prefix = format!("{EDIT_PREFIX}{}-", std::process::id());
    tempfile::Builder::new()
        .prefix(&prefix)
        .permissions(fs::Permissions::from_mode(0o700))
        .tempdir_in(temp_base())
}

pub(super) fn temp_base() -> PathBuf {
    for cand in [
        Some(PathBuf::from("/dev/shm")),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
    ]
    .into_iter()
    .flatten()
    {
        if cand.is_dir() && tempfile::tempdir_in(&cand).is_ok() {
            return cand;
        }
    }
    std::env::temp_dir()
}

/// Overwrites a file with zeros, then removes it.
fn wipe(path: &Path) {
    // Never through a link: only a regular file of its own is overwritten.
    if let Ok(meta) = fs::symlink_metadata(path).and_then(|m| {
        m.is_file()
            .then_some(m)
            .ok_or_else(|| std::io::Error::other("not a regular file"))
    }) {
        let nofollow = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
        if let Ok(mut f) = fs::OpenOptions::new()
            .write(true)
            .custom_flags(nofollow)
            .open(path)
        {
            let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0)];
            let _ = f.write_all(&zeros);
            let _ = f.sync_all();
        }
    }
    let _ = fs::remove_file(path);
}

fn editor_argv() -> Result<Vec<String>> {
    let chosen = ["SEALBOX_EDITOR", "SOPS_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    // vi without a terminal prints the whole plaintext to wherever stdout goes.
    if chosen.is_none() && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Error::Usage(
            "no editor is set and this is not a terminal, so no editor was started; set $EDITOR (or $SOPS_EDITOR) to a command that edits the file it is given".to_owned(),
        ));
    }
    let cmd = chosen.unwrap_or_else(|| "vi".to_owned());
    shlex::split(&cmd).filter(|a| !a.is_empty()).ok_or_else(|| {
        Error::Usage(format!(
            "cannot parse the editor command '{cmd}' (set $EDITOR)"
        ))
    })
}

/// Writes `original` to a private copy (tmpfs when there is one), runs the editor on it
/// until it holds a valid document, and wipes it; `None` when nothing changed.
pub(crate) fn edit_privately(
    ctx: &Ctx,
    path: &Path,
    format: crate::store::Format,
    original: &[u8],
) -> Result<Option<Tree>> {
    let dir =
        private_dir().map_err(|e| Error::io(path, "create a private temp directory for", e))?;
    let name = path
        .file_name()
        .map_or_else(|| "secrets".into(), std::ffi::OsStr::to_os_string);
    let tmp = dir.path().join(name);
    // While the plaintext copy exists, Ctrl-C, SIGTERM and SIGHUP must not kill sealbox
    // before it wipes the copy: they are recorded, and acted on once the editor is gone.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut hooks = Vec::new();
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        if let Ok(id) = signal_hook::flag::register(sig, std::sync::Arc::clone(&stop)) {
            hooks.push(id);
        }
    }
    let result = edit_loop(ctx, path, format, &tmp, original, &stop);
    wipe(&tmp);
    drop(dir);
    for id in hooks {
        signal_hook::low_level::unregister(id);
    }
    result
}

/// Runs the editor until it leaves a valid document; `None` when nothing changed.
fn edit_loop(
    ctx: &Ctx,
    path: &Path,
    format: crate::store::Format,
    tmp: &Path,
    original: &[u8],
    stop: &std::sync::atomic::AtomicBool,
) -> Result<Option<Tree>> {
    {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode_0600()
            .open(tmp)
            .map_err(|e| Error::io(tmp, "create", e))?;
        f.write_all(original)
            .map_err(|e| Error::io(tmp, "write", e))?;
    }
    let argv = editor_argv()?;
    loop {
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..]).arg(tmp);
        ctx.scrub_child(&mut cmd);
        let status = crate::hardening::run_child(&mut cmd).map_err(|e| Error::Backend {
            path: path.to_owned(),
            message: format!(
                "cannot run the editor '{}': {e}; the file is unchanged (set $EDITOR)",
                argv[0]
            ),
        })?;
        if stop.load(std::sync::atomic::Ordering::SeqCst) && !status.success() {
            return Err(Error::Backend {
                path: path.to_owned(),
                message: "interrupted; the file is unchanged and the temporary copy was wiped"
                    .to_owned(),
            });
        }
        if !status.success() {
            return Err(Error::Backend {
                path: path.to_owned(),
                message: format!("the editor exited with {status}; the file is unchanged"),
            });
        }
        let edited = Zeroizing::new(fs::read(tmp).map_err(|e| Error::io(tmp, "read back", e))?);
        if edited.as_slice() == original {
            ctx.note(&format!("{}: no changes", path.display()));
            return Ok(None);
        }
        let tree = match format.parse_plain_as_sops(&edited) {
            Ok(t) if !sops::has_metadata(format, &t) || format == crate::store::Format::Binary => t,
            Ok(_) => {
                if retry(path, "the edited file must not contain a sops key", stop)? {
                    continue;
                }
                return Err(Error::input(
                    path,
                    "the edited file contains a sops key; the file is unchanged",
                    None,
                ));
            }
            Err(e) => {
                if retry(path, &e.to_string(), stop)? {
                    continue;
                }
                return Err(Error::input(
                    path,
                    format!("the edited text is not valid: {e}; the file is unchanged"),
                    Some("run sealbox edit again"),
                ));
            }
        };
        return Ok(Some(tree));
    }
}

/// On a terminal, offers to reopen the editor after an invalid edit.
fn retry(path: &Path, why: &str, stop: &std::sync::atomic::AtomicBool) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprintln!("sealbox: {}: {why}", path.display());
    eprint!("Press Enter to edit again, or type q and Enter to abandon the edit: ");
    let mut line = String::new();
    let read = std::io::stdin().read_line(&mut line);
    if read.is_err()
        || stop.load(std::sync::atomic::Ordering::SeqCst)
        || line.trim().eq_ignore_ascii_case("q")
    {
        return Ok(false);
    }
    Ok(true)
}

trait Mode0600 {
    fn mode_0600(&mut self) -> &mut Self;
}

impl Mode0600 for fs::OpenOptions {
    fn mode_0600(&mut self) -> &mut Self {
        use std::os::unix::fs::OpenOptionsExt;
        self.mode(0o600)
    }
}

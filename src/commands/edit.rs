//! `sealbox edit FILE`: decrypt into a private temp file (tmpfs when available, 0600 in
//! a 0700 directory), run the editor, re-encrypt with the same data key so unchanged
//! values keep their ciphertext, then overwrite and remove the temp file. An unchanged
//! buffer leaves the file byte-identical; a failing editor or invalid edit changes nothing.

use std::fs;
use std::io::{IsTerminal, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use zeroize::Zeroizing;

use crate::cli::EditArgs;
use crate::commands::common::{self, Ctx};
use crate::error::{Error, Result};
use crate::output::{self, NewMode};
use crate::sops;

fn temp_base() -> PathBuf {
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
    if let Ok(meta) = fs::metadata(path) {
        if let Ok(mut f) = fs::OpenOptions::new().write(true).open(path) {
            let zeros = vec![0u8; usize::try_from(meta.len()).unwrap_or(0)];
            let _ = f.write_all(&zeros);
            let _ = f.sync_all();
        }
    }
    let _ = fs::remove_file(path);
}

fn editor_argv() -> Result<Vec<String>> {
    let cmd = ["SEALBOX_EDITOR", "SOPS_EDITOR", "VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned());
    shlex::split(&cmd).filter(|a| !a.is_empty()).ok_or_else(|| {
        Error::Usage(format!(
            "cannot parse the editor command '{cmd}' (set $EDITOR)"
        ))
    })
}

/// Runs `sealbox edit`.
///
/// # Errors
/// See [`Error`]; the encrypted file is unchanged on every error.
pub fn run(ctx: &Ctx, args: &EditArgs) -> Result<()> {
    let path = &args.file;
    let format = common::format_of(path, args.input_type);
    let (sealed, opened, key) = common::open_file(ctx, path, format, false)?;
    let mut ivs = opened.ivs;
    let original = Zeroizing::new(
        format
            .emit_plain(&opened.tree)
            .map_err(|e| Error::input(path, e.to_string(), None))?,
    );
    drop(opened.tree);
    let dir = tempfile::Builder::new()
        .prefix("sealbox-edit-")
        .permissions(fs::Permissions::from_mode(0o700))
        .tempdir_in(temp_base())
        .map_err(|e| Error::io(path, "create a private temp directory for", e))?;
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
    let result = edit_loop(
        ctx, path, format, &tmp, &original, &sealed, &key, &mut ivs, &stop,
    );
    wipe(&tmp);
    drop(dir);
    for id in hooks {
        signal_hook::low_level::unregister(id);
    }
    result?;
    ctx.audit(crate::audit::Event {
        command: "edit",
        files: vec![path.clone()],
        ..Default::default()
    })
}

#[allow(clippy::too_many_arguments)]
fn edit_loop(
    ctx: &Ctx,
    path: &Path,
    format: crate::store::Format,
    tmp: &Path,
    original: &[u8],
    sealed: &sops::Sealed,
    key: &crate::crypto::dek::DataKey,
    ivs: &mut sops::IvCache,
    stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
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
        let status = Command::new(&argv[0])
            .args(&argv[1..])
            .arg(tmp)
            .status()
            .map_err(|e| Error::Backend {
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
            return Ok(());
        }
        let tree = match format.parse_plain(&edited) {
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
        let mut meta = sealed.meta.clone();
        meta.version = sops::SOPS_FORMAT_VERSION.to_owned();
        let resealed =
            sops::seal(tree, key, meta, Some(ivs)).map_err(|e| common::sops_err(path, e))?;
        let out = resealed
            .to_bytes(format)
            .map_err(|e| Error::input(path, e.to_string(), None))?;
        output::write_atomic(path, &out, NewMode::Public)?;
        return Ok(());
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

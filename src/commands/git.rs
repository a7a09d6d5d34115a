//! `sealbox git install-hook`: a plain `.git/hooks/pre-commit` that runs
//! `sealbox scan --staged`, for teams that do not use the pre-commit framework.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;

use crate::cli::InstallHookArgs;
use crate::commands::common::Ctx;
use crate::error::{Error, Result};

const HOOK: &str = "#!/bin/sh\n# Installed by `sealbox git install-hook`: block commits that add plaintext secrets.\nexec sealbox scan --staged\n";

/// Runs `sealbox git install-hook`.
///
/// # Errors
/// Outside a git repository, or an existing hook without `--force`.
pub fn install_hook(ctx: &Ctx, args: &InstallHookArgs) -> Result<()> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(std::path::Path::new("."), "read the working directory", e))?;
    let out = std::process::Command::new("git")
        .current_dir(&cwd)
        .args(["rev-parse", "--git-path", "hooks"])
        .output()
        .map_err(|e| Error::Usage(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage("not inside a git repository".to_owned()));
    }
    let dir = cwd.join(String::from_utf8_lossy(&out.stdout).trim());
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create", e))?;
    let path = dir.join("pre-commit");
    if path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (pass --force to replace it, or call `sealbox scan --staged` from it)",
            path.display()
        )));
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(&path)
        .map_err(|e| Error::io(&path, "write", e))?;
    f.write_all(HOOK.as_bytes())
        .map_err(|e| Error::io(&path, "write", e))?;
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .map_err(|e| Error::io(&path, "make executable", e))?;
    ctx.note(&format!("installed {}", path.display()));
    Ok(())
}

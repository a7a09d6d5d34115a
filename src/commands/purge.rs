//! `sealbox purge --report leaks.json [--replace-with TEXT] [--yes]`: removes the
//! secrets a history scan reported from every branch and tag with git-filter-repo.
//!
//! In order: the report's secrets are read (never printed); a dirty work tree is refused;
//! the user confirms (a terminal prompt, or `--yes`); a `git bundle` of every ref is
//! written outside the repository (0600) as the way back; the literals go to
//! git-filter-repo through a 0600 file on tmpfs, wiped and removed afterwards; the new
//! history is searched for each secret and scanned again; then what is left to do is
//! printed: the force-push, the copies of the old history that a rewrite does not reach,
//! and a `sealbox rotate … --generate --run …` for each secret that is one of an
//! environment's values (matched in memory), "rotate at the provider" for the rest.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use zeroize::Zeroizing;

use crate::cli::PurgeArgs;
use crate::commands::ctx::Ctx;
use crate::error::{Error, Result};

/// One secret to remove and where the report first saw it.
struct Leak {
    secret: Zeroizing<String>,
    rule: String,
    file: String,
    line: u64,
    fingerprint: String,
}

/// Reads the report's secrets, one entry per distinct secret.
fn read_report(path: &Path) -> Result<(Vec<Leak>, Vec<String>)> {
    let bad = |why: &str| {
        Error::input(
            path,
            format!("is not a usable scan report: {why}"),
            Some("write one with `sealbox scan --git --format json --report leaks.json` (without --redact)"),
        )
    };
    let text =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::io(path, "read", e))?);
    let items: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|_| bad("not a JSON list of findings"))?;
    let mut leaks: Vec<Leak> = Vec::new();
    let mut whole_files: Vec<String> = Vec::new();
    for it in &items {
        let field = |k: &str| it.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let secret = field("Secret");
        let file = field("File").to_owned();
        if secret.is_empty() {
            // A finding about a whole file (a keystore, an unencrypted env file).
            if !file.is_empty() && !whole_files.contains(&file) {
                whole_files.push(file);
            }
            continue;
        }
        if secret == "REDACTED" || secret.ends_with("...") {
            return Err(bad("its secrets are redacted"));
        }
        if secret.contains('\n') || secret.contains('\r') {
            return Err(bad(&format!(
                "a {} finding spans lines, which git-filter-repo's literal replacement cannot express",
                field("RuleID")
            )));
        }
        if leaks.iter().any(|l| l.secret.as_str() == secret) {
            continue;
        }
        leaks.push(Leak {
            secret: Zeroizing::new(secret.to_owned()),
            rule: field("RuleID").to_owned(),
            file,
            line: it
                .get("StartLine")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            fingerprint: field("Fingerprint").chars().take(16).collect(),
        });
    }
    if leaks.is_empty() && whole_files.is_empty() {
        return Err(bad("it lists no findings"));
    }
    Ok((leaks, whole_files))
}

/// Runs git in `root`; its stdout, or an error naming the command and its stderr.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| Error::io(root, "run git", e))?;
    if !out.status.success() {
        return Err(Error::Backend {
            path: root.to_owned(),
            message: format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    Ok(out.stdout)
}

/// How git-filter-repo is started: `git filter-repo` (on PATH as `git-filter-repo`).
fn filter_repo() -> Result<Command> {
    let ok = Command::new("git-filter-repo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        return Err(Error::Usage(
            "purge needs git-filter-repo on PATH (install it with `pip install git-filter-repo` \
             or your package manager's git-filter-repo)"
                .to_owned(),
        ));
    }
    Ok(Command::new("git-filter-repo"))
}

/// The 0600 file on tmpfs that hands the literals to git-filter-repo: overwritten with
/// zeros and removed when dropped, whatever happened.
struct Literals {
    path: PathBuf,
    len: usize,
}

impl Literals {
    fn write(content: &[u8]) -> Result<Self> {
        use std::os::unix::fs::OpenOptionsExt as _;
        let dir = ["/dev/shm", "/run/shm"]
            .iter()
            .map(PathBuf::from)
            .chain(std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from))
            .find(|d| is_tmpfs(d))
            .ok_or_else(|| {
                Error::Declined(
                    "purge needs a tmpfs directory (/dev/shm or $XDG_RUNTIME_DIR) for the \
                     secrets it hands to git-filter-repo, so they never reach a disk"
                        .to_owned(),
                )
            })?;
        let mut name = [0u8; 12];
        getrandom::fill(&mut name).map_err(|e| Error::Usage(format!("no randomness: {e}")))?;
        let path = dir.join(format!("sealbox-purge-{}.txt", hex::encode(name)));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| Error::io(&path, "create", e))?;
        let me = Self {
            path,
            len: content.len(),
        };
        f.write_all(content)
            .and_then(|()| f.sync_all())
            .map_err(|e| Error::io(&me.path, "write", e))?;
        Ok(me)
    }
}

impl Drop for Literals {
    fn drop(&mut self) {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&self.path) {
            let _ = f.write_all(&vec![0u8; self.len]);
            let _ = f.sync_all();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether `dir` is a writable directory on tmpfs.
fn is_tmpfs(dir: &Path) -> bool {
    const TMPFS_MAGIC: u64 = 0x0102_1994;
    dir.is_dir()
        && rustix::fs::statfs(dir).is_ok_and(|s| {
            #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
            let t = s.f_type as u64;
            t == TMPFS_MAGIC
        })
        && rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_ok()
}

/// Writes a bundle of every ref next to the repository (outside it), 0600; its path.
fn backup(root: &Path) -> Result<PathBuf> {
    let name = root
        .file_name()
        .map_or_else(|| "repo".into(), |n| n.to_string_lossy().into_owned());
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let file = format!("{name}-before-purge-{stamp}.bundle");
    let dirs = [
        root.parent().map(Path::to_path_buf),
        std::env::var_os("HOME").map(PathBuf::from),
        Some(std::env::temp_dir()),
    ];
    let dir = dirs
        .into_iter()
        .flatten()
        .find(|d| {
            d.is_dir()
                && !d.starts_with(root)
                && rustix::fs::access(d, rustix::fs::Access::WRITE_OK).is_ok()
        })
        .ok_or_else(|| {
            Error::Declined(
                "no writable directory outside the repository for the backup bundle".to_owned(),
            )
        })?;
    let path = dir.join(file);
    // The bundle holds the secrets: no other user may read it, not even for a moment.
    let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let made = git(
        root,
        &["bundle", "create", &path.to_string_lossy(), "--all"],
    );
    rustix::process::umask(old);
    made?;
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(&path, "protect", e))?;
    }
    git(root, &["bundle", "verify", &path.to_string_lossy()])?;
    Ok(path)
}

/// The environments' keys whose value is `secret`, as `(env, key)`: values are decrypted
/// in memory and compared there. Environments that cannot be read are noted.
fn env_keys(ctx: &Ctx, leaks: &[Leak]) -> Vec<Vec<(String, String)>> {
    let mut out = vec![Vec::new(); leaks.len()];
    let Ok(project) = crate::config::Project::find() else {
        return out;
    };
    for env in project.environments.keys() {
        let vars = crate::commands::exec::load_vars(
            ctx,
            &crate::commands::exec::From {
                envs: std::slice::from_ref(env),
                files: &[],
            },
            &[],
            None,
            false,
            crate::commands::exec::Names::Any,
        );
        match vars {
            Ok(vars) => {
                for v in vars {
                    for (i, leak) in leaks.iter().enumerate() {
                        if !v.value.is_empty() && v.value.as_bytes() == leak.secret.as_bytes() {
                            out[i].push((v.env.clone(), v.name.clone()));
                        }
                    }
                }
            }
            Err(e) => ctx.note(&format!(
                "environment '{env}' not matched against the leaks ({})",
                first_line(&e.to_string())
            )),
        }
    }
    out
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Runs `sealbox purge`.
///
/// # Errors
/// A bad report, no git-filter-repo, a dirty tree or no confirmation (refused, exit 3),
/// a failed backup or rewrite, or a secret still in the history afterwards (exit 4).
pub fn run(ctx: &Ctx, args: &PurgeArgs) -> Result<()> {
    if args.replace_with.contains("==>") || args.replace_with.contains(['\n', '\r']) {
        return Err(Error::Usage(
            "--replace-with must be one line without '==>'".to_owned(),
        ));
    }
    let (leaks, whole_files) = read_report(&args.report)?;
    let cwd = std::env::current_dir()
        .map_err(|e| Error::io(Path::new("."), "read the working directory", e))?;
    let root = crate::git::root(&cwd).map_err(|e| Error::Usage(format!("purge: {e}")))?;
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let mut filter = filter_repo()?;
    let dirty = git(&root, &["status", "--porcelain", "--untracked-files=no"])?;
    if !dirty.is_empty() {
        return Err(Error::Declined(format!(
            "{}: the work tree has uncommitted changes; commit or stash them first (the rewrite resets the work tree)",
            root.display()
        )));
    }
    if leaks.is_empty() {
        return Err(Error::input(
            &args.report,
            "lists only whole-file findings, which a text replacement cannot remove",
            Some("remove such files with `git filter-repo --invert-paths --path FILE`"),
        ));
    }
    let question = format!(
        "Rewrite every branch and tag of {} to replace {} secret(s) with '{}'?",
        root.display(),
        leaks.len(),
        args.replace_with
    );
    if !args.yes {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(Error::Declined(
                "purge rewrites history: confirm on a terminal, or pass --yes".to_owned(),
            ));
        }
        let yes = dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
            .map_err(|e| Error::Usage(format!("no answer: {e}")))?;
        if !yes {
            return Err(Error::Declined(
                "purge cancelled; nothing changed".to_owned(),
            ));
        }
    }
    let bundle = backup(&root)?;
    let mut out = String::new();
    out.push_str(&format!("backup: {}\n", bundle.display()));
    out.push_str(&format!(
        "  (the old history, secrets included: keep it safe; restore with `git clone {}`)\n",
        bundle.display()
    ));
    crate::output::write_stdout(out.as_bytes())?;
    let origin = git(&root, &["remote", "get-url", "origin"])
        .ok()
        .map(|u| String::from_utf8_lossy(&u).trim().to_owned());

    // The literals, longest first (a secret inside another is replaced with it).
    let mut order: Vec<&Leak> = leaks.iter().collect();
    order.sort_by_key(|l| std::cmp::Reverse(l.secret.len()));
    let mut content = Zeroizing::new(Vec::new());
    for l in order {
        content.extend_from_slice(b"literal:");
        content.extend_from_slice(l.secret.as_bytes());
        content.extend_from_slice(b"==>");
        content.extend_from_slice(args.replace_with.as_bytes());
        content.push(b'\n');
    }
    let rewrite = {
        let literals = Literals::write(&content)?;
        let status = filter
            .current_dir(&root)
            .args(["--force", "--replace-text"])
            .arg(&literals.path)
            .arg("--replace-message")
            .arg(&literals.path)
            .stdout(std::process::Stdio::null())
            .output()
            .map_err(|e| Error::io(&root, "run git-filter-repo", e))?;
        drop(literals);
        status
    };
    if !rewrite.status.success() {
        return Err(Error::Backend {
            path: root.clone(),
            message: format!(
                "git-filter-repo failed ({}); the history is as it was or can be restored from {}",
                first_line(String::from_utf8_lossy(&rewrite.stderr).trim()),
                bundle.display()
            ),
        });
    }

    // Proof: no secret in any object reachable from a ref, and a history scan.
    let log = Zeroizing::new(git(&root, &["log", "-p", "--all", "--format=%H%n%B"])?);
    let left: Vec<&Leak> = leaks
        .iter()
        .filter(|l| memchr::memmem::find(&log, l.secret.as_bytes()).is_some())
        .collect();
    if !left.is_empty() {
        let which: Vec<String> = left
            .iter()
            .map(|l| format!("{} ({})", l.rule, l.fingerprint))
            .collect();
        return Err(Error::Integrity {
            path: root.clone(),
            message: format!(
                "after the rewrite the history still holds {}; the backup is {}",
                which.join(", "),
                bundle.display()
            ),
        });
    }
    let rescan = std::env::current_exe()
        .ok()
        .and_then(|exe| {
            Command::new(exe)
                .args(["scan", "--git", "--format", "json"])
                .current_dir(&root)
                .stderr(std::process::Stdio::null())
                .output()
                .ok()
        })
        .and_then(|o| serde_json::from_slice::<Vec<serde_json::Value>>(&o.stdout).ok());
    let matches = env_keys(ctx, &leaks);

    let mut out = String::new();
    out.push_str(&format!(
        "purged {} secret(s) from every branch, tag and commit message of {} (replaced with '{}')\n",
        leaks.len(),
        root.display(),
        args.replace_with
    ));
    match &rescan {
        Some(found) if found.is_empty() => {
            out.push_str("scan --git of the rewritten history: no secrets found\n");
        }
        Some(found) => {
            let purged = found.iter().filter(|f| {
                let s = f.get("Secret").and_then(|v| v.as_str()).unwrap_or_default();
                leaks.iter().any(|l| l.secret.as_str() == s)
            });
            if purged.count() > 0 {
                return Err(Error::Integrity {
                    path: root.clone(),
                    message: format!(
                        "scan --git still finds a purged secret; the backup is {}",
                        bundle.display()
                    ),
                });
            }
            out.push_str(&format!(
                "scan --git of the rewritten history: none of the purged secrets; {} other finding(s) not in the report remain (run `sealbox scan --git`)\n",
                found.len()
            ));
        }
        None => out.push_str(
            "scan --git of the rewritten history could not be run; run `sealbox scan --git`\n",
        ),
    }
    if !whole_files.is_empty() {
        out.push_str(&format!(
            "not removed (whole-file findings): {}; drop them with `git filter-repo --invert-paths --path FILE`\n",
            whole_files.join(", ")
        ));
    }
    out.push_str("\nWhat is left to do:\n");
    let remote_now = git(&root, &["remote"])
        .map(|r| String::from_utf8_lossy(&r).lines().any(|l| l == "origin"))
        .unwrap_or(false);
    out.push_str("  1. Publish the new history (every branch and tag):\n");
    if let (Some(url), false) = (&origin, remote_now) {
        out.push_str(&format!(
            "       git remote add origin {url}   # git-filter-repo removed it so the old history is not pushed by mistake\n"
        ));
    }
    out.push_str("       git push --force --all origin && git push --force --tags origin\n");
    out.push_str(
        "  2. The old objects live on elsewhere: forks and every existing clone, CI caches and\n     \
         artifacts, and the host's pull-request refs and cached views keep them. Have\n     \
         collaborators re-clone (not pull), clear CI caches, and ask the host's support to\n     \
         remove cached views and PR refs.\n",
    );
    out.push_str("  3. A leaked secret is burnt: rotate every one of them.\n");
    for (leak, keys) in leaks.iter().zip(&matches) {
        let at = format!(
            "{} at {}:{} ({})",
            leak.rule, leak.file, leak.line, leak.fingerprint
        );
        if keys.is_empty() {
            out.push_str(&format!("     - {at}: rotate at the provider\n"));
        }
        for (env, key) in keys {
            out.push_str(&format!(
                "     - {at}: sealbox rotate -e {env} {key} --generate --run '<command that sets the new value at the provider>'\n"
            ));
        }
    }
    crate::output::write_stdout(out.as_bytes())?;
    Ok(())
}

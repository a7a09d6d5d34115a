//! Where private keys come from, in DESIGN section 3 order: `--identity`, the
//! `SEALBOX_AGE_KEY*` and `SOPS_AGE_KEY*` variables, the OS keyring (a seam for now),
//! identity files, then SSH keys. Every present source contributes; unavailable ones
//! are skipped silently but listed in `looked` for the "cannot decrypt" message.

pub mod file;
pub mod keyring;
pub mod prompt;

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Identities found, plus a record of where we looked.
#[derive(Default)]
pub struct Identities {
    /// age identities (X25519 and SSH), tried in discovery order.
    pub age: Vec<Box<dyn age::Identity + Send + Sync>>,
    /// Human-readable list of the sources consulted, for error messages.
    pub looked: Vec<String>,
    /// Problems met while loading (bad files…), reported only when decryption fails.
    pub problems: Vec<String>,
    /// Only these files: key services are not asked either (`--only-identity`).
    pub only: bool,
    /// Each identity's public key (or a description when it has none to show) and
    /// where it came from, in discovery order (`sealbox whoami`).
    pub found: Vec<(String, String)>,
    /// Key types to try first, in this order (sops' `--decryption-order`); the other
    /// stanzas follow in file order. Empty: sops' default, `age,pgp`.
    pub decryption_order: Vec<String>,
}

/// Where sealbox's own files live.
#[must_use]
pub fn config_dir() -> Option<PathBuf> {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        return Some(PathBuf::from(x));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config"))
}

/// An identity that cannot be stored, protected or unlocked; the message says why,
/// never the key or the passphrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityError(pub String);

impl std::fmt::Display for IdentityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdentityError {}

/// Why a key file (or its directory) could have been replaced by another user, if so.
fn writable_by_others(path: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt as _;
    let file = std::fs::metadata(path).ok()?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    for (what, p, m) in [
        ("it", path, Some(file)),
        ("its directory", dir, std::fs::metadata(dir).ok()),
    ] {
        let Some(m) = m else { continue };
        // Sticky directories (/tmp) let others create files but not replace ours.
        let sticky = m.is_dir() && m.mode() & 0o1000 != 0;
        if m.mode() & 0o022 != 0 && !sticky {
            return Some(format!(
                "{what} is writable by other users (mode {:o}); run chmod go-w {}",
                m.mode() & 0o777,
                p.display()
            ));
        }
    }
    None
}

impl Identities {
    /// Exactly the identity files given, nothing discovered, and no key service asked:
    /// whether these keys alone can open a file.
    #[must_use]
    pub fn only(files: &[PathBuf]) -> Self {
        let mut ids = Identities {
            only: true,
            ..Identities::default()
        };
        for f in files {
            ids.load_file(f, "--only-identity", true);
        }
        ids
    }

    /// Every identity sealbox would use: the flags' files, then the environment, the
    /// keyring and the default key files.
    #[must_use]
    pub fn discover(flags: &[PathBuf]) -> Self {
        let mut ids = Identities::default();
        for f in flags {
            ids.load_file(f, "--identity", true);
        }
        for var in ["SEALBOX_AGE_KEY", "SOPS_AGE_KEY"] {
            if let Ok(v) = std::env::var(var) {
                let v = zeroize::Zeroizing::new(v);
                ids.looked.push(format!("${var}"));
                ids.add_text(&v, &format!("${var}"));
            }
        }
        for var in ["SEALBOX_AGE_KEY_FILE", "SOPS_AGE_KEY_FILE"] {
            if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
                ids.load_file(Path::new(&v), &format!("${var}"), true);
            }
        }
        if let Ok(cmd) = std::env::var("SOPS_AGE_KEY_CMD") {
            ids.looked.push("$SOPS_AGE_KEY_CMD".to_owned());
            ids.run_cmd(&cmd);
        }
        ids.looked
            .push("the OS keyring (service sealbox)".to_owned());
        if let Some((text, store)) = keyring::load() {
            let text = zeroize::Zeroizing::new(text);
            ids.add_text(&text, &format!("the {store} (service sealbox)"));
        }
        if let Some(dir) = config_dir() {
            ids.load_file(&dir.join("sealbox").join("identities"), "", false);
            ids.load_file(&dir.join("sops").join("age").join("keys.txt"), "", false);
        }
        if let Some(v) = std::env::var_os("SOPS_AGE_SSH_PRIVATE_KEY_FILE").filter(|v| !v.is_empty())
        {
            ids.load_file(Path::new(&v), "$SOPS_AGE_SSH_PRIVATE_KEY_FILE", true);
        }
        if let Some(home) = std::env::var_os("HOME") {
            let ssh = PathBuf::from(home).join(".ssh");
            ids.load_file(&ssh.join("id_ed25519"), "", false);
            ids.load_file(&ssh.join("id_rsa"), "", false);
        }
        ids
    }

    fn load_file(&mut self, path: &Path, via: &str, must_exist: bool) {
        let label = if via.is_empty() {
            path.display().to_string()
        } else {
            format!("{} ({via})", path.display())
        };
        self.looked.push(label.clone());
        // A default location that other users can write could hold a key of theirs
        // (swapped in so that `init` and every later run use it): refused, as ssh does.
        if !must_exist {
            if let Some(why) = writable_by_others(path) {
                self.problems.push(format!("{label}: ignored, {why}"));
                return;
            }
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => zeroize::Zeroizing::new(b),
            Err(e) => {
                if must_exist || e.kind() != std::io::ErrorKind::NotFound {
                    self.problems.push(format!("{label}: cannot read ({e})"));
                }
                return;
            }
        };
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
        if text.contains("PRIVATE KEY-----") {
            match age::ssh::Identity::from_buffer(
                BufReader::new(bytes.as_slice()),
                Some(label.clone()),
            ) {
                Ok(age::ssh::Identity::Unencrypted(k)) => {
                    let id = age::ssh::Identity::Unencrypted(k);
                    self.age.push(Box::new(id));
                    let mut public = path.as_os_str().to_owned();
                    public.push(".pub");
                    let shown = std::fs::read_to_string(&public).map_or_else(
                        |_| "an SSH key (no .pub file beside it)".to_owned(),
                        |p| p.split_whitespace().take(2).collect::<Vec<_>>().join(" "),
                    );
                    self.found.push((shown, label.clone()));
                }
                Ok(age::ssh::Identity::Encrypted(_)) => self.problems.push(format!(
                    "{label}: passphrase-protected SSH keys are not supported yet"
                )),
                Ok(age::ssh::Identity::Unsupported(_)) | Err(_) => {
                    self.problems
                        .push(format!("{label}: unsupported SSH key type"));
                }
            }
            return;
        }
        if file::is_protected(&text) {
            match prompt::passphrase(&format!("Passphrase for {}", path.display())) {
                Some(pass) => match file::unprotect(&text, &zeroize::Zeroizing::new(pass)) {
                    Ok(id) => self.add_text(&id, &label),
                    Err(e) => self.problems.push(format!("{label}: {e}")),
                },
                None => self.problems.push(format!(
                    "{label}: passphrase-protected; run in a terminal to unlock it, or set SEALBOX_AGE_KEY"
                )),
            }
            return;
        }
        self.add_text(&text, &label);
    }

    fn add_text(&mut self, text: &str, label: &str) {
        let mut found = 0;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            for tok in line.split_whitespace() {
                if tok.starts_with("AGE-SECRET-KEY-1") {
                    match crate::crypto::x25519::X25519Identity::parse(tok) {
                        Ok(id) => {
                            self.age.push(Box::new(id));
                            found += 1;
                            let public = tok.parse::<age::x25519::Identity>().map_or_else(
                                |_| "an age key".to_owned(),
                                |i| i.to_public().to_string(),
                            );
                            self.found.push((public, label.to_owned()));
                        }
                        Err(_) => self
                            .problems
                            .push(format!("{label}: a malformed AGE-SECRET-KEY line")),
                    }
                } else if tok.starts_with("AGE-") {
                    self.problems.push(format!(
                        "{label}: plugin and post-quantum identities are not supported yet"
                    ));
                }
            }
        }
        if found == 0 {
            self.problems
                .push(format!("{label}: no age identity in it"));
        }
    }

    fn run_cmd(&mut self, cmd: &str) {
        let Some(argv) = shlex::split(cmd).filter(|a| !a.is_empty()) else {
            self.problems
                .push("$SOPS_AGE_KEY_CMD: cannot be split into words".to_owned());
            return;
        };
        // A key helper keeps sealbox's core limit of 0: it prints a private key.
        let out = Command::new(&argv[0]).args(&argv[1..]).output();
        match out {
            Ok(o) if o.status.success() => {
                let stdout = zeroize::Zeroizing::new(o.stdout);
                let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&stdout).into_owned());
                self.add_text(&text, "$SOPS_AGE_KEY_CMD");
            }
            Ok(o) => self
                .problems
                .push(format!("$SOPS_AGE_KEY_CMD exited with {}", o.status)),
            Err(e) => self
                .problems
                .push(format!("$SOPS_AGE_KEY_CMD could not run: {e}")),
        }
    }
}

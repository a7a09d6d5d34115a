//! Where private keys come from, in DESIGN section 3 order: `--identity`, the
//! `SEALBOX_AGE_KEY*` and `SOPS_AGE_KEY*` variables, the OS keyring (a seam for now),
//! identity files, then SSH keys. Every present source contributes; unavailable ones
//! are skipped silently but listed in `looked` for the "cannot decrypt" message.

pub mod file;
pub mod keyring;
pub mod prompt;

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

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
    /// age plugin identities (`AGE-PLUGIN-…` lines), one per plugin: tried after the
    /// native ones, since each try starts the plugin.
    pub plugins: AgeIdentities,
    /// `SOPS_AGE_SSH_PRIVATE_KEY_CMD` and `SOPS_AGE_KEY_CMD`: run when an age stanza is
    /// tried that the identities above do not open.
    pub key_cmds: Vec<KeyCmd>,
    /// Called as `sops`: what each place sops looks in held, for sops' report when no
    /// key opens a file.
    pub sops_places: SopsPlaces,
}

/// What one place that sops reads age keys from held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// This many identities.
    Keys(usize),
    /// Nothing: no line that is an identity, and no other line either.
    Nothing,
    /// It could not be opened or read: Go's text for the error (`no such file or
    /// directory`).
    Unreadable(String),
    /// Lines that are not identities: why, in the words of age's parser.
    Unparsable(String),
}

/// The places sops reads age keys from, as sops 3.11 looks at them, in its order: the
/// SSH keys, `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` (learned when run),
/// then `<config dir>/sops/age/keys.txt`. `None`: the variable is unset, or the file
/// does not exist.
#[derive(Debug, Clone, Default)]
pub struct SopsPlaces {
    /// `SOPS_AGE_SSH_PRIVATE_KEY_FILE`, `~/.ssh/id_ed25519`, `~/.ssh/id_rsa`: each
    /// place's name as sops says it and what it held.
    pub ssh: Vec<(String, Option<Held>)>,
    /// `SOPS_AGE_KEY`.
    pub key: Option<Held>,
    /// `SOPS_AGE_KEY_FILE`: its path, and what it held.
    pub key_file: Option<(String, Held)>,
    /// The default key file's path, and what it held.
    pub keys_txt: (Option<String>, Option<Held>),
}

/// Identities loaded for one age stanza.
pub type AgeIdentities = Vec<Box<dyn age::Identity + Send + Sync>>;

/// Set once called as `sops`: identities come from sops' sources only.
static SOPS_SOURCES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Looks for identities, for the rest of the process, only where sops looks:
/// `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, the key commands, `<config dir>/sops/age/keys.txt`
/// and the SSH keys; not sealbox's own variables, keyring or identities file.
pub fn sources_as_sops() {
    SOPS_SOURCES.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// A command that prints identities (sops' `SOPS_AGE_KEY_CMD` prints an identity
/// file, `SOPS_AGE_SSH_PRIVATE_KEY_CMD` an SSH private key). As in sops 3.12 it runs
/// with `SOPS_AGE_RECIPIENT` set to the recipient being tried, so that a helper can
/// look up that one key; each recipient's answer is kept for the rest of the run.
pub struct KeyCmd {
    /// The variable it came from, for messages.
    var: &'static str,
    argv: Vec<String>,
    /// Its output is an SSH private key rather than an identity file.
    ssh: bool,
    /// Per recipient: its identities, or why none (and what sops would say it held).
    answers: std::sync::Mutex<HashMap<String, CmdAnswer>>,
}

/// A key command's answer: its identities, or our message and what sops would say the
/// command held.
type CmdAnswer = Result<Arc<Parsed>, (String, Held)>;

impl KeyCmd {
    fn new(var: &'static str, cmd: &str, ssh: bool) -> Result<Self, String> {
        let argv = shlex::split(cmd).filter(|a| !a.is_empty()).ok_or_else(|| {
            format!("${var}: cannot be split into words; quote it as a shell would")
        })?;
        Ok(Self {
            var,
            argv,
            ssh,
            answers: std::sync::Mutex::new(HashMap::new()),
        })
    }

    /// The identities the command prints for `recipient` (empty: for none in
    /// particular).
    ///
    /// # Errors
    /// The command cannot run, fails, or prints no identity.
    pub fn identities_for(&self, recipient: &str) -> Result<Arc<Parsed>, String> {
        let mut answers = self
            .answers
            .lock()
            .map_err(|_| format!("${}: internal lock poisoned", self.var))?;
        if let Some(a) = answers.get(recipient) {
            return a.clone().map_err(|(e, _)| e);
        }
        let answer = self.run(recipient).map(Arc::new);
        answers.insert(recipient.to_owned(), answer.clone());
        answer.map_err(|(e, _)| e)
    }

    /// The variable the command came from.
    #[must_use]
    pub fn var(&self) -> &'static str {
        self.var
    }

    /// What the command printed for `recipient`, as sops tells it; `None` when it has
    /// not been run for it.
    #[must_use]
    pub fn held_for(&self, recipient: &str) -> Option<Held> {
        let answers = self.answers.lock().ok()?;
        Some(match answers.get(recipient)? {
            Ok(p) => Held::Keys(p.age.len() + p.plugins.len()),
            Err((_, h)) => h.clone(),
        })
    }

    fn run(&self, recipient: &str) -> Result<Parsed, (String, Held)> {
        let var = self.var;
        let mut cmd = Command::new(&self.argv[0]);
        // As sops runs it: no stdin, its stderr kept out of ours.
        cmd.args(&self.argv[1..]);
        if recipient.is_empty() {
            cmd.env_remove("SOPS_AGE_RECIPIENT");
        } else {
            cmd.env("SOPS_AGE_RECIPIENT", recipient);
        }
        // A key helper keeps sealbox's core limit of 0: it prints a private key.
        let failed = |why: String| {
            // sops names the command; not one that carries a key in its words.
            let shown = self.argv.join(" ");
            let shown = if shown.to_ascii_uppercase().contains("AGE-SECRET-KEY-") {
                "(a command holding a key, not shown)".to_owned()
            } else {
                shown
            };
            let sops = format!("failed to execute command {shown} from {var}: {why}");
            (
                format!("${var} could not run {}: {why}", self.argv[0]),
                Held::Unreadable(sops),
            )
        };
        let out = cmd.output().map_err(|e| failed(go_error_text(&e)))?;
        let stdout = zeroize::Zeroizing::new(out.stdout);
        if !out.status.success() {
            use std::os::unix::process::ExitStatusExt as _;
            let why = out.status.code().map_or_else(
                || format!("signal: {}", out.status.signal().unwrap_or(0)),
                |c| format!("exit status {c}"),
            );
            let (_, held) = failed(why);
            return Err((format!("${var} exited with {}", out.status), held));
        }
        let label = format!("${var}");
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&stdout).into_owned());
        let parsed = if self.ssh {
            parse_ssh(&stdout, &label, None)
        } else {
            parse_text(&text, &label)
        };
        if parsed.age.is_empty() && parsed.plugins.is_empty() {
            return Err((parsed.problems.join("; "), held(&text, 0)));
        }
        Ok(parsed)
    }
}

/// What one source held.
#[derive(Default)]
pub struct Parsed {
    /// Its identities.
    pub age: AgeIdentities,
    /// Its age plugin identities, one per plugin (each runs `age-plugin-NAME`).
    pub plugins: AgeIdentities,
    /// Each one's public key (or a description) and the source's name.
    pub found: Vec<(String, String)>,
    /// Lines that were not identities, keys that cannot be used.
    pub problems: Vec<String>,
}

/// The age identities in an identity file's text (one or more per line; blank and
/// `#` lines skipped).
fn parse_text(text: &str, label: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut plugin_ids: Vec<age::plugin::Identity> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        for tok in line.split_whitespace() {
            if tok.starts_with("AGE-SECRET-KEY-1") {
                match crate::crypto::x25519::X25519Identity::parse(tok) {
                    Ok(id) => {
                        p.age.push(Box::new(id));
                        let public = tok.parse::<age::x25519::Identity>().map_or_else(
                            |_| "an age key".to_owned(),
                            |i| i.to_public().to_string(),
                        );
                        p.found.push((public, label.to_owned()));
                    }
                    Err(_) => p
                        .problems
                        .push(format!("{label}: a malformed AGE-SECRET-KEY line")),
                }
            } else if tok.starts_with("AGE-PLUGIN-") {
                match tok.parse::<age::plugin::Identity>() {
                    Ok(id) => plugin_ids.push(id),
                    Err(e) => p
                        .problems
                        .push(format!("{label}: a malformed AGE-PLUGIN line ({e})")),
                }
            } else if tok.starts_with("AGE-") {
                p.problems.push(format!(
                    "{label}: post-quantum identities are not supported yet"
                ));
            }
        }
    }
    let mut names: Vec<String> = plugin_ids.iter().map(|i| i.plugin().to_owned()).collect();
    names.sort();
    names.dedup();
    for name in names {
        match age::plugin::IdentityPluginV1::new(&name, &plugin_ids, prompt::PluginUi) {
            Ok(plugin) => {
                p.plugins.push(Box::new(plugin));
                p.found
                    .push((format!("an age-plugin-{name} identity"), label.to_owned()));
            }
            Err(e) => p
                .problems
                .push(format!("{label}: {}", plugin_unusable(&name, &e))),
        }
    }
    if p.age.is_empty() && plugin_ids.is_empty() {
        p.problems.push(format!("{label}: no age identity in it"));
    }
    p
}

/// Why an age plugin cannot be started, in one line with the fix.
#[must_use]
pub fn plugin_unusable(name: &str, e: &age::plugin::ResolveError) -> String {
    match e {
        age::plugin::ResolveError::MissingPlugin { binary_name } => format!(
            "needs the age plugin {binary_name}, which is not on PATH; install it (sops and age use the same plugins)"
        ),
        _ => format!("'{name}' is not a valid age plugin name"),
    }
}

/// An error text of the age crate as one plain line: its localisation wraps names in
/// Unicode isolation marks and may span lines.
#[must_use]
pub fn one_line(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The identities of an identity file encrypted to a passphrase (`age -p keys.txt`).
fn open_passphrase_file(bytes: &[u8], label: &str, path: &Path) -> Parsed {
    let mut p = Parsed::default();
    let dec = match age::Decryptor::new_buffered(age::armor::ArmoredReader::new(bytes)) {
        Ok(d) => d,
        Err(_) => {
            p.problems
                .push(format!("{label}: not a valid age-encrypted identity file"));
            return p;
        }
    };
    if !dec.is_scrypt() {
        p.problems.push(format!(
            "{label}: age-encrypted to a key rather than a passphrase; decrypt it with age first"
        ));
        return p;
    }
    let Some(pass) = prompt::passphrase(&format!("Passphrase for {}", path.display())) else {
        p.problems.push(format!(
            "{label}: encrypted with a passphrase (age -p); run in a terminal to unlock it, or set SOPS_AGE_KEY"
        ));
        return p;
    };
    let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(pass));
    let mut plain = zeroize::Zeroizing::new(Vec::new());
    let opened = dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .map_err(|_| ())
        .and_then(|mut r| {
            use std::io::Read as _;
            r.read_to_end(&mut plain).map_err(|_| ())
        });
    if opened.is_err() {
        p.problems.push(format!(
            "{label}: the passphrase does not open it (or the file is damaged)"
        ));
        return p;
    }
    let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&plain).into_owned());
    parse_text(&text, label)
}

/// The tag age puts in an SSH recipient's stanza: the first four bytes of the
/// SHA-256 of the public key's wire form, base64 without padding.
fn ssh_tag(public: &str) -> Option<String> {
    use base64::Engine as _;
    use sha2::Digest as _;
    let wire = public.split_whitespace().nth(1)?;
    let wire = base64::engine::general_purpose::STANDARD
        .decode(wire)
        .ok()?;
    let hash = sha2::Sha256::digest(&wire);
    Some(base64::engine::general_purpose::STANDARD_NO_PAD.encode(&hash[..4]))
}

/// A passphrase-protected SSH key: the passphrase is asked on the terminal the first
/// time a stanza for this key (by its tag, when the `.pub` file gives it) is met, and
/// the opened key is kept for the rest of the run.
struct LockedSshKey {
    key: age::ssh::EncryptedKey,
    tag: Option<String>,
    label: String,
    /// `Some(None)`: asked already, and it could not be opened.
    opened: std::sync::Mutex<Option<Option<age::ssh::Identity>>>,
}

impl age::Identity for LockedSshKey {
    fn unwrap_stanza(
        &self,
        stanza: &age_core::format::Stanza,
    ) -> Option<Result<age_core::format::FileKey, age::DecryptError>> {
        if !matches!(stanza.tag.as_str(), "ssh-ed25519" | "ssh-rsa") {
            return None;
        }
        if let Some(tag) = &self.tag {
            if stanza.args.first() != Some(tag) {
                return None;
            }
        }
        let mut opened = self.opened.lock().ok()?;
        if opened.is_none() {
            let key = prompt::passphrase(&format!("Passphrase for the SSH key {}", self.label))
                .and_then(|p| self.key.decrypt(age::secrecy::SecretString::from(p)).ok())
                .map(age::ssh::Identity::from);
            if key.is_none() {
                eprintln!(
                    "sealbox: {}: passphrase-protected SSH key not unlocked (wrong passphrase, or no terminal to ask on)",
                    self.label
                );
            }
            *opened = Some(key);
        }
        opened.as_ref()?.as_ref()?.unwrap_stanza(stanza)
    }
}

/// An SSH private key as an age identity; `public` is the `.pub` text shown for it.
fn parse_ssh(bytes: &[u8], label: &str, public: Option<String>) -> Parsed {
    let mut p = Parsed::default();
    match age::ssh::Identity::from_buffer(BufReader::new(bytes), Some(label.to_owned())) {
        Ok(age::ssh::Identity::Unencrypted(k)) => {
            p.age.push(Box::new(age::ssh::Identity::Unencrypted(k)));
            let shown = public.unwrap_or_else(|| "an SSH key (no .pub file beside it)".to_owned());
            p.found.push((shown, label.to_owned()));
        }
        Ok(age::ssh::Identity::Encrypted(k)) => {
            let tag = public.as_deref().and_then(ssh_tag);
            let shown = public.unwrap_or_else(|| {
                "a passphrase-protected SSH key (no .pub file beside it)".to_owned()
            });
            p.age.push(Box::new(LockedSshKey {
                key: k,
                tag,
                label: label.to_owned(),
                opened: std::sync::Mutex::new(None),
            }));
            p.found.push((shown, label.to_owned()));
        }
        Ok(age::ssh::Identity::Unsupported(_)) | Err(_) => {
            p.problems
                .push(format!("{label}: unsupported SSH key type"));
        }
    }
    p
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

/// What an identity text with `found` identities in it held, as sops tells it: lines
/// that are no identity are what age's parser calls an unknown identity type.
fn held(text: &str, found: usize) -> Held {
    if found > 0 {
        return Held::Keys(found);
    }
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    match lines.next() {
        None => Held::Nothing,
        Some(l) if l.starts_with("AGE-SECRET-KEY-1") => {
            Held::Unparsable("malformed secret key".to_owned())
        }
        Some(_) => Held::Unparsable("unknown identity type".to_owned()),
    }
}

/// An I/O error as Go prints it after the path: `no such file or directory`.
#[must_use]
pub fn go_error_text(e: &std::io::Error) -> String {
    let text = e.raw_os_error().map_or_else(
        || e.to_string(),
        |n| std::io::Error::from_raw_os_error(n).to_string(),
    );
    let text = text
        .split(" (os error")
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
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
    /// keyring and the default key files. Called as `sops`, only the sources sops reads
    /// (see [`sources_as_sops`]): a caller that chooses the key by setting sops'
    /// variables gets that key and no other.
    #[must_use]
    pub fn discover(flags: &[PathBuf]) -> Self {
        let own = !SOPS_SOURCES.load(std::sync::atomic::Ordering::Relaxed);
        let mut ids = Identities::default();
        for f in flags {
            ids.load_file(f, "--identity", true);
        }
        let vars: &[&str] = if own {
            &["SEALBOX_AGE_KEY", "SOPS_AGE_KEY"]
        } else {
            &["SOPS_AGE_KEY"]
        };
        for &var in vars {
            if let Ok(v) = std::env::var(var) {
                let v = zeroize::Zeroizing::new(v);
                ids.looked.push(format!("${var}"));
                let before = (ids.count(), ids.problems.len());
                ids.add_text(&v, &format!("${var}"));
                if var == "SOPS_AGE_KEY" {
                    ids.sops_places.key = Some(ids.held_since(before, &v));
                }
            }
        }
        let vars: &[&str] = if own {
            &["SEALBOX_AGE_KEY_FILE", "SOPS_AGE_KEY_FILE"]
        } else {
            &["SOPS_AGE_KEY_FILE"]
        };
        for &var in vars {
            if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
                let h = ids.load_file(Path::new(&v), &format!("${var}"), true);
                if var == "SOPS_AGE_KEY_FILE" {
                    let name = Path::new(&v).display().to_string();
                    ids.sops_places.key_file = h.map(|h| (name, h));
                }
            }
        }
        for (var, ssh) in [
            ("SOPS_AGE_SSH_PRIVATE_KEY_CMD", true),
            ("SOPS_AGE_KEY_CMD", false),
        ] {
            if let Some(cmd) = std::env::var(var).ok().filter(|c| !c.trim().is_empty()) {
                ids.looked
                    .push(format!("${var} (run for each age recipient tried)"));
                match KeyCmd::new(var, &cmd, ssh) {
                    Ok(k) => ids.key_cmds.push(k),
                    Err(e) => ids.problems.push(e),
                }
            }
        }
        if own {
            ids.looked
                .push("the OS keyring (service sealbox)".to_owned());
            if let Some((text, store)) = keyring::load() {
                let text = zeroize::Zeroizing::new(text);
                ids.add_text(&text, &format!("the {store} (service sealbox)"));
            }
        }
        if let Some(dir) = config_dir() {
            if own {
                ids.load_file(&dir.join("sealbox").join("identities"), "", false);
            }
            let keys_txt = dir.join("sops").join("age").join("keys.txt");
            let h = ids.load_file(&keys_txt, "", false);
            ids.sops_places.keys_txt = (Some(keys_txt.display().to_string()), h);
        }
        let ssh_var = "SOPS_AGE_SSH_PRIVATE_KEY_FILE";
        if let Some(v) = std::env::var_os(ssh_var).filter(|v| !v.is_empty()) {
            let h = ids.load_file(Path::new(&v), "$SOPS_AGE_SSH_PRIVATE_KEY_FILE", true);
            ids.sops_places.ssh.push((ssh_var.to_owned(), h));
        } else {
            ids.sops_places.ssh.push((ssh_var.to_owned(), None));
        }
        if let Some(home) = std::env::var_os("HOME") {
            let ssh = PathBuf::from(home).join(".ssh");
            for name in ["id_ed25519", "id_rsa"] {
                let path = ssh.join(name);
                let h = ids.load_file(&path, "", false);
                ids.sops_places.ssh.push((path.display().to_string(), h));
            }
        }
        ids
    }

    /// How many identities have been found so far.
    fn count(&self) -> usize {
        self.age.len() + self.plugins.len()
    }

    /// Loads an identity file; what it held (`None`: a default location that does not
    /// exist).
    fn load_file(&mut self, path: &Path, via: &str, must_exist: bool) -> Option<Held> {
        let before = (self.count(), self.problems.len());
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
                return Some(Held::Unreadable(why));
            }
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => zeroize::Zeroizing::new(b),
            Err(e) => {
                if must_exist || e.kind() != std::io::ErrorKind::NotFound {
                    self.problems.push(format!("{label}: cannot read ({e})"));
                    return Some(Held::Unreadable(go_error_text(&e)));
                }
                return None;
            }
        };
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
        if text.contains("PRIVATE KEY-----") {
            let mut public = path.as_os_str().to_owned();
            public.push(".pub");
            let shown = std::fs::read_to_string(&public)
                .ok()
                .map(|p| p.split_whitespace().take(2).collect::<Vec<_>>().join(" "));
            self.take(parse_ssh(&bytes, &label, shown));
            return Some(self.held_since(before, ""));
        }
        // An identity file encrypted with `age -p` (binary or armored), as sops 3.10+
        // reads it: the passphrase is asked on the terminal.
        if bytes.starts_with(b"age-encryption.org/v1\n")
            || text
                .trim_start()
                .starts_with("-----BEGIN AGE ENCRYPTED FILE-----")
        {
            self.take(open_passphrase_file(&bytes, &label, path));
            return Some(self.held_since(before, ""));
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
            return Some(self.held_since(before, ""));
        }
        self.add_text(&text, &label);
        Some(self.held_since(before, &text))
    }

    /// What a place held, from the identities and problems found since `before`
    /// (their counts then) and its text: our words for a problem when there is one
    /// (a plugin not installed, a passphrase that cannot be asked), else age's.
    fn held_since(&self, before: (usize, usize), text: &str) -> Held {
        let found = self.count() - before.0;
        let problems: Vec<&str> = self.problems[before.1..]
            .iter()
            .map(String::as_str)
            .filter(|p| !p.ends_with(": no age identity in it"))
            .collect();
        if found == 0 && !problems.is_empty() {
            return Held::Unparsable(problems.join("; "));
        }
        held(text, found)
    }

    fn add_text(&mut self, text: &str, label: &str) {
        self.take(parse_text(text, label));
    }

    fn take(&mut self, p: Parsed) {
        self.age.extend(p.age);
        self.plugins.extend(p.plugins);
        self.found.extend(p.found);
        self.problems.extend(p.problems);
    }

    /// The identities found, and those the key commands print when run for no
    /// particular recipient (`whoami`, `init`), with the problems met.
    #[must_use]
    pub fn listing(&self) -> (Vec<(String, String)>, Vec<String>) {
        let mut found = self.found.clone();
        let mut problems = self.problems.clone();
        for k in &self.key_cmds {
            match k.identities_for("") {
                Ok(p) => found.extend(p.found.iter().cloned()),
                Err(e) => problems.push(e),
            }
        }
        (found, problems)
    }
}

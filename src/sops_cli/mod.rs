//! sealbox as `sops`: sops' own command line (the subcommands and the legacy
//! `sops -d FILE` form), its environment variables, output shapes and exit codes, as a
//! thin front end over the same library and commands sealbox's own grammar uses.
//! Entered when the binary is called `sops` (a symlink) or as `sealbox sops ARGS…`.
//!
//! `args` reads the command line, `keys` decides the master keys of new files
//! (flags, `SOPS_*` variables, `.sops.yaml` found from the working directory),
//! `files` runs encrypt/decrypt/rotate and holds the shared read/unwrap/write helpers,
//! `edits` set/unset, `keygroups` updatekeys/groups/filestatus, `run` the commands
//! that start programs (editor, `exec-env`, `exec-file`).

pub mod args;
mod cmdflags;
mod completion;
mod edits;
mod files;
mod keygroups;
mod keyreport;
mod keys;
mod publish;
mod run;
mod sopsconf;

use std::path::{Path, PathBuf};

use crate::commands::ctx::Ctx;
use crate::error::Error;
use crate::sops::SopsError;
use crate::store::Format;
use args::SopsArgs;

/// The sops release whose command line this front end speaks.
pub const SOPS_CLI_VERSION: &str = "3.11.0";

/// Writes `msg` to stderr as Go's standard logger does, after the local date and time
/// (`2006/01/02 15:04:05`); UTC where the local offset cannot be read.
pub(crate) fn go_log(msg: &str) {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let stamp = time::macros::format_description!("[year]/[month]/[day] [hour]:[minute]:[second]");
    eprintln!("{} {msg}", now.format(&stamp).unwrap_or_default());
}

/// sops' exit codes (`cmd/sops/codes`).
pub mod code {
    /// Generic error.
    pub const ERROR_GENERIC: u8 = 1;
    /// Could not read the input file (also parse errors on encrypt).
    pub const COULD_NOT_READ_INPUT_FILE: u8 = 2;
    /// Could not write the output file.
    pub const COULD_NOT_WRITE_OUTPUT_FILE: u8 = 3;
    /// The tree could not be written in the output format.
    pub const ERROR_DUMPING_TREE: u8 = 4;
    /// Invalid KMS encryption context.
    pub const INVALID_KMS_ENCRYPTION_CONTEXT: u8 = 6;
    /// Invalid `--set` argument.
    pub const INVALID_SET_FORMAT: u8 = 7;
    /// Conflicting flags.
    pub const CONFLICTING_PARAMETERS: u8 = 8;
    /// A value could not be encrypted.
    pub const ERROR_ENCRYPTING_TREE: u8 = 23;
    /// A value could not be decrypted (wrong key path, tampered ciphertext).
    pub const ERROR_DECRYPTING_TREE: u8 = 25;
    /// Keys cannot be added to or removed from a file that does not exist.
    pub const CANNOT_CHANGE_KEYS_FROM_NON_EXISTENT_FILE: u8 = 49;
    /// The MAC does not match (or cannot be decrypted).
    pub const MAC_MISMATCH: u8 = 51;
    /// Invalid `--extract`/`set` tree path.
    pub const INVALID_TREE_PATH_FORMAT: u8 = 91;
    /// An empty file cannot be encrypted.
    pub const NEED_AT_LEAST_ONE_DOCUMENT: u8 = 92;
    /// No file given, or it does not exist.
    pub const NO_FILE_SPECIFIED: u8 = 100;
    /// No master key for a new file.
    pub const NO_ENCRYPTION_KEY_FOUND: u8 = 111;
    /// A key type named twice in `--decryption-order`.
    pub const DUPLICATE_DECRYPTION_KEY_TYPE: u8 = 112;
    /// No master key could unwrap the data key.
    pub const COULD_NOT_RETRIEVE_KEY: u8 = 128;
    /// `edit` left the file unchanged.
    pub const FILE_HAS_NOT_BEEN_MODIFIED: u8 = 200;
    /// No editor could be started.
    pub const NO_EDITOR_FOUND: u8 = 201;
    /// The file already has sops metadata.
    pub const FILE_ALREADY_ENCRYPTED: u8 = 203;
}

/// A failure with sops' exit code and a message for stderr (never a secret value).
#[derive(Debug)]
pub struct Fail {
    /// sops' exit code.
    pub code: u8,
    /// What to print.
    pub msg: String,
    /// `msg` is several lines, each already safe to print (see [`Fail::lines`]).
    pub multiline: bool,
}

impl Fail {
    /// A failure with `code`.
    pub fn new(code: u8, msg: impl Into<String>) -> Self {
        Self {
            code,
            msg: msg.into(),
            multiline: false,
        }
    }

    /// A failure whose message is several lines, as sops prints some; the lines are
    /// printed as they are, so every text from a file in them must be escaped already.
    pub fn lines(code: u8, lines: Vec<String>) -> Self {
        Self {
            code,
            msg: lines.join("\n"),
            multiline: true,
        }
    }

    /// A command-line mistake (sops exits 1 for these).
    pub fn usage(msg: impl Into<String>) -> Self {
        Self::new(code::ERROR_GENERIC, msg)
    }

    /// An envelope error while opening or sealing `path`.
    fn sops(path: &Path, e: SopsError) -> Self {
        let name = path.display();
        match e {
            SopsError::NotEncrypted => Fail::new(
                code::ERROR_GENERIC,
                format!("sops metadata not found ({name})"),
            ),
            SopsError::AlreadyEncrypted => Fail::new(
                code::FILE_ALREADY_ENCRYPTED,
                format!("{name}: the file you have provided contains a top-level entry called 'sops' (for flat formats, entries starting with 'sops_'); it is probably encrypted already. To change it, use the editor mode: `sops {name}`"),
            ),
            SopsError::Mac(m) => Fail::new(code::MAC_MISMATCH, format!("{name}: {m}")),
            SopsError::Integrity(m) => Fail::new(
                code::ERROR_DECRYPTING_TREE,
                format!("Error decrypting tree: {name}: {m}"),
            ),
            SopsError::BadMetadata(m) => Fail::new(
                code::ERROR_GENERIC,
                format!("{name}: bad sops metadata: {m}"),
            ),
            SopsError::Unsupported(m) => Fail::new(code::ERROR_GENERIC, format!("{name}: {m}")),
            e @ SopsError::CommentLooksPlain => Fail::new(
                code::ERROR_ENCRYPTING_TREE,
                format!("Error encrypting tree: {name}: {e}"),
            ),
            SopsError::Rng => Fail::new(
                code::ERROR_ENCRYPTING_TREE,
                "the operating system's random number generator failed",
            ),
        }
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::NoIdentity { .. } => code::COULD_NOT_RETRIEVE_KEY,
            Error::Integrity { message, .. } if message.contains("MAC") => code::MAC_MISMATCH,
            Error::Integrity { .. } => code::ERROR_DECRYPTING_TREE,
            Error::Exec { code, .. } => *code,
            _ => code::ERROR_GENERIC,
        };
        let msg = match &e {
            Error::NotEncrypted { path } => {
                format!("sops metadata not found ({})", path.display())
            }
            // sealbox's own identities are not read when called as sops: say so to the
            // user who has some.
            Error::NoIdentity { .. } if own_identities_present() => format!(
                "{}; called as sops, sealbox reads only sops' key sources, not SEALBOX_AGE_KEY*, its keyring or ~/.config/sealbox/identities (set SOPS_AGE_KEY_FILE to such a file)",
                e.to_string().replace(
                    "pass -i KEYFILE or set SEALBOX_AGE_KEY_FILE",
                    "set SOPS_AGE_KEY_FILE",
                )
            ),
            // sops' `-i` is --in-place: the hint names the variables instead.
            other => other.to_string().replace(
                "pass -i KEYFILE or set SEALBOX_AGE_KEY_FILE",
                "set SOPS_AGE_KEY_FILE",
            ),
        };
        Fail::new(code, msg)
    }
}

/// Prints a warning as sops logs one (logrus behind its `[CMD]` prefix): coloured with
/// the seconds since start on a terminal, else `time=… level=warning msg="…"`.
pub(crate) fn warn(msg: &str) {
    use std::io::IsTerminal as _;
    if std::io::stderr().is_terminal() {
        eprintln!("[CMD]\t \x1b[33mWARN\x1b[0m[0000] {msg}");
        return;
    }
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let stamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    eprintln!("[CMD]\t time=\"{stamp}\" level=warning msg={msg:?}");
}

/// Reads one word from a line of `input` as Go's `fmt.Scanln` does for sops' y/n
/// questions: nothing left is `EOF`, an empty line `unexpected newline`, two words
/// `expected newline` (each exit 1).
pub(crate) fn scan_word(input: &mut impl std::io::BufRead) -> Result<String, Fail> {
    let mut line = String::new();
    let n = input
        .read_line(&mut line)
        .map_err(|e| Fail::usage(e.to_string()))?;
    if n == 0 {
        return Err(Fail::usage("EOF"));
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => Err(Fail::usage("unexpected newline")),
        [w] => Ok((*w).to_owned()),
        _ => Err(Fail::usage("expected newline")),
    }
}

/// Whether sealbox's own identity sources (which the sops front end does not read)
/// hold something: its variables or its identities file.
fn own_identities_present() -> bool {
    ["SEALBOX_AGE_KEY", "SEALBOX_AGE_KEY_FILE"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
        || crate::identity::config_dir()
            .is_some_and(|d| d.join("sealbox").join("identities").is_file())
}

/// Whether the program was called as `sops` (a link named so).
#[must_use]
pub fn called_as_sops(argv0: &std::ffi::OsStr) -> bool {
    Path::new(argv0)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "sops" || n == "sops.exe")
}

/// Runs a sops command line (the arguments after the program name); returns the
/// process exit code.
#[must_use]
pub fn main(argv: &[std::ffi::OsString]) -> u8 {
    crate::store::yaml::floats_as_go_yaml();
    crate::store::act_as_go_stores();
    crate::identity::sources_as_sops();
    crate::output::rewrite_in_place_as_sops();
    let mut args = Vec::with_capacity(argv.len());
    for a in argv {
        match a.to_str() {
            Some(s) => args.push(s.to_owned()),
            None => {
                eprintln!("arguments must be valid UTF-8");
                return code::ERROR_GENERIC;
            }
        }
    }
    // Asked by a completion script for the candidates after these words.
    if args.last().map(String::as_str) == Some(completion::ASK) {
        print!("{}", completion::candidates(&args[..args.len() - 1]));
        return 0;
    }
    let run = SopsArgs::parse(&args).and_then(|a| {
        dispatch(&a).map_err(|mut f| {
            // A key only a remote key service could have unwrapped: say why it was not.
            if f.code == code::COULD_NOT_RETRIEVE_KEY
                && !a.list("keyservice").is_empty()
                && !f.msg.contains("--keyservice")
            {
                f.msg.push_str(
                    " (sealbox does not consult the remote key services given with --keyservice)",
                );
            }
            f
        })
    });
    match run {
        Ok(code) => code,
        Err(f) => {
            if f.multiline {
                // Built line by line with every file's text escaped; a line's other
                // control characters are escaped here all the same.
                for line in f.msg.split('\n') {
                    eprintln!("{}", crate::output::escape_name(line));
                }
            } else if !f.msg.is_empty() {
                // A hostile file's strings (recipients, addresses) cannot forge
                // lines or terminal escapes.
                eprintln!("{}", crate::output::escape_name(&f.msg));
            }
            f.code
        }
    }
}

/// The context the library's commands get: sops behaves like sops, so children
/// inherit the environment as they would under sops, and no sealbox-only flag applies.
fn context(order: Vec<String>) -> Ctx {
    Ctx::new(crate::cli::GlobalArgs {
        keep_identity_env: true,
        quiet: true,
        ..crate::cli::GlobalArgs::default()
    })
    .with_decryption_order(order)
}

fn dispatch(a: &SopsArgs) -> Result<u8, Fail> {
    if a.on("version") {
        // One version number only: callers grep the first `N.N.N` (the sops grammar we
        // speak); the parenthesis is where sops itself says "(latest)".
        println!("sops {SOPS_CLI_VERSION} (sealbox)");
        return Ok(0);
    }
    let order = decryption_order(a)?;
    if let Some(c) = a.get("config") {
        if std::fs::metadata(&c).is_err() {
            return Err(Fail::usage(format!(
                "could not read config file: {c}: no such file"
            )));
        }
    }
    if !a.on("help") {
        // A broken `.sops.yaml` stops every command, as in sops.
        sopsconf::load(a)?;
    }
    if a.on("help")
        || a.command
            .as_deref()
            .is_some_and(|c| c == "help" || c == "h")
    {
        print!("{}", help(a));
        return Ok(0);
    }
    let ctx = context(order);
    // Plaintext copies a killed run left (edit, exec-file) go first, as in sealbox.
    crate::commands::edit::clean_stale_dirs(&ctx);
    check_key_services(a)?;
    match a.command.as_deref() {
        None => legacy(&ctx, a),
        Some("encrypt") => files::encrypt(&ctx, a),
        Some("decrypt") => files::decrypt(&ctx, a),
        Some("rotate") => files::rotate(&ctx, a),
        Some("set") => edits::set(&ctx, a),
        Some("unset") => edits::unset(&ctx, a),
        Some("updatekeys") => keygroups::updatekeys(&ctx, a),
        Some("filestatus") => keygroups::filestatus(a),
        Some("groups") => keygroups::groups(&ctx, a),
        Some("edit") => run::edit(&ctx, a),
        Some("exec-env") => run::exec_env(&ctx, a),
        Some("exec-file") => run::exec_file(&ctx, a),
        Some("publish") => publish::publish(&ctx, a),
        Some("keyservice") => Err(Fail::usage(
            "sops keyservice is not supported by sealbox: it runs no gRPC key service; run the real `sops keyservice` on the machine that holds the keys (sealbox's own commands use local keys and cloud KMS directly)",
        )),
        Some("completion") => {
            print!("{}", completion::script(a.positional.first().map(String::as_str))?);
            Ok(0)
        }
        Some(other) => Err(Fail::usage(format!(
            "`sops {other}` is not supported by sealbox (sealbox speaks the sops {SOPS_CLI_VERSION} command line for files: encrypt, decrypt, edit, rotate, set, unset, updatekeys, exec-env, exec-file, filestatus, groups, publish to Vault); run the real sops for {other}"
        ))),
    }
}

/// The bare form: `sops [-e|-d|-r|--set …] [flags] FILE` (none of them: edit).
fn legacy(ctx: &Ctx, a: &SopsArgs) -> Result<u8, Fail> {
    let modes = ["encrypt", "decrypt", "rotate"]
        .iter()
        .filter(|m| a.on(m))
        .count()
        + usize::from(a.get("set").is_some());
    if modes > 1 {
        // sops runs each and keeps the last one's result (deprecated, with a warning).
        warn("More than one command (--encrypt, --decrypt, --rotate, --set) has been specified. Only the changes made by the last one will be visible. Note that this behavior is deprecated and will cause an error eventually.");
    }
    if a.positional.is_empty() {
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            "Error: no file specified",
        ));
    }
    if let Some(set) = a.get("set") {
        // sops reads `--extract` in every mode: a bad path stops `--set` too (91).
        if let Some(e) = a.get("extract").filter(|e| !e.is_empty()) {
            files::tree_path(&e)?;
        }
        edits::legacy_set(ctx, a, &set)
    } else if a.on("rotate") {
        files::rotate(ctx, a)
    } else if a.on("decrypt") {
        files::decrypt(ctx, a)
    } else if a.on("encrypt") {
        files::encrypt(ctx, a)
    } else {
        run::edit(ctx, a)
    }
}

/// Whether the local key service is on: `--enable-local-keyservice` (or
/// `SOPS_ENABLE_LOCAL_KEYSERVICE`) defaults to true, as in sops.
fn local_keyservice(a: &SopsArgs) -> Result<bool, Fail> {
    match a.get("enable-local-keyservice") {
        None => Ok(true),
        Some(v) => match v.as_str() {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
            _ => Err(Fail::usage(format!(
                "Incorrect Usage: invalid boolean value \"{v}\" for -enable-local-keyservice: parse error"
            ))),
        },
    }
}

/// sealbox's keys are the local key service; remote ones (`--keyservice`) are accepted
/// and never asked, since sealbox has no gRPC client. With the local one turned off
/// no key is left, and commands that need one fail as sops fails without services.
fn check_key_services(a: &SopsArgs) -> Result<(), Fail> {
    if local_keyservice(a)? {
        return Ok(());
    }
    let remote = if a.list("keyservice").is_empty() {
        ""
    } else {
        " (sealbox does not consult remote key services given with --keyservice)"
    };
    let encrypting =
        a.command.as_deref() == Some("encrypt") || (a.command.is_none() && a.on("encrypt"));
    match a.command.as_deref() {
        Some("filestatus" | "keyservice" | "completion" | "help" | "h") => Ok(()),
        _ if encrypting => Err(Fail::usage(format!(
            "Could not generate data key: [no key services provided, cannot update master keys]{remote}"
        ))),
        _ => Err(Fail::new(
            code::COULD_NOT_RETRIEVE_KEY,
            format!("Failed to get the data key required to decrypt the SOPS file: the local key service is disabled (--enable-local-keyservice=false){remote}"),
        )),
    }
}

/// `--decryption-order` (or `SOPS_DECRYPTION_ORDER`): the key types to try first, in
/// order (`age`, `pgp`, `kms`, `gcp_kms`, `azure_kv`, `hc_vault`; unknown names are
/// ignored, as sops ignores them). Empty when not given: age, then pgp.
fn decryption_order(a: &SopsArgs) -> Result<Vec<String>, Fail> {
    let Some(order) = a.get("decryption-order") else {
        return Ok(Vec::new());
    };
    let mut out: Vec<String> = Vec::new();
    for t in order.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if out.iter().any(|o| o == t) {
            return Err(Fail::new(
                code::DUPLICATE_DECRYPTION_KEY_TYPE,
                format!("Duplicate decryption key type: {t}"),
            ));
        }
        out.push(t.to_owned());
    }
    Ok(out)
}

/// The file a command works on: `path` (None = stdin) and the name that decides the
/// format and the creation rule (`--filename-override`, else the path).
pub(crate) struct Input {
    pub path: Option<PathBuf>,
    pub name: PathBuf,
}

impl Input {
    /// The first positional argument, or stdin.
    fn from_args(a: &SopsArgs, stdin_needs_override: bool) -> Result<Self, Fail> {
        let over = a.get("filename-override").map(PathBuf::from);
        match a.positional.first() {
            Some(p) => {
                let path = PathBuf::from(p);
                Ok(Self {
                    name: over.unwrap_or_else(|| path.clone()),
                    path: Some(path),
                })
            }
            None => {
                if stdin_needs_override && over.is_none() {
                    return Err(Fail::new(
                        code::CONFLICTING_PARAMETERS,
                        "Error: must specify --filename-override when reading from stdin",
                    ));
                }
                Ok(Self {
                    name: over.unwrap_or_else(|| PathBuf::from("/dev/stdin")),
                    path: None,
                })
            }
        }
    }

    /// A file that must exist (commands that rewrite files).
    fn existing(a: &SopsArgs) -> Result<Self, Fail> {
        let i = Self::from_args(a, false)?;
        match &i.path {
            None => Err(Fail::new(
                code::NO_FILE_SPECIFIED,
                "Error: no file specified",
            )),
            Some(p) => {
                require_exists(p)?;
                Ok(i)
            }
        }
    }

    fn shown(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new("-"))
    }

    fn read(&self) -> Result<Vec<u8>, Fail> {
        use std::io::Read as _;
        match &self.path {
            Some(p) => {
                require_exists(p)?;
                crate::commands::open::read(p)
                    .map_err(|e| Fail::new(code::COULD_NOT_READ_INPUT_FILE, format!("Error: {e}")))
            }
            None => {
                let mut buf = Vec::new();
                std::io::stdin().lock().read_to_end(&mut buf).map_err(|e| {
                    Fail::new(
                        code::COULD_NOT_READ_INPUT_FILE,
                        format!("Error reading from stdin: {e}"),
                    )
                })?;
                Ok(buf)
            }
        }
    }

    fn in_format(&self, a: &SopsArgs) -> Result<Format, Fail> {
        type_flag(a, "input-type")?.map_or_else(|| Ok(Format::from_path(&self.name)), Ok)
    }

    fn out_format(&self, a: &SopsArgs) -> Result<Format, Fail> {
        type_flag(a, "output-type")?.map_or_else(|| Ok(Format::from_path(&self.name)), Ok)
    }
}

fn require_exists(p: &Path) -> Result<(), Fail> {
    if std::fs::metadata(p).is_err() {
        let shown = crate::config::discover::go_abs(p);
        return Err(Fail::new(
            code::NO_FILE_SPECIFIED,
            format!(
                "Error: cannot operate on non-existent file \"{}\"",
                shown.display()
            ),
        ));
    }
    Ok(())
}

fn type_flag(a: &SopsArgs, flag: &str) -> Result<Option<Format>, Fail> {
    match a.get(flag) {
        None => Ok(None),
        Some(t) if t.is_empty() => Ok(None),
        // sops falls back to the file's extension for a type it does not know.
        Some(t) => Ok(Format::from_name(&t)),
    }
}

/// The commands sops 3.11 has, with what each does; sealbox lacks the last two.
const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "encrypt",
        "encrypt a file, and output the results to stdout",
        "[file]",
    ),
    (
        "decrypt",
        "decrypt a file, and output the results to stdout",
        "[file]",
    ),
    ("edit", "edit an encrypted file", "[file]"),
    (
        "rotate",
        "generate a new data encryption key and reencrypt all values",
        "[file]",
    ),
    (
        "set",
        "set a specific key or branch in the input document",
        "file index value",
    ),
    (
        "unset",
        "unset a specific key or branch in the input document",
        "file index",
    ),
    (
        "updatekeys",
        "update the keys of SOPS files using the config file",
        "file...",
    ),
    (
        "exec-env",
        "execute a command with decrypted values inserted into the environment",
        "file command",
    ),
    (
        "exec-file",
        "execute a command with the decrypted contents as a temporary file",
        "file command",
    ),
    (
        "filestatus",
        "check the status of the file, returning encryption status",
        "file",
    ),
    ("groups", "modify the groups on a SOPS file", "add|delete"),
    (
        "publish",
        "publish sops file or directory to a configured destination (Vault KV only)",
        "file|dir",
    ),
    ("completion", "print a shell completion script", "bash|zsh"),
];

/// Flags read before a subcommand, and the legacy single-command form's.
const GLOBAL_FLAGS: &[&str] = &[
    "config",
    "verbose",
    "indent",
    "mac-only-encrypted",
    "decryption-order",
    "disable-version-check",
    "check-for-updates",
    "enable-local-keyservice",
    "keyservice",
    "encrypt",
    "decrypt",
    "rotate",
    "in-place",
    "output",
    "extract",
    "set",
    "input-type",
    "output-type",
    "filename-override",
    "ignore-mac",
    "show-master-keys",
    "age",
    "pgp",
    "kms",
    "aws-profile",
    "gcp-kms",
    "azure-kv",
    "hc-vault-transit",
    "hckms",
    "encryption-context",
    "shamir-secret-sharing-threshold",
    "unencrypted-suffix",
    "encrypted-suffix",
    "unencrypted-regex",
    "encrypted-regex",
    "unencrypted-comment-regex",
    "encrypted-comment-regex",
    "add-age",
    "rm-age",
    "add-pgp",
    "rm-pgp",
    "add-kms",
    "rm-kms",
    "add-gcp-kms",
    "rm-gcp-kms",
    "add-azure-kv",
    "rm-azure-kv",
    "add-hc-vault-transit",
    "rm-hc-vault-transit",
    "add-hckms",
    "rm-hckms",
    "help",
    "version",
];

/// `--help`: the whole command line, or one command's (`sops decrypt --help`, `sops
/// help decrypt`, `sops groups add --help`) with every flag it takes, so a script that
/// looks for a flag in the help finds the ones sops has.
fn help(a: &SopsArgs) -> String {
    let asked = match a.command.as_deref() {
        Some("help" | "h") => a.positional.first().map(String::as_str),
        other => other,
    };
    let sub = if asked == Some("groups") {
        a.sub.as_deref().or_else(|| {
            a.positional
                .get(usize::from(a.command.as_deref() != Some("groups")))
                .map(String::as_str)
        })
    } else {
        None
    };
    let options = |flags: &[&str]| -> String {
        flags
            .iter()
            .filter_map(|f| args::help_line(f))
            .map(|l| format!("   {l}\n"))
            .collect()
    };
    if let Some((name, what, operands)) = asked.and_then(|c| COMMANDS.iter().find(|x| x.0 == c)) {
        let (name, operands) = match sub {
            Some("add") => (format!("{name} add"), "[key...]"),
            Some("delete") => (format!("{name} delete"), "index"),
            _ => ((*name).to_owned(), *operands),
        };
        if name == "groups" {
            return format!(
                "NAME:\n   sops groups - {what}\n\nUSAGE:\n   sops groups command [command options]\n\nCOMMANDS:\n   add      add a new group to a SOPS file\n   delete   delete a key group from a SOPS file\n"
            );
        }
        let flags = cmdflags::of(asked.unwrap_or_default(), sub).unwrap_or_default();
        return format!(
            "NAME:\n   sops {name} - {what}\n\nUSAGE:\n   sops {name} [command options] {operands}\n\nOPTIONS:\n{}",
            options(&flags)
        );
    }
    let commands: String = COMMANDS
        .iter()
        .map(|(n, w, _)| format!("   {n:<12} {w}\n"))
        .collect();
    format!(
        "NAME:
   sops - sops-compatible front end of sealbox (speaks sops {SOPS_CLI_VERSION})

USAGE:
   sops [global options] command [command options] [arguments...]
   sops [-e|-d|-r] [-i] [--output FILE] [--extract PATH] [--set 'PATH VALUE'] FILE

VERSION:
   {SOPS_CLI_VERSION}

COMMANDS:
{commands}
   Not provided by sealbox: keyservice.

GLOBAL OPTIONS:
{}",
        options(GLOBAL_FLAGS)
    )
}

//! The top-level error: one line naming the file, what went wrong and how to fix it,
//! mapped to DESIGN's exit codes (2 usage/config, 3 no identity, 4 integrity, 5 I/O or
//! backend). Messages never contain secret values.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes shared by every command.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Findings (`scan`, `check`).
    pub const FINDINGS: u8 = 1;
    /// Usage or configuration error.
    pub const USAGE: u8 = 2;
    /// No identity could decrypt.
    pub const NO_IDENTITY: u8 = 3;
    /// Integrity failure (MAC or tag mismatch, tampered file).
    pub const INTEGRITY: u8 = 4;
    /// I/O or backend error.
    pub const IO: u8 = 5;
}

/// Everything a command can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Bad flags or arguments.
    Usage(String),
    /// A configuration file is wrong.
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An input file cannot be used as given (malformed, wrong format, not encrypted).
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// A file that should be a sops file has no sops metadata (bulk runs skip such files
    /// when they were found in a directory rather than named).
    NotEncrypted {
        /// The file.
        path: PathBuf,
    },
    /// `edit` could not save because another writer changed the same keys meanwhile;
    /// the edit was saved aside, encrypted.
    EditSetAside {
        /// The edited file.
        path: PathBuf,
        /// The keys both changed (names only).
        keys: Vec<String>,
        /// Where the edit went.
        aside: PathBuf,
    },
    /// No identity unwrapped the data key.
    NoIdentity {
        /// The file.
        path: PathBuf,
        /// The file's recipients.
        recipients: Vec<String>,
        /// Where sealbox looked for identities.
        looked: Vec<String>,
        /// Backend failures met on the way.
        problems: Vec<String>,
        /// The environment the file belongs to, when known.
        environment: Option<String>,
    },
    /// The audit log's hash chain is broken (lines changed, removed or the log deleted).
    AuditChain {
        /// The log.
        path: PathBuf,
        /// Where and how.
        message: String,
    },
    /// The file was tampered with or corrupted.
    Integrity {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// Reading or writing failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What we were doing.
        action: &'static str,
        /// The OS error.
        source: std::io::Error,
    },
    /// A key backend failed.
    Backend {
        /// The file.
        path: PathBuf,
        /// What failed.
        message: String,
    },
    /// A secrets manager answered and refused (no permission on a key): exit 3.
    Refused {
        /// The target (`vault:secret/app`, `aws-sm:NAME`, …).
        target: String,
        /// What was refused, naming the key, and how to fix it.
        message: String,
    },
    /// The command declined to go on (a dirty work tree, no confirmation): exit 3.
    Declined(String),
    /// `exec` could not start the command (126 not executable, 127 not found).
    Exec {
        /// The command as typed.
        command: String,
        /// 126 or 127.
        code: u8,
        /// Why.
        message: String,
    },
}

/// How a command that ran to its end went. What it found is an outcome, not an
/// error: it was reported as it was found, and only sets the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// Nothing to report (exit 0).
    Clean,
    /// `check`, `scan` or the merge driver found problems, already reported (exit 1).
    Findings(usize),
    /// Some files of a bulk run failed, each already reported.
    Failed {
        /// How many failed.
        failed: usize,
        /// The highest exit code among them.
        code: u8,
    },
    /// A child sealbox waited for (`exec --redact`) ended with this code (128+N when
    /// signal N killed it).
    Exited(u8),
}

impl Outcome {
    /// The process exit code for this outcome.
    #[must_use]
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => exit::OK,
            Outcome::Findings(_) => exit::FINDINGS,
            Outcome::Failed { code, .. } | Outcome::Exited(code) => code,
        }
    }

    /// `Findings(n)`, or `Clean` when `n` is 0.
    pub fn findings(n: usize) -> Self {
        if n == 0 {
            Outcome::Clean
        } else {
            Outcome::Findings(n)
        }
    }
}

impl From<()> for Outcome {
    fn from((): ()) -> Self {
        Outcome::Clean
    }
}

impl Error {
    /// The process exit code for this error.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_)
            | Error::Config { .. }
            | Error::Input { .. }
            | Error::NotEncrypted { .. }
            | Error::EditSetAside { .. } => exit::USAGE,
            Error::NoIdentity { .. } | Error::Refused { .. } | Error::Declined(_) => {
                exit::NO_IDENTITY
            }
            Error::Integrity { .. } | Error::AuditChain { .. } => exit::INTEGRITY,
            Error::Io { .. } | Error::Backend { .. } => exit::IO,
            Error::Exec { code, .. } => *code,
        }
    }

    /// Shorthand for an input error.
    pub fn input(path: &Path, message: impl Into<String>, hint: Option<&str>) -> Self {
        Error::Input {
            path: path.to_owned(),
            message: message.into(),
            hint: hint.map(str::to_owned),
        }
    }

    /// Shorthand for an I/O error.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_owned(),
            action,
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => f.write_str(m),
            Error::Config { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Input { path, message, hint } => {
                write!(f, "{}: {message}", path.display())?;
                if let Some(h) = hint {
                    write!(f, " (hint: {h})")?;
                }
                Ok(())
            }
            Error::EditSetAside { path, keys, aside } => write!(
                f,
                "{}: was changed by another writer while you edited, and both changed {}; the file keeps the other change, your edit is saved encrypted in {} (hint: compare with `sealbox decrypt` on both files, then `sealbox edit` the file)",
                path.display(),
                keys.join(", "),
                aside.display()
            ),
            Error::NotEncrypted { path } => write!(
                f,
                "{}: is not encrypted (no sops metadata found) (hint: encrypt it with `sealbox encrypt`, or pass --input-type if the extension is misleading)",
                path.display()
            ),
            Error::NoIdentity {
                path,
                recipients,
                looked,
                problems,
                environment,
            } => {
                let env = environment.as_ref().map(|e| format!(" of environment '{e}'")).unwrap_or_default();
                write!(
                    f,
                    "{}{env}: no identity could decrypt this file; it is encrypted to [{}]; looked in: {}",
                    path.display(),
                    recipients.join(", "),
                    if looked.is_empty() { "nowhere".to_owned() } else { looked.join(", ") }
                )?;
                if !problems.is_empty() {
                    write!(f, "; problems: {}", problems.join("; "))?;
                }
                write!(f, " (hint: pass -i KEYFILE or set SEALBOX_AGE_KEY_FILE to a key for one of these recipients)")
            }
            Error::AuditChain { path, message } => write!(
                f,
                "{}: audit chain broken: {message} (hint: keep this file as evidence and compare it with the copy your collector received (--audit-syslog); move it aside to start a new log)",
                path.display()
            ),
            Error::Integrity { path, message } => write!(
                f,
                "{}: integrity check failed: {message} (hint: restore the file from git; do not edit encrypted files by hand)",
                path.display()
            ),
            Error::Io { path, action, source } => write!(f, "{}: cannot {action}: {source}", path.display()),
            Error::Backend { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Refused { target, message } => write!(f, "{target}: {message}"),
            Error::Exec { command, message, .. } => write!(f, "{command}: {message}"),
            Error::Declined(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result alias for commands.
pub type Result<T, E = Error> = std::result::Result<T, E>;

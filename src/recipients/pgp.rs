//! PGP through the user's `gpg` (`SOPS_GPG_EXEC` or `gpg` on PATH, with `GNUPGHOME`
//! honoured): a `pgp` stanza is opened by `gpg --decrypt`, and a data key is wrapped
//! for a fingerprint by `gpg --encrypt` (for teams whose `.sops.yaml` names PGP keys).

use std::io::Write;
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

use super::{RecipientError, Unwrapped};
use crate::sops::MasterKey;
use crate::store::Value;

/// The stanza kind of PGP keys.
pub const KIND: &str = "pgp";

/// Decrypts the armored `enc` with gpg.
pub(crate) fn unwrap(key: &MasterKey) -> Unwrapped {
    let Some(enc) = key.field("enc") else {
        return Unwrapped::Failed("pgp stanza without enc".to_owned());
    };
    let exe = gpg_exe();
    // gpg's notes on stderr say why it could not (sops' report quotes them).
    let child = Command::new(&exe)
        .args(["--batch", "--no-tty", "--decrypt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) => {
            return Unwrapped::Failed(format!(
                "this file has PGP keys, which need gpg; '{exe}' could not be run (install gnupg or set SOPS_GPG_EXEC)"
            ))
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(enc.as_bytes());
    }
    match child.wait_with_output() {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => {
            Unwrapped::Key(Zeroizing::new(out.stdout))
        }
        Ok(out) => Unwrapped::Declined(String::from_utf8_lossy(&out.stderr).trim_end().to_owned()),
        Err(_) => Unwrapped::Failed(format!("gpg ('{exe}') failed")),
    }
}

fn gpg_exe() -> String {
    std::env::var("SOPS_GPG_EXEC").unwrap_or_else(|_| "gpg".to_owned())
}

/// A PGP key by its fingerprint (hex, upper case, no spaces), as sops writes `fp`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PgpKey(pub String);

impl PgpKey {
    /// Parses a fingerprint (spaces allowed, any case; a `0x` prefix is dropped).
    ///
    /// # Errors
    /// Anything but 16 to 40 hex digits.
    pub fn parse(s: &str) -> Result<Self, RecipientError> {
        let fp: String = s
            .trim()
            .trim_start_matches("0x")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !(16..=40).contains(&fp.len()) || !fp.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(RecipientError::Invalid(format!(
                "'{s}' is not a PGP fingerprint (16 to 40 hex digits)"
            )));
        }
        Ok(Self(fp))
    }

    /// The key of a file's `pgp` stanza.
    ///
    /// # Errors
    /// A stanza without `fp`.
    pub fn from_stanza(k: &MasterKey) -> Result<Self, RecipientError> {
        Self::parse(&super::need(k, "fp")?)
    }
}

impl super::Recipient for PgpKey {
    fn id(&self) -> &str {
        &self.0
    }

    fn kind(&self) -> &'static str {
        KIND
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let exe = gpg_exe();
        let mut child = Command::new(&exe)
            .args([
                "--batch",
                "--quiet",
                "--no-tty",
                "--trust-model",
                "always",
                "--armor",
                "--encrypt",
                "--recipient",
                &self.0,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|_| {
                RecipientError::Backend(format!(
                    "encrypting for PGP key {} needs gpg; '{exe}' could not be run (install gnupg or set SOPS_GPG_EXEC)",
                    self.0
                ))
            })?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(key)
                .map_err(|e| RecipientError::Wrap(format!("gpg: {e}")))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| RecipientError::Wrap(format!("gpg: {e}")))?;
        if !out.status.success() || out.stdout.is_empty() {
            let why = String::from_utf8_lossy(&out.stderr);
            let why = why.lines().next().unwrap_or("gpg failed").trim();
            return Err(RecipientError::Wrap(format!(
                "gpg could not encrypt for PGP key {} ({why}); import the public key into your keyring (gpg --import)",
                self.0
            )));
        }
        let enc = String::from_utf8(out.stdout)
            .map_err(|_| RecipientError::Wrap("gpg armor is not text".to_owned()))?;
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields: vec![
                (
                    "created_at".to_owned(),
                    Value::Str(crate::sops::metadata::created_at()),
                ),
                ("enc".to_owned(), Value::Str(enc.trim_end().to_owned())),
                ("fp".to_owned(), Value::Str(self.0.clone())),
            ],
        })
    }
}

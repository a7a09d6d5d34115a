//! PGP is read-only compatibility: a `pgp` stanza is opened by the user's `gpg`
//! (`SOPS_GPG_EXEC` or `gpg` on PATH, with `GNUPGHOME` honoured). sealbox never writes
//! PGP stanzas.

use std::io::Write;
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

use super::Unwrapped;
use crate::sops::MasterKey;

/// The stanza kind of PGP keys.
pub const KIND: &str = "pgp";

/// Decrypts the armored `enc` with gpg.
pub(crate) fn unwrap(key: &MasterKey) -> Unwrapped {
    let Some(enc) = key.field("enc") else {
        return Unwrapped::Failed("pgp stanza without enc".to_owned());
    };
    let exe = std::env::var("SOPS_GPG_EXEC").unwrap_or_else(|_| "gpg".to_owned());
    let child = Command::new(&exe)
        .args(["--batch", "--quiet", "--no-tty", "--decrypt"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
        Ok(_) => Unwrapped::NoMatch,
        Err(_) => Unwrapped::Failed(format!("gpg ('{exe}') failed")),
    }
}

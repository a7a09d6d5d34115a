//! The identity file `$XDG_CONFIG_HOME/sealbox/identities` (mode 0600): either a plain
//! age identity file, or one passphrase-protected with argon2id + AES-256-GCM, whose
//! parameters are recorded in the file. The passphrase only ever comes from a hidden
//! prompt.

use std::io::Write;
use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::Zeroizing;

/// Marker of a protected identity line.
const PROTECTED: &str = "SEALBOX-PROTECTED-IDENTITY-V1";

/// Where `init` writes the identity.
#[must_use]
pub fn default_path() -> Option<PathBuf> {
    super::config_dir().map(|d| d.join("sealbox").join("identities"))
}

/// argon2id parameters written for new files.
const M_COST: u32 = 64 * 1024;
const T_COST: u32 = 3;
const P_COST: u32 = 1;

fn derive(
    passphrase: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = argon2::Params::new(m, t, p, Some(32))
        .map_err(|e| format!("bad argon2 parameters: {e}"))?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    a.hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| format!("argon2 failed: {e}"))?;
    Ok(key)
}

/// Protects `identity` with `passphrase`; returns the file's text.
///
/// # Errors
/// When the RNG or the KDF fails.
pub fn protect(
    identity: &str,
    public: &str,
    passphrase: &str,
) -> Result<String, super::IdentityError> {
    protect_text(identity, public, passphrase).map_err(super::IdentityError)
}

fn protect_text(identity: &str, public: &str, passphrase: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    crate::crypto::rng::fill_secret(&mut salt)
        .map_err(|_| "random number generator failed".to_owned())?;
    crate::crypto::rng::fill_secret(&mut nonce)
        .map_err(|_| "random number generator failed".to_owned())?;
    let key = derive(passphrase, &salt, M_COST, T_COST, P_COST)?;
    let key_bytes: &[u8; 32] = &key;
    let cipher = Aes256Gcm::new(key_bytes.into());
    let ct = cipher
        .encrypt(&Nonce::from(nonce), identity.as_bytes())
        .map_err(|_| "encryption failed".to_owned())?;
    Ok(format!(
        "# sealbox identity, passphrase-protected (argon2id + AES-256-GCM)\n# public key: {public}\n{PROTECTED} argon2id m={M_COST},t={T_COST},p={P_COST} {} {} {}\n",
        STANDARD.encode(salt),
        STANDARD.encode(nonce),
        STANDARD.encode(ct)
    ))
}

/// Whether a file's text is a protected identity.
#[must_use]
pub fn is_protected(text: &str) -> bool {
    text.lines().any(|l| l.starts_with(PROTECTED))
}

/// Opens a protected identity file's text with `passphrase`.
///
/// # Errors
/// A malformed line or a wrong passphrase (the message says which).
pub fn unprotect(text: &str, passphrase: &str) -> Result<Zeroizing<String>, super::IdentityError> {
    unprotect_text(text, passphrase).map_err(super::IdentityError)
}

fn unprotect_text(text: &str, passphrase: &str) -> Result<Zeroizing<String>, String> {
    let line = text
        .lines()
        .find(|l| l.starts_with(PROTECTED))
        .ok_or("not a protected identity file")?;
    let parts: Vec<&str> = line.split_whitespace().collect();
    let [_, "argon2id", params, salt, nonce, ct] = parts.as_slice() else {
        return Err("malformed protected identity line".to_owned());
    };
    let mut m = 0;
    let mut t = 0;
    let mut p = 0;
    for kv in params.split(',') {
        match kv.split_once('=') {
            Some(("m", v)) => m = v.parse().map_err(|_| "bad m parameter")?,
            Some(("t", v)) => t = v.parse().map_err(|_| "bad t parameter")?,
            Some(("p", v)) => p = v.parse().map_err(|_| "bad p parameter")?,
            _ => return Err("malformed argon2 parameters".to_owned()),
        }
    }
    if m > 4 * 1024 * 1024 || t > 100 {
        return Err("argon2 parameters are unreasonably large".to_owned());
    }
    let b64 = |s: &str| {
        STANDARD
            .decode(s)
            .map_err(|_| "bad base64 in protected identity".to_owned())
    };
    let (salt, nonce, ct) = (b64(salt)?, b64(nonce)?, b64(ct)?);
    let nonce: [u8; 12] = nonce
        .as_slice()
        .try_into()
        .map_err(|_| "bad nonce length".to_owned())?;
    let key = derive(passphrase, &salt, m, t, p)?;
    let key_bytes: &[u8; 32] = &key;
    let cipher = Aes256Gcm::new(key_bytes.into());
    let pt = cipher
        .decrypt(&Nonce::from(nonce), ct.as_slice())
        .map_err(|_| "wrong passphrase (or the file was changed)".to_owned())?;
    String::from_utf8(pt)
        .map(Zeroizing::new)
        .map_err(|_| "decrypted identity is not text".to_owned())
}

/// Writes the identity file with mode 0600, atomically (temp file + link), refusing to
/// overwrite one: a failure never leaves a truncated key behind.
///
/// # Errors
/// I/O errors, or an existing file.
pub fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::output::create_private_dirs(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".sealbox-identity-")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protect_then_unprotect() {
        let text = protect("AGE-SECRET-KEY-1EXAMPLE", "age1example", "correct horse").unwrap();
        assert!(is_protected(&text));
        assert!(!text.contains("AGE-SECRET-KEY-1EXAMPLE"));
        assert!(
            text.contains("argon2id m=65536,t=3,p=1"),
            "parameters are recorded: {text}"
        );
        assert_eq!(
            unprotect(&text, "correct horse").unwrap().as_str(),
            "AGE-SECRET-KEY-1EXAMPLE"
        );
        let err = unprotect(&text, "wrong").unwrap_err();
        assert!(err.to_string().contains("wrong passphrase"));
        let broken = text.replace("m=65536", "m=99999999");
        assert!(unprotect(&broken, "correct horse").is_err());
    }
}

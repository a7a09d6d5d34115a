//! The OS keyring as an identity source (service `sealbox`, account `age-identity`):
//! Secret Service over D-Bus when a session bus is there, else the kernel keyring
//! (keyutils). A keyring that is not available is skipped without noise; only
//! `sealbox init` reports why it could not store a key.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};

/// Keyring service name.
pub const SERVICE: &str = "sealbox";
/// Keyring account holding the age identity.
pub const ACCOUNT: &str = "age-identity";

/// Whether this process has a real session keyring. Without one (the user-default
/// `_uid_ses` keyring), keys written by one process are not found by the next.
fn has_session_keyring() -> bool {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    KeyRing::from_special_id(KeyRingIdentifier::Session, false)
        .and_then(|k| k.metadata())
        .is_ok_and(|m| !m.get_description().starts_with("_uid_ses"))
}

/// The stores to try, in order, with a name for messages.
fn stores() -> Vec<(&'static str, Arc<CredentialStore>)> {
    let mut out: Vec<(&'static str, Arc<CredentialStore>)> = Vec::new();
    if std::env::var_os("SEALBOX_NO_KEYRING").is_some() {
        return out;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        if let Ok(s) = zbus_secret_service_keyring_store::Store::new() {
            out.push(("Secret Service", s));
        }
    }
    if has_session_keyring() {
        if let Ok(s) = linux_keyutils_keyring_store::Store::new() {
            out.push(("kernel keyring", s));
        }
    }
    out
}

/// The identity stored by `sealbox init`, and which keyring held it.
#[must_use]
pub fn load() -> Option<(String, &'static str)> {
    for (name, store) in stores() {
        let Ok(entry) = Entry::new_in_store(&store, SERVICE, ACCOUNT) else {
            continue;
        };
        if let Ok(secret) = entry.get_password() {
            return Some((secret, name));
        }
    }
    None
}

/// Stores an identity; returns the keyring's name.
///
/// # Errors
/// Why no keyring took it (one reason per keyring tried).
pub fn store(identity: &str, recipient: &str) -> Result<&'static str, super::IdentityError> {
    store_in_any(identity, recipient).map_err(super::IdentityError)
}

fn store_in_any(identity: &str, recipient: &str) -> Result<&'static str, String> {
    let mut why = Vec::new();
    for (name, store) in stores() {
        let entry = match Entry::new_in_store(&store, SERVICE, ACCOUNT) {
            Ok(e) => e,
            Err(e) => {
                why.push(format!("{name}: {e}"));
                continue;
            }
        };
        if let Err(e) = entry.set_password(identity) {
            why.push(format!("{name}: {e}"));
            continue;
        }
        // A keyring may accept a write that no later process can read (the kernel
        // keyring without a session keyring): ask a fresh sealbox process to find it.
        if probe() == Some(recipient.to_owned()) {
            return Ok(name);
        }
        let _ = entry.delete_credential();
        why.push(format!(
            "{name}: the key was not readable from a new process"
        ));
    }
    if why.is_empty() {
        why.push("no keyring service is available here".to_owned());
    }
    Err(why.join("; "))
}

/// Environment variable that makes `sealbox` only print the keyring's recipient.
pub const PROBE_VAR: &str = "SEALBOX_INTERNAL_KEYRING_PROBE";

/// Runs a fresh `sealbox` in probe mode and returns the recipient it found.
fn probe() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let out = std::process::Command::new(exe)
        .env(PROBE_VAR, "1")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The recipient of the identity in the keyring (probe mode).
#[must_use]
pub fn probe_recipient() -> Option<String> {
    let (text, _) = load()?;
    let text = zeroize::Zeroizing::new(text);
    text.split_whitespace()
        .find(|t| t.starts_with("AGE-SECRET-KEY-"))
        .and_then(|t| t.parse::<age::x25519::Identity>().ok())
        .map(|id| id.to_public().to_string())
}

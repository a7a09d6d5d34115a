//! age recipients (X25519 `age1…`, SSH `ssh-ed25519`/`ssh-rsa`): the data key is
//! age-encrypted and ASCII-armored, exactly as sops stores it, so `age -d` opens it.

use std::io::{Read, Write};
use std::str::FromStr;

use age::armor::{ArmoredReader, ArmoredWriter, Format as ArmorFormat};
use zeroize::Zeroizing;

use super::{RecipientError, Unwrapped};
use crate::identity::{AgeIdentities, Identities};
use crate::sops::MasterKey;
use crate::store::Value;

/// The stanza kind of age recipients (X25519 and SSH).
pub const KIND: &str = "age";

/// An age recipient with its parsed key.
pub struct AgeRecipient {
    text: String,
    inner: Box<dyn age::Recipient + Send + Sync>,
}

impl AgeRecipient {
    /// Parses `age1…`, `ssh-ed25519 …` or `ssh-rsa …`.
    ///
    /// # Errors
    /// When the string is none of these.
    pub fn parse(s: &str) -> Result<Self, RecipientError> {
        let t = s.trim();
        // Never echo the input whole: it may be a private key pasted in the wrong place.
        let shown: String = t.chars().take(24).collect();
        let shown = if t.chars().count() > 24 {
            format!("{shown}…")
        } else {
            shown
        };
        if t.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") || t.contains("PRIVATE KEY") {
            return Err(RecipientError::Invalid(
                "a private key was given where a recipient (public key) belongs; pass its age1… public key".to_owned(),
            ));
        }
        let plugin = t
            .rsplit_once('1')
            .is_some_and(|(hrp, _)| hrp.len() > 3 && hrp.starts_with("age"));
        let inner: Box<dyn age::Recipient + Send + Sync> = if t.starts_with("age1") && plugin {
            // `age1NAME1…`: wrapped by `age-plugin-NAME`, found on PATH.
            let r = age::plugin::Recipient::from_str(t).map_err(|e| {
                RecipientError::Invalid(format!(
                    "'{shown}' is not a valid age plugin recipient ({e})"
                ))
            })?;
            Box::new(
                age::plugin::RecipientPluginV1::new(
                    r.plugin(),
                    std::slice::from_ref(&r),
                    &[],
                    crate::identity::prompt::PluginUi,
                )
                .map_err(|e| {
                    RecipientError::Invalid(format!(
                        "'{shown}' {}",
                        crate::identity::plugin_unusable(r.plugin(), &e)
                    ))
                })?,
            )
        } else if t.starts_with("age1") {
            Box::new(
                crate::crypto::x25519::X25519Recipient::parse(t).map_err(|e| {
                    RecipientError::Invalid(format!("'{shown}' is not a valid age recipient ({e})"))
                })?,
            )
        } else if t.starts_with("ssh-") {
            Box::new(age::ssh::Recipient::from_str(t).map_err(|_| {
                RecipientError::Invalid(format!("'{shown}' is not a supported SSH public key"))
            })?)
        } else {
            return Err(RecipientError::Invalid(
                "a recipient must be an age1… public key (or an age plugin's age1NAME1…) or an ssh-ed25519/ssh-rsa public key"
                    .to_owned(),
            ));
        };
        Ok(Self {
            text: t.to_owned(),
            inner,
        })
    }
}

impl super::Recipient for AgeRecipient {
    fn id(&self) -> &str {
        &self.text
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let enc = armor_encrypt(&*self.inner, key)?;
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields: vec![
                ("enc".to_owned(), Value::Str(enc)),
                ("recipient".to_owned(), Value::Str(self.text.clone())),
            ],
        })
    }
}

/// age-encrypts `key` to one recipient, armored.
fn armor_encrypt(r: &dyn age::Recipient, key: &[u8]) -> Result<String, RecipientError> {
    let wrap_err = |e: &dyn std::fmt::Display| {
        RecipientError::Wrap(format!(
            "age encryption failed: {}",
            crate::identity::one_line(&e.to_string())
        ))
    };
    let enc = age::Encryptor::with_recipients(std::iter::once(r)).map_err(|e| wrap_err(&e))?;
    let mut out = Vec::with_capacity(400);
    let armor =
        ArmoredWriter::wrap_output(&mut out, ArmorFormat::AsciiArmor).map_err(|e| wrap_err(&e))?;
    let mut w = enc.wrap_output(armor).map_err(|e| wrap_err(&e))?;
    w.write_all(key).map_err(|e| wrap_err(&e))?;
    w.finish()
        .and_then(ArmoredWriter::finish)
        .map_err(|e| wrap_err(&e))?;
    String::from_utf8(out).map_err(|_| RecipientError::Wrap("age armor is not text".to_owned()))
}

/// Opens an age stanza with our age identities. The `enc` text goes through the age
/// crate's own armor reader and decryptor (leading whitespace trimmed first, as YAML
/// re-indentation can add it); only the X25519 identity itself is ours.
pub(crate) fn unwrap(key: &MasterKey, ids: &Identities) -> Unwrapped {
    let Some(enc) = key.field("enc") else {
        return Unwrapped::Failed("age stanza without enc".to_owned());
    };
    let file = enc.trim_start().as_bytes();
    let recipient = key.field("recipient").unwrap_or_default().trim();
    // Plugins are started only for a stanza written for a plugin's recipient.
    let native = recipient.starts_with("ssh-")
        || crate::crypto::x25519::X25519Recipient::parse(recipient).is_ok();
    // Native identities first, then (for a plugin's stanza) plugin identities.
    let try_both = |native_ids: &AgeIdentities, plugin_ids: &AgeIdentities| {
        let lists = if native {
            [native_ids, &Vec::new()]
        } else {
            [native_ids, plugin_ids]
        };
        for list in lists.into_iter().filter(|l| !l.is_empty()) {
            match open_with(file, list) {
                Unwrapped::NoMatch => {}
                other => return Some(other),
            }
        }
        None
    };
    if let Some(done) = try_both(&ids.age, &ids.plugins) {
        return done;
    }
    // Key commands run only for a stanza the other identities do not open, told
    // which recipient it is for.
    let mut problems = Vec::new();
    for cmd in &ids.key_cmds {
        match cmd.identities_for(recipient) {
            Ok(found) => {
                if let Some(done) = try_both(&found.age, &found.plugins) {
                    return done;
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Unwrapped::NoMatch
    } else {
        Unwrapped::Failed(problems.join("; "))
    }
}

/// Decrypts a whole age file (binary or ASCII-armored) with `ids`, through the age
/// crate's `ArmoredReader` and `Decryptor`: the path every age stanza takes, exposed so
/// the C2SP CCTV vectors and the differential fuzz target drive exactly it.
#[must_use]
pub fn open_age_file(file: &[u8], ids: &Identities) -> Unwrapped {
    open_with(file, &ids.age)
}

fn open_with(file: &[u8], ids: &[Box<dyn age::Identity + Send + Sync>]) -> Unwrapped {
    let dec = match age::Decryptor::new_buffered(ArmoredReader::new(file)) {
        Ok(d) => d,
        Err(_) => return Unwrapped::Failed("age stanza is not a valid age file".to_owned()),
    };
    let mut r = match dec.decrypt(ids.iter().map(|i| &**i as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => return Unwrapped::NoMatch,
        Err(e) => {
            return Unwrapped::Failed(format!(
                "age: {}",
                crate::identity::one_line(&e.to_string())
            ))
        }
    };
    let mut out = Zeroizing::new(Vec::with_capacity(48));
    match r.read_to_end(&mut out) {
        Ok(_) => Unwrapped::Key(out),
        Err(_) => Unwrapped::Failed("age stanza payload is corrupt".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use age::secrecy::ExposeSecret as _;

    use super::*;

    fn ids_for(id: &age::x25519::Identity) -> Identities {
        let ours =
            crate::crypto::x25519::X25519Identity::parse(id.to_string().expose_secret()).unwrap();
        Identities {
            age: vec![Box::new(ours)],
            ..Identities::default()
        }
    }

    fn age_file(to: &age::x25519::Identity, plain: &[u8]) -> Vec<u8> {
        let r = to.to_public();
        let enc =
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
        let mut out = Vec::new();
        let mut w = enc.wrap_output(&mut out).unwrap();
        w.write_all(plain).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn opens_age_files_and_refuses_tampering() {
        let id = age::x25519::Identity::generate();
        let ids = ids_for(&id);
        for len in [0, 1, 32, 64 * 1024, 64 * 1024 + 1] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let file = age_file(&id, &plain);
            assert!(matches!(open_age_file(&file, &ids), Unwrapped::Key(k) if *k == plain));
        }
        let file = age_file(&id, b"0123456789abcdef0123456789abcdef");
        let mac_at = file.windows(4).position(|w| w == b"--- ").unwrap() + 5;
        for at in [mac_at, file.len() - 1, file.len() - 20] {
            let mut bad = file.clone();
            bad[at] ^= 1;
            assert!(
                !matches!(open_age_file(&bad, &ids), Unwrapped::Key(_)),
                "byte {at}"
            );
        }
        let other = ids_for(&age::x25519::Identity::generate());
        assert!(matches!(open_age_file(&file, &other), Unwrapped::NoMatch));
    }
}

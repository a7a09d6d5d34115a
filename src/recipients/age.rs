//! age recipients (X25519 `age1…`, SSH `ssh-ed25519`/`ssh-rsa`): the data key is
//! age-encrypted and ASCII-armored, exactly as sops stores it, so `age -d` opens it.

use std::io::{Read, Write};
use std::str::FromStr;

use age::armor::{ArmoredReader, ArmoredWriter, Format as ArmorFormat};
use zeroize::Zeroizing;

use super::{RecipientError, Unwrapped};
use crate::identity::Identities;
use crate::sops::MasterKey;
use crate::store::Value;

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
        let inner: Box<dyn age::Recipient + Send + Sync> = if t.starts_with("age1") {
            Box::new(super::x25519::X25519Recipient::parse(t).map_err(|e| {
                RecipientError::Invalid(format!("'{shown}' is not a valid age recipient ({e})"))
            })?)
        } else if t.starts_with("ssh-") {
            Box::new(age::ssh::Recipient::from_str(t).map_err(|_| {
                RecipientError::Invalid(format!("'{shown}' is not a supported SSH public key"))
            })?)
        } else {
            return Err(RecipientError::Invalid(
                "a recipient must be an age1… public key or an ssh-ed25519/ssh-rsa public key"
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
            kind: "age".to_owned(),
            fields: vec![
                ("enc".to_owned(), Value::Str(enc)),
                ("recipient".to_owned(), Value::Str(self.text.clone())),
            ],
        })
    }
}

/// age-encrypts `key` to one recipient, armored.
fn armor_encrypt(r: &dyn age::Recipient, key: &[u8]) -> Result<String, RecipientError> {
    let wrap_err =
        |e: &dyn std::fmt::Display| RecipientError::Wrap(format!("age encryption failed: {e}"));
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

/// Decodes the ASCII armor sops stores (`-----BEGIN AGE ENCRYPTED FILE-----`, base64
/// lines, end line); `None` for anything else, which then goes through age's reader.
fn dearmor(enc: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let body = enc
        .trim()
        .strip_prefix("-----BEGIN AGE ENCRYPTED FILE-----")?
        .strip_suffix("-----END AGE ENCRYPTED FILE-----")?;
    let mut b64 = String::with_capacity(body.len());
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if line.len() > 64 {
            return None;
        }
        b64.push_str(line);
    }
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// Opens an age stanza with our age identities.
pub(crate) fn unwrap(key: &MasterKey, ids: &Identities) -> Unwrapped {
    let Some(enc) = key.field("enc") else {
        return Unwrapped::Failed("age stanza without enc".to_owned());
    };
    if ids.age.is_empty() {
        return Unwrapped::NoMatch;
    }
    // De-armor in one go and hand age the whole file as a buffer: its header parser
    // then runs once instead of re-parsing as an armored stream trickles in.
    let binary = match dearmor(enc) {
        Some(b) => b,
        None => {
            let mut out = Vec::new();
            if ArmoredReader::new(enc.trim_start().as_bytes())
                .read_to_end(&mut out)
                .is_err()
            {
                return Unwrapped::Failed("age stanza is not a valid age file".to_owned());
            }
            out
        }
    };
    let dec = match age::Decryptor::new_buffered(binary.as_slice()) {
        Ok(d) => d,
        Err(_) => return Unwrapped::Failed("age stanza is not a valid age file".to_owned()),
    };
    let mut r = match dec.decrypt(ids.age.iter().map(|i| &**i as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => return Unwrapped::NoMatch,
        Err(e) => return Unwrapped::Failed(format!("age: {e}")),
    };
    let mut out = Zeroizing::new(Vec::with_capacity(33));
    match r.read_to_end(&mut out) {
        Ok(_) => Unwrapped::Key(out),
        Err(_) => Unwrapped::Failed("age stanza payload is corrupt".to_owned()),
    }
}

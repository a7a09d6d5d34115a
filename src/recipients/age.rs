//! age recipients (X25519 `age1…`, SSH `ssh-ed25519`/`ssh-rsa`): the data key is
//! age-encrypted and ASCII-armored, exactly as sops stores it, so `age -d` opens it.

use std::io::{Read, Write};
use std::str::FromStr;

use age::armor::{ArmoredReader, ArmoredWriter, Format as ArmorFormat};
use base64::Engine as _;
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
    if let Some(answer) = open_one_chunk(&binary, ids) {
        return answer;
    }
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

const AGE_V1: &[u8] = b"age-encryption.org/v1\n";
const CHUNK: usize = 64 * 1024;
const TAG_LEN: usize = 16;

/// Opens an age file whose payload is one chunk (a sops data key always is) with the
/// format's own steps: header stanzas through the identities, the header MAC
/// (HMAC-SHA-256 under HKDF(file key, "header")), then the one ChaCha20-Poly1305 chunk
/// under HKDF(nonce, file key, "payload") with the last-chunk nonce. This skips the age
/// crate's stream reader, which zeroes a 64 KiB buffer per file. `None` = anything
/// else (several chunks, an unusual header): the caller uses the age crate.
fn open_one_chunk(file: &[u8], ids: &Identities) -> Option<Unwrapped> {
    use age::secrecy::ExposeSecret;
    use chacha20poly1305::aead::{Aead, KeyInit};
    use hmac::Mac;

    let mut rest = file.strip_prefix(AGE_V1)?;
    let mut stanzas = Vec::new();
    while rest.starts_with(b"-> ") {
        let (next, stanza) = age_core::format::read::age_stanza(rest).ok()?;
        stanzas.push(age_core::format::Stanza::from(stanza));
        rest = next;
    }
    let mac_line = rest.strip_prefix(b"--- ")?;
    let header_len = file.len() - rest.len() + 3;
    let nl = mac_line.iter().position(|b| *b == b'\n')?;
    let mac = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&mac_line[..nl])
        .ok()
        .filter(|m| m.len() == 32)?;
    let payload = &mac_line[nl + 1..];
    if payload.len() < 16 + TAG_LEN || payload.len() > 16 + CHUNK + TAG_LEN {
        return None;
    }
    let (nonce, chunk) = payload.split_at(16);
    // age's own rule: a passphrase (scrypt) stanza must be the only one.
    if stanzas.is_empty() || (stanzas.len() > 1 && stanzas.iter().any(|s| s.tag == "scrypt")) {
        return None;
    }
    let mut file_key = None;
    'found: for id in &ids.age {
        for st in &stanzas {
            match id.unwrap_stanza(st) {
                Some(Ok(k)) => {
                    file_key = Some(k);
                    break 'found;
                }
                Some(Err(e)) => return Some(Unwrapped::Failed(format!("age: {e}"))),
                None => {}
            }
        }
    }
    let Some(file_key) = file_key else {
        return Some(Unwrapped::NoMatch);
    };
    let fk = file_key.expose_secret();
    let mac_key = Zeroizing::new(age_core::primitives::hkdf(&[], b"header", fk));
    let Ok(mut h) = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(mac_key.as_ref()) else {
        return None;
    };
    drop(mac_key);
    h.update(&file[..header_len]);
    if h.verify_slice(&mac).is_err() {
        return Some(Unwrapped::Failed(
            "age: the header MAC does not match (the stanza was altered)".to_owned(),
        ));
    }
    let payload_key = Zeroizing::new(age_core::primitives::hkdf(nonce, b"payload", fk));
    let aead = chacha20poly1305::ChaCha20Poly1305::new((&*payload_key).into());
    let mut chunk_nonce = [0u8; 12];
    chunk_nonce[11] = 1; // chunk 0, last
    match aead.decrypt(&chunk_nonce.into(), chunk) {
        Ok(plain) => Some(Unwrapped::Key(Zeroizing::new(plain))),
        Err(_) => Some(Unwrapped::Failed(
            "age stanza payload is corrupt".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use age::secrecy::ExposeSecret as _;

    use super::*;

    fn ids_for(id: &age::x25519::Identity) -> Identities {
        let ours =
            super::super::x25519::X25519Identity::parse(id.to_string().expose_secret()).unwrap();
        Identities {
            age: vec![Box::new(ours)],
            looked: Vec::new(),
            problems: Vec::new(),
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

    fn key_of(u: Option<Unwrapped>) -> Option<Vec<u8>> {
        match u {
            Some(Unwrapped::Key(k)) => Some(k.to_vec()),
            _ => None,
        }
    }

    #[test]
    fn one_chunk_path_agrees_with_age_and_refuses_tampering() {
        let id = age::x25519::Identity::generate();
        let ids = ids_for(&id);
        for len in [0, 1, 32, 64 * 1024] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let file = age_file(&id, &plain);
            assert_eq!(key_of(open_one_chunk(&file, &ids)), Some(plain.clone()));
        }
        let file = age_file(&id, b"0123456789abcdef0123456789abcdef");
        // Header MAC, stanza body and payload each altered: refused, never a key.
        let mac_at = file.windows(4).position(|w| w == b"--- ").unwrap() + 5;
        let body_at = file.iter().position(|b| *b == b'\n').unwrap() + 1;
        let body_at = body_at + file[body_at..].iter().position(|b| *b == b'\n').unwrap() + 3;
        for at in [mac_at, body_at, file.len() - 1, file.len() - 20] {
            let mut bad = file.clone();
            bad[at] ^= if bad[at].is_ascii_alphabetic() {
                0x20
            } else {
                1
            };
            assert!(
                !matches!(open_one_chunk(&bad, &ids), Some(Unwrapped::Key(_))),
                "byte {at} altered"
            );
        }
        // Another identity: no match. Two chunks or truncation: left to the age crate.
        let other = ids_for(&age::x25519::Identity::generate());
        assert!(matches!(
            open_one_chunk(&file, &other),
            Some(Unwrapped::NoMatch)
        ));
        let big = age_file(&id, &vec![1u8; 64 * 1024 + 1]);
        assert!(open_one_chunk(&big, &ids).is_none());
        assert!(open_one_chunk(&file[..file.len() - 40], &ids).is_none());
        assert!(open_one_chunk(b"age-encryption.org/v1\n--- x\n", &ids).is_none());
    }
}

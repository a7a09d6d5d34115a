//! Whole files as one value (the binary store), sealed and opened without copies: a
//! large file costs its own size in memory, not several times it. Sealing hashes the
//! plaintext for the MAC, encrypts it in place with the audited `aes-gcm`, and writes
//! the base64 straight into the output; opening finds the one `ENC[…]` value in the
//! JSON envelope, decodes its base64 in place in the buffer the file was read into,
//! decrypts in place and checks the MAC. Anything that is not exactly that shape goes
//! through the general tree path, with the same results.

use std::io::{self, Write};
use std::ops::Range;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::{Zeroize as _, Zeroizing};

use super::value::{self, EncValue};
use super::{mac_aad, now_rfc3339, verify_mac, walk, Metadata, Sealed, SopsError};
use crate::crypto::aead::{random_iv, ValueCipher, IV_LEN, TAG_LEN};
use crate::crypto::dek::DataKey;
use crate::crypto::mac::TreeMac;
use crate::store::{Format, Tree, Value};

/// The AAD of the binary store's one value.
const AAD: &[u8] = b"data:";
/// Where the value goes in the JSON envelope while it is emitted or parsed.
const MARK: &str = "SEALBOX-BINARY-VALUE-MARK";
/// Base64 characters decoded or encoded per step (a multiple of 4; 3/4 of it in bytes).
const STEP: usize = 64 * 1024;

/// A sealed binary file, ready to be written: the envelope around one value, whose
/// ciphertext is base64-encoded as it is written.
pub struct SealedBinary {
    prefix: String,
    ciphertext: Vec<u8>,
    iv: [u8; IV_LEN],
    tag: [u8; TAG_LEN],
    suffix: String,
    encrypted: bool,
}

impl SealedBinary {
    /// Writes the whole encrypted file into `w`.
    ///
    /// # Errors
    /// The writer's.
    pub fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(self.prefix.as_bytes())?;
        if self.encrypted {
            w.write_all(b"ENC[AES256_GCM,data:")?;
            let mut text = vec![0u8; STEP];
            for chunk in self.ciphertext.chunks(STEP / 4 * 3) {
                let n = STANDARD
                    .encode_slice(chunk, &mut text)
                    .map_err(io::Error::other)?;
                w.write_all(&text[..n])?;
            }
            w.write_all(b",iv:")?;
            w.write_all(STANDARD.encode(self.iv).as_bytes())?;
            w.write_all(b",tag:")?;
            w.write_all(STANDARD.encode(self.tag).as_bytes())?;
            w.write_all(b",type:str]")?;
        }
        w.write_all(self.suffix.as_bytes())
    }

    /// The encrypted file in one buffer (small files, tests).
    #[must_use]
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.ciphertext.len() * 4 / 3 + 1024);
        // Writing into a Vec cannot fail.
        let _ = self.write_to(&mut out);
        out
    }
}

/// Encrypts a whole file as the binary store does; same result as [`super::seal`] on
/// `{data: …}` followed by the JSON emitter. `data` is encrypted in place.
///
/// # Errors
/// Only when the OS RNG fails.
pub fn seal_binary(
    data: Vec<u8>,
    key: &DataKey,
    mut meta: Metadata,
) -> Result<SealedBinary, SopsError> {
    let mut data = Zeroizing::new(data);
    let cipher = ValueCipher::new(key);
    let mut mac = TreeMac::new(meta.mac_only_encrypted);
    let encrypted = !data.is_empty();
    if encrypted || !meta.mac_only_encrypted {
        mac.feed(&data);
    }
    meta.lastmodified = now_rfc3339();
    let aad = mac_aad(&meta.lastmodified)?;
    let mac_iv = random_iv().map_err(|_| SopsError::Rng)?;
    let enc_mac =
        value::seal(&cipher, &Value::Str(mac.finish()), &mac_iv, &aad).ok_or(SopsError::Rng)?;
    meta.mac = Some(enc_mac.format());

    let shell = Tree {
        docs: vec![Value::Map(vec![
            ("data".to_owned(), Value::Str(MARK.to_owned())),
            ("sops".to_owned(), meta.to_value()),
        ])],
    };
    let text =
        crate::store::json::emit(&shell).map_err(|e| SopsError::Unsupported(e.to_string()))?;
    let text = String::from_utf8(text)
        .map_err(|_| SopsError::Unsupported("JSON is not UTF-8".to_owned()))?;
    let (prefix, suffix) = text
        .split_once(MARK)
        .ok_or_else(|| SopsError::Unsupported("internal: value marker missing".to_owned()))?;
    let iv = random_iv().map_err(|_| SopsError::Rng)?;
    let tag = if encrypted {
        cipher.seal(&iv, AAD, &mut data)
    } else {
        [0u8; TAG_LEN]
    };
    // From here on `data` holds ciphertext only.
    let ciphertext = std::mem::take(&mut *data);
    Ok(SealedBinary {
        prefix: prefix.to_owned(),
        ciphertext,
        iv,
        tag,
        suffix: suffix.to_owned(),
        encrypted,
    })
}

/// An encrypted binary file read into memory, its value located (and, when read with
/// [`BinaryEnvelope::read`], already decoded from base64).
pub struct BinaryEnvelope {
    buf: Zeroizing<Vec<u8>>,
    /// The value's bytes in `buf`: base64 text when `encoded`, else the ciphertext.
    data: Range<usize>,
    encoded: bool,
    iv: Vec<u8>,
    tag: Vec<u8>,
    /// The envelope's metadata (the value replaced by a marker).
    pub sealed: Sealed,
}

/// A decrypted binary file: the plaintext is a range of the buffer the file was read
/// into, wiped with the rest of it when this is dropped.
pub struct OpenedBinary {
    buf: Zeroizing<Vec<u8>>,
    plain: Range<usize>,
}

impl OpenedBinary {
    /// The file's plaintext.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.buf[self.plain.clone()]
    }
}

/// The marker that opens the value in the JSON envelope.
const HEAD: &[u8] = b"\"ENC[AES256_GCM,data:";
/// How far into a file the value must start (the envelope before it is small).
const HEAD_MAX: usize = 1 << 20;

impl BinaryEnvelope {
    /// Locates the value of an encrypted binary file. Gives the bytes back when the file
    /// is not exactly `{"data": "ENC[…]", "sops": {…}}` with a string value the selector
    /// encrypts: the general path then handles it (and reports what is wrong).
    ///
    /// # Errors
    /// The bytes, unchanged, for the general path.
    pub fn parse(bytes: Vec<u8>) -> Result<Self, Vec<u8>> {
        match locate(&bytes) {
            Some((data, iv, tag, sealed)) => Ok(Self {
                buf: Zeroizing::new(bytes),
                data,
                encoded: true,
                iv,
                tag,
                sealed,
            }),
            None => Err(bytes),
        }
    }

    /// Reads an encrypted binary file, decoding the value's base64 as the file streams
    /// in, so only the ciphertext (the plaintext's size) is ever held, never the
    /// encoded text as well. `None` when the file is not exactly the shape
    /// [`BinaryEnvelope::parse`] takes (or its base64 is malformed): the caller then
    /// reads it through the general path, which reports what is wrong.
    ///
    /// # Errors
    /// Reading the file.
    pub fn read(path: &std::path::Path) -> io::Result<Option<Self>> {
        use std::io::Read as _;
        let mut f = std::fs::File::open(path)?;
        let size = usize::try_from(f.metadata()?.len()).unwrap_or(0);
        let mut chunk = vec![0u8; STEP];
        // The envelope up to and including the marker.
        let mut head = Vec::new();
        let after = loop {
            let n = f.read(&mut chunk)?;
            if n == 0 {
                return Ok(None);
            }
            let from = head.len().saturating_sub(HEAD.len());
            head.extend_from_slice(&chunk[..n]);
            if let Some(q) = memchr::memmem::find(&head[from..], HEAD) {
                break from + q + HEAD.len();
            }
            if head.len() > HEAD_MAX {
                return Ok(None);
            }
        };
        let mut text = head.split_off(after);
        let mut data = Zeroizing::new(Vec::new());
        if data.try_reserve_exact(size / 4 * 3 + 3).is_err() {
            return Ok(None);
        }
        let mut carry: Vec<u8> = Vec::new();
        let mut tail: Option<Vec<u8>> = None;
        let mut out = vec![0u8; STEP / 4 * 3 + 3];
        loop {
            match &mut tail {
                Some(t) => t.extend_from_slice(&text),
                None => {
                    // Base64 has no comma: the first one ends the data.
                    let end = memchr::memchr(b',', &text);
                    carry.extend_from_slice(&text[..end.unwrap_or(text.len())]);
                    let whole = if end.is_some() {
                        carry.len()
                    } else {
                        carry.len() / 4 * 4
                    };
                    if whole % 4 != 0 {
                        return Ok(None);
                    }
                    // Padding only at the very end, as one decode of the whole text
                    // (the general path) demands: never inside a group cut here.
                    let last = end.is_some();
                    let body = if last { whole.saturating_sub(2) } else { whole };
                    if memchr::memchr(b'=', &carry[..body]).is_some() {
                        return Ok(None);
                    }
                    for group in carry[..whole].chunks(STEP) {
                        let Ok(k) = STANDARD.decode_slice(group, &mut out) else {
                            return Ok(None);
                        };
                        data.extend_from_slice(&out[..k]);
                    }
                    carry.drain(..whole);
                    if let Some(e) = end {
                        tail = Some(text[e..].to_vec());
                    }
                }
            }
            let n = f.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            text.clear();
            text.extend_from_slice(&chunk[..n]);
        }
        out.zeroize();
        let Some(tail) = tail else {
            return Ok(None);
        };
        // `tail` is `,iv:…,tag:…,type:…]"` and the rest of the envelope.
        let Some(close) = memchr::memchr(b'"', &tail) else {
            return Ok(None);
        };
        let prefix = &head[..head.len() - HEAD.len() + 1];
        let Some((iv, tag, sealed)) = envelope(prefix, &tail[..close], &tail[close..]) else {
            return Ok(None);
        };
        let len = data.len();
        Ok(Some(Self {
            buf: data,
            data: 0..len,
            encoded: false,
            iv,
            tag,
            sealed,
        }))
    }

    /// Decrypts the value in place (decoding it first if it is still base64) and checks
    /// the MAC (unless `ignore_mac`).
    ///
    /// # Errors
    /// [`SopsError::Integrity`] for a value that does not decode or authenticate,
    /// [`SopsError::Mac`] for a MAC that does not verify.
    pub fn open(self, key: &DataKey, ignore_mac: bool) -> Result<OpenedBinary, SopsError> {
        let Self {
            mut buf,
            data,
            encoded,
            iv,
            tag,
            sealed,
        } = self;
        let bad = |what: &str| SopsError::Integrity(format!("value at 'data:': {what}"));
        let plain = if encoded {
            // Base64 decodes into fewer bytes than it reads: write behind the read position.
            let mut out = vec![0u8; STEP / 4 * 3];
            // Padding only at the very end (decoded in steps, each step would accept it).
            if memchr::memchr(b'=', &buf[data.start..data.end.saturating_sub(2)]).is_some() {
                return Err(bad("malformed ENC[...] value (bad base64 in data)"));
            }
            let (mut r, mut w) = (data.start, data.start);
            while r < data.end {
                let n = STEP.min(data.end - r);
                let k = STANDARD
                    .decode_slice(&buf[r..r + n], &mut out)
                    .map_err(|_| bad("malformed ENC[...] value (bad base64 in data)"))?;
                buf[w..w + k].copy_from_slice(&out[..k]);
                r += n;
                w += k;
            }
            out.zeroize();
            data.start..w
        } else {
            data
        };
        let cipher = ValueCipher::new(key);
        cipher
            .open(&iv, AAD, &mut buf[plain.clone()], &tag)
            .map_err(|_| {
                bad("value failed authentication (wrong data key, or the value was changed or moved)")
            })?;
        if !ignore_mac {
            let mut mac = TreeMac::new(sealed.meta.mac_only_encrypted);
            mac.feed(&buf[plain.clone()]);
            verify_mac(&sealed.meta, &cipher, &mac.finish())?;
        }
        Ok(OpenedBinary { buf, plain })
    }
}

type Located = (Range<usize>, Vec<u8>, Vec<u8>, Sealed);

/// Finds the `ENC[…]` string of `data`, parses the envelope around it and the value's
/// IV, tag and type. `None` for any other shape.
fn locate(bytes: &[u8]) -> Option<Located> {
    let quote = memchr::memmem::find(bytes, HEAD)?;
    let start = quote + 1;
    let end = start + memchr::memchr(b'"', &bytes[start..])?;
    let value = &bytes[start..end];
    if memchr::memchr(b'\\', value).is_some() {
        return None;
    }
    let iv_at = memchr::memmem::rfind(value, b",iv:")?;
    let (iv, tag, sealed) = envelope(&bytes[..start], &value[iv_at..], &bytes[end..])?;
    let data_start = start + HEAD.len() - 1;
    let data = data_start..start + iv_at;
    if (data.end - data.start) % 4 != 0 {
        return None;
    }
    Some((data, iv, tag, sealed))
}

/// Checks the envelope around the value: `prefix` up to the value's opening quote,
/// `value_tail` the value from `,iv:` to its `]`, `suffix` from its closing quote on.
/// The JSON without the value must be a sops file whose only key besides `sops` is
/// `data`, which the selector encrypts; the value's tail must give an IV, a tag and a
/// `str` or `bytes` type. Returns those and the metadata.
fn envelope(prefix: &[u8], value_tail: &[u8], suffix: &[u8]) -> Option<(Vec<u8>, Vec<u8>, Sealed)> {
    if !value_tail.starts_with(b",iv:") || memchr::memchr(b'\\', value_tail).is_some() {
        return None;
    }
    let mut shell = Vec::with_capacity(prefix.len() + MARK.len() + suffix.len());
    shell.extend_from_slice(prefix);
    shell.extend_from_slice(MARK.as_bytes());
    shell.extend_from_slice(suffix);
    let tree = crate::store::json::parse(&shell).ok()?;
    let sealed = Sealed::from_tree(Format::Binary, tree).ok()?;
    match sealed.tree.docs.as_slice() {
        [Value::Map(m)] if m.len() == 1 && m[0].0 == "data" => {
            if !matches!(&m[0].1, Value::Str(s) if s == MARK) {
                return None;
            }
        }
        _ => return None,
    }
    if !walk::encrypts_top_level(&sealed.meta.selector, "data") {
        return None;
    }
    // The fields after the data are short: parsed from a small copy.
    let tail = std::str::from_utf8(value_tail).ok()?;
    let probe = EncValue::parse(&format!("ENC[AES256_GCM,data:AAAA{tail}")).ok()?;
    if probe.kind != "str" && probe.kind != "bytes" {
        return None;
    }
    Some((probe.iv, probe.tag, sealed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sops::{Metadata, Selector, SOPS_FORMAT_VERSION};

    fn meta() -> Metadata {
        Metadata {
            lastmodified: String::new(),
            mac: None,
            version: SOPS_FORMAT_VERSION.to_owned(),
            selector: Selector::All,
            mac_only_encrypted: false,
            shamir_threshold: 0,
            groups: Vec::new(),
        }
    }

    /// Sealed bytes of `plain` under `key`.
    fn sealed(plain: &[u8], key: &DataKey) -> Vec<u8> {
        seal_binary(plain.to_vec(), key, meta()).unwrap().to_vec()
    }

    fn via_read(bytes: &[u8]) -> Option<BinaryEnvelope> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.bin");
        std::fs::write(&p, bytes).unwrap();
        BinaryEnvelope::read(&p).unwrap()
    }

    #[test]
    fn read_and_parse_open_what_seal_wrote() {
        let key = DataKey::generate().unwrap();
        for len in [1usize, 2, 3, 4, 1000, 65_535, 65_536, 200_001] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
            let bytes = sealed(&plain, &key);
            let a = via_read(&bytes).unwrap().open(&key, false).unwrap();
            assert_eq!(a.bytes(), plain.as_slice(), "read, {len} bytes");
            let b = BinaryEnvelope::parse(bytes).ok().unwrap();
            assert_eq!(b.open(&key, false).unwrap().bytes(), plain.as_slice());
        }
    }

    #[test]
    fn tampering_is_refused_and_other_shapes_are_left_to_the_general_path() {
        let key = DataKey::generate().unwrap();
        let bytes = sealed(b"some secret bytes, long enough to matter", &key);
        let at = memchr::memmem::find(&bytes, b"data:").unwrap() + 8;
        let mut flipped = bytes.clone();
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        assert!(via_read(&flipped).unwrap().open(&key, false).is_err());
        let mut broken = bytes.clone();
        broken[at] = b'!';
        assert!(
            via_read(&broken).is_none(),
            "bad base64 goes to the general path"
        );
        assert!(via_read(b"{\"data\": \"plain\"}").is_none());
        assert!(via_read(b"").is_none());
        let other = DataKey::generate().unwrap();
        assert!(via_read(&bytes).unwrap().open(&other, false).is_err());
    }

    #[test]
    fn padding_inside_the_data_is_refused_like_the_general_path() {
        // Two base64 texts run together: `==` in the middle decodes group by group.
        let key = DataKey::generate().unwrap();
        let bytes = sealed(&[5u8; 70_000], &key);
        let text = String::from_utf8(bytes).unwrap();
        let start = text.find("data:").unwrap() + 5;
        let end = text.find(",iv:").unwrap();
        let b64 = &text[start..end];
        let raw = STANDARD.decode(b64).unwrap();
        let (a, b) = raw.split_at(65_536 / 4 * 3 - 1);
        let spliced = format!("{}{}", STANDARD.encode(a), STANDARD.encode(b));
        let forged = format!("{}{}{}", &text[..start], spliced, &text[end..]).into_bytes();
        assert!(via_read(&forged).is_none());
        assert!(BinaryEnvelope::parse(forged)
            .ok()
            .unwrap()
            .open(&key, false)
            .is_err());
    }
}

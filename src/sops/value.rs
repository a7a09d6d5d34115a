//! The `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` value encoding: parse, format, and
//! seal/open of one typed value. Parsing is strict (standard padded base64, known
//! type) and never echoes its input in errors. Fuzzed by `fuzz/fuzz_targets/enc_value.rs`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::Zeroizing;

use crate::crypto::aead::{OpenError, ValueCipher, IV_LEN, TAG_LEN};
use crate::store::tree::{format_bool_sops, format_float_f};
use crate::store::Value;

/// A parsed `ENC[…]` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncValue {
    /// Ciphertext without the tag.
    pub data: Vec<u8>,
    /// IV (32 bytes when written by sops).
    pub iv: Vec<u8>,
    /// GCM tag.
    pub tag: Vec<u8>,
    /// The `type:` field.
    pub kind: String,
}

/// Why an `ENC[…]` string could not be parsed or opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// Not of the form `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.
    Malformed(&'static str),
    /// A field is not valid standard base64.
    BadBase64(&'static str),
    /// `type:` names no sops type.
    UnknownType,
    /// Authentication failed (wrong key, moved value, changed byte).
    Auth,
    /// Decrypted bytes do not parse as the declared type.
    BadPlaintext(&'static str),
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::Malformed(what) => write!(f, "malformed ENC[...] value ({what})"),
            ValueError::BadBase64(field) => {
                write!(f, "malformed ENC[...] value (bad base64 in {field})")
            }
            ValueError::UnknownType => f.write_str("ENC[...] value has an unknown type"),
            ValueError::Auth => f.write_str(
                "value failed authentication (wrong data key, or the value was changed or moved)",
            ),
            ValueError::BadPlaintext(t) => write!(f, "decrypted value is not a valid {t}"),
        }
    }
}

impl std::error::Error for ValueError {}

const KNOWN_TYPES: [&str; 7] = ["str", "int", "float", "bool", "time", "bytes", "comment"];

/// Whether a string looks like an encrypted sops value.
#[must_use]
pub fn is_enc(s: &str) -> bool {
    s.starts_with("ENC[AES256_GCM,")
}

fn b64(s: &str, name: &'static str) -> Result<Vec<u8>, ValueError> {
    STANDARD.decode(s).map_err(|_| ValueError::BadBase64(name))
}

impl EncValue {
    /// Parses `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.
    ///
    /// # Errors
    /// [`ValueError`] describing the first problem.
    pub fn parse(s: &str) -> Result<Self, ValueError> {
        let body = s
            .strip_prefix("ENC[AES256_GCM,")
            .ok_or(ValueError::Malformed("missing ENC[AES256_GCM, prefix"))?;
        let body = body
            .strip_suffix(']')
            .ok_or(ValueError::Malformed("missing closing ]"))?;
        // Base64 has no commas: the four fields split on the first three (a char search
        // per field, cheaper than substring searches on every value of a bulk run).
        let mut fields = body.splitn(4, ',');
        let mut field = |name: &str, missing: &'static str| {
            fields
                .next()
                .and_then(|f| f.strip_prefix(name))
                .ok_or(ValueError::Malformed(missing))
        };
        let data = field("data:", "missing data")?;
        let iv = field("iv:", "missing iv")?;
        let tag = field("tag:", "missing tag")?;
        let kind = field("type:", "missing type")?;
        if data.is_empty() {
            return Err(ValueError::Malformed("empty data"));
        }
        if !KNOWN_TYPES.contains(&kind) {
            return Err(ValueError::UnknownType);
        }
        let v = Self {
            data: b64(data, "data")?,
            iv: b64(iv, "iv")?,
            tag: b64(tag, "tag")?,
            kind: kind.to_owned(),
        };
        if v.tag.len() != TAG_LEN {
            return Err(ValueError::Malformed("tag is not 16 bytes"));
        }
        if v.iv.is_empty() {
            return Err(ValueError::Malformed("empty iv"));
        }
        Ok(v)
    }

    /// Formats as sops writes it.
    #[must_use]
    pub fn format(&self) -> String {
        let mut s =
            String::with_capacity(64 + (self.data.len() + self.iv.len() + self.tag.len()) * 4 / 3);
        s.push_str("ENC[AES256_GCM,data:");
        STANDARD.encode_string(&self.data, &mut s);
        s.push_str(",iv:");
        STANDARD.encode_string(&self.iv, &mut s);
        s.push_str(",tag:");
        STANDARD.encode_string(&self.tag, &mut s);
        s.push_str(",type:");
        s.push_str(&self.kind);
        s.push(']');
        s
    }
}

/// The bytes sops encrypts and hashes for a scalar (or a comment's text).
#[must_use]
pub fn plaintext_bytes(v: &Value) -> Option<Zeroizing<Vec<u8>>> {
    Some(Zeroizing::new(match v {
        Value::Str(s) | Value::Time(s) | Value::Comment(s) => s.as_bytes().to_vec(),
        Value::Bytes(b) => b.clone(),
        Value::Int(i) => i.to_string().into_bytes(),
        Value::Float(f) => format_float_f(*f).into_bytes(),
        Value::Bool(b) => format_bool_sops(*b).as_bytes().to_vec(),
        Value::Null | Value::Map(_) | Value::Seq(_) => return None,
    }))
}

/// The bytes sops encrypts and hashes, borrowed where the value already holds them.
#[must_use]
pub fn plaintext_ref(v: &Value) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    match v {
        Value::Str(s) | Value::Time(s) | Value::Comment(s) => Some(Cow::Borrowed(s.as_bytes())),
        Value::Bytes(b) => Some(Cow::Borrowed(b.as_slice())),
        other => plaintext_bytes(other).map(|z| Cow::Owned(z.to_vec())),
    }
}

/// Encrypts one scalar with `iv` and `aad`.
#[must_use]
pub fn seal(cipher: &ValueCipher, v: &Value, iv: &[u8; IV_LEN], aad: &str) -> Option<EncValue> {
    // The copy becomes the ciphertext: seal_owned encrypts it in its own buffer.
    seal_owned(cipher, v.duplicate(), iv, aad)
}

/// Encrypts one scalar, consuming it: large values are encrypted in their own buffer.
#[must_use]
pub fn seal_owned(
    cipher: &ValueCipher,
    v: Value,
    iv: &[u8; IV_LEN],
    aad: &str,
) -> Option<EncValue> {
    let kind = v.type_name().to_owned();
    let mut buf = match v {
        Value::Str(s) | Value::Time(s) | Value::Comment(s) => s.into_bytes(),
        Value::Bytes(b) => b,
        other => plaintext_bytes(&other)?.to_vec(),
    };
    let tag = cipher.seal(iv, aad.as_bytes(), &mut buf);
    Some(EncValue {
        data: buf,
        iv: iv.to_vec(),
        tag: tag.to_vec(),
        kind,
    })
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Decrypts one value and rebuilds its typed form.
///
/// # Errors
/// [`ValueError::Auth`] on a failed tag, [`ValueError::BadPlaintext`] when the bytes
/// do not parse as the declared type.
pub fn open(cipher: &ValueCipher, enc: &EncValue, aad: &str) -> Result<Value, ValueError> {
    open_owned(cipher, enc.clone(), aad)
}

/// Decrypts one value in its own buffer (no copy of large values).
///
/// # Errors
/// As [`open`].
pub fn open_owned(cipher: &ValueCipher, enc: EncValue, aad: &str) -> Result<Value, ValueError> {
    open_owned_exact(cipher, enc, aad).map(|(v, _)| v)
}

/// Like [`open_owned`], also saying whether encrypting the typed value again would give
/// exactly the bytes that were decrypted (`"1.0"` opens as the float 1 and would be
/// sealed as `"1"`): only then may its IV be reused for it.
///
/// # Errors
/// As [`open_owned`].
pub fn open_owned_exact(
    cipher: &ValueCipher,
    enc: EncValue,
    aad: &str,
) -> Result<(Value, bool), ValueError> {
    let EncValue {
        data,
        iv,
        tag,
        kind,
    } = enc;
    let mut buf = Zeroizing::new(data);
    cipher
        .open(&iv, aad.as_bytes(), &mut buf, &tag)
        .map_err(|OpenError| ValueError::Auth)?;
    if kind == "str" || kind == "bytes" {
        let raw = std::mem::take(&mut *buf);
        return Ok((
            if kind == "bytes" {
                Value::Bytes(raw)
            } else {
                match String::from_utf8(raw) {
                    Ok(s) => Value::Str(s),
                    Err(e) => Value::Bytes(e.into_bytes()),
                }
            },
            true,
        ));
    }
    let text = || std::str::from_utf8(&buf).map_err(|_| ValueError::BadPlaintext("UTF-8 string"));
    let value = match kind.as_str() {
        "comment" => Value::Comment(text()?.to_owned()),
        "int" => Value::Int(
            text()?
                .parse()
                .map_err(|_| ValueError::BadPlaintext("int"))?,
        ),
        "float" => Value::Float(
            text()?
                .parse()
                .map_err(|_| ValueError::BadPlaintext("float"))?,
        ),
        "bool" => Value::Bool(parse_go_bool(text()?).ok_or(ValueError::BadPlaintext("bool"))?),
        "time" => {
            let t = text()?;
            let t = crate::store::yaml::resolve_time(t).ok_or(ValueError::BadPlaintext("time"))?;
            Value::Time(t)
        }
        _ => return Err(ValueError::UnknownType),
    };
    let exact = plaintext_bytes(&value).is_some_and(|p| p.as_slice() == buf.as_slice());
    Ok((value, exact))
}

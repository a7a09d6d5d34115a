//! The sops envelope: where the metadata block lives in each store, and the two
//! operations on a whole document, `seal` (encrypt values, MAC, attach metadata) and
//! `Sealed::open` (decrypt, verify the MAC). Key wrapping is delegated to `recipients`.

pub mod binary;
pub mod flatten;
pub mod layout;
pub mod metadata;
pub mod value;
pub mod walk;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::crypto::aead::{random_iv, ValueCipher};
use crate::crypto::dek::DataKey;
use crate::crypto::mac::mac_eq;
use crate::store::{Format, Tree, Value};
pub use metadata::{MasterKey, Metadata, Selector, SOPS_FORMAT_VERSION};
use value::EncValue;
pub use walk::IvCache;

/// Errors of the envelope layer; the caller adds the file name.
#[derive(Debug)]
pub enum SopsError {
    /// The document has no sops metadata.
    NotEncrypted,
    /// The document already has metadata (refusing to encrypt twice).
    AlreadyEncrypted,
    /// The metadata block is malformed.
    BadMetadata(String),
    /// A value failed to open or is malformed: the file was changed.
    Integrity(String),
    /// The MAC is missing or does not match.
    Mac(String),
    /// The document cannot be encrypted as it is.
    Unsupported(String),
    /// An encrypted comment matches `unencrypted_comment_regex` (sops refuses such a
    /// file: it would read back as plaintext).
    CommentLooksPlain,
    /// The OS RNG failed.
    Rng,
}

impl std::fmt::Display for SopsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SopsError::NotEncrypted => f.write_str("not encrypted: no sops metadata found"),
            SopsError::AlreadyEncrypted => f.write_str("already encrypted (it has sops metadata)"),
            SopsError::BadMetadata(m) => write!(f, "bad sops metadata: {m}"),
            SopsError::Integrity(m) | SopsError::Mac(m) | SopsError::Unsupported(m) => {
                f.write_str(m)
            }
            SopsError::Rng => f.write_str("the operating system's random number generator failed"),
            SopsError::CommentLooksPlain => f.write_str(
                "an encrypted comment matches unencrypted_comment_regex, so it would read back as plaintext; make the regex one that cannot match ENC[…] text (for example anchor it: ^…)",
            ),
        }
    }
}

impl std::error::Error for SopsError {}

/// Renders a scalar for flattened metadata.
pub(crate) fn metadata_scalar(v: &Value) -> String {
    v.scalar_text().unwrap_or_default()
}

/// Removes the metadata from a parsed encrypted document.
fn split(format: Format, tree: &mut Tree) -> Result<Option<Value>, SopsError> {
    match format {
        Format::Dotenv => {
            let Some(Value::Map(items)) = tree.docs.first_mut() else {
                return Ok(None);
            };
            let mut pairs = Vec::new();
            items.retain(|(k, v)| match k.strip_prefix("sops_") {
                Some(rest) => {
                    pairs.push((rest.to_owned(), metadata_scalar(v).replace("\\n", "\n")));
                    false
                }
                None => true,
            });
            if pairs.is_empty() {
                return Ok(None);
            }
            flatten::unflatten(pairs)
                .map(Some)
                .map_err(|e| SopsError::BadMetadata(e.to_string()))
        }
        Format::Ini => {
            let Some(Value::Map(sections)) = tree.docs.first_mut() else {
                return Ok(None);
            };
            let Some(pos) = sections
                .iter()
                .position(|(k, v)| k == "sops" && matches!(v, Value::Map(_)))
            else {
                return Ok(None);
            };
            let (_, section) = sections.remove(pos);
            let Value::Map(items) = section else {
                return Ok(None);
            };
            let pairs = items
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Comment(_)))
                .map(|(k, v)| (k.clone(), metadata_scalar(v).replace("\\n", "\n")))
                .collect();
            flatten::unflatten(pairs)
                .map(Some)
                .map_err(|e| SopsError::BadMetadata(e.to_string()))
        }
        Format::Yaml | Format::Json | Format::Binary => {
            let mut found = None;
            for doc in &mut tree.docs {
                if let Value::Map(items) = doc {
                    if let Some(pos) = items
                        .iter()
                        .position(|(k, v)| k == "sops" && !matches!(v, Value::Comment(_)))
                    {
                        let (_, meta) = items.remove(pos);
                        if found.is_none() {
                            found = Some(meta);
                        }
                    }
                }
            }
            Ok(found)
        }
    }
}

/// Adds the metadata to a document tree for writing.
fn attach(format: Format, tree: &mut Tree, meta: &Metadata) {
    let mv = meta.to_value();
    match format {
        Format::Dotenv => {
            if let Some(Value::Map(items)) = tree.docs.first_mut() {
                for (k, v) in flatten::flatten(&mv) {
                    items.push((format!("sops_{k}"), Value::Str(v)));
                }
            }
        }
        Format::Ini => {
            if let Some(Value::Map(sections)) = tree.docs.first_mut() {
                let items = flatten::flatten(&mv)
                    .into_iter()
                    .map(|(k, v)| (k, Value::Str(v.replace('\n', "\\n"))))
                    .collect();
                sections.push(("sops".to_owned(), Value::Map(items)));
            }
        }
        Format::Yaml | Format::Json | Format::Binary => {
            for doc in &mut tree.docs {
                if let Value::Map(items) = doc {
                    items.push(("sops".to_owned(), mv.duplicate()));
                }
            }
        }
    }
}

/// Whether a plaintext document already carries sops metadata.
#[must_use]
pub fn has_metadata(format: Format, tree: &Tree) -> bool {
    tree.docs.iter().any(|d| match (format, d) {
        (Format::Dotenv, Value::Map(m)) => m.iter().any(|(k, _)| k.starts_with("sops_")),
        (_, Value::Map(m)) => m
            .iter()
            .any(|(k, v)| k == "sops" && !matches!(v, Value::Comment(_))),
        _ => false,
    })
}

/// An encrypted document: values still `ENC[…]`, metadata separated.
pub struct Sealed {
    /// Document without metadata.
    pub tree: Tree,
    /// The metadata block.
    pub meta: Metadata,
}

/// What opening a document gives back.
pub struct Opened {
    /// Plaintext document.
    pub tree: Tree,
    /// IVs of the values, to keep unchanged ciphertexts on re-encryption.
    pub ivs: IvCache,
    /// Comments that could not be decrypted and were kept as they were.
    pub unreadable_comments: usize,
}

/// `lastmodified` normalised the way Go re-formats it for the MAC's AAD.
fn mac_aad(lastmodified: &str) -> Result<String, SopsError> {
    // Go's RFC 3339 parser is strict about the separators; so are we.
    let strict = lastmodified.len() >= 20
        && lastmodified.as_bytes().get(10) == Some(&b'T')
        && (lastmodified.ends_with('Z')
            || lastmodified
                .as_bytes()
                .get(lastmodified.len() - 6)
                .is_some_and(|c| *c == b'+' || *c == b'-'));
    if !strict {
        return Err(SopsError::BadMetadata(
            "lastmodified is not an RFC 3339 time".to_owned(),
        ));
    }
    let t = OffsetDateTime::parse(lastmodified, &Rfc3339)
        .map_err(|_| SopsError::BadMetadata("lastmodified is not an RFC 3339 time".to_owned()))?;
    let t = t.replace_nanosecond(0).unwrap_or(t);
    let s = if t.offset().is_utc() {
        let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        t.format(&f)
    } else {
        let f = time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
        );
        t.format(&f)
    };
    s.map_err(|_| SopsError::BadMetadata("lastmodified cannot be formatted".to_owned()))
}

/// Current time as sops writes `lastmodified`.
#[must_use]
pub fn now_rfc3339() -> String {
    let t = OffsetDateTime::now_utc();
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

impl Sealed {
    /// Parses an encrypted file.
    ///
    /// # Errors
    /// Store errors are returned by the caller; here: missing or bad metadata.
    pub fn from_tree(format: Format, mut tree: Tree) -> Result<Self, SopsError> {
        let meta = split(format, &mut tree)?.ok_or(SopsError::NotEncrypted)?;
        let meta =
            Metadata::from_value(&meta).map_err(|e| SopsError::BadMetadata(e.to_string()))?;
        Ok(Self { tree, meta })
    }

    /// Emits the encrypted file.
    ///
    /// # Errors
    /// When the store cannot represent the tree.
    pub fn to_bytes(&self, format: Format) -> Result<Vec<u8>, crate::store::StoreError> {
        let mut t = Tree {
            docs: self.tree.docs.iter().map(Value::duplicate).collect(),
        };
        attach(format, &mut t, &self.meta);
        format.emit_encrypted(&t)
    }

    /// Emits the encrypted file, consuming it (no copy of the tree).
    ///
    /// # Errors
    /// When the store cannot represent the tree.
    pub fn into_bytes(self, format: Format) -> Result<Vec<u8>, crate::store::StoreError> {
        self.into_bytes_with(format, crate::store::Indent::default())
    }

    /// [`Sealed::into_bytes`] with the given indentation (sops' `stores:` settings).
    ///
    /// # Errors
    /// As [`Sealed::into_bytes`].
    pub fn into_bytes_with(
        mut self,
        format: Format,
        indent: crate::store::Indent,
    ) -> Result<Vec<u8>, crate::store::StoreError> {
        attach(format, &mut self.tree, &self.meta);
        format.emit_encrypted_with(&self.tree, indent)
    }

    /// Decrypts the values with `key` and checks the MAC (unless `ignore_mac`). The IVs
    /// of the values are kept for re-encryption.
    ///
    /// # Errors
    /// [`SopsError::Integrity`] for a value that does not open, [`SopsError::Mac`] for a
    /// missing or mismatched MAC.
    pub fn open(&self, key: &DataKey, ignore_mac: bool) -> Result<Opened, SopsError> {
        let tree = Tree {
            docs: self.tree.docs.iter().map(Value::duplicate).collect(),
        };
        open_tree(&self.meta, tree, key, ignore_mac, true)
    }

    /// Like [`Sealed::open`], consuming the file and without keeping IVs: for reading only.
    ///
    /// # Errors
    /// As [`Sealed::open`].
    pub fn into_plaintext(self, key: &DataKey, ignore_mac: bool) -> Result<Opened, SopsError> {
        open_tree(&self.meta, self.tree, key, ignore_mac, false)
    }
}

/// Checks the file's stored MAC against `computed` (the hex of the values' hash).
fn verify_mac(meta: &Metadata, cipher: &ValueCipher, computed: &str) -> Result<(), SopsError> {
    let Some(stored) = &meta.mac else {
        return Err(SopsError::Mac("the file has no MAC".to_owned()));
    };
    let aad = mac_aad(&meta.lastmodified)?;
    let enc = EncValue::parse(stored)
        .map_err(|e| SopsError::Mac(format!("the MAC is malformed: {e}")))?;
    let mac = value::open(cipher, &enc, &aad).map_err(|_| {
        SopsError::Mac(
            "Cannot decrypt MAC: it does not verify (the file or its lastmodified was changed)"
                .to_owned(),
        )
    })?;
    let ok = matches!(&mac, Value::Str(m) if mac_eq(m, computed));
    if !ok {
        return Err(SopsError::Mac(
            "MAC mismatch: the file's content was changed outside sops/sealbox".to_owned(),
        ));
    }
    Ok(())
}

fn open_tree(
    meta: &Metadata,
    mut tree: Tree,
    key: &DataKey,
    ignore_mac: bool,
    keep_ivs: bool,
) -> Result<Opened, SopsError> {
    let cipher = ValueCipher::new(key);
    let mut ivs = IvCache::default();
    let (computed, unreadable) = walk::decrypt(
        &mut tree.docs,
        &cipher,
        &meta.selector,
        meta.mac_only_encrypted,
        keep_ivs.then_some(&mut ivs),
    )
    .map_err(|e| match e {
        walk::WalkError::Value { path, error } => {
            SopsError::Integrity(format!("value at '{path}': {error}"))
        }
        walk::WalkError::Plaintext { path } => SopsError::Integrity(format!(
            "value at '{path}' should be encrypted but is plaintext (the file was edited by hand)"
        )),
        walk::WalkError::Rng => SopsError::Rng,
        walk::WalkError::CommentLooksPlain => SopsError::CommentLooksPlain,
    })?;
    if !ignore_mac {
        verify_mac(meta, &cipher, &computed)?;
    }
    Ok(Opened {
        tree,
        ivs,
        unreadable_comments: unreadable,
    })
}

/// Encrypts a plaintext document with `key`; `meta` supplies the selector, the
/// wrapped keys and the version, and gets a fresh `lastmodified` and MAC.
///
/// # Errors
/// Only when the OS RNG fails.
pub fn seal(
    mut tree: Tree,
    key: &DataKey,
    mut meta: Metadata,
    ivs: Option<&mut IvCache>,
) -> Result<Sealed, SopsError> {
    let cipher = ValueCipher::new(key);
    let mac = walk::encrypt(
        &mut tree.docs,
        &cipher,
        &meta.selector,
        meta.mac_only_encrypted,
        ivs,
    )
    .map_err(|e| match e {
        walk::WalkError::CommentLooksPlain => SopsError::CommentLooksPlain,
        _ => SopsError::Rng,
    })?;
    meta.lastmodified = now_rfc3339();
    let aad = mac_aad(&meta.lastmodified)?;
    let iv = random_iv().map_err(|_| SopsError::Rng)?;
    let enc = value::seal(&cipher, &Value::Str(mac), &iv, &aad).ok_or(SopsError::Rng)?;
    meta.mac = Some(enc.format());
    Ok(Sealed { tree, meta })
}

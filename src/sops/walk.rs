//! Tree walks that encrypt and decrypt leaves: decides which leaves the selector
//! encrypts, computes each leaf's AAD (mapping keys joined with `:` plus a trailing
//! `:`, list indices left out; comments use their container's path) and feeds the MAC.

use std::collections::{HashMap, HashSet};

use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::metadata::Selector;
use super::value::{self, is_enc, EncValue, ValueError};
use crate::crypto::aead::{random_iv, ValueCipher, IV_LEN};
use crate::crypto::mac::TreeMac;
use crate::store::Value;

/// Remembers the IV of every leaf seen while decrypting, keyed by its exact place in
/// the document (document index, key names with their occurrence among equal keys, list
/// indices, comment ordinals), its AAD, its type and its plaintext, so that
/// re-encrypting an unchanged value at an unchanged place with the same data key gives
/// the same ciphertext, and nothing else ever gets that IV. Every field is
/// length-prefixed before hashing, so no two different tuples share a key. Keys are
/// SHA-256 digests: no plaintext is kept.
#[derive(Default)]
pub struct IvCache(HashMap<[u8; 32], [u8; IV_LEN]>);

impl IvCache {
    /// Adds another run's IVs (from a file sealed with the same data key).
    pub fn absorb(&mut self, other: IvCache) {
        for (k, v) in other.0 {
            self.0.entry(k).or_insert(v);
        }
    }

    /// Number of remembered IVs.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no IV is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn key(place: &[u8], aad: &str, v: &Value, pt: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        for field in [place, aad.as_bytes(), v.type_name().as_bytes(), pt] {
            h.update((field.len() as u64).to_le_bytes());
            h.update(field);
        }
        h.finalize().into()
    }
}

/// One step of a leaf's place, appended to the place bytes length-prefixed and tagged.
fn push_place(place: &mut Vec<u8>, tag: u8, name: &[u8], ordinal: usize) {
    place.push(tag);
    place.extend_from_slice(&(name.len() as u64).to_le_bytes());
    place.extend_from_slice(name);
    place.extend_from_slice(&(ordinal as u64).to_le_bytes());
}

/// A walk failed.
#[derive(Debug)]
pub enum WalkError {
    /// A value could not be opened; `path` is its AAD (key names only).
    Value {
        /// Key path of the value.
        path: String,
        /// What went wrong.
        error: ValueError,
    },
    /// A value that should be encrypted is in plaintext.
    Plaintext {
        /// Key path of the value.
        path: String,
    },
    /// An encrypted comment's text matches `unencrypted_comment_regex`, so it would
    /// read back as a plaintext comment.
    CommentLooksPlain,
    /// The OS RNG failed.
    Rng,
}

struct Ctx<'a> {
    cipher: &'a ValueCipher,
    selector: &'a Selector,
    mac: TreeMac,
    mac_only: bool,
    cache: Option<&'a mut IvCache>,
    /// The current node's place (only built while a cache is in use).
    place: Vec<u8>,
    /// IVs already given to leaves of this run: a cached IV is never handed out twice.
    used: HashSet<[u8; IV_LEN]>,
    warnings: usize,
}

fn key_matches(sel: &Selector, key: &str) -> bool {
    match sel {
        Selector::UnencryptedSuffix(s) | Selector::EncryptedSuffix(s) => key.ends_with(s.as_str()),
        Selector::UnencryptedRegex(r) | Selector::EncryptedRegex(r) => r.is_match(key),
        _ => false,
    }
}

fn comment_matches(sel: &Selector, text: &str) -> bool {
    match sel {
        Selector::UnencryptedCommentRegex(r) | Selector::EncryptedCommentRegex(r) => {
            r.is_match(text)
        }
        _ => false,
    }
}

/// Whether a leaf is encrypted given whether its path matched the selector.
fn encrypts(sel: &Selector, matched: bool) -> bool {
    match sel {
        Selector::All => true,
        Selector::UnencryptedSuffix(_)
        | Selector::UnencryptedRegex(_)
        | Selector::UnencryptedCommentRegex(_) => !matched,
        Selector::EncryptedSuffix(_)
        | Selector::EncryptedRegex(_)
        | Selector::EncryptedCommentRegex(_) => matched,
    }
}

/// Whether a top-level scalar under `key` is encrypted by `sel` (no comments before it).
pub(crate) fn encrypts_top_level(sel: &Selector, key: &str) -> bool {
    encrypts(sel, key_matches(sel, key))
}

fn aad_of(path: &[String]) -> String {
    let mut s = path.join(":");
    s.push(':');
    s
}

/// Mode of a walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Encrypt,
    Decrypt,
}

fn walk(
    ctx: &mut Ctx<'_>,
    node: &mut Value,
    path: &mut Vec<String>,
    matched: bool,
    mode: Mode,
) -> Result<(), WalkError> {
    let places = ctx.cache.is_some();
    let mark = ctx.place.len();
    match node {
        Value::Map(entries) => {
            let mut comment_hit = false;
            let mut comments = 0usize;
            // Occurrences of each key so far: duplicate keys get distinct places.
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, v) in entries.iter_mut() {
                if let Value::Comment(_) = v {
                    if places {
                        push_place(&mut ctx.place, b'c', b"", comments);
                    }
                    comments += 1;
                    let r = comment_leaf(ctx, v, path, matched || comment_hit, mode);
                    ctx.place.truncate(mark);
                    comment_hit |= r?;
                    continue;
                }
                if places {
                    let n = seen.entry(k.as_str()).or_insert(0);
                    push_place(&mut ctx.place, b'k', k.as_bytes(), *n);
                    *n += 1;
                }
                let m = matched || comment_hit || key_matches(ctx.selector, k);
                comment_hit = false;
                path.push(k.clone());
                let r = walk(ctx, v, path, m, mode);
                path.pop();
                ctx.place.truncate(mark);
                r?;
            }
            Ok(())
        }
        Value::Seq(items) => {
            let mut comment_hit = false;
            for (i, v) in items.iter_mut().enumerate() {
                if places {
                    push_place(&mut ctx.place, b'i', b"", i);
                }
                if let Value::Comment(_) = v {
                    let r = comment_leaf(ctx, v, path, matched || comment_hit, mode);
                    ctx.place.truncate(mark);
                    comment_hit |= r?;
                    continue;
                }
                let m = matched || comment_hit;
                comment_hit = false;
                let r = walk(ctx, v, path, m, mode);
                ctx.place.truncate(mark);
                r?;
            }
            Ok(())
        }
        _ => leaf(ctx, node, path, matched, mode),
    }
}

/// Handles a comment; returns whether it matched a comment selector. `matched`: the
/// enclosing path matched, or a comment before this one in its run or in the runs
/// before the blocks it is in. As in sops, a comment selector reaches the comments
/// after the one that matched: those after an `encrypted_comment_regex` match are
/// encrypted (the matching comment itself is not, unless an earlier one matched),
/// those after an `unencrypted_comment_regex` match are left plain.
fn comment_leaf(
    ctx: &mut Ctx<'_>,
    v: &mut Value,
    path: &[String],
    matched: bool,
    mode: Mode,
) -> Result<bool, WalkError> {
    let aad = aad_of(path);
    match mode {
        Mode::Encrypt => {
            let Value::Comment(text) = &*v else {
                return Ok(false);
            };
            let hit = comment_matches(ctx.selector, text);
            let sealed = match ctx.selector {
                Selector::UnencryptedCommentRegex(_) => !(matched || hit),
                _ => encrypts(ctx.selector, matched),
            };
            if text.is_empty() || !sealed {
                return Ok(hit);
            }
            let taken = std::mem::replace(v, Value::Null);
            let enc = seal_leaf(ctx, taken, &aad)?;
            if let Selector::UnencryptedCommentRegex(r) = ctx.selector {
                if r.is_match(&enc) {
                    return Err(WalkError::CommentLooksPlain);
                }
            }
            *v = Value::Comment(enc);
            Ok(false)
        }
        Mode::Decrypt => {
            let Value::Comment(text) = &*v else {
                return Ok(false);
            };
            if !is_enc(text) {
                return Ok(comment_matches(ctx.selector, text));
            }
            let parsed = EncValue::parse(text).ok();
            let mut opened =
                EncValue::parse(text).and_then(|e| value::open_owned_exact(ctx.cipher, e, &aad));
            // go-yaml (and so sops, and sealbox reading as sops does) reads a comment
            // that ends several blocks at once into the innermost of them, deeper than
            // where it was written: try the paths of the enclosing blocks too. A comment
            // is outside the MAC; this only lets it open one level off.
            let mut aad = aad;
            for k in (0..path.len()).rev() {
                if opened.is_ok() {
                    break;
                }
                let outer = aad_of(&path[..k]);
                opened = EncValue::parse(text)
                    .and_then(|e| value::open_owned_exact(ctx.cipher, e, &outer));
                if opened.is_ok() {
                    aad = outer;
                }
            }
            match opened {
                Ok((Value::Comment(c) | Value::Str(c), _)) => {
                    let hit = comment_matches(ctx.selector, &c);
                    let comment = Value::Comment(c);
                    if let (Some(cache), Some(e)) = (ctx.cache.as_mut(), parsed) {
                        if let (Some(pt), Ok(iv)) = (
                            value::plaintext_bytes(&comment),
                            <[u8; IV_LEN]>::try_from(e.iv.as_slice()),
                        ) {
                            cache
                                .0
                                .insert(IvCache::key(&ctx.place, &aad, &comment, &pt), iv);
                        }
                    }
                    *v = comment;
                    Ok(hit)
                }
                _ => {
                    // sops keeps a comment it cannot open, with a warning.
                    ctx.warnings += 1;
                    Ok(false)
                }
            }
        }
    }
}

fn seal_leaf(ctx: &mut Ctx<'_>, v: Value, aad: &str) -> Result<String, WalkError> {
    let cached = ctx
        .cache
        .as_ref()
        .filter(|c| !c.0.is_empty())
        .and_then(|c| {
            let pt = value::plaintext_bytes(&v).unwrap_or_else(|| Zeroizing::new(Vec::new()));
            c.0.get(&IvCache::key(&ctx.place, aad, &v, &pt)).copied()
        });
    let iv = match cached {
        // A cached IV serves one leaf of the output at most, whatever the cache holds.
        Some(iv) if ctx.used.insert(iv) => iv,
        _ => {
            let iv = random_iv().map_err(|_| WalkError::Rng)?;
            if ctx.cache.is_some() {
                ctx.used.insert(iv);
            }
            iv
        }
    };
    let enc = value::seal_owned(ctx.cipher, v, &iv, aad).ok_or(WalkError::Rng)?;
    let text = enc.format();
    let EncValue { mut data, .. } = enc;
    data.zeroize();
    Ok(text)
}

fn leaf(
    ctx: &mut Ctx<'_>,
    node: &mut Value,
    path: &[String],
    matched: bool,
    mode: Mode,
) -> Result<(), WalkError> {
    let enc = encrypts(ctx.selector, matched);
    let aad = aad_of(path);
    match mode {
        Mode::Encrypt => {
            if matches!(node, Value::Null) {
                return Ok(());
            }
            let empty = matches!(node, Value::Str(s) if s.is_empty())
                || matches!(node, Value::Bytes(b) if b.is_empty());
            if let Some(pt) = value::plaintext_ref(node) {
                if !ctx.mac_only || (enc && !empty) {
                    ctx.mac.feed(&pt);
                }
            }
            if enc && !empty {
                let v = std::mem::replace(node, Value::Null);
                let s = seal_leaf(ctx, v, &aad)?;
                *node = Value::Str(s);
            }
            Ok(())
        }
        Mode::Decrypt => {
            let Value::Str(s) = &*node else {
                if matches!(node, Value::Null) {
                    return Ok(());
                }
                if enc {
                    return Err(WalkError::Plaintext { path: aad });
                }
                if let Some(pt) = value::plaintext_bytes(node) {
                    if !ctx.mac_only {
                        ctx.mac.feed(&pt);
                    }
                }
                return Ok(());
            };
            if !enc || s.is_empty() {
                if !ctx.mac_only {
                    ctx.mac.feed(s.as_bytes());
                }
                return Ok(());
            }
            if !is_enc(s) {
                return Err(WalkError::Plaintext { path: aad });
            }
            let e = EncValue::parse(s).map_err(|error| WalkError::Value {
                path: aad.clone(),
                error,
            })?;
            let iv = <[u8; IV_LEN]>::try_from(e.iv.as_slice()).ok();
            // Free the ciphertext text before the plaintext exists (large binaries).
            *node = Value::Null;
            let (v, exact) =
                value::open_owned_exact(ctx.cipher, e, &aad).map_err(|error| WalkError::Value {
                    path: aad.clone(),
                    error,
                })?;
            if let Value::Comment(_) = v {
                // A comment stored as a list item (sops <= 3.13.1): not in the MAC.
                *node = v;
                return Ok(());
            }
            if let Some(pt) = value::plaintext_ref(&v) {
                ctx.mac.feed(&pt);
                // Only a value that would be sealed as exactly the bytes that were
                // opened may keep its IV: `1.0` is sealed again as `1`.
                if let (Some(cache), Some(iv), true) = (ctx.cache.as_mut(), iv, exact) {
                    cache.0.insert(IvCache::key(&ctx.place, &aad, &v, &pt), iv);
                }
            }
            *node = v;
            Ok(())
        }
    }
}

/// Walks every document in `mode`; returns the MAC hex and unopened comments.
fn run(
    docs: &mut [Value],
    cipher: &ValueCipher,
    selector: &Selector,
    mac_only: bool,
    cache: Option<&mut IvCache>,
    mode: Mode,
) -> Result<(String, usize), WalkError> {
    let mut ctx = Ctx {
        cipher,
        selector,
        mac: TreeMac::new(mac_only),
        mac_only,
        cache,
        place: Vec::new(),
        used: HashSet::new(),
        warnings: 0,
    };
    let places = ctx.cache.is_some();
    for (i, d) in docs.iter_mut().enumerate() {
        ctx.place.clear();
        if places {
            push_place(&mut ctx.place, b'd', b"", i);
        }
        walk(&mut ctx, d, &mut Vec::new(), false, mode)?;
    }
    let warnings = ctx.warnings;
    Ok((ctx.mac.finish(), warnings))
}

/// Encrypts every selected leaf of `docs` in place and returns the MAC hex.
///
/// # Errors
/// Only when the OS RNG fails.
pub fn encrypt(
    docs: &mut [Value],
    cipher: &ValueCipher,
    selector: &Selector,
    mac_only: bool,
    cache: Option<&mut IvCache>,
) -> Result<String, WalkError> {
    run(docs, cipher, selector, mac_only, cache, Mode::Encrypt).map(|(mac, _)| mac)
}

/// Decrypts every encrypted leaf of `docs` in place; returns the recomputed MAC hex
/// and the number of comments that could not be opened (kept as they were).
///
/// # Errors
/// A value that fails to open or should be encrypted but is not.
pub fn decrypt(
    docs: &mut [Value],
    cipher: &ValueCipher,
    selector: &Selector,
    mac_only: bool,
    cache: Option<&mut IvCache>,
) -> Result<(String, usize), WalkError> {
    run(docs, cipher, selector, mac_only, cache, Mode::Decrypt)
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;

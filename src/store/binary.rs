//! Binary store: the whole file is one value under key `data` (AAD `data:`); the
//! encrypted envelope is JSON (handled by `json.rs`). Bytes that are not UTF-8 are
//! kept as bytes, so any file round-trips exactly.

use super::{Format, StoreError, Tree, Value};

/// Wraps raw file content as `{data: …}`.
#[must_use]
pub fn parse_plain(bytes: &[u8]) -> Tree {
    let v = match std::str::from_utf8(bytes) {
        Ok(s) => Value::Str(s.to_owned()),
        Err(_) => Value::Bytes(bytes.to_vec()),
    };
    Tree::single(Value::Map(vec![("data".to_owned(), v)]))
}

/// Wraps raw file content without copying it.
#[must_use]
pub fn parse_owned(bytes: Vec<u8>) -> Tree {
    let v = match String::from_utf8(bytes) {
        Ok(s) => Value::Str(s),
        Err(e) => Value::Bytes(e.into_bytes()),
    };
    Tree::single(Value::Map(vec![("data".to_owned(), v)]))
}

/// The raw `data` bytes of a plaintext binary document, borrowed.
#[must_use]
pub fn plain_slice(tree: &Tree) -> Option<&[u8]> {
    match tree.docs.first().and_then(|d| d.get("data")) {
        Some(Value::Str(s)) => Some(s.as_bytes()),
        Some(Value::Bytes(b)) => Some(b),
        _ => None,
    }
}

/// Returns the raw `data` value, exactly, with nothing appended.
///
/// # Errors
/// When the document has no string `data` key.
pub fn emit_plain(tree: &Tree) -> Result<Vec<u8>, StoreError> {
    match tree.docs.first().and_then(|d| d.get("data")) {
        Some(Value::Str(s)) => Ok(s.as_bytes().to_vec()),
        Some(Value::Bytes(b)) => Ok(b.clone()),
        _ => Err(StoreError::new(
            Format::Binary,
            "no 'data' key: only documents with a single 'data' value can be written as binary",
        )),
    }
}

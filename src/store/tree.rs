//! The format-neutral document tree every store parses into and emits from: ordered
//! mappings, sequences, typed scalars and comments. It knows nothing about crypto;
//! `sops::walk` computes key paths (AAD) over it. Plaintext strings are wiped when a
//! `Tree` is dropped.

use zeroize::Zeroize;

/// One node of a document. Not `Clone` outside unit tests (where proptest needs it):
/// copies are made with [`Value::duplicate`], on purpose.
#[derive(PartialEq)]
#[cfg_attr(test, derive(Clone))]
pub enum Value {
    /// YAML/JSON null.
    Null,
    /// A string (every dotenv/INI value, most YAML scalars).
    Str(String),
    /// Raw bytes: binary-store content that is not UTF-8, or sops' `bytes` type.
    Bytes(Vec<u8>),
    /// A 64-bit integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// A timestamp, kept as its RFC 3339 (nanoseconds trimmed) text.
    Time(String),
    /// A comment line (text after the comment character).
    Comment(String),
    /// An ordered mapping; comment entries have an empty key and a `Comment` value.
    Map(Vec<(String, Value)>),
    /// A sequence; may hold `Comment` items.
    Seq(Vec<Value>),
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be plaintext secrets: show the shape, never the content.
        match self {
            Value::Map(m) => write!(f, "Map(len={})", m.len()),
            Value::Seq(s) => write!(f, "Seq(len={})", s.len()),
            other => write!(f, "{}(<redacted>)", other.type_name()),
        }
    }
}

impl Value {
    /// An explicit copy of this node. `Value` is not `Clone`, so that copies of
    /// decrypted documents are never made by accident: a copy of plaintext must end up
    /// in a [`Tree`] (wiped when dropped) or be wiped by its holder ([`Value::wipe`]).
    #[must_use]
    pub fn duplicate(&self) -> Value {
        match self {
            Value::Null => Value::Null,
            Value::Str(s) => Value::Str(s.clone()),
            Value::Bytes(b) => Value::Bytes(b.clone()),
            Value::Int(i) => Value::Int(*i),
            Value::Float(f) => Value::Float(*f),
            Value::Bool(b) => Value::Bool(*b),
            Value::Time(t) => Value::Time(t.clone()),
            Value::Comment(c) => Value::Comment(c.clone()),
            Value::Map(m) => {
                Value::Map(m.iter().map(|(k, v)| (k.clone(), v.duplicate())).collect())
            }
            Value::Seq(s) => Value::Seq(s.iter().map(Value::duplicate).collect()),
        }
    }

    /// The sops `type:` name of a scalar (`str` for strings and bytes).
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Str(_) | Value::Bytes(_) => "str",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Bool(_) => "bool",
            Value::Time(_) => "time",
            Value::Comment(_) => "comment",
            Value::Map(_) => "map",
            Value::Seq(_) => "seq",
        }
    }

    /// A comment entry for a mapping.
    #[must_use]
    pub fn comment_entry(text: String) -> (String, Value) {
        (String::new(), Value::Comment(text))
    }

    /// Looks up a key in a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m
                .iter()
                .find(|(k, v)| k == key && !matches!(v, Value::Comment(_)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string inside a `Str`.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a scalar as a variable or metadata field holds it (floats without
    /// exponent, null as empty); `None` for maps, sequences, comments and bytes.
    #[must_use]
    pub fn scalar_text(&self) -> Option<String> {
        Some(match self {
            Value::Str(s) | Value::Time(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_float_f(*f),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            _ => return None,
        })
    }

    /// Turns every integer below this node into a float, as Go's `encoding/json`
    /// reads numbers.
    pub fn ints_to_floats(&mut self) {
        match self {
            // An integer beyond f64's range is rounded, as Go's `encoding/json` does.
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => *self = Value::Float(*i as f64),
            Value::Map(items) => items.iter_mut().for_each(|(_, v)| v.ints_to_floats()),
            Value::Seq(items) => items.iter_mut().for_each(Value::ints_to_floats),
            _ => {}
        }
    }

    /// Overwrites every string and byte buffer below this node with zeros.
    pub fn wipe(&mut self) {
        match self {
            Value::Str(s) | Value::Time(s) | Value::Comment(s) => s.zeroize(),
            Value::Bytes(b) => b.zeroize(),
            Value::Int(i) => *i = 0,
            Value::Float(x) => *x = 0.0,
            Value::Map(m) => {
                for (k, v) in m.iter_mut() {
                    k.zeroize();
                    v.wipe();
                }
            }
            Value::Seq(s) => s.iter_mut().for_each(Value::wipe),
            Value::Null | Value::Bool(_) => {}
        }
    }
}

/// A parsed file: one or more documents (YAML may hold several), each a mapping.
#[derive(Debug, Default)]
pub struct Tree {
    /// The documents, in file order.
    pub docs: Vec<Value>,
}

impl Tree {
    /// A tree of one document.
    #[must_use]
    pub fn single(doc: Value) -> Self {
        Self { docs: vec![doc] }
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        self.docs.iter_mut().for_each(Value::wipe);
    }
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an
/// exponent, no trailing `.0`. This is the text sops encrypts and hashes for floats.
#[must_use]
pub fn format_float_f(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_owned()
    } else {
        // Rust's Display prints shortest round-trip digits without exponent.
        format!("{v}")
    }
}

/// Go's `strconv.FormatFloat(v, 'g', -1, 64)` as go-yaml prints floats
/// (`1.234568e+09`, `25.4`, `1`).
#[must_use]
pub fn format_float_g(v: f64) -> String {
    if !v.is_finite() {
        return format_float_f(v);
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    // Shortest digits via Rust's `{:e}` (e.g. "1.234568e9"); Go switches to the
    // exponent form when the decimal exponent is < -4 or >= 6 (shortest mode).
    let e = format!("{v:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        format!("{v}")
    }
}

/// Formats a bool the way sops encrypts and hashes it.
#[must_use]
pub fn format_bool_sops(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

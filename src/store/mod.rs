//! Stores turn bytes into a [`Tree`] and back, one file per format. They know nothing
//! about crypto or metadata semantics; errors carry line/column but never echo input.
//! Called by `sops::` (envelope) and the commands.

pub mod binary;
pub mod dotenv;
pub mod ini;
pub mod json;
pub mod tree;
pub mod yaml;

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

pub use tree::{Tree, Value};

/// Whether files are read and written as sops' Go stores do (set once, in sops mode).
static GO_STORES: AtomicBool = AtomicBool::new(false);

/// Reads and writes files, for the rest of the process, as sops' Go stores do. Read:
/// every JSON number is a float (Go's `encoding/json`), and an INI file always has
/// its `DEFAULT` section, first and maybe empty, and a value ends at an inline
/// comment (go-ini). Written: a dotenv or INI
/// float as Go's `%G` with a `.0` when whole (`1E+06`, `5.0`), a null as `<nil>`.
/// sealbox's own commands keep JSON integers, add no section the file does not have,
/// keep a `#` or `;` in an INI value and write floats and nulls so that they read back.
pub fn act_as_go_stores() {
    GO_STORES.store(true, Ordering::Relaxed);
}

fn go_stores() -> bool {
    GO_STORES.load(Ordering::Relaxed)
}

/// A scalar as a flat store (dotenv, INI) writes it; `None` for a collection.
pub(crate) fn flat_scalar_text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) | Value::Time(s) => s.clone(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Int(i) => i.to_string(),
        // Go's `%G` writes `+Inf`, `-Inf` and `NaN` as they are.
        Value::Float(f) if go_stores() && !f.is_finite() => tree::format_float_f(*f),
        Value::Float(f) if go_stores() => {
            let s = tree::format_float_g(*f).to_ascii_uppercase();
            if s.contains(['.', 'E', 'N', 'I']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Float(f) => {
            let s = tree::format_float_f(*f);
            if s.contains(['.', 'e', 'N', 'I']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Null if go_stores() => "<nil>".to_owned(),
        Value::Null => String::new(),
        _ => return None,
    })
}

/// A file format sealbox reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `KEY=value` lines.
    Dotenv,
    /// YAML (comments and order kept).
    Yaml,
    /// JSON.
    Json,
    /// INI sections.
    Ini,
    /// Any other file: the whole content is one value, the envelope is JSON.
    Binary,
}

impl Format {
    /// Format from a file name, as sops decides it.
    #[must_use]
    pub fn from_path(path: &Path) -> Self {
        // `FILE.sealbox-conflict[.N]` (an edit set aside by `edit`) has FILE's format.
        if let Some(p) = path.to_str() {
            let p = p.trim_end_matches(|c: char| c.is_ascii_digit());
            let p = p.strip_suffix('.').unwrap_or(p);
            if let Some(inner) = p.strip_suffix(".sealbox-conflict") {
                return Self::from_path(Path::new(inner));
            }
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext.to_ascii_lowercase().as_str() {
            "yaml" | "yml" => Format::Yaml,
            "json" => Format::Json,
            "env" => Format::Dotenv,
            "ini" => Format::Ini,
            _ if name == ".env" || name.starts_with(".env.") => Format::Dotenv,
            _ => Format::Binary,
        }
    }

    /// Parses a `--input-type`/`--output-type` value.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "yaml" | "yml" => Format::Yaml,
            "json" => Format::Json,
            "dotenv" | "env" => Format::Dotenv,
            "ini" => Format::Ini,
            "binary" => Format::Binary,
            _ => return None,
        })
    }

    /// The canonical name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Dotenv => "dotenv",
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Ini => "ini",
            Format::Binary => "binary",
        }
    }

    /// Parses a plaintext file.
    ///
    /// # Errors
    /// A [`StoreError`] naming line and column, never the content.
    pub fn parse_plain(self, bytes: &[u8]) -> Result<Tree, StoreError> {
        match self {
            Format::Dotenv => dotenv::parse(bytes),
            Format::Yaml => yaml::parse(bytes),
            Format::Json => json::parse(bytes),
            Format::Ini => ini::parse(bytes),
            Format::Binary => Ok(binary::parse_plain(bytes)),
        }
    }

    /// Parses a plaintext file exactly as sops reads it: as [`Format::parse_plain`],
    /// except that a dotenv value is taken as written even when it is quoted (`edit`
    /// reads back what `emit_plain` wrote, which is sops' output).
    ///
    /// # Errors
    /// As [`Format::parse_plain`].
    pub fn parse_plain_as_sops(self, bytes: &[u8]) -> Result<Tree, StoreError> {
        let mut tree = match self {
            Format::Dotenv => dotenv::parse_sops(bytes)?,
            Format::Ini if go_stores() => ini::parse_go(bytes)?,
            other => other.parse_plain(bytes)?,
        };
        if go_stores() {
            match self {
                Format::Json => tree.docs.iter_mut().for_each(Value::ints_to_floats),
                Format::Ini => ini::default_section_first(&mut tree),
                _ => {}
            }
        }
        Ok(tree)
    }

    /// Parses a plaintext file it may keep the buffer of (binary: no copy).
    ///
    /// # Errors
    /// As [`Format::parse_plain`].
    pub fn parse_plain_owned(self, bytes: Vec<u8>) -> Result<Tree, StoreError> {
        match self {
            Format::Binary => Ok(binary::parse_owned(bytes)),
            other => other.parse_plain(&bytes),
        }
    }

    /// Parses an encrypted file (the binary store's envelope is JSON).
    ///
    /// # Errors
    /// A [`StoreError`] naming line and column, never the content.
    pub fn parse_encrypted(self, bytes: &[u8]) -> Result<Tree, StoreError> {
        match self {
            Format::Binary => json::parse(bytes),
            other => other.parse_plain_as_sops(bytes),
        }
    }

    /// Emits a plaintext document.
    ///
    /// # Errors
    /// When the tree cannot be represented in this format (nested maps in dotenv…).
    pub fn emit_plain(self, tree: &Tree) -> Result<Vec<u8>, StoreError> {
        match self {
            Format::Dotenv => dotenv::emit(tree),
            Format::Yaml => Ok(yaml::emit(tree)),
            Format::Json => json::emit(tree),
            Format::Ini => ini::emit(tree),
            Format::Binary => binary::emit_plain(tree),
        }
    }

    /// Emits an encrypted document (values already `ENC[…]`, metadata attached).
    ///
    /// # Errors
    /// When the tree cannot be represented in this format.
    pub fn emit_encrypted(self, tree: &Tree) -> Result<Vec<u8>, StoreError> {
        self.emit_encrypted_with(tree, Indent::default())
    }

    /// [`Format::emit_plain`] with the given indentation.
    ///
    /// # Errors
    /// As [`Format::emit_plain`].
    pub fn emit_plain_with(self, tree: &Tree, indent: Indent) -> Result<Vec<u8>, StoreError> {
        match self {
            Format::Yaml => Ok(yaml::emit_with(tree, false, indent.yaml)),
            Format::Json => json::emit_with(tree, indent.json),
            other => other.emit_plain(tree),
        }
    }

    /// [`Format::emit_encrypted`] with the given indentation (a binary file's
    /// envelope is JSON indented by `indent.json_binary`).
    ///
    /// # Errors
    /// As [`Format::emit_encrypted`].
    pub fn emit_encrypted_with(self, tree: &Tree, indent: Indent) -> Result<Vec<u8>, StoreError> {
        match self {
            Format::Binary => json::emit_with(tree, indent.json_binary),
            Format::Yaml => Ok(yaml::emit_with(tree, true, indent.yaml)),
            Format::Json => json::emit_with(tree, indent.json),
            other => other.emit_plain(tree),
        }
    }
}

/// How nested YAML and JSON are indented (sops' `stores:` settings and `--indent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Indent {
    /// YAML step in spaces (go-yaml's range 2–9; others mean 2). Default 4.
    pub yaml: usize,
    /// JSON spaces per level; `None` is one tab (the default).
    pub json: Option<usize>,
    /// The same for the JSON envelope of an encrypted binary file.
    pub json_binary: Option<usize>,
}

impl Default for Indent {
    fn default() -> Self {
        Self {
            yaml: yaml::DEFAULT_INDENT,
            json: None,
            json_binary: None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A store could not parse or emit a document. Messages never contain file content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    /// The format that failed.
    pub format: Format,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
    /// What is wrong, in words that do not quote the input.
    pub message: String,
}

impl StoreError {
    /// An error at a position.
    #[must_use]
    pub fn at(format: Format, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self {
            format,
            line: Some(line),
            col: Some(col),
            message: message.into(),
        }
    }

    /// An error without a position.
    #[must_use]
    pub fn new(format: Format, message: impl Into<String>) -> Self {
        Self {
            format,
            line: None,
            col: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}", self.format)?;
        match (self.line, self.col) {
            (Some(l), Some(c)) => write!(f, " at line {l}, column {c}")?,
            (Some(l), None) => write!(f, " at line {l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for StoreError {}

//! The `sops` metadata block: lastmodified, mac, version, the value selector, and the
//! wrapped data keys per key group. Reading is lenient (unknown keys, any order, `[]`
//! or null lists, string-typed numbers from dotenv/INI); writing is alphabetical, as
//! sops 3.13 writes it.

use regex::Regex;

use crate::store::Value;

/// The sops release whose on-disk format sealbox writes.
pub const SOPS_FORMAT_VERSION: &str = "3.13.2";

/// Key types sops knows, in the alphabetical order written to files.
pub const KEY_TYPES: [&str; 7] = [
    "age", "azure_kv", "gcp_kms", "hc_vault", "hckms", "kms", "pgp",
];

/// The metadata (and `.sops.yaml`) keys of the six selectors.
pub const SELECTOR_KEYS: [&str; 6] = [
    "unencrypted_suffix",
    "encrypted_suffix",
    "unencrypted_regex",
    "encrypted_regex",
    "unencrypted_comment_regex",
    "encrypted_comment_regex",
];

/// Which leaves are encrypted (at most one selector per file).
#[derive(Debug, Clone)]
pub enum Selector {
    /// Everything is encrypted (binary store).
    All,
    /// Leaves under a key ending with the suffix stay plain.
    UnencryptedSuffix(String),
    /// Only leaves under a key ending with the suffix are encrypted.
    EncryptedSuffix(String),
    /// Leaves under a key matching the regex stay plain.
    UnencryptedRegex(Regex),
    /// Only leaves under a key matching the regex are encrypted.
    EncryptedRegex(Regex),
    /// Items after a comment matching the regex stay plain.
    UnencryptedCommentRegex(Regex),
    /// Only items after a comment matching the regex are encrypted.
    EncryptedCommentRegex(Regex),
}

impl Selector {
    /// The metadata key and value for this selector, if any.
    #[must_use]
    pub fn entry(&self) -> Option<(&'static str, String)> {
        Some(match self {
            Selector::All => return None,
            Selector::UnencryptedSuffix(s) => ("unencrypted_suffix", s.clone()),
            Selector::EncryptedSuffix(s) => ("encrypted_suffix", s.clone()),
            Selector::UnencryptedRegex(r) => ("unencrypted_regex", r.as_str().to_owned()),
            Selector::EncryptedRegex(r) => ("encrypted_regex", r.as_str().to_owned()),
            Selector::UnencryptedCommentRegex(r) => {
                ("unencrypted_comment_regex", r.as_str().to_owned())
            }
            Selector::EncryptedCommentRegex(r) => {
                ("encrypted_comment_regex", r.as_str().to_owned())
            }
        })
    }

    /// Builds a selector from its metadata key.
    ///
    /// # Errors
    /// An invalid regex (the message names the field).
    pub fn from_entry(key: &str, value: &str) -> Result<Option<Self>, MetadataError> {
        let re = || {
            Regex::new(value)
                .map_err(|_| MetadataError(format!("{key} is not a valid regular expression")))
        };
        Ok(Some(match key {
            "unencrypted_suffix" => Selector::UnencryptedSuffix(value.to_owned()),
            "encrypted_suffix" => Selector::EncryptedSuffix(value.to_owned()),
            "unencrypted_regex" => Selector::UnencryptedRegex(re()?),
            "encrypted_regex" => Selector::EncryptedRegex(re()?),
            "unencrypted_comment_regex" => Selector::UnencryptedCommentRegex(re()?),
            "encrypted_comment_regex" => Selector::EncryptedCommentRegex(re()?),
            _ => return Ok(None),
        }))
    }
}

/// Metadata that cannot be read: the message names the field or the rule it breaks,
/// never a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataError(String);

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MetadataError {}

impl From<String> for MetadataError {
    fn from(m: String) -> Self {
        Self(m)
    }
}

impl From<&str> for MetadataError {
    fn from(m: &str) -> Self {
        Self(m.to_owned())
    }
}

/// The `created_at` of a new stanza (as sops writes it).
#[must_use]
pub fn created_at() -> String {
    super::now_rfc3339()
}

/// One wrapped copy of the data key (or of a Shamir share).
pub struct MasterKey {
    /// `age`, `pgp`, `kms`, …
    pub kind: String,
    /// The stanza's fields in file order (`recipient`, `enc`, …).
    pub fields: Vec<(String, Value)>,
}

impl Clone for MasterKey {
    fn clone(&self) -> Self {
        Self {
            kind: self.kind.clone(),
            fields: self
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.duplicate()))
                .collect(),
        }
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey({})", self.describe())
    }
}

impl MasterKey {
    /// A string field.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_str())
    }

    /// Who this key is for: the age recipient, PGP fingerprint, ARN, URL…
    #[must_use]
    pub fn describe(&self) -> String {
        let id = match self.kind.as_str() {
            "age" => self.field("recipient"),
            "pgp" => self.field("fp"),
            "kms" => self.field("arn"),
            "gcp_kms" => self.field("resource_id"),
            "azure_kv" => self.field("vault_url"),
            "hc_vault" => self.field("vault_address"),
            "hckms" => self.field("key_id"),
            _ => None,
        };
        format!("{} {}", self.kind, id.unwrap_or("?"))
    }
}

/// Parsed `sops` block.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// RFC 3339 timestamp as stored (the MAC's AAD is derived from it).
    pub lastmodified: String,
    /// The encrypted MAC, `None` when absent or empty.
    pub mac: Option<String>,
    /// sops version string.
    pub version: String,
    /// Value selector.
    pub selector: Selector,
    /// Only encrypted values are in the MAC.
    pub mac_only_encrypted: bool,
    /// Shamir threshold (0 = all groups).
    pub shamir_threshold: usize,
    /// Key groups; one group is written flat.
    pub groups: Vec<Vec<MasterKey>>,
}

fn list_of(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Seq(items)) => items
            .iter()
            .filter(|v| !matches!(v, Value::Comment(_)))
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => other.scalar_text(),
    }
}

fn group_from(v: &Value) -> Vec<MasterKey> {
    let mut keys = Vec::new();
    for kind in KEY_TYPES {
        for item in list_of(v.get(kind)) {
            if let Value::Map(fields) = item {
                let fields = fields
                    .iter()
                    .filter(|(_, v)| !matches!(v, Value::Comment(_)))
                    .map(|(k, v)| {
                        let v = match v {
                            Value::Map(_) => v.duplicate(),
                            other => scalar_string(other).map_or(Value::Null, Value::Str),
                        };
                        (k.clone(), v)
                    })
                    .collect();
                keys.push(MasterKey {
                    kind: kind.to_owned(),
                    fields,
                });
            }
        }
    }
    keys
}

impl Metadata {
    /// Reads the block.
    ///
    /// # Errors
    /// A message naming the field that is missing or malformed.
    pub fn from_value(v: &Value) -> Result<Self, MetadataError> {
        if !matches!(v, Value::Map(_)) {
            return Err("the sops metadata is not a mapping".into());
        }
        let get = |k: &str| v.get(k).and_then(scalar_string);
        let lastmodified = get("lastmodified").ok_or("sops metadata has no lastmodified")?;
        let mac = get("mac").filter(|m| !m.is_empty());
        let version = get("version").unwrap_or_default();
        let mut selector = None;
        for key in SELECTOR_KEYS {
            if let Some(val) = get(key).filter(|s| !s.is_empty()) {
                if selector.is_some() {
                    return Err(
                        "sops metadata sets more than one of the *_suffix / *_regex selectors"
                            .into(),
                    );
                }
                selector = Selector::from_entry(key, &val)?;
            }
        }
        let mac_only_encrypted = matches!(
            get("mac_only_encrypted").as_deref(),
            Some("true" | "True" | "1")
        );
        let shamir_threshold = match get("shamir_threshold") {
            Some(s) if !s.is_empty() => s
                .parse()
                .map_err(|_| "shamir_threshold is not a number".to_owned())?,
            _ => 0,
        };
        let flat = group_from(v);
        let groups = if flat.is_empty() {
            list_of(v.get("key_groups"))
                .into_iter()
                .map(group_from)
                .collect()
        } else {
            vec![flat]
        };
        Ok(Self {
            lastmodified,
            mac,
            version,
            // No selector written (binary files, old files): sops takes its default
            // suffix, and writes it when it rewrites the file.
            selector: selector
                .unwrap_or_else(|| Selector::UnencryptedSuffix("_unencrypted".to_owned())),
            mac_only_encrypted,
            shamir_threshold,
            groups,
        })
    }

    /// Every master key of every group, for messages.
    #[must_use]
    pub fn describe_keys(&self) -> Vec<String> {
        self.groups
            .iter()
            .flatten()
            .map(MasterKey::describe)
            .collect()
    }

    /// The block as a tree, keys in alphabetical order.
    #[must_use]
    pub fn to_value(&self) -> Value {
        let mut m: Vec<(String, Value)> = Vec::new();
        let group_value = |g: &Vec<MasterKey>| -> Vec<(String, Value)> {
            let mut out = Vec::new();
            for kind in KEY_TYPES {
                let items: Vec<Value> = g
                    .iter()
                    .filter(|k| k.kind == kind)
                    .map(|k| {
                        let mut f = k.clone().fields;
                        f.sort_by(|a, b| a.0.cmp(&b.0));
                        Value::Map(f)
                    })
                    .collect();
                if !items.is_empty() {
                    out.push((kind.to_owned(), Value::Seq(items)));
                }
            }
            out
        };
        if self.groups.len() == 1 {
            if let Some(g) = self.groups.first() {
                m.extend(group_value(g));
            }
        } else if self.groups.len() > 1 {
            let groups = self
                .groups
                .iter()
                .map(|g| Value::Map(group_value(g)))
                .collect();
            m.push(("key_groups".to_owned(), Value::Seq(groups)));
        }
        m.push((
            "lastmodified".to_owned(),
            Value::Str(self.lastmodified.clone()),
        ));
        m.push((
            "mac".to_owned(),
            Value::Str(self.mac.clone().unwrap_or_default()),
        ));
        if self.mac_only_encrypted {
            m.push(("mac_only_encrypted".to_owned(), Value::Bool(true)));
        }
        if self.shamir_threshold > 0 {
            m.push((
                "shamir_threshold".to_owned(),
                Value::Int(i64::try_from(self.shamir_threshold).unwrap_or(i64::MAX)),
            ));
        }
        if let Some((k, v)) = self.selector.entry() {
            m.push((k.to_owned(), Value::Str(v)));
        }
        m.push(("version".to_owned(), Value::Str(self.version.clone())));
        m.sort_by(|a, b| a.0.cmp(&b.0));
        Value::Map(m)
    }
}

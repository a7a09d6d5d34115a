//! Secrets managers as homes of an environment's values: a target string
//! (`vault:MOUNT/PATH`, `aws-sm:NAME`, `aws-sm-prefix:P/`, `aws-ssm:/PATH/`,
//! `gcp-sm:…`, `gcp-sm-prefix:…`, `azure-kv:URL`) parsed into a [`Target`], read into
//! [`Values`] (key → value, zeroized) and written back by a [`Plan`] that touches only
//! changed keys. One file per service (Vault KV, AWS Secrets Manager and SSM, GCP
//! Secret Manager, Azure Key Vault secrets); `commands/{push,pull,diff}` and `exec`'s
//! loader call [`read`] and [`write`]. Nothing here prints, and no message carries a
//! value.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod plan;
pub mod vault;

use std::collections::BTreeMap;
use std::fmt;

use zeroize::Zeroizing;

use crate::error::Error;
use crate::recipients::remote::RemoteError;

pub use plan::{Plan, Status};

/// An environment's values by key. Its `Debug` shows key names only.
#[derive(Default)]
pub struct Values(pub BTreeMap<String, Zeroizing<String>>);

impl fmt::Debug for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Values {
    /// The value of `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Zeroizing<String>> {
        self.0.get(key)
    }
}

/// Where an environment's values live in a secrets manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One Vault/OpenBao KV entry (version 1 or 2, detected from the mount).
    Vault {
        /// `MOUNT/PATH` as written (mount detected from the server).
        path: String,
    },
    /// One Secrets Manager secret holding a JSON object.
    AwsSm {
        /// Name or ARN.
        id: String,
    },
    /// One Secrets Manager secret per key, named `PREFIX` + key.
    AwsSmPrefix {
        /// Name prefix (usually ending in `/`).
        prefix: String,
    },
    /// SSM Parameter Store SecureString parameters named `PATH` + key.
    AwsSsm {
        /// Parameter path, starting and ending with `/`.
        path: String,
        /// KMS key for new parameters (`?kms-key=ID`), else the account's default.
        kms_key: Option<String>,
    },
    /// One GCP Secret Manager secret holding a JSON object.
    GcpSm {
        /// `projects/P/secrets/NAME`.
        name: String,
    },
    /// One GCP secret per key, named `PREFIX` + key (with `_` kept).
    GcpSmPrefix {
        /// The project (`projects/P`).
        project: String,
        /// Secret id prefix.
        prefix: String,
    },
    /// One Azure Key Vault secret per key (`_` ↔ `-`).
    AzureKv {
        /// `https://NAME.vault.azure.net` (no trailing slash).
        url: String,
    },
}

const FORMS: &str = "vault:MOUNT/PATH, aws-sm:NAME, aws-sm-prefix:PREFIX/, aws-ssm:/PATH/, gcp-sm:projects/P/secrets/NAME, gcp-sm-prefix:projects/P/PREFIX or azure-kv:https://NAME.vault.azure.net/";

impl Target {
    /// Parses a target string.
    ///
    /// # Errors
    /// An unknown kind or a malformed path, as one line naming the accepted forms.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let bad =
            |why: &str| format!("'{s}' is not a secrets manager target ({why}); write {FORMS}");
        let (kind, rest) = s.split_once(':').ok_or_else(|| bad("no kind"))?;
        let rest = rest.trim();
        if rest.is_empty() {
            return Err(bad("nothing after the kind"));
        }
        let no_empty_segment = |p: &str| p.split('/').all(|x| !x.is_empty());
        match kind {
            "vault" => {
                let path = rest.trim_matches('/');
                if !path.contains('/') || !no_empty_segment(path) {
                    return Err(bad(
                        "a KV mount and a path are needed, e.g. vault:secret/app/prod",
                    ));
                }
                Ok(Target::Vault {
                    path: path.to_owned(),
                })
            }
            "aws-sm" => Ok(Target::AwsSm {
                id: rest.to_owned(),
            }),
            "aws-sm-prefix" => Ok(Target::AwsSmPrefix {
                prefix: rest.to_owned(),
            }),
            "aws-ssm" => {
                let (path, query) = match rest.split_once('?') {
                    Some((p, q)) => (p, Some(q)),
                    None => (rest, None),
                };
                let kms_key = match query {
                    None => None,
                    Some(q) => Some(
                        q.strip_prefix("kms-key=")
                            .filter(|k| !k.is_empty())
                            .ok_or_else(|| bad("the only option is ?kms-key=KEY_ID"))?
                            .to_owned(),
                    ),
                };
                if !path.starts_with('/') {
                    return Err(bad("an SSM path starts with '/', e.g. aws-ssm:/app/prod/"));
                }
                let path = format!("{}/", path.trim_end_matches('/'));
                Ok(Target::AwsSsm { path, kms_key })
            }
            "gcp-sm" => {
                let parts: Vec<&str> = rest.split('/').collect();
                let ok = parts.len() == 4
                    && parts.first() == Some(&"projects")
                    && parts.get(2) == Some(&"secrets")
                    && parts.iter().all(|p| !p.is_empty());
                if !ok {
                    return Err(bad("write gcp-sm:projects/PROJECT/secrets/NAME"));
                }
                Ok(Target::GcpSm {
                    name: rest.to_owned(),
                })
            }
            "gcp-sm-prefix" => {
                let parts: Vec<&str> = rest.splitn(3, '/').collect();
                match parts.as_slice() {
                    ["projects", p, prefix] if !p.is_empty() && !prefix.is_empty() => {
                        Ok(Target::GcpSmPrefix {
                            project: format!("projects/{p}"),
                            prefix: (*prefix).to_owned(),
                        })
                    }
                    _ => Err(bad("write gcp-sm-prefix:projects/PROJECT/PREFIX")),
                }
            }
            "azure-kv" => {
                let url = rest.trim_end_matches('/');
                let host = url
                    .strip_prefix("https://")
                    .or_else(|| url.strip_prefix("http://"))
                    .unwrap_or_default();
                if host.is_empty() || host.contains('/') {
                    return Err(bad("write azure-kv:https://NAME.vault.azure.net/"));
                }
                Ok(Target::AzureKv {
                    url: url.to_owned(),
                })
            }
            _ => Err(bad("unknown kind")),
        }
    }

    /// Whether each key is its own secret (one request per key), rather than all keys
    /// in one entry.
    #[must_use]
    pub fn per_key(&self) -> bool {
        matches!(
            self,
            Target::AwsSmPrefix { .. }
                | Target::AwsSsm { .. }
                | Target::GcpSmPrefix { .. }
                | Target::AzureKv { .. }
        )
    }

    /// The key-service kind whose credentials this target uses (what children of
    /// `exec` must not inherit).
    #[must_use]
    pub fn credential_kind(&self) -> &'static str {
        match self {
            Target::Vault { .. } => crate::recipients::vault::KIND,
            Target::AwsSm { .. } | Target::AwsSmPrefix { .. } | Target::AwsSsm { .. } => {
                crate::recipients::aws::KIND
            }
            Target::GcpSm { .. } | Target::GcpSmPrefix { .. } => crate::recipients::gcp::KIND,
            Target::AzureKv { .. } => crate::recipients::azure::KIND,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Vault { path } => write!(f, "vault:{path}"),
            Target::AwsSm { id } => write!(f, "aws-sm:{id}"),
            Target::AwsSmPrefix { prefix } => write!(f, "aws-sm-prefix:{prefix}"),
            Target::AwsSsm { path, kms_key } => {
                write!(f, "aws-ssm:{path}")?;
                if let Some(k) = kms_key {
                    write!(f, "?kms-key={k}")?;
                }
                Ok(())
            }
            Target::GcpSm { name } => write!(f, "gcp-sm:{name}"),
            Target::GcpSmPrefix { project, prefix } => {
                write!(f, "gcp-sm-prefix:{project}/{prefix}")
            }
            Target::AzureKv { url } => write!(f, "azure-kv:{url}/"),
        }
    }
}

/// Why a manager did not do what was asked.
#[derive(Debug, Clone)]
pub enum ManagerError {
    /// It could not be asked (unreachable, timed out, no or bad credentials, server
    /// error): exit 5. The message names the endpoint and the variable to set.
    Unavailable(String),
    /// It answered and refused (no permission): exit 3; the message names the key.
    Refused(String),
    /// What it holds, or what we would write, cannot be used (not a JSON object, a key
    /// name that does not map back): exit 2.
    Invalid(String),
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManagerError::Unavailable(m) | ManagerError::Refused(m) | ManagerError::Invalid(m) => {
                f.write_str(m)
            }
        }
    }
}

impl From<RemoteError> for ManagerError {
    fn from(e: RemoteError) -> Self {
        match e {
            RemoteError::Refused(m) => ManagerError::Refused(m),
            RemoteError::Unavailable(m) => ManagerError::Unavailable(m),
        }
    }
}

impl ManagerError {
    /// The top-level error for `target`.
    #[must_use]
    pub fn into_error(self, target: &Target) -> Error {
        let t = target.to_string();
        match self {
            ManagerError::Refused(message) => Error::Refused { target: t, message },
            ManagerError::Unavailable(message) => Error::Backend {
                path: t.into(),
                message,
            },
            ManagerError::Invalid(message) => Error::Usage(format!("{t}: {message}")),
        }
    }

    /// The worse of two errors (refusals and bad data before unavailability), so a
    /// run with many failures reports the one that names a key.
    #[must_use]
    pub fn rank(&self) -> u8 {
        match self {
            ManagerError::Refused(_) => 2,
            ManagerError::Invalid(_) => 1,
            ManagerError::Unavailable(_) => 0,
        }
    }
}

/// A write that stopped part-way.
#[derive(Debug)]
pub struct WriteFailure {
    /// Keys whose new value (or deletion) the manager accepted before the failure.
    pub written: Vec<String>,
    /// What failed.
    pub error: ManagerError,
}

/// Reads every value the target holds (an absent entry or prefix reads as empty).
///
/// # Errors
/// The manager could not be asked, refused, or holds something that is not a map of
/// strings.
pub fn read(target: &Target) -> Result<Values, ManagerError> {
    match target {
        Target::Vault { path } => vault::read(path),
        Target::AwsSm { id } => aws::read_secret(id),
        Target::AwsSmPrefix { prefix } => aws::read_prefix(prefix),
        Target::AwsSsm { path, .. } => aws::read_ssm(path),
        Target::GcpSm { name } => gcp::read_secret(name),
        Target::GcpSmPrefix { project, prefix } => gcp::read_prefix(project, prefix),
        Target::AzureKv { url } => azure::read(url),
    }
}

/// Applies `plan`: `desired` holds the new values of the keys it adds or changes; for a
/// single-entry target, `current` supplies the keys that stay as they are.
///
/// # Errors
/// The first failure (a refusal before anything else), with the keys already written.
pub fn write(
    target: &Target,
    plan: &Plan,
    desired: &Values,
    current: &Values,
) -> Result<(), WriteFailure> {
    if !plan.has_writes() {
        return Ok(());
    }
    if target.per_key() {
        let puts: Vec<(String, Zeroizing<String>)> = plan
            .keys_with(&[Status::Added, Status::Changed])
            .filter_map(|k| desired.get(k).map(|v| (k.to_owned(), v.clone())))
            .collect();
        let deletes: Vec<String> = plan
            .keys_with(&[Status::Removed])
            .map(str::to_owned)
            .collect();
        return match target {
            Target::AwsSmPrefix { prefix } => aws::write_prefix(prefix, puts, &deletes, current),
            Target::AwsSsm { path, kms_key } => {
                aws::write_ssm(path, kms_key.as_deref(), puts, &deletes)
            }
            Target::GcpSmPrefix { project, prefix } => {
                gcp::write_prefix(project, prefix, puts, &deletes, current)
            }
            Target::AzureKv { url } => azure::write(url, puts, &deletes),
            _ => Ok(()),
        };
    }
    // One entry: its next version holds the kept keys and the new values.
    let mut next: BTreeMap<String, Zeroizing<String>> = BTreeMap::new();
    for (k, st) in &plan.keys {
        let v = match st {
            Status::Removed => continue,
            Status::Added | Status::Changed => desired.get(k),
            Status::Unchanged | Status::Extra => current.get(k),
        };
        if let Some(v) = v {
            next.insert(k.clone(), v.clone());
        }
    }
    let body = json_object(&next);
    let r = match target {
        Target::Vault { path } => vault::write(path, &next),
        Target::AwsSm { id } => aws::write_secret(id, &body),
        Target::GcpSm { name } => gcp::write_secret(name, &body),
        _ => Ok(()),
    };
    r.map_err(|error| WriteFailure {
        written: Vec::new(),
        error,
    })
}

/// The values as one JSON object (what single-entry targets store), zeroized.
#[must_use]
pub fn json_object(values: &BTreeMap<String, Zeroizing<String>>) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::from("{"));
    for (i, (k, v)) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::Value::String(k.clone()).to_string());
        out.push(':');
        let quoted = Zeroizing::new(serde_json::Value::String(v.to_string()).to_string());
        out.push_str(&quoted);
    }
    out.push('}');
    out
}

/// Parses a JSON object of scalar values (what single-entry targets hold); numbers and
/// booleans become their text, `null` the empty string.
///
/// # Errors
/// Not a JSON object, or a key whose value is an object or array (named).
pub fn parse_object(text: &str, what: &str) -> Result<Values, ManagerError> {
    let parsed: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ManagerError::Invalid(format!(
            "{what} is not a JSON object (line {} column {}); sealbox keeps an environment there as {{\"KEY\": \"value\", …}}",
            e.line(),
            e.column()
        ))
    })?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(ManagerError::Invalid(format!(
            "{what} holds JSON that is not an object; sealbox keeps an environment there as {{\"KEY\": \"value\", …}}"
        )));
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        out.insert(k.clone(), scalar_text(v, &k, what)?);
    }
    Ok(Values(out))
}

/// The text of one scalar JSON value.
///
/// # Errors
/// An object or array (named by `key`).
pub fn scalar_text(
    v: serde_json::Value,
    key: &str,
    what: &str,
) -> Result<Zeroizing<String>, ManagerError> {
    match v {
        serde_json::Value::String(s) => Ok(Zeroizing::new(s)),
        serde_json::Value::Null => Ok(Zeroizing::new(String::new())),
        serde_json::Value::Bool(b) => Ok(Zeroizing::new(b.to_string())),
        serde_json::Value::Number(n) => Ok(Zeroizing::new(n.to_string())),
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
            Err(ManagerError::Invalid(format!(
                "{what}: {key} holds a nested object or list, not a single value; flatten it in the manager"
            )))
        }
    }
}

/// The results of per-key jobs: `Ok` when every job succeeded; otherwise the keys
/// that were written and the worst failure.
///
/// # Errors
/// Some job failed or its client panicked.
pub fn collect_writes(
    keys: Vec<String>,
    results: Vec<Option<Result<(), ManagerError>>>,
    what: &str,
) -> Result<(), WriteFailure> {
    let mut written = Vec::new();
    let mut worst: Option<ManagerError> = None;
    for (k, r) in keys.into_iter().zip(results) {
        match r {
            Some(Ok(())) => written.push(k),
            Some(Err(e)) => {
                if worst.as_ref().is_none_or(|w| e.rank() > w.rank()) {
                    worst = Some(e);
                }
            }
            None => {
                if worst.is_none() {
                    worst = Some(ManagerError::Unavailable(format!(
                        "{what}: the client failed unexpectedly writing {k}"
                    )));
                }
            }
        }
    }
    match worst {
        None => Ok(()),
        Some(error) => Err(WriteFailure { written, error }),
    }
}

/// Some keys and their values, as one read job returns them.
pub type Batch = Result<Vec<(String, Zeroizing<String>)>, ManagerError>;

/// The results of read jobs (each a batch of keys) as one map, or the worst failure.
///
/// # Errors
/// Some read failed.
pub fn collect_reads(results: Vec<Option<Batch>>, what: &str) -> Result<Values, ManagerError> {
    let mut out = BTreeMap::new();
    let mut worst: Option<ManagerError> = None;
    for r in results {
        match r {
            Some(Ok(items)) => out.extend(items),
            Some(Err(e)) => {
                if worst.as_ref().is_none_or(|w| e.rank() > w.rank()) {
                    worst = Some(e);
                }
            }
            None => {
                worst.get_or_insert_with(|| {
                    ManagerError::Unavailable(format!("{what}: the client failed unexpectedly"))
                });
            }
        }
    }
    match worst {
        None => Ok(Values(out)),
        Some(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_print_back() {
        for s in [
            "vault:secret/app/prod",
            "aws-sm:app/shared",
            "aws-sm-prefix:app/prod/",
            "aws-ssm:/app/prod/",
            "aws-ssm:/app/prod/?kms-key=alias/ssm",
            "gcp-sm:projects/p1/secrets/app",
            "gcp-sm-prefix:projects/p1/app_",
            "azure-kv:https://team.vault.azure.net/",
        ] {
            let t = Target::parse(s).unwrap();
            assert_eq!(t.to_string(), s);
        }
        for s in [
            "",
            "vault:",
            "vault:secret",
            "vault:secret//x",
            "s3:bucket",
            "aws-ssm:app/",
            "aws-ssm:/a/?x=1",
            "gcp-sm:projects/p/x/y",
            "gcp-sm-prefix:projects/p",
            "azure-kv:team.vault.azure.net",
            "azure-kv:https://team.vault.azure.net/x",
        ] {
            assert!(Target::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn json_object_round_trips_any_text() {
        let mut m = BTreeMap::new();
        m.insert(
            "A".to_owned(),
            Zeroizing::new("line1\nline2 \"q\" \\ é ✓".to_owned()),
        );
        m.insert("B".to_owned(), Zeroizing::new(String::new()));
        let text = json_object(&m);
        let back = parse_object(&text, "t").unwrap();
        assert_eq!(back.0.len(), 2);
        assert_eq!(back.0["A"].as_str(), m["A"].as_str());
        assert!(parse_object("[1]", "t").is_err());
        assert!(parse_object("{\"a\":{}}", "t").is_err());
        assert_eq!(
            parse_object("{\"n\":8080}", "t").unwrap().0["n"].as_str(),
            "8080"
        );
    }
}

//! Recipients wrap a file's data key; identities unwrap it. One trait, one file per
//! backend (`age.rs`, `pgp.rs`; cloud KMS backends plug in here), so the store and the
//! envelope never change when a backend is added.

pub mod age;
pub mod aws;
pub mod azure;
pub mod gcp;
pub mod pgp;
pub mod remote;
pub mod shamir;
pub mod spec;
pub mod vault;

pub use spec::Spec;

use zeroize::Zeroizing;

use crate::identity::Identities;
use crate::sops::MasterKey;

/// A backend failed to wrap or unwrap.
#[derive(Debug)]
pub enum RecipientError {
    /// The recipient string is not valid for its type.
    Invalid(String),
    /// Wrapping failed.
    Wrap(String),
    /// The backend cannot run here (tool missing, unreachable service).
    Backend(String),
}

impl std::fmt::Display for RecipientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecipientError::Invalid(m) | RecipientError::Wrap(m) | RecipientError::Backend(m) => {
                f.write_str(m)
            }
        }
    }
}

impl std::error::Error for RecipientError {}

/// Someone a data key can be wrapped for.
pub trait Recipient: Send + Sync {
    /// The public identifier, as written in metadata and shown to users.
    fn id(&self) -> &str;
    /// The stanza kind (`age`, `kms`, `hc_vault`, …).
    fn kind(&self) -> &'static str {
        age::KIND
    }
    /// Kind and id, as [`MasterKey::describe`] prints a stanza.
    fn describe(&self) -> String {
        format!("{} {}", self.kind(), self.id())
    }
    /// Wraps `key` (a data key or a Shamir share) into a metadata stanza.
    ///
    /// # Errors
    /// A backend failure.
    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError>;
}

/// Parses a recipient given on the command line or in a config file.
///
/// # Errors
/// [`RecipientError::Invalid`] naming the problem.
pub fn parse_age(s: &str) -> Result<Box<dyn Recipient>, RecipientError> {
    Ok(Box::new(age::AgeRecipient::parse(s)?))
}

/// A stanza's field, or an error naming the stanza kind and the missing field (each
/// backend reads its own stanzas with it).
pub(crate) fn need(k: &MasterKey, name: &str) -> Result<String, RecipientError> {
    k.field(name)
        .map(str::to_owned)
        .ok_or_else(|| RecipientError::Invalid(format!("{} stanza without {name}", k.kind)))
}

/// Result of trying to unwrap one stanza.
pub enum Unwrapped {
    /// The raw key or share.
    Key(Zeroizing<Vec<u8>>),
    /// No identity we have fits this stanza.
    NoMatch,
    /// No identity we have fits this stanza, in the backend's words (gpg's).
    Declined(String),
    /// This stanza's backend failed or refused (reported only if nothing else works).
    Failed(String),
    /// The service could not be asked (reported, exit 5, if nothing else works).
    Unavailable(String),
    /// Asked, answer not there yet (bulk runs' first pass only).
    Pending,
}

fn remote_unwrap(
    key: &MasterKey,
    call: fn(&MasterKey) -> Result<Zeroizing<Vec<u8>>, remote::RemoteError>,
) -> Unwrapped {
    match remote::unwrap(key, call) {
        remote::Outcome::Pending => Unwrapped::Pending,
        remote::Outcome::Done(Ok(k)) => Unwrapped::Key(k),
        remote::Outcome::Done(Err(remote::RemoteError::Refused(m))) => Unwrapped::Failed(m),
        remote::Outcome::Done(Err(remote::RemoteError::Unavailable(m))) => {
            Unwrapped::Unavailable(m)
        }
    }
}

/// Tries one master key with the identities we have.
#[must_use]
pub fn unwrap(key: &MasterKey, ids: &Identities) -> Unwrapped {
    if ids.only && key.kind != age::KIND {
        return Unwrapped::NoMatch;
    }
    match key.kind.as_str() {
        age::KIND => age::unwrap(key, ids),
        pgp::KIND => pgp::unwrap(key),
        aws::KIND => remote_unwrap(key, aws::decrypt),
        vault::KIND => remote_unwrap(key, vault::decrypt),
        gcp::KIND => remote_unwrap(key, gcp::decrypt),
        azure::KIND => remote_unwrap(key, azure::decrypt),
        other => Unwrapped::Failed(format!(
            "{other} keys are not supported by this build of sealbox yet"
        )),
    }
}

/// Why no data key could be recovered.
#[derive(Default)]
pub struct UnwrapFailure {
    /// Backend failures and group counts, for the message.
    pub problems: Vec<String>,
    /// A service could not be asked (exit 5 rather than 3).
    pub unavailable: bool,
    /// An answer is still on its way (bulk runs' first pass: try the file again).
    pub pending: bool,
    /// Each key group, in file order, as far as it was tried.
    pub groups: Vec<GroupAttempt>,
    /// How many groups had to open (0: one group, any one key).
    pub needed: usize,
}

/// How one key group fared.
#[derive(Default)]
pub struct GroupAttempt {
    /// One of its keys opened it.
    pub opened: bool,
    /// The keys tried that failed, in the order tried.
    pub failed: Vec<KeyAttempt>,
}

/// A master key that did not open its group.
pub struct KeyAttempt {
    /// Its type (`age`, `pgp`, …).
    pub kind: String,
    /// What sops calls it: the recipient, fingerprint, ARN or address.
    pub name: String,
    /// Why, when the backend said (an age key no identity matches has no message).
    pub problem: Option<String>,
}

impl UnwrapFailure {
    fn of(problems: Vec<String>) -> Self {
        Self {
            problems,
            ..Self::default()
        }
    }
}

fn unwrap_group(
    group: &[MasterKey],
    ids: &Identities,
    fail: &mut UnwrapFailure,
    used: &mut Vec<String>,
) -> Option<Zeroizing<Vec<u8>>> {
    // sops order: the decryption order's types first (default age, then pgp), then
    // the rest in the order sops builds a key group in memory (kms, pgp, gcp_kms,
    // azure_kv, hc_vault, age, hckms); a stable sort keeps file order within a type.
    let default = [age::KIND, pgp::KIND];
    let internal = [
        "kms", "pgp", "gcp_kms", "azure_kv", "hc_vault", "age", "hckms",
    ];
    let rank = |k: &MasterKey| {
        let pos = if ids.decryption_order.is_empty() {
            default.iter().position(|t| *t == k.kind)
        } else {
            ids.decryption_order.iter().position(|t| *t == k.kind)
        };
        (
            pos.unwrap_or(usize::MAX),
            internal
                .iter()
                .position(|t| *t == k.kind)
                .unwrap_or(usize::MAX),
        )
    };
    let mut keys: Vec<&MasterKey> = group.iter().collect();
    keys.sort_by_key(|k| rank(k));
    fail.groups.push(GroupAttempt::default());
    for k in keys {
        let outcome = unwrap(k, ids);
        let problem = match &outcome {
            Unwrapped::Failed(m) | Unwrapped::Unavailable(m) | Unwrapped::Declined(m) => {
                Some(m.clone())
            }
            _ => None,
        };
        if let Some(g) = fail.groups.last_mut() {
            if matches!(outcome, Unwrapped::Key(_)) {
                g.opened = true;
            } else {
                let name = k.describe();
                let name = name.strip_prefix(&format!("{} ", k.kind)).unwrap_or(&name);
                g.failed.push(KeyAttempt {
                    kind: k.kind.clone(),
                    name: name.to_owned(),
                    problem,
                });
            }
        }
        match outcome {
            Unwrapped::Key(v) => {
                used.push(k.describe());
                return Some(v);
            }
            Unwrapped::NoMatch | Unwrapped::Declined(_) => {}
            Unwrapped::Failed(m) => fail.problems.push(m),
            Unwrapped::Unavailable(m) => {
                fail.unavailable = true;
                fail.problems.push(m);
            }
            Unwrapped::Pending => {
                // Ask for no other key of this group before that answer is in.
                fail.pending = true;
                return None;
            }
        }
    }
    None
}

/// Recovers the data key from the metadata's key groups.
///
/// # Errors
/// [`UnwrapFailure`] with what went wrong, when no identity (or too few groups) works.
pub fn unwrap_data_key(
    meta: &crate::sops::Metadata,
    ids: &Identities,
) -> Result<crate::crypto::dek::DataKey, UnwrapFailure> {
    unwrap_data_key_used(meta, ids).map(|(k, _)| k)
}

/// Like [`unwrap_data_key`], also saying which master keys opened it (for the audit log).
///
/// # Errors
/// As [`unwrap_data_key`].
pub fn unwrap_data_key_used(
    meta: &crate::sops::Metadata,
    ids: &Identities,
) -> Result<(crate::crypto::dek::DataKey, Vec<String>), UnwrapFailure> {
    let mut fail = UnwrapFailure::default();
    let mut used = Vec::new();
    match meta.groups.as_slice() {
        [] => Err(UnwrapFailure::of(vec![
            "the file lists no master keys".to_owned()
        ])),
        [group] => {
            let Some(raw) = unwrap_group(group, ids, &mut fail, &mut used) else {
                return Err(fail);
            };
            crate::crypto::dek::DataKey::from_slice(&raw)
                .map(|k| (k, used))
                .ok_or(UnwrapFailure::of(vec![
                    "an unwrapped data key is not 32 bytes".to_owned(),
                ]))
        }
        groups => {
            let need = if meta.shamir_threshold == 0 {
                groups.len()
            } else {
                meta.shamir_threshold
            };
            fail.needed = need;
            let mut shares = Vec::new();
            for g in groups {
                if let Some(s) = unwrap_group(g, ids, &mut fail, &mut used) {
                    shares.push(s);
                    if shares.len() == need {
                        break;
                    }
                }
            }
            if shares.len() < need {
                fail.problems.push(format!(
                    "unlocked {} of {} key groups, {need} needed",
                    shares.len(),
                    groups.len()
                ));
                return Err(fail);
            }
            let raw =
                shamir::combine(&shares).map_err(|e| UnwrapFailure::of(vec![e.to_string()]))?;
            crate::crypto::dek::DataKey::from_slice(&raw)
                .map(|k| (k, used))
                .ok_or(UnwrapFailure::of(vec![
                    "the recombined data key is not 32 bytes".to_owned(),
                ]))
        }
    }
}

/// Wraps `key` for every recipient (one group), or splits it with Shamir when
/// several groups are given.
///
/// # Errors
/// The first backend failure.
pub fn wrap_groups(
    key: &crate::crypto::dek::DataKey,
    groups: &[Vec<&dyn Recipient>],
    threshold: usize,
) -> Result<Vec<Vec<MasterKey>>, RecipientError> {
    if groups.len() <= 1 {
        let g = groups.first().map(Vec::as_slice).unwrap_or(&[]);
        return Ok(vec![g
            .iter()
            .map(|r| r.wrap(key.expose()))
            .collect::<Result<_, _>>()?]);
    }
    let k = if threshold == 0 {
        groups.len()
    } else {
        threshold
    };
    let shares = shamir::split(key.expose(), groups.len(), k)?;
    groups
        .iter()
        .zip(shares.iter())
        .map(|(g, share)| g.iter().map(|r| r.wrap(share)).collect())
        .collect()
}

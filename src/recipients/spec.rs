//! What a file is to be encrypted for, before any key is wrapped: an age recipient or
//! a key held by a service (AWS KMS, Vault transit, GCP KMS, Azure Key Vault). Specs
//! come from flags, configs and existing files' stanzas, compare by value, and build
//! the [`Recipient`](super::Recipient) that wraps a data key. This module dispatches to
//! the backends (each reads its own stanzas and owns its `KIND`); no backend imports it.

use std::collections::BTreeMap;

use super::{aws, azure, gcp, pgp, vault, Recipient, RecipientError};
use crate::sops::MasterKey;

/// One recipient, by value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Spec {
    /// `age1…`, `ssh-ed25519 …`, `ssh-rsa …`.
    Age(String),
    /// An AWS KMS key.
    Kms(aws::KmsKey),
    /// A Vault / OpenBao transit key.
    Vault(vault::VaultKey),
    /// A GCP Cloud KMS key (`projects/…/cryptoKeys/…`).
    Gcp(String),
    /// An Azure Key Vault key.
    Azure(azure::AzureKey),
    /// A PGP key (through the user's gpg).
    Pgp(pgp::PgpKey),
}

impl Spec {
    /// The stanza kind and id, as [`MasterKey::describe`] prints them.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Spec::Age(r) => format!("{} {r}", super::age::KIND),
            Spec::Kms(k) => format!("{} {}", aws::KIND, k.arn),
            Spec::Vault(v) => format!("{} {}", vault::KIND, v.address),
            Spec::Gcp(id) => format!("{} {id}", gcp::KIND),
            Spec::Azure(a) => format!("{} {}", azure::KIND, a.vault_url),
            Spec::Pgp(p) => format!("{} {}", pgp::KIND, p.0),
        }
    }

    /// The `.sealbox.toml` list this recipient goes in, and its entry there.
    #[must_use]
    pub fn config_entry(&self) -> (&'static str, String) {
        match self {
            Spec::Age(r) => ("age", r.clone()),
            Spec::Kms(k) => (
                "aws_kms",
                match &k.role {
                    Some(role) => format!("{}+{role}", k.arn),
                    None => k.arn.clone(),
                },
            ),
            Spec::Vault(v) => ("hc_vault", v.uri()),
            Spec::Gcp(id) => ("gcp_kms", id.clone()),
            Spec::Pgp(p) => ("pgp", p.0.clone()),
            Spec::Azure(a) => (
                "azure_kv",
                if a.version.is_empty() {
                    format!("{}/keys/{}", a.vault_url, a.name)
                } else {
                    format!("{}/keys/{}/{}", a.vault_url, a.name, a.version)
                },
            ),
        }
    }

    /// A comparable identity: kind and every field that selects the key.
    #[must_use]
    pub fn key_id(&self) -> String {
        match self {
            Spec::Vault(v) => format!("{} {}", vault::KIND, v.uri()),
            Spec::Azure(a) => format!("{} {}/keys/{}", azure::KIND, a.vault_url, a.name),
            other => other.describe(),
        }
    }

    /// Builds the recipient that wraps keys for this spec.
    ///
    /// # Errors
    /// An invalid age recipient.
    pub fn build(&self) -> Result<Box<dyn Recipient>, RecipientError> {
        Ok(match self {
            Spec::Age(r) => Box::new(super::age::AgeRecipient::parse(r)?),
            Spec::Kms(k) => Box::new(k.clone()),
            Spec::Vault(v) => Box::new(v.clone()),
            Spec::Gcp(id) => Box::new(gcp::GcpKey(id.clone())),
            Spec::Azure(a) => Box::new(a.clone()),
            Spec::Pgp(p) => Box::new(p.clone()),
        })
    }

    /// The spec a file's stanza was written for (to wrap a new key the same way);
    /// each backend reads its own stanza kind.
    ///
    /// # Errors
    /// A stanza sealbox cannot write (HuaweiCloud) or with missing fields.
    pub fn from_master_key(k: &MasterKey) -> Result<Self, RecipientError> {
        Ok(match k.kind.as_str() {
            super::age::KIND => Spec::Age(super::need(k, "recipient")?),
            aws::KIND => Spec::Kms(aws::KmsKey::from_stanza(k)?),
            vault::KIND => Spec::Vault(vault::VaultKey::from_stanza(k)?),
            gcp::KIND => Spec::Gcp(gcp::from_stanza(k)?),
            azure::KIND => Spec::Azure(azure::AzureKey::from_stanza(k)?),
            pgp::KIND => Spec::Pgp(pgp::PgpKey::from_stanza(k)?),
            other => {
                return Err(RecipientError::Invalid(format!(
                    "sealbox cannot wrap keys for {other} stanzas; use sops for this file"
                )))
            }
        })
    }
}

/// Recipients as flags and configs give them, before parsing.
#[derive(Clone, Debug, Default)]
pub struct Lists<'a> {
    /// age recipients.
    pub age: &'a [String],
    /// AWS KMS ARNs, `ARN` or `ARN+ROLE_ARN`.
    pub aws_kms: &'a [String],
    /// Vault transit URIs.
    pub hc_vault: &'a [String],
    /// GCP KMS resource ids.
    pub gcp_kms: &'a [String],
    /// Azure Key Vault key URLs.
    pub azure_kv: &'a [String],
    /// Encryption context for the KMS keys.
    pub context: Option<&'a BTreeMap<String, String>>,
    /// AWS profile for the KMS keys.
    pub aws_profile: Option<&'a str>,
}

impl Lists<'_> {
    /// Parses every list into specs, in sops' stanza order.
    ///
    /// # Errors
    /// The first invalid entry, named.
    pub fn parse(&self) -> Result<Vec<Spec>, RecipientError> {
        let mut out = Vec::new();
        for a in self.age {
            // Validate now so a bad recipient is reported before any work.
            super::age::AgeRecipient::parse(a)?;
            out.push(Spec::Age(a.trim().to_owned()));
        }
        for a in self.aws_kms {
            out.push(Spec::Kms(aws::KmsKey::parse(
                a,
                self.context.cloned().unwrap_or_default(),
                self.aws_profile.unwrap_or_default(),
            )?));
        }
        for v in self.hc_vault {
            out.push(Spec::Vault(vault::VaultKey::parse(v)?));
        }
        for g in self.gcp_kms {
            out.push(Spec::Gcp(gcp::parse(g)?));
        }
        for a in self.azure_kv {
            out.push(Spec::Azure(azure::AzureKey::parse(a)?));
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|s| seen.insert(s.key_id()));
        Ok(out)
    }
}

/// Splits a comma-separated flag or variable into items.
#[must_use]
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses `--encryption-context k1:v1,k2:v2`.
///
/// # Errors
/// An item without a colon.
pub fn parse_context(s: &str) -> Result<BTreeMap<String, String>, RecipientError> {
    let mut out = BTreeMap::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (k, v) = item.split_once(':').ok_or_else(|| {
            RecipientError::Invalid(format!(
                "--encryption-context: '{item}' is not key:value (write k1:v1,k2:v2)"
            ))
        })?;
        out.insert(k.trim().to_owned(), v.trim().to_owned());
    }
    Ok(out)
}

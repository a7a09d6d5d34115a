//! HashiCorp Vault / OpenBao transit keys over the HTTP API: `POST
//! {address}/v1/{engine}/encrypt/{key}` with the base64 data key; `enc` is the
//! `vault:v1:…` ciphertext verbatim. Token: `VAULT_TOKEN` (or `BAO_TOKEN`), else
//! `~/.vault-token`; `VAULT_NAMESPACE` is sent when set.
//!
//! The token goes only to a server the user chose: a file's metadata names its own
//! `vault_address`, so a hostile file could otherwise collect the token (sops'
//! advisory GHSA-jgf3-f6rg-8x3h). `SOPS_HC_VAULT_ALLOWLIST` decides as in sops 3.13
//! (`all`, `none`, or comma-separated URL prefixes); unset, sealbox allows the server
//! `VAULT_ADDR` (or `BAO_ADDR`) names and the servers named for this run by flags,
//! environment or configuration, never one that only a file names.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use serde_json::json;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

const HINT: &str = "set VAULT_TOKEN (or write ~/.vault-token) and check VAULT_ADDR";

/// The variable that lists the servers a token may go to (sops 3.13).
pub const ALLOWLIST_VAR: &str = "SOPS_HC_VAULT_ALLOWLIST";

/// Servers named by the user for this run (flags, environment, configuration).
fn named() -> &'static Mutex<BTreeSet<String>> {
    static NAMED: OnceLock<Mutex<BTreeSet<String>>> = OnceLock::new();
    NAMED.get_or_init(|| Mutex::new(BTreeSet::new()))
}

/// An address as compared: no trailing slash, scheme and host in lower case.
fn normal(address: &str) -> String {
    address.trim().trim_end_matches('/').to_ascii_lowercase()
}

/// Whether the token may be sent to the server at `address`; the refusal says why and
/// how to allow it.
///
/// # Errors
/// The address is not allowed.
pub fn may_send_token(address: &str) -> Result<(), String> {
    let shown = remote::origin(address);
    let list = std::env::var(ALLOWLIST_VAR).unwrap_or_default();
    let list = list.trim();
    if !list.is_empty() {
        if list == "all" {
            return Ok(());
        }
        let target = format!("{}/", address.trim().trim_end_matches('/'));
        if list != "none"
            && list
                .split(',')
                .map(str::trim)
                .any(|p| !p.is_empty() && target.starts_with(p))
        {
            return Ok(());
        }
        return Err(format!(
            "Vault {shown} is not in {ALLOWLIST_VAR} ({list}), so sealbox does not send it your token; add {shown}/ to {ALLOWLIST_VAR} if you trust it"
        ));
    }
    let target = normal(address);
    let from_env = ["VAULT_ADDR", "BAO_ADDR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .any(|a| normal(&a) == target);
    let named = named().lock().is_ok_and(|n| n.contains(&target));
    if from_env || named {
        return Ok(());
    }
    Err(format!(
        "Vault {shown} is named only by the file, and sealbox sends your token only to the server VAULT_ADDR names or one you named for this command; if you trust this file, export VAULT_ADDR={shown} or {ALLOWLIST_VAR}={shown}/"
    ))
}

/// One transit key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VaultKey {
    /// `https://host:8200`.
    pub address: String,
    /// Mount path of the transit engine (`transit`).
    pub engine_path: String,
    /// Key name.
    pub key_name: String,
}

impl VaultKey {
    /// Parses `https://host:8200/v1/transit/keys/NAME`, or `transit/keys/NAME` (or
    /// `/v1/transit/keys/NAME`) with the address from `VAULT_ADDR`.
    ///
    /// # Errors
    /// A URI without `/keys/` or without an address.
    pub fn parse(uri: &str) -> Result<Self, RecipientError> {
        let uri = uri.trim();
        let bad = |why: &str| {
            RecipientError::Invalid(format!(
                "'{uri}' is not a Vault transit key URI ({why}); write https://HOST:8200/v1/transit/keys/NAME"
            ))
        };
        let (address, path) = if uri.contains("://") {
            let (scheme, rest) = uri.split_once("://").ok_or_else(|| bad("no scheme"))?;
            let (host, path) = rest.split_once('/').ok_or_else(|| bad("no path"))?;
            (format!("{scheme}://{host}"), path.to_owned())
        } else {
            let addr = std::env::var("VAULT_ADDR")
                .or_else(|_| std::env::var("BAO_ADDR"))
                .map_err(|_| bad("no address, and VAULT_ADDR is not set"))?;
            (
                addr.trim_end_matches('/').to_owned(),
                uri.trim_start_matches('/').to_owned(),
            )
        };
        let path = path.strip_prefix("v1/").unwrap_or(&path);
        let (engine, key) = path.rsplit_once("/keys/").ok_or_else(|| bad("no /keys/"))?;
        let key = key.trim_end_matches('/');
        if engine.is_empty() || key.is_empty() || key.contains('/') {
            return Err(bad("empty engine path or key name"));
        }
        // The user named this server (flag, environment or configuration).
        if let Ok(mut n) = named().lock() {
            n.insert(normal(&address));
        }
        Ok(Self {
            address,
            engine_path: engine.trim_matches('/').to_owned(),
            key_name: key.to_owned(),
        })
    }

    /// The key's URI as sops' flag takes it.
    #[must_use]
    pub fn uri(&self) -> String {
        format!(
            "{}/v1/{}/keys/{}",
            self.address, self.engine_path, self.key_name
        )
    }

    fn call(&self, op: &str, body: &serde_json::Value) -> Result<serde_json::Value, RemoteError> {
        may_send_token(&self.address).map_err(RemoteError::Unavailable)?;
        let token = token().ok_or_else(|| {
            RemoteError::Unavailable(format!(
                "Vault {}: no token; {HINT}",
                remote::origin(&self.address)
            ))
        })?;
        let url = format!(
            "{}/v1/{}/{op}/{}",
            self.address.trim_end_matches('/'),
            self.engine_path,
            self.key_name
        );
        let namespace = std::env::var("VAULT_NAMESPACE").unwrap_or_default();
        let mut headers = vec![("X-Vault-Token", token.as_str())];
        if !namespace.is_empty() {
            headers.push(("X-Vault-Namespace", namespace.as_str()));
        }
        let (status, json) =
            remote::post_json(&url, &headers, body, &format!("Vault transit {op}"), HINT)?;
        let text = format!(
            "Vault {} {op} with key {}/{} answered {status}: {}",
            remote::origin(&self.address),
            self.engine_path,
            self.key_name,
            remote::service_message(&json)
        );
        match status {
            200..=299 => Ok(json),
            // A bad or expired token, or a sealed/unavailable server.
            401 | 403 | 412 | 429 | 500.. => {
                Err(RemoteError::Unavailable(format!("{text}; {HINT}")))
            }
            _ => Err(RemoteError::Refused(text)),
        }
    }
}

pub(crate) fn token() -> Option<Zeroizing<String>> {
    for var in ["VAULT_TOKEN", "BAO_TOKEN"] {
        if let Ok(t) = std::env::var(var) {
            if !t.trim().is_empty() {
                return Some(Zeroizing::new(t.trim().to_owned()));
            }
        }
    }
    let home = std::env::var_os("HOME")?;
    let t = std::fs::read_to_string(std::path::Path::new(&home).join(".vault-token")).ok()?;
    let t = t.trim();
    (!t.is_empty()).then(|| Zeroizing::new(t.to_owned()))
}

impl Recipient for VaultKey {
    fn id(&self) -> &str {
        &self.address
    }

    fn kind(&self) -> &'static str {
        KIND
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(key));
        let json = self
            .call("encrypt", &json!({ "plaintext": b64.as_str() }))
            .map_err(|e| RecipientError::Backend(e.to_string()))?;
        let enc = json
            .pointer("/data/ciphertext")
            .and_then(|c| c.as_str())
            .filter(|c| c.starts_with("vault:"))
            .ok_or_else(|| {
                RecipientError::Backend(format!(
                    "Vault {} returned no ciphertext",
                    remote::origin(&self.address)
                ))
            })?;
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields: vec![
                ("vault_address".to_owned(), Value::Str(self.address.clone())),
                (
                    "engine_path".to_owned(),
                    Value::Str(self.engine_path.clone()),
                ),
                ("key_name".to_owned(), Value::Str(self.key_name.clone())),
                (
                    "created_at".to_owned(),
                    Value::Str(crate::sops::metadata::created_at()),
                ),
                ("enc".to_owned(), Value::Str(enc.to_owned())),
            ],
        })
    }
}

/// The stanza kind of Vault / OpenBao transit keys.
pub const KIND: &str = "hc_vault";

impl VaultKey {
    /// The key an `hc_vault` stanza was written for.
    ///
    /// # Errors
    /// A missing field.
    pub fn from_stanza(k: &MasterKey) -> Result<Self, RecipientError> {
        Ok(VaultKey {
            address: super::need(k, "vault_address")?,
            engine_path: super::need(k, "engine_path")?,
            key_name: super::need(k, "key_name")?,
        })
    }
}

/// Asks Vault for the key in an `hc_vault` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let key = VaultKey::from_stanza(stanza).map_err(|_| {
        RemoteError::Refused(
            "hc_vault stanza without vault_address, engine_path or key_name".to_owned(),
        )
    })?;
    let enc = stanza.field("enc").unwrap_or_default();
    let json = key.call("decrypt", &json!({ "ciphertext": enc }))?;
    let plain = json
        .pointer("/data/plaintext")
        .and_then(|p| p.as_str())
        .and_then(|p| base64::engine::general_purpose::STANDARD.decode(p).ok())
        .ok_or_else(|| {
            RemoteError::Refused(format!(
                "Vault {} returned no plaintext",
                remote::origin(&key.address)
            ))
        })?;
    Ok(Zeroizing::new(plain))
}

//! Azure Key Vault keys over the documented REST API: `POST
//! {vault}/keys/{name}/{version}/encrypt?api-version=7.4` with `alg: RSA-OAEP-256`;
//! `enc` is base64 URL-safe without padding, the one odd alphabet of sops' format. A
//! key URL without a version gets the version Key Vault used (from the answer's
//! `kid`). Token: `AZURE_TENANT_ID`/`AZURE_CLIENT_ID`/`AZURE_CLIENT_SECRET` (client
//! credentials at `AZURE_AUTHORITY_HOST`), else `az account get-access-token`.

use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use serde_json::json;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

const API: &str = "api-version=7.4";
const HINT: &str =
    "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or log in with `az login`";

/// One Key Vault key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AzureKey {
    /// `https://NAME.vault.azure.net`.
    pub vault_url: String,
    /// Key name.
    pub name: String,
    /// Key version ("" = the current one, resolved when wrapping).
    pub version: String,
}

impl AzureKey {
    /// Parses `https://NAME.vault.azure.net/keys/KEY[/VERSION]`.
    ///
    /// # Errors
    /// Any other shape.
    pub fn parse(url: &str) -> Result<Self, RecipientError> {
        let url = url.trim();
        let bad = || {
            RecipientError::Invalid(format!(
                "'{url}' is not an Azure Key Vault key URL (https://VAULT.vault.azure.net/keys/NAME[/VERSION])"
            ))
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let (host, path) = rest.split_once('/').ok_or_else(bad)?;
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let (name, version) = match parts.as_slice() {
            ["keys", n] => (*n, ""),
            ["keys", n, v] => (*n, *v),
            _ => return Err(bad()),
        };
        if host.is_empty() || name.is_empty() || !(scheme == "https" || scheme == "http") {
            return Err(bad());
        }
        Ok(Self {
            vault_url: format!("{scheme}://{host}"),
            name: name.to_owned(),
            version: version.to_owned(),
        })
    }

    fn call(&self, op: &str, value: &str) -> Result<serde_json::Value, RemoteError> {
        let token = token()?;
        let auth = format!("Bearer {}", token.as_str());
        let version = if self.version.is_empty() {
            String::new()
        } else {
            format!("/{}", self.version)
        };
        let url = format!(
            "{}/keys/{}{version}/{op}?{API}",
            self.vault_url.trim_end_matches('/'),
            self.name
        );
        let body = json!({ "alg": "RSA-OAEP-256", "value": value });
        let (status, json) = remote::post_json(
            &url,
            &[("Authorization", auth.as_str())],
            &body,
            &format!("Azure Key Vault {op}"),
            HINT,
        )?;
        let text = format!(
            "Azure Key Vault {} {op} with key {} answered {status}: {}",
            remote::origin(&self.vault_url),
            self.name,
            remote::service_message(&json)
        );
        match status {
            200..=299 => Ok(json),
            401 | 429 | 500.. => Err(RemoteError::Unavailable(format!("{text}; {HINT}"))),
            _ => Err(RemoteError::Refused(text)),
        }
    }
}

fn b64url() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// A bearer token for `https://vault.azure.net`, fetched once per run.
fn token() -> Result<Zeroizing<String>, RemoteError> {
    static TOKEN: OnceLock<Mutex<Option<Zeroizing<String>>>> = OnceLock::new();
    let cell = TOKEN.get_or_init(|| Mutex::new(None));
    let mut guard = cell
        .lock()
        .map_err(|_| RemoteError::Unavailable("internal lock poisoned".to_owned()))?;
    if let Some(t) = guard.as_ref() {
        return Ok(t.clone());
    }
    let t = fetch_token()?;
    *guard = Some(t.clone());
    Ok(t)
}

fn fetch_token() -> Result<Zeroizing<String>, RemoteError> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
    if let (Some(tenant), Some(client), Some(secret)) = (
        var("AZURE_TENANT_ID"),
        var("AZURE_CLIENT_ID"),
        var("AZURE_CLIENT_SECRET").map(Zeroizing::new),
    ) {
        let host = var("AZURE_AUTHORITY_HOST")
            .unwrap_or_else(|| "https://login.microsoftonline.com".to_owned());
        let url = format!("{}/{tenant}/oauth2/v2.0/token", host.trim_end_matches('/'));
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client.as_str()),
            ("client_secret", secret.as_str()),
            ("scope", "https://vault.azure.net/.default"),
        ];
        let mut resp = remote::http().post(&url).send_form(form).map_err(|e| {
            RemoteError::Unavailable(format!(
                "Azure token endpoint {}: {e}; {HINT}",
                remote::origin(&url)
            ))
        })?;
        let status = resp.status().as_u16();
        let text = Zeroizing::new(resp.body_mut().read_to_string().unwrap_or_default());
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        return match json.get("access_token").and_then(|t| t.as_str()) {
            Some(t) if status == 200 => Ok(Zeroizing::new(t.to_owned())),
            _ => Err(RemoteError::Unavailable(format!(
                "Azure token endpoint {} answered {status}: {}; {HINT}",
                remote::origin(&url),
                json.get("error")
                    .and_then(|e| e.as_str())
                    .unwrap_or("no token")
            ))),
        };
    }
    let out = std::process::Command::new("az")
        .args([
            "account",
            "get-access-token",
            "--resource",
            "https://vault.azure.net",
            "--query",
            "accessToken",
            "-o",
            "tsv",
        ])
        .stderr(std::process::Stdio::null())
        .output()
        .ok();
    match out {
        Some(o) if o.status.success() => {
            let t = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            Ok(Zeroizing::new(t))
        }
        _ => Err(RemoteError::Unavailable(format!(
            "Azure Key Vault: no credentials; {HINT}"
        ))),
    }
}

impl Recipient for AzureKey {
    fn id(&self) -> &str {
        &self.vault_url
    }

    fn kind(&self) -> &'static str {
        "azure_kv"
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let value = Zeroizing::new(b64url().encode(key));
        let json = self
            .call("encrypt", &value)
            .map_err(|e| RecipientError::Backend(e.to_string()))?;
        let enc = json
            .get("value")
            .and_then(|c| c.as_str())
            .and_then(|c| b64url().decode(c.trim_end_matches('=')).ok())
            .ok_or_else(|| {
                RecipientError::Backend(format!(
                    "Azure Key Vault returned no ciphertext for key {}",
                    self.name
                ))
            })?;
        // The version Key Vault used, from `kid` = …/keys/NAME/VERSION.
        let version = if self.version.is_empty() {
            json.get("kid")
                .and_then(|k| k.as_str())
                .and_then(|k| k.rsplit('/').next())
                .unwrap_or_default()
                .to_owned()
        } else {
            self.version.clone()
        };
        Ok(MasterKey {
            kind: "azure_kv".to_owned(),
            fields: vec![
                ("vault_url".to_owned(), Value::Str(self.vault_url.clone())),
                ("name".to_owned(), Value::Str(self.name.clone())),
                ("version".to_owned(), Value::Str(version)),
                (
                    "created_at".to_owned(),
                    Value::Str(super::spec::created_at()),
                ),
                ("enc".to_owned(), Value::Str(b64url().encode(enc))),
            ],
        })
    }
}

/// Asks Key Vault for the key in an `azure_kv` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let key = match super::spec::Spec::from_master_key(stanza) {
        Ok(super::spec::Spec::Azure(k)) => k,
        _ => {
            return Err(RemoteError::Refused(
                "azure_kv stanza without vault_url, name or version".to_owned(),
            ))
        }
    };
    let enc = stanza.field("enc").unwrap_or_default().trim();
    let json = key.call("decrypt", enc)?;
    let plain = json
        .get("value")
        .and_then(|p| p.as_str())
        .and_then(|p| b64url().decode(p.trim_end_matches('=')).ok())
        .ok_or_else(|| {
            RemoteError::Refused(format!(
                "Azure Key Vault returned no plaintext for key {}",
                key.name
            ))
        })?;
    Ok(Zeroizing::new(plain))
}

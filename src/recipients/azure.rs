//! Azure Key Vault keys through Microsoft's official clients
//! (`azure_security_keyvault_keys` + `azure_identity`): `encrypt`/`decrypt` with
//! RSA-OAEP-256 on `{vault}/keys/{name}/{version}`; `enc` is base64 URL-safe without
//! padding, the one odd alphabet of sops' format. A key URL without a version gets the
//! version Key Vault used (from the answer's `kid`). Credentials as sops' default chain
//! finds them: client secret (`AZURE_TENANT_ID`/`AZURE_CLIENT_ID`/`AZURE_CLIENT_SECRET`,
//! authority `AZURE_AUTHORITY_HOST`), workload identity (`AZURE_FEDERATED_TOKEN_FILE`),
//! the `az` CLI, then managed identity.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, ExponentialRetryOptions, RetryOptions, Transport};
use azure_security_keyvault_keys::models::{
    EncryptionAlgorithm, KeyClientDecryptOptions, KeyClientEncryptOptions, KeyOperationParameters,
};
use azure_security_keyvault_keys::{KeyClient, KeyClientOptions};
use base64::Engine as _;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

pub(crate) const HINT: &str =
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

    fn unavailable(&self, what: &str) -> RemoteError {
        RemoteError::Unavailable(format!(
            "Azure Key Vault {}: {what}; {HINT}",
            remote::origin(&self.vault_url)
        ))
    }

    /// Unavailable (exit 5: network, credentials, throttling, server faults) or refused
    /// (wrong key, version or ciphertext: try the next master key).
    fn classify(&self, op: &str, e: &azure_core::Error) -> RemoteError {
        use azure_core::error::ErrorKind;
        let status = e.http_status().map(u16::from);
        let detail: String = match e.kind() {
            ErrorKind::HttpResponse { error_code, .. } => format!(
                "answered {}{}",
                status.unwrap_or_default(),
                error_code
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
            _ => remote::error_chain(e)
                .replace(" Set verify_challenge_resource in client options to disable this validation if necessary. See https://aka.ms/azsdk/blog/vault-uri for more information`", ""),
        };
        let text = format!(
            "Azure Key Vault {} {op} with key {}: {detail}",
            remote::origin(&self.vault_url),
            self.name
        );
        let hint = if detail.contains("challenge resource") {
            "if the vault is served from another domain, set SEALBOX_AZURE_VERIFY_CHALLENGE_RESOURCE=0"
        } else if detail.contains("certificate") {
            "check the vault URL, or trust its CA with SSL_CERT_FILE"
        } else {
            HINT
        };
        match (e.kind(), status) {
            (ErrorKind::HttpResponse { .. }, Some(s)) if s != 401 && s != 429 && s < 500 => {
                RemoteError::Refused(text)
            }
            _ => RemoteError::Unavailable(format!("{text}; {hint}")),
        }
    }

    /// One client per vault (credential, token cache, connections), built once per run.
    fn client(&self) -> Result<Arc<KeyClient>, RemoteError> {
        static CLIENTS: OnceLock<Mutex<HashMap<String, Arc<KeyClient>>>> = OnceLock::new();
        let mut clients = CLIENTS
            .get_or_init(|| Mutex::new(HashMap::new()))
            .lock()
            .map_err(|_| RemoteError::Unavailable("internal lock poisoned".to_owned()))?;
        if let Some(c) = clients.get(&self.vault_url) {
            return Ok(c.clone());
        }
        let credential = credential().map_err(|e| self.unavailable(&e))?;
        let options = KeyClientOptions {
            client_options: client_options().map_err(|e| self.unavailable(&e))?,
            // A vault served from elsewhere than *.vault.azure.net (a private endpoint,
            // a local stand-in) answers challenges for another host.
            verify_challenge_resource: Some(
                std::env::var("SEALBOX_AZURE_VERIFY_CHALLENGE_RESOURCE").as_deref() != Ok("0"),
            ),
            ..KeyClientOptions::default()
        };
        let client = KeyClient::new(&self.vault_url, credential, Some(options))
            .map_err(|e| self.unavailable(&e.to_string()))?;
        let client = Arc::new(client);
        clients.insert(self.vault_url.clone(), client.clone());
        Ok(client)
    }

    fn operate(&self, op: &str, value: Vec<u8>) -> Result<(Vec<u8>, String), RemoteError> {
        let client = self.client()?;
        let rt =
            remote::runtime().ok_or_else(|| self.unavailable("cannot start the async runtime"))?;
        let params = KeyOperationParameters {
            algorithm: Some(EncryptionAlgorithm::RsaOaep256),
            value: Some(value),
            ..KeyOperationParameters::default()
        };
        let body = params
            .try_into()
            .map_err(|e: azure_core::Error| self.unavailable(&e.to_string()))?;
        let version = (!self.version.is_empty()).then(|| self.version.clone());
        let result = rt.block_on(async {
            let response = if op == "encrypt" {
                let options = KeyClientEncryptOptions {
                    key_version: version,
                    ..KeyClientEncryptOptions::default()
                };
                client.encrypt(&self.name, body, Some(options)).await?
            } else {
                let options = KeyClientDecryptOptions::default();
                client
                    .decrypt(&self.name, &self.version, body, Some(options))
                    .await?
            };
            response.into_model()
        });
        let result = result.map_err(|e| self.classify(op, &e))?;
        let out = result.result.unwrap_or_default();
        if out.is_empty() {
            return Err(RemoteError::Refused(format!(
                "Azure Key Vault returned nothing for {op} with key {}",
                self.name
            )));
        }
        Ok((out, result.kid.unwrap_or_default()))
    }
}

fn b64url() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
}

/// Bounded time per request and a short retry (the same limits as the other services).
pub(crate) fn client_options() -> Result<ClientOptions, String> {
    let http = reqwest::Client::builder()
        .connect_timeout(remote::CONNECT_TIMEOUT)
        .timeout(remote::REQUEST_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot set up HTTPS: {e}"))?;
    Ok(ClientOptions {
        transport: Some(Transport::new(Arc::new(http))),
        retry: RetryOptions::exponential(ExponentialRetryOptions {
            max_retries: 2,
            max_total_elapsed: azure_core::time::Duration::seconds(30),
            ..ExponentialRetryOptions::default()
        }),
        ..ClientOptions::default()
    })
}

/// The first credential that applies, in the order of Azure's default chain.
pub(crate) fn credential() -> Result<Arc<dyn TokenCredential>, String> {
    remote::install_tls_provider();
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
    let tenant = var("AZURE_TENANT_ID");
    let client = var("AZURE_CLIENT_ID");
    if let (Some(tenant), Some(client), Some(secret)) =
        (&tenant, &client, var("AZURE_CLIENT_SECRET"))
    {
        let options = azure_identity::ClientSecretCredentialOptions {
            client_options: client_options()?,
        };
        return azure_identity::ClientSecretCredential::new(
            tenant,
            client.clone(),
            Secret::new(secret),
            Some(options),
        )
        .map(|c| c as Arc<dyn TokenCredential>)
        .map_err(|e| format!("client secret credential: {e}"));
    }
    if var("AZURE_FEDERATED_TOKEN_FILE").is_some() && tenant.is_some() && client.is_some() {
        return azure_identity::WorkloadIdentityCredential::new(None)
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| format!("workload identity: {e}"));
    }
    let az_on_path = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("az").is_file()));
    if az_on_path {
        return azure_identity::AzureCliCredential::new(None)
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| format!("az CLI credential: {e}"));
    }
    if var("IDENTITY_ENDPOINT").is_some() || var("MSI_ENDPOINT").is_some() {
        return azure_identity::ManagedIdentityCredential::new(None)
            .map(|c| c as Arc<dyn TokenCredential>)
            .map_err(|e| format!("managed identity: {e}"));
    }
    Err("no credentials".to_owned())
}

impl Recipient for AzureKey {
    fn id(&self) -> &str {
        &self.vault_url
    }

    fn kind(&self) -> &'static str {
        KIND
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let (enc, kid) = self
            .operate("encrypt", key.to_vec())
            .map_err(|e| RecipientError::Backend(e.to_string()))?;
        // The version Key Vault used, from `kid` = …/keys/NAME/VERSION.
        let version = if self.version.is_empty() {
            kid.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        } else {
            self.version.clone()
        };
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields: vec![
                ("vault_url".to_owned(), Value::Str(self.vault_url.clone())),
                ("name".to_owned(), Value::Str(self.name.clone())),
                ("version".to_owned(), Value::Str(version)),
                (
                    "created_at".to_owned(),
                    Value::Str(crate::sops::metadata::created_at()),
                ),
                ("enc".to_owned(), Value::Str(b64url().encode(enc))),
            ],
        })
    }
}

/// The stanza kind of Azure Key Vault keys.
pub const KIND: &str = "azure_kv";

impl AzureKey {
    /// The key an `azure_kv` stanza was written for.
    ///
    /// # Errors
    /// A missing field.
    pub fn from_stanza(k: &MasterKey) -> Result<Self, RecipientError> {
        Ok(AzureKey {
            vault_url: super::need(k, "vault_url")?,
            name: super::need(k, "name")?,
            version: super::need(k, "version")?,
        })
    }
}

/// Asks Key Vault for the key in an `azure_kv` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let key = AzureKey::from_stanza(stanza).map_err(|_| {
        RemoteError::Refused("azure_kv stanza without vault_url, name or version".to_owned())
    })?;
    let enc = stanza.field("enc").unwrap_or_default().trim();
    let enc = b64url().decode(enc.trim_end_matches('=')).map_err(|_| {
        RemoteError::Refused(format!(
            "azure_kv stanza for key {}: enc is not base64url",
            key.name
        ))
    })?;
    let (plain, _) = key.operate("decrypt", enc)?;
    // The SDK's model holds the key in a plain Vec; it is moved here, then wiped on drop.
    Ok(Zeroizing::new(plain))
}

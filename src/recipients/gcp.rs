//! GCP Cloud KMS keys through Google's official client (`google-cloud-kms-v1`,
//! `Encrypt`/`Decrypt` on the crypto key); `enc` is the standard base64 ciphertext, as
//! sops stores it. Credentials as sops finds them: `GOOGLE_OAUTH_ACCESS_TOKEN`, then
//! `GOOGLE_CREDENTIALS` (JSON or a path), then Application Default Credentials.
//! Endpoint: `CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS` or `SEALBOX_GCP_KMS_ENDPOINT`,
//! else the service's own.

use std::sync::OnceLock;

use base64::Engine as _;
use google_cloud_auth::credentials::{
    CacheableResource, Credentials, CredentialsProvider, EntityTag,
};
use google_cloud_auth::errors::CredentialsError;
use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt as _};
use google_cloud_kms_v1::client::KeyManagementService;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

pub(crate) const HINT: &str = "set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. from `gcloud auth print-access-token`), GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`";

/// A GCP KMS crypto key by resource id.
#[derive(Clone, Debug)]
pub struct GcpKey(pub String);

/// The stanza kind of GCP Cloud KMS keys.
pub const KIND: &str = "gcp_kms";

/// The key id a `gcp_kms` stanza was written for.
///
/// # Errors
/// A missing `resource_id`.
pub fn from_stanza(k: &crate::sops::MasterKey) -> Result<String, RecipientError> {
    super::need(k, "resource_id")
}

/// Checks a resource id (`projects/P/locations/L/keyRings/R/cryptoKeys/K`).
///
/// # Errors
/// Any other shape.
pub fn parse(id: &str) -> Result<String, RecipientError> {
    let id = id.trim();
    let parts: Vec<&str> = id.split('/').collect();
    let ok = parts.len() == 8
        && parts[0] == "projects"
        && parts[2] == "locations"
        && parts[4] == "keyRings"
        && parts[6] == "cryptoKeys"
        && parts.iter().all(|p| !p.is_empty());
    if ok {
        Ok(id.to_owned())
    } else {
        Err(RecipientError::Invalid(format!(
            "'{id}' is not a GCP KMS key id (projects/P/locations/L/keyRings/R/cryptoKeys/K)"
        )))
    }
}

fn endpoint() -> Option<String> {
    std::env::var("CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS")
        .or_else(|_| std::env::var("SEALBOX_GCP_KMS_ENDPOINT"))
        .ok()
        .filter(|e| !e.trim().is_empty())
        .map(|e| {
            e.trim()
                .trim_end_matches('/')
                .trim_end_matches("/v1")
                .to_owned()
        })
}

fn endpoint_name() -> String {
    endpoint().unwrap_or_else(|| "https://cloudkms.googleapis.com".to_owned())
}

/// A fixed OAuth access token (`GOOGLE_OAUTH_ACCESS_TOKEN`, as sops reads it) as SDK
/// credentials.
struct StaticToken(Zeroizing<String>);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(..)")
    }
}

impl CredentialsProvider for StaticToken {
    async fn headers(
        &self,
        _: http::Extensions,
    ) -> Result<CacheableResource<http::HeaderMap>, CredentialsError> {
        let mut value = http::HeaderValue::from_str(&format!("Bearer {}", self.0.as_str()))
            .map_err(|_| {
                CredentialsError::from_msg(false, "GOOGLE_OAUTH_ACCESS_TOKEN is not a valid token")
            })?;
        value.set_sensitive(true);
        let mut map = http::HeaderMap::new();
        map.insert(http::header::AUTHORIZATION, value);
        Ok(CacheableResource::New {
            entity_tag: EntityTag::new(),
            data: map,
        })
    }

    async fn universe_domain(&self) -> Option<String> {
        None
    }
}

/// Where the credentials came from, for error messages.
static CREDENTIAL_SOURCE: OnceLock<&'static str> = OnceLock::new();

/// Credentials as sops finds them: `GOOGLE_OAUTH_ACCESS_TOKEN`, then
/// `GOOGLE_CREDENTIALS` (the JSON itself or a path to it), then Application Default
/// Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's ADC file, the metadata
/// server).
pub(crate) fn credentials() -> Result<Credentials, String> {
    let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
    if let Some(t) = var("GOOGLE_OAUTH_ACCESS_TOKEN") {
        let _ = CREDENTIAL_SOURCE.set("GOOGLE_OAUTH_ACCESS_TOKEN");
        return Ok(Credentials::from(StaticToken(Zeroizing::new(
            t.trim().to_owned(),
        ))));
    }
    if let Some(c) = var("GOOGLE_CREDENTIALS").map(Zeroizing::new) {
        let _ = CREDENTIAL_SOURCE.set("GOOGLE_CREDENTIALS");
        // A path when such a file exists (as sops reads it), else the JSON itself. The
        // value is never echoed: it may be a private key.
        let path = std::path::Path::new(c.trim());
        let text = if c.len() < 4096 && !c.contains('\n') && path.is_file() {
            Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
                format!("GOOGLE_CREDENTIALS names a file that cannot be read ({e})")
            })?)
        } else {
            c
        };
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            "GOOGLE_CREDENTIALS is neither the path of a credentials file nor credentials JSON"
                .to_owned()
        })?;
        let built = match json.get("type").and_then(|t| t.as_str()) {
            Some("service_account") => {
                google_cloud_auth::credentials::service_account::Builder::new(json).build()
            }
            Some("authorized_user") => {
                google_cloud_auth::credentials::user_account::Builder::new(json).build()
            }
            _ => {
                return Err(
                    "GOOGLE_CREDENTIALS must hold a service_account or authorized_user JSON"
                        .to_owned(),
                )
            }
        };
        return built.map_err(|e| format!("GOOGLE_CREDENTIALS: {e}"));
    }
    let adc_file = std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS").is_some()
        || std::env::var_os("HOME").is_some_and(|h| {
            std::path::Path::new(&h)
                .join(".config/gcloud/application_default_credentials.json")
                .is_file()
        });
    let _ = CREDENTIAL_SOURCE.set(if adc_file {
        "the application default credentials"
    } else {
        "the metadata server (no GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_CREDENTIALS or application default credentials found)"
    });
    google_cloud_auth::credentials::Builder::default()
        .build()
        .map_err(|e| format!("no application default credentials ({e})"))
}

/// One KMS client (credentials, connection pool) per run, built on first use.
fn client() -> Result<KeyManagementService, RemoteError> {
    static CLIENT: OnceLock<Result<KeyManagementService, String>> = OnceLock::new();
    let built = CLIENT.get_or_init(|| {
        remote::install_tls_provider();
        let rt = remote::runtime().ok_or("cannot start the async runtime")?;
        // Some credential kinds start their token refresh task when built.
        let _in_runtime = rt.enter();
        let creds = credentials()?;
        let mut b = KeyManagementService::builder()
            .with_credentials(creds)
            .with_attempt_timeout(remote::REQUEST_TIMEOUT)
            .with_retry_policy(Aip194Strict.with_attempt_limit(3));
        if let Some(e) = endpoint() {
            b = b.with_endpoint(e);
        }
        rt.block_on(b.build()).map_err(|e| e.to_string())
    });
    built
        .clone()
        .map_err(|e| RemoteError::Unavailable(format!("GCP KMS {}: {e}; {HINT}", endpoint_name())))
}

/// Unavailable (exit 5: network, credentials, throttling, server faults) or refused
/// (the key or ciphertext is wrong: try the next master key).
fn classify(op: &str, id: &str, e: &google_cloud_gax::error::Error) -> RemoteError {
    let base = remote::origin(&endpoint_name());
    let code = e.http_status_code();
    let message: String = match e.status() {
        Some(s) => s.message.chars().take(200).collect(),
        None if e.is_authentication() => match CREDENTIAL_SOURCE.get() {
            Some(source) if source.starts_with("the metadata server") => {
                format!("cannot get an access token from {source}")
            }
            source => format!(
                "cannot get an access token from {}: {}",
                source.copied().unwrap_or("the credentials"),
                remote::error_chain(e)
            ),
        },
        None => remote::error_chain(e),
    };
    let text = format!("GCP KMS {base} {op} with {id}: {message}");
    let unavailable = e.is_authentication()
        || e.is_timeout()
        || e.is_connect()
        || e.is_io()
        || e.is_transport()
        || e.is_exhausted()
        || matches!(code, None | Some(401 | 429 | 500..));
    if unavailable {
        RemoteError::Unavailable(format!("{text}; {HINT}"))
    } else {
        RemoteError::Refused(text)
    }
}

impl Recipient for GcpKey {
    fn id(&self) -> &str {
        &self.0
    }

    fn kind(&self) -> &'static str {
        KIND
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let backend = |e: RemoteError| RecipientError::Backend(e.to_string());
        let client = client().map_err(backend)?;
        let rt = remote::runtime_or_unavailable().map_err(backend)?;
        let out = rt
            .block_on(
                client
                    .encrypt()
                    .set_name(self.0.as_str())
                    // Owned by a wiping buffer: cleared when the SDK drops its last reference.
                    .set_plaintext(bytes::Bytes::from_owner(Zeroizing::new(key.to_vec())))
                    .send(),
            )
            .map_err(|e| backend(classify("encrypt", &self.0, &e)))?;
        if out.ciphertext.is_empty() {
            return Err(RecipientError::Backend(format!(
                "GCP KMS returned no ciphertext for {}",
                self.0
            )));
        }
        let enc = base64::engine::general_purpose::STANDARD.encode(&out.ciphertext);
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields: vec![
                ("resource_id".to_owned(), Value::Str(self.0.clone())),
                (
                    "created_at".to_owned(),
                    Value::Str(crate::sops::metadata::created_at()),
                ),
                ("enc".to_owned(), Value::Str(enc)),
            ],
        })
    }
}

/// Asks GCP KMS for the key in a `gcp_kms` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let id = stanza
        .field("resource_id")
        .ok_or_else(|| RemoteError::Refused("gcp_kms stanza without resource_id".to_owned()))?;
    let enc = base64::engine::general_purpose::STANDARD
        .decode(stanza.field("enc").unwrap_or_default().trim())
        .map_err(|_| RemoteError::Refused(format!("gcp_kms stanza for {id}: enc is not base64")))?;
    let client = client()?;
    let rt = remote::runtime_or_unavailable()?;
    let out = rt
        .block_on(
            client
                .decrypt()
                .set_name(id)
                .set_ciphertext(bytes::Bytes::from(enc))
                .send(),
        )
        .map_err(|e| classify("decrypt", id, &e))?;
    if out.plaintext.is_empty() {
        return Err(RemoteError::Refused(format!(
            "GCP KMS returned no plaintext for {id}"
        )));
    }
    // The SDK hands the key back in a `Bytes` buffer, which cannot be wiped; the copy
    // that sealbox keeps is.
    Ok(Zeroizing::new(out.plaintext.to_vec()))
}

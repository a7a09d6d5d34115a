//! GCP Cloud KMS keys over the documented REST API (`POST
//! v1/{resource_id}:encrypt` / `:decrypt`, base64 fields); `enc` is the standard
//! base64 ciphertext, as sops stores it. Token: `GOOGLE_OAUTH_ACCESS_TOKEN` (as sops
//! reads it), else `gcloud auth application-default print-access-token`. Endpoint:
//! `CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS` or `SEALBOX_GCP_KMS_ENDPOINT`, else
//! `https://cloudkms.googleapis.com`.

use base64::Engine as _;
use serde_json::json;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

const HINT: &str = "set GOOGLE_OAUTH_ACCESS_TOKEN (e.g. from `gcloud auth print-access-token`)";

/// A GCP KMS crypto key by resource id.
#[derive(Clone, Debug)]
pub struct GcpKey(pub String);

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

fn endpoint() -> String {
    std::env::var("CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDKMS")
        .or_else(|_| std::env::var("SEALBOX_GCP_KMS_ENDPOINT"))
        .map(|e| e.trim_end_matches('/').trim_end_matches("/v1").to_owned())
        .unwrap_or_else(|_| "https://cloudkms.googleapis.com".to_owned())
}

fn token() -> Option<Zeroizing<String>> {
    if let Ok(t) = std::env::var("GOOGLE_OAUTH_ACCESS_TOKEN") {
        if !t.trim().is_empty() {
            return Some(Zeroizing::new(t.trim().to_owned()));
        }
    }
    let out = std::process::Command::new("gcloud")
        .args(["auth", "application-default", "print-access-token"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let t = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !t.trim().is_empty()).then(|| Zeroizing::new(t.trim().to_owned()))
}

fn call(id: &str, op: &str, body: &serde_json::Value) -> Result<serde_json::Value, RemoteError> {
    let base = endpoint();
    let token = token().ok_or_else(|| {
        RemoteError::Unavailable(format!("GCP KMS {base}: no access token; {HINT}"))
    })?;
    let auth = format!("Bearer {}", token.as_str());
    let url = format!("{base}/v1/{id}:{op}");
    let (status, json) = remote::post_json(
        &url,
        &[("Authorization", auth.as_str())],
        body,
        &format!("GCP KMS {op}"),
        HINT,
    )?;
    let text = format!(
        "GCP KMS {} {op} with {id} answered {status}: {}",
        remote::origin(&base),
        remote::service_message(&json)
    );
    match status {
        200..=299 => Ok(json),
        401 | 429 | 500.. => Err(RemoteError::Unavailable(format!("{text}; {HINT}"))),
        _ => Err(RemoteError::Refused(text)),
    }
}

impl Recipient for GcpKey {
    fn id(&self) -> &str {
        &self.0
    }

    fn kind(&self) -> &'static str {
        "gcp_kms"
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(key));
        let json = call(&self.0, "encrypt", &json!({ "plaintext": b64.as_str() }))
            .map_err(|e| RecipientError::Backend(e.to_string()))?;
        let enc = json
            .get("ciphertext")
            .and_then(|c| c.as_str())
            .filter(|c| base64::engine::general_purpose::STANDARD.decode(c).is_ok())
            .ok_or_else(|| {
                RecipientError::Backend(format!("GCP KMS returned no ciphertext for {}", self.0))
            })?;
        Ok(MasterKey {
            kind: "gcp_kms".to_owned(),
            fields: vec![
                ("resource_id".to_owned(), Value::Str(self.0.clone())),
                (
                    "created_at".to_owned(),
                    Value::Str(super::spec::created_at()),
                ),
                ("enc".to_owned(), Value::Str(enc.to_owned())),
            ],
        })
    }
}

/// Asks GCP KMS for the key in a `gcp_kms` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let id = stanza
        .field("resource_id")
        .ok_or_else(|| RemoteError::Refused("gcp_kms stanza without resource_id".to_owned()))?;
    let enc = stanza.field("enc").unwrap_or_default().trim();
    let json = call(id, "decrypt", &json!({ "ciphertext": enc }))?;
    let plain = json
        .get("plaintext")
        .and_then(|p| p.as_str())
        .and_then(|p| base64::engine::general_purpose::STANDARD.decode(p).ok())
        .ok_or_else(|| RemoteError::Refused(format!("GCP KMS returned no plaintext for {id}")))?;
    Ok(Zeroizing::new(plain))
}

//! Azure Key Vault secrets through Microsoft's official client
//! (`azure_security_keyvault_secrets`): `azure-kv:https://NAME.vault.azure.net/` holds
//! one secret per key. Secret names allow only letters, digits and `-`, so a key's `_`
//! becomes `-` and back; a key that would not come back the same (one with `-` or
//! another character) is refused before anything is written. A change sets a new
//! version; `--prune` deletes (soft delete: a key pushed again is recovered first).
//! Credentials as for Azure Key Vault keys.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use azure_security_keyvault_secrets::models::{
    SecretClientGetSecretOptions, SecretClientListSecretPropertiesOptions, SetSecretParameters,
};
use azure_security_keyvault_secrets::{SecretClient, SecretClientOptions};
use futures::TryStreamExt as _;
use zeroize::Zeroizing;

use super::{collect_reads, collect_writes, Batch, ManagerError, Values, WriteFailure};
use crate::recipients::azure::{client_options, credential, HINT};
use crate::recipients::remote::{self, Job};

/// The Key Vault secret name of a key, or why it has none.
fn secret_name(key: &str) -> Result<String, ManagerError> {
    let ok = !key.is_empty()
        && key.len() <= 127
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(key.replace('_', "-"))
    } else {
        Err(ManagerError::Invalid(format!(
            "{key} cannot be an Azure Key Vault secret name (only letters, digits and '-', which sealbox maps from '_'; a key with '-' or other characters would not come back the same); rename it"
        )))
    }
}

/// The key a secret name stands for.
fn key_of(name: &str) -> String {
    name.replace('-', "_")
}

fn client(url: &str) -> Result<Arc<SecretClient>, ManagerError> {
    static CLIENTS: OnceLock<Mutex<HashMap<String, Arc<SecretClient>>>> = OnceLock::new();
    let unavailable = |e: &str| {
        ManagerError::Unavailable(format!(
            "Azure Key Vault {}: {e}; {HINT}",
            remote::origin(url)
        ))
    };
    let mut clients = CLIENTS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .map_err(|_| unavailable("internal lock poisoned"))?;
    if let Some(c) = clients.get(url) {
        return Ok(c.clone());
    }
    let cred = credential().map_err(|e| unavailable(&e))?;
    let options = SecretClientOptions {
        client_options: client_options().map_err(|e| unavailable(&e))?,
        verify_challenge_resource: Some(
            std::env::var("SEALBOX_AZURE_VERIFY_CHALLENGE_RESOURCE").as_deref() != Ok("0"),
        ),
        ..SecretClientOptions::default()
    };
    let c = Arc::new(
        SecretClient::new(url, cred, Some(options)).map_err(|e| unavailable(&e.to_string()))?,
    );
    clients.insert(url.to_owned(), c.clone());
    Ok(c)
}

fn status_of(e: &azure_core::Error) -> Option<u16> {
    e.http_status().map(u16::from)
}

/// 403 → refused (3); 401, 429, 5xx, transport → unavailable (5); other answers →
/// invalid (2).
fn classify(url: &str, doing: &str, e: &azure_core::Error) -> ManagerError {
    use azure_core::error::ErrorKind;
    let status = status_of(e);
    let detail = match e.kind() {
        ErrorKind::HttpResponse { error_code, .. } => format!(
            "answered {}{}",
            status.unwrap_or_default(),
            error_code
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        ),
        _ => remote::error_chain(e),
    };
    let text = format!("Azure Key Vault {} {doing}: {detail}", remote::origin(url));
    match (e.kind(), status) {
        (ErrorKind::HttpResponse { .. }, Some(403)) => ManagerError::Refused(format!(
            "{text}; the identity's access policy or role does not allow it"
        )),
        (ErrorKind::HttpResponse { .. }, Some(s)) if s != 401 && s != 429 && s < 500 => {
            ManagerError::Invalid(text)
        }
        _ => ManagerError::Unavailable(format!("{text}; {HINT}")),
    }
}

/// Reads every enabled secret of the vault: one listing, then the values concurrently.
///
/// # Errors
/// Unreachable or refused.
pub fn read(url: &str) -> Result<Values, ManagerError> {
    let c = client(url)?;
    let rt = remote::runtime_or_unavailable()?;
    let what = format!("azure-kv:{url}/");
    let names: Vec<String> = rt
        .block_on(async {
            let mut pager =
                c.list_secret_properties(Some(SecretClientListSecretPropertiesOptions {
                    maxresults: Some(25),
                    ..Default::default()
                }))?;
            let mut names = Vec::new();
            while let Some(p) = pager.try_next().await? {
                let enabled = p.attributes.as_ref().and_then(|a| a.enabled) != Some(false);
                // Secrets that back certificates are not environment values.
                if !enabled || p.managed == Some(true) {
                    continue;
                }
                if let Some(id) = p.id {
                    if let Some(n) = id.trim_end_matches('/').rsplit('/').next() {
                        names.push(n.to_owned());
                    }
                }
            }
            Ok::<_, azure_core::Error>(names)
        })
        .map_err(|e| classify(url, &format!("listing {what}"), &e))?;
    let jobs: Vec<Job<Batch>> = names
        .into_iter()
        .map(|n| {
            let (c, url) = (c.clone(), url.to_owned());
            let job: Job<Batch> = Box::new(move || {
                let rt = remote::runtime_or_unavailable()?;
                let key = key_of(&n);
                let got = rt.block_on(async {
                    c.get_secret(&n, None::<SecretClientGetSecretOptions<'_>>)
                        .await?
                        .into_model()
                });
                match got {
                    Ok(s) => Ok(s
                        .value
                        .map(|v| (key, Zeroizing::new(v)))
                        .into_iter()
                        .collect()),
                    Err(e) if status_of(&e) == Some(404) => Ok(Vec::new()),
                    Err(e) => Err(classify(&url, &format!("reading {key}"), &e)),
                }
            });
            job
        })
        .collect();
    collect_reads(remote::run_all(jobs), &what)
}

/// Sets one secret; a name in the soft-deleted state is recovered first.
fn set(
    c: &SecretClient,
    url: &str,
    name: &str,
    key: &str,
    value: &Zeroizing<String>,
) -> Result<(), ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let doing = format!("writing {key}");
    let attempt = || {
        let params = SetSecretParameters {
            value: Some(value.to_string()),
            ..SetSecretParameters::default()
        };
        rt.block_on(async {
            c.set_secret(name, params.try_into()?, None)
                .await
                .map(|_| ())
        })
    };
    match attempt() {
        Ok(()) => Ok(()),
        Err(e) if status_of(&e) == Some(409) => {
            // Deleted by an earlier --prune and still recoverable: bring it back. Key
            // Vault recovers in the background, so the write is retried a few times.
            rt.block_on(async { c.recover_deleted_secret(name, None).await.map(|_| ()) })
                .map_err(|e| classify(url, &doing, &e))?;
            let mut last = None;
            for i in 0..10u64 {
                match attempt() {
                    Ok(()) => return Ok(()),
                    Err(e) if matches!(status_of(&e), Some(409 | 404)) => {
                        last = Some(e);
                        std::thread::sleep(std::time::Duration::from_millis(200 * (i + 1)));
                    }
                    Err(e) => return Err(classify(url, &doing, &e)),
                }
            }
            Err(last.map_or_else(
                || {
                    ManagerError::Unavailable(format!(
                        "Azure Key Vault: {key} could not be recovered"
                    ))
                },
                |e| classify(url, &doing, &e),
            ))
        }
        Err(e) => Err(classify(url, &doing, &e)),
    }
}

/// Sets changed keys (a new version each) and deletes pruned ones, concurrently.
///
/// # Errors
/// A key with no secret name (before anything is written), or the worst failure with
/// the keys written before it.
pub fn write(
    url: &str,
    puts: Vec<(String, Zeroizing<String>)>,
    deletes: &[String],
) -> Result<(), WriteFailure> {
    let fail = |error| WriteFailure {
        written: Vec::new(),
        error,
    };
    for (k, v) in &puts {
        secret_name(k).map_err(fail)?;
        if v.is_empty() {
            return Err(fail(ManagerError::Invalid(format!(
                "{k} is empty, and a Key Vault secret cannot hold an empty value; give it a value or leave it out"
            ))));
        }
    }
    let c = client(url).map_err(fail)?;
    let mut keys = Vec::new();
    let mut jobs: Vec<Job<Result<(), ManagerError>>> = Vec::new();
    for (k, v) in puts {
        let (c, url) = (c.clone(), url.to_owned());
        let name = secret_name(&k).map_err(fail)?;
        keys.push(k.clone());
        jobs.push(Box::new(move || set(&c, &url, &name, &k, &v)));
    }
    for k in deletes {
        let (c, url, key) = (c.clone(), url.to_owned(), k.clone());
        let name = k.replace('_', "-");
        keys.push(k.clone());
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            match rt.block_on(async { c.delete_secret(&name, None).await.map(|_| ()) }) {
                Ok(()) => Ok(()),
                Err(e) if status_of(&e) == Some(404) => Ok(()),
                Err(e) => Err(classify(&url, &format!("deleting {key}"), &e)),
            }
        }));
    }
    collect_writes(keys, remote::run_all(jobs), &format!("azure-kv:{url}/"))
}

//! GCP Secret Manager through Google's official client (`google-cloud-secretmanager-v1`):
//! `gcp-sm:projects/P/secrets/NAME` is one secret whose latest version holds a JSON
//! object of the keys; `gcp-sm-prefix:projects/P/PREFIX` is one secret per key, named
//! `PREFIX` + key. A change adds a version (`addVersion`); reads access
//! `versions/latest`. Credentials as for GCP KMS; endpoint
//! `CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER` or `SEALBOX_GCP_SM_ENDPOINT`.

use std::sync::OnceLock;

use google_cloud_gax::retry_policy::{Aip194Strict, RetryPolicyExt as _};
use google_cloud_secretmanager_v1::client::SecretManagerService;
use google_cloud_secretmanager_v1::model;
use zeroize::Zeroizing;

use super::{collect_reads, collect_writes, Batch, ManagerError, Values, WriteFailure};
use crate::recipients::gcp::{credentials, HINT};
use crate::recipients::remote::{self, Job};

fn endpoint() -> Option<String> {
    std::env::var("CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER")
        .or_else(|_| std::env::var("SEALBOX_GCP_SM_ENDPOINT"))
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
    remote::origin(&endpoint().unwrap_or_else(|| "https://secretmanager.googleapis.com".to_owned()))
}

fn client() -> Result<SecretManagerService, ManagerError> {
    static CLIENT: OnceLock<Result<SecretManagerService, String>> = OnceLock::new();
    let built = CLIENT.get_or_init(|| {
        remote::install_tls_provider();
        let rt = remote::runtime().ok_or("cannot start the async runtime")?;
        let _in_runtime = rt.enter();
        let creds = credentials()?;
        let mut b = SecretManagerService::builder()
            .with_credentials(creds)
            .with_attempt_timeout(remote::REQUEST_TIMEOUT)
            .with_retry_policy(Aip194Strict.with_attempt_limit(3));
        if let Some(e) = endpoint() {
            b = b.with_endpoint(e);
        }
        rt.block_on(b.build()).map_err(|e| e.to_string())
    });
    built.clone().map_err(|e| {
        ManagerError::Unavailable(format!(
            "GCP Secret Manager {}: {e}; {HINT}",
            endpoint_name()
        ))
    })
}

fn not_found(e: &google_cloud_gax::error::Error) -> bool {
    e.http_status_code() == Some(404)
        || e.status()
            .is_some_and(|s| s.code == google_cloud_gax::error::rpc::Code::NotFound)
}

/// Permissions → refused (3); transport, credentials, throttling, server faults →
/// unavailable (5); anything else the service rejected → invalid (2).
fn classify(doing: &str, e: &google_cloud_gax::error::Error) -> ManagerError {
    use google_cloud_gax::error::rpc::Code;
    let base = endpoint_name();
    let message: String = match e.status() {
        Some(s) => s.message.chars().take(200).collect(),
        None => remote::error_chain(e),
    };
    let text = format!("GCP Secret Manager {base} refused {doing}: {message}");
    let code = e.status().map(|s| s.code);
    if code == Some(Code::PermissionDenied) || e.http_status_code() == Some(403) {
        return ManagerError::Refused(format!(
            "{text}; the credentials' IAM role does not allow it"
        ));
    }
    let unavailable = e.is_authentication()
        || e.is_timeout()
        || e.is_connect()
        || e.is_io()
        || e.is_transport()
        || e.is_exhausted()
        || matches!(e.http_status_code(), None | Some(401 | 429 | 500..));
    if unavailable {
        ManagerError::Unavailable(format!(
            "GCP Secret Manager {base}: failed {doing}: {message}; {HINT}; set SEALBOX_GCP_SM_ENDPOINT (or CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER) for a non-default endpoint"
        ))
    } else {
        ManagerError::Invalid(text)
    }
}

/// The latest version's text, `None` when the secret (or any version) does not exist.
fn access(
    c: &SecretManagerService,
    secret: &str,
    what: &str,
) -> Result<Option<Zeroizing<String>>, ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    match rt.block_on(
        c.access_secret_version()
            .set_name(format!("{secret}/versions/latest"))
            .send(),
    ) {
        Ok(out) => {
            let data = out.payload.map(|p| p.data).unwrap_or_default();
            let text = Zeroizing::new(data.to_vec());
            String::from_utf8(text.to_vec())
                .map(|s| Some(Zeroizing::new(s)))
                .map_err(|_| ManagerError::Invalid(format!("{what} is not UTF-8 text")))
        }
        Err(e) if not_found(&e) => Ok(None),
        Err(e) => Err(classify(&format!("reading {what}"), &e)),
    }
}

/// Adds a version holding `value`, creating the secret first when `create`.
fn add_version(
    c: &SecretManagerService,
    secret: &str,
    value: &Zeroizing<String>,
    create: bool,
    doing: &str,
) -> Result<(), ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let add = || {
        rt.block_on(
            c.add_secret_version()
                .set_parent(secret)
                .set_payload(
                    model::SecretPayload::new().set_data(bytes::Bytes::from_owner(Zeroizing::new(
                        value.as_bytes().to_vec(),
                    ))),
                )
                .send(),
        )
    };
    if !create {
        match add() {
            Ok(_) => return Ok(()),
            Err(e) if not_found(&e) => {}
            Err(e) => return Err(classify(doing, &e)),
        }
    }
    let (parent, id) = secret
        .rsplit_once("/secrets/")
        .ok_or_else(|| ManagerError::Invalid(format!("{secret} is not projects/P/secrets/NAME")))?;
    match rt.block_on(
        c.create_secret()
            .set_parent(parent)
            .set_secret_id(id)
            .set_secret(model::Secret::new().set_replication(
                model::Replication::new().set_automatic(model::replication::Automatic::new()),
            ))
            .send(),
    ) {
        Ok(_) => {}
        // Created meanwhile, or listed as absent but there: add the version anyway.
        Err(e) if e.http_status_code() == Some(409) => {}
        Err(e) => return Err(classify(doing, &e)),
    }
    add().map(|_| ()).map_err(|e| classify(doing, &e))
}

/// Reads one secret's JSON object (absent → empty).
///
/// # Errors
/// Unreachable, refused, or not a JSON object.
pub fn read_secret(name: &str) -> Result<Values, ManagerError> {
    let c = client()?;
    let what = format!("gcp-sm:{name}");
    match access(&c, name, &what)? {
        None => Ok(Values::default()),
        Some(text) => super::parse_object(&text, &what),
    }
}

/// Adds a version holding the JSON object (the secret is created when absent).
///
/// # Errors
/// Unreachable or refused.
pub fn write_secret(name: &str, body: &Zeroizing<String>) -> Result<(), ManagerError> {
    let c = client()?;
    add_version(&c, name, body, false, &format!("writing gcp-sm:{name}"))
}

/// The secret ids under `prefix` in `project`, by key.
fn list_prefix(
    c: &SecretManagerService,
    project: &str,
    prefix: &str,
) -> Result<Vec<String>, ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let what = format!("gcp-sm-prefix:{project}/{prefix}");
    let mut keys = Vec::new();
    let mut token = String::new();
    loop {
        let page = rt
            .block_on(
                c.list_secrets()
                    .set_parent(project)
                    .set_page_size(250)
                    .set_page_token(std::mem::take(&mut token))
                    .set_filter(format!("name:{prefix}"))
                    .send(),
            )
            .map_err(|e| classify(&format!("listing {what}"), &e))?;
        for s in &page.secrets {
            let id = s.name.rsplit('/').next().unwrap_or_default();
            if let Some(k) = id.strip_prefix(prefix) {
                if !k.is_empty() && s.name.starts_with(&format!("{project}/secrets/")) {
                    keys.push(k.to_owned());
                }
            }
        }
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    Ok(keys)
}

/// Reads every secret under the prefix: one listing, then the latest versions
/// concurrently.
///
/// # Errors
/// Unreachable, refused, or a value that is not text.
pub fn read_prefix(project: &str, prefix: &str) -> Result<Values, ManagerError> {
    let c = client()?;
    let keys = list_prefix(&c, project, prefix)?;
    let what = format!("gcp-sm-prefix:{project}/{prefix}");
    let jobs: Vec<Job<Batch>> = keys
        .into_iter()
        .map(|k| {
            let c = c.clone();
            let secret = format!("{project}/secrets/{prefix}{k}");
            let what = format!("{k} of {what}");
            let job: Job<Batch> = Box::new(move || {
                Ok(access(&c, &secret, &what)?
                    .map(|v| (k, v))
                    .into_iter()
                    .collect())
            });
            job
        })
        .collect();
    collect_reads(remote::run_all(jobs), &what)
}

/// Checks that every key makes a valid secret id (letters, digits, `_`, `-`).
fn check_ids(prefix: &str, keys: &[String]) -> Result<(), ManagerError> {
    for k in keys {
        let id = format!("{prefix}{k}");
        let ok = id.len() <= 255
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !ok {
            return Err(ManagerError::Invalid(format!(
                "{k}: GCP secret ids take only letters, digits, '_' and '-' (at most 255); rename the key or use gcp-sm: (one JSON secret)"
            )));
        }
    }
    Ok(())
}

/// Adds a version to each changed key's secret (creating new ones) and deletes pruned
/// ones, concurrently.
///
/// # Errors
/// A key that makes no valid secret id, or the worst failure with the keys written.
pub fn write_prefix(
    project: &str,
    prefix: &str,
    puts: Vec<(String, Zeroizing<String>)>,
    deletes: &[String],
    current: &Values,
) -> Result<(), WriteFailure> {
    let fail = |error| WriteFailure {
        written: Vec::new(),
        error,
    };
    let names: Vec<String> = puts.iter().map(|(k, _)| k.clone()).collect();
    check_ids(prefix, &names).map_err(fail)?;
    let c = client().map_err(fail)?;
    let what = format!("gcp-sm-prefix:{project}/{prefix}");
    let mut keys = Vec::new();
    let mut jobs: Vec<Job<Result<(), ManagerError>>> = Vec::new();
    for (k, v) in puts {
        let c = c.clone();
        let secret = format!("{project}/secrets/{prefix}{k}");
        let create = current.get(&k).is_none();
        let doing = format!("writing {k} to {what}");
        keys.push(k);
        jobs.push(Box::new(move || {
            add_version(&c, &secret, &v, create, &doing)
        }));
    }
    for k in deletes {
        let c = c.clone();
        let secret = format!("{project}/secrets/{prefix}{k}");
        let doing = format!("deleting {k} from {what}");
        keys.push(k.clone());
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            match rt.block_on(c.delete_secret().set_name(&secret).send()) {
                Ok(()) => Ok(()),
                Err(e) if not_found(&e) => Ok(()),
                Err(e) => Err(classify(&doing, &e)),
            }
        }));
    }
    collect_writes(keys, remote::run_all(jobs), &what)
}

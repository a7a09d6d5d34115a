//! AWS Secrets Manager and SSM Parameter Store through the official SDKs: `aws-sm:ID`
//! is one secret holding a JSON object, `aws-sm-prefix:P/` one secret per key named
//! `P/KEY`, `aws-ssm:/PATH/` one SecureString parameter per key. Credentials from the
//! SDK's standard chain; region from the secret's ARN, else `AWS_REGION`/profile;
//! `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_SSM` and `AWS_ENDPOINT_URL`
//! are honoured. Per-key requests run on the bounded request pool.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_sdk_secretsmanager::error::{ProvideErrorMetadata, SdkError};
use zeroize::Zeroizing;

use super::{collect_reads, collect_writes, Batch, ManagerError, Values, WriteFailure};
use crate::recipients::remote::{self, Job};

const HINT: &str = "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or run `aws sso login`), AWS_REGION, and AWS_ENDPOINT_URL_SECRETS_MANAGER/AWS_ENDPOINT_URL_SSM for a non-default endpoint";

/// Which API a request went to (for messages and the endpoint variable).
#[derive(Clone, Copy)]
enum Api {
    SecretsManager,
    Ssm,
}

impl Api {
    fn name(self) -> &'static str {
        match self {
            Api::SecretsManager => "AWS Secrets Manager",
            Api::Ssm => "AWS SSM",
        }
    }

    fn endpoint(self, region: &str) -> String {
        let (var, host) = match self {
            Api::SecretsManager => ("AWS_ENDPOINT_URL_SECRETS_MANAGER", "secretsmanager"),
            Api::Ssm => ("AWS_ENDPOINT_URL_SSM", "ssm"),
        };
        std::env::var(var)
            .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
            .map(|u| remote::origin(&u))
            .unwrap_or_else(|_| format!("https://{host}.{region}.amazonaws.com"))
    }
}

/// The region an ARN names (`arn:aws:secretsmanager:REGION:…`).
fn arn_region(id: &str) -> Option<String> {
    let parts: Vec<&str> = id.split(':').collect();
    (parts.len() >= 6 && parts.first() == Some(&"arn"))
        .then(|| parts.get(3).map(|r| (*r).to_owned()))
        .flatten()
        .filter(|r| !r.is_empty())
}

/// The shared SDK configuration for a region (`None`: the default chain's), loaded
/// once.
fn sdk_config(region: Option<&str>) -> Result<aws_config::SdkConfig, ManagerError> {
    type Cell = Arc<OnceLock<aws_config::SdkConfig>>;
    static CONFIGS: OnceLock<Mutex<HashMap<Option<String>, Cell>>> = OnceLock::new();
    let cell: Cell = CONFIGS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .map_err(|_| ManagerError::Unavailable("internal lock poisoned".to_owned()))?
        .entry(region.map(str::to_owned))
        .or_default()
        .clone();
    let rt = remote::runtime_or_unavailable()?;
    let conf = cell
        .get_or_init(|| {
            rt.block_on(async {
                let http = aws_smithy_http_client::Builder::new()
                    .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                        aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
                    ))
                    .build_https();
                let timeouts = aws_config::timeout::TimeoutConfig::builder()
                    .connect_timeout(remote::CONNECT_TIMEOUT)
                    .operation_timeout(remote::REQUEST_TIMEOUT)
                    .build();
                let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .http_client(http)
                    .timeout_config(timeouts)
                    .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2));
                if let Some(r) = region {
                    loader = loader.region(aws_config::Region::new(r.to_owned()));
                }
                loader.load().await
            })
        })
        .clone();
    if conf.region().is_none() {
        return Err(ManagerError::Unavailable(format!("AWS: no region; {HINT}")));
    }
    Ok(conf)
}

fn region_of(conf: &aws_config::SdkConfig) -> String {
    conf.region().map(ToString::to_string).unwrap_or_default()
}

fn sm_client(
    region: Option<&str>,
) -> Result<(aws_sdk_secretsmanager::Client, String), ManagerError> {
    static CLIENTS: OnceLock<Mutex<HashMap<Option<String>, aws_sdk_secretsmanager::Client>>> =
        OnceLock::new();
    let conf = sdk_config(region)?;
    let mut m = CLIENTS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .map_err(|_| ManagerError::Unavailable("internal lock poisoned".to_owned()))?;
    let c = m
        .entry(region.map(str::to_owned))
        .or_insert_with(|| aws_sdk_secretsmanager::Client::new(&conf))
        .clone();
    Ok((c, region_of(&conf)))
}

fn ssm_client() -> Result<(aws_sdk_ssm::Client, String), ManagerError> {
    static CLIENT: OnceLock<aws_sdk_ssm::Client> = OnceLock::new();
    let conf = sdk_config(None)?;
    let c = CLIENT
        .get_or_init(|| aws_sdk_ssm::Client::new(&conf))
        .clone();
    Ok((c, region_of(&conf)))
}

/// Drops every quoted segment of a service message (a validation error may quote the
/// value it refused).
fn unquoted(msg: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    let chars: Vec<char> = msg.chars().take(300).collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match quote {
            // A closing quote is followed by a non-word character ("can't" is a word).
            Some(q) if c == q && !next.is_alphanumeric() => {
                out.push('…');
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            // An opening quote follows a space or punctuation, never a letter.
            None if (c == '\'' || c == '"') && !prev.is_alphanumeric() => {
                out.push(c);
                quote = Some(c);
            }
            None => out.push(c),
        }
        prev = c;
    }
    if let Some(q) = quote {
        out.push('…');
        out.push(q);
    }
    out
}

/// The error code of a service answer, if it was one.
fn code_of<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(se) => se.err().code(),
        _ => None,
    }
}

/// Maps an SDK error: permissions → refused (exit 3), transport and credentials →
/// unavailable (exit 5), anything else the service rejected → invalid (exit 2).
fn classify<E, R>(e: &SdkError<E, R>, api: Api, region: &str, doing: &str) -> ManagerError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let endpoint = api.endpoint(region);
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let code = err.code().unwrap_or("error");
            let msg = unquoted(err.message().unwrap_or_default());
            let text = format!("{} {endpoint} refused {doing}: {code}: {msg}", api.name());
            match code {
                "AccessDeniedException"
                | "AccessDenied"
                | "UnauthorizedOperation"
                | "KMSAccessDeniedException"
                | "DecryptionFailure" => ManagerError::Refused(format!(
                    "{text}; the credentials' IAM policy does not allow it"
                )),
                "ExpiredTokenException"
                | "ExpiredToken"
                | "UnrecognizedClientException"
                | "InvalidClientTokenId"
                | "InvalidSignatureException"
                | "MissingAuthenticationToken"
                | "IncompleteSignature"
                | "InternalServiceError"
                | "InternalServerError"
                | "InternalFailure"
                | "ServiceUnavailable"
                | "ThrottlingException" => ManagerError::Unavailable(format!("{text}; {HINT}")),
                _ => ManagerError::Invalid(text),
            }
        }
        other => {
            let detail = aws_sdk_secretsmanager::error::DisplayErrorContext(other).to_string();
            let detail: String = detail.chars().take(300).collect();
            ManagerError::Unavailable(format!(
                "{} {endpoint}: failed {doing}: {detail}; {HINT}",
                api.name()
            ))
        }
    }
}

/// Reads one secret's JSON object (absent → empty).
///
/// # Errors
/// Unreachable, refused, binary or not a JSON object.
pub fn read_secret(id: &str) -> Result<Values, ManagerError> {
    let region = arn_region(id);
    let (c, region) = sm_client(region.as_deref())?;
    let rt = remote::runtime_or_unavailable()?;
    let what = format!("aws-sm:{id}");
    match rt.block_on(c.get_secret_value().secret_id(id).send()) {
        Ok(out) => match out.secret_string {
            Some(s) => super::parse_object(&Zeroizing::new(s), &what),
            None => Err(ManagerError::Invalid(format!(
                "{what} holds a binary secret, not a JSON object of values"
            ))),
        },
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") => Ok(Values::default()),
        Err(e) => Err(classify(
            &e,
            Api::SecretsManager,
            &region,
            &format!("reading {what}"),
        )),
    }
}

/// Writes one secret's JSON object (a new version; created when absent).
///
/// # Errors
/// Unreachable or refused.
pub fn write_secret(id: &str, body: &Zeroizing<String>) -> Result<(), ManagerError> {
    let region = arn_region(id);
    let (c, region) = sm_client(region.as_deref())?;
    put_or_create(&c, &region, id, body, &format!("writing aws-sm:{id}"))
}

/// `PutSecretValue`, or `CreateSecret` when there is no such secret, or
/// `RestoreSecret` + `PutSecretValue` when it is scheduled for deletion.
fn put_or_create(
    c: &aws_sdk_secretsmanager::Client,
    region: &str,
    id: &str,
    value: &Zeroizing<String>,
    doing: &str,
) -> Result<(), ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let put = || {
        rt.block_on(
            c.put_secret_value()
                .secret_id(id)
                .secret_string(value.as_str())
                .send(),
        )
        .map_err(Box::new)
    };
    match put() {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") && !id.starts_with("arn:") => {
            match rt.block_on(
                c.create_secret()
                    .name(id)
                    .secret_string(value.as_str())
                    .send(),
            ) {
                Ok(_) => Ok(()),
                Err(e) => Err(classify(&e, Api::SecretsManager, region, doing)),
            }
        }
        Err(e) if code_of(&e) == Some("InvalidRequestException") => {
            // Scheduled for deletion (a pruned key pushed again): bring it back.
            rt.block_on(c.restore_secret().secret_id(id).send())
                .map_err(|e| classify(&e, Api::SecretsManager, region, doing))?;
            put()
                .map(|_| ())
                .map_err(|e| classify(&e, Api::SecretsManager, region, doing))
        }
        Err(e) => Err(classify(&e, Api::SecretsManager, region, doing)),
    }
}

/// The secrets directly under `prefix` (`prefix` + a name without `/`), by key.
fn list_prefix(
    c: &aws_sdk_secretsmanager::Client,
    region: &str,
    prefix: &str,
) -> Result<Vec<(String, String)>, ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let filter = aws_sdk_secretsmanager::types::Filter::builder()
            .key(aws_sdk_secretsmanager::types::FilterNameStringType::Name)
            .values(prefix)
            .build();
        let page = rt
            .block_on(
                c.list_secrets()
                    .filters(filter)
                    .max_results(100)
                    .set_next_token(token.take())
                    .send(),
            )
            .map_err(|e| {
                classify(
                    &e,
                    Api::SecretsManager,
                    region,
                    &format!("listing aws-sm-prefix:{prefix}"),
                )
            })?;
        for s in page.secret_list() {
            let Some(name) = s.name() else { continue };
            if let Some(key) = name.strip_prefix(prefix) {
                if !key.is_empty() && !key.contains('/') {
                    out.push((key.to_owned(), name.to_owned()));
                }
            }
        }
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => break,
        }
    }
    Ok(out)
}

/// Reads every secret under `prefix`: one listing, then the values in batches of 20,
/// concurrently.
///
/// # Errors
/// Unreachable, refused, or a binary secret.
pub fn read_prefix(prefix: &str) -> Result<Values, ManagerError> {
    let (c, region) = sm_client(None)?;
    let names = list_prefix(&c, &region, prefix)?;
    let by_name: Arc<HashMap<String, String>> =
        Arc::new(names.iter().map(|(k, n)| (n.clone(), k.clone())).collect());
    let mut jobs: Vec<Job<Batch>> = Vec::new();
    for chunk in names.chunks(20) {
        let ids: Vec<String> = chunk.iter().map(|(_, n)| n.clone()).collect();
        let (c, region, by_name, prefix) = (
            c.clone(),
            region.clone(),
            by_name.clone(),
            prefix.to_owned(),
        );
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            let out = match rt.block_on(
                c.batch_get_secret_value()
                    .set_secret_id_list(Some(ids.clone()))
                    .send(),
            ) {
                Ok(out) => out,
                // Some servers fail the whole batch for one secret without a value:
                // ask for each of them.
                Err(e) if code_of(&e) == Some("ResourceNotFoundException") => {
                    return one_by_one(&c, &region, &prefix, &ids, &by_name);
                }
                Err(e) => {
                    return Err(classify(
                        &e,
                        Api::SecretsManager,
                        &region,
                        &format!("reading aws-sm-prefix:{prefix}"),
                    ))
                }
            };
            // A secret without a current value (all versions gone) holds no key.
            if let Some(err) = out
                .errors()
                .iter()
                .find(|e| e.error_code() != Some("ResourceNotFoundException"))
            {
                let key = err
                    .secret_id()
                    .and_then(|n| by_name.get(n))
                    .map_or("a key", String::as_str);
                let code = err.error_code().unwrap_or("error");
                let text = format!(
                    "AWS Secrets Manager {} refused reading {key} of aws-sm-prefix:{prefix}: {code}",
                    Api::SecretsManager.endpoint(&region)
                );
                return Err(if code.contains("AccessDenied") {
                    ManagerError::Refused(text)
                } else {
                    ManagerError::Invalid(text)
                });
            }
            let mut got = Vec::new();
            for s in out.secret_values.unwrap_or_default() {
                let Some(key) = s.name.as_ref().and_then(|n| by_name.get(n)) else {
                    continue;
                };
                match s.secret_string {
                    Some(v) => got.push((key.clone(), Zeroizing::new(v))),
                    None => {
                        return Err(ManagerError::Invalid(format!(
                            "aws-sm-prefix:{prefix}: {key} is a binary secret, not a text value"
                        )))
                    }
                }
            }
            Ok(got)
        }));
    }
    collect_reads(remote::run_all(jobs), &format!("aws-sm-prefix:{prefix}"))
}

/// Reads secrets one `GetSecretValue` at a time (a secret without a value is skipped).
fn one_by_one(
    c: &aws_sdk_secretsmanager::Client,
    region: &str,
    prefix: &str,
    ids: &[String],
    by_name: &HashMap<String, String>,
) -> Result<Vec<(String, Zeroizing<String>)>, ManagerError> {
    let rt = remote::runtime_or_unavailable()?;
    let mut got = Vec::new();
    for id in ids {
        let Some(key) = by_name.get(id) else { continue };
        match rt.block_on(c.get_secret_value().secret_id(id).send()) {
            Ok(out) => match out.secret_string {
                Some(v) => got.push((key.clone(), Zeroizing::new(v))),
                None => {
                    return Err(ManagerError::Invalid(format!(
                        "aws-sm-prefix:{prefix}: {key} is a binary secret, not a text value"
                    )))
                }
            },
            Err(e) if code_of(&e) == Some("ResourceNotFoundException") => {}
            Err(e) => {
                return Err(classify(
                    &e,
                    Api::SecretsManager,
                    region,
                    &format!("reading {key} of aws-sm-prefix:{prefix}"),
                ))
            }
        }
    }
    Ok(got)
}

/// Writes changed keys (one new version each) and deletes pruned ones (recoverable
/// for the account's window), concurrently.
///
/// # Errors
/// The worst failure, with the keys written before it.
pub fn write_prefix(
    prefix: &str,
    puts: Vec<(String, Zeroizing<String>)>,
    deletes: &[String],
    current: &Values,
) -> Result<(), WriteFailure> {
    if let Some((k, _)) = puts.iter().find(|(_, v)| v.is_empty()) {
        return Err(WriteFailure {
            written: Vec::new(),
            error: ManagerError::Invalid(format!(
                "{k} is empty, and a Secrets Manager secret cannot hold an empty value; give it a value, leave it out, or use aws-sm: (one JSON secret)"
            )),
        });
    }
    let (c, region) = sm_client(None).map_err(|error| WriteFailure {
        written: Vec::new(),
        error,
    })?;
    let mut keys = Vec::new();
    let mut jobs: Vec<Job<Result<(), ManagerError>>> = Vec::new();
    for (k, v) in puts {
        let (c, region) = (c.clone(), region.clone());
        let name = format!("{prefix}{k}");
        let exists = current.get(&k).is_some();
        let doing = format!("writing {k} to aws-sm-prefix:{prefix}");
        keys.push(k);
        jobs.push(Box::new(move || {
            if exists {
                put_or_create(&c, &region, &name, &v, &doing)
            } else {
                let rt = remote::runtime_or_unavailable()?;
                match rt.block_on(
                    c.create_secret()
                        .name(&name)
                        .secret_string(v.as_str())
                        .send(),
                ) {
                    Ok(_) => Ok(()),
                    Err(e)
                        if matches!(
                            code_of(&e),
                            Some("ResourceExistsException" | "InvalidRequestException")
                        ) =>
                    {
                        // Not listed but there: scheduled for deletion by an earlier
                        // --prune. Bring it back, then give it the new value.
                        let _ = rt.block_on(c.restore_secret().secret_id(&name).send());
                        put_or_create(&c, &region, &name, &v, &doing)
                    }
                    Err(e) => Err(classify(&e, Api::SecretsManager, &region, &doing)),
                }
            }
        }));
    }
    for k in deletes {
        let (c, region) = (c.clone(), region.clone());
        let name = format!("{prefix}{k}");
        let doing = format!("deleting {k} from aws-sm-prefix:{prefix}");
        keys.push(k.clone());
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            match rt.block_on(c.delete_secret().secret_id(&name).send()) {
                Ok(_) => Ok(()),
                Err(e) if code_of(&e) == Some("ResourceNotFoundException") => Ok(()),
                Err(e) => Err(classify(&e, Api::SecretsManager, &region, &doing)),
            }
        }));
    }
    collect_writes(
        keys,
        remote::run_all(jobs),
        &format!("aws-sm-prefix:{prefix}"),
    )
}

/// Reads the SecureString (and String) parameters directly under `path`: the names
/// from `DescribeParameters` (50 a page), the values decrypted in batches of 10,
/// concurrently.
///
/// # Errors
/// Unreachable or refused.
pub fn read_ssm(path: &str) -> Result<Values, ManagerError> {
    let (c, region) = ssm_client()?;
    let rt = remote::runtime_or_unavailable()?;
    let what = format!("aws-ssm:{path}");
    let mut names: Vec<String> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let filter = aws_sdk_ssm::types::ParameterStringFilter::builder()
            .key("Path")
            .option("OneLevel")
            .values(if path == "/" {
                "/"
            } else {
                path.trim_end_matches('/')
            })
            .build()
            .map_err(|e| ManagerError::Invalid(format!("{what}: {e}")))?;
        let page = rt
            .block_on(
                c.describe_parameters()
                    .parameter_filters(filter)
                    .max_results(50)
                    .set_next_token(token.take())
                    .send(),
            )
            .map_err(|e| classify(&e, Api::Ssm, &region, &format!("listing {what}")))?;
        for p in page.parameters() {
            if let Some(n) = p.name() {
                if n.strip_prefix(path)
                    .is_some_and(|k| !k.is_empty() && !k.contains('/'))
                {
                    names.push(n.to_owned());
                }
            }
        }
        match page.next_token {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => break,
        }
    }
    let mut batches: Vec<Job<Batch>> = Vec::new();
    for chunk in names.chunks(10) {
        let (c, region, what, path) = (c.clone(), region.clone(), what.clone(), path.to_owned());
        let chunk = chunk.to_vec();
        batches.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            let out = rt
                .block_on(
                    c.get_parameters()
                        .set_names(Some(chunk.clone()))
                        .with_decryption(true)
                        .send(),
                )
                .map_err(|e| {
                    let keys: Vec<&str> =
                        chunk.iter().filter_map(|n| n.strip_prefix(&path)).collect();
                    classify(
                        &e,
                        Api::Ssm,
                        &region,
                        &format!("reading {} of {what}", keys.join(", ")),
                    )
                })?;
            let mut got = Vec::new();
            for p in out.parameters.unwrap_or_default() {
                if let (Some(n), Some(v)) = (p.name, p.value) {
                    if let Some(k) = n.strip_prefix(&path) {
                        got.push((k.to_owned(), Zeroizing::new(v)));
                    }
                }
            }
            Ok(got)
        }));
    }
    collect_reads(remote::run_all(batches), &what)
}

/// Writes changed keys as SecureString parameters (a new version each) and deletes
/// pruned ones, concurrently.
///
/// # Errors
/// An empty value (SSM cannot hold one), or the worst failure with the keys written
/// before it.
pub fn write_ssm(
    path: &str,
    kms_key: Option<&str>,
    puts: Vec<(String, Zeroizing<String>)>,
    deletes: &[String],
) -> Result<(), WriteFailure> {
    if let Some((k, _)) = puts.iter().find(|(_, v)| v.is_empty()) {
        return Err(WriteFailure {
            written: Vec::new(),
            error: ManagerError::Invalid(format!(
                "{k} is empty, and SSM parameters cannot be empty; give it a value or leave it out of the environment"
            )),
        });
    }
    let (c, region) = ssm_client().map_err(|error| WriteFailure {
        written: Vec::new(),
        error,
    })?;
    let mut keys = Vec::new();
    let mut jobs: Vec<Job<Result<(), ManagerError>>> = Vec::new();
    for (k, v) in puts {
        let (c, region) = (c.clone(), region.clone());
        let name = format!("{path}{k}");
        let doing = format!("writing {k} to aws-ssm:{path}");
        let kms = kms_key.map(str::to_owned);
        keys.push(k);
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            rt.block_on(
                c.put_parameter()
                    .name(&name)
                    .value(v.as_str())
                    .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
                    .overwrite(true)
                    .set_key_id(kms)
                    .send(),
            )
            .map(|_| ())
            .map_err(|e| classify(&e, Api::Ssm, &region, &doing))
        }));
    }
    for k in deletes {
        let (c, region) = (c.clone(), region.clone());
        let name = format!("{path}{k}");
        let doing = format!("deleting {k} from aws-ssm:{path}");
        keys.push(k.clone());
        jobs.push(Box::new(move || {
            let rt = remote::runtime_or_unavailable()?;
            match rt.block_on(c.delete_parameter().name(&name).send()) {
                Ok(_) => Ok(()),
                Err(e) if code_of(&e) == Some("ParameterNotFound") => Ok(()),
                Err(e) => Err(classify(&e, Api::Ssm, &region, &doing)),
            }
        }));
    }
    collect_writes(keys, remote::run_all(jobs), &format!("aws-ssm:{path}"))
}

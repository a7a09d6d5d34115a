//! AWS KMS master keys through the official SDK: `Encrypt`/`Decrypt` of the raw data
//! key with the key's encryption context, `enc` = standard base64 of the ciphertext
//! blob. Credentials come from the SDK's standard chain (environment, profile, SSO, web
//! identity, IMDS), optionally through an assumed role (`ARN+ROLE_ARN`); the region
//! comes from the ARN; `AWS_ENDPOINT_URL_KMS`/`AWS_ENDPOINT_URL` are honoured.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use aws_sdk_kms::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_kms::primitives::Blob;
use base64::Engine as _;
use zeroize::Zeroizing;

use super::remote::{self, RemoteError};
use super::{Recipient, RecipientError};
use crate::sops::MasterKey;
use crate::store::Value;

/// One KMS key as a recipient.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KmsKey {
    /// Key or alias ARN.
    pub arn: String,
    /// Role to assume first.
    pub role: Option<String>,
    /// Encryption context.
    pub context: BTreeMap<String, String>,
    /// Shared-config profile ("" = default chain).
    pub profile: String,
}

fn arn_region(arn: &str) -> Option<String> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r"^arn:aws[\w-]*:kms:(.+):[0-9]+:(key|alias)/.+$").ok())
        .as_ref()?;
    re.captures(arn)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_owned())
}

impl KmsKey {
    /// Parses `ARN` or `ARN+ROLE_ARN` (sops' syntax).
    ///
    /// # Errors
    /// Not a KMS key or alias ARN.
    pub fn parse(
        s: &str,
        context: BTreeMap<String, String>,
        profile: &str,
    ) -> Result<Self, RecipientError> {
        let s = s.trim();
        let (arn, role) = match s.split_once('+') {
            Some((a, r)) => (a.trim(), Some(r.trim().to_owned())),
            None => (s, None),
        };
        if arn_region(arn).is_none() {
            return Err(RecipientError::Invalid(format!(
                "'{arn}' is not an AWS KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID or …:alias/NAME)"
            )));
        }
        if let Some(r) = &role {
            if !r.starts_with("arn:aws") || !r.contains(":role/") {
                return Err(RecipientError::Invalid(format!(
                    "'{r}' after '+' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
                )));
            }
        }
        Ok(Self {
            arn: arn.to_owned(),
            role,
            context,
            profile: profile.to_owned(),
        })
    }

    fn region(&self) -> String {
        arn_region(&self.arn).unwrap_or_default()
    }

    fn endpoint(&self) -> String {
        std::env::var("AWS_ENDPOINT_URL_KMS")
            .or_else(|_| std::env::var("AWS_ENDPOINT_URL"))
            .map(|u| remote::origin(&u))
            .unwrap_or_else(|_| format!("https://kms.{}.amazonaws.com", self.region()))
    }

    fn context_map(&self) -> Option<HashMap<String, String>> {
        (!self.context.is_empty()).then(|| {
            self.context
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
    }

    fn client(&self) -> Result<aws_sdk_kms::Client, RemoteError> {
        // One client (credential chain, connection pool) per region, profile and role,
        // built once even when many requests start together.
        type Cell = std::sync::Arc<OnceLock<aws_sdk_kms::Client>>;
        type Id = (String, String, Option<String>);
        static CLIENTS: OnceLock<Mutex<HashMap<Id, Cell>>> = OnceLock::new();
        let id = (self.region(), self.profile.clone(), self.role.clone());
        let cell: Cell = {
            let mut m = CLIENTS
                .get_or_init(|| Mutex::new(HashMap::new()))
                .lock()
                .map_err(|_| RemoteError::Unavailable("internal lock poisoned".to_owned()))?;
            m.entry(id).or_default().clone()
        };
        if let Some(c) = cell.get() {
            return Ok(c.clone());
        }
        let rt = remote::runtime().ok_or_else(|| {
            RemoteError::Unavailable("cannot start the async runtime for AWS".to_owned())
        })?;
        Ok(cell.get_or_init(|| self.build_client(rt)).clone())
    }

    fn build_client(&self, rt: &tokio::runtime::Runtime) -> aws_sdk_kms::Client {
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
                .region(aws_config::Region::new(self.region()))
                .http_client(http)
                .timeout_config(timeouts)
                .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2));
            if !self.profile.is_empty() {
                loader = loader.profile_name(&self.profile);
            }
            let conf = loader.load().await;
            let mut kms = aws_sdk_kms::config::Builder::from(&conf);
            if let Some(role) = &self.role {
                let host = crate::audit::hostname();
                let provider = aws_config::sts::AssumeRoleProvider::builder(role.clone())
                    .session_name(format!("sops@{host}"))
                    .configure(&conf)
                    .build()
                    .await;
                kms = kms.credentials_provider(provider);
            }
            aws_sdk_kms::Client::from_conf(kms.build())
        })
    }

    /// Maps an SDK error: refusals fall through to the next key, the rest exit 5.
    fn classify<E, R>(&self, e: &SdkError<E, R>) -> RemoteError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let hint = "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or run `aws sso login`), and AWS_ENDPOINT_URL_KMS for a non-default endpoint";
        match e {
            SdkError::ServiceError(se) => {
                let err = se.err();
                let code = err.code().unwrap_or("error");
                let msg: String = err
                    .message()
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect();
                let text = format!(
                    "AWS KMS {} refused key {}: {code}: {msg}",
                    self.endpoint(),
                    self.arn
                );
                match code {
                    "ExpiredTokenException"
                    | "ExpiredToken"
                    | "UnrecognizedClientException"
                    | "InvalidClientTokenId"
                    | "InvalidSignatureException"
                    | "MissingAuthenticationToken"
                    | "IncompleteSignature" => RemoteError::Unavailable(format!("{text}; {hint}")),
                    _ => RemoteError::Refused(text),
                }
            }
            other => {
                let detail = aws_sdk_kms::error::DisplayErrorContext(other).to_string();
                let detail: String = detail.chars().take(300).collect();
                RemoteError::Unavailable(format!(
                    "AWS KMS {} (key {}): {detail}; {hint}",
                    self.endpoint(),
                    self.arn
                ))
            }
        }
    }
}

impl Recipient for KmsKey {
    fn id(&self) -> &str {
        &self.arn
    }

    fn kind(&self) -> &'static str {
        KIND
    }

    fn wrap(&self, key: &[u8]) -> Result<MasterKey, RecipientError> {
        let client = self
            .client()
            .map_err(|e| RecipientError::Backend(e.to_string()))?;
        let rt =
            remote::runtime_or_unavailable().map_err(|e| RecipientError::Backend(e.to_string()))?;
        let out = rt
            .block_on(
                client
                    .encrypt()
                    .key_id(&self.arn)
                    .plaintext(Blob::new(key))
                    .set_encryption_context(self.context_map())
                    .send(),
            )
            .map_err(|e| RecipientError::Backend(self.classify(&e).to_string()))?;
        let blob = out.ciphertext_blob().ok_or_else(|| {
            RecipientError::Backend(format!("AWS KMS returned no ciphertext for {}", self.arn))
        })?;
        let enc = base64::engine::general_purpose::STANDARD.encode(blob.as_ref());
        let mut fields = vec![("arn".to_owned(), Value::Str(self.arn.clone()))];
        if let Some(r) = &self.role {
            fields.push(("role".to_owned(), Value::Str(r.clone())));
        }
        if !self.context.is_empty() {
            fields.push((
                "context".to_owned(),
                Value::Map(
                    self.context
                        .iter()
                        .map(|(k, v)| (k.clone(), Value::Str(v.clone())))
                        .collect(),
                ),
            ));
        }
        fields.push((
            "created_at".to_owned(),
            Value::Str(crate::sops::metadata::created_at()),
        ));
        fields.push(("enc".to_owned(), Value::Str(enc)));
        fields.push(("aws_profile".to_owned(), Value::Str(self.profile.clone())));
        Ok(MasterKey {
            kind: KIND.to_owned(),
            fields,
        })
    }
}

/// The stanza kind of AWS KMS keys.
pub const KIND: &str = "kms";

impl KmsKey {
    /// The key a `kms` stanza was written for.
    ///
    /// # Errors
    /// A missing `arn`.
    pub fn from_stanza(k: &MasterKey) -> Result<Self, RecipientError> {
        let context = match k.fields.iter().find(|(n, _)| n == "context") {
            Some((_, Value::Map(m))) => m
                .iter()
                .filter_map(|(a, b)| b.as_str().map(|b| (a.clone(), b.to_owned())))
                .collect(),
            _ => std::collections::BTreeMap::new(),
        };
        Ok(KmsKey {
            arn: super::need(k, "arn")?,
            role: k.field("role").filter(|r| !r.is_empty()).map(str::to_owned),
            context,
            profile: k.field("aws_profile").unwrap_or_default().to_owned(),
        })
    }
}

/// Asks KMS for the key in a `kms` stanza (called on the remote pool).
pub(crate) fn decrypt(stanza: &MasterKey) -> Result<Zeroizing<Vec<u8>>, RemoteError> {
    let key = KmsKey::from_stanza(stanza)
        .map_err(|_| RemoteError::Refused("kms stanza without arn".to_owned()))?;
    let blob = stanza
        .field("enc")
        .and_then(|e| {
            base64::engine::general_purpose::STANDARD
                .decode(e.trim())
                .ok()
        })
        .ok_or_else(|| {
            RemoteError::Refused(format!("kms stanza for {} has no valid enc", key.arn))
        })?;
    let client = key.client()?;
    let rt = remote::runtime_or_unavailable()?;
    let out = rt
        .block_on(
            client
                .decrypt()
                .key_id(&key.arn)
                .ciphertext_blob(Blob::new(blob))
                .set_encryption_context(key.context_map())
                .send(),
        )
        .map_err(|e| key.classify(&e))?;
    let plain = out.plaintext().ok_or_else(|| {
        RemoteError::Refused(format!("AWS KMS returned no plaintext for {}", key.arn))
    })?;
    Ok(Zeroizing::new(plain.as_ref().to_vec()))
}

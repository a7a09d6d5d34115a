//! What is not a leak although a rule matched: placeholders, references to other
//! variables or files, keys that name a secret without holding one, and lines marked
//! `sealbox:allow`/`gitleaks:allow` or holding sops `ENC[…]` values.

use super::decode;
use super::rules::Filter;

pub(super) const PLACEHOLDERS: &[&str] = &[
    "example",
    "xxxx",
    "changeme",
    "change_me",
    "placeholder",
    "your_",
    "your-",
    "${",
    "{{",
    "process.env",
    "os.environ",
    "dummy",
    "redacted",
    "[masked]",
    "[filtered]",
    "*****",
    "fake",
    "sample",
    "test1234",
    "password123",
    "env(",
    // Templates' fill-ins: wp-config-sample.php, "password_here".
    "unique phrase",
    "_here",
    // The jwt.io sample token's payload (sub 1234567890, name John Doe).
    "eyjzdwiioiixmjm0nty3odkwiiwibmftzsi6ikpvag4grg9li",
    // The Stripe test key Stripe's documentation shows to everyone.
    "4ec39hqlyjwdarjtt1zdp7dc",
];

pub(super) fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    PLACEHOLDERS.iter().any(|p| lower.contains(p))
        || lower
            .find('<')
            .is_some_and(|i| lower.get(i..).is_some_and(|rest| rest.contains('>')))
        || secret
            .chars()
            .collect::<std::collections::HashSet<_>>()
            .len()
            <= 2
}

/// The most lines a rule may see (`lines` in a rule).
pub(super) const MAX_RULE_LINES: usize = 3;

/// Key-name endings that name something other than a secret (`*_url`, `secret_name`).
#[rustfmt::skip]
pub(super) const NOT_SECRET_KEYS: &[&str] = &[
    "url", "uri", "name", "path", "file", "dir", "host", "endpoint", "type", "version",
    "length", "len", "ttl", "expiry", "expires", "timeout", "count", "size", "header",
    "field", "prefix", "format", "mode", "arn", "ref", "env", "var", "namespace", "label",
    "policy", "provider", "store", "mount", "engine", "id", "ids", "secretref", "hash",
    "digest", "checksum", "hint", "data",
];

/// The key an assignment names: the last identifier before the value.
pub(super) fn key_of<'a>(whole: &'a str, secret: &str) -> &'a str {
    let before = whole.find(secret).map_or(whole, |i| &whole[..i]);
    before
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .rfind(|t| t.chars().any(char::is_alphabetic))
        .unwrap_or("")
}

/// Values that refer to a secret instead of holding one: URLs without credentials,
/// `vault:`/`ref+` references and store paths, dotted code references, UUIDs, and
/// names made of lowercase words (`payments-db-credentials`).
pub(super) fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if let Some((_, rest)) = lower.split_once("://") {
        let authority = rest.split('/').next().unwrap_or("");
        return !authority.contains('@');
    }
    if [
        "vault:", "ref+", "secret/", "secrets/", "arn:", "sm://", "op://", "awssm:", "gcpsm:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    let dotted = v.split('.').collect::<Vec<_>>();
    if dotted.len() >= 2
        && dotted.iter().all(|p| {
            p.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && dotted
            .iter()
            .any(|p| p.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    {
        return true;
    }
    // Image and store paths: lowercase host-ish segments joined by '/'
    // (`docker.io/library/app`, `ghcr.io/acme/api:1.2`, `…/api@sha256:…`).
    let v = v.split_once("@sha256:").map_or(v, |(image, _)| image);
    if v.contains('/')
        && v.split('/').count() >= 2
        && v.bytes().all(|b| {
            b.is_ascii_lowercase()
                || b.is_ascii_digit()
                || matches!(b, b'.' | b'-' | b'_' | b'/' | b':')
        })
        && v.split('/').all(|p| !p.is_empty())
    {
        return true;
    }
    let uuid = v.len() == 36
        && v.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if uuid {
        return true;
    }
    let parts: Vec<&str> = v.split(['-', '_', '.']).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p.chars().all(|c| c.is_ascii_lowercase())
                    || (p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit())))
        })
}

/// Whether a hit is noise under one of its rule's filters.
pub(super) fn filtered(filters: &[Filter], whole: &str, secret: &str) -> bool {
    filters.iter().any(|f| match f {
        Filter::Assignment => assignment_noise(whole, secret),
        Filter::DigestHex => secret.len() != 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
        Filter::Reference => is_variable(secret) || (is_reference(secret) && !is_uuid(secret)),
        Filter::Trivial => is_trivial(secret),
    })
}

/// A UUID: a reference for most assignments, an API key where a credential file says so
/// (Heroku's in `.netrc`).
fn is_uuid(v: &str) -> bool {
    v.len() == 36
        && v.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Default and filler values that templates and docs put where a password goes.
#[rustfmt::skip]
const TRIVIAL: &[&str] = &[
    "password", "passwd", "pass", "pwd", "secret", "admin", "root", "guest", "test", "user",
    "username", "postgres", "mysql", "letmein", "hunter2", "token", "none", "null", "nil",
    "true", "false", "yes", "no", "empty", "required", "optional", "string", "value", "pw",
    "development", "production", "default", "mypassword", "yourpassword", "secret123",
    "password1", "passw0rd", "p@ssw0rd", "qwerty", "abc123", "123456", "12345678", "1234",
    "foobar", "foo", "bar", "xxx", "anonymous", "login", "apikey", "api_key", "key",
    "test1234", "password123", "todo", "tbd", "fixme", "replaceme", "replace-me", "secret1",
    "mysecret", "mysecretpassword", "tiger", "scott", "sa", "pa55word", "tomcat", "manager",
];

/// Whether `secret` is a default or filler word rather than a chosen password.
pub(super) fn is_trivial(secret: &str) -> bool {
    let v = secret.trim_matches(|c| c == '"' || c == '\'' || c == '*');
    v.is_empty() || TRIVIAL.iter().any(|t| v.eq_ignore_ascii_case(t))
}

/// A variable's name or expansion rather than a value: `DB_PASSWORD`, `$PASS`, `%PASS%`,
/// `@@password`, `{password}`.
fn is_variable(secret: &str) -> bool {
    let env_name = secret.contains('_')
        && secret
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
    env_name
        || secret.starts_with('$')
        || secret.starts_with('%')
        || secret.starts_with("@@")
        || (secret.starts_with('{') && secret.ends_with('}'))
}

/// Whether an assignment rule's hit is a reference or a non-secret key.
fn assignment_noise(whole: &str, secret: &str) -> bool {
    if is_reference(secret) || decode::is_encoded_prose(secret) {
        return true;
    }
    // A URL whose password is a placeholder word (`postgres://user:password@host`).
    let lower = secret.to_ascii_lowercase();
    if lower.contains("://")
        && [":password@", ":pass@", ":secret@", ":changeme@", ":pwd@"]
            .iter()
            .any(|p| lower.contains(p))
    {
        return true;
    }
    // An environment variable's name (`os.getenv("DB_PASSWORD")`), not its value.
    if secret.contains('_')
        && secret
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return true;
    }
    // Subresource-integrity digests and DER public keys (RSA and P-256 SPKI headers).
    if ["sha256-", "sha384-", "sha512-", "sha1-"]
        .iter()
        .any(|p| lower.starts_with(p))
        || secret.starts_with("MIIBIjANBgkqhkiG9w0BAQEFAAOC")
        || secret.starts_with("MIICIjANBgkqhkiG9w0BAQEFAAOC")
        || secret.starts_with("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE")
    {
        return true;
    }
    // A short lowercase word (`development`) and Google OAuth client ids are not secret.
    if (secret.len() <= 12 && secret.bytes().all(|b| b.is_ascii_lowercase()))
        || lower.ends_with(".apps.googleusercontent.com")
    {
        return true;
    }
    // Stripe publishable keys are meant to be public.
    if secret.starts_with("pk_live_") || secret.starts_with("pk_test_") {
        return true;
    }
    let key = key_of(whole, secret).to_ascii_lowercase();
    let last = key.rsplit(['_', '-', '.']).next().unwrap_or(key.as_str());
    // camelCase: the last capitalised word (`secretName` → `name`).
    let camel = key_of(whole, secret)
        .rsplit(|c: char| c.is_ascii_uppercase())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ends = |w: &str| NOT_SECRET_KEYS.contains(&w);
    (ends(last) || (!camel.is_empty() && camel != key && ends(&camel)))
        && !["key", "secret", "token", "password"].contains(&last)
}

/// Lines no rule reports on: allow markers and sops-encrypted values.
pub(super) fn skip_line(line: &str) -> bool {
    line.contains("sealbox:allow")
        || line.contains("gitleaks:allow")
        || line.contains("ENC[AES256_GCM,")
}

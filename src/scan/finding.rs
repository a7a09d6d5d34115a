//! One finding: where, which rule, and the secret (wiped when dropped, redacted in
//! `Debug`), with the fingerprint `.sealboxignore` holds.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// One finding. `secret` is the plaintext secret: reports redact it unless asked.
#[derive(Clone)]
pub struct Finding {
    /// Rule id.
    pub rule_id: String,
    /// Rule description.
    pub description: String,
    /// File (or `<stdin>`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the secret.
    pub col: usize,
    /// The secret (wiped when the finding is dropped).
    pub secret: Zeroizing<String>,
    /// The whole line, trimmed (it holds the secret too).
    pub line_text: Zeroizing<String>,
    /// The rule's whole match (it holds the secret too).
    pub matched: Zeroizing<String>,
    /// The rule's tags.
    pub tags: Vec<String>,
    /// `sha256(rule_id:secret)`: stable when the line moves, new for a new secret.
    pub fingerprint: String,
    /// Entropy of the secret.
    pub entropy: f64,
    /// The commit that added it (history scans).
    pub commit: Option<crate::scan::sources::git::CommitInfo>,
    /// How bad a leak it is: [`Severity::Low`] for keys that only work in a provider's
    /// test mode. Still a finding (exit 1).
    pub severity: Severity,
}

/// How bad a leak a finding is. Reports show it (JSON `Severity`, SARIF `level`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A credential that reaches real data or money (the default).
    #[default]
    High,
    /// A documented test-mode key (Stripe `sk_test_`): no real data behind it, but it
    /// still should not be committed.
    Low,
}

impl Severity {
    /// `high` or `low`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Low => "low",
        }
    }
}

impl Finding {
    /// A finding about a whole file (a path rule, a listed file left unencrypted): line
    /// 1, no secret, the fingerprint taken over the path.
    #[must_use]
    pub fn for_file(rule_id: &str, description: &str, file: &str, tags: Vec<String>) -> Self {
        Self::at(rule_id, description, file, (1, 1), "", "", "", tags).with_fingerprint_of(file)
    }

    /// A finding of `secret` at `(line, col)` (1-based), with the line it is on and the
    /// rule's whole match; fingerprint and entropy come from the secret.
    #[allow(clippy::too_many_arguments)]
    #[must_use]
    pub fn at(
        rule_id: &str,
        description: &str,
        file: &str,
        (line, col): (usize, usize),
        secret: &str,
        line_text: &str,
        matched: &str,
        tags: Vec<String>,
    ) -> Self {
        Self {
            rule_id: rule_id.to_owned(),
            description: description.to_owned(),
            file: file.to_owned(),
            line,
            col,
            secret: Zeroizing::new(secret.to_owned()),
            line_text: Zeroizing::new(line_text.to_owned()),
            matched: Zeroizing::new(matched.to_owned()),
            tags,
            fingerprint: fingerprint(rule_id, secret),
            entropy: if secret.is_empty() {
                0.0
            } else {
                super::rules::entropy(secret)
            },
            commit: None,
            severity: Severity::High,
        }
    }

    fn with_fingerprint_of(mut self, what: &str) -> Self {
        self.fingerprint = fingerprint(&self.rule_id, what);
        self
    }
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Finding({} {}:{}:{} <redacted>)",
            self.rule_id, self.file, self.line, self.col
        )
    }
}

/// Fingerprint of a secret for a rule.
#[must_use]
pub fn fingerprint(rule_id: &str, secret: &str) -> String {
    hex::encode(Sha256::digest(format!("{rule_id}:{secret}").as_bytes()))
}

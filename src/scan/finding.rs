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
    pub commit: Option<crate::git::CommitInfo>,
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

//! Scanner reports: human (redacted unless `--show-secrets`) and JSON with gitleaks'
//! field names (secrets redacted with `--redact`). The only place findings are printed.

use std::fmt::Write as _;

use serde_json::json;

use super::Finding;

fn redact(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}…")
}

/// One line per finding: `path:line:col: rule: description: secret`.
#[must_use]
pub fn human(findings: &[Finding], show_secrets: bool) -> String {
    let mut out = String::new();
    for f in findings {
        let secret = if show_secrets {
            f.secret.clone()
        } else {
            redact(&f.secret)
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {} [{}] (fingerprint {}; allow with `sealbox:allow` on the line or add it to .sealboxignore)",
            f.file,
            f.line,
            f.col,
            f.rule_id,
            f.description,
            secret,
            &f.fingerprint[..16.min(f.fingerprint.len())]
        );
    }
    out
}

/// A JSON array in gitleaks' report shape.
#[must_use]
pub fn json(findings: &[Finding], redact_secrets: bool) -> String {
    let items: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let (secret, matched) = if redact_secrets {
                (
                    "REDACTED".to_owned(),
                    f.line_text.replace(&f.secret, "REDACTED"),
                )
            } else {
                (f.secret.clone(), f.line_text.clone())
            };
            json!({
                "RuleID": f.rule_id,
                "Description": f.description,
                "File": f.file,
                "StartLine": f.line,
                "EndLine": f.line,
                "StartColumn": f.col,
                "EndColumn": f.col + f.secret.chars().count().saturating_sub(1),
                "Match": matched,
                "Secret": secret,
                "Entropy": f.entropy,
                "Fingerprint": f.fingerprint,
                "Commit": "",
                "Author": "",
                "Email": "",
                "Date": "",
                "Message": "",
                "Tags": [],
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

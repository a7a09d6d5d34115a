//! Scanner reports: human (redacted unless `--show-secrets`) and JSON with gitleaks'
//! field names (secrets redacted with `--redact`). The only place findings are printed.

use std::fmt::Write as _;

use serde_json::json;

use super::{Finding, Severity};

/// How many hex digits of a fingerprint the human report shows; `.sealboxignore`
/// accepts any prefix this long or longer.
pub const FINGERPRINT_SHOWN: usize = 16;

fn redact(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}…")
}

/// One line per finding: `path:line:col: rule: description [secret] (fingerprint; how to
/// allow it)`, with `(low severity)` after the rule for test-mode keys. History findings
/// (which carry a commit) say to add the fingerprint to `.sealboxignore`: a past commit
/// cannot take a `sealbox:allow` marker.
#[must_use]
pub fn human(findings: &[Finding], show_secrets: bool) -> String {
    let mut out = String::new();
    for f in findings {
        let secret = if show_secrets {
            f.secret.to_string()
        } else {
            redact(&f.secret)
        };
        let at = f.commit.as_ref().map_or(String::new(), |c| {
            format!(
                "{} ({} <{}>, {}): ",
                &c.id[..12.min(c.id.len())],
                c.author,
                c.email,
                c.date
            )
        });
        let severity = match f.severity {
            Severity::High => String::new(),
            low => format!(" ({} severity)", low.as_str()),
        };
        let fp = &f.fingerprint[..FINGERPRINT_SHOWN.min(f.fingerprint.len())];
        // A past commit cannot take a marker; staged and working-tree lines can.
        let hint = if f.commit.is_some() {
            format!("add `{fp}` to .sealboxignore")
        } else {
            format!("allow with `sealbox:allow` on the line or add `{fp}` to .sealboxignore")
        };
        let _ = writeln!(
            out,
            "{at}{}:{}:{}: {}{severity}: {} [{}] (fingerprint {fp}; {hint})",
            f.file, f.line, f.col, f.rule_id, f.description, secret,
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
                    f.matched.replace(f.secret.as_str(), "REDACTED"),
                )
            } else {
                (f.secret.to_string(), f.matched.to_string())
            };
            let c = f.commit.as_ref();
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
                "Commit": c.map_or("", |c| c.id.as_str()),
                "Author": c.map_or("", |c| c.author.as_str()),
                "Email": c.map_or("", |c| c.email.as_str()),
                "Date": c.map_or("", |c| c.date.as_str()),
                "Message": c.map_or("", |c| c.message.as_str()),
                "Tags": f.tags,
                "Severity": f.severity.as_str(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

fn secret_or_redacted(f: &Finding, redact_secrets: bool) -> String {
    if redact_secrets {
        "REDACTED".to_owned()
    } else {
        f.secret.to_string()
    }
}

/// SARIF 2.1.0, as code-scanning services accept it.
#[must_use]
pub fn sarif(findings: &[Finding], rules: Vec<(String, String)>, redact_secrets: bool) -> String {
    let mut used: Vec<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    let mut rule_list: Vec<serde_json::Value> = rules
        .iter()
        .filter(|(id, _)| used.contains(&id.as_str()))
        .map(|(id, d)| json!({"id": id, "name": id, "shortDescription": {"text": d}}))
        .collect();
    if used.contains(&"unencrypted-secret-file") {
        rule_list.push(json!({
            "id": "unencrypted-secret-file",
            "name": "unencrypted-secret-file",
            "shortDescription": {"text": "a file an environment lists is not encrypted"}
        }));
    }
    let results: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            let secret = secret_or_redacted(f, redact_secrets);
            json!({
                "ruleId": f.rule_id,
                "level": match f.severity {
                    Severity::High => "error",
                    Severity::Low => "note",
                },
                "message": {"text": format!("{}: {}", f.description, if secret.is_empty() { f.file.clone() } else { secret })},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file},
                        "region": {"startLine": f.line, "startColumn": f.col}
                    }
                }],
                "partialFingerprints": match &f.commit {
                    // History findings say where they came from, as gitleaks' SARIF does.
                    Some(c) => json!({
                        "sealbox/v1": f.fingerprint,
                        "commitSha": c.id,
                        "author": c.author,
                        "email": c.email,
                        "date": c.date,
                        "commitMessage": c.message,
                    }),
                    None => json!({"sealbox/v1": f.fingerprint}),
                },
                "properties": {"tags": f.tags, "severity": f.severity.as_str()}
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sealbox",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/sealbox/sealbox",
                "rules": rule_list
            }},
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// CSV with a header row.
#[must_use]
pub fn csv(findings: &[Finding], redact_secrets: bool) -> String {
    let mut out = String::from("RuleID,File,StartLine,StartColumn,Secret,Fingerprint\n");
    for f in findings {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(&f.rule_id),
            csv_field(&f.file),
            f.line,
            f.col,
            csv_field(&secret_or_redacted(f, redact_secrets)),
            f.fingerprint
        );
    }
    out
}

fn xml(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => " ".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// JUnit XML: one failing test case per finding (secrets never included).
#[must_use]
pub fn junit(findings: &[Finding]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"sealbox scan\" tests=\"{n}\" failures=\"{n}\">\n  <testsuite name=\"secrets\" tests=\"{n}\" failures=\"{n}\">",
        n = findings.len()
    );
    for f in findings {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}:{}:{} {}\">\n      <failure message=\"{}\" type=\"{}\">fingerprint {}</failure>\n    </testcase>",
            xml(&f.file),
            xml(&f.file),
            f.line,
            f.col,
            xml(&f.rule_id),
            xml(&f.description),
            xml(&f.rule_id),
            f.fingerprint
        );
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

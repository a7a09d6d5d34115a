//! The real sops files in ../shared/fixtures/sops: every age file decrypts to the
//! recorded values with the MAC verified; PGP and history files decrypt through gpg
//! (or at least parse and say gpg is needed); the tampered and MAC-less files fail.

use std::path::{Path, PathBuf};

use sealbox::identity::Identities;
use sealbox::sops::Sealed;
use sealbox::store::{Format, Value};
use serde_json::Value as Json;

use crate::harness::{self, code, Env};

/// (aad, value) of every non-null leaf and (aad, text) of every comment, in order.
fn leaves(
    v: &Value,
    path: &mut Vec<String>,
    out: &mut Vec<(String, Value)>,
    comments: &mut Vec<(String, String)>,
) {
    let aad = |p: &[String]| format!("{}:", p.join(":"));
    match v {
        Value::Map(m) => {
            for (k, v) in m {
                if let Value::Comment(c) = v {
                    comments.push((aad(path), c.clone()));
                    continue;
                }
                path.push(k.clone());
                leaves(v, path, out, comments);
                path.pop();
            }
        }
        Value::Seq(s) => {
            for v in s {
                if let Value::Comment(c) = v {
                    comments.push((aad(path), c.clone()));
                } else {
                    leaves(v, path, out, comments);
                }
            }
        }
        Value::Null => {}
        other => out.push((aad(path), other.duplicate())),
    }
}

fn same(v: &Value, j: &Json) -> bool {
    match (v, j) {
        (Value::Str(s), Json::String(t)) => s == t,
        (Value::Bool(a), Json::Bool(b)) => a == b,
        (Value::Int(i), Json::Number(n)) => n.as_f64() == Some(*i as f64),
        (Value::Float(f), Json::Number(n)) => n.as_f64() == Some(*f),
        _ => false,
    }
}

fn check_against_expected(file: &Path, expected: &Path, ids: &Identities) {
    let bytes = std::fs::read(file).unwrap();
    let format = Format::from_path(file);
    let sealed = Sealed::from_tree(format, format.parse_encrypted(&bytes).unwrap()).unwrap();
    let key = sealbox::recipients::unwrap_data_key(&sealed.meta, ids)
        .unwrap_or_else(|_| panic!("{}: no identity unwrapped the key", file.display()));
    let opened = sealed
        .open(&key, false)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    // Comments stored in clear (sops < 3.0) are not in the expected list.
    let mut sealed_comments = Vec::new();
    for doc in &sealed.tree.docs {
        leaves(doc, &mut Vec::new(), &mut Vec::new(), &mut sealed_comments);
    }
    let mut got = Vec::new();
    let mut comments = Vec::new();
    for doc in &opened.tree.docs {
        leaves(doc, &mut Vec::new(), &mut got, &mut comments);
    }
    let exp: Json = serde_json::from_str(&std::fs::read_to_string(expected).unwrap()).unwrap();
    let values = exp["values"].as_array().unwrap();
    assert_eq!(
        got.len(),
        values.len(),
        "{}: number of values",
        file.display()
    );
    for ((aad, v), e) in got.iter().zip(values) {
        assert_eq!(aad, e["aad"].as_str().unwrap(), "{}: AAD", file.display());
        assert!(
            same(v, &e["value"]),
            "{}: value at {aad} differs",
            file.display()
        );
    }
    let exp_comments = exp["comments"].as_array().cloned().unwrap_or_default();
    let got_comments: Vec<_> = comments
        .iter()
        .zip(&sealed_comments)
        .filter(|(_, (_, raw))| raw.starts_with("ENC["))
        .map(|((a, t), _)| (a.clone(), t.trim().to_owned()))
        .collect();
    let want: Vec<_> = exp_comments
        .iter()
        .map(|c| {
            (
                c["aad"].as_str().unwrap().to_owned(),
                c["text"].as_str().unwrap().trim().to_owned(),
            )
        })
        .collect();
    assert_eq!(got_comments, want, "{}: comments", file.display());
}

#[test]
fn age_fixtures_decrypt_to_recorded_values_with_mac() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let ids = Identities::discover(&[fx.join("keys/age-keys.txt")]);
    for name in ["example.yaml", "example.json", "example.ini", "example.txt"] {
        check_against_expected(
            &fx.join("age").join(name),
            &fx.join(format!("expected/age/{name}.values.json")),
            &ids,
        );
    }
}

#[test]
fn age_fixtures_decrypt_through_the_cli_with_each_identity_alone() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let env = Env::new();
    let keys = std::fs::read_to_string(fx.join("keys/age-keys.txt")).unwrap();
    let ids: Vec<&str> = keys
        .lines()
        .filter(|l| l.starts_with("AGE-SECRET-KEY-"))
        .collect();
    assert_eq!(ids.len(), 2);
    for id in ids {
        for name in ["example.yaml", "example.json", "example.ini", "example.txt"] {
            let o = env
                .cmd()
                .env("SOPS_AGE_KEY", id)
                .arg("decrypt")
                .arg(fx.join("age").join(name))
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
    }
}

fn gnupg_home(fx: &Path) -> Option<tempfile::TempDir> {
    let ok = std::process::Command::new("gpg")
        .arg("--version")
        .output()
        .is_ok();
    if !ok {
        eprintln!("skipping gpg decryption: gpg is not installed");
        return None;
    }
    let home = tempfile::tempdir().unwrap();
    let st = std::process::Command::new("gpg")
        .env("GNUPGHOME", home.path())
        .args(["--batch", "--quiet", "--import"])
        .arg(fx.join("keys/pgp-functional-tests-secret-keys.asc"))
        .output()
        .unwrap();
    assert!(st.status.success(), "gpg import failed");
    Some(home)
}

fn pgp_files(fx: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for dir in ["pgp", "history"] {
        for entry in std::fs::read_dir(fx.join(dir)).unwrap() {
            let p = entry.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let exp = fx.join(format!("expected/{dir}/{name}.values.json"));
            if exp.is_file() && name != "no_mac.yaml" {
                out.push((p, exp));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn pgp_and_history_fixtures_decrypt_through_gpg() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let files = pgp_files(&fx);
    assert!(files.len() >= 20, "expected the PGP and history fixtures");
    let Some(home) = gnupg_home(&fx) else { return };
    // The envelope code asks gpg through the environment; set it for this process.
    std::env::set_var("GNUPGHOME", home.path());
    let ids = Identities::default();
    for (file, exp) in files {
        check_against_expected(&file, &exp, &ids);
    }
}

#[test]
fn pgp_files_without_gpg_fail_clearly() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let env = Env::new();
    let o = env
        .cmd()
        .env("SOPS_GPG_EXEC", "/nonexistent/gpg")
        .arg("decrypt")
        .arg(fx.join("pgp/format.enc.yaml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 3, "{err}");
    assert!(
        err.contains("need gpg") || err.contains("needs gpg"),
        "{err}"
    );
    assert!(
        err.contains("pgp FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"),
        "{err}"
    );
}

#[test]
fn decrypt_output_matches_sops_bytes() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let Some(home) = gnupg_home(&fx) else { return };
    let env = Env::new();
    for name in [
        "format.enc.env",
        "format.enc.ini",
        "format-2.enc.ini",
        "format.enc.json",
        "format.enc.yaml",
    ] {
        let o = env
            .cmd()
            .env("GNUPGHOME", home.path())
            .arg("decrypt")
            .arg(fx.join("pgp").join(name))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let want = std::fs::read(fx.join(format!("expected/decrypt-output/{name}.out"))).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&want),
            "{name}"
        );
    }
}

#[test]
fn tampered_and_mac_less_fixtures_are_rejected() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    let Some(home) = gnupg_home(&fx) else { return };
    let env = Env::new();
    for name in [
        "history/example.v3.5.0.tampered-mac-mismatch.yaml",
        "pgp/no_mac.yaml",
    ] {
        let o = env
            .cmd()
            .env("GNUPGHOME", home.path())
            .arg("decrypt")
            .arg(fx.join(name))
            .output()
            .unwrap();
        assert_eq!(
            code(&o),
            4,
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "{name}: no plaintext on a MAC failure");
    }
}

#[test]
fn legacy_files_parse_and_name_their_keys() {
    let Some(fx) = harness::fixtures() else {
        return;
    };
    for name in [
        "config-test_resources-example.yaml",
        "ini-test_resources-example.json",
    ] {
        let p = fx.join("legacy-no-key").join(name);
        let bytes = std::fs::read(&p).unwrap();
        let format = Format::from_path(&p);
        let sealed = Sealed::from_tree(format, format.parse_encrypted(&bytes).unwrap()).unwrap();
        assert!(!sealed.meta.describe_keys().is_empty(), "{name}");
    }
}

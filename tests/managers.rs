//! Secrets managers (issue 16): push, pull, diff and `source =` environments against
//! the real OpenBao dev server (KV v1 and v2, a policy that denies) and the real moto
//! server (Secrets Manager, SSM Parameter Store). Values round-trip byte for byte
//! (multi-line, non-ASCII, quotes), only changed keys get new versions, drift and
//! prune work both ways, failures have the documented exit codes and never print a
//! value.

use std::collections::BTreeMap;
use std::process::Output;

use assert_cmd::Command;

use crate::harness::services::{self, VAULT_TOKEN};
use crate::harness::{assert_clean_failure, code, Env};

const CANARY: &str = "canary-7f3a9e1c0b5d";

/// The values every round trip carries (name, value).
fn values() -> Vec<(&'static str, String)> {
    vec![
        ("PLAIN", "plain-value".to_owned()),
        (
            "MULTI",
            "line one\nline two\n  indented\r\nlast\n".to_owned(),
        ),
        ("UNICODE", "héllo wörld ✓ 日本語 🚀".to_owned()),
        ("QUOTES", r#"it's "quoted" $HOME `tick` \back"#.to_owned()),
        ("EQUALS", "a=b=c #not a comment".to_owned()),
        ("SECRET", CANARY.to_owned()),
    ]
}

fn unique(tag: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{tag}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A project with a file environment `app` (synced to `sync`), an empty file
/// environment `copy`, and `extra` appended.
fn project(env: &Env, sync: &str, extra: &str) {
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.app]\nfiles = [\"secrets/app.env\"]\nage = [\"{r}\"]\nsync = \"{sync}\"\nallow_shared_recipients = true\n\n[environments.copy]\nfiles = [\"secrets/copy.env\"]\nage = [\"{r}\"]\nsync = \"{sync}\"\nallow_shared_recipients = true\n{extra}",
            r = env.recipient
        ),
    );
}

/// Fills `app` with [`values`] (through files, so any byte survives).
fn fill(env: &Env) {
    for (k, v) in values() {
        let f = env.write(&format!("in/{k}"), v.as_bytes());
        env.cmd_with_key()
            .args(["set", "app", k, "--from-file"])
            .arg(&f)
            .assert()
            .success();
    }
    std::fs::remove_dir_all(env.path("in")).unwrap();
}

struct Svc {
    vars: Vec<(&'static str, String)>,
}

impl Svc {
    fn vault(addr: &str) -> Self {
        Svc {
            vars: vec![
                ("VAULT_ADDR", addr.to_owned()),
                ("VAULT_TOKEN", VAULT_TOKEN.to_owned()),
            ],
        }
    }

    fn aws(url: &str) -> Self {
        Svc {
            vars: vec![
                ("AWS_ACCESS_KEY_ID", "test".to_owned()),
                ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
                ("AWS_REGION", "us-east-1".to_owned()),
                ("AWS_ENDPOINT_URL", url.to_owned()),
            ],
        }
    }

    fn cmd(&self, env: &Env) -> Command {
        let mut c = env.cmd_with_key();
        c.env_remove("AWS_PROFILE").env_remove("AWS_SESSION_TOKEN");
        for (k, v) in &self.vars {
            c.env(k, v);
        }
        c
    }

    /// Runs sealbox with `args`; asserts no canary in its output.
    fn run(&self, env: &Env, args: &[&str]) -> Output {
        let o = self.cmd(env).args(args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        if !["get", "export", "exec"].contains(&args[0]) {
            assert!(!all.contains(CANARY), "value printed by {args:?}: {all}");
            assert!(!all.contains("日本語"), "value printed by {args:?}: {all}");
        }
        assert!(!all.contains("panicked"), "{args:?}: {all}");
        o
    }

    #[track_caller]
    fn ok(&self, env: &Env, args: &[&str]) -> String {
        let o = self.run(env, args);
        assert!(
            o.status.success(),
            "{args:?} failed ({}): {}",
            code(&o),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }
}

/// The environment's values as `export --format json` gives them.
fn exported(svc: &Svc, env: &Env, name: &str) -> BTreeMap<String, String> {
    let out = svc.ok(env, &["export", "-e", name, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

fn expected() -> BTreeMap<String, String> {
    values()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// Status word of `key` in a push/pull summary.
fn status_of(summary: &str, key: &str) -> String {
    summary
        .lines()
        .find_map(|l| {
            let mut w = l.split_whitespace();
            let st = w.next()?;
            (w.next() == Some(key) && w.next().is_none()).then(|| st.to_owned())
        })
        .unwrap_or_else(|| panic!("{key} not in summary:\n{summary}"))
}

/// File → manager → file for one target; `stored` reads the manager's raw values.
fn round_trip(svc: &Svc, target: &str, stored: &dyn Fn() -> BTreeMap<String, String>) {
    let env = Env::new();
    project(&env, target, "");
    fill(&env);
    let d = svc.run(&env, &["diff", "-e", "app"]);
    assert_eq!(code(&d), 1, "drift before the first push");
    let s = svc.ok(&env, &["push", "-e", "app"]);
    for (k, _) in values() {
        assert_eq!(status_of(&s, k), "added");
    }
    assert_eq!(stored(), expected(), "what {target} holds");
    let s = svc.ok(&env, &["push", "-e", "app"]);
    assert_eq!(status_of(&s, "MULTI"), "unchanged");
    svc.ok(&env, &["diff", "-e", "app"]);
    // Pull into a new file: it gets the environment's recipients, same values.
    let s = svc.ok(&env, &["pull", "-e", "copy"]);
    assert_eq!(status_of(&s, "UNICODE"), "added");
    assert_eq!(exported(svc, &env, "copy"), expected());
    svc.ok(&env, &["diff", "-e", "copy"]);
    let raw = String::from_utf8_lossy(&env.read("secrets/copy.env")).into_owned();
    assert!(!raw.contains(CANARY) && raw.contains("ENC[AES256_GCM"));
}

#[test]
fn vault_kv2_round_trip_is_byte_identical() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = unique("app");
    let svc = Svc::vault(addr);
    round_trip(&svc, &format!("vault:secret/{path}"), &|| {
        let (s, v) = services::vault_call(
            addr,
            "GET",
            &format!("secret/data/{path}"),
            VAULT_TOKEN,
            None,
        );
        assert_eq!(s, 200);
        serde_json::from_value(v["data"]["data"].clone()).unwrap()
    });
}

#[test]
fn vault_kv1_round_trip_is_byte_identical() {
    let Some(addr) = services::vault() else {
        return;
    };
    services::vault_kv1(addr);
    let path = unique("team/app");
    let svc = Svc::vault(addr);
    round_trip(&svc, &format!("vault:kv/{path}"), &|| {
        let (s, v) = services::vault_call(addr, "GET", &format!("kv/{path}"), VAULT_TOKEN, None);
        assert_eq!(s, 200);
        serde_json::from_value(v["data"].clone()).unwrap()
    });
}

#[test]
fn aws_secrets_manager_json_round_trip() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let name = unique("app/");
    let svc = Svc::aws(url);
    round_trip(&svc, &format!("aws-sm:{name}"), &|| {
        let v = services::aws_call(
            url,
            "secretsmanager",
            "secretsmanager.GetSecretValue",
            &serde_json::json!({ "SecretId": name }),
        );
        serde_json::from_str(v["SecretString"].as_str().unwrap()).unwrap()
    });
}

#[test]
fn aws_secrets_manager_prefix_round_trip() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let prefix = format!("{}/", unique("svc"));
    let svc = Svc::aws(url);
    round_trip(&svc, &format!("aws-sm-prefix:{prefix}"), &|| {
        values()
            .into_iter()
            .map(|(k, _)| {
                let v = services::aws_call(
                    url,
                    "secretsmanager",
                    "secretsmanager.GetSecretValue",
                    &serde_json::json!({ "SecretId": format!("{prefix}{k}") }),
                );
                (k.to_owned(), v["SecretString"].as_str().unwrap().to_owned())
            })
            .collect()
    });
}

fn ssm_param(url: &str, name: &str) -> serde_json::Value {
    services::aws_call(
        url,
        "ssm",
        "AmazonSSM.GetParameter",
        &serde_json::json!({ "Name": name, "WithDecryption": true }),
    )["Parameter"]
        .clone()
}

#[test]
fn aws_ssm_round_trip_and_only_changed_keys_get_versions() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let path = format!("/{}/", unique("param"));
    let svc = Svc::aws(url);
    round_trip(&svc, &format!("aws-ssm:{path}"), &|| {
        values()
            .into_iter()
            .map(|(k, _)| {
                let p = ssm_param(url, &format!("{path}{k}"));
                assert_eq!(p["Type"], "SecureString");
                (k.to_owned(), p["Value"].as_str().unwrap().to_owned())
            })
            .collect()
    });
}

#[test]
fn push_writes_only_changed_keys() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let env = Env::new();
    let path = format!("/{}/", unique("ver"));
    project(&env, &format!("aws-ssm:{path}"), "");
    let svc = Svc::aws(url);
    env.set("app", "A", "one");
    env.set("app", "B", "two");
    svc.ok(&env, &["push", "-e", "app"]);
    env.set("app", "B", "two-changed");
    let s = svc.ok(&env, &["push", "-e", "app"]);
    assert_eq!(status_of(&s, "A"), "unchanged");
    assert_eq!(status_of(&s, "B"), "changed");
    assert_eq!(ssm_param(url, &format!("{path}A"))["Version"], 1);
    assert_eq!(ssm_param(url, &format!("{path}B"))["Version"], 2);
    assert_eq!(ssm_param(url, &format!("{path}B"))["Value"], "two-changed");

    // Vault KV v2: an unchanged push makes no new version.
    let Some(addr) = services::vault() else {
        return;
    };
    let vpath = unique("ver");
    let env = Env::new();
    project(&env, &format!("vault:secret/{vpath}"), "");
    let svc = Svc::vault(addr);
    env.set("app", "A", "one");
    svc.ok(&env, &["push", "-e", "app"]);
    svc.ok(&env, &["push", "-e", "app"]);
    let version = || {
        let (_, v) = services::vault_call(
            addr,
            "GET",
            &format!("secret/metadata/{vpath}"),
            VAULT_TOKEN,
            None,
        );
        v["data"]["current_version"].as_u64().unwrap()
    };
    assert_eq!(version(), 1);
    env.set("app", "A", "uno");
    svc.ok(&env, &["push", "-e", "app", "--dry-run"]);
    assert_eq!(version(), 1, "--dry-run wrote");
    svc.ok(&env, &["push", "-e", "app"]);
    assert_eq!(version(), 2);
}

#[test]
fn diff_reports_drift_by_key_and_pull_keeps_unchanged_ciphertexts() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = unique("drift");
    let env = Env::new();
    project(&env, &format!("vault:secret/{path}"), "");
    let svc = Svc::vault(addr);
    fill(&env);
    svc.ok(&env, &["push", "-e", "app"]);
    // Someone changes the manager: one value changed, one added, one removed.
    let (_, v) = services::vault_call(
        addr,
        "GET",
        &format!("secret/data/{path}"),
        VAULT_TOKEN,
        None,
    );
    let mut data = v["data"]["data"].as_object().unwrap().clone();
    data.insert("PLAIN".into(), "rotated-in-vault".into());
    data.insert("NEW_ONE".into(), "fresh".into());
    data.remove("EQUALS");
    let body = serde_json::json!({ "data": data }).to_string();
    let (s, _) = services::vault_call(
        addr,
        "POST",
        &format!("secret/data/{path}"),
        VAULT_TOKEN,
        Some(&body),
    );
    assert!(s < 300);

    let o = svc.run(&env, &["diff", "-e", "app", "--format", "json"]);
    assert_eq!(code(&o), 1);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["in_sync"], false);
    assert_eq!(j["changed"], serde_json::json!(["PLAIN"]));
    assert_eq!(j["extra"], serde_json::json!(["NEW_ONE"]));
    assert_eq!(j["missing"], serde_json::json!(["EQUALS"]));
    let o = svc.run(&env, &["diff", "-e", "app"]);
    assert_eq!(code(&o), 1);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("changed  PLAIN")
            && text.contains("extra    NEW_ONE")
            && text.contains("missing  EQUALS"),
        "{text}"
    );
    assert!(!text.contains("rotated-in-vault"));

    // Pull without --prune: EQUALS stays; unchanged values keep their exact lines.
    let before = String::from_utf8(env.read("secrets/app.env")).unwrap();
    let dry = svc.ok(&env, &["pull", "-e", "app", "--dry-run"]);
    assert_eq!(status_of(&dry, "PLAIN"), "changed");
    assert_eq!(
        String::from_utf8(env.read("secrets/app.env")).unwrap(),
        before,
        "--dry-run wrote"
    );
    let s = svc.ok(&env, &["pull", "-e", "app"]);
    assert_eq!(status_of(&s, "PLAIN"), "changed");
    assert_eq!(status_of(&s, "NEW_ONE"), "added");
    assert_eq!(status_of(&s, "EQUALS"), "kept");
    let after = String::from_utf8(env.read("secrets/app.env")).unwrap();
    for key in ["MULTI", "UNICODE", "QUOTES", "SECRET", "EQUALS"] {
        let line = |t: &str| {
            t.lines()
                .find(|l| l.starts_with(&format!("{key}=")))
                .map(str::to_owned)
        };
        assert_eq!(line(&before), line(&after), "{key}'s ciphertext changed");
    }
    let plain_line = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("PLAIN="))
            .map(str::to_owned)
    };
    assert_ne!(plain_line(&before), plain_line(&after));
    let got = exported(&svc, &env, "app");
    assert_eq!(got["PLAIN"], "rotated-in-vault");
    assert_eq!(got["EQUALS"], "a=b=c #not a comment");
    // The manager still lacks EQUALS: push --prune would not remove it (the file has
    // it); pull --prune removes it from the file.
    let s = svc.ok(&env, &["pull", "-e", "app", "--prune"]);
    assert_eq!(status_of(&s, "EQUALS"), "removed");
    assert!(!exported(&svc, &env, "app").contains_key("EQUALS"));
    svc.ok(&env, &["diff", "-e", "app"]);
}

#[test]
fn push_prune_deletes_what_the_file_no_longer_has() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let prefix = format!("{}/", unique("prune"));
    let env = Env::new();
    project(&env, &format!("aws-sm-prefix:{prefix}"), "");
    let svc = Svc::aws(url);
    env.set("app", "KEEP", "k");
    env.set("app", "GONE", "g");
    svc.ok(&env, &["push", "-e", "app"]);
    env.cmd_with_key()
        .args(["unset", "app", "GONE"])
        .assert()
        .success();
    let s = svc.ok(&env, &["push", "-e", "app"]);
    assert_eq!(status_of(&s, "GONE"), "kept");
    let s = svc.ok(&env, &["push", "-e", "app", "--prune"]);
    assert_eq!(status_of(&s, "GONE"), "removed");
    svc.ok(&env, &["diff", "-e", "app"]);
    // A key pushed again after its prune comes back.
    env.set("app", "GONE", "back");
    svc.ok(&env, &["push", "-e", "app"]);
    svc.ok(&env, &["diff", "-e", "app"]);
}

#[test]
fn source_environments_run_from_the_manager() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = unique("shared");
    let env = Env::new();
    project(
        &env,
        &format!("vault:secret/{path}"),
        &format!("\n[environments.shared]\nsource = \"vault:secret/{path}\"\n"),
    );
    let svc = Svc::vault(addr);
    fill(&env);
    env.set("app", "ONLY_FILE", "from-file");
    svc.ok(&env, &["push", "-e", "app"]);
    env.set("app", "PLAIN", "file-wins");
    // get, export, exec from the manager.
    let v = svc.ok(&env, &["get", "shared", "MULTI"]);
    assert_eq!(v, "line one\nline two\n  indented\r\nlast\n");
    let mut want = expected();
    want.insert("ONLY_FILE".into(), "from-file".into());
    assert_eq!(exported(&svc, &env, "shared"), want);
    let out = svc.ok(
        &env,
        &[
            "exec",
            "-e",
            "shared",
            "--",
            "sh",
            "-c",
            "printf %s \"$UNICODE|$PLAIN|${VAULT_TOKEN:-scrubbed}\"",
        ],
    );
    assert_eq!(out, "héllo wörld ✓ 日本語 🚀|plain-value|scrubbed");
    // Merged with a file environment, later wins.
    let out = svc.ok(
        &env,
        &[
            "exec",
            "-e",
            "shared",
            "-e",
            "app",
            "--",
            "sh",
            "-c",
            "printf %s \"$PLAIN\"",
        ],
    );
    assert_eq!(out, "file-wins");
    let out = svc.ok(
        &env,
        &[
            "exec",
            "-e",
            "app",
            "-e",
            "shared",
            "--",
            "sh",
            "-c",
            "printf %s \"$PLAIN\"",
        ],
    );
    assert_eq!(out, "plain-value");
    // keys lists the manager's names.
    let names = svc.ok(&env, &["keys", "shared"]);
    assert!(
        names.lines().any(|l| l == "ONLY_FILE") && names.contains("MULTI"),
        "{names}"
    );
    // check --access names the manager; the audit log records the read, no values.
    let access = svc.ok(&env, &["check", "--access"]);
    assert!(
        access.contains(&format!("shared\tvault:secret/{path}")),
        "{access}"
    );
    let log = svc.ok(&env, &["audit", "log", "--env", "shared"]);
    assert!(
        log.contains("exec") && log.contains("vault:secret/"),
        "{log}"
    );
    assert!(!log.contains(CANARY));
    // A source environment has no file to write.
    let o = svc.run(&env, &["set", "shared", "X", "y"]);
    assert_clean_failure(&o, 2, "source", CANARY);
    let o = svc.run(
        &env,
        &[
            "pull",
            "-e",
            "shared",
            "--from",
            &format!("vault:secret/{path}"),
        ],
    );
    assert_clean_failure(&o, 2, "shared", CANARY);
    let o = svc.run(&env, &["get", "shared", "NOPE"]);
    assert_clean_failure(&o, 2, "NOPE", CANARY);
}

#[test]
fn vault_policy_that_denies_is_refused_with_exit_3() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = unique("deny");
    let env = Env::new();
    project(
        &env,
        &format!("vault:secret/{path}"),
        &format!("\n[environments.shared]\nsource = \"vault:secret/{path}\"\n"),
    );
    fill(&env);
    Svc::vault(addr).ok(&env, &["push", "-e", "app"]);
    let token = services::vault_token_with_policy(
        addr,
        &format!("deny-{path}"),
        &format!("path \"secret/data/{path}\" {{ capabilities = [\"deny\"] }}"),
    );
    let svc = Svc {
        vars: vec![("VAULT_ADDR", addr.to_owned()), ("VAULT_TOKEN", token)],
    };
    env.set("app", "PLAIN", "changed");
    for args in [
        &["push", "-e", "app"][..],
        &["diff", "-e", "app"],
        &["exec", "-e", "shared", "--", "true"],
        &["get", "shared", "PLAIN"],
    ] {
        let o = svc.run(&env, args);
        assert_clean_failure(&o, 3, &format!("vault:secret/{path}"), CANARY);
        assert!(String::from_utf8_lossy(&o.stderr).contains("403"));
    }
    // A failed pull leaves the file as it was.
    let before = env.read("secrets/app.env");
    let o = svc.run(&env, &["pull", "-e", "app"]);
    assert_clean_failure(&o, 3, "vault:secret/", CANARY);
    assert_eq!(env.read("secrets/app.env"), before);
    // Read allowed, write denied: the refusal names the keys it would have written.
    let token = services::vault_token_with_policy(
        addr,
        &format!("ro-{path}"),
        &format!("path \"secret/data/{path}\" {{ capabilities = [\"read\"] }}\npath \"sys/internal/ui/mounts/*\" {{ capabilities = [\"read\"] }}"),
    );
    let svc = Svc {
        vars: vec![("VAULT_ADDR", addr.to_owned()), ("VAULT_TOKEN", token)],
    };
    let o = svc.run(&env, &["push", "-e", "app"]);
    assert_clean_failure(&o, 3, "PLAIN", CANARY);
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing was written"));
}

#[test]
fn aws_partial_push_names_what_was_written() {
    let Some(url) = services::moto() else { return };
    let _g = services::kms_lock();
    let _ = ureq::post(&format!("{url}/moto-api/reset")).send_empty();
    let env = Env::new();
    project(&env, "aws-ssm:/", "");
    let svc = Svc::aws(url);
    env.set("app", "TOKEN", CANARY);
    // At the root, a parameter may not be named ssm…: that key fails, the others are
    // written, and the error says which.
    env.set("app", "GOOD_ONE", "1");
    env.set("app", "ssm_key", "2");
    let o = svc.run(&env, &["push", "-e", "app", "--to", "aws-ssm:/"]);
    assert_clean_failure(&o, 2, "ssm_key", CANARY);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("written before the failure: GOOD_ONE, TOKEN"),
        "{err}"
    );
    assert_eq!(ssm_param(url, "/GOOD_ONE")["Value"], "1");
    // SSM cannot hold an empty value: refused before anything is written.
    env.set("app", "EMPTY", "");
    let o = svc.run(&env, &["push", "-e", "app", "--to", "aws-ssm:/other/"]);
    assert_clean_failure(&o, 2, "EMPTY", CANARY);
    assert!(ssm_param(url, "/other/GOOD_ONE").is_null());
}

#[test]
fn dead_endpoints_exit_5_naming_the_variable() {
    let env = Env::new();
    project(&env, "vault:secret/app/x", "");
    env.set("app", "SECRET", CANARY);
    let dead = "http://127.0.0.1:1";
    let svc = Svc::vault(dead);
    for args in [
        &["push", "-e", "app"][..],
        &["diff", "-e", "app"],
        &["pull", "-e", "app"],
    ] {
        let o = svc.run(&env, args);
        assert_clean_failure(&o, 5, "VAULT_ADDR", CANARY);
    }
    let svc = Svc::aws(dead);
    for t in ["aws-sm:x", "aws-sm-prefix:x/", "aws-ssm:/x/"] {
        let o = svc.run(&env, &["push", "-e", "app", "--to", t]);
        assert_clean_failure(&o, 5, "AWS_ENDPOINT_URL", CANARY);
    }
    // No token at all: 5, naming VAULT_TOKEN.
    let o = env
        .cmd_with_key()
        .env("VAULT_ADDR", dead)
        .env_remove("VAULT_TOKEN")
        .env_remove("BAO_TOKEN")
        .args(["diff", "-e", "app"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 5, "VAULT_TOKEN", CANARY);
}

#[test]
fn bad_targets_and_configs_are_usage_errors() {
    let env = Env::new();
    project(&env, "vault:secret/app/x", "\n[environments.both]\nfiles = [\"b.env\"]\nsource = \"aws-sm:x\"\n\n[environments.nosync]\nfiles = [\"n.env\"]\nage = [\"age1x\"]\n");
    env.set("app", "SECRET", CANARY);
    for (args, name) in [
        (&["push", "-e", "app", "--to", "s3:bucket"][..], "s3:bucket"),
        (
            &["diff", "-e", "app", "--against", "vault:secret"],
            "vault:secret",
        ),
        (
            &["pull", "-e", "app", "--from", "aws-ssm:relative/"],
            "aws-ssm:relative/",
        ),
        (&["exec", "-e", "both", "--", "true"], "both"),
        (&["diff", "-e", "nosync"], "sync"),
        (&["push", "-e", "nope"], "nope"),
    ] {
        let o = env.cmd_with_key().args(args).output().unwrap();
        assert_clean_failure(&o, 2, name, CANARY);
    }
}

#[test]
fn pull_refuses_keys_a_dotenv_file_cannot_hold_and_writes_nothing() {
    let Some(addr) = services::vault() else {
        return;
    };
    let path = unique("badkey");
    let env = Env::new();
    project(&env, &format!("vault:secret/{path}"), "");
    env.set("app", "SECRET", CANARY);
    let before = env.read("secrets/app.env");
    let body = serde_json::json!({ "data": { "bad-name": "x", "GOOD": "y" } }).to_string();
    services::vault_call(
        addr,
        "POST",
        &format!("secret/data/{path}"),
        VAULT_TOKEN,
        Some(&body),
    );
    let svc = Svc::vault(addr);
    let o = svc.run(&env, &["pull", "-e", "app"]);
    assert_clean_failure(&o, 2, "bad-name", CANARY);
    assert_eq!(env.read("secrets/app.env"), before);
    // A nested value is not an environment value.
    let body = serde_json::json!({ "data": { "NESTED": {"a": 1} } }).to_string();
    services::vault_call(
        addr,
        "POST",
        &format!("secret/data/{path}"),
        VAULT_TOKEN,
        Some(&body),
    );
    let o = svc.run(&env, &["pull", "-e", "app"]);
    assert_clean_failure(&o, 2, "NESTED", CANARY);
    assert_eq!(env.read("secrets/app.env"), before);
}

impl Svc {
    fn gcp(url: &str) -> Self {
        Svc {
            vars: vec![
                ("GOOGLE_OAUTH_ACCESS_TOKEN", "fake-gcp-token".to_owned()),
                ("SEALBOX_GCP_SM_ENDPOINT", url.to_owned()),
            ],
        }
    }
}

/// What the fake's Secret Manager holds: secret name → versions (text).
fn gcp_store(url: &str) -> BTreeMap<String, Vec<String>> {
    let mut r = ureq::get(&format!("{url}/_gcp_secrets")).call().unwrap();
    serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap()
}

#[test]
fn gcp_secret_manager_json_round_trip() {
    let url = services::cloud_fake();
    let name = format!("projects/p1/secrets/{}", unique("app"));
    let svc = Svc::gcp(url);
    round_trip(&svc, &format!("gcp-sm:{name}"), &|| {
        let store = gcp_store(url);
        let versions = &store[&name];
        assert_eq!(versions.len(), 1, "one push, one version");
        serde_json::from_str(versions.last().unwrap()).unwrap()
    });
}

#[test]
fn gcp_secret_manager_prefix_round_trip_versions_prune_and_refusal() {
    let url = services::cloud_fake();
    let prefix = format!("{}_", unique("svc"));
    let svc = Svc::gcp(url);
    let target = format!("gcp-sm-prefix:projects/p1/{prefix}");
    round_trip(&svc, &target, &|| {
        let store = gcp_store(url);
        values()
            .into_iter()
            .map(|(k, _)| {
                let v = &store[&format!("projects/p1/secrets/{prefix}{k}")];
                (k.to_owned(), v.last().unwrap().clone())
            })
            .collect()
    });
    // Only changed keys get a version; --prune deletes.
    let env = Env::new();
    project(&env, &target, "");
    env.set("app", "PLAIN", "plain-value");
    env.set("app", "UNICODE", "changed ✓");
    let s = svc.ok(&env, &["push", "-e", "app", "--prune"]);
    assert_eq!(status_of(&s, "PLAIN"), "unchanged");
    assert_eq!(status_of(&s, "UNICODE"), "changed");
    assert_eq!(status_of(&s, "MULTI"), "removed");
    let store = gcp_store(url);
    assert_eq!(
        store[&format!("projects/p1/secrets/{prefix}PLAIN")].len(),
        1
    );
    assert_eq!(
        store[&format!("projects/p1/secrets/{prefix}UNICODE")].len(),
        2
    );
    assert!(!store.contains_key(&format!("projects/p1/secrets/{prefix}MULTI")));
    svc.ok(&env, &["diff", "-e", "app"]);
    // A key that makes no secret id is refused before anything is written.
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.app]\nfiles = [\"secrets/app.yaml\"]\nage = [\"{}\"]\nsync = \"{target}\"\n",
            env.recipient
        ),
    );
    env.write("secrets/app.yaml", format!("bad.key: {CANARY}\nGOOD: x\n"));
    env.cmd_with_key()
        .args(["encrypt", "--in-place", "secrets/app.yaml"])
        .assert()
        .success();
    let o = svc.run(&env, &["push", "-e", "app"]);
    assert_clean_failure(&o, 2, "bad.key", CANARY);
    // The project "denied" answers 403: exit 3.
    let o = svc.run(
        &env,
        &[
            "diff",
            "-e",
            "app",
            "--against",
            "gcp-sm:projects/denied/secrets/x",
        ],
    );
    assert_clean_failure(&o, 3, "gcp-sm:projects/denied/secrets/x", CANARY);
    let o = Svc::gcp("http://127.0.0.1:1").run(&env, &["diff", "-e", "app"]);
    assert_clean_failure(&o, 5, "SEALBOX_GCP_SM_ENDPOINT", CANARY);
}

impl Svc {
    fn azure(url: &str, ca: &std::path::Path) -> Self {
        Svc {
            vars: vec![
                ("SSL_CERT_FILE", ca.display().to_string()),
                // The fake's challenge names vault.azure.net, not 127.0.0.1.
                ("SEALBOX_AZURE_VERIFY_CHALLENGE_RESOURCE", "0".to_owned()),
                ("AZURE_AUTHORITY_HOST", url.to_owned()),
                ("AZURE_TENANT_ID", "tenant-1".to_owned()),
                ("AZURE_CLIENT_ID", "sealbox-client".to_owned()),
                ("AZURE_CLIENT_SECRET", "sealbox-secret".to_owned()),
            ],
        }
    }
}

fn azure_store(url: &str, ca: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let out = std::process::Command::new("curl")
        .args(["-fsS", "--cacert"])
        .arg(ca)
        .arg(format!("{url}/_azure_secrets"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn azure_key_vault_secrets_round_trip_names_prune_and_refusal() {
    if !crate::harness::have("curl") {
        return;
    }
    let _g = azure_lock();
    let (url, ca) = services::cloud_fake_tls();
    let svc = Svc::azure(url, ca);
    let target = format!("azure-kv:{url}/");
    // One vault holds every key: this test owns the fake's vault.
    round_trip(&svc, &target, &|| {
        let store = azure_store(url, ca);
        values()
            .into_iter()
            .map(|(k, _)| {
                let name = k.replace('_', "-");
                (k.to_owned(), store[&name].last().unwrap().clone())
            })
            .collect()
    });
    // `_` maps to `-` and back.
    let env = Env::new();
    project(&env, &target, "");
    fill(&env);
    env.set("app", "DB_URL", "postgres://db");
    let s = svc.ok(&env, &["push", "-e", "app"]);
    assert_eq!(status_of(&s, "DB_URL"), "added");
    assert!(azure_store(url, ca).contains_key("DB-URL"));
    svc.ok(&env, &["diff", "-e", "app"]);
    // Only the changed key gets a version; prune deletes; a pruned key comes back.
    env.set("app", "PLAIN", "changed");
    env.cmd_with_key()
        .args(["unset", "app", "DB_URL"])
        .assert()
        .success();
    let s = svc.ok(&env, &["push", "-e", "app", "--prune"]);
    assert_eq!(status_of(&s, "PLAIN"), "changed");
    assert_eq!(status_of(&s, "DB_URL"), "removed");
    let store = azure_store(url, ca);
    assert_eq!(store["PLAIN"].len(), 2);
    assert_eq!(store["UNICODE"].len(), 1);
    assert!(!store.contains_key("DB-URL"));
    env.set("app", "DB_URL", "again");
    svc.ok(&env, &["push", "-e", "app"]);
    svc.ok(&env, &["diff", "-e", "app"]);
    // A key whose name would not come back is refused before anything is written.
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.app]\nfiles = [\"secrets/app.yaml\"]\nage = [\"{}\"]\nsync = \"{target}\"\n",
            env.recipient
        ),
    );
    env.write("secrets/app.yaml", format!("my-key: {CANARY}\nOTHER: x\n"));
    env.cmd_with_key()
        .args(["encrypt", "--in-place", "secrets/app.yaml"])
        .assert()
        .success();
    let o = svc.run(&env, &["push", "-e", "app"]);
    assert_clean_failure(&o, 2, "my-key", CANARY);
    assert!(!azure_store(url, ca).contains_key("OTHER"));
    // A refused key (403) exits 3, names it, and says what was written.
    env.write(
        "secrets/app.yaml",
        format!("DENIED_KEY: {CANARY}\nOTHER: x\n"),
    );
    env.cmd_with_key()
        .args(["encrypt", "--in-place", "secrets/app.yaml"])
        .assert()
        .success();
    let o = svc.run(&env, &["push", "-e", "app"]);
    assert_clean_failure(&o, 3, "DENIED_KEY", CANARY);
    assert!(String::from_utf8_lossy(&o.stderr).contains("written before the failure: OTHER"));
}

/// The Azure fake is one vault: its tests run one at a time.
fn azure_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

//! The audit log: one line per command, names but never values, a hash chain that
//! `audit verify` proves and that breaks on any edited, removed or reordered line.

use crate::harness::{code, Env};

const CANARY: &str = "CANARY-audit-7d1e-never-logged";

fn log_lines(env: &Env) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(env.path("home/.local/state/sealbox/audit.jsonl"))
        .unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_command_is_logged_without_values_and_the_chain_verifies() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    env.cmd_with_key()
        .args(["set", "dev", "TOKEN", CANARY])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["get", "dev", "TOKEN"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["exec", "-e", "dev", "--", "true"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["export", "-e", "dev", "--format", "json"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["decrypt", "secrets/dev.env"])
        .assert()
        .success();
    env.cmd_with_key()
        .env("EDITOR", "sed -i s/^TOKEN=/TOKEN=x/")
        .args(["edit", "secrets/dev.env"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["rotate", "secrets/dev.env"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["updatekeys", "--age", &env.recipient, "secrets/dev.env"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["unset", "dev", "TOKEN"])
        .assert()
        .success();
    let lines = log_lines(&env);
    let commands: Vec<&str> = lines
        .iter()
        .map(|l| l["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        commands,
        [
            "set",
            "get",
            "exec",
            "export",
            "decrypt",
            "edit",
            "rotate",
            "updatekeys",
            "unset"
        ]
    );
    let raw = std::fs::read_to_string(env.path("home/.local/state/sealbox/audit.jsonl")).unwrap();
    assert!(!raw.contains(CANARY), "no value in the log");
    assert!(raw.contains("\"TOKEN\""), "key names are logged");
    assert!(
        lines[1]["recipients"][0]
            .as_str()
            .unwrap()
            .contains(&env.recipient),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["environments"][0], "dev");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(env.path("home/.local/state/sealbox/audit.jsonl"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    env.cmd().args(["audit", "verify"]).assert().success();
    let shown = env
        .cmd()
        .args(["audit", "log", "--env", "dev", "--since", "1h"])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(
        shown.contains(" get ") && shown.contains("keys=[TOKEN]"),
        "{shown}"
    );
}

#[test]
fn verify_fails_on_edited_removed_or_reordered_lines() {
    let env = Env::new();
    env.write("a.env", "A=1\n");
    env.encrypt("a.env", "a.enc.env");
    for _ in 0..4 {
        env.cmd_with_key()
            .args(["decrypt", "a.enc.env"])
            .assert()
            .success();
    }
    let path = env.path("home/.local/state/sealbox/audit.jsonl");
    let good = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    assert_eq!(lines.len(), 4);
    let variants = [
        // edited (last line too, which no later line covers)
        good.replacen("\"decrypt\"", "\"get\"", 1),
        lines[..3].join("\n") + "\n" + &lines[3].replace("\"decrypt\"", "\"rotate\"") + "\n",
        // removed
        [lines[0], lines[2], lines[3]].join("\n") + "\n",
        // reordered
        [lines[1], lines[0], lines[2], lines[3]].join("\n") + "\n",
    ];
    for (i, v) in variants.iter().enumerate() {
        std::fs::write(&path, v).unwrap();
        let o = env.cmd().args(["audit", "verify"]).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 4, "variant {i}: {err}");
        assert!(err.contains("line "), "names the line: {err}");
    }
    std::fs::write(&path, &good).unwrap();
    env.cmd().args(["audit", "verify"]).assert().success();
}

#[test]
fn no_audit_bulk_summary_and_unwritable_log() {
    let env = Env::new();
    for i in 0..25 {
        env.write(&format!("t/f{i}.env"), format!("K{i}=v\n"));
    }
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "t"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["decrypt", "t", "--output-dir", "out"])
        .assert()
        .success();
    let lines = log_lines(&env);
    let last = lines.last().unwrap();
    assert_eq!(last["file_count"], 25, "{last}");
    assert_eq!(last["files_sha256"].as_str().unwrap().len(), 64);
    let before = lines.len();
    env.cmd_with_key()
        .args(["--no-audit", "decrypt", "t/f0.env"])
        .assert()
        .success();
    assert_eq!(log_lines(&env).len(), before);
    let o = env
        .cmd_with_key()
        .env(
            "SEALBOX_AUDIT_LOG",
            "/proc/sealbox-cannot-write/audit.jsonl",
        )
        .args(["decrypt", "t/f0.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--no-audit"));
}

#[test]
fn odd_durations_are_usage_errors() {
    let env = Env::new();
    env.write("a.env", "A=1\n");
    env.encrypt("a.env", "a.enc.env");
    env.cmd_with_key()
        .args(["decrypt", "a.enc.env"])
        .assert()
        .success();
    for since in ["99999999999999999d", "9\u{434}", "soon"] {
        let o = env
            .cmd()
            .args(["audit", "log", "--since", since])
            .output()
            .unwrap();
        assert_eq!(
            code(&o),
            2,
            "{since}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn issue_20_truncation_deletion_long_lines_user_and_failures_are_caught() {
    let env = Env::new();
    env.write("a.env", "A=1\n");
    env.encrypt("a.env", "a.enc.env");
    for _ in 0..3 {
        env.cmd_with_key()
            .args(["decrypt", "a.enc.env"])
            .assert()
            .success();
    }
    let path = env.path("home/.local/state/sealbox/audit.jsonl");
    let good = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = good.lines().collect();
    // The last line removed: every remaining line still chains.
    std::fs::write(&path, lines[..2].join("\n") + "\n").unwrap();
    let o = env.cmd().args(["audit", "verify"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 4, "{err}");
    assert!(err.contains("removed from its end"), "{err}");
    assert!(!err.contains("do not edit encrypted files"), "{err}");
    // The whole log deleted.
    std::fs::remove_file(&path).unwrap();
    let o = env.cmd().args(["audit", "verify"]).output().unwrap();
    assert_eq!(code(&o), 4, "{}", String::from_utf8_lossy(&o.stderr));
    // A later command does not paper over the gap.
    std::fs::write(&path, lines[..2].join("\n") + "\n").unwrap();
    env.write("b.env", "B=2\n");
    env.encrypt("b.env", "b.enc.env");
    env.cmd_with_key()
        .args(["decrypt", "b.enc.env"])
        .assert()
        .success();
    assert_eq!(
        code(&env.cmd().args(["audit", "verify"]).output().unwrap()),
        4
    );

    // A fresh log: one line far over 64 KiB, then more lines, still verifies; the
    // user is the OS's, not $USER's.
    std::fs::remove_file(&path).unwrap();
    let head_dir = env.path("home/.local/state/sealbox/audit-heads");
    let _ = std::fs::remove_dir_all(&head_dir);
    let long = format!("K{}=v\n", "x".repeat(70_000));
    env.write("long.env", &long);
    env.encrypt("long.env", "long.enc.env");
    env.cmd_with_key()
        .env("USER", "mallory")
        .args(["decrypt", "long.enc.env", "a.enc.env"])
        .args(["--output-dir", "plain"])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["decrypt", "a.enc.env"])
        .assert()
        .success();
    env.cmd().args(["audit", "verify"]).assert().success();
    let lines = log_lines(&env);
    assert_ne!(lines[0]["user"], "mallory");
    assert!(lines[0]["uid"].is_u64());

    // An editor that fails still got the plaintext: the edit is logged, as failed.
    let script = env.write("fail.sh", "#!/bin/sh\nexit 3\n");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    env.cmd_with_key()
        .env("EDITOR", &script)
        .args(["edit", "a.enc.env"])
        .assert()
        .failure();
    let last = log_lines(&env).pop().unwrap();
    assert_eq!(last["command"], "edit");
    assert_eq!(last["outcome"], "failed");

    // An unwritable log: decrypt prints nothing.
    let o = env
        .cmd_with_key()
        .env(
            "SEALBOX_AUDIT_LOG",
            "/proc/sealbox-cannot-write/audit.jsonl",
        )
        .args(["decrypt", "a.enc.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5);
    assert!(o.stdout.is_empty(), "plaintext before the log failed");
}

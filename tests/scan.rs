//! The scanner: built-in rules behave as their examples say, directories (hidden files,
//! .gitignore, .git skipped), stdin and staged changes are scanned, suppressions survive
//! edits, plaintext environment files are flagged, reports and exit codes, and the real
//! pre-commit client runs the hook.

use crate::harness::{self, code, Env};

/// Token-shaped strings built at run time, so this file itself holds none.
/// A workspace whose own key file and HOME are outside what the scans look at.
fn workspace() -> Env {
    let env = Env::new();
    env.write(".gitignore", "key.txt\nhome/\n");
    env
}

fn github_token() -> String {
    format!("{}{}", "gh", "p_Zq8Lm3Rt7Wx2Vb9Nc4Hd6Jf1Kg5Ps0Ty3Ua8")
}
fn aws_key_id() -> String {
    format!("{}{}", "AK", "IAZ7QWERTYU4PLMNB2")
}
fn stripe_key() -> String {
    format!(
        "{}{}",
        "sk_li", "ve_51Hq9Zt3Lm8Rx2Vb7Nc4Kd6Jf1Gg5Ps0Ty3Ua8Ew"
    )
}

/// Runs `sealbox ARGS` in `env`, expecting findings (exit 1), and parses its JSON report.
fn findings_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let o = env.cmd().args(args).output().unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn many_files_huge_and_binary_ones_are_read_and_come_back_in_path_order() {
    let env = workspace();
    // Enough files across folders for the walk to run on several threads.
    for dir in ["b", "a/z", "a", "c/d/e"] {
        for i in 0..25 {
            env.write(
                &format!("{dir}/f{i:02}.py"),
                format!("x = 1\nGITHUB = \"{}\"\n", github_token()),
            );
        }
    }
    // Over the one-piece limit: read in windows, the token past the first one found.
    let mut huge = "filler line of a big log file, nothing to see here\n".repeat(360_000);
    huge.push_str(&format!("GITHUB = \"{}\"\n", github_token()));
    assert!(huge.len() > 17 << 20);
    env.write("big/huge.log", huge);
    let mut binary = b"\x7fELF\0\0".to_vec();
    binary.extend_from_slice(format!("GITHUB = \"{}\"\n", github_token()).as_bytes());
    env.write("bin/tool", binary);
    let run = || {
        let o = env
            .cmd()
            .args(["scan", ".", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let files: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["File"].as_str().unwrap().to_owned())
            .collect();
        (files, String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (files, stderr) = run();
    assert_eq!(files.len(), 102, "{files:?}");
    let mut sorted = files.clone();
    sorted.sort_by(|a, b| std::path::Path::new(a).cmp(std::path::Path::new(b)));
    assert_eq!(files, sorted, "findings come in path order");
    assert_eq!(files[0], "a/f00.py");
    assert!(files.contains(&"big/huge.log".to_owned()), "{files:?}");
    assert!(
        files.contains(&"bin/tool".to_owned()),
        "binary files are read through their printable runs: {files:?}"
    );
    assert!(
        !stderr.contains("too-large") && !stderr.contains("binary"),
        "nothing is left out: {stderr}"
    );
    assert_eq!(run().0, files, "the same order on every run");
}

#[test]
fn builtin_rules_pass_their_own_examples() {
    let env = Env::new();
    let o = env.cmd().args(["scan", "rules", "check"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = env.cmd().args(["scan", "rules", "list"]).output().unwrap();
    let n = String::from_utf8_lossy(&list.stdout).lines().count();
    assert!(n >= 90, "only {n} rules");
}

#[test]
fn directory_scan_finds_planted_secrets_and_respects_allowances() {
    let env = workspace();
    env.write("src/app.py", format!("GITHUB = \"{}\"\n", github_token()));
    env.write(
        ".env.production",
        format!("AWS_ACCESS_KEY_ID={}\n", aws_key_id()),
    );
    env.write(".npmrc", "registry=https://registry.npmjs.org/\n");
    env.write("ignored/secret.txt", format!("{}\n", stripe_key()));
    env.write(".gitignore", "key.txt\nhome/\nignored/\n");
    env.write(".git/config", format!("token = {}\n", stripe_key()));
    env.write(
        "allowed.rb",
        format!("key = \"{}\" # sealbox:allow\n", stripe_key()),
    );
    env.write(
        "placeholder.js",
        "const password = \"changeme\"; const t = process.env.API_TOKEN;\n",
    );
    env.write(
        "enc.env",
        "TOKEN=ENC[AES256_GCM,data:Zm9vYmFyYmF6,iv:AAAA,tag:BBBB,type:str]\n",
    );
    let o = env.cmd().args(["scan", "."]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out} {}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("src/app.py:1:"), "{out}");
    assert!(
        out.contains(".env.production:1:"),
        "hidden files are scanned: {out}"
    );
    assert!(!out.contains("ignored/"), ".gitignore honoured: {out}");
    assert!(!out.contains(".git/"), ".git skipped: {out}");
    assert!(
        !out.contains("allowed.rb") && !out.contains("placeholder.js") && !out.contains("enc.env"),
        "{out}"
    );
    assert!(
        !out.contains(&github_token()),
        "human report redacts secrets"
    );
    let shown = env
        .cmd()
        .args(["scan", ".", "--show-secrets"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains(&github_token()));
    let j = env
        .cmd()
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    let first = &v[0];
    for field in [
        "RuleID",
        "File",
        "StartLine",
        "Secret",
        "Match",
        "Fingerprint",
    ] {
        assert!(first.get(field).is_some(), "JSON has {field}");
    }
    let r = env
        .cmd()
        .args(["scan", ".", "--format", "json", "--redact"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&r.stdout).contains(&github_token()));
}

#[test]
fn stdin_ignore_file_and_exit_codes() {
    let env = workspace();
    let o = env
        .cmd()
        .args(["scan", "--stdin"])
        .write_stdin(format!("x = {}\n", aws_key_id()))
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    let o = env
        .cmd()
        .args(["scan", "--stdin"])
        .write_stdin("nothing here\n")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    // Suppress by fingerprint: survives moving the line, not a new secret.
    env.write("a.txt", format!("\n\nid = {}\n", aws_key_id()));
    let j = env
        .cmd()
        .args(["scan", "a.txt", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    let fp = v[0]["Fingerprint"].as_str().unwrap().to_owned();
    env.write(".sealboxignore", format!("{fp}  # test key\n"));
    env.cmd().args(["scan", "."]).assert().success();
    env.write("a.txt", format!("moved = {}\n", aws_key_id()));
    env.cmd().args(["scan", "."]).assert().success();
    env.write(
        "a.txt",
        format!("moved = {}\nnew = {}\n", aws_key_id(), github_token()),
    );
    let o = env.cmd().args(["scan", "."]).output().unwrap();
    assert_eq!(code(&o), 1);
    let o = env.cmd().args(["scan", "does-not-exist"]).output().unwrap();
    assert_ne!(code(&o), 1, "an error is never exit 1");
}

#[test]
fn plaintext_environment_files_are_findings() {
    let env = workspace();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    env.write("secrets/dev.env", "HARMLESS=1\n");
    let o = env.cmd().args(["scan", "."]).output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("unencrypted-secret-file"));
    env.cmd()
        .args(["encrypt", "--in-place", "secrets/dev.env"])
        .assert()
        .success();
    env.cmd().args(["scan", "."]).assert().success();
}

fn git(env: &Env, args: &[&str]) {
    let o = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .args(["-c", "user.email=t@t", "-c", "user.name=t"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn staged_scans_only_added_lines() {
    if !harness::have("git") {
        return;
    }
    let env = workspace();
    git(&env, &["init", "-q"]);
    env.write("old.cfg", format!("legacy = {}\n", aws_key_id()));
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "old", "--no-verify"]);
    env.write(
        "old.cfg",
        format!("legacy = {}\nname = app\n", aws_key_id()),
    );
    git(&env, &["add", "."]);
    env.cmd().args(["scan", "--staged"]).assert().success();
    env.write("new.py", format!("\n\ntoken = \"{}\"\n", github_token()));
    git(&env, &["add", "new.py"]);
    let o = env.cmd().args(["scan", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("new.py:3:"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let outside = Env::new();
    let o = outside.cmd().args(["scan", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 2, "not a repository is an error");
}

#[test]
fn pre_commit_client_blocks_a_planted_key() {
    if !harness::have("pre-commit") || !harness::have("git") {
        return;
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rev = std::process::Command::new("git")
        .current_dir(repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let rev = String::from_utf8(rev.stdout).unwrap().trim().to_owned();
    let env = workspace();
    git(&env, &["init", "-q"]);
    env.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: sealbox-scan\n",
            repo.display()
        ),
    );
    let bin_dir = assert_cmd::cargo::cargo_bin("sealbox")
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", env.path("home/.cache/pre-commit"))
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .output()
            .unwrap()
    };
    let o = std::process::Command::new("pre-commit")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("PRE_COMMIT_HOME", env.path("home/.cache/pre-commit"))
        .args(["install"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    env.write("clean.txt", "hello\n");
    assert!(run(&["add", "."]).status.success());
    let o = run(&["commit", "-qm", "clean"]);
    assert!(
        o.status.success(),
        "clean commit: {} {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    env.write("leak.env", format!("STRIPE={}\n", stripe_key()));
    assert!(run(&["add", "leak.env"]).status.success());
    let o = run(&["commit", "-qm", "leak"]);
    assert!(!o.status.success(), "the hook blocks the commit");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("leak.env") && all.contains("stripe"), "{all}");
}

#[test]
fn sarif_csv_and_junit_reports() {
    let env = workspace();
    env.write("app/config.py", format!("KEY = \"{}\"\n", stripe_key()));
    let sarif = env
        .cmd()
        .args(["scan", "app", "--format", "sarif", "--redact"])
        .output()
        .unwrap();
    assert_eq!(code(&sarif), 1);
    let v: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let result = &v["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert!(v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == result["ruleId"]));
    assert!(!String::from_utf8_lossy(&sarif.stdout).contains(&stripe_key()));
    let csv = env
        .cmd()
        .args(["scan", "app", "--format", "csv", "--report", "r.csv"])
        .output()
        .unwrap();
    assert_eq!(code(&csv), 1);
    let text = String::from_utf8(env.read("r.csv")).unwrap();
    assert!(
        text.starts_with("RuleID,File,StartLine,StartColumn,Secret,Fingerprint\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2);
    let junit = env
        .cmd()
        .args(["scan", "app", "--format", "junit"])
        .output()
        .unwrap();
    let x = String::from_utf8(junit.stdout).unwrap();
    assert!(
        x.contains("<testsuites") && x.contains("failures=\"1\"") && !x.contains(&stripe_key()),
        "{x}"
    );
}

#[test]
fn git_install_hook_blocks_a_commit() {
    if !harness::have("git") {
        return;
    }
    let env = workspace();
    git(&env, &["init", "-q"]);
    env.cmd().args(["git", "install-hook"]).assert().success();
    let o = env.cmd().args(["git", "install-hook"]).output().unwrap();
    assert_eq!(
        code(&o),
        2,
        "an existing hook is not replaced without --force"
    );
    let bin_dir = assert_cmd::cargo::cargo_bin("sealbox")
        .parent()
        .unwrap()
        .to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    env.write("leak.txt", format!("{}\n", aws_key_id()));
    let commit = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("PATH", &path)
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(commit(&["add", "leak.txt"]).status.success());
    let o = commit(&["commit", "-qm", "leak"]);
    assert!(!o.status.success(), "blocked");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("leak.txt"), "{all}");
}

#[test]
fn git_history_reports_each_secret_once_with_its_commit() {
    if !harness::have("git") {
        return;
    }
    let env = workspace();
    git(&env, &["init", "-q", "-b", "main"]);
    env.write("app.py", "x = 1\n");
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "start", "--no-verify"]);
    env.write("app.py", format!("x = 1\ntoken = \"{}\"\n", github_token()));
    git(&env, &["commit", "-qam", "add a token", "--no-verify"]);
    // The same content again in another file: the same blob, scanned once.
    env.write(
        "copy.py",
        format!("x = 1\ntoken = \"{}\"\n", github_token()),
    );
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "copy", "--no-verify"]);
    // Removed from the tree: still in history.
    git(&env, &["rm", "-q", "app.py", "copy.py"]);
    git(&env, &["commit", "-qm", "remove", "--no-verify"]);
    // A branch merged back: its secret is reported for its own commit, not the merge.
    git(&env, &["checkout", "-qb", "side"]);
    env.write("side.env", format!("STRIPE={}\n", stripe_key()));
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "side secret", "--no-verify"]);
    git(&env, &["checkout", "-q", "main"]);
    env.write("main.txt", "hello\n");
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "main work", "--no-verify"]);
    git(&env, &["merge", "-q", "--no-edit", "side"]);

    let report = findings_json(&env, &["scan", "--git", "--format", "json"]);
    let items = report.as_array().unwrap();
    assert_eq!(items.len(), 2, "{report:#}");
    let gh = items.iter().find(|f| f["File"] == "app.py").unwrap();
    assert_eq!(gh["StartLine"], 2);
    assert_eq!(gh["Message"], "add a token");
    assert_eq!(gh["Author"], "t");
    assert_eq!(gh["Commit"].as_str().unwrap().len(), 40);
    assert!(gh["Date"].as_str().unwrap().ends_with('Z'));
    let sarif = env
        .cmd()
        .args(["scan", "--git", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().all(|r| r["partialFingerprints"]["commitSha"]
            .as_str()
            .is_some_and(|c| c.len() == 40)),
        "{sarif:#}"
    );
    let side = items.iter().find(|f| f["File"] == "side.env").unwrap();
    assert_eq!(side["Message"], "side secret");
    // A range: only the last two commits of main's first-parent line.
    let o = env
        .cmd()
        .args(["scan", "--git", "HEAD~2..HEAD~1"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let o = env
        .cmd()
        .args(["scan", "--git", "nope..HEAD"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    // The ignore file silences a fingerprint in history too.
    env.write(
        ".sealboxignore",
        format!("{}\n", gh["Fingerprint"].as_str().unwrap()),
    );
    let o = env
        .cmd()
        .args(["scan", "--git", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report.as_array().unwrap().len(), 1, "{report:#}");
}

#[test]
fn a_config_that_replaces_a_builtin_pattern_drops_what_the_old_one_required() {
    let env = workspace();
    // The built-in bearer rule requires an Authorization header on the line.
    let token = format!("{}{}", "eyQ7", "mZ2xL9pR4tV8wZ1bN6mK3qA5");
    env.write("client.js", format!("const h = \"Bearer {token}\";\n"));
    let before = env.cmd().args(["scan", "."]).output().unwrap();
    assert_eq!(
        code(&before),
        0,
        "{}",
        String::from_utf8_lossy(&before.stdout)
    );
    env.write(
        ".gitleaks.toml",
        "[extend]\nuseDefault = true\n[[rules]]\nid = \"generic-bearer-token\"\n\
         regex = '''(?i)bearer\\s+([A-Za-z0-9._-]{20,})'''\n",
    );
    let after = env.cmd().args(["scan", "."]).output().unwrap();
    let out = String::from_utf8_lossy(&after.stdout);
    assert_eq!(code(&after), 1, "{out}");
    assert!(
        out.contains("client.js:1:") && out.contains("generic-bearer-token"),
        "{out}"
    );
}

#[test]
fn gitleaks_config_rules_allowlists_and_extend() {
    let env = workspace();
    let internal = format!("{}{}", "acme_int_", "9fQ2xL7pR4tV8wZ1bN6mK3");
    env.write(
        "app.py",
        format!("internal = \"{internal}\"\ngh = \"{}\"\n", github_token()),
    );
    env.write("vendor/lib.py", format!("token = \"{internal}\"\n"));
    // A config without [extend]: only its own rules.
    env.write(
        ".gitleaks.toml",
        r#"
title = "team rules"
[[rules]]
id = "acme-internal"
description = "ACME internal token"
regex = '''acme_int_[a-zA-Z0-9]{22}'''
keywords = ["acme_int_"]
tags = ["internal"]
[[allowlists]]
paths = ['''^vendor/''']
"#,
    );
    let r = findings_json(&env, &["scan", ".", "--format", "json"]);
    let items = r.as_array().unwrap();
    assert_eq!(items.len(), 1, "{r:#}");
    assert_eq!(items[0]["RuleID"], "acme-internal");
    assert_eq!(items[0]["File"], "app.py");
    assert_eq!(items[0]["Tags"][0], "internal");
    // [extend] useDefault: the built-in rules too; disabledRules drops one; a rule
    // allowlist with a stopword silences the internal token.
    env.write(
        ".gitleaks.toml",
        r#"
[extend]
useDefault = true
disabledRules = ["generic-secret-code"]
[[rules]]
id = "acme-internal"
regex = '''acme_int_[a-zA-Z0-9]{22}'''
keywords = ["acme_int_"]
[[rules.allowlists]]
stopwords = ["9fq2"]
"#,
    );
    let o = env
        .cmd()
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["RuleID"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"github-pat-classic"), "{ids:?}");
    assert!(
        !ids.contains(&"acme-internal") && !ids.contains(&"generic-secret-code"),
        "{ids:?}"
    );
    // --config elsewhere wins over .gitleaks.toml; a broken config is an error (2).
    env.write(
        "bad.toml",
        "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n",
    );
    let o = env
        .cmd()
        .args(["scan", ".", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml") && err.contains("regex"), "{err}");
    // A regexTarget = "line" allowlist with AND: both must hold.
    env.write(
        ".gitleaks.toml",
        r#"
[extend]
useDefault = true
[[allowlists]]
condition = "AND"
regexTarget = "line"
regexes = ['''^gh = ''']
paths = ['''app\.py$''']
"#,
    );
    let o = env
        .cmd()
        .args(["scan", "app.py", "--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        r.as_array()
            .unwrap()
            .iter()
            .all(|f| f["RuleID"] != "github-pat-classic"),
        "{r:#}"
    );
}

#[test]
fn gitleaksignore_and_baseline_suppress_known_findings() {
    let env = workspace();
    env.write("a.py", format!("token = \"{}\"\n", github_token()));
    env.write("b.env", format!("STRIPE={}\n", stripe_key()));
    let o = env
        .cmd()
        .args(["scan", ".", "--format", "json", "--report", "base.json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    // The baseline silences everything it lists…
    env.cmd()
        .args(["scan", ".", "--baseline", "base.json"])
        .assert()
        .success();
    // …but a new secret is still reported, even on an old line's position.
    env.write(
        "a.py",
        format!("token = \"{}\"\n", github_token().replace("Zq8", "Yq9")),
    );
    let o = env
        .cmd()
        .args(["scan", ".", "--baseline", "base.json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("a.py:1:"));
    // A redacted gitleaks-style baseline falls back to positions.
    env.write(
        "gl.json",
        r#"[{"RuleID":"github-pat-classic","File":"a.py","StartLine":1,"Secret":"REDACTED","Fingerprint":"a.py:github-pat-classic:1","Commit":""}]"#,
    );
    let o = env
        .cmd()
        .args(["scan", "a.py", "--baseline", "gl.json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    // .gitleaksignore: positional entries (file:rule:line) and our fingerprints.
    env.write(".gitleaksignore", "# known\nb.env:stripe-secret-key:1\n");
    let o = env
        .cmd()
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        r.as_array().unwrap().iter().all(|f| f["File"] != "b.env"),
        "{r:#}"
    );
    // A baseline that is not a report is an error naming it.
    env.write("junk.json", "{\"not\": \"a list\"}");
    let o = env
        .cmd()
        .args(["scan", ".", "--baseline", "junk.json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("junk.json"));
}

#[test]
fn encoded_secrets_are_decoded_and_found() {
    use base64::Engine as _;
    let env = workspace();
    let b64 = base64::engine::general_purpose::STANDARD.encode(github_token());
    let nested =
        base64::engine::general_purpose::STANDARD.encode(format!("STRIPE_KEY={}", stripe_key()));
    let hexed = hex::encode(format!("export GH={}", github_token()));
    env.write(
        "k8s/secret.yaml",
        format!(
            "apiVersion: v1\nkind: Secret\ndata:\n  token: {b64}\n  env: {nested}\n  other: {hexed}\n  plain: aGVsbG8gd29ybGQsIHRoaXMgaXMgbm90IGEgc2VjcmV0\n"
        ),
    );
    let r = findings_json(&env, &["scan", ".", "--format", "json"]);
    let items = r.as_array().unwrap();
    let at = |line: u64| items.iter().find(|f| f["StartLine"] == line);
    let gh = at(4).expect("base64 token found");
    assert_eq!(gh["RuleID"], "github-pat-classic");
    assert!(
        gh["Tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "decoded:base64"),
        "{gh}"
    );
    assert_eq!(gh["StartColumn"], 10);
    assert_eq!(
        at(5).expect("stripe in base64")["RuleID"],
        "stripe-secret-key"
    );
    let hx = at(6).expect("hex-encoded token found");
    assert!(
        hx["Tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "decoded:hex"),
        "{hx}"
    );
    assert!(
        at(7).is_none(),
        "plain text in base64 is not a finding: {r:#}"
    );
    // A minified line of many encoded runs (base64 of plain text) with the token last:
    // its line and column are right, and each run does not search the whole line again.
    let filler = base64::engine::general_purpose::STANDARD.encode("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    let runs = vec![format!("\"{filler}\""); 20_000].join(",");
    env.write(
        "dist/app.min.js",
        format!("// built\nvar a=[{runs},\"{b64}\"];\n"),
    );
    let r = findings_json(&env, &["scan", "dist", "--format", "json"]);
    let found = r.as_array().unwrap();
    assert_eq!(found.len(), 1, "{r:#}");
    assert_eq!(found[0]["StartLine"], 2);
    assert_eq!(found[0]["StartColumn"], 7 + runs.len() + 2 + 1);
    // sealbox:allow on the line covers the decoded finding too.
    env.write(
        "k8s/secret.yaml",
        format!("  token: {b64} # sealbox:allow\n"),
    );
    env.cmd().args(["scan", "k8s"]).assert().success();
}

#[test]
fn names_and_values_on_consecutive_lines_are_found_on_the_value_line() {
    let env = workspace();
    // Built at run time: no secret-shaped literal in this file.
    let pw = format!("{}{}", "Qm7*vKz!pL2", "@xR9tW4");
    let tok = format!("{}{}", "q8Zr3VfK2mX9", "pL4tW7nB5yHc");
    env.write(
        "deploy.yaml",
        format!(
            "env:\n  - name: LOG_LEVEL\n    value: debug\n  - name: DB_PASSWORD\n    value: \"{pw}\"\n  - name: API_TOKEN\n    valueFrom:\n      secretKeyRef: {{name: api}}\n"
        ),
    );
    env.write(
        "keys.rs",
        format!("pub fn stripe_secret_key() -> &'static str {{\n    \"{tok}\"\n}}\n"),
    );
    // A name on the last line with nothing after it, and CRLF line ends.
    env.write("tail.yaml", "env:\r\n  - name: SIGNING_SECRET");
    let v = findings_json(&env, &["scan", "--format", "json", "--show-secrets", "."]);
    let found: Vec<(String, u64, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["File"].as_str().unwrap().to_owned(),
                f["StartLine"].as_u64().unwrap(),
                f["Secret"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        found.contains(&("deploy.yaml".to_owned(), 5, pw)),
        "{found:?}"
    );
    assert!(found.contains(&("keys.rs".to_owned(), 2, tok)), "{found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn staged_value_under_an_unchanged_name_line_is_found() {
    if !harness::have("git") {
        return;
    }
    let env = workspace();
    git(&env, &["init", "-q"]);
    let manifest = |v: &str| {
        format!("env:\n  - name: LOG_LEVEL\n    value: debug\n  - name: API_TOKEN\n    value: \"{v}\"\n")
    };
    env.write("deploy.yaml", manifest("${API_TOKEN}"));
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "ref", "--no-verify"]);
    // Only the value line changes: its name sits on an unchanged line above.
    let tok = format!("{}{}", "Tq3vX8mK2pL9", "rW4zN7cB5yHd");
    env.write("deploy.yaml", manifest(&tok));
    git(&env, &["add", "."]);
    let o = env.cmd().args(["scan", "--staged"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("deploy.yaml:5:"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // Committed, then only an unrelated line above changes: nothing new to report.
    git(&env, &["commit", "-qm", "tok", "--no-verify"]);
    env.write("deploy.yaml", manifest(&tok).replace("debug", "info"));
    git(&env, &["add", "."]);
    env.cmd().args(["scan", "--staged"]).assert().success();
}

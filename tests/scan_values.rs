//! `scan --values` (issue 17) on real git repositories: the tree, the staged change and
//! history, every report format, and the value never in any output.

use base64::Engine as _;

use crate::harness::{self, code, Env};
use crate::runtime::{project, set};

const CANARY: &str = "canary-Zq8v/Kp+w=r&s t\"x\\y";
const TOKEN: &str = "tok_live_51Habcdefghijklmnop";

fn git(env: &Env, args: &[&str]) -> String {
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
    String::from_utf8(o.stdout).unwrap()
}

/// Runs `sealbox scan --values -e dev ARGS`, checks no value (nor a distinctive part of
/// its forms) is in stdout or stderr, and returns (exit code, stdout).
fn scan(env: &Env, args: &[&str]) -> (i32, String) {
    let o = env
        .cmd_with_key()
        .args(["scan", "--values", "-e", "dev"])
        .args(args)
        .output()
        .unwrap();
    let rc = code(&o);
    let out = String::from_utf8(o.stdout).unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    for text in [&out, &err] {
        for bad in [
            CANARY,
            "canary-Zq8v",
            TOKEN,
            "51Habcdefghijklmnop",
            &base64::engine::general_purpose::STANDARD.encode(TOKEN)[..16],
        ] {
            assert!(!text.contains(bad), "a value leaked: {text}");
        }
    }
    (rc, out)
}

#[test]
fn scan_values_finds_real_values_in_tree_staged_and_history() {
    if !harness::have("git") {
        return;
    }
    let env = Env::new();
    git(&env, &["init", "-q", "-b", "main"]);
    // The workspace's HOME (audit log) and key stay out of the repository.
    env.write(".gitignore", "home/\nkey.txt\n");
    project(&env);
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "encrypted secrets"]);
    // Clean so far: the encrypted files hold no value.
    let (c, out) = scan(&env, &["--format", "json"]);
    assert_eq!(c, 0, "{out}");
    assert_eq!(out.trim(), "[]");
    // A commit adds the token base64-encoded in a config; a later one removes it.
    let b64 = base64::engine::general_purpose::STANDARD.encode(TOKEN);
    env.write("deploy/values.yaml", format!("image: app\nauth: {b64}\n"));
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "add auth"]);
    let leaked = git(&env, &["rev-parse", "HEAD"]).trim().to_owned();
    env.write("deploy/values.yaml", "image: app\n");
    git(&env, &["commit", "-qam", "remove auth"]);
    // The tree is clean again, history is not.
    let (c, _) = scan(&env, &[]);
    assert_eq!(c, 0);
    let (c, out) = scan(&env, &["--git", "--format", "json"]);
    assert_eq!(c, 1, "{out}");
    let items: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(items.len(), 1, "{out}");
    let f = &items[0];
    assert_eq!(f["File"], "deploy/values.yaml");
    assert_eq!(f["StartLine"], 2);
    assert_eq!(f["Commit"], leaked.as_str());
    assert_eq!(f["RuleID"], "environment-value");
    assert_eq!(f["Secret"], "REDACTED");
    assert_eq!(f["Match"], "REDACTED");
    assert!(f["Description"].as_str().unwrap().contains("TOKEN"), "{f}");
    assert!(f["Tags"].to_string().contains("form:base64"), "{f}");
    // A range that does not include the leak is clean.
    let (c, _) = scan(&env, &["--git", &format!("{leaked}..HEAD")]);
    assert_eq!(c, 0);
    // The staged change: a test fixture with the canary URL-encoded, plus a token a
    // pattern rule would flag (not reported in --values mode).
    let url = format!(
        "postgres://app:{}@db/app",
        CANARY
            .bytes()
            .map(
                |b| if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            )
            .collect::<String>()
    );
    let aws = format!("{}{}", "AK", "IAZ7QWERTYU4PLMNB2");
    env.write(
        "tests/fixture.env",
        format!("# fixture\nDATABASE_URL={url}\nAWS_ACCESS_KEY_ID={aws}\n"),
    );
    git(&env, &["add", "tests/fixture.env"]);
    for format in ["human", "json", "sarif", "csv", "junit"] {
        let (c, out) = scan(&env, &["--staged", "--format", format]);
        assert_eq!(c, 1, "{format}: {out}");
        assert!(out.contains("tests/fixture.env"), "{format}: {out}");
        assert!(!out.contains(&aws), "{format}: {out}");
        if format != "junit" {
            assert!(out.contains('2'), "{format}: line 2: {out}");
        }
    }
    let (_, human) = scan(&env, &["--staged"]);
    assert_eq!(human.lines().count(), 1, "{human}");
    assert!(
        human.contains("tests/fixture.env:2:") && human.contains("CANARY"),
        "{human}"
    );
    assert!(human.contains("URL-encoded"), "{human}");
    assert!(!human.contains("[RED"), "{human}");
    // An occurrence that belongs there (a fixture of the test environment) can be left
    // out by its fingerprint, as the human report shows it.
    let fp = human.split("fingerprint ").nth(1).unwrap()[..16].to_owned();
    env.write(".sealboxignore", format!("{fp}  # the dev fixture\n"));
    let (c, out) = scan(&env, &["--staged"]);
    assert_eq!(c, 0, "{out}");
    std::fs::remove_file(env.path(".sealboxignore")).unwrap();
    // The directory scan sees the working tree, from a subdirectory too.
    let (c, out) = scan(&env, &["tests", "--format", "csv"]);
    assert_eq!(c, 1);
    assert!(out.contains("tests/fixture.env,2,"), "{out}");
    // Short values are not looked for unless asked.
    env.write("notes.txt", "abc\n");
    let (c, _) = scan(&env, &["notes.txt"]);
    assert_eq!(c, 0);
    let (c, _) = scan(&env, &["notes.txt", "--values-min", "3"]);
    assert_eq!(c, 1);
    // Errors: exit 2 for a missing environment or a bad range, 3 when it cannot be
    // decrypted.
    let (c, _) = scan(&env, &["--git", "nope..HEAD"]);
    assert_eq!(c, 2);
    let o = env
        .cmd()
        .args(["scan", "--values", "-e", "dev"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    let o = env.cmd().args(["scan", "--values"]).output().unwrap();
    assert_eq!(code(&o), 2);
}

#[test]
fn scan_values_works_as_a_pre_commit_hook() {
    if !harness::have("git") {
        return;
    }
    let env = Env::new();
    git(&env, &["init", "-q", "-b", "main"]);
    // The workspace's HOME (audit log) and key stay out of the repository.
    env.write(".gitignore", "home/\nkey.txt\n");
    project(&env);
    set(&env, "dev", "WEBHOOK", "whsec_0123456789abcdef");
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "secrets"]);
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    env.write(
        ".git/hooks/pre-commit",
        format!(
            "#!/bin/sh\nexec '{}' scan --values -e dev --staged\n",
            bin.display()
        ),
    );
    std::fs::set_permissions(
        env.path(".git/hooks/pre-commit"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    env.write("app.json", "{\"hook\": \"whsec_0123456789abcdef\"}\n");
    git(&env, &["add", "app.json"]);
    let o = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .args([
            "-c",
            "user.email=t@t",
            "-c",
            "user.name=t",
            "commit",
            "-qm",
            "leak",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success(), "the hook must block the commit");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        all.contains("app.json:1:") && all.contains("WEBHOOK"),
        "{all}"
    );
    assert!(!all.contains("whsec_0123"), "{all}");
    env.write("app.json", "{\"hook\": \"from-env\"}\n");
    git(&env, &["add", "app.json"]);
    let o = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .args([
            "-c",
            "user.email=t@t",
            "-c",
            "user.name=t",
            "commit",
            "-qm",
            "clean",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_pre_commit_client_runs_the_values_hook() {
    if !harness::have("pre-commit") || !harness::have("git") {
        return;
    }
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let rev = String::from_utf8(
        std::process::Command::new("git")
            .current_dir(repo)
            .args(["rev-parse", "HEAD"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_owned();
    // The hook must be in the committed tree pre-commit clones.
    let committed = std::process::Command::new("git")
        .current_dir(repo)
        .args(["show", "HEAD:.pre-commit-hooks.yaml"])
        .output()
        .unwrap();
    if !String::from_utf8_lossy(&committed.stdout).contains("sealbox-scan-values") {
        eprintln!("skipping: the committed .pre-commit-hooks.yaml has no sealbox-scan-values yet");
        return;
    }
    let env = Env::new();
    git(&env, &["init", "-q", "-b", "main"]);
    // The workspace's HOME (audit log) and key stay out of the repository.
    env.write(".gitignore", "home/\nkey.txt\n");
    project(&env);
    env.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: sealbox-scan-values\n        args: [-e, dev]\n",
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
    let run = |program: &str, args: &[&str]| {
        std::process::Command::new(program)
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", env.path("home/.cache/pre-commit"))
            .env("SEALBOX_AGE_KEY_FILE", &env.key)
            .args(args)
            .output()
            .unwrap()
    };
    let o = run("pre-commit", &["install"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let commit = |msg: &str| {
        run(
            "git",
            &[
                "-c",
                "user.email=t@t",
                "-c",
                "user.name=t",
                "commit",
                "-qm",
                msg,
            ],
        )
    };
    assert!(run("git", &["add", "."]).status.success());
    let o = commit("secrets");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    env.write("client.js", format!("const auth = \"{TOKEN}\";\n"));
    assert!(run("git", &["add", "client.js"]).status.success());
    let o = commit("leak");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!o.status.success(), "the hook must block: {all}");
    assert!(
        all.contains("client.js:1:") && all.contains("TOKEN"),
        "{all}"
    );
    assert!(!all.contains(TOKEN), "{all}");
}

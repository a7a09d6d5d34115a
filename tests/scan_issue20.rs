//! Issue 20, scanner findings 3 and 4: the fingerprint the text report prints works in
//! the ignore files; the repository root's ignore files apply wherever the scan starts
//! and paths are shown from the root; history findings point at the ignore file; what a
//! directory scan skips is counted (and `--no-ignore` scans it); test-mode keys are
//! low-severity findings. Each test runs in a real git repository.

use crate::harness::{self, code, Env};

/// Token-shaped strings built at run time, so this file itself holds none.
fn github_token() -> String {
    format!("{}{}", "gh", "p_Zq8Lm3Rt7Wx2Vb9Nc4Hd6Jf1Kg5Ps0Ty3Ua8")
}
fn aws_key_id() -> String {
    format!("{}{}", "AK", "IAZ7QWERTYU4PLMNB2")
}
fn stripe(prefix: &str) -> String {
    format!("{prefix}{}", "51Hq9Zt3Lm8Rx2Vb7Nc4Kd6Jf1Gg5Ps0Ty3Ua8Ew")
}

/// A git repository whose `.gitignore` keeps the harness's key and HOME out.
fn repo() -> Option<Env> {
    if !harness::have("git") {
        return None;
    }
    let env = Env::new();
    env.write(".gitignore", "key.txt\nhome/\n");
    git(&env, &["init", "-q", "-b", "main"]);
    Some(env)
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

/// Runs `sealbox ARGS` from `dir` (relative to the workspace).
fn run_in(env: &Env, dir: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .current_dir(env.path(dir))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON report of a run that found something.
fn json(o: &std::process::Output) -> Vec<serde_json::Value> {
    assert_eq!(code(o), 1, "{}", stderr(o));
    serde_json::from_slice::<serde_json::Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// What the text report says to add to `.sealboxignore`.
fn hinted_fingerprint(line: &str) -> String {
    let after = line
        .split("add `")
        .nth(1)
        .expect("a hint to add a fingerprint");
    after.split('`').next().unwrap().to_owned()
}

#[test]
fn issue20_the_printed_fingerprint_works_in_the_ignore_files() {
    let Some(env) = repo() else { return };
    env.write("a.py", format!("token = \"{}\"\n", github_token()));
    env.write("b.env", format!("AWS_ACCESS_KEY_ID={}\n", aws_key_id()));
    let o = run_in(&env, ".", &["scan", "a.py"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let shown = hinted_fingerprint(&out);
    assert!(shown.len() >= 16, "{out}");
    assert!(
        out.contains(&format!("fingerprint {shown};")),
        "the hint names the printed fingerprint: {out}"
    );
    let full = json(&run_in(&env, ".", &["scan", "a.py", "--format", "json"]))[0]["Fingerprint"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(full.starts_with(&shown), "{full} / {shown}");

    // What the text report printed, as printed, silences the finding.
    env.write(".sealboxignore", format!("{shown}\n"));
    let o = run_in(&env, ".", &["scan", "a.py"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    // Too short a prefix is not used (it could hide another secret).
    env.write(".sealboxignore", format!("{}\n", &full[..15]));
    assert_eq!(code(&run_in(&env, ".", &["scan", "a.py"])), 1);
    // A longer prefix, in upper case, in .gitleaksignore.
    std::fs::remove_file(env.path(".sealboxignore")).unwrap();
    env.write(
        ".gitleaksignore",
        format!("{}\n", full[..24].to_ascii_uppercase()),
    );
    assert_eq!(code(&run_in(&env, ".", &["scan", "a.py"])), 0);
    // gitleaks' positional entries keep working beside it.
    let o = run_in(&env, ".", &["scan", "."]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("b.env:1:"), "{}", stdout(&o));
    env.append(".gitleaksignore", b"b.env:aws-access-key-id:1\n");
    let o = run_in(&env, ".", &["scan", "."]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn issue20_root_ignore_files_apply_in_subdirectories_and_paths_start_at_the_root() {
    let Some(env) = repo() else { return };
    env.write("sub/app.py", format!("token = \"{}\"\n", github_token()));
    env.write(
        "sub/deep/b.env",
        format!("AWS_ACCESS_KEY_ID={}\n", aws_key_id()),
    );
    env.write(
        "sub/deep/c.py",
        format!("key = \"{}\"\n", stripe("sk_live_")),
    );
    let all = json(&run_in(&env, ".", &["scan", ".", "--format", "json"]));
    let fp = |file: &str| {
        all.iter()
            .find(|f| f["File"] == file)
            .unwrap_or_else(|| panic!("{file} in {all:?}"))["Fingerprint"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (gh, aws) = (fp("sub/app.py"), fp("sub/deep/b.env"));
    fp("sub/deep/c.py");

    // Every way into sub/deep shows the same paths, from the repository root.
    for (dir, target) in [(".", "sub/deep"), ("sub", "deep"), ("sub/deep", ".")] {
        let found = json(&run_in(&env, dir, &["scan", target, "--format", "json"]));
        let files: Vec<&str> = found.iter().map(|f| f["File"].as_str().unwrap()).collect();
        assert_eq!(files, ["sub/deep/b.env", "sub/deep/c.py"], "from {dir}");
        let o = run_in(&env, dir, &["scan", target, "--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let uris: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(
            uris,
            ["sub/deep/b.env", "sub/deep/c.py"],
            "sarif from {dir}"
        );
        let o = run_in(&env, dir, &["scan", target, "--format", "csv"]);
        assert!(stdout(&o).contains(",sub/deep/b.env,"), "{}", stdout(&o));
        let o = run_in(&env, dir, &["scan", target]);
        assert!(
            stdout(&o).starts_with("sub/deep/b.env:1:"),
            "{}",
            stdout(&o)
        );
        // A single file too.
        let file = if target == "." {
            "b.env".to_owned()
        } else {
            format!("{target}/b.env")
        };
        let found = json(&run_in(&env, dir, &["scan", &file, "--format", "json"]));
        assert_eq!(found[0]["File"], "sub/deep/b.env", "from {dir}");
    }

    // The root's .sealboxignore applies wherever the scan runs, and so does the scanned
    // directory's own.
    env.write(".sealboxignore", format!("{gh}\n{aws}\n"));
    for (dir, target) in [
        (".", "sub"),
        ("sub", "."),
        ("sub/deep", ".."),
        ("sub", "deep"),
    ] {
        let found = json(&run_in(&env, dir, &["scan", target, "--format", "json"]));
        let files: Vec<&str> = found.iter().map(|f| f["File"].as_str().unwrap()).collect();
        assert_eq!(files, ["sub/deep/c.py"], "from {dir}, scanning {target}");
    }
    let c = fp("sub/deep/c.py");
    env.write("sub/deep/.sealboxignore", format!("{c}\n"));
    let o = run_in(&env, "sub/deep", &["scan", "."]);
    assert_eq!(code(&o), 0, "both ignore files apply: {}", stdout(&o));
    std::fs::remove_file(env.path("sub/deep/.sealboxignore")).unwrap();
    // gitleaks' positional entries at the root name paths from the root.
    env.write(".gitleaksignore", "sub/deep/c.py:stripe-secret-key:1\n");
    let o = run_in(&env, "sub/deep", &["scan", "."]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // And stdin, run from a subdirectory, reads the root's file.
    let o = env
        .cmd()
        .current_dir(env.path("sub/deep"))
        .args(["scan", "--stdin"])
        .write_stdin(format!("token = \"{}\"\n", github_token()))
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

#[test]
fn issue20_history_findings_point_at_the_ignore_file_not_a_marker() {
    let Some(env) = repo() else { return };
    env.write("app.py", format!("token = \"{}\"\n", github_token()));
    git(&env, &["add", "."]);
    git(&env, &["commit", "-qm", "token", "--no-verify"]);
    let o = run_in(&env, ".", &["scan", "--git"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("sealbox:allow"), "{out}");
    let shown = hinted_fingerprint(&out);
    assert!(
        out.contains(&format!("add `{shown}` to .sealboxignore")),
        "{out}"
    );
    // Which works, from a subdirectory too.
    env.write(".sealboxignore", format!("{shown}\n"));
    std::fs::create_dir_all(env.path("sub")).unwrap();
    let o = run_in(&env, "sub", &["scan", "--git"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // Staged lines can still take the marker, so their hint offers it.
    env.write("new.py", format!("token = \"{}\"\n", github_token()));
    env.write(".sealboxignore", "");
    git(&env, &["add", "new.py"]);
    let o = run_in(&env, ".", &["scan", "--staged"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("sealbox:allow"), "{}", stdout(&o));
}

#[test]
fn issue20_a_clean_scan_says_what_it_skipped_and_no_ignore_scans_it() {
    let Some(env) = repo() else { return };
    env.append(".gitignore", b"proj/.env\n");
    env.write("proj/.env", format!("AWS_ACCESS_KEY_ID={}\n", aws_key_id()));
    env.write("proj/app.py", "print('hello')\n");
    env.write("proj/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice());
    let o = run_in(&env, ".", &["scan", "proj"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        stderr(&o).trim_end(),
        "sealbox: no secrets found (skipped 1 git-ignored file; \
         --no-ignore scans git-ignored files)"
    );
    // --quiet keeps it quiet.
    let o = run_in(&env, ".", &["scan", "proj", "--quiet"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stderr(&o), "");
    // A git-ignored directory counts once; a scan with nothing skipped says nothing more.
    env.append(".gitignore", b"proj/build/\n");
    env.write("proj/build/a.txt", "x\n");
    env.write("proj/build/b.txt", "x\n");
    let o = run_in(&env, "proj", &["scan", "."]);
    assert!(
        stderr(&o).contains("(skipped 1 git-ignored file, 1 git-ignored directory;"),
        "{}",
        stderr(&o)
    );
    let o = run_in(&env, ".", &["scan", "proj/app.py"]);
    assert_eq!(stderr(&o).trim_end(), "sealbox: no secrets found");

    // --no-ignore scans the ignored file and finds its key.
    let found = json(&run_in(
        &env,
        ".",
        &["scan", "proj", "--no-ignore", "--format", "json"],
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["File"], "proj/.env");
    assert_eq!(found[0]["RuleID"], "aws-access-key-id");
    let o = run_in(&env, ".", &["scan", "proj", "--no-ignore"]);
    assert_eq!(stderr(&o).trim_end(), "sealbox: 1 secret(s) found");
    // .git itself stays out even then.
    let o = run_in(&env, ".", &["scan", ".", "--no-ignore"]);
    assert!(!stdout(&o).contains(".git/"), "{}", stdout(&o));
    // It only makes sense for a directory walk.
    let o = run_in(&env, ".", &["scan", "--staged", "--no-ignore"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
}

#[test]
fn issue20_test_mode_keys_are_low_severity_findings() {
    let Some(env) = repo() else { return };
    env.write(
        "billing.py",
        format!(
            "live = \"{}\"\ntest = \"{}\"\nrestricted = \"{}\"\npublishable = \"{}\"\n",
            stripe("sk_live_"),
            stripe("sk_test_"),
            stripe("rk_test_"),
            stripe("pk_test_"),
        ),
    );
    // Found by a hook on the way into a commit, not only by a directory scan.
    git(&env, &["add", "billing.py"]);
    for args in [&["scan", "."][..], &["scan", "--staged"][..]] {
        let found = json(&run_in(
            &env,
            ".",
            &[args, &["--format", "json"][..]].concat(),
        ));
        let seen: Vec<(i64, &str, &str)> = found
            .iter()
            .map(|f| {
                (
                    f["StartLine"].as_i64().unwrap(),
                    f["RuleID"].as_str().unwrap(),
                    f["Severity"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (1, "stripe-secret-key", "high"),
                (2, "stripe-test-secret-key", "low"),
                (3, "stripe-test-restricted-key", "low"),
            ],
            "{args:?}: publishable keys stay unreported"
        );
    }
    let o = run_in(&env, ".", &["scan", "."]);
    assert_eq!(code(&o), 1, "low-severity findings still fail the scan");
    let out = stdout(&o);
    let line = |n: usize| {
        out.lines()
            .find(|l| l.starts_with(&format!("billing.py:{n}:")))
    };
    assert!(
        line(2)
            .unwrap()
            .contains("stripe-test-secret-key (low severity):"),
        "{out}"
    );
    assert!(!line(1).unwrap().contains("low severity"), "{out}");
    assert!(!out.contains(&stripe("sk_test_")), "still redacted: {out}");
    // SARIF: a note, not an error.
    let o = run_in(&env, ".", &["scan", ".", "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let levels: Vec<(&str, &str, &str)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r["properties"]["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("stripe-secret-key", "error", "high"),
            ("stripe-test-secret-key", "note", "low"),
            ("stripe-test-restricted-key", "note", "low"),
        ]
    );
    // Alone, a test key is still a finding (a hook test with one must fail).
    let o = env
        .cmd()
        .args(["scan", "--stdin"])
        .write_stdin(format!("STRIPE_SECRET_KEY={}\n", stripe("sk_test_")))
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stdout(&o).contains("stripe-test-secret-key (low severity)"));
}

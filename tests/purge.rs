//! Issue 18: `sealbox purge` on real repositories with the real git-filter-repo: several
//! branches and a tag, a secret in an old commit, in a commit message and in a file later
//! deleted. Afterwards no secret is in `git log -p --all`, `scan --git` is clean, the
//! work tree changed only by the replacement, and the backup bundle restores the old
//! history. A dirty tree and a run without confirmation are refused.

use crate::harness::{self, code, Env};

fn token() -> String {
    format!("{}{}", "gh", "p_Zq8Lm3Rt7Wx2Vb9Nc4Hd6Jf1Kg5Ps0Ty3Ua8")
}

fn password() -> String {
    format!("{}{}", "Zx81nnQ2", "vLp7zRk4T9wq")
}

fn git(env: &Env, dir: &std::path::Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git")
        .current_dir(dir)
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
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A repository in `repo/` of the workspace with the secrets where leaks hide; the
/// sealbox project (with the password as a value of environment `prod`) beside it.
fn leaky() -> Option<(Env, std::path::PathBuf)> {
    if !harness::have("git") || !harness::have("git-filter-repo") {
        return None;
    }
    let env = Env::new();
    let repo = env.path("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let g = |args: &[&str]| git(&env, &repo, args);
    g(&["init", "-q", "-b", "main"]);
    env.write("repo/.gitignore", "leaks.json\n");
    env.write("repo/app.py", "print('hello')\n");
    g(&["add", "."]);
    g(&["commit", "-qm", "init"]);
    // A token in a file that a later commit deletes.
    env.write("repo/old.env", format!("GITHUB_TOKEN={}\n", token()));
    g(&["add", "."]);
    g(&["commit", "-qm", "add env"]);
    g(&["rm", "-q", "old.env"]);
    g(&["commit", "-qm", "remove env"]);
    // A branch whose commit message holds the token, and a tag on it.
    g(&["checkout", "-qb", "feature"]);
    env.write("repo/feature.py", "x = 1\n");
    g(&["add", "."]);
    g(&["commit", "-qm", &format!("use token {} for now", token())]);
    g(&["tag", "v1"]);
    g(&["checkout", "-q", "main"]);
    // A password that is still in the work tree.
    env.write(
        "repo/app.py",
        format!("print('hello')\npassword = '{}'\n", password()),
    );
    g(&["commit", "-qam", "config"]);
    // The project whose environment holds the password.
    env.write(
        "repo/.sealbox.toml",
        format!(
            "[environments.prod]\nfiles = [\"secrets/prod.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    Some((env, repo))
}

fn sealbox(env: &Env, repo: &std::path::Path, args: &[&str]) -> std::process::Output {
    env.cmd_with_key()
        .current_dir(repo)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn purge_rewrites_every_ref_backs_up_and_says_what_is_left() {
    let Some((env, repo)) = leaky() else { return };
    // The password is also an environment value: purge suggests rotating it by name.
    let o = env
        .cmd_with_key()
        .current_dir(&repo)
        .args(["set", "prod", "DB_PASSWORD", &password()])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    git(&env, &repo, &["add", ".sealbox.toml", "secrets/prod.env"]);
    git(&env, &repo, &["commit", "-qm", "sealbox"]);
    let o = sealbox(
        &env,
        &repo,
        &[
            "scan",
            "--git",
            "--format",
            "json",
            "--report",
            "leaks.json",
        ],
    );
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let before = git(&env, &repo, &["log", "-p", "--all"]);
    assert!(before.contains(&token()) && before.contains(&password()));

    // Without a terminal and without --yes: refused, nothing changed.
    let o = sealbox(&env, &repo, &["purge", "--report", "leaks.json"]);
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(git(&env, &repo, &["log", "-p", "--all"]).contains(&token()));

    let o = sealbox(
        &env,
        &repo,
        &[
            "purge",
            "--report",
            "leaks.json",
            "--yes",
            "--replace-with",
            "GONE",
        ],
    );
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(code(&o), 0, "{out}{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !out.contains(&token()) && !out.contains(&password()),
        "{out}"
    );
    // No secret anywhere in the history, messages included, on any branch or tag.
    let after = git(&env, &repo, &["log", "-p", "--all"]);
    assert!(!after.contains(&token()), "token left");
    assert!(!after.contains(&password()), "password left");
    assert!(after.contains("use token GONE for now"), "{after}");
    assert!(git(&env, &repo, &["tag"]).contains("v1"));
    assert!(git(&env, &repo, &["branch"]).contains("feature"));
    let o = sealbox(&env, &repo, &["scan", "--git"]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    // The work tree changed by the replacement only.
    assert_eq!(
        std::fs::read_to_string(repo.join("app.py")).unwrap(),
        "print('hello')\npassword = 'GONE'\n"
    );
    assert!(repo.join("leaks.json").exists(), "untracked files stay");
    // What is left to do.
    assert!(out.contains("git push --force --all"), "{out}");
    assert!(out.contains("forks"), "{out}");
    assert!(
        out.contains("sealbox rotate -e prod DB_PASSWORD --generate --run"),
        "{out}"
    );
    assert!(out.contains("rotate at the provider"), "{out}");
    // The backup: absolute, outside the repository, 0600, and it restores the old history.
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("backup: "))
        .expect("backup path printed");
    let bundle = std::path::PathBuf::from(line.trim());
    assert!(
        bundle.is_absolute() && line.trim().ends_with(".bundle"),
        "{line}"
    );
    assert!(!bundle.starts_with(std::fs::canonicalize(&repo).unwrap()));
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&bundle).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let restored = env.path("restored");
    git(
        &env,
        env.dir.path(),
        &[
            "clone",
            "-q",
            "--mirror",
            &bundle.to_string_lossy(),
            &restored.to_string_lossy(),
        ],
    );
    let old = git(&env, &restored, &["log", "-p", "--all"]);
    assert!(old.contains(&token()) && old.contains(&password()));
    // No literals file is left on tmpfs.
    if let Ok(dir) = std::fs::read_dir("/dev/shm") {
        assert!(!dir.flatten().any(|e| e
            .file_name()
            .to_string_lossy()
            .starts_with("sealbox-purge-")));
    }
    let _ = std::fs::remove_file(&bundle);
}

#[test]
fn purge_refuses_a_dirty_tree_and_a_redacted_report() {
    let Some((env, repo)) = leaky() else { return };
    let o = sealbox(
        &env,
        &repo,
        &[
            "scan",
            "--git",
            "--format",
            "json",
            "--report",
            "leaks.json",
        ],
    );
    assert_eq!(code(&o), 1);
    env.append("repo/app.py", b"# edited\n");
    let o = sealbox(&env, &repo, &["purge", "--report", "leaks.json", "--yes"]);
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("uncommitted changes"));
    assert!(git(&env, &repo, &["log", "-p", "--all"]).contains(&token()));
    git(&env, &repo, &["checkout", "--", "app.py"]);
    let o = sealbox(
        &env,
        &repo,
        &[
            "scan", "--git", "--format", "json", "--redact", "--report", "red.json",
        ],
    );
    assert_eq!(code(&o), 1);
    let o = sealbox(&env, &repo, &["purge", "--report", "red.json", "--yes"]);
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("redacted"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains(&token()));
}

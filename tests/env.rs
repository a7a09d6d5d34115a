//! Environments day to day: init (keyring and identity file), set/get/unset, exec and
//! export, direnv, and the errors around them.

use std::os::unix::fs::PermissionsExt;

use crate::harness::{self, assert_clean_failure, code, Env};

const HOSTILE: &[&str] = &[
    "plain",
    "with spaces and = signs",
    "quotes ' and \" and `backticks`",
    "$(touch /tmp/sealbox-pwned) ${HOME} $HOME",
    "multi\nline\nvalue",
    "unicode \u{2713} \u{e9}\u{e8} \u{1f510}",
    "trailing backslash \\",
    "tab\tand\rcarriage",
    "",
];

/// A project with dev (this workspace's key) and prod (another key).
fn project(env: &Env) -> Env {
    let other = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n\n[environments.prod]\nfiles = [\"secrets/prod.env\"]\nage = [\"{}\"]\n",
            env.recipient, other.recipient
        ),
    );
    other
}

fn set(env: &Env, e: &str, k: &str, v: &str) {
    env.cmd_with_key()
        .args(["set", e, k, "-"])
        .write_stdin(format!("{v}\n"))
        .assert()
        .success();
}

#[test]
fn set_get_unset_and_key_validation() {
    let env = Env::new();
    project(&env);
    for (i, v) in HOSTILE.iter().enumerate() {
        set(&env, "dev", &format!("K{i}"), v);
    }
    for (i, v) in HOSTILE.iter().enumerate() {
        let o = env
            .cmd_with_key()
            .args(["get", "dev", &format!("K{i}")])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), *v, "K{i}");
    }
    env.cmd_with_key()
        .args(["unset", "dev", "K0"])
        .assert()
        .success();
    let o = env
        .cmd_with_key()
        .args(["get", "dev", "K0"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "K0", "");
    for bad in ["1BAD", "has-dash", "sp ace", ""] {
        let o = env
            .cmd_with_key()
            .args(["set", "dev", bad, "x"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 2, "{bad:?}");
    }
    let o = env
        .cmd_with_key()
        .args(["set", "dev", "GEN", "--generate", "40"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let g = env
        .cmd_with_key()
        .args(["get", "dev", "GEN"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(g.len(), 40);
    assert!(g
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_'));
    env.write("value.txt", "from a file\n");
    env.cmd_with_key()
        .args(["set", "dev", "FROMFILE", "--from-file", "value.txt"])
        .assert()
        .success();
    assert_eq!(
        env.cmd_with_key()
            .args(["get", "dev", "FROMFILE"])
            .output()
            .unwrap()
            .stdout,
        b"from a file\n"
    );
    let o = env
        .cmd_with_key()
        .args(["set", "dev", "NOVALUE"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "no value and no terminal");
}

#[test]
fn set_changes_one_line_in_git() {
    if !harness::have("git") {
        return;
    }
    let env = Env::new();
    project(&env);
    set(&env, "dev", "A", "1");
    set(&env, "dev", "B", "2");
    set(&env, "dev", "C", "3");
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(env.dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    git(&["init", "-q"]);
    git(&["-c", "user.email=t@t", "-c", "user.name=t", "add", "."]);
    git(&[
        "-c",
        "user.email=t@t",
        "-c",
        "user.name=t",
        "commit",
        "-qm",
        "init",
    ]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    set(&env, "dev", "B", "20");
    let diff = git(&["diff", "-U0", "--", "secrets/dev.env"]);
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .map(|l| l[1..].split('=').next().unwrap())
        .collect();
    assert!(
        changed
            .iter()
            .all(|k| ["B", "sops_mac", "sops_lastmodified"].contains(k)),
        "{diff}"
    );
    assert_eq!(changed.iter().filter(|k| **k == "B").count(), 2, "{diff}");
}

#[test]
fn exec_passes_values_exit_codes_and_errors() {
    let env = Env::new();
    project(&env);
    for (i, v) in HOSTILE.iter().enumerate() {
        set(&env, "dev", &format!("K{i}"), v);
    }
    for (i, v) in HOSTILE.iter().enumerate() {
        let o = env
            .cmd_with_key()
            .args(["exec", "-e", "dev", "--", "printenv", &format!("K{i}")])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(o.stdout).unwrap(),
            format!("{v}\n"),
            "K{i}"
        );
    }
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "sh", "-c", "exit 42"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 42);
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 127, "/definitely/not/here", "");
    let p = env.write("notexec.sh", "#!/bin/sh\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(code(&o), 126);
    // prod is encrypted to another key: exit 3 naming the environment.
    set(&env, "prod", "P", "1");
    let other_only = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "-e", "prod", "--", "true"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&other_only.stderr);
    assert_eq!(code(&other_only), 3, "{err}");
    assert!(err.contains("environment 'prod'"), "{err}");
    for h in HOSTILE.iter().filter(|h| h.len() > 4) {
        assert!(!err.contains(h), "no value in the error");
    }
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "staging", "--", "true"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "staging", "");
}

#[test]
fn exec_merges_environments_and_filters() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.base]\nfiles = [\"secrets/base.env\"]\nage = [\"{r}\"]\n\n[environments.local]\nfiles = [\"secrets/local.env\"]\nage = [\"{r}\"]\n",
            r = env.recipient
        ),
    );
    set(&env, "base", "A", "base-a");
    set(&env, "base", "B", "base-b");
    set(&env, "local", "B", "local-b");
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "base",
            "-e",
            "local",
            "--verbose",
            "--",
            "sh",
            "-c",
            "printf '%s %s' \"$A\" \"$B\"",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "base-a local-b");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("B from local overrides base"), "{err}");
    assert!(
        !err.contains("local-b") && !err.contains("base-a"),
        "--verbose never prints values"
    );
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "base",
            "--only",
            "A",
            "--prefix",
            "APP_",
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s' \"$APP_A\" \"$A\" \"$APP_B\"",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "base-a||");
    let o = env
        .cmd_with_key()
        .env("A", "kept")
        .args(["exec", "-e", "base", "--no-override", "--", "printenv", "A"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "kept\n");
}

#[test]
fn sigterm_reaches_the_child() {
    let env = Env::new();
    project(&env);
    set(&env, "dev", "A", "1");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sealbox"))
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .args([
            "exec",
            "-e",
            "dev",
            "--",
            "sh",
            "-c",
            "trap 'exit 42' TERM; echo ready; while :; do sleep 0.05; done",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "ready\n");
    let st = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(42),
        "the signal reached the child's trap"
    );
}

#[test]
fn export_round_trips_through_real_shells() {
    let env = Env::new();
    project(&env);
    for (i, v) in HOSTILE.iter().enumerate() {
        set(&env, "dev", &format!("K{i}"), v);
    }
    let script = env
        .cmd_with_key()
        .args(["export", "-e", "dev", "--format", "bash"])
        .output()
        .unwrap()
        .stdout;
    let script = String::from_utf8(script).unwrap();
    for (i, v) in HOSTILE.iter().enumerate() {
        let o = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!("eval \"$1\"; printf %s \"$K{i}\""))
            .arg("bash")
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), *v, "bash K{i}");
    }
    assert!(
        !std::path::Path::new("/tmp/sealbox-pwned").exists(),
        "nothing was executed"
    );
    if std::process::Command::new("fish")
        .arg("--version")
        .output()
        .is_ok()
    {
        let fish = String::from_utf8(
            env.cmd_with_key()
                .args(["export", "-e", "dev", "--format", "fish"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        for (i, v) in HOSTILE.iter().enumerate() {
            let o = std::process::Command::new("fish")
                .arg("-c")
                .arg(format!("{fish}\nprintf %s \"$K{i}\""))
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(o.stdout).unwrap(), *v, "fish K{i}");
        }
    }
    let json = env
        .cmd_with_key()
        .args(["export", "-e", "dev", "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["K4"], "multi\nline\nvalue");
    let k8s = String::from_utf8(
        env.cmd_with_key()
            .args(["export", "-e", "dev", "--format", "k8s"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(k8s.starts_with("apiVersion: v1\nkind: Secret\n"), "{k8s}");
    assert!(k8s.contains("    K0: cGxhaW4=\n"), "{k8s}");
    let gh_env = env.path("github_env");
    let o = env
        .cmd_with_key()
        .env("GITHUB_ENV", &gh_env)
        .args(["export", "-e", "dev", "--format", "github-actions"])
        .output()
        .unwrap();
    let masks = String::from_utf8(o.stdout).unwrap();
    assert!(masks.contains("::add-mask::plain\n"));
    assert!(masks.contains("::add-mask::multi\n") && masks.contains("::add-mask::line\n"));
    let written = std::fs::read_to_string(&gh_env).unwrap();
    assert!(written.starts_with("K0<<SEALBOX_EOF_"), "{written}");
    assert!(written.contains("\nmulti\nline\nvalue\n"));
}

#[test]
fn init_with_identity_file_then_use_it() {
    let env = Env::new();
    let o = env
        .cmd()
        .args([
            "init",
            "--yes",
            "--no-keyring",
            "--env",
            "dev",
            "--env",
            "prod",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("age1"), "prints the public key: {out}");
    let idfile = env.path("home/.config/sealbox/identities");
    assert_eq!(
        std::fs::metadata(&idfile).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let cfg = String::from_utf8(env.read(".sealbox.toml")).unwrap();
    assert!(
        cfg.contains("[environments.dev]")
            && cfg.contains("[environments.prod]")
            && !cfg.contains("staging")
    );
    env.cmd()
        .args(["set", "dev", "TOKEN", "t0k"])
        .assert()
        .success();
    assert_eq!(
        env.cmd()
            .args(["get", "dev", "TOKEN"])
            .output()
            .unwrap()
            .stdout,
        b"t0k"
    );
    let o = env.cmd().args(["init", "--yes"]).output().unwrap();
    assert_clean_failure(&o, 2, ".sealbox.toml", "");
}

#[test]
fn init_stores_the_key_in_the_kernel_keyring() {
    if !harness::have("keyctl") {
        return;
    }
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let script = format!(
        "set -e; {b} init --yes >init.out; {b} set dev TOKEN secret-in-keyring; {b} get dev TOKEN; echo; {b} exec -e dev -- printenv TOKEN",
        b = bin.display()
    );
    let o = std::process::Command::new("keyctl")
        .args(["session", "-", "sh", "-c", &script])
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("XDG_CONFIG_HOME", env.path("home/.config"))
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.ends_with("secret-in-keyring\nsecret-in-keyring\n"),
        "{out}"
    );
    let init = String::from_utf8(env.read("init.out")).unwrap();
    assert!(init.contains("kernel keyring"), "{init}");
    assert!(
        !env.path("home/.config/sealbox/identities").exists(),
        "no identity file written"
    );
}

#[test]
fn init_stores_the_key_in_the_secret_service() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static SESSIONS: AtomicUsize = AtomicUsize::new(0);
    if !harness::have("dbus-run-session") || !harness::have("gnome-keyring-daemon") {
        return;
    }
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    // A private D-Bus session with gnome-keyring's Secret Service, its keyring under
    // this workspace (unlocked with a test password).
    // Output goes to files, not pipes: a keyring daemon that outlives the session
    // must not keep the test waiting for end-of-file. Each session stops its daemon.
    let run = |inner: &str| {
        let stop = "kpid=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
            org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets \
            2>/dev/null | awk '/uint32/ {print $2}'); [ -z \"$kpid\" ] || kill \"$kpid\"";
        let script = format!("( {inner} ); st=$?; {stop}; exit $st");
        // A runtime directory of this session's own: a new daemon never finds the
        // control socket of an earlier one.
        let runtime = env.path(&format!("run-{}", SESSIONS.fetch_add(1, Ordering::Relaxed)));
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let out = std::fs::File::create(env.path("session.out")).unwrap();
        let err = std::fs::File::create(env.path("session.err")).unwrap();
        let status = std::process::Command::new("dbus-run-session")
            .args(["--", "sh", "-c", &script])
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("XDG_CONFIG_HOME", env.path("home/.config"))
            .env("XDG_DATA_HOME", env.path("home/.local/share"))
            .env("SEALBOX_AUDIT_LOG", env.path("audit.jsonl"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(std::process::Stdio::null())
            .stdout(out)
            .stderr(err)
            .status()
            .unwrap();
        std::process::Output {
            status,
            stdout: env.read("session.out"),
            stderr: env.read("session.err"),
        }
    };
    let unlock = "printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1";
    let o = run(&format!(
        "set -e; {unlock}; {b} init --yes >init.out; {b} set dev TOKEN secret-in-keyring; {b} get dev TOKEN; echo; {b} exec -e dev -- printenv TOKEN",
        b = bin.display()
    ));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.ends_with("secret-in-keyring\nsecret-in-keyring\n"),
        "{out}"
    );
    let init = String::from_utf8(env.read("init.out")).unwrap();
    assert!(init.contains("Secret Service"), "{init}");
    assert!(
        !env.path("home/.config/sealbox/identities").exists(),
        "no identity file written"
    );
    // The same keyring unlocked again in a new session opens the file…
    let o = run(&format!("{unlock}; {} get dev TOKEN", bin.display()));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "secret-in-keyring",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // …and without the Secret Service there is no identity (3), nothing leaks.
    let o = run(&format!("{} get dev TOKEN", bin.display()));
    assert_eq!(
        o.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("secret-in-keyring"));
}

#[test]
fn config_errors_are_one_line_and_name_the_field() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        "[environments.dev]\nfiles = [\"a.env\"]\nagee = [\"x\"]\n",
    );
    let o = env
        .cmd_with_key()
        .args(["get", "dev", "A"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, ".sealbox.toml", "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("agee") && err.contains("line 3"), "{err}");
    env.write(".sealbox.toml", "[environments.dev\n");
    let o = env
        .cmd_with_key()
        .args(["get", "dev", "A"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, ".sealbox.toml", "");
    env.write(".sealbox.toml", "[environments.dev]\nfiles = [\"a.env\"]\n");
    let o = env
        .cmd_with_key()
        .args(["get", "nope", "A"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "nope", "");
}

#[test]
fn direnv_loads_the_environment() {
    if !harness::have("direnv") {
        return;
    }
    let env = Env::new();
    project(&env);
    set(&env, "dev", "DIRENV_TOKEN", "from-direnv $(not run)");
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    env.write(
        ".envrc",
        format!(
            "watch_file secrets/dev.env\neval \"$({} export -e dev --format bash)\"\n",
            bin.display()
        ),
    );
    let direnv = |args: &[&str]| {
        std::process::Command::new("direnv")
            .args(args)
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("XDG_CONFIG_HOME", env.path("home/.config"))
            .env("XDG_DATA_HOME", env.path("home/.local/share"))
            .env("SEALBOX_AGE_KEY_FILE", &env.key)
            .output()
            .unwrap()
    };
    let o = direnv(&["allow", "."]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = direnv(&["exec", ".", "printenv", "DIRENV_TOKEN"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "from-direnv $(not run)\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn check_reports_policy_findings() {
    let env = Env::new();
    let other = project(&env);
    set(&env, "dev", "A", "1");
    env.cmd_with_key().args(["check"]).assert().success();
    // A shared recipient between dev and prod.
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\", \"secrets/plain.env\"]\nage = [\"{r}\"]\n\n[environments.prod]\nfiles = [\"secrets/prod.env\"]\nage = [\"{r}\", \"{o}\"]\n",
            r = env.recipient,
            o = other.recipient
        ),
    );
    env.write("secrets/plain.env", "LEAK=1\n");
    let o = env
        .cmd_with_key()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"shared-recipient"), "{kinds:?}");
    assert!(kinds.contains(&"unencrypted-secret-file"), "{kinds:?}");
    assert!(!String::from_utf8_lossy(&o.stdout).contains("LEAK=1"));
    // Allowed sharing, the plain file encrypted, then a stale recipient list.
    let cfg = String::from_utf8(env.read(".sealbox.toml")).unwrap();
    env.write(
        ".sealbox.toml",
        format!("allow_shared_recipients = true\n{cfg}"),
    );
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "--in-place",
            "secrets/plain.env",
        ])
        .assert()
        .success();
    env.cmd_with_key().args(["check"]).assert().success();
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &other.recipient,
            "--in-place",
            "secrets/plain.env",
        ])
        .assert()
        .code(2);
    env.write("secrets/other.env", "X=1\n");
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &other.recipient,
            "secrets/other.env",
            "-o",
            "secrets/plain.env",
        ])
        .assert()
        .success();
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    assert_eq!(code(&o), 1);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("recipients-differ") && out.contains("sealbox updatekeys secrets/plain.env"),
        "{out}"
    );
    // A tampered file is an integrity finding.
    let text = String::from_utf8(env.read("secrets/dev.env"))
        .unwrap()
        .replacen("A=ENC[AES256_GCM,data:", "A=ENC[AES256_GCM,data:AA", 1);
    env.write("secrets/dev.env", text);
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("integrity"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn rotate_a_value_with_run_and_access_report() {
    let env = Env::new();
    project(&env);
    set(&env, "dev", "DB_PASSWORD", "old-password-1");
    // A failing --run leaves the value alone.
    let o = env
        .cmd_with_key()
        .args([
            "rotate",
            "-e",
            "dev",
            "DB_PASSWORD",
            "--generate",
            "24",
            "--run",
            "exit 3",
        ])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        env.cmd_with_key()
            .args(["get", "dev", "DB_PASSWORD"])
            .output()
            .unwrap()
            .stdout,
        b"old-password-1"
    );
    // A succeeding one sees the new value, which is then stored.
    env.cmd_with_key()
        .args([
            "rotate",
            "-e",
            "dev",
            "DB_PASSWORD",
            "--generate",
            "24",
            "--run",
            "printf %s \"$DB_PASSWORD\" > applied.txt",
        ])
        .assert()
        .success();
    let applied = env.read("applied.txt");
    assert_eq!(applied.len(), 24);
    assert_eq!(
        env.cmd_with_key()
            .args(["get", "dev", "DB_PASSWORD"])
            .output()
            .unwrap()
            .stdout,
        applied
    );
    let o = env
        .cmd_with_key()
        .args(["rotate", "-e", "dev", "DB_PASSWORD"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "needs --generate");
    let o = env
        .cmd_with_key()
        .args(["rotate", "-e", "dev", "MISSING", "--generate"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    // Who can read what.
    set(&env, "prod", "P", "1");
    let o = env
        .cmd_with_key()
        .args(["check", "--access", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dev = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["environment"] == "dev")
        .unwrap();
    assert!(dev["recipients"][0]
        .as_str()
        .unwrap()
        .contains(&env.recipient));
}

#[test]
fn check_max_age_uses_git_blame_and_lastmodified() {
    let env = Env::new();
    let cfg = |age: &str| {
        format!("[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\nmax_age = \"{age}\"\n", env.recipient)
    };
    env.write(".sealbox.toml", cfg("1d"));
    set(&env, "dev", "OLD_TOKEN", "a");
    set(&env, "dev", "NEW_TOKEN", "b");
    env.cmd_with_key().args(["check"]).assert().success();
    env.write(".sealbox.toml", cfg("soon"));
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    assert_clean_failure_like_config(&o);
    // Outside git: lastmodified decides.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    env.write(".sealbox.toml", cfg("1s"));
    let o = env
        .cmd_with_key()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("secret-too-old") && text.contains("OLD_TOKEN"),
        "{text}"
    );
    assert!(
        text.contains("sealbox rotate -e dev OLD_TOKEN --generate"),
        "{text}"
    );
    if !harness::have("git") {
        return;
    }
    // In git: the commit that last changed the line decides; uncommitted lines fall back.
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(env.dir.path())
            .args(["-c", "user.email=t@t", "-c", "user.name=t"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "secrets/dev.env"]);
    let o = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .args([
            "-c",
            "user.email=t@t",
            "-c",
            "user.name=t",
            "commit",
            "-qm",
            "old secrets",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    // lastmodified says minutes, the commit says 2020: blame wins.
    env.write(".sealbox.toml", cfg("1000d"));
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}");
    assert!(out.contains("2020-01-01"), "{out}");
    // A line changed after the commit is new again.
    set(&env, "dev", "OLD_TOKEN", "rotated");
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("OLD_TOKEN last changed 2020"), "{out}");
    let _ = git;
}

fn assert_clean_failure_like_config(o: &std::process::Output) {
    assert_eq!(code(o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("max_age"));
}

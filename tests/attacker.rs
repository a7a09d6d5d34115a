//! Issue 21: hostile repositories, file systems and children. Each test spells out the
//! attacker's move and checks sealbox never writes where the user did not mean, nor
//! hands a secret to a process that should not have it.

use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _, PermissionsExt as _};
use std::path::Path;

use crate::harness::{code, Env};

const CANARY: &str = "CANARY-21-do-not-leak";

/// `secret.env`, encrypted to this workspace's key, holding the canary.
fn encrypted(env: &Env) {
    env.write("plain.env", format!("DB_PASSWORD={CANARY}\n"));
    env.encrypt("plain.env", "secret.env");
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[test]
fn output_to_a_fifo_is_written_into_not_replaced() {
    let env = Env::new();
    encrypted(&env);
    let fifo = env.path("p");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    env.cmd_with_key()
        .args(["decrypt", "secret.env", "-o", "p"])
        .assert()
        .success();
    let got = String::from_utf8(reader.join().unwrap()).unwrap();
    assert!(got.contains(CANARY), "the reader got: {got:?}");
    let m = std::fs::symlink_metadata(&fifo).unwrap();
    assert!(m.file_type().is_fifo(), "the FIFO was replaced");
}

#[test]
fn output_to_stdout_paths_and_devices_is_written_into() {
    let env = Env::new();
    encrypted(&env);
    // /dev/stdout and /proc/self/fd/1 lead to this command's stdout pipe.
    for target in ["/dev/stdout", "/proc/self/fd/1"] {
        let o = env
            .cmd_with_key()
            .args(["decrypt", "secret.env", "-o", target])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains(CANARY),
            "{target}"
        );
    }
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
    if is_root() {
        // A null device of our own (as root, the finding replaced the real one).
        let dev = env.path("null");
        let ok = std::process::Command::new("mknod")
            .args([dev.to_str().unwrap(), "c", "1", "3"])
            .status()
            .unwrap();
        assert!(ok.success());
        env.cmd_with_key()
            .args(["decrypt", "secret.env", "-o", "null"])
            .assert()
            .success();
        let m = std::fs::symlink_metadata(&dev).unwrap();
        assert!(m.file_type().is_char_device(), "the device was replaced");
        env.cmd_with_key()
            .args([
                "encrypt",
                "--age",
                &env.recipient,
                "plain.env",
                "-o",
                "null",
            ])
            .assert()
            .success();
        assert!(std::fs::symlink_metadata(&dev)
            .unwrap()
            .file_type()
            .is_char_device());
    }
}

/// A cloned repository whose config lists a file outside it, for the attacker's key.
#[test]
fn config_paths_that_leave_the_repository_are_refused() {
    let env = Env::new();
    let attacker = Env::new();
    let victim = env.write("victim/.ssh/id_ed25519", "PRIVATE KEY MATERIAL\n");
    env.write("repo/secrets/dev.env", "A=1\n");
    for entry in ["../victim/.ssh/id_ed25519", "/etc/hostname-nonexistent"] {
        env.write(
            "repo/.sealbox.toml",
            format!(
                "[environments.dev]\nfiles = [\"secrets/dev.env\", \"{entry}\"]\nage = [\"{}\"]\n",
                attacker.recipient
            ),
        );
        for args in [
            vec!["encrypt", "--all", "--in-place"],
            vec!["decrypt", "--all", "--in-place"],
        ] {
            let o = env
                .cmd_with_key()
                .current_dir(env.path("repo"))
                .args(&args)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(code(&o), 2, "{args:?}: {err}");
            assert!(err.contains(entry), "the error names the entry: {err}");
        }
        assert_eq!(std::fs::read(&victim).unwrap(), b"PRIVATE KEY MATERIAL\n");
    }
    // `set` into a primary file outside the repository.
    env.write(
        "repo/.sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"../victim/dev.env\"]\nage = [\"{}\"]\n",
            attacker.recipient
        ),
    );
    let o = env
        .cmd_with_key()
        .current_dir(env.path("repo"))
        .args(["set", "dev", "K", "v"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!env.path("victim/dev.env").exists());
    // A directory inside the repository that is a link to outside it.
    std::os::unix::fs::symlink(env.path("victim/.ssh"), env.path("repo/keys")).unwrap();
    env.write(
        "repo/.sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"keys/id_ed25519\"]\nage = [\"{}\"]\n",
            attacker.recipient
        ),
    );
    let o = env
        .cmd_with_key()
        .current_dir(env.path("repo"))
        .args(["encrypt", "--all", "--in-place"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(&victim).unwrap(), b"PRIVATE KEY MATERIAL\n");
}

fn project(env: &Env, file: &str) {
    std::fs::create_dir_all(env.path("secrets")).unwrap();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"{file}\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
}

#[test]
fn appended_documents_and_duplicate_keys_are_refused_by_exec_export_get() {
    let env = Env::new();
    // YAML: a second document with an empty DB_PASSWORD (outside the MAC).
    project(&env, "secrets/dev.yaml");
    env.write("p.yaml", format!("DB_PASSWORD: {CANARY}\n"));
    env.encrypt("p.yaml", "secrets/dev.yaml");
    let mut text = env.read("secrets/dev.yaml");
    text.extend_from_slice(b"---\nDB_PASSWORD: \"\"\n");
    env.write("secrets/dev.yaml", &text);
    let runs: [&[&str]; 3] = [
        &["exec", "-e", "dev", "--", "true"],
        &["export", "-e", "dev", "--format", "bash"],
        &["get", "dev", "DB_PASSWORD"],
    ];
    for args in runs {
        let o = env.cmd_with_key().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 4, "{args:?}: {err}");
        assert!(err.contains("documents"), "{err}");
        assert!(!err.contains(CANARY) && !String::from_utf8_lossy(&o.stdout).contains(CANARY));
    }
    // dotenv: DB_PASSWORD= appended after the encrypted line.
    project(&env, "secrets/dev.env");
    env.write("p.env", format!("DB_PASSWORD={CANARY}\n"));
    env.encrypt("p.env", "secrets/dev.env");
    env.append("secrets/dev.env", b"DB_PASSWORD=\n");
    for args in runs {
        let o = env.cmd_with_key().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(code(&o), 4, "{args:?}: {err}");
        assert!(err.contains("DB_PASSWORD"), "{err}");
        assert!(!err.contains(CANARY));
    }
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("ambiguous-file"));
}

#[test]
fn check_reports_a_value_emptied_since_the_last_commit() {
    if !crate::harness::have("git") {
        return;
    }
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.write("p.env", format!("DB_PASSWORD={CANARY}\nOTHER=1\n"));
    env.encrypt("p.env", "secrets/dev.env");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(env.dir.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "secrets/dev.env", ".sealbox.toml"]);
    git(&["commit", "-qm", "secrets"]);
    // The attacker blanks the value: the line stays, its value is now empty.
    let text = String::from_utf8(env.read("secrets/dev.env")).unwrap();
    let blanked: String = text
        .lines()
        .map(|l| {
            if l.starts_with("DB_PASSWORD=") {
                "DB_PASSWORD=".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    env.write("secrets/dev.env", blanked);
    let o = env
        .cmd_with_key()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{out}");
    assert!(
        out.contains("emptied-value") && out.contains("DB_PASSWORD"),
        "{out}"
    );
}

#[test]
fn metadata_bomb_fails_fast_in_little_memory() {
    let env = Env::new();
    let mut bomb = String::from("A=ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]\n");
    let mut i = 0;
    while bomb.len() < 384 * 1024 {
        bomb.push_str(&format!("sops_k__list_{i}__list_10000__list_10000=1\n"));
        i += 1;
    }
    env.write("bomb.env", &bomb);
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    for sub in ["decrypt bomb.env", "check", "git textconv bomb.env"] {
        let o = std::process::Command::new("sh")
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .arg("-c")
            .arg(format!(
                "ulimit -v 400000; exec {} --no-audit {sub}",
                bin.display()
            ))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            !err.contains("memory allocation") && !err.contains("panicked"),
            "{sub}: {err}"
        );
        assert!(
            o.status.code().is_some(),
            "{sub}: killed by a signal: {err}"
        );
    }
    let o = env
        .cmd_with_key()
        .args(["decrypt", "bomb.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 4, "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn children_get_the_users_core_limit_and_sealbox_keeps_none() {
    // The test raises the soft core limit; a hard limit below it makes that impossible.
    let probe = std::process::Command::new("sh")
        .args(["-c", "ulimit -S -c 12345 2>/dev/null && ulimit -c"])
        .output()
        .unwrap();
    if String::from_utf8_lossy(&probe.stdout).trim() != "12345" {
        eprintln!("skipping: the hard core limit here is below 12345");
        return;
    }
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.set("dev", "A", "1");
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let run = |inner: &str| {
        std::process::Command::new("sh")
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("SEALBOX_AGE_KEY_FILE", &env.key)
            .env("EDITOR", env.path("editor.sh"))
            .arg("-c")
            .arg(format!("ulimit -S -c 12345; {inner}"))
            .output()
            .unwrap()
    };
    let o = run(&format!(
        "{} --no-audit exec -e dev -- sh -c 'ulimit -c'",
        bin.display()
    ));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "12345");
    // The editor sees sealbox (its parent) with no core limit, and its own restored.
    env.write(
        "editor.sh",
        // sealbox lends its limit to the child while it starts it (it stays undumpable
        // meanwhile), then sets its own back to 0: look once the editor is running.
        "#!/bin/sh\nsleep 0.3\ngrep 'Max core file size' /proc/$PPID/limits > \"$HOME/parent-limit\"\nulimit -c > \"$HOME/child-limit\"\n",
    );
    std::fs::set_permissions(
        env.path("editor.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let o = run(&format!(
        "{} --no-audit edit secrets/dev.env",
        bin.display()
    ));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let parent = std::fs::read_to_string(env.path("home/parent-limit")).unwrap();
    assert!(
        parent.split_whitespace().nth(4) == Some("0"),
        "sealbox's own soft core limit: {parent}"
    );
    let child = std::fs::read_to_string(env.path("home/child-limit")).unwrap();
    assert_eq!(child.trim(), "12345");
}

#[test]
fn in_place_follows_symlinks_and_refuses_hard_links() {
    let env = Env::new();
    env.write("real/target.env", format!("A={CANARY}\n"));
    std::os::unix::fs::symlink("real/target.env", env.path("link.env")).unwrap();
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "link.env"])
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(env.path("link.env"))
        .unwrap()
        .file_type()
        .is_symlink());
    let target = String::from_utf8(env.read("real/target.env")).unwrap();
    assert!(!target.contains(CANARY), "the target was left in plaintext");
    assert!(env
        .decrypt("link.env")
        .ends_with(format!("A={CANARY}\n").as_bytes()));

    env.write("h1.env", format!("A={CANARY}\n"));
    std::fs::hard_link(env.path("h1.env"), env.path("h2.env")).unwrap();
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "h1.env"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 2, "{err}");
    assert!(
        err.contains("hard link") && err.contains("--force"),
        "{err}"
    );
    assert!(String::from_utf8(env.read("h1.env"))
        .unwrap()
        .contains(CANARY));
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "--in-place",
            "--force",
            "h1.env",
        ])
        .assert()
        .success();
    assert!(!String::from_utf8(env.read("h1.env"))
        .unwrap()
        .contains(CANARY));
}

#[test]
fn a_symlink_planted_in_the_output_dir_is_not_followed() {
    let env = Env::new();
    env.write("plain/sub/a.env", format!("A={CANARY}\n"));
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "--output-dir",
            "enc",
            "plain",
        ])
        .assert()
        .success();
    std::fs::create_dir_all(env.path("out")).unwrap();
    std::fs::create_dir_all(env.path("elsewhere")).unwrap();
    std::os::unix::fs::symlink(env.path("elsewhere"), env.path("out/sub")).unwrap();
    let o = env
        .cmd_with_key()
        .args(["decrypt", "--output-dir", "out", "enc"])
        .output()
        .unwrap();
    assert_ne!(code(&o), 0);
    assert!(std::fs::read_dir(env.path("elsewhere"))
        .unwrap()
        .next()
        .is_none());
    // A link planted where the file itself goes: replaced by the file, never followed.
    std::fs::remove_file(env.path("out/sub")).unwrap();
    std::fs::create_dir_all(env.path("out/sub")).unwrap();
    std::os::unix::fs::symlink(env.path("elsewhere/a.env"), env.path("out/sub/a.env")).unwrap();
    let o = env
        .cmd_with_key()
        .args(["decrypt", "--output-dir", "out", "enc"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !env.path("elsewhere/a.env").exists(),
        "written through the link"
    );
    let m = std::fs::symlink_metadata(env.path("out/sub/a.env")).unwrap();
    assert!(m.is_file() && m.mode() & 0o777 == 0o600);
    assert!(String::from_utf8(env.read("out/sub/a.env"))
        .unwrap()
        .contains(CANARY));
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o777
}

#[test]
fn directories_sealbox_creates_are_private_whatever_the_umask() {
    let env = Env::new();
    encrypted(&env);
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let o = std::process::Command::new("sh")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("XDG_CONFIG_HOME", env.path("home/cfg"))
        .env("XDG_STATE_HOME", env.path("home/state"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .arg("-c")
        .arg(format!(
            "umask 000 && mkdir -p proj && cd proj && {b} init --no-keyring --yes >/dev/null && cd .. && {b} decrypt --output-dir out/deep secret.env",
            b = bin.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(mode(&env.path("home/cfg/sealbox")), 0o700);
    assert_eq!(mode(&env.path("home/state/sealbox")), 0o700);
    assert_eq!(mode(&env.path("out")), 0o700);
    assert_eq!(mode(&env.path("out/deep")), 0o700);
}

#[test]
fn children_do_not_inherit_the_identity() {
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.set("dev", "A", "1");
    let key_text = std::fs::read_to_string(&env.key).unwrap();
    let key_line = key_text
        .lines()
        .find(|l| l.starts_with("AGE-"))
        .unwrap()
        .to_owned();
    let leaked = |out: &str| {
        out.contains("SEALBOX_AGE_KEY") || out.contains("SOPS_AGE_KEY") || out.contains(&key_line)
    };
    let o = env
        .cmd()
        .env("SEALBOX_AGE_KEY", &key_line)
        .env("SOPS_AGE_KEY_FILE", &env.key)
        .args(["exec", "-e", "dev", "--", "env"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(out.contains("A=1") && !leaked(&out), "{out}");
    let o = env
        .cmd()
        .env("SEALBOX_AGE_KEY", &key_line)
        .args(["--keep-identity-env", "exec", "-e", "dev", "--", "env"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("SEALBOX_AGE_KEY="));
    // The editor and rotate --run.
    let o = env
        .cmd_with_key()
        .env("EDITOR", "sh -c 'env > \"$HOME/editor-env\"'")
        .args(["edit", "secrets/dev.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!leaked(
        &std::fs::read_to_string(env.path("home/editor-env")).unwrap()
    ));
    let o = env
        .cmd_with_key()
        .args([
            "rotate",
            "-e",
            "dev",
            "A",
            "--generate",
            "--run",
            "env > \"$HOME/run-env\"",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!leaked(
        &std::fs::read_to_string(env.path("home/run-env")).unwrap()
    ));
}

#[test]
fn an_empty_value_never_blanks_an_inherited_variable() {
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.set("dev", "A", "1");
    // The attacker appends `PATH=`: empty values are stored in the clear, outside the MAC.
    env.append("secrets/dev.env", b"PATH=\n");
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "sh", "-c", "printf %s \"$PATH\""])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!o.stdout.is_empty(), "PATH was blanked");
    assert!(String::from_utf8_lossy(&o.stderr).contains("PATH"));
}

#[test]
fn an_identities_file_others_can_write_is_ignored() {
    let env = Env::new();
    encrypted(&env);
    let dir = env.path("home/.config/sealbox");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&env.key, dir.join("identities")).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = env.cmd().args(["decrypt", "secret.env"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 3, "{err}");
    assert!(err.contains("writable by other users"), "{err}");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    env.cmd().args(["decrypt", "secret.env"]).assert().success();
}

#[test]
fn dev_stdout_redirected_to_a_file_keeps_what_the_shell_wrote() {
    let env = Env::new();
    encrypted(&env);
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let o = std::process::Command::new("sh")
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("SEALBOX_AGE_KEY_FILE", &env.key)
        .arg("-c")
        .arg(format!(
            "{{ echo head; {} --no-audit decrypt secret.env -o /dev/stdout; echo tail; }} > out.txt",
            bin.display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(env.read("out.txt")).unwrap();
    assert_eq!(out, format!("head\nDB_PASSWORD={CANARY}\ntail\n"));
}

#[test]
fn a_link_planted_at_the_conflict_name_is_not_written_through() {
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.set("dev", "A", "1");
    let victim = env.write("victim.txt", "precious\n");
    std::os::unix::fs::symlink(&victim, env.path("secrets/dev.env.sealbox-conflict")).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let editor = env.write(
        "race.sh",
        format!(
            "#!/bin/sh\nSEALBOX_AGE_KEY_FILE='{}' {} --quiet --no-audit set dev A other >/dev/null\nsed -i 's/^A=.*/A=mine/' \"$1\"\n",
            env.key.display(),
            bin.display()
        ),
    );
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = env
        .cmd_with_key()
        .env("EDITOR", &editor)
        .args(["edit", "secrets/dev.env"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(code(&o), 2, "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(err.contains("dev.env.sealbox-conflict.1"), "{err}");
    let plain = String::from_utf8(env.decrypt("secrets/dev.env.sealbox-conflict.1")).unwrap();
    assert!(plain.contains("A=mine"));
}

#[test]
fn an_empty_value_in_a_later_environment_or_an_export_blanks_nothing() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.base]\nfiles = [\"secrets/base.env\"]\nage = [\"{r}\"]\nallow_shared_recipients = true\n\n[environments.prod]\nfiles = [\"secrets/prod.env\"]\nage = [\"{r}\"]\n",
            r = env.recipient
        ),
    );
    env.set("base", "DB_HOST", "db.internal");
    env.set("prod", "OTHER", "x");
    env.append("secrets/prod.env", b"DB_HOST=\nPATH=\n");
    let o = env
        .cmd_with_key()
        .args([
            "exec",
            "-e",
            "base",
            "-e",
            "prod",
            "--",
            "sh",
            "-c",
            "printf %s \"$DB_HOST\"",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "db.internal");
    let o = env
        .cmd_with_key()
        .args(["export", "-e", "prod", "--format", "bash"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && !out.contains("PATH"), "{out}");
}

#[test]
fn clear_values_outside_the_mac_are_not_handed_to_programs() {
    let env = Env::new();
    project(&env, "secrets/dev.env");
    env.write("p.env", "SECRET_A=s3cret\nPLAIN=config\n");
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "--mac-only-encrypted",
            "--encrypted-regex",
            "^SECRET",
            "p.env",
            "-o",
            "secrets/dev.env",
        ])
        .assert()
        .success();
    // The MAC covers only encrypted values: the attacker adds a clear one.
    env.append("secrets/dev.env", b"LD_PRELOAD=/tmp/evil.so\n");
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "env"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.contains("SECRET_A=s3cret") && !out.contains("LD_PRELOAD"),
        "{out}"
    );
    let o = env
        .cmd_with_key()
        .args(["get", "dev", "LD_PRELOAD"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 4);
}

#[test]
fn an_output_file_under_dev_shm_is_replaced_whole() {
    // A regular file whose path merely starts with /dev is an ordinary file.
    if !std::path::Path::new("/dev/shm").is_dir() {
        return;
    }
    let env = Env::new();
    encrypted(&env);
    let dir = tempfile::tempdir_in("/dev/shm").unwrap();
    let out = dir.path().join("out.env");
    std::fs::write(
        &out,
        "a much longer previous content than the plaintext will be\n".repeat(9),
    )
    .unwrap();
    env.cmd_with_key()
        .args(["decrypt", "secret.env", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        format!("DB_PASSWORD={CANARY}\n")
    );
}

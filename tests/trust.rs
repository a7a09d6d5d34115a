//! Issue 14, "trust the core": IVs never serve two places or values (finding 1 as
//! reproduced), concurrent writers never lose an update (finding 7), an edit racing a
//! `set` merges or sets the edit aside, and temp files never outlive a killed run
//! (finding 6).

use std::path::Path;
use std::time::Duration;

use crate::harness::{code, Env};

/// The IVs of every `ENC[…]` value in an encrypted text (the MAC's included).
fn ivs(text: &str) -> Vec<String> {
    text.match_indices("iv:")
        .map(|(i, _)| {
            text[i + 3..]
                .chars()
                .take_while(|c| *c != ',')
                .collect::<String>()
        })
        .collect()
}

#[track_caller]
fn assert_unique_ivs(text: &str) {
    let all = ivs(text);
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), all.len(), "an IV is used twice:\n{text}");
}

#[test]
fn issue_14_finding_1_edit_never_reuses_an_iv_for_another_value() {
    let env = Env::new();
    env.write("plain.json", r#"{"a": "b:\u0000str\u0000hello"}"#);
    env.encrypt("plain.json", "secret.json");
    // The editor adds a key whose AAD and value, run together, spell the first one's.
    let script = env.write(
        "editor.sh",
        "#!/bin/sh\nprintf '%s' '{\"a\": \"b:\\u0000str\\u0000hello\", \"a:\\u0000str\\u0000b\": \"hello\"}' > \"$1\"\n",
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    env.cmd_with_key()
        .env("EDITOR", &script)
        .args(["edit", "secret.json"])
        .assert()
        .success();
    let text = String::from_utf8(env.read("secret.json")).unwrap();
    assert_eq!(ivs(&text).len(), 3, "two values and the MAC:\n{text}");
    assert_unique_ivs(&text);
    let plain = String::from_utf8(env.decrypt("secret.json")).unwrap();
    assert!(
        plain.contains(r#""a:\u0000str\u0000b": "hello""#),
        "{plain}"
    );
}

#[test]
fn issue_14_finding_2_equal_list_items_keep_distinct_ivs_after_an_edit() {
    let env = Env::new();
    env.write("plain.yaml", "l:\n  - same\n  - same\n  - same\nk: v\n");
    env.encrypt("plain.yaml", "secret.yaml");
    let before = String::from_utf8(env.read("secret.yaml")).unwrap();
    env.cmd_with_key()
        .env("EDITOR", "sh -c 'echo \"n: new\" >> \"$0\"'")
        .args(["edit", "secret.yaml"])
        .assert()
        .success();
    let after = String::from_utf8(env.read("secret.yaml")).unwrap();
    assert_unique_ivs(&after);
    // Each unchanged item keeps its own ciphertext.
    let items = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.trim_start().starts_with("- ENC["))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(items(&before), items(&after));
}

/// A project with one environment, `dev`, for this workspace's key.
fn project(env: &Env) {
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
}

fn get(env: &Env, key: &str) -> Option<String> {
    let o = env
        .cmd_with_key()
        .args(["--no-audit", "get", "dev", key])
        .output()
        .unwrap();
    o.status
        .success()
        .then(|| String::from_utf8(o.stdout).unwrap())
}

#[test]
fn issue_14_finding_7_concurrent_sets_all_survive() {
    let env = Env::new();
    project(&env);
    env.set("dev", "FIRST", "1");
    let run = env.path("run");
    std::fs::create_dir(&run).unwrap();
    std::fs::set_permissions(&run, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let n = 24;
    let children: Vec<_> = (0..n)
        .map(|i| {
            let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("sealbox"));
            c.current_dir(env.dir.path())
                .env("HOME", env.path("home"))
                .env("XDG_CONFIG_HOME", env.path("home/.config"))
                .env("SEALBOX_AGE_KEY_FILE", &env.key)
                .env("XDG_RUNTIME_DIR", &run)
                .args(["--quiet", "set", "dev", &format!("K{i}"), &format!("v{i}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let plain = String::from_utf8(env.decrypt("secrets/dev.env")).unwrap();
    for i in 0..n {
        assert!(
            plain.contains(&format!("K{i}=v{i}\n")),
            "K{i} lost:\n{plain}"
        );
    }
    assert!(plain.contains("FIRST=1\n"));
    // The lock files went with their locks (where the runtime directory was ours).
    let uid = std::fs::metadata(env.dir.path()).map(|m| std::os::unix::fs::MetadataExt::uid(&m));
    if uid.is_ok_and(|u| !std::path::Path::new(&format!("/run/user/{u}")).exists()) {
        let left: Vec<_> = std::fs::read_dir(run.join("sealbox/locks"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "lock files left: {left:?}");
    }
}

/// An editor that, while "open", lets another writer change the file, then writes
/// `edit` into the buffer.
fn racing_editor(env: &Env, other: &str, edit: &str) -> std::path::PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let script = env.write(
        "race-editor.sh",
        format!(
            "#!/bin/sh\nSEALBOX_AGE_KEY_FILE='{}' {} --quiet --no-audit {other} >/dev/null || exit 9\n{edit} \"$1\"\n",
            env.key.display(),
            bin.display()
        ),
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    script
}

#[test]
fn edit_racing_a_set_merges_key_by_key() {
    let env = Env::new();
    project(&env);
    env.set("dev", "A", "1");
    let editor = racing_editor(&env, "set dev B other-writer", "echo 'C=from-editor' >>");
    env.cmd_with_key()
        .env("EDITOR", &editor)
        .args(["edit", "secrets/dev.env"])
        .assert()
        .success();
    assert_eq!(get(&env, "A").as_deref(), Some("1"));
    assert_eq!(get(&env, "B").as_deref(), Some("other-writer"));
    assert_eq!(get(&env, "C").as_deref(), Some("from-editor"));
    assert!(!env.path("secrets/dev.env.sealbox-conflict").exists());
}

#[test]
fn edit_racing_a_set_of_the_same_key_sets_the_edit_aside() {
    let env = Env::new();
    project(&env);
    env.set("dev", "A", "1");
    let editor = racing_editor(
        &env,
        "set dev A other-writer-canary",
        "sed -i 's/^A=.*/A=editor-canary/'",
    );
    let o = env
        .cmd_with_key()
        .env("EDITOR", &editor)
        .args(["edit", "secrets/dev.env"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_ne!(code(&o), 0, "{err}");
    assert!(
        err.contains("dev.env.sealbox-conflict") && err.contains('A'),
        "{err}"
    );
    assert!(!err.contains("canary"), "a value leaked: {err}");
    // The file is as the other writer left it; the edit is kept, encrypted, aside.
    assert_eq!(get(&env, "A").as_deref(), Some("other-writer-canary"));
    let aside = env.read("secrets/dev.env.sealbox-conflict");
    assert!(!String::from_utf8_lossy(&aside).contains("canary"));
    let plain = String::from_utf8(env.decrypt("secrets/dev.env.sealbox-conflict")).unwrap();
    assert!(plain.contains("A=editor-canary"), "{plain}");
}

fn temp_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        let name = e.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(".sealbox-") {
            out.push(e.display().to_string());
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A process id that is certainly not alive: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut c = std::process::Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

#[test]
fn stale_temp_files_of_dead_writers_are_removed_and_reported() {
    let env = Env::new();
    project(&env);
    env.set("dev", "A", "1");
    let dead = format!("secrets/.sealbox-{}-0123abcd.tmp", dead_pid());
    let live = format!("secrets/.sealbox-{}-4567abcd.tmp", std::process::id());
    env.write(&dead, "A=plaintext-canary\n");
    env.write(&live, "in progress\n");
    let o = env
        .cmd_with_key()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 1, "{report}");
    assert_eq!(report.matches("stale-temp-file").count(), 2, "{report}");
    assert!(!report.contains("plaintext-canary"));
    let o = env
        .cmd_with_key()
        .args(["set", "dev", "B", "2"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("removed 1 temporary file"), "{err}");
    assert!(
        !env.path(&dead).exists(),
        "a dead writer's temp file is left"
    );
    assert!(
        env.path(&live).exists(),
        "a live writer's temp file was removed"
    );
}

#[test]
fn sigkill_during_decrypt_in_place_leaves_no_plaintext_temp_file() {
    let env = Env::new();
    let n = 2000;
    for i in 0..n {
        env.write(
            &format!("plain/d{}/f{i}.env", i % 4),
            format!("K=value-{i}\n"),
        );
    }
    env.cmd()
        .args([
            "--quiet",
            "encrypt",
            "--age",
            &env.recipient,
            "--in-place",
            "plain",
        ])
        .assert()
        .success();
    for delay_ms in [30u64, 80, 160] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("sealbox"))
            .current_dir(env.dir.path())
            .env("HOME", env.path("home"))
            .env("SEALBOX_AGE_KEY_FILE", &env.key)
            .args(["--quiet", "--no-audit", "decrypt", "--in-place", "plain"])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the kill hit, the next run ends with no temp file in the tree.
        let _ = env
            .cmd_with_key()
            .args([
                "--quiet",
                "--no-audit",
                "encrypt",
                "--age",
                &env.recipient,
                "--in-place",
                "plain",
            ])
            .output()
            .unwrap();
        assert_eq!(temp_files(&env.path("plain")), Vec::<String>::new());
    }
}

#[test]
fn a_lock_directory_squatted_by_another_user_is_passed_over() {
    let env = Env::new();
    project(&env);
    // Another user made $TMPDIR/sealbox-UID first, writable by all: not used.
    let tmp = env.path("tmp");
    let uid = rustix::process::geteuid().as_raw();
    let squat = tmp.join(format!("sealbox-{uid}"));
    std::fs::create_dir_all(&squat).unwrap();
    std::fs::set_permissions(&squat, std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    env.cmd_with_key()
        .env("TMPDIR", &tmp)
        .env_remove("XDG_RUNTIME_DIR")
        .args(["set", "dev", "A", "1"])
        .assert()
        .success();
    assert_eq!(get(&env, "A").as_deref(), Some("1"));
}

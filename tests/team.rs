//! Issue 20, the team's life cycle: offboarding really revokes (a removed recipient
//! who kept the old file's wrapped keys cannot read values written later), "can this
//! key read it?" has a truthful answer, and `check` flags a removal that kept the key.

use crate::harness::{code, Env};

/// A second identity: (key file, recipient).
fn bob(env: &Env) -> (std::path::PathBuf, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let path = env.write("bob.key", format!("{}\n", id.to_string().expose_secret()));
    (path, id.to_public().to_string())
}

/// Environment `dev` for this workspace's key and Bob's, with one value set; Bob's
/// recipient.
fn dev_shared_with_bob(env: &Env) -> String {
    let (_, bob_pub) = bob(env);
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"dev.env\"]\nage = [\"{}\", \"{bob_pub}\"]\n",
            env.recipient
        ),
    );
    env.set("dev", "A", "1");
    bob_pub
}

/// Writes an executable script (an editor stand-in).
fn executable(env: &Env, name: &str, body: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = env.write(name, body);
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    path
}

fn project(env: &Env) {
    env.write(
        ".sealbox.toml",
        format!(
            "# the team's project\n[environments.dev]\nfiles = [\"dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
}

/// The old file's metadata lines (with the removed person's wrapped key) spliced onto
/// the new file's values: what an attacker with an old checkout holds.
fn splice(old: &str, new: &str) -> String {
    let mut out: Vec<&str> = new.lines().filter(|l| !l.starts_with("sops_")).collect();
    out.extend(old.lines().filter(|l| l.starts_with("sops_")));
    out.join("\n") + "\n"
}

fn git(env: &Env, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(env.dir.path())
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn recipients_remove_rotates_so_the_removed_key_reads_nothing_new() {
    let env = Env::new();
    project(&env);
    let (bob_key, bob_pub) = bob(&env);
    env.set("dev", "OLD_SECRET", "before-removal");
    env.cmd_with_key()
        .args(["recipients", "add", "-e", "dev", &bob_pub])
        .assert()
        .success();
    let toml = String::from_utf8(env.read(".sealbox.toml")).unwrap();
    assert!(
        toml.contains(&bob_pub) && toml.starts_with("# the team's project"),
        "{toml}"
    );
    // Bob can read while he is a recipient, with his key alone.
    let o = env
        .cmd()
        .args(["--no-audit", "--only-identity"])
        .arg(&bob_key)
        .args(["get", "dev", "OLD_SECRET"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "before-removal");
    let old = String::from_utf8(env.read("dev.env")).unwrap();

    let o = env
        .cmd_with_key()
        .args(["recipients", "remove", "-e", "dev", &bob_pub])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("new data key") && err.contains("OLD_SECRET"),
        "{err}"
    );
    assert!(!String::from_utf8(env.read(".sealbox.toml"))
        .unwrap()
        .contains(&bob_pub));
    env.set("dev", "NEW_SECRET", "after-removal");

    // With only his key, Bob reads nothing.
    let o = env
        .cmd()
        .args(["--no-audit", "--only-identity"])
        .arg(&bob_key)
        .args(["get", "dev", "NEW_SECRET"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    // With his old wrapped key spliced back in, the new values do not open.
    let new = String::from_utf8(env.read("dev.env")).unwrap();
    env.write("spliced.env", splice(&old, &new));
    for extra in [&[][..], &["--ignore-mac"][..]] {
        let o = env
            .cmd()
            .args(["--no-audit", "--only-identity"])
            .arg(&bob_key)
            .arg("decrypt")
            .args(extra)
            .arg("spliced.env")
            .output()
            .unwrap();
        assert!(!o.status.success());
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("after-removal"),
            "the removed key still reads new values"
        );
    }
}

#[test]
fn updatekeys_that_drops_a_recipient_rotates_unless_told_not_to() {
    let env = Env::new();
    let bob_pub = dev_shared_with_bob(&env);
    project(&env);
    let before = String::from_utf8(env.read("dev.env")).unwrap();
    let enc_a = |t: &str| t.lines().find(|l| l.starts_with("A=")).unwrap().to_owned();
    env.cmd_with_key()
        .args(["updatekeys", "--all"])
        .assert()
        .success();
    let after = String::from_utf8(env.read("dev.env")).unwrap();
    assert_ne!(
        enc_a(&before),
        enc_a(&after),
        "the value was not re-encrypted"
    );
    assert!(!after.contains(&bob_pub));

    // --no-rotate keeps the key and says what that means.
    let env = Env::new();
    dev_shared_with_bob(&env);
    project(&env);
    let before = String::from_utf8(env.read("dev.env")).unwrap();
    let o = env
        .cmd_with_key()
        .args(["updatekeys", "--no-rotate", "dev.env"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("can still read"));
    let after = String::from_utf8(env.read("dev.env")).unwrap();
    assert_eq!(enc_a(&before), enc_a(&after));
}

#[test]
fn check_reports_a_removal_that_kept_the_data_key() {
    let env = Env::new();
    git(&env, &["init", "-q", "."]);
    let bob_pub = dev_shared_with_bob(&env);
    git(&env, &["add", "-A"]);
    git(&env, &["commit", "-qm", "with bob"]);
    project(&env);
    env.cmd_with_key()
        .args(["updatekeys", "--no-rotate", "dev.env"])
        .assert()
        .success();
    for with_key in [true, false] {
        let mut c = if with_key {
            env.cmd_with_key()
        } else {
            env.cmd()
        };
        let o = c.args(["check", "--format", "json"]).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(code(&o), 1, "{out}");
        assert!(
            out.contains("removed-recipient-can-read") && out.contains(&bob_pub),
            "{out}"
        );
    }
    // After a rotation the finding is gone.
    env.cmd_with_key()
        .args(["rotate", "dev.env"])
        .assert()
        .success();
    let o = env
        .cmd_with_key()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&o.stdout).contains("removed-recipient-can-read"));
}

#[test]
fn only_identity_tells_the_truth_and_whoami_and_keys_show_no_values() {
    let env = Env::new();
    project(&env);
    let (bob_key, _) = bob(&env);
    env.set("dev", "API_TOKEN", "tok-123");
    // -i adds to the user's own identities, so it cannot answer "can bob read it?"…
    let o = env
        .cmd_with_key()
        .args(["--no-audit", "-i"])
        .arg(&bob_key)
        .args(["get", "dev", "API_TOKEN"])
        .output()
        .unwrap();
    assert!(o.status.success());
    // …--only-identity and --no-default-identities can.
    for flags in [
        vec!["--only-identity"],
        vec!["--no-default-identities", "-i"],
    ] {
        let o = env
            .cmd_with_key()
            .arg("--no-audit")
            .args(&flags)
            .arg(&bob_key)
            .args(["get", "dev", "API_TOKEN"])
            .output()
            .unwrap();
        assert_eq!(code(&o), 3, "{flags:?}");
    }
    let o = env.cmd_with_key().arg("whoami").output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&env.recipient) && out.contains("SEALBOX_AGE_KEY_FILE"),
        "{out}"
    );
    assert!(!out.contains("AGE-SECRET-KEY"));
    // Names without any key.
    let o = env.cmd().args(["keys", "dev"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "API_TOKEN\n");
    let o = env
        .cmd_with_key()
        .args(["recipients", "list"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!("dev\tage\t{}\tin 1/1 files", env.recipient)),
        "{out}"
    );
}

#[test]
fn edit_without_editor_or_terminal_refuses_and_prints_nothing() {
    let env = Env::new();
    env.write("plain.yaml", "password: hunter2-plaintext\n");
    env.encrypt("plain.yaml", "secret.yaml");
    let o = env
        .cmd_with_key()
        .env("TERM", "dumb")
        .args(["edit", "secret.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("hunter2"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("$EDITOR"));
}

#[test]
fn edit_of_a_new_file_creates_it_for_the_configured_recipients() {
    let env = Env::new();
    env.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.yaml$\n    age: {}\n",
            env.recipient
        ),
    );
    let script = executable(
        &env,
        "editor.sh",
        "#!/bin/sh\nprintf 'db:\\n  password: fresh-value\\n' > \"$1\"\n",
    );
    // A directory that does not exist fails before the editor opens: nothing typed is
    // lost to it.
    let marker = executable(
        &env,
        "marker.sh",
        "#!/bin/sh
touch opened
printf 'k: v\n' > \"$1\"\n",
    );
    let o = env
        .cmd_with_key()
        .env("EDITOR", &marker)
        .args(["edit", "new/secrets.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("directory does not exist"));
    assert!(!env.path("opened").exists(), "the editor was not opened");
    std::fs::create_dir_all(env.path("new")).unwrap();
    env.cmd_with_key()
        .env("EDITOR", &script)
        .args(["edit", "new/secrets.yaml"])
        .assert()
        .success();
    let text = String::from_utf8(env.read("new/secrets.yaml")).unwrap();
    assert!(
        !text.contains("fresh-value") && text.contains(&env.recipient),
        "{text}"
    );
    let plain = String::from_utf8(env.decrypt("new/secrets.yaml")).unwrap();
    assert!(plain.contains("password: fresh-value"), "{plain}");
    // An editor that writes nothing creates nothing.
    let noop = executable(&env, "noop.sh", "#!/bin/sh\nexit 0\n");
    env.cmd_with_key()
        .env("EDITOR", &noop)
        .args(["edit", "other.yaml"])
        .assert()
        .success();
    assert!(!env.path("other.yaml").exists());
    // Another writer creates the file while the editor is open: the edit is not lost,
    // it goes aside encrypted, and the other writer's file stays.
    let racer = executable(
        &env,
        "racer.sh",
        "#!/bin/sh
printf 'theirs: 1\n' > raced.yaml
printf 'mine: typed-value\n' > \"$1\"\n",
    );
    let o = env
        .cmd_with_key()
        .env("EDITOR", &racer)
        .args(["edit", "raced.yaml"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("raced.yaml.sealbox-conflict"), "{err}");
    assert!(!err.contains("typed-value"), "{err}");
    assert_eq!(env.read("raced.yaml"), b"theirs: 1\n");
    let aside = String::from_utf8(env.decrypt("raced.yaml.sealbox-conflict")).unwrap();
    assert!(aside.contains("mine: typed-value"), "{aside}");
}

#[test]
fn a_killed_edit_copy_is_wiped_by_the_next_run() {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        std::path::PathBuf::from("/dev/shm")
    } else {
        eprintln!("skipped: no /dev/shm");
        return;
    };
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let dir = base.join(format!("sealbox-edit-{dead}-testkilled"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("secrets.yaml"), "password: left-behind\n").unwrap();
    let env = Env::new();
    env.cmd().args(["whoami"]).output().unwrap();
    assert!(!dir.exists(), "the stale edit copy survived the next run");
}

#[test]
fn a_sops_project_works_with_f_and_init_from_sops_keeps_its_keys_and_selectors() {
    let env = Env::new();
    env.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: secrets/prod/.*\\.yaml$\n    encrypted_regex: ^(password|token)$\n    age: {r}\n  - path_regex: secrets/dev/.*\n    age: {r}\n",
            r = env.recipient
        ),
    );
    env.write("secrets/prod/db.yaml", "password: p-secret\nuser: bob\n");
    env.write(
        "secrets/dev/app.env",
        "API_TOKEN=dev-token\nfeature-flag=on\n",
    );
    for f in ["secrets/prod/db.yaml", "secrets/dev/app.env"] {
        env.cmd()
            .args(["encrypt", "--in-place", f])
            .assert()
            .success();
    }
    // Without any .sealbox.toml: -f reads a plain sops file, as `sops exec-env` does.
    let o = env
        .cmd_with_key()
        .args([
            "--no-audit",
            "get",
            "-f",
            "secrets/dev/app.env",
            "API_TOKEN",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "dev-token");
    let o = env
        .cmd_with_key()
        .args(["--no-audit", "exec", "-f", "secrets/dev/app.env", "--"])
        .args(["sh", "-c", "printf %s \"$API_TOKEN\""])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "dev-token");
    let o = env
        .cmd_with_key()
        .args([
            "--no-audit",
            "export",
            "-f",
            "secrets/dev/app.env",
            "--format",
            "bash",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "export API_TOKEN='dev-token'\n"
    );
    // get ENV points at both ways out.
    let o = env
        .cmd_with_key()
        .args(["get", "dev", "API_TOKEN"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--from-sops"));

    // init next to a .sops.yaml converts it and makes no key.
    let o = env.cmd_with_key().args(["init", "--yes"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!env.path("home/.config/sealbox/identities").exists());
    let toml = String::from_utf8(env.read(".sealbox.toml")).unwrap();
    assert!(
        toml.contains("[environments.prod]") && toml.contains("[environments.dev]"),
        "{toml}"
    );
    assert!(toml.contains("encrypted_regex"), "{toml}");
    let o = env
        .cmd_with_key()
        .args(["--no-audit", "get", "prod", "password"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), "p-secret");
    let o = env.cmd_with_key().args(["check"]).output().unwrap();
    assert_eq!(
        code(&o),
        0,
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // A new file of the project still encrypts by its rule (selector included).
    env.write(
        "secrets/prod/new.yaml",
        "token: t-secret\nname: plain-name\n",
    );
    env.cmd()
        .args(["encrypt", "--in-place", "secrets/prod/new.yaml"])
        .assert()
        .success();
    let text = String::from_utf8(env.read("secrets/prod/new.yaml")).unwrap();
    assert!(
        text.contains("name: plain-name") && !text.contains("t-secret"),
        "{text}"
    );
    // A set into an environment made from a rule keeps the rule's selector: a key it
    // would leave in the clear is refused, one it covers is encrypted.
    let o = env
        .cmd_with_key()
        .args(["set", "prod", "user", "alice"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
    env.cmd_with_key()
        .args(["set", "prod", "password", "rotated-pass"])
        .assert()
        .success();
    let text = String::from_utf8(env.read("secrets/prod/db.yaml")).unwrap();
    assert!(
        text.contains("user: bob") && !text.contains("rotated-pass"),
        "{text}"
    );
}

/// The lines that differ between two texts (as a set: moved lines count as changed).
fn changed_lines(a: &str, b: &str) -> Vec<String> {
    let old: std::collections::HashSet<&str> = a.lines().collect();
    b.lines()
        .filter(|l| !old.contains(l))
        .map(str::to_owned)
        .collect()
}

#[test]
fn an_edit_of_a_sops_file_changes_only_that_value_lastmodified_and_mac() {
    if !crate::harness::have("sops") {
        return;
    }
    let env = Env::new();
    let cases = [
        ("s.yaml", "a: one\nb: two\nc:\n    - x\n", "b: "),
        ("s.json", "{\"a\": \"one\", \"b\": \"two\"}", "\"b\": "),
        ("s.env", "A=one\nB=two\n", "B="),
    ];
    let editor = executable(&env, "ed.sh", "#!/bin/sh\nsed -i 's/two/three/' \"$1\"\n");
    for (name, plain, changed_key) in cases {
        env.write(name, plain);
        let o = env
            .peer("sops")
            .args([
                "--disable-version-check",
                "encrypt",
                "--age",
                &env.recipient,
                "-i",
                name,
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let before = String::from_utf8(env.read(name)).unwrap();
        // A second apart, so lastmodified changes.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        env.cmd_with_key()
            .env("EDITOR", &editor)
            .args(["--no-audit", "edit", name])
            .assert()
            .success();
        let after = String::from_utf8(env.read(name)).unwrap();
        let changed = changed_lines(&before, &after);
        assert_eq!(changed.len(), 3, "{name}: {changed:#?}\n{after}");
        assert!(
            changed
                .iter()
                .any(|l| l.trim_start().starts_with(changed_key)),
            "{changed:?}"
        );
        assert!(
            changed.iter().any(|l| l.contains("lastmodified")),
            "{changed:?}"
        );
        assert!(changed.iter().any(|l| l.contains("mac")), "{changed:?}");
        // And sops reads it.
        let o = env
            .peer("sops")
            .env("SOPS_AGE_KEY_FILE", &env.key)
            .args(["--disable-version-check", "decrypt", name])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("three"));
    }
}

#[test]
fn unset_of_a_missing_key_is_a_note_and_man_pages_have_exit_status_and_environment() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    // Nothing to unset yet, then a key that is not there: both leave things as asked.
    let o = env
        .cmd_with_key()
        .args(["unset", "dev", "NOPE"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    env.set("dev", "A", "1");
    let before = env.read("dev.env");
    let o = env
        .cmd_with_key()
        .args(["unset", "dev", "NOPE"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8_lossy(&o.stderr).contains("not set"));
    assert_eq!(env.read("dev.env"), before, "the file must not change");
    // The committed man pages carry both sections.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for page in ["sealbox.1", "sealbox-exec.1", "sealbox-get.1"] {
        let text = std::fs::read_to_string(root.join("man").join(page)).unwrap();
        assert!(
            text.contains(".SH \"EXIT STATUS\"") && text.contains(".SH \"ENVIRONMENT\""),
            "{page}"
        );
        assert!(text.contains("SEALBOX_AGE_KEY_FILE"), "{page}");
    }
}

#[test]
fn remove_takes_every_entry_refuses_other_lists_and_rotates_files_outside_the_env() {
    let env = Env::new();
    let (_, bob_pub) = bob(&env);
    // Bob twice (two branches each added him), and a file outside the environment's
    // list that still carries his stanza.
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"dev.env\"]\nage = [\"{bob_pub}\", \"{me}\", \"{bob_pub}\"]\n",
            me = env.recipient
        ),
    );
    env.set("dev", "A", "1");
    env.write("other/extra.env", "B=2\n");
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--age", &bob_pub])
        .args(["-o", "other/extra.enc.env", "other/extra.env"])
        .assert()
        .success();
    // A .sops.yaml that still names bob stops the removal before anything changes.
    env.write(
        ".sops.yaml",
        format!("creation_rules:\n  - age: {bob_pub}\n"),
    );
    let toml_before = env.read(".sealbox.toml");
    let o = env
        .cmd_with_key()
        .args(["recipients", "remove", "-e", "dev", &bob_pub])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains(".sops.yaml"));
    assert_eq!(env.read(".sealbox.toml"), toml_before);
    std::fs::remove_file(env.path(".sops.yaml")).unwrap();
    let o = env
        .cmd_with_key()
        .args(["recipients", "remove", "-e", "dev", &bob_pub])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8(env.read(".sealbox.toml"))
        .unwrap()
        .contains(&bob_pub));
    for f in ["dev.env", "other/extra.enc.env"] {
        let text = String::from_utf8(env.read(f)).unwrap();
        assert!(
            !text.contains(&bob_pub),
            "{f} still carries the removed key:\n{text}"
        );
    }
}

#[test]
fn the_audit_head_may_trail_a_killed_run_but_never_lead() {
    let env = Env::new();
    env.write("a.env", "A=1\n");
    env.encrypt("a.env", "a.enc.env");
    for _ in 0..3 {
        env.cmd_with_key()
            .args(["decrypt", "a.enc.env"])
            .assert()
            .success();
    }
    // A run killed between its line and its head: the head is one line behind.
    let heads = env.path("home/.local/state/sealbox/audit-heads");
    let head = std::fs::read_dir(&heads)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let log = std::fs::read_to_string(env.path("home/.local/state/sealbox/audit.jsonl")).unwrap();
    let second: &str = log.lines().nth(1).unwrap();
    use sha2::Digest;
    let h = hex::encode(sha2::Sha256::digest(second.as_bytes()));
    std::fs::write(&head, format!("2 {h}\n")).unwrap();
    env.cmd().args(["audit", "verify"]).assert().success();
    // The next run catches the head up; the chain still verifies.
    env.cmd_with_key()
        .args(["decrypt", "a.enc.env"])
        .assert()
        .success();
    env.cmd().args(["audit", "verify"]).assert().success();
    let text = std::fs::read_to_string(&head).unwrap();
    assert!(text.starts_with("4 "), "{text}");
}

#[test]
fn recipients_remove_edits_key_groups_and_rotates() {
    use age::secrecy::ExposeSecret;
    let env = Env::new();
    let (bob_key, bob_pub) = bob(&env);
    let carol = age::x25519::Identity::generate();
    let carol_pub = carol.to_public().to_string();
    env.write(
        "carol.key",
        format!("{}\n", carol.to_string().expose_secret()),
    );
    // Any two of three groups open the file: Bob is in two of them, so he can read.
    env.write(
        ".sealbox.toml",
        format!(
            "# groups\n[environments.dev]\nfiles = [\"dev.env\"]\nshamir_threshold = 2\n\n[[environments.dev.key_groups]]\nage = [\"{me}\"]\n\n[[environments.dev.key_groups]]\nage = [\"{carol_pub}\", \"{bob_pub}\"]\n\n[[environments.dev.key_groups]]\nage = [\"{me}\", \"{bob_pub}\"]\n",
            me = env.recipient
        ),
    );
    env.set("dev", "OLD_SECRET", "before-removal");
    let bob_reads = |key: &str| {
        let o = env
            .cmd()
            .args(["--no-audit", "--only-identity"])
            .arg(&bob_key)
            .args(["get", "dev", key])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(bob_reads("OLD_SECRET"), "before-removal");
    // Adding to a grouped environment asks which group: refused, nothing changed.
    let o = env
        .cmd_with_key()
        .args(["recipients", "add", "-e", "dev", &carol_pub])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    let o = env
        .cmd_with_key()
        .args(["recipients", "remove", "-e", "dev", &bob_pub])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("new data key"));
    let toml = String::from_utf8(env.read(".sealbox.toml")).unwrap();
    assert!(
        !toml.contains(&bob_pub) && toml.contains(&carol_pub) && toml.starts_with("# groups"),
        "{toml}"
    );
    env.set("dev", "NEW_SECRET", "after-removal");
    assert_eq!(bob_reads("NEW_SECRET"), "");
    assert_eq!(bob_reads("OLD_SECRET"), "");
    // Removing the last member of a group is refused before anything changes.
    let before = env.read("dev.env");
    let o = env
        .cmd_with_key()
        .args(["recipients", "remove", "-e", "dev", &carol_pub])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no recipient"));
    assert_eq!(env.read("dev.env"), before);
    assert!(String::from_utf8(env.read(".sealbox.toml"))
        .unwrap()
        .contains(&carol_pub));
}

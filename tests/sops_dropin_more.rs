//! More of sealbox-as-`sops` against the real sops 3.11 (issue 15, second part):
//! output indentation (`--indent`, `.sops.yaml` `stores:`), `--decryption-order`
//! observed through a logging gpg, key service flags, what `.sops.yaml` keys are
//! accepted, `publish` to the real OpenBao dev server (KV v1 and v2), and a sweep of
//! the spec's example command lines.

use std::path::Path;
use std::process::Output;

use crate::harness::{self, services};
use crate::sops_dropin::{run, Dropin, PGP_FP};

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `a` (with `stdin`) through the real sops and through sealbox-as-sops; asserts
/// equal exit codes, and equal stdout when `stdout`. Returns (theirs, ours).
fn same_with(
    d: &Dropin,
    a: &[&str],
    stdin: Option<&[u8]>,
    stdout: bool,
    env: &[(&str, &str)],
) -> (Output, Output) {
    let mut t = d.theirs();
    let mut o = d.ours();
    for (k, v) in env {
        t.env(k, v);
        o.env(k, v);
    }
    t.args(a);
    o.args(a);
    let (t, o) = (run(t, stdin), run(o, stdin));
    assert_eq!(
        harness::code(&o),
        harness::code(&t),
        "exit code of sops {a:?}\nsops: {}\nsealbox: {}",
        text(&t.stderr),
        text(&o.stderr)
    );
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
    if stdout {
        assert_eq!(text(&o.stdout), text(&t.stdout), "stdout of sops {a:?}");
    }
    (t, o)
}

fn same(d: &Dropin, a: &[&str]) -> (Output, Output) {
    same_with(d, a, None, true, &[])
}

/// Nested maps and lists at every depth, literal blocks in maps and in lists, a
/// list of lists, empty collections: the shapes whose indentation go-yaml computes.
const NESTED: &str = "top:\n  map:\n    - plain\n    - k: 1\n      inner: [1, 2]\n      deeper:\n        - x: y\n          z: [a, b]\n      text: |\n        multi\n        line\n    - - p\n      - q\n    - |\n      lit\n      two\n  flag: true\nempty_list: []\nempty_map: {}\nlast: word\n";

/// Encrypts `plain` as `rel` with the real sops (to the workspace's age key).
fn sops_encrypted(d: &Dropin, plain_rel: &str, plain: &str, out_rel: &str, extra: &[&str]) {
    d.write(plain_rel, plain);
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient])
        .args(extra)
        .arg(plain_rel);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::write(d.env.path(out_rel), &o.stdout).unwrap();
}

/// The part of an encrypted file that does not change between runs: values become
/// `ENC`, and everything from the sops metadata on is cut (its stanza layout is
/// sops 3.13's, see README).
fn shape(enc: &[u8]) -> String {
    let re = regex::Regex::new(r"ENC\[[^\]]*\]").unwrap();
    let t = text(enc);
    let t = re.replace_all(&t, "ENC");
    let mut out = String::new();
    for line in t.lines() {
        let l = line.trim_start();
        if l.starts_with("sops:") || l.starts_with("\"sops\":") {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn indent_flag_and_stores_match_sops_byte_for_byte() {
    let Some(d) = Dropin::new() else { return };
    sops_encrypted(&d, "n.yaml", NESTED, "e.yaml", &[]);
    sops_encrypted(&d, "n2.yaml", NESTED, "e.json", &["--output-type", "json"]);
    // The legacy form reads the global --indent: YAML 0 is the default 4, 1 and 10
    // fall back to go-yaml's 2, negatives fail; JSON 0 is no indentation, -1 a tab.
    for n in ["0", "1", "2", "3", "4", "5", "9", "10", "-1", "-2"] {
        for f in ["e.yaml", "e.json"] {
            same(&d, &["--indent", n, "-d", f]);
            same(&d, &["--indent", n, "-d", "--output-type", "json", f]);
            same(&d, &["--indent", n, "-d", "--output-type", "yaml", f]);
        }
        same(
            &d,
            &["--indent", n, "-d", "--extract", "[\"top\"]", "e.yaml"],
        );
    }
    // (sops prints its whole usage text to stdout; only the code is compared.)
    same_with(&d, &["--indent", "x", "-d", "e.yaml"], None, false, &[]);
    // After a subcommand sops ignores the global flag.
    same(&d, &["--indent", "2", "decrypt", "e.yaml"]);
    same(&d, &["decrypt", "e.yaml"]);
    same(&d, &["decrypt", "e.json"]);
    // Encryption: the document part is byte for byte sops' (values masked).
    for (n, f) in [("2", "n.yaml"), ("3", "n.yaml"), ("0", "n.yaml")] {
        let a = ["--indent", n, "-e", "--age", &d.env.recipient, f];
        let (t, o) = same_with(&d, &a, None, false, &[]);
        assert_eq!(shape(&o.stdout), shape(&t.stdout), "sops {a:?}");
        let a = [
            "--indent",
            n,
            "-e",
            "--age",
            &d.env.recipient,
            "--output-type",
            "json",
            f,
        ];
        let (t, o) = same_with(&d, &a, None, false, &[]);
        assert_eq!(shape(&o.stdout), shape(&t.stdout), "sops {a:?}");
    }
    // stores: in .sops.yaml applies to subcommands and the legacy form alike;
    // the legacy --indent overrides it.
    for (y, j) in [("2", "3"), ("3", "0"), ("4", "2"), ("0", "-1")] {
        d.write(
            ".sops.yaml",
            &format!(
                "stores:\n  yaml:\n    indent: {y}\n  json:\n    indent: {j}\n  json_binary:\n    indent: {j}\ncreation_rules:\n  - age: {}\n",
                d.env.recipient
            ),
        );
        for a in [
            &["decrypt", "e.yaml"][..],
            &["decrypt", "e.json"],
            &["decrypt", "--output-type", "json", "e.yaml"],
            &["-d", "e.yaml"],
            &["--indent", "5", "-d", "e.yaml"],
            &["decrypt", "--extract", "[\"top\"][\"map\"]", "e.yaml"],
        ] {
            same(&d, a);
        }
        for a in [
            &["encrypt", "n.yaml"][..],
            &["encrypt", "--output-type", "json", "n.yaml"],
        ] {
            let (t, o) = same_with(&d, a, None, false, &[]);
            assert_eq!(shape(&o.stdout), shape(&t.stdout), "sops {a:?} ({y}/{j})");
            // And the real sops reads what we wrote.
            let out = format!("ours-{y}.{}", if a.len() > 2 { "json" } else { "yaml" });
            std::fs::write(d.env.path(&out), &o.stdout).unwrap();
            let mut c = d.theirs();
            c.args(["decrypt", "--output-type", "yaml", &out]);
            let back = run(c, None);
            assert!(back.status.success(), "{}", text(&back.stderr));
        }
    }
    // An edit re-encrypts with the stores: indentation too.
    d.write(".sops.yaml", "stores:\n  yaml:\n    indent: 2\n");
    let editor = d
        .env
        .write("append.sh", "#!/bin/sh\necho 'added: 1' >> \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut edited = Vec::new();
    for (tool, name) in [("sops", "edit-t.yaml"), ("sealbox", "edit-o.yaml")] {
        std::fs::copy(d.env.path("e.yaml"), d.env.path(name)).unwrap();
        let mut c = if tool == "sops" { d.theirs() } else { d.ours() };
        c.env("EDITOR", &editor).arg(name);
        let o = run(c, None);
        assert!(o.status.success(), "{tool}: {}", text(&o.stderr));
        edited.push(shape(&std::fs::read(d.env.path(name)).unwrap()));
    }
    assert_eq!(edited[1], edited[0]);
    assert!(edited[0].contains("\nadded: ENC\n") && edited[0].contains("\n  map:\n"));
    // A binary file's envelope is JSON indented by json_binary.
    d.write("blob.bin", "raw\nbytes\n");
    let (t, o) = same_with(&d, &["encrypt", "blob.bin"], None, false, &[]);
    assert_eq!(shape(&o.stdout), shape(&t.stdout));
    // Negative YAML indentation in stores fails as sops fails (exit 4).
    d.write(".sops.yaml", "stores:\n  yaml:\n    indent: -1\n");
    let (_, o) = same(&d, &["decrypt", "e.yaml"]);
    assert_eq!(harness::code(&o), 4);
    std::fs::remove_file(d.env.path(".sops.yaml")).unwrap();
}

#[test]
fn sops_yaml_unknown_keys_are_ignored_and_wrong_types_refused() {
    let Some(d) = Dropin::new() else { return };
    sops_encrypted(&d, "n.yaml", NESTED, "e.yaml", &[]);
    let r = &d.env.recipient;
    for (conf, ok) in [
        (format!("creation_rules:\n  - age: {r}\n    bogus_key: 1\nwhatever: 2\n"), true),
        (
            "destination_rules:\n  - path_regex: x\n    vault_path: a\n    bogus: 1\nstores:\n  yaml:\n    indent: 2\n    foo: 1\n  bar: {}\n".to_owned(),
            true,
        ),
        ("stores: [\n".to_owned(), false),
        ("destination_rules: 5\n".to_owned(), false),
        ("stores:\n  yaml:\n    indent: \"x\"\n".to_owned(), false),
        ("stores:\n  json: 3\n".to_owned(), false),
    ] {
        d.write(".sops.yaml", &conf);
        let (_, o) = same(&d, &["decrypt", "e.yaml"]);
        assert_eq!(o.status.success(), ok, "{conf}: {}", text(&o.stderr));
        if !ok {
            let err = text(&o.stderr);
            assert!(err.contains("error loading config"), "{err}");
            assert_eq!(err.trim().lines().count(), 1, "{err}");
        }
        same_with(&d, &["encrypt", "--age", r.as_str(), "n.yaml"], None, false, &[]);
    }
}

/// A `gpg` that records each call and then runs the real one.
fn logging_gpg(d: &Dropin) -> (std::path::PathBuf, std::path::PathBuf) {
    let log = d.env.path("gpg.log");
    let script = d.env.write(
        "gpg-logged",
        format!(
            "#!/bin/sh\necho called >> '{}'\nexec gpg \"$@\"\n",
            log.display()
        ),
    );
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    (script, log)
}

#[test]
fn decryption_order_decides_which_key_is_tried_first() {
    let Some(d) = Dropin::new() else { return };
    if !harness::have("gpg") {
        return;
    }
    let Some(home) = d.fixture_gnupg() else {
        return;
    };
    const FP: &str = PGP_FP;
    let (gpg, log) = logging_gpg(&d);
    let env = [
        ("GNUPGHOME", home.to_str().unwrap()),
        ("SOPS_GPG_EXEC", gpg.to_str().unwrap()),
    ];
    // One file, both an age and a PGP stanza; both keys work.
    d.write("p.yaml", "a: 1\nb: two\n");
    let (_, o) = same_with(
        &d,
        &["encrypt", "--age", &d.env.recipient, "--pgp", FP, "p.yaml"],
        None,
        false,
        &env,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::write(d.env.path("both.yaml"), &o.stdout).unwrap();
    let calls = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .count()
    };
    // (order flag, SOPS_DECRYPTION_ORDER, whether gpg runs) — the same for both tools.
    for (flag, var, gpg_runs) in [
        (None, None, false),
        (Some("age,pgp"), None, false),
        (Some("pgp,age"), None, true),
        (Some("pgp"), None, true),
        (None, Some("pgp,age"), true),
        (Some("age"), Some("pgp"), false),
        (Some("kms,pgp"), None, true),
        // Types not named follow sops' in-memory group order: kms, pgp, …, age.
        (Some("kms,bogus"), None, true),
        (Some("bogus"), None, true),
    ] {
        let mut a = vec!["decrypt"];
        if let Some(f) = flag {
            a.extend(["--decryption-order", f]);
        }
        a.push("both.yaml");
        let mut e = env.to_vec();
        if let Some(v) = var {
            e.push(("SOPS_DECRYPTION_ORDER", v));
        }
        for ours in [false, true] {
            let _ = std::fs::remove_file(&log);
            let mut c = if ours { d.ours() } else { d.theirs() };
            for (k, v) in &e {
                c.env(k, v);
            }
            c.args(&a);
            let o = run(c, None);
            assert!(o.status.success(), "{a:?}: {}", text(&o.stderr));
            assert_eq!(
                calls() > 0,
                gpg_runs,
                "{} {a:?} (SOPS_DECRYPTION_ORDER={var:?}): gpg calls {}",
                if ours { "sealbox" } else { "sops" },
                calls()
            );
        }
    }
    // Without the age key the default order still reaches PGP.
    let mut e = env.to_vec();
    e.push(("SOPS_AGE_KEY_FILE", "/dev/null"));
    let (_, o) = same_with(&d, &["decrypt", "both.yaml"], None, true, &e);
    assert!(o.status.success());
}

#[test]
fn key_service_flags_are_accepted_as_sops_accepts_them() {
    let Some(d) = Dropin::new() else { return };
    sops_encrypted(&d, "n.yaml", NESTED, "e.yaml", &[]);
    for a in [
        &["decrypt", "--keyservice", "tcp://127.0.0.1:1", "e.yaml"][..],
        &["--keyservice", "unix:///nonexistent.sock", "-d", "e.yaml"],
        &["decrypt", "--enable-local-keyservice", "e.yaml"],
        &["decrypt", "--enable-local-keyservice=true", "e.yaml"],
        &["decrypt", "--enable-local-keyservice=false", "e.yaml"],
        &[
            "decrypt",
            "--enable-local-keyservice=false",
            "--keyservice",
            "tcp://127.0.0.1:1",
            "e.yaml",
        ],
        &["filestatus", "e.yaml"],
    ] {
        same(&d, a);
    }
    let (_, o) = same_with(
        &d,
        &["decrypt", "e.yaml"],
        None,
        true,
        &[("SOPS_ENABLE_LOCAL_KEYSERVICE", "false")],
    );
    assert_eq!(harness::code(&o), 128);
    let (_, o) = same_with(
        &d,
        &[
            "encrypt",
            "--enable-local-keyservice=false",
            "--age",
            &d.env.recipient,
            "n.yaml",
        ],
        None,
        true,
        &[],
    );
    assert_eq!(harness::code(&o), 1);
    // Without a local key, sops asks the remote service and fails (128); so do we,
    // saying that remote services are not consulted.
    let (_, o) = same_with(
        &d,
        &["decrypt", "--keyservice", "tcp://127.0.0.1:1", "e.yaml"],
        None,
        true,
        &[("SOPS_AGE_KEY_FILE", "/dev/null")],
    );
    assert_eq!(harness::code(&o), 128);
    assert!(
        text(&o.stderr).contains("--keyservice"),
        "{}",
        text(&o.stderr)
    );
    // The key service itself is not provided: one clear line, exit 1.
    let mut c = d.ours();
    c.args(["keyservice", "--addr", "127.0.0.1:0"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 1);
    let err = text(&o.stderr);
    assert!(err.contains("not supported"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
}

/// The KV data at `api_path` (`secret/data/…` → `.data.data`, v1 → `.data`).
fn kv_get(addr: &str, api_path: &str) -> Option<serde_json::Value> {
    let (status, v) = services::vault_call(addr, "GET", api_path, services::VAULT_TOKEN, None);
    if status != 200 {
        return None;
    }
    if api_path.contains("/data/") {
        v.pointer("/data/data").cloned()
    } else {
        v.get("data").cloned()
    }
}

fn kv_version(addr: &str, metadata_path: &str) -> u64 {
    let (_, v) = services::vault_call(addr, "GET", metadata_path, services::VAULT_TOKEN, None);
    v.pointer("/data/current_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0)
}

#[test]
fn publish_to_openbao_kv_matches_sops() {
    let Some(d) = Dropin::new() else { return };
    let Some(addr) = services::vault() else {
        return;
    };
    services::vault_kv1(addr);
    let id = d
        .env
        .dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace('.', "");
    let plain = "a: 1\nb:\n  c: hello\n  d: [1, \"x\", true]\n# a comment\ne: 1.5\nf: \"007\"\n";
    std::fs::create_dir_all(d.env.path("dir/sub")).unwrap();
    std::fs::create_dir_all(d.env.path("v1")).unwrap();
    for (p, out) in [
        ("p.yaml", "s.yaml"),
        ("p.yaml", "dir/one.yaml"),
        ("p.yaml", "dir/sub/two.yaml"),
        ("p.yaml", "v1/old.yaml"),
        ("p.yaml", "noext/x.yaml"),
        ("p.yaml", "odd ?#%name.yaml"),
    ] {
        if let Some(parent) = Path::new(out).parent() {
            std::fs::create_dir_all(d.env.path(&parent.to_string_lossy())).unwrap();
        }
        sops_encrypted(&d, p, plain, out, &[]);
    }
    d.write("dotenv.env", "K=v\nN=2\n");
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient, "dotenv.env"]);
    std::fs::write(d.env.path("secret.env"), run(c, None).stdout).unwrap();
    // Each tool gets its own Vault subtree (`{tool}` in vault_path), same rules.
    let conf = |tool: &str| {
        format!(
            "destination_rules:\n  - path_regex: ^v1/\n    vault_path: {id}/{tool}/old\n    vault_kv_mount_name: kv\n    vault_kv_version: 1\n  - path_regex: ^noext/\n    vault_path: {id}/{tool}/noext/\n    vault_address: {addr}\n    omit_extensions: true\n    unknown_key: ignored\n  - path_regex: \\.s3\\.yaml$\n    s3_bucket: bucket\n  - path_regex: \\.both\\.yaml$\n    s3_bucket: bucket\n    vault_path: x\n  - path_regex: \\.none\\.yaml$\n    vault_kv_version: 2\n  - path_regex: (\\.yaml|\\.env)$\n    vault_path: {id}/{tool}/app\n"
        )
    };
    d.write("theirs.yaml", &conf("sops"));
    d.write("ours.yaml", &conf("sealbox"));
    let env = [("VAULT_ADDR", addr), ("VAULT_TOKEN", services::VAULT_TOKEN)];
    // (args after `publish`, stdin)
    let cases: Vec<(Vec<&str>, Option<&[u8]>)> = vec![
        (vec!["-y", "s.yaml"], None),
        (vec!["s.yaml"], Some(b"y\n")),
        (vec!["s.yaml"], Some(b"maybe\ny\n")),
        (vec!["s.yaml"], Some(b"n\n")),
        (vec!["s.yaml"], None),
        (vec!["-y", "--omit-extensions", "s.yaml"], None),
        (vec!["--yes", "v1/old.yaml"], None),
        (vec!["-y", "noext/x.yaml"], None),
        (vec!["-y", "secret.env"], None),
        (vec!["-y", "dir"], None),
        (vec!["-y", "--recursive", "dir"], None),
        (vec!["-y", "--recursive", "--omit-extensions", "dir"], None),
        (vec!["--recursive", "s.yaml"], Some(b"n\n")),
        (
            vec!["--recursive", "--omit-extensions", "s.yaml"],
            Some(b"n\n"),
        ),
        (vec!["--recursive", "dir/../dir/sub"], Some(b"n\n")),
        (
            vec!["--omit-extensions", "./dir/sub/../one.yaml"],
            Some(b"n\n"),
        ),
        (vec!["-y", "p.yaml"], None),
        (vec!["-y", "missing.yaml"], None),
        (vec!["-y"], None),
        (vec!["-y", "theirs.yaml.none.yaml"], None),
        // A name with a space, `?`, `#` and `%` is the entry of that name.
        (vec!["-y", "odd ?#%name.yaml"], None),
    ];
    d.write("theirs.yaml.none.yaml", "x: 1\n");
    for (args, stdin) in &cases {
        let mut outs = Vec::new();
        for tool in ["sops", "sealbox"] {
            let cfg = if tool == "sops" {
                "theirs.yaml"
            } else {
                "ours.yaml"
            };
            let mut c = if tool == "sops" { d.theirs() } else { d.ours() };
            c.envs(env).args(["--config", cfg, "publish"]).args(args);
            let o = run(c, *stdin);
            assert!(!text(&o.stderr).contains("panicked"));
            outs.push(o);
        }
        let (t, o) = (&outs[0], &outs[1]);
        assert_eq!(
            harness::code(o),
            harness::code(t),
            "publish {args:?}\nsops: {}\nsealbox: {}",
            text(&t.stderr),
            text(&o.stderr)
        );
        // The prompt (stdout) differs only in the tool's subtree.
        assert_eq!(
            text(&o.stdout).replace("/sealbox/", "/TOOL/"),
            text(&t.stdout).replace("/sops/", "/TOOL/"),
            "publish {args:?}"
        );
    }
    // What each tool wrote is the same data, types and nesting kept.
    let expect = serde_json::json!({
        "a": 1, "b": {"c": "hello", "d": [1, "x", true]}, "e": 1.5, "f": "007"
    });
    for tool in ["sops", "sealbox"] {
        for path in [
            format!("secret/data/{id}/{tool}/app/s.yaml"),
            format!("secret/data/{id}/{tool}/app/s"),
            format!("kv/{id}/{tool}/old/old.yaml"),
            format!("secret/data/{id}/{tool}/noext/x"),
            format!("secret/data/{id}/{tool}/app/one.yaml"),
            format!("secret/data/{id}/{tool}/app/sub/two.yaml"),
            format!("secret/data/{id}/{tool}/app/sub/two"),
            format!("secret/data/{id}/{tool}/app/odd%20%3F%23%25name.yaml"),
        ] {
            assert_eq!(kv_get(addr, &path), Some(expect.clone()), "{tool}: {path}");
        }
        assert_eq!(
            kv_get(addr, &format!("secret/data/{id}/{tool}/app/secret.env")),
            Some(serde_json::json!({"K": "v", "N": "2"})),
            "{tool}"
        );
        // Every accepted publish is one new KV v2 version (three for s.yaml).
        assert_eq!(
            kv_version(addr, &format!("secret/metadata/{id}/{tool}/app/s.yaml")),
            3,
            "{tool}"
        );
    }
    // S3 and GCS are refused in one line (sops would try the upload).
    d.write("x.s3.yaml", "");
    std::fs::copy(d.env.path("s.yaml"), d.env.path("x.s3.yaml")).unwrap();
    let mut c = d.ours();
    c.envs(env)
        .args(["--config", "ours.yaml", "publish", "-y", "x.s3.yaml"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 1);
    let err = text(&o.stderr);
    assert!(
        err.contains("not supported") && err.contains("s3_bucket"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
    std::fs::copy(d.env.path("s.yaml"), d.env.path("x.both.yaml")).unwrap();
    same_with(
        &d,
        &["--config", "ours.yaml", "publish", "-y", "x.both.yaml"],
        None,
        true,
        &env,
    );
    // A refused token: exit 1 and a message naming the server, never a value.
    let mut c = d.ours();
    c.env("VAULT_ADDR", addr)
        .env("VAULT_TOKEN", "not-a-token")
        .args(["--config", "ours.yaml", "publish", "-y", "s.yaml"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 1);
    let err = text(&o.stderr);
    assert!(err.contains("403") && !err.contains("hello"), "{err}");
}

/// The example command lines of the spec (sops-cli.md), through both tools.
#[test]
fn spec_examples_sweep() {
    let Some(d) = Dropin::new() else { return };
    sops_encrypted(&d, "n.yaml", NESTED, "e.yaml", &[]);
    d.write("flat.yaml", "A: 1\nB: two words\n");
    let r = d.env.recipient.clone();
    d.write(
        ".sops.yaml",
        &format!("creation_rules:\n  - path_regex: \\.yaml$\n    age: {r}\n"),
    );
    for a in [
        &["decrypt", "--extract", "[\"top\"][\"map\"][0]", "e.yaml"][..],
        &[
            "decrypt",
            "--extract",
            "[\"top\"][\"map\"][1][\"k\"]",
            "e.yaml",
        ],
        &["decrypt", "--extract", "['top']['flag']", "e.yaml"],
        &["decrypt", "--output-type", "dotenv", "e.yaml"],
        &["decrypt", "--output-type", "json", "e.yaml"],
        &[
            "decrypt",
            "--output-type",
            "json",
            "--extract",
            "[\"top\"][\"map\"]",
            "e.yaml",
        ],
        &[
            "decrypt",
            "--output-type",
            "json",
            "--extract",
            "[\"top\"]",
            "e.yaml",
        ],
        &["filestatus", "e.yaml"],
        &["filestatus", "flat.yaml"],
        &["decrypt", "--input-type", "json", "e.yaml"],
        &["decrypt", "--filename-override", "x.json", "e.yaml"],
        &["exec-env", "e.yaml", "echo $last"],
        &["exec-env", "--pristine", "e.yaml", "env | grep -c . "],
        &["exec-file", "e.yaml", "cat {}"],
        &["exec-file", "--no-fifo", "e.yaml", "cat {}"],
        &["exec-file", "--output-type", "json", "e.yaml", "cat {}"],
        &["decrypt", "e.yaml", "--extract", "x"],
        &["encrypt"],
        &["set"],
        &["unset", "e.yaml"],
        &["updatekeys"],
        &["publish"],
        &["-e", "-d", "e.yaml"],
        &["-d", "-e", "e.yaml"],
        &["-r", "-e", "flat.yaml"],
        &["-e", "-d", "flat.yaml"],
        // Subcommand flags after the file are moved before it, as urfave does;
        // unknown ones stay positional, other commands' flags are refused.
        &["decrypt", "e.yaml", "--output-type", "json"],
        &["decrypt", "e.yaml", "--extract", "[\"last\"]"],
        &["decrypt", "e.yaml", "--bogus"],
        &["decrypt", "e.yaml", "extra", "--output-type=json"],
        &["decrypt", "--age", "x", "e.yaml"],
        // Flags before a subcommand: only --config and the like are read.
        &["--output-type", "json", "decrypt", "e.yaml"],
        &["--age", "x", "encrypt", "flat.yaml"],
        &["--yes", "-d", "e.yaml"],
        &["--verbose", "decrypt", "e.yaml"],
        &["decrypt", "--config", "x", "e.yaml"],
        &["-d", "e.yaml", "--output-type", "json"],
        // Unknown types fall back to the extension.
        &["decrypt", "--output-type", "foo", "e.yaml"],
        &["decrypt", "--input-type", "foo", "e.yaml"],
        // Missing arguments and files: sops' codes.
        &["set", "e.yaml", "[\"a\"]"],
        &["set", "--value-stdin", "e.yaml"],
        &["unset", "e.yaml", "a", "b"],
        &["groups"],
        &["groups", "add"],
        &["groups", "delete"],
        &["groups", "bogus"],
        &["groups", "add", "--file", "nope.yaml", "--age", "x"],
        &["filestatus"],
        &["rotate"],
        &["rotate", "nope.yaml"],
        &["updatekeys", "nope.yaml"],
        &["decrypt", "nope.yaml"],
        &["exec-env", "nope.yaml", "true"],
        &["set", "nope.yaml", "[\"a\"]", "1"],
    ] {
        let usage = a.contains(&"--age")
            || a.contains(&"--config")
            || a.contains(&"--yes")
            || a == ["groups"];
        same_with(&d, a, None, !usage, &[]);
    }
    // Pipelines: stdin with an explicit type.
    let enc = std::fs::read(d.env.path("e.yaml")).unwrap();
    for a in [
        &[
            "decrypt",
            "--input-type",
            "yaml",
            "--output-type",
            "json",
            "/dev/stdin",
        ][..],
        &["decrypt", "--input-type", "yaml", "--output-type", "json"],
        &["-d", "--input-type", "yaml", "/dev/stdin"],
    ] {
        same_with(&d, a, Some(&enc), true, &[]);
    }
    // encrypt from stdin needs --filename-override; with it, the rule decides.
    same_with(&d, &["encrypt"], Some(b"a: 1\n"), true, &[]);
    let (t, o) = same_with(
        &d,
        &["encrypt", "--filename-override", "x.yaml"],
        Some(b"a: 1\n"),
        false,
        &[],
    );
    assert_eq!(shape(&o.stdout), shape(&t.stdout));
    // set / unset / updatekeys on copies give what sops gives.
    for (i, a) in [
        &["set", "E.yaml", "[\"top\"][\"new\"]", "\"x\""][..],
        &["set", "--idempotent", "E.yaml", "[\"last\"]", "\"word\""],
        &["unset", "E.yaml", "[\"empty_map\"]"],
        &["unset", "--idempotent", "E.yaml", "[\"nope\"]"],
        &["updatekeys", "-y", "E.yaml"],
    ]
    .into_iter()
    .enumerate()
    {
        let (tn, on) = (format!("t{i}.yaml"), format!("o{i}.yaml"));
        std::fs::copy(d.env.path("e.yaml"), d.env.path(&tn)).unwrap();
        std::fs::copy(d.env.path("e.yaml"), d.env.path(&on)).unwrap();
        let mut t = d.theirs();
        t.args(
            a.iter()
                .map(|x| if *x == "E.yaml" { tn.as_str() } else { x }),
        );
        let mut o = d.ours();
        o.args(
            a.iter()
                .map(|x| if *x == "E.yaml" { on.as_str() } else { x }),
        );
        let (t, o) = (run(t, None), run(o, None));
        assert_eq!(
            harness::code(&o),
            harness::code(&t),
            "{a:?}: {}",
            text(&o.stderr)
        );
        let dec = |f: &str| {
            let mut c = d.theirs();
            c.args(["decrypt", f]);
            text(&run(c, None).stdout)
        };
        assert_eq!(dec(&on), dec(&tn), "{a:?}");
    }
}

/// `SOPS_AGE_KEY_CMD` runs once per age recipient tried, told which one in
/// `SOPS_AGE_RECIPIENT`, with no stdin and its stderr kept out of sops' own; a failing
/// helper fails that key only. `SOPS_AGE_SSH_PRIVATE_KEY_CMD` (sops 3.12) prints an
/// SSH private key; the installed sops 3.11 lacks it, so sealbox alone is checked.
#[test]
fn age_key_commands_are_run_per_recipient() {
    let Some(d) = Dropin::new() else {
        return;
    };
    // Encrypted to a key nobody has and to the workspace's key, in that order.
    let nobody = d.recipient2.clone();
    d.write("p.yaml", "db: canary-key-cmd\n");
    let mut c = d.theirs();
    c.args([
        "encrypt",
        "--age",
        &format!("{nobody},{}", d.env.recipient),
        "p.yaml",
    ]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::write(d.env.path("e.yaml"), &o.stdout).unwrap();
    let helper = d.write(
        "helper.sh",
        &format!(
            "#!/bin/sh\necho \"${{SOPS_AGE_RECIPIENT-unset}} $(cat 2>/dev/null | wc -c)\" >> \"$LOG\"\n\
             echo 'helper speaking on stderr' >&2\n\
             [ \"$SOPS_AGE_RECIPIENT\" = \"{}\" ] && exec cat \"$KEY\"\nexit 3\n",
            d.env.recipient
        ),
    );
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let key = d.env.key.display().to_string();
    for (who, log) in [("theirs", "t.log"), ("ours", "o.log")] {
        let mut c = if who == "theirs" {
            d.theirs()
        } else {
            d.ours()
        };
        c.env_remove("SOPS_AGE_KEY_FILE")
            .env("SOPS_AGE_KEY_CMD", format!("'{}'", helper.display()))
            .env("LOG", d.env.path(log))
            .env("KEY", &key)
            .args(["decrypt", "e.yaml"]);
        let o = run(c, Some(b"stdin must not reach the helper"));
        assert!(o.status.success(), "{who}: {}", text(&o.stderr));
        assert_eq!(text(&o.stdout), "db: canary-key-cmd\n");
        assert!(!text(&o.stderr).contains("helper speaking"), "{who}");
    }
    let log = text(&d.env.read("o.log"));
    assert_eq!(log, text(&d.env.read("t.log")));
    assert_eq!(log, format!("{nobody} 0\n{} 0\n", d.env.recipient));
    // A helper that fails: both exit 128 (could not retrieve the key).
    same_with(
        &d,
        &["decrypt", "e.yaml"],
        None,
        true,
        &[
            ("SOPS_AGE_KEY_FILE", "/dev/null"),
            ("SOPS_AGE_KEY_CMD", "false"),
        ],
    );
    // An SSH key printed by a command opens a file encrypted to its public key.
    let Some(ssh) = harness::have("ssh-keygen").then(|| d.env.path("id_test")) else {
        return;
    };
    let o = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&ssh)
        .output()
        .unwrap();
    assert!(o.status.success());
    let public = text(&d.env.read("id_test.pub"));
    let mut c = d.theirs();
    c.args(["encrypt", "--age", public.trim(), "p.yaml"]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    std::fs::write(d.env.path("ssh.yaml"), &o.stdout).unwrap();
    let mut c = d.ours();
    c.env("SOPS_AGE_KEY_FILE", "/dev/null")
        .env(
            "SOPS_AGE_SSH_PRIVATE_KEY_CMD",
            format!("cat '{}'", ssh.display()),
        )
        .args(["decrypt", "ssh.yaml"]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "db: canary-key-cmd\n");
}

/// age plugins (`age1NAME1…` recipients, `AGE-PLUGIN-NAME-1…` identities) run through
/// `age-plugin-NAME` on PATH, as sops and the age CLI run them: a file sops wrote for a
/// plugin opens with sealbox and the other way round, a plugin is not started for a
/// native recipient's stanza, and a missing plugin is one line naming it.
#[test]
fn age_plugins_work_both_ways() {
    let Some(d) = Dropin::new() else {
        return;
    };
    let fakes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fakes");
    let path = format!(
        "{}:{}",
        fakes.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = std::process::Command::new(fakes.join("age-plugin-sbtest"))
        .arg("--generate")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let generated = text(&o.stdout);
    let (identity, recipient) = generated.trim().split_once('\n').unwrap();
    assert!(recipient.starts_with("age1sbtest1"), "{recipient}");
    let ids = d.write(
        "plugin-ids.txt",
        &format!("# a plugin identity\n{identity}\n"),
    );
    let log = d.env.path("plugin.log");
    let env = |c: &mut std::process::Command| {
        c.env("PATH", &path)
            .env("SOPS_AGE_KEY_FILE", &ids)
            .env("SBTEST_LOG", &log);
    };
    d.write("p.yaml", "db: canary-plugin\nlist: [1, 2]\n");
    for (writer, reader) in [(d.theirs(), d.ours()), (d.ours(), d.theirs())] {
        let mut w = writer;
        env(&mut w);
        w.args(["encrypt", "--age", recipient, "p.yaml"]);
        let o = run(w, None);
        assert!(o.status.success(), "{}", text(&o.stderr));
        std::fs::write(d.env.path("e.yaml"), &o.stdout).unwrap();
        let mut r = reader;
        env(&mut r);
        r.args(["decrypt", "e.yaml"]);
        let o = run(r, None);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(
            text(&o.stdout),
            "db: canary-plugin\nlist:\n    - 1\n    - 2\n"
        );
    }
    let runs = text(&d.env.read("plugin.log"));
    assert!(runs.contains("run --age-plugin=recipient-v1"), "{runs}");
    assert!(runs.contains(&format!("identity {identity}")), "{runs}");
    // sealbox's own commands take the same recipients and identities.
    let mut c = d.env.cmd();
    c.env("PATH", &path)
        .args(["encrypt", "--age", recipient, "p.yaml", "-o", "own.yaml"]);
    c.assert().success();
    let mut c = d.env.cmd();
    c.env("PATH", &path)
        .args(["decrypt", "-i"])
        .arg(&ids)
        .arg("own.yaml");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("canary-plugin"));
    // A file for native recipients only: the plugin is never started.
    std::fs::remove_file(&log).unwrap();
    let both = d.write(
        "both.txt",
        &format!("{identity}\n{}", text(&d.env.read("key.txt"))),
    );
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient, "p.yaml"]);
    let o = run(c, None);
    std::fs::write(d.env.path("native.yaml"), &o.stdout).unwrap();
    let mut c = d.ours();
    env(&mut c);
    c.env("SOPS_AGE_KEY_FILE", &both)
        .args(["decrypt", "native.yaml"]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!log.exists(), "the plugin ran for a native stanza");
    // The plugin missing from PATH: exit 128 (encrypt: 1) like sops, the report naming it.
    let mut c = d.ours();
    c.env("SOPS_AGE_KEY_FILE", &ids).args(["decrypt", "e.yaml"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 128, "{}", text(&o.stderr));
    // sops' report, its reasons wrapped behind `| `.
    let err = text(&o.stderr);
    let flat = err.replace("\n      | ", " ");
    assert!(
        flat.contains("age-plugin-sbtest") && flat.contains("not on PATH"),
        "{err}"
    );
    assert!(err.starts_with("Failed to get the data key"), "{err}");
    let mut c = d.ours();
    c.args(["encrypt", "--age", recipient, "p.yaml"]);
    assert_eq!(harness::code(&run(c, None)), 1);
}

/// Runs `c decrypt e.yaml` on a terminal (util-linux `script`), typing `typed` once the
/// prompt is up (a prompt may flush what was typed before it); what the terminal showed.
fn on_terminal(d: &Dropin, c: std::process::Command, typed: &str, env: &[(&str, &str)]) -> String {
    let program = c.get_program().to_string_lossy().into_owned();
    let mut s = std::process::Command::new("bash");
    s.current_dir(d.env.path(".")).arg("-c").arg(format!(
        "(sleep 2; printf '%s\\n' '{typed}') | timeout 60 script -qec \"'{program}' decrypt e.yaml\" /dev/null"
    ));
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => s.env(k, v),
            None => s.env_remove(k),
        };
    }
    for (k, v) in env {
        s.env(k, v);
    }
    text(&run(s, None).stdout)
}

/// An identity file encrypted with a passphrase (`age -p keys.txt > keys.age`), as sops
/// 3.10+ reads it: the passphrase is asked on the terminal; without one the key is
/// unusable and the message says why (exit 128 like sops).
#[test]
fn passphrase_encrypted_identity_file() {
    let Some(d) = Dropin::new() else {
        return;
    };
    let keys = d.env.read("key.txt");
    let enc = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(
        "correct horse".to_owned(),
    ));
    let mut out = Vec::new();
    {
        use std::io::Write as _;
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)
                .unwrap();
        let mut w = enc.wrap_output(armor).unwrap();
        w.write_all(&keys).unwrap();
        w.finish().and_then(|a| a.finish()).unwrap();
    }
    std::fs::write(d.env.path("keys.age"), &out).unwrap();
    sops_encrypted(&d, "p.yaml", "db: canary-pass\n", "e.yaml", &[]);
    let keys_age = d.env.path("keys.age").display().to_string();
    // No terminal: both fail with 128; ours says how to unlock it.
    let (_, o) = same_with(
        &d,
        &["decrypt", "e.yaml"],
        None,
        true,
        &[("SOPS_AGE_KEY_FILE", &keys_age)],
    );
    assert!(
        text(&o.stderr).contains("passphrase"),
        "{}",
        text(&o.stderr)
    );
    // On a terminal (util-linux `script` gives one), the right passphrase opens it.
    if !harness::have("script") {
        return;
    }
    for (who, pass, ok) in [
        ("theirs", "correct horse", true),
        ("ours", "correct horse", true),
        ("ours", "wrong", false),
    ] {
        let c = if who == "theirs" {
            d.theirs()
        } else {
            d.ours()
        };
        let out = on_terminal(&d, c, pass, &[("SOPS_AGE_KEY_FILE", &keys_age)]);
        assert_eq!(out.contains("db: canary-pass"), ok, "{who}: {out}");
        assert!(!out.contains("panicked"), "{out}");
    }
}

/// A passphrase-protected SSH key (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, `~/.ssh/id_*`): the
/// passphrase is asked on the terminal when a stanza for that key is met; without a
/// terminal the key is skipped (exit 128, as sops).
#[test]
fn passphrase_protected_ssh_key() {
    let Some(d) = Dropin::new() else {
        return;
    };
    if !harness::have("ssh-keygen") || !harness::have("script") {
        return;
    }
    let key = d.env.path("id_locked");
    let o = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "open sesame", "-C", "t", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(o.status.success());
    let public = text(&d.env.read("id_locked.pub"));
    sops_encrypted(
        &d,
        "p.yaml",
        "db: canary-ssh\n",
        "e.yaml",
        &["--age", public.trim()],
    );
    let key_s = key.display().to_string();
    same_with(
        &d,
        &["decrypt", "e.yaml"],
        None,
        true,
        &[
            ("SOPS_AGE_KEY_FILE", "/dev/null"),
            ("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key_s),
        ],
    );
    for (pass, ok) in [("open sesame", true), ("wrong", false)] {
        let out = on_terminal(
            &d,
            d.ours(),
            pass,
            &[
                ("SOPS_AGE_KEY_FILE", "/dev/null"),
                ("SOPS_AGE_SSH_PRIVATE_KEY_FILE", &key_s),
            ],
        );
        assert_eq!(out.contains("db: canary-ssh"), ok, "{out}");
        assert!(
            !out.contains("open sesame") && !out.contains("panicked"),
            "{out}"
        );
    }
}

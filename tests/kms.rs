//! Cloud KMS recipients against real services: AWS KMS through moto, Vault transit
//! through the OpenBao dev server, and sops 3.11 reaching the same servers. GCP KMS and
//! Azure Key Vault run against the local fake (`tests/fakes/cloud_kms.py`), which
//! checks each request's documented shape.

use crate::harness::services as svc;
use crate::harness::{code, have, Env};

const PLAIN: &str = "DB_PASSWORD=kms-canary-3141\nAPI=two\n";

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `sealbox` with the AWS variables pointing at moto and a Vault token.
fn cmd(e: &Env, moto: &str, vault: Option<&str>) -> assert_cmd::Command {
    let mut c = e.cmd();
    svc::aws_env(&mut c, moto);
    match vault {
        Some(_) => c.env("VAULT_TOKEN", svc::VAULT_TOKEN),
        None => c.env_remove("VAULT_TOKEN"),
    };
    // The token goes only to the server VAULT_ADDR names (or one named for the run).
    match svc::vault() {
        Some(v) => c.env("VAULT_ADDR", v),
        None => c.env_remove("VAULT_ADDR"),
    };
    c.env_remove("BAO_ADDR");
    c
}

/// A server that records whether anyone connected, and what they sent first.
fn listener() -> (String, std::sync::mpsc::Receiver<String>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            use std::io::Read as _;
            let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(2)));
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
        }
    });
    (addr, rx)
}

#[test]
fn vault_token_goes_only_to_servers_the_user_chose() {
    let Some((moto, vault)) = services() else {
        return;
    };
    let _l = svc::kms_lock();
    svc::vault_key(vault, "sealbox-allow");
    let uri = format!("{vault}/v1/transit/keys/sealbox-allow");
    let e = Env::new();
    e.write("a.yaml", "db: kms-canary-3141\n");
    // A file for the victim's age key and for Vault (the flag names the real server).
    cmd(&e, moto, Some(vault))
        .args([
            "encrypt",
            "--age",
            &e.recipient,
            "--hc-vault-transit",
            &uri,
            "a.yaml",
            "-o",
            "good.yaml",
        ])
        .assert()
        .success();
    // The attacker's copy: same file, its Vault stanza pointing at their server.
    let (evil, seen) = listener();
    let good = String::from_utf8(e.read("good.yaml")).unwrap();
    assert!(good.contains(&format!("vault_address: {vault}")), "{good}");
    let hostile = good.replace(
        &format!("vault_address: {vault}"),
        &format!("vault_address: {evil}"),
    );
    e.write("hostile.yaml", &hostile);
    let token = "s.victims-vault-token";

    // Without an age key only Vault could open it: refused before any request, exit 5,
    // and the message says how to allow the server.
    for allow in [None, Some("none"), Some(&*format!("{vault}/"))] {
        let mut c = cmd(&e, moto, Some(vault));
        c.env("VAULT_TOKEN", token);
        if let Some(a) = allow {
            c.env("SOPS_HC_VAULT_ALLOWLIST", a);
        }
        let o = c.args(["decrypt", "hostile.yaml"]).output().unwrap();
        assert_eq!(code(&o), 5, "{allow:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("SOPS_HC_VAULT_ALLOWLIST"),
            "{}",
            stderr(&o)
        );
        assert!(!stderr(&o).contains(token));
    }
    // Re-keying with the victim's age key does not wrap for the file's server either,
    // in sealbox's grammar or sops'.
    let bin = assert_cmd::cargo::cargo_bin("sealbox");
    let mut c = cmd(&e, moto, Some(vault));
    c.env("VAULT_TOKEN", token)
        .env("SEALBOX_AGE_KEY_FILE", &e.key);
    let o = c.args(["rotate", "hostile.yaml"]).output().unwrap();
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    let o = std::process::Command::new(&bin)
        .current_dir(e.key.parent().unwrap())
        .env("HOME", e.path("home"))
        .env("VAULT_TOKEN", token)
        .env("VAULT_ADDR", vault)
        .env("SOPS_AGE_KEY_FILE", &e.key)
        .args(["sops", "rotate", "-i", "hostile.yaml"])
        .output()
        .unwrap();
    assert_ne!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(e.read("hostile.yaml"), hostile.as_bytes());
    assert!(
        seen.try_recv().is_err(),
        "the token was sent to the file's server"
    );

    // The real server: allowed as VAULT_ADDR, as a listed prefix, or with `all`.
    for (addr, allow) in [
        (Some(vault), None),
        (None, Some(format!("{vault}/"))),
        (None, Some("http://elsewhere/, ".to_owned() + vault)),
        (None, Some("all".to_owned())),
    ] {
        let mut c = cmd(&e, moto, Some(vault));
        c.env_remove("VAULT_ADDR");
        if let Some(a) = addr {
            c.env("VAULT_ADDR", a);
        }
        if let Some(a) = &allow {
            c.env("SOPS_HC_VAULT_ALLOWLIST", a);
        }
        let o = c.args(["decrypt", "good.yaml"]).output().unwrap();
        assert!(o.status.success(), "{addr:?} {allow:?}: {}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("kms-canary-3141"));
    }
    // Neither: refused, with the fix named.
    let mut c = cmd(&e, moto, Some(vault));
    c.env_remove("VAULT_ADDR");
    let o = c.args(["decrypt", "good.yaml"]).output().unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("VAULT_ADDR={vault}")),
        "{}",
        stderr(&o)
    );
    // `all` restores sops' default: the file's server is asked (and gets the token).
    let mut c = cmd(&e, moto, Some(vault));
    c.env("VAULT_TOKEN", token)
        .env("SOPS_HC_VAULT_ALLOWLIST", "all");
    let o = c
        .timeout(std::time::Duration::from_secs(60))
        .args(["decrypt", "hostile.yaml"])
        .output()
        .unwrap();
    assert_ne!(code(&o), 0);
    let sent = seen
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("with `all` the file's server is asked");
    assert!(sent.contains(token), "{sent}");
}

fn sops(e: &Env, moto: &str) -> std::process::Command {
    let mut c = e.peer("sops");
    svc::aws_env_std(&mut c, moto);
    c.env("VAULT_TOKEN", svc::VAULT_TOKEN);
    c.arg("--disable-version-check");
    c
}

fn services() -> Option<(&'static str, &'static str)> {
    Some((svc::moto()?, svc::vault()?))
}

#[test]
fn aws_kms_round_trip_in_every_store_and_sops_reads_it() {
    let Some((moto, _)) = services() else { return };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    let e = Env::new();
    let files = [
        ("a.env", PLAIN.to_owned()),
        (
            "a.yaml",
            "db:\n    password: kms-canary-3141\n    port: 5432\n".to_owned(),
        ),
        (
            "a.json",
            "{\n\t\"password\": \"kms-canary-3141\",\n\t\"n\": [\n\t\t1,\n\t\t2\n\t]\n}\n"
                .to_owned(),
        ),
        ("a.ini", "[db]\npassword = kms-canary-3141\n".to_owned()),
        ("a.bin", "raw kms-canary-3141 \u{1}\u{2}".to_owned()),
    ];
    let sops_here = have("sops");
    for (name, text) in &files {
        e.write(name, text);
        let out = format!("enc.{name}");
        cmd(&e, moto, None)
            .args([
                "encrypt",
                "--aws-kms",
                &arn,
                "--encryption-context",
                "env:prod,team:core",
            ])
            .args([*name, "-o", &out])
            .assert()
            .success();
        let enc = String::from_utf8(e.read(&out)).unwrap();
        assert!(
            !enc.contains("kms-canary-3141"),
            "{name}: plaintext in the file"
        );
        assert!(enc.contains(&arn), "{name}: no kms stanza");
        assert!(
            enc.contains("prod") && enc.contains("core"),
            "{name}: no context"
        );
        let back = cmd(&e, moto, None)
            .args(["decrypt", &out])
            .output()
            .unwrap();
        assert!(back.status.success(), "{name}: {}", stderr(&back));
        assert_eq!(String::from_utf8_lossy(&back.stdout), *text, "{name}");
        if sops_here {
            let o = sops(&e, moto).args(["decrypt", &out]).output().unwrap();
            assert!(o.status.success(), "sops {name}: {}", stderr(&o));
            assert_eq!(String::from_utf8_lossy(&o.stdout), *text, "sops {name}");
        }
    }
    // The other way: sops writes with KMS (and a context), sealbox decrypts.
    if sops_here {
        e.write("s.yaml", "token: kms-canary-3141\nlist: [a, b]\n");
        let o = sops(&e, moto)
            .args([
                "encrypt",
                "--kms",
                &arn,
                "--encryption-context",
                "env:prod",
                "s.yaml",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        e.write("s.enc.yaml", &o.stdout);
        let back = cmd(&e, moto, None)
            .args(["decrypt", "s.enc.yaml"])
            .output()
            .unwrap();
        assert!(back.status.success(), "{}", stderr(&back));
        assert!(String::from_utf8_lossy(&back.stdout).contains("token: kms-canary-3141"));
    }
}

#[test]
fn vault_transit_round_trip_both_ways_with_sops() {
    let Some((moto, vault)) = services() else {
        return;
    };
    let _l = svc::kms_lock();
    svc::vault_key(vault, "sealbox-rt");
    let uri = format!("{vault}/v1/transit/keys/sealbox-rt");
    let e = Env::new();
    e.write("a.env", PLAIN);
    cmd(&e, moto, Some(vault))
        .args([
            "encrypt",
            "--hc-vault-transit",
            &uri,
            "a.env",
            "-o",
            "enc.env",
        ])
        .assert()
        .success();
    let enc = String::from_utf8(e.read("enc.env")).unwrap();
    assert!(
        enc.contains("sops_hc_vault__list_0__map_enc=vault:v1:"),
        "{enc}"
    );
    assert!(enc.contains("sops_hc_vault__list_0__map_engine_path=transit"));
    assert!(enc.contains("sops_hc_vault__list_0__map_key_name=sealbox-rt"));
    let back = cmd(&e, moto, Some(vault))
        .args(["decrypt", "enc.env"])
        .output()
        .unwrap();
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(String::from_utf8_lossy(&back.stdout), PLAIN);
    // The token from ~/.vault-token works as well.
    e.write("home/.vault-token", "root\n");
    let mut c = cmd(&e, moto, None);
    let back = c.args(["decrypt", "enc.env"]).output().unwrap();
    assert!(back.status.success(), "{}", stderr(&back));
    std::fs::remove_file(e.path("home/.vault-token")).unwrap();
    // A relative URI takes its address from VAULT_ADDR.
    cmd(&e, moto, Some(vault))
        .env("VAULT_ADDR", vault)
        .args([
            "encrypt",
            "--hc-vault-transit",
            "transit/keys/sealbox-rt",
            "a.env",
            "-o",
            "rel.env",
        ])
        .assert()
        .success();
    assert!(String::from_utf8(e.read("rel.env"))
        .unwrap()
        .contains(&format!("vault_address={vault}")));
    if have("sops") {
        let o = sops(&e, moto)
            .args(["decrypt", "enc.env"])
            .output()
            .unwrap();
        assert!(o.status.success(), "sops: {}", stderr(&o));
        assert_eq!(String::from_utf8_lossy(&o.stdout), PLAIN);
        e.write("s.json", "{\"k\": \"kms-canary-3141\"}");
        let o = sops(&e, moto)
            .args(["encrypt", "--hc-vault-transit", &uri, "s.json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        e.write("s.enc.json", &o.stdout);
        let back = cmd(&e, moto, Some(vault))
            .args(["decrypt", "s.enc.json"])
            .output()
            .unwrap();
        assert!(back.status.success(), "{}", stderr(&back));
        assert!(String::from_utf8_lossy(&back.stdout).contains("kms-canary-3141"));
    }
}

#[test]
fn age_and_kms_file_opens_with_either_and_refusals_fall_through() {
    let Some((moto, _)) = services() else { return };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    let e = Env::new();
    e.write("a.env", PLAIN);
    cmd(&e, moto, None)
        .args(["encrypt", "--age", &e.recipient, "--aws-kms", &arn])
        .args(["--encryption-context", "env:prod", "a.env", "-o", "enc.env"])
        .assert()
        .success();
    // With the age key and KMS unreachable: age is tried first and suffices.
    let mut c = e.cmd_with_key();
    svc::aws_env(&mut c, "http://127.0.0.1:9");
    let o = c.args(["decrypt", "enc.env"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Without an age key: KMS opens it.
    let o = cmd(&e, moto, None)
        .args(["decrypt", "enc.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), PLAIN);

    // A wrong encryption context: KMS refuses; with the age key it falls through to
    // age, without one it is "no identity" (3), not a backend failure.
    let text = String::from_utf8(e.read("enc.env")).unwrap();
    e.write(
        "wrong.env",
        text.replace("map_context__map_env=prod", "map_context__map_env=dev"),
    );
    let mut c = e.cmd_with_key();
    svc::aws_env(&mut c, moto);
    let o = c.args(["decrypt", "wrong.env"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = cmd(&e, moto, None)
        .args(["decrypt", "wrong.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains(&arn), "{}", stderr(&o));
    assert!(!stderr(&o).contains("kms-canary"));
    // Another key's ARN on the stanza: KMS refuses (AccessDenied), exit 3 as well.
    let other = svc::moto_key(moto);
    e.write("other.env", text.replace(&arn, &other));
    let o = cmd(&e, moto, None)
        .args(["decrypt", "other.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    assert!(stderr(&o).contains("AccessDenied"), "{}", stderr(&o));
}

#[test]
fn dead_endpoints_and_missing_credentials_exit_5_with_a_hint() {
    let Some((moto, vault)) = services() else {
        return;
    };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    svc::vault_key(vault, "sealbox-dead");
    let e = Env::new();
    e.write("a.env", PLAIN);
    cmd(&e, moto, Some(vault))
        .args(["encrypt", "--aws-kms", &arn, "a.env", "-o", "kms.env"])
        .assert()
        .success();
    let uri = format!("{vault}/v1/transit/keys/sealbox-dead");
    cmd(&e, moto, Some(vault))
        .args([
            "encrypt",
            "--hc-vault-transit",
            &uri,
            "a.env",
            "-o",
            "vault.env",
        ])
        .assert()
        .success();

    // Nothing listens on port 9: refused at once, exit 5, endpoint and variable named.
    let mut c = cmd(&e, "http://127.0.0.1:9", None);
    let o = c
        .timeout(std::time::Duration::from_secs(60))
        .args(["decrypt", "kms.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("http://127.0.0.1:9") && err.contains("AWS_ENDPOINT_URL_KMS"),
        "{err}"
    );
    assert!(!err.contains("kms-canary"));
    // Bad credentials are a backend failure too (moto checks nothing, so test the
    // missing-credentials path: no variables, no profile, no IMDS).
    let mut c = e.cmd();
    c.env("AWS_ENDPOINT_URL_KMS", moto)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", e.path("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", e.path("none"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE");
    let o = c
        .timeout(std::time::Duration::from_secs(60))
        .args(["decrypt", "kms.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(stderr(&o).contains("AWS_ACCESS_KEY_ID"), "{}", stderr(&o));

    // Vault without a token, and with a bad one.
    let o = cmd(&e, moto, None)
        .args(["decrypt", "vault.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(stderr(&o).contains("VAULT_TOKEN"), "{}", stderr(&o));
    let o = cmd(&e, moto, None)
        .env("VAULT_TOKEN", "expired-token")
        .args(["decrypt", "vault.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(vault) && stderr(&o).contains("403"),
        "{}",
        stderr(&o)
    );
    // Encrypting for a dead endpoint fails cleanly and writes nothing.
    let o = cmd(&e, "http://127.0.0.1:9", None)
        .args(["encrypt", "--aws-kms", &arn, "a.env", "-o", "never.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(!e.path("never.env").exists());
}

#[test]
fn two_of_three_key_groups_with_age_kms_and_vault() {
    let Some((moto, vault)) = services() else {
        return;
    };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    svc::vault_key(vault, "sealbox-groups");
    let uri = format!("{vault}/v1/transit/keys/sealbox-groups");
    let e = Env::new();
    e.write(
        ".sealbox.toml",
        format!(
            "[environments.prod]\nfiles = [\"prod.env\"]\nshamir_threshold = 2\n\
             [[environments.prod.key_groups]]\nage = [\"{}\"]\n\
             [[environments.prod.key_groups]]\naws_kms = [\"{arn}\"]\n\
             [[environments.prod.key_groups]]\nhc_vault = [\"{uri}\"]\n",
            e.recipient
        ),
    );
    e.write("prod.env", PLAIN);
    cmd(&e, moto, Some(vault))
        .args(["encrypt", "--in-place", "prod.env"])
        .assert()
        .success();
    let enc = String::from_utf8(e.read("prod.env")).unwrap();
    assert!(enc.contains("sops_shamir_threshold=2"), "{enc}");
    assert!(enc.contains("sops_key_groups__list_2__map_hc_vault__list_0__map_enc=vault:v1:"));
    // age alone: one group of the two needed.
    let mut c = e.cmd_with_key();
    svc::aws_env(&mut c, "http://127.0.0.1:9");
    let o = c
        .env_remove("VAULT_TOKEN")
        .args(["decrypt", "prod.env"])
        .output()
        .unwrap();
    assert_ne!(code(&o), 0);
    assert!(
        stderr(&o).contains("unlocked 1 of 3 key groups, 2 needed"),
        "{}",
        stderr(&o)
    );
    // age + KMS, and KMS + Vault (no age key).
    let mut c = e.cmd_with_key();
    svc::aws_env(&mut c, moto);
    let o = c
        .env_remove("VAULT_TOKEN")
        .args(["decrypt", "prod.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), PLAIN);
    let o = cmd(&e, moto, Some(vault))
        .args(["decrypt", "prod.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // set keeps the groups; sops opens the result with the age key and KMS.
    let mut c = e.cmd_with_key();
    svc::aws_env(&mut c, moto);
    c.args(["set", "prod", "NEW", "value-2"]).assert().success();
    if have("sops") {
        let o = sops(&e, moto)
            .env("SOPS_AGE_KEY_FILE", &e.key)
            .env_remove("VAULT_TOKEN")
            .args(["decrypt", "prod.env"])
            .output()
            .unwrap();
        assert!(o.status.success(), "sops: {}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("NEW=value-2"));
        // And sealbox opens sops' own key-group file (from .sops.yaml).
        let d = Env::new();
        d.write(
            ".sops.yaml",
            format!(
                "creation_rules:\n  - key_groups:\n      - age: ['{}']\n      - kms:\n          - arn: {arn}\n            context: {{app: web}}\n      - hc_vault: ['{uri}']\n    shamir_threshold: 2\n",
                d.recipient
            ),
        );
        d.write("s.yaml", "secret: kms-canary-3141\n");
        let o = sops(&d, moto).args(["encrypt", "s.yaml"]).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        d.write("s.enc.yaml", &o.stdout);
        let o = cmd(&d, moto, Some(vault))
            .args(["decrypt", "s.enc.yaml"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            "secret: kms-canary-3141\n"
        );
        // sealbox writes the same rule's groups itself, and sops opens them.
        d.write("t.yaml", "other: kms-canary-3141\n");
        cmd(&d, moto, Some(vault))
            .args(["encrypt", "--in-place", "t.yaml"])
            .assert()
            .success();
        let t = String::from_utf8(d.read("t.yaml")).unwrap();
        assert!(t.contains("key_groups:") && t.contains("app: web"), "{t}");
        let o = sops(&d, moto).args(["decrypt", "t.yaml"]).output().unwrap();
        assert!(o.status.success(), "sops: {}", stderr(&o));
    }
}

#[test]
fn bulk_decrypt_overlaps_requests_and_asks_once_per_wrapped_key() {
    let Some((moto, _)) = services() else { return };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    let e = Env::new();
    for i in 0..40 {
        e.write(&format!("src/f{i:02}.env"), format!("K{i}=v{i}\n"));
    }
    let o = cmd(&e, moto, None)
        .args(["encrypt", "--aws-kms", &arn, "src", "--output-dir", "enc"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // The same wrapped key twice: copies of one file.
    let one = e.read("enc/f00.env");
    for i in 0..10 {
        e.write(&format!("enc/copy{i}.env"), &one);
    }
    let o = cmd(&e, moto, None)
        .args(["decrypt", "enc", "--output-dir", "plain"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("decrypted 50 files"), "{err}");
    assert!(err.contains("40 key unwrap requests"), "{err}");
    assert_eq!(e.read("plain/copy7.env"), b"K0=v0\n");
    assert_eq!(e.read("plain/f39.env"), b"K39=v39\n");
    // One after another gives the same result.
    let o = cmd(&e, moto, None)
        .env("SEALBOX_KMS_CONCURRENCY", "1")
        .args(["decrypt", "enc", "--output-dir", "plain1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(e.read("plain1/f21.env"), b"K21=v21\n");
}

#[test]
fn config_kms_recipients_for_set_rotate_updatekeys_and_check() {
    let Some((moto, vault)) = services() else {
        return;
    };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    let arn2 = svc::moto_key(moto);
    let e = Env::new();
    let cfg = |arns: &str| {
        format!(
            "[environments.prod]\nfiles = [\"prod.env\"]\naws_kms = [{arns}]\n\
             [environments.prod.encryption_context]\napp = \"billing\"\n"
        )
    };
    e.write(".sealbox.toml", cfg(&format!("\"{arn}\"")));
    cmd(&e, moto, Some(vault))
        .args(["set", "prod", "TOKEN", "kms-canary-3141"])
        .assert()
        .success();
    let text = String::from_utf8(e.read("prod.env")).unwrap();
    assert!(text.contains("map_context__map_app=billing"), "{text}");
    let o = cmd(&e, moto, Some(vault))
        .args(["get", "prod", "TOKEN"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "kms-canary-3141",
        "{}",
        stderr(&o)
    );
    // rotate: a new data key wrapped for the same KMS key and context.
    cmd(&e, moto, Some(vault))
        .args(["rotate", "prod.env"])
        .assert()
        .success();
    let rotated = String::from_utf8(e.read("prod.env")).unwrap();
    assert_ne!(rotated, text);
    assert!(rotated.contains("map_context__map_app=billing"));
    // The config gains a second key: check reports it, updatekeys fixes it.
    e.write(".sealbox.toml", cfg(&format!("\"{arn}\", \"{arn2}\"")));
    let o = cmd(&e, moto, Some(vault)).args(["check"]).output().unwrap();
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stdout));
    let out = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(
        out.contains("recipients-differ") || out.contains("recipients differ"),
        "{out}"
    );
    assert!(out.contains(&arn2), "{out}");
    cmd(&e, moto, Some(vault))
        .args(["updatekeys", "prod.env"])
        .assert()
        .success();
    let o = cmd(&e, moto, Some(vault)).args(["check"]).output().unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    // Each KMS key alone opens it: spoil the first stanza's ciphertext.
    let two = String::from_utf8(e.read("prod.env")).unwrap();
    let spoiled: String = two
        .lines()
        .map(|l| {
            if l.starts_with("sops_kms__list_0__map_enc=") {
                "sops_kms__list_0__map_enc=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                    .to_owned()
            } else {
                l.to_owned()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(spoiled, two);
    e.write("prod.env", spoiled);
    let o = cmd(&e, moto, Some(vault))
        .args(["get", "prod", "TOKEN"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // A bad ARN in the config is a config error naming the field (for a new file).
    e.write(".sealbox.toml", cfg("\"arn:aws:kms:nowhere\""));
    std::fs::remove_file(e.path("prod.env")).unwrap();
    let o = cmd(&e, moto, Some(vault))
        .args(["set", "prod", "X", "1"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("environments.prod") && stderr(&o).contains(".sealbox.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn gcp_kms_and_azure_key_vault_through_the_documented_wire_format() {
    if !have("python3") {
        return;
    }
    let fake = svc::cloud_fake();
    // Azure's SDK sends tokens only over HTTPS: the fake serves TLS with a test CA.
    let (fake_tls, ca) = svc::cloud_fake_tls();
    let e = Env::new();
    e.write("a.yaml", "password: kms-canary-3141\n");
    let gcp = "projects/p1/locations/global/keyRings/r1/cryptoKeys/k1";
    let azure = format!("{fake_tls}/keys/sealbox-key");
    let with_endpoints = |c: &mut assert_cmd::Command| {
        c.env("SEALBOX_GCP_KMS_ENDPOINT", fake)
            .env("SSL_CERT_FILE", ca)
            // The fake's challenge names vault.azure.net, not 127.0.0.1.
            .env("SEALBOX_AZURE_VERIFY_CHALLENGE_RESOURCE", "0")
            .env("AZURE_AUTHORITY_HOST", fake_tls);
    };
    let with_creds = |c: &mut assert_cmd::Command| {
        with_endpoints(c);
        c.env("GOOGLE_OAUTH_ACCESS_TOKEN", "fake-gcp-token")
            .env("AZURE_TENANT_ID", "tenant-1")
            .env("AZURE_CLIENT_ID", "sealbox-client")
            .env("AZURE_CLIENT_SECRET", "sealbox-secret");
    };
    let mut c = e.cmd();
    with_creds(&mut c);
    c.args([
        "encrypt",
        "--gcp-kms",
        gcp,
        "--azure-kv",
        &azure,
        "a.yaml",
        "-o",
        "enc.yaml",
    ])
    .assert()
    .success();
    let enc = String::from_utf8(e.read("enc.yaml")).unwrap();
    assert!(enc.contains(&format!("resource_id: {gcp}")), "{enc}");
    // The version Key Vault used is recorded; enc is base64url without padding.
    assert!(
        enc.contains("version: 0f1e2d3c4b5a69788796a5b4c3d2e1f0"),
        "{enc}"
    );
    let az_enc = enc
        .lines()
        .skip_while(|l| !l.contains("azure_kv:"))
        .find_map(|l| l.trim().strip_prefix("enc: "))
        .unwrap();
    assert!(!az_enc.contains(['+', '/', '=']), "{az_enc}");
    let mut c = e.cmd();
    with_creds(&mut c);
    let o = c.args(["decrypt", "enc.yaml"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "password: kms-canary-3141\n"
    );
    // Only Azure (GCP token missing): still opens; neither: exit 5 with both hints.
    let mut c = e.cmd();
    with_creds(&mut c);
    let o = c
        .env_remove("GOOGLE_OAUTH_ACCESS_TOKEN")
        .env("PATH", "/usr/bin:/bin")
        .args(["decrypt", "enc.yaml"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mut c = e.cmd();
    with_endpoints(&mut c);
    let o = c
        .env("PATH", "/usr/bin:/bin")
        .args(["decrypt", "enc.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("GOOGLE_OAUTH_ACCESS_TOKEN") && stderr(&o).contains("AZURE_CLIENT_ID"),
        "{}",
        stderr(&o)
    );
    // GCP through a gcloud user credential in GOOGLE_CREDENTIALS (a path, as sops
    // takes it): the SDK refreshes it at its token_uri; a revoked one exits 5.
    let user = |refresh: &str| {
        serde_json::json!({
            "type": "authorized_user",
            "client_id": "gcp-client.apps.googleusercontent.com",
            "client_secret": "gcp-client-secret",
            "refresh_token": refresh,
            "token_uri": format!("{fake}/token"),
        })
        .to_string()
    };
    e.write("gcp-user.json", user("gcp-refresh-token"));
    e.write("gcp-revoked.json", user("revoked"));
    e.write("gcp-only.yaml", "password: kms-canary-3141\n");
    let mut c = e.cmd();
    with_creds(&mut c);
    c.args(["encrypt", "--in-place", "--gcp-kms", gcp, "gcp-only.yaml"])
        .assert()
        .success();
    let mut c = e.cmd();
    with_endpoints(&mut c);
    let o = c
        .env("GOOGLE_CREDENTIALS", e.path("gcp-user.json"))
        .args(["decrypt", "gcp-only.yaml"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "password: kms-canary-3141\n"
    );
    let mut c = e.cmd();
    with_endpoints(&mut c);
    let o = c
        .env("GOOGLE_CREDENTIALS", e.path("gcp-revoked.json"))
        .args(["decrypt", "gcp-only.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    assert!(stderr(&o).contains("GOOGLE_CREDENTIALS"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("gcp-client-secret"), "{}", stderr(&o));
    // A wrong token is refused by the fake as GCP does (401), a wrong key id as 400.
    let mut c = e.cmd();
    with_creds(&mut c);
    let o = c
        .env("GOOGLE_OAUTH_ACCESS_TOKEN", "wrong")
        .env("AZURE_CLIENT_SECRET", "wrong")
        .args(["decrypt", "enc.yaml"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
    let swapped = enc
        .replace("cryptoKeys/k1", "cryptoKeys/k2")
        .replace("sealbox-key", "other-key");
    e.write("swapped.yaml", swapped);
    let mut c = e.cmd();
    with_creds(&mut c);
    let o = c.args(["decrypt", "swapped.yaml"]).output().unwrap();
    assert_eq!(code(&o), 3, "{}", stderr(&o));
    let count: serde_json::Value = serde_json::from_str(
        &ureq::get(&format!("{fake}/_requests"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    // The GCP half (the plain-HTTP fake): one encrypt, decrypts.
    assert!(count["ops"].as_u64().unwrap() >= 2);
}

#[test]
fn aws_role_is_assumed_through_sts_before_kms() {
    let Some((moto, _)) = services() else { return };
    let _l = svc::kms_lock();
    let arn = svc::moto_reset_and_key(moto);
    let e = Env::new();
    e.write("a.env", PLAIN);
    let role = "arn:aws:iam::123456789012:role/sealbox-deployer";
    let with_role = format!("{arn}+{role}");
    // AWS_ENDPOINT_URL sends STS to moto as well.
    let o = cmd(&e, moto, None)
        .env("AWS_ENDPOINT_URL", moto)
        .args(["encrypt", "--aws-kms", &with_role, "a.env", "-o", "enc.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let enc = String::from_utf8(e.read("enc.env")).unwrap();
    assert!(
        enc.contains(&format!("sops_kms__list_0__map_role={role}")),
        "{enc}"
    );
    let o = cmd(&e, moto, None)
        .env("AWS_ENDPOINT_URL", moto)
        .args(["decrypt", "enc.env"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), PLAIN);
    // The role's session goes through STS: with STS unreachable, decrypt fails (5).
    let o = cmd(&e, moto, None)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["decrypt", "enc.env"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 5, "{}", stderr(&o));
}

//! Hostile and malformed input: each case gets a one-line error naming the file, the
//! right exit code, no panic, and no planted secret in the output.

use crate::harness::{assert_clean_failure, Env};

const CANARY: &str = "CANARY-b41d-do-not-print";

fn decrypt_fails(env: &Env, name: &str, content: &[u8], expected: i32) {
    env.write(name, content);
    let o = env.cmd_with_key().args(["decrypt", name]).output().unwrap();
    assert_clean_failure(&o, expected, name, CANARY);
}

fn encrypt_fails(env: &Env, name: &str, content: &[u8], expected: i32) {
    env.write(name, content);
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, name])
        .output()
        .unwrap();
    assert_clean_failure(&o, expected, name, CANARY);
}

/// An encrypted dotenv file whose first value is replaced by `value`.
fn with_value(env: &Env, value: &str) -> Vec<u8> {
    env.write("base.env", format!("A={CANARY}\n"));
    env.encrypt("base.env", "base.enc.env");
    let text = String::from_utf8(env.read("base.enc.env")).unwrap();
    let first = text.lines().next().unwrap().to_owned();
    text.replacen(&first, &format!("A={value}"), 1).into_bytes()
}

#[test]
fn malformed_enc_values_are_integrity_errors() {
    let env = Env::new();
    let good = String::from_utf8(env.read_or_encrypt()).unwrap();
    let enc = good
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("A=")
        .to_owned();
    let truncated = &enc[..enc.len() / 2];
    let cases = [
        ("trunc.env", truncated.to_owned()),
        ("open.env", "ENC[AES256_GCM,".to_owned()),
        ("b64.env", enc.replacen("data:", "data:!!", 1)),
        ("type.env", enc.replace("type:str", "type:wat")),
        ("noiv.env", enc.replacen(",iv:", ",xx:", 1)),
        (
            "emptydata.env",
            "ENC[AES256_GCM,data:,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]".to_owned(),
        ),
        ("plain.env", "now-plaintext".to_owned()),
    ];
    for (name, v) in cases {
        let bytes = with_value(&env, &v);
        decrypt_fails(&env, name, &bytes, 4);
    }
}

impl Env {
    fn read_or_encrypt(&self) -> Vec<u8> {
        self.write("base.env", format!("A={CANARY}\n"));
        self.encrypt("base.env", "base.enc.env");
        self.read("base.enc.env")
    }
}

#[test]
fn missing_metadata_wrong_format_and_garbage() {
    let env = Env::new();
    decrypt_fails(&env, "plain.yaml", format!("a: {CANARY}\n").as_bytes(), 2);
    decrypt_fails(&env, "plain.env", format!("A={CANARY}\n").as_bytes(), 2);
    decrypt_fails(
        &env,
        "bad.json",
        format!("{{\"a\": \"{CANARY}").as_bytes(),
        2,
    );
    decrypt_fails(
        &env,
        "yamlinjson.json",
        format!("a: {CANARY}\n").as_bytes(),
        2,
    );
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    decrypt_fails(&env, "garbage.yaml", &garbage, 2);
    decrypt_fails(&env, "garbage.ini", &garbage, 2);
    decrypt_fails(&env, "garbage.bin", &garbage, 2);
    encrypt_fails(&env, "broken.yaml", format!("a: [{CANARY}\n").as_bytes(), 2);
    encrypt_fails(&env, "broken.env", format!("{CANARY}\n").as_bytes(), 2);
    encrypt_fails(&env, "list.json", format!("[\"{CANARY}\"]").as_bytes(), 2);
    encrypt_fails(
        &env,
        "dup.yaml",
        format!("a: {CANARY}\na: 2\n").as_bytes(),
        2,
    );
    encrypt_fails(
        &env,
        "bad.ini",
        format!("[unterminated\nk = {CANARY}\n").as_bytes(),
        2,
    );
    encrypt_fails(&env, "nonutf8.env", b"A=\xff\xfe\n", 2);
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    encrypt_fails(&env, "bomb.yaml", bomb.as_bytes(), 2);
}

#[test]
fn already_encrypted_and_reserved_keys_are_refused() {
    let env = Env::new();
    env.write("a.yaml", "a: 1\n");
    env.encrypt("a.yaml", "a.enc.yaml");
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "a.enc.yaml"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "a.enc.yaml", "");
    encrypt_fails(&env, "r.env", b"sops_version=1\n", 2);
}

#[test]
fn bad_metadata_and_unknown_recipients() {
    let env = Env::new();
    let text = String::from_utf8(env.read_or_encrypt()).unwrap();
    let no_lm: String = text
        .lines()
        .filter(|l| !l.starts_with("sops_lastmodified"))
        .map(|l| format!("{l}\n"))
        .collect();
    decrypt_fails(&env, "nolm.env", no_lm.as_bytes(), 4);
    let bad_list = text.replace(
        "sops_age__list_0__map_recipient",
        "sops_age__list_7__map_recipient",
    );
    decrypt_fails(&env, "gap.env", bad_list.as_bytes(), 4);
    let o = env
        .cmd()
        .args(["encrypt", "--age", "age1notakey", "base.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "age1notakey", "");
    let o = env
        .cmd()
        .args(["encrypt", "--age", "pgp:ABCDEF", "base.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "age1… public key", "");
    // A private key where a recipient belongs is refused without being printed.
    let o = env
        .cmd()
        .args([
            "encrypt",
            "--age",
            "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
            "base.env",
        ])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "private key", "QQQQQQQQQQQQQQQQQQQQQQQQQ");
}

#[test]
fn a_100_mb_file_gets_a_clean_error() {
    let env = Env::new();
    let mut big = vec![b'A'; 100 * 1024 * 1024];
    big[50 * 1024 * 1024] = 0xff;
    env.write("big.env", &big);
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "big.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "big.env", "");
    let o = env
        .cmd_with_key()
        .args(["decrypt", "big.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "big.env", "");
}

#[test]
fn wrong_key_is_exit_3_naming_recipients_and_sources() {
    let env = Env::new();
    env.read_or_encrypt();
    let other = Env::new();
    let o = env
        .cmd()
        .env("SEALBOX_AGE_KEY_FILE", &other.key)
        .args(["decrypt", "base.enc.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 3, "base.enc.env", CANARY);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&env.recipient), "names the recipient: {err}");
    assert!(
        err.contains("SEALBOX_AGE_KEY_FILE"),
        "names where it looked: {err}"
    );
    let o = env
        .cmd()
        .args(["decrypt", "base.enc.env"])
        .output()
        .unwrap();
    assert_clean_failure(&o, 3, "base.enc.env", CANARY);
}

#[test]
fn review_findings_stay_fixed() {
    let env = Env::new();
    // An alias bomb made of one large string.
    let big = "x".repeat(1 << 20);
    let mut bomb = format!("a: &x \"{big}\"\nb: [");
    bomb.push_str(&"*x, ".repeat(2000));
    bomb.push_str("*x]\n");
    encrypt_fails(&env, "strbomb.yaml", bomb.as_bytes(), 2);
    // Deeply nested YAML.
    let deep = format!("{}1{}\n", "[".repeat(5000), "]".repeat(5000));
    encrypt_fails(&env, "deep.yaml", format!("a: {deep}").as_bytes(), 2);
    // Metadata keys with thousands of markers.
    let text = String::from_utf8(env.read_or_encrypt()).unwrap();
    let nested = format!("{text}sops_x{}=v\n", "__map_a".repeat(100_000));
    decrypt_fails(&env, "nested.env", nested.as_bytes(), 4);
    // A stray sops_ key in a directory run is an error, not a silent skip.
    env.write("dir/stray.env", "sops_token=abc\n");
    let o = env
        .cmd()
        .args(["encrypt", "--age", &env.recipient, "--in-place", "dir"])
        .output()
        .unwrap();
    assert_eq!(
        crate::harness::code(&o),
        2,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(env.read("dir/stray.env"), b"sops_token=abc\n");
    // Two inputs mirrored onto one output.
    env.write("a/.env", "A=1\n");
    env.write("b/.env", "B=1\n");
    let o = env
        .cmd()
        .args([
            "encrypt",
            "--age",
            &env.recipient,
            "a/.env",
            "b/.env",
            "--output-dir",
            "out",
        ])
        .output()
        .unwrap();
    assert_eq!(crate::harness::code(&o), 2);
}

//! Tampering: any changed byte in a value's data/iv/tag, in the MAC, or in
//! lastmodified gives exit 4 and prints no plaintext (property test over positions).

use proptest::prelude::*;

use crate::harness::{code, Env};

const CANARY: &str = "CANARY-7f3a9c-secret-value";

/// Byte ranges of the base64 fields of every ENC[...] and of lastmodified's digits.
fn targets(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("ENC[AES256_GCM,") {
        let s = from + start;
        let end = s + text[s..].find(']').unwrap();
        for field in ["data:", "iv:", "tag:"] {
            let fs = s + text[s..end].find(field).unwrap() + field.len();
            let fe = fs + text[fs..end].find(',').unwrap();
            out.push(fs..fe);
        }
        from = end;
    }
    let lm = text.find("sops_lastmodified=").unwrap() + "sops_lastmodified=".len();
    out.push(lm..lm + 19);
    out
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    #[test]
    fn any_flipped_byte_is_an_integrity_failure(which in any::<prop::sample::Index>(), pos in any::<prop::sample::Index>(), sub in 1usize..63) {
        let env = Env::new();
        env.write("t.env", format!("A={CANARY}\nB=other\n"));
        env.encrypt("t.env", "t.enc.env");
        let mut text = String::from_utf8(env.read("t.enc.env")).unwrap();
        let ranges = targets(&text);
        let r = ranges[which.index(ranges.len())].clone();
        let i = r.start + pos.index(r.len());
        let old = text.as_bytes()[i];
        let new = if old.is_ascii_digit() && r.len() == 19 {
            b'0' + (old - b'0' + u8::try_from(sub % 9).unwrap() + 1) % 10
        } else {
            let idx = B64.iter().position(|c| *c == old).unwrap_or(0);
            B64[(idx + sub) % 64]
        };
        text.replace_range(i..=i, std::str::from_utf8(&[new]).unwrap());
        env.write("t.enc.env", &text);
        let o = env.cmd_with_key().args(["decrypt", "t.enc.env"]).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        prop_assert_eq!(code(&o), 4, "flip at {} ({:?}) {} -> {}; stderr: {}", i, &text[r.clone()], old as char, new as char, err);
        prop_assert!(o.stdout.is_empty());
        prop_assert!(!err.contains(CANARY));
    }
}

#[test]
fn changed_unencrypted_value_breaks_the_mac() {
    let env = Env::new();
    env.write(
        "u.yaml",
        format!("secret: {CANARY}\nname_unencrypted: alice\n"),
    );
    env.encrypt("u.yaml", "u.enc.yaml");
    let text = String::from_utf8(env.read("u.enc.yaml"))
        .unwrap()
        .replace("alice", "mallory");
    env.write("u.enc.yaml", text);
    let o = env
        .cmd_with_key()
        .args(["decrypt", "u.enc.yaml"])
        .output()
        .unwrap();
    crate::harness::assert_clean_failure(&o, 4, "u.enc.yaml", CANARY);
}

#[test]
fn moving_a_value_to_another_key_fails() {
    let env = Env::new();
    env.write("m.yaml", format!("a: {CANARY}\nb: other\n"));
    env.encrypt("m.yaml", "m.enc.yaml");
    let text = String::from_utf8(env.read("m.enc.yaml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let a = lines[0].trim_start_matches("a: ");
    let b = lines[1].trim_start_matches("b: ");
    let swapped =
        text.replacen(lines[0], &format!("a: {b}"), 1)
            .replacen(lines[1], &format!("b: {a}"), 1);
    env.write("m.enc.yaml", swapped);
    let o = env
        .cmd_with_key()
        .args(["decrypt", "m.enc.yaml"])
        .output()
        .unwrap();
    crate::harness::assert_clean_failure(&o, 4, "m.enc.yaml", CANARY);
}

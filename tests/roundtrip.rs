//! Round trips through sealbox alone for every store, with awkward values; unchanged
//! values keep their ciphertext when a file is re-encrypted with the same data key.

use proptest::prelude::*;
use sealbox::store::Format;

use crate::harness::Env;
use crate::interop::{canon, DOTENV, INI, JSON, YAML};

fn same(format: Format, a: &[u8], b: &[u8]) {
    let ta = format.parse_plain(a).unwrap();
    let tb = format.parse_plain(b).unwrap();
    let ca: Vec<String> = ta.docs.iter().map(canon).collect();
    let cb: Vec<String> = tb.docs.iter().map(canon).collect();
    assert_eq!(ca, cb);
}

#[test]
fn every_store_round_trips_awkward_values() {
    let env = Env::new();
    let multi_doc = "a: 1\n---\nb: two\n";
    for (name, content) in [
        ("a.yaml", YAML),
        ("b.json", JSON),
        ("c.env", DOTENV),
        ("d.ini", INI),
        ("e.yaml", multi_doc),
        ("f.txt", "free text\nwith = and \"quotes\"\n"),
    ] {
        env.write(name, content);
        let enc = format!("enc-{name}");
        env.encrypt(name, &enc);
        let enc_text = String::from_utf8(env.read(&enc)).unwrap();
        assert!(enc_text.contains("ENC[AES256_GCM,"), "{name}");
        let out = env.decrypt(&enc);
        let format = Format::from_path(std::path::Path::new(name));
        if format == Format::Binary {
            assert_eq!(out, content.as_bytes());
        } else {
            same(format, &out, content.as_bytes());
        }
    }
}

#[test]
fn yaml_comments_and_key_order_survive() {
    let env = Env::new();
    env.write("c.yaml", YAML);
    env.encrypt("c.yaml", "c.enc.yaml");
    let enc = String::from_utf8(env.read("c.enc.yaml")).unwrap();
    assert!(!enc.contains("top comment"), "comments are encrypted");
    let out = String::from_utf8(env.decrypt("c.enc.yaml")).unwrap();
    assert!(
        out.starts_with("# top comment\napp:\n    # db section\n    user: admin\n"),
        "{out}"
    );
    let keys: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .collect();
    assert!(
        keys.iter().position(|l| l.contains("user:"))
            < keys.iter().position(|l| l.contains("password:"))
    );
    assert!(out.contains("ratio: 1.0"), "1.0 stays a float: {out}");
    assert!(out.contains("public_unencrypted:\n    note: visible"));
    assert!(
        enc.contains("public_unencrypted:\n    note: visible"),
        "_unencrypted stays clear"
    );
}

#[test]
fn empty_values_and_nulls_are_not_encrypted() {
    let env = Env::new();
    env.write("e.yaml", "a: \"\"\nb: null\nc: x\n");
    env.encrypt("e.yaml", "e.enc.yaml");
    let enc = String::from_utf8(env.read("e.enc.yaml")).unwrap();
    assert!(enc.contains("a: \"\"\n"), "{enc}");
    assert!(enc.contains("b: null\n"), "{enc}");
    assert!(!enc.contains("data:,"), "never an empty ENC data");
    assert_eq!(
        String::from_utf8(env.decrypt("e.enc.yaml")).unwrap(),
        "a: \"\"\nb: null\nc: x\n"
    );
}

#[test]
fn changing_one_value_changes_only_its_line_mac_and_lastmodified() {
    let env = Env::new();
    env.write("s.env", "A=1\nB=2\nC=3\n#note\n");
    env.encrypt("s.env", "s.enc.env");
    let before = String::from_utf8(env.read("s.enc.env")).unwrap();
    env.cmd_with_key()
        .env("EDITOR", "sed -i s/^B=2$/B=20/")
        .args(["edit", "s.enc.env"])
        .assert()
        .success();
    let after = String::from_utf8(env.read("s.enc.env")).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    let keys: Vec<&str> = changed
        .iter()
        .map(|(a, _)| a.split('=').next().unwrap())
        .collect();
    assert!(
        keys.iter()
            .all(|k| ["B", "sops_mac", "sops_lastmodified"].contains(k)),
        "unexpected changed lines: {keys:?}"
    );
    assert!(keys.contains(&"B"));
    assert_eq!(
        String::from_utf8(env.decrypt("s.enc.env")).unwrap(),
        "A=1\nB=20\nC=3\n#note\n"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn dotenv_values_round_trip(values in proptest::collection::vec("[^\\n\\\\]{0,40}", 1..6)) {
        // A wholly quoted value is read as dotenv quoting says (issue 20), not literally.
        prop_assume!(values.iter().all(|v| sealbox::store::dotenv::unquote(v).is_none()));
        let env = Env::new();
        let text: String = values.iter().enumerate().map(|(i, v)| format!("K{i}={v}\n")).collect();
        env.write("p.env", &text);
        env.encrypt("p.env", "p.enc.env");
        prop_assert_eq!(String::from_utf8(env.decrypt("p.enc.env")).unwrap(), text);
    }

    #[test]
    fn yaml_strings_round_trip(values in proptest::collection::vec("\\PC{0,30}", 1..5)) {
        let env = Env::new();
        let mut tree = sealbox::store::Tree::single(sealbox::store::Value::Map(
            values.iter().enumerate().map(|(i, v)| (format!("k{i}"), sealbox::store::Value::Str(v.clone()))).collect(),
        ));
        let text = Format::Yaml.emit_plain(&tree).unwrap();
        let reparsed = Format::Yaml.parse_plain(&text).unwrap();
        prop_assert_eq!(canon(&reparsed.docs[0]), canon(&tree.docs[0]));
        env.write("p.yaml", &text);
        env.encrypt("p.yaml", "p.enc.yaml");
        let out = env.decrypt("p.enc.yaml");
        let back = Format::Yaml.parse_plain(&out).unwrap();
        prop_assert_eq!(canon(&back.docs[0]), canon(&tree.docs[0]));
        tree.docs.clear();
    }
}

/// Inputs the fuzzers found: parse → emit → parse must hold (or emit must refuse).
#[test]
fn fuzz_regressions_round_trip() {
    let cases: &[(Format, &[u8])] = &[
        (Format::Ini, b"\"-=\"\"\"\"`="),
        (Format::Yaml, b"#-\r-\xd3\xba]:"),
        (Format::Yaml, b"#\rI::"),
        (Format::Ini, b"I=`\"\"`"),
        (Format::Ini, b"\":\x1f=\"`\"\0&\x1f\x08[:"),
        (Format::Ini, b"\0=`\n`\n"),
        // A key that starts with a BOM, written first: quoted, or it reads as a BOM.
        (Format::Ini, b";\n\xef\xbb\xbf`;=;\n;"),
        (Format::Ini, b"\xef\xbb\xbfk=1\n"),
        // Folded blocks broken by bare CRs, the last one ending the file unbroken.
        (
            Format::Yaml,
            b"\x07\x07\x07:\n- -\x07:  &## >\r\r   --:\n-  &## >\r\r   -\n",
        ),
        (
            Format::Yaml,
            b"\x07\x07\x07:\n- -\x07:  &## >\r\r   --:\n-  &## >\r\r   -",
        ),
        (Format::Yaml, b"l:\n- k: \"\\nx\"\n  j: \" y\\nz\"\n"),
        (Format::Yaml, b"#c\n---\n#---\n#\xc2\x85\n"),
    ];
    for (format, input) in cases {
        if let Ok(tree) = format.parse_plain(input) {
            if let Ok(out) = format.emit_plain(&tree) {
                let again = format.parse_plain(&out);
                assert!(
                    again.is_ok(),
                    "{format}: {input:?} emitted {:?}",
                    String::from_utf8_lossy(&out)
                );
            }
        }
    }
}

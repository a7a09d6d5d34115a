//! `export` formats read back by the tools that consume them: the dotenv output through
//! direnv's `dotenv`, python-dotenv and sealbox's own reader; the docker env-file; keys
//! that are no variable names in exec/export; `decrypt -`.

use crate::harness::{self, assert_clean_failure, code, Env};

/// Values every dotenv reader must get back byte for byte.
const ALIKE: &[(&str, &str)] = &[
    ("PLAIN", "plain"),
    ("DOLLAR", "cost $5 and $"),
    ("VAR", "$HOME/x"),
    ("BACKSLASH", "C:\\path\\to"),
    ("TWO_BACKSLASHES", "a\\\\b"),
    ("LITERAL_NL", "a\\nb"),
    ("DQUOTE", "say \"hi\""),
    ("SQUOTE", "it's"),
    ("BOTH_QUOTES", "it's \"x\""),
    ("BACKTICK", "`echo pwned`"),
    ("HASH", "a #not a comment"),
    ("HASH_TIGHT", "a#b"),
    ("SPACES", "  padded  "),
    ("EQUALS", "a=b=c"),
    ("UNICODE", "\u{e9}\u{e8} \u{2713} \u{1f510}"),
    ("NEWLINES", "multi\nline\nvalue"),
    ("CRLF", "dos\r\nline"),
    ("TAB", "a\tb"),
    ("TRAILING_BACKSLASH", "C:\\dir\\"),
    ("EMPTY", ""),
];

/// A project whose `dev` environment is a JSON file holding `values` exactly.
fn project_with(env: &Env, values: &[(&str, &str)]) {
    env.write(
        ".sealbox.toml",
        format!(
            "[environments.dev]\nfiles = [\"secrets/dev.json\"]\nage = [\"{}\"]\n",
            env.recipient
        ),
    );
    let map: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), serde_json::Value::String((*v).to_owned())))
        .collect();
    env.write("plain.json", serde_json::to_vec(&map).unwrap());
    std::fs::create_dir_all(env.path("secrets")).unwrap();
    env.encrypt("plain.json", "secrets/dev.json");
    std::fs::remove_file(env.path("plain.json")).unwrap();
}

fn export(env: &Env, format: &str) -> std::process::Output {
    env.cmd_with_key()
        .args(["export", "-e", "dev", "--format", format])
        .output()
        .unwrap()
}

/// Whether python-dotenv can be imported; a missing one fails under
/// `SEALBOX_REQUIRE_PEERS`, as [`harness::have`] does for CLIs.
fn have_python_dotenv() -> bool {
    let found = std::process::Command::new("python3")
        .args(["-c", "import dotenv"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("SEALBOX_REQUIRE_PEERS").is_none(),
            "python-dotenv is required (SEALBOX_REQUIRE_PEERS is set) but not installed (pip install python-dotenv)"
        );
        eprintln!("skipping: python-dotenv is not installed (pip install python-dotenv)");
    }
    found
}

/// What a reader made of a dotenv file, as a JSON object of strings.
fn as_map(json: &[u8], who: &str) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::from_slice(json) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => panic!(
            "{who} printed no JSON object: {}",
            String::from_utf8_lossy(json)
        ),
    }
}

/// direnv's `dotenv` (2.32+) reading `file`, with variables set that it could expand.
fn read_with_direnv(env: &Env, file: &str) -> serde_json::Map<String, serde_json::Value> {
    let o = std::process::Command::new("direnv")
        .args(["dotenv", "json", file])
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("XDG_CONFIG_HOME", env.path("home/.config"))
        .env("x", "EXPANDED")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "direnv: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    as_map(&o.stdout, "direnv")
}

/// python-dotenv's `dotenv_values` (interpolation on, its default) reading `file`.
fn read_with_python_dotenv(env: &Env, file: &str) -> serde_json::Map<String, serde_json::Value> {
    let o = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1])))",
            file,
        ])
        .current_dir(env.dir.path())
        .env("HOME", env.path("home"))
        .env("x", "EXPANDED")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python-dotenv: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    as_map(&o.stdout, "python-dotenv")
}

/// sealbox's own reader: `encrypt` of the .env file, then `decrypt` to JSON.
fn read_with_sealbox(env: &Env, file: &str) -> serde_json::Map<String, serde_json::Value> {
    let enc = format!("{file}.enc.env");
    env.encrypt(file, &enc);
    let o = env
        .cmd_with_key()
        .args(["decrypt", &enc, "--output-type", "json"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "decrypt: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    as_map(&o.stdout, "sealbox")
}

#[track_caller]
fn assert_reads(
    who: &str,
    got: &serde_json::Map<String, serde_json::Value>,
    want: &[(&str, &str)],
    text: &str,
) {
    for (k, v) in want {
        assert_eq!(
            got.get(*k).and_then(serde_json::Value::as_str),
            Some(*v),
            "{who} read {k} differently from:\n{text}"
        );
    }
    assert_eq!(got.len(), want.len(), "{who}: keys {got:?}");
}

#[test]
fn export_dotenv_reads_back_alike_in_direnv_python_dotenv_and_sealbox() {
    let env = Env::new();
    project_with(&env, ALIKE);
    let o = export(&env, "dotenv");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    // Quoted, `KEY='…'` or `KEY="…"`; bare only what no quoting carries (a trailing
    // backslash).
    for line in text.lines() {
        let (k, v) = line.split_once('=').unwrap();
        assert!(
            (v.starts_with('\'') && v.ends_with('\''))
                || (v.starts_with('"') && v.ends_with('"'))
                || k == "TRAILING_BACKSLASH",
            "{line}"
        );
    }
    env.write("out.env", &text);
    assert_reads("sealbox", &read_with_sealbox(&env, "out.env"), ALIKE, &text);
    if harness::have("direnv") {
        assert_reads("direnv", &read_with_direnv(&env, "out.env"), ALIKE, &text);
    }
    if have_python_dotenv() {
        assert_reads(
            "python-dotenv",
            &read_with_python_dotenv(&env, "out.env"),
            ALIKE,
            &text,
        );
    }
}

#[test]
fn export_dotenv_refuses_a_value_no_quoting_carries() {
    for (key, value) in [
        ("SQ_AND_VAR", "it's CANARY7 $x"),
        ("BRACED", "CANARY7 ${x}"),
        ("NEWLINE_AND_DOLLAR", "CANARY7\n$x"),
        ("SQ_AND_LITERAL_NL", "it's CANARY7 \\n"),
        ("SPACE_AND_TRAILING_BACKSLASH", "CANARY7 \\"),
    ] {
        let env = Env::new();
        project_with(&env, &[("FINE", "ok"), (key, value)]);
        let o = export(&env, "dotenv");
        assert_clean_failure(&o, 2, key, "CANARY7");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--format json"), "{err}");
        assert!(
            o.stdout.is_empty(),
            "nothing is written when one value fails"
        );
        // The other formats still carry it.
        assert!(export(&env, "bash").status.success());
    }
}

/// Values the dotenv export refuses are refused only when a reader would misread every
/// form; each value it writes, direnv and python-dotenv read back (generated values,
/// one file per reader run).
#[test]
fn generated_values_read_back_alike_in_the_real_readers() {
    let direnv = harness::have("direnv");
    let python = have_python_dotenv();
    if !direnv && !python {
        return;
    }
    let alphabet: Vec<char> = "ab $'\"\\\\\\`#={}\n\r\tnx:\u{e9}\u{1f510}"
        .chars()
        .collect();
    let mut seed: u64 = 0x5eed_b0c5;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut want: Vec<(String, String)> = Vec::new();
    let mut text = String::new();
    for i in 0..400 {
        let len = usize::try_from(next() % 12).unwrap();
        let v: String = (0..len)
            .map(|_| alphabet[usize::try_from(next()).unwrap() % alphabet.len()])
            .collect();
        if let Some(q) = sealbox::store::dotenv::quote(&v) {
            let k = format!("K{i}");
            text.push_str(&format!("{k}={q}\n"));
            want.push((k, v));
        }
    }
    assert!(
        want.len() > 100,
        "most values are exportable: {}",
        want.len()
    );
    let env = Env::new();
    env.write("gen.env", &text);
    let want: Vec<(&str, &str)> = want.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if direnv {
        assert_reads("direnv", &read_with_direnv(&env, "gen.env"), &want, &text);
    }
    if python {
        assert_reads(
            "python-dotenv",
            &read_with_python_dotenv(&env, "gen.env"),
            &want,
            &text,
        );
    }
    assert_reads("sealbox", &read_with_sealbox(&env, "gen.env"), &want, &text);
}

#[test]
fn encrypt_reads_quoted_dotenv_values_without_their_quotes() {
    let env = Env::new();
    env.write(
        "q.env",
        "S='single $HOME \\n'\nD=\"it's \\\"x\\\"\\nnext\"\nC='x'  # comment\nRAW=as \"is\"\nNL=a\\nb\n",
    );
    let got = read_with_sealbox(&env, "q.env");
    assert_reads(
        "sealbox",
        &got,
        &[
            ("S", "single $HOME \\n"),
            ("D", "it's \"x\"\nnext"),
            ("C", "x"),
            ("RAW", "as \"is\""),
            ("NL", "a\nb"),
        ],
        "q.env",
    );
}

#[test]
fn export_docker_writes_values_literally_and_refuses_line_breaks() {
    let env = Env::new();
    let values = [
        ("A", "plain"),
        ("B", "it's \"quoted\" $HOME #x"),
        ("C", "  padded  "),
        ("D", "a=b"),
        ("E", ""),
    ];
    project_with(&env, &values);
    let o = export(&env, "docker");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // `docker run --env-file` takes everything after the first `=` to the end of the
    // line, with no quote or `$` processing.
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        "A=plain\nB=it's \"quoted\" $HOME #x\nC=  padded  \nD=a=b\nE=\n"
    );
    for bad in ["two\nCANARY8", "cr\rCANARY8"] {
        let env = Env::new();
        project_with(&env, &[("OK", "x"), ("MULTI", bad)]);
        let o = export(&env, "docker");
        assert_clean_failure(&o, 2, "MULTI", "CANARY8");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_key_that_is_no_variable_name_is_skipped_with_a_warning() {
    let env = Env::new();
    project_with(&env, &[("feature-flag", "on"), ("GOOD", "yes")]);
    let o = env
        .cmd_with_key()
        .args(["exec", "-e", "dev", "--", "sh", "-c", "printf %s \"$GOOD\""])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, b"yes");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("feature-flag"), "warning names the key: {err}");
    for format in ["bash", "dotenv", "fish", "docker"] {
        let o = export(&env, format);
        assert_eq!(
            code(&o),
            0,
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8(o.stdout).unwrap();
        assert!(
            !out.contains("feature-flag") && out.contains("GOOD"),
            "{format}: {out}"
        );
        assert!(String::from_utf8_lossy(&o.stderr).contains("feature-flag"));
    }
    let o = export(&env, "json");
    assert_eq!(code(&o), 0);
    assert_eq!(as_map(&o.stdout, "json")["feature-flag"], "on");
    let o = export(&env, "k8s");
    assert_eq!(code(&o), 0);
    assert!(String::from_utf8(o.stdout)
        .unwrap()
        .contains("    feature-flag: b24=\n"));
}

#[test]
fn decrypt_dash_reads_stdin() {
    let env = Env::new();
    env.write("s.env", "A=1\nB=two words\n");
    env.encrypt("s.env", "s.enc.env");
    let o = env
        .cmd_with_key()
        .args(["decrypt", "-", "--input-type", "dotenv"])
        .write_stdin(env.read("s.enc.env"))
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, b"A=1\nB=two words\n");
    let o = env
        .cmd_with_key()
        .args(["decrypt", "-", "--input-type", "dotenv", "--in-place"])
        .write_stdin(env.read("s.enc.env"))
        .output()
        .unwrap();
    assert_clean_failure(&o, 2, "stdin", "");
}

//! Edge cases of sops' command line that a differential argument fuzzer found (the
//! same argument vectors through the real sops 3.11 and sealbox linked as `sops`):
//! the order of sops' checks, how its Go stores read and write JSON numbers, INI
//! sections and inline comments, dotenv floats and nulls, `--extract` per output
//! type, `set` values and `--output-type`, selector conflicts, editor failures.
//!
//! Each case runs in two fresh copies of one workspace; the exit codes must match,
//! and stdout and every file must match too: byte for byte, or, where they hold
//! ciphertext, with the same layout (every `ENC[…]` reduced to its type, the
//! metadata left out) and the same plaintext when the real sops decrypts them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness;
use crate::sops_dropin::{run, Dropin};

const PLAIN_YAML: &str = "# top\ndb:\n    user: admin\n    pass: s3cret # inline\n    port: 5432\nlist:\n    - a\n    - 2\n    - true\nratio: 1.5\nkey_unencrypted: visible\n";
const PLAIN_JSON: &str = "{\n  \"db\": {\"user\": \"admin\", \"pass\": \"s3cret\", \"port\": 5432},\n  \"list\": [\"a\", 2, true, null],\n  \"ratio\": 1.5,\n  \"big\": 1000000,\n  \"tiny\": 0.00001\n}\n";
const PLAIN_ENV: &str = "# c\nDB_USER=admin\nQUOTED=\"with space\"\nEMPTY=\n";
const PLAIN_INI: &str = "; c\n[db]\nuser = admin\npass = with ; semi\nq = 'single'\ncont = foo\\\n  bar\n\n[app]\nname = `a;b`\n";

/// Two copies of a workspace: plaintext files, the same files encrypted by the real
/// sops, and a `.sops.yaml` whose first rule sets a selector.
struct Pair {
    d: Dropin,
    theirs: PathBuf,
    ours: PathBuf,
}

impl Pair {
    fn new() -> Option<Self> {
        let d = Dropin::new()?;
        let r = d.env.recipient.clone();
        d.write(
            ".sops.yaml",
            &format!(
                "creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    encrypted_regex: '^(pass|token)$'\n    age: {r}\n  - path_regex: nokey/.*\n    pgp: ''\n  - age: {r}\n"
            ),
        );
        for (name, text) in [
            ("p.yaml", PLAIN_YAML),
            ("p.json", PLAIN_JSON),
            ("p.env", PLAIN_ENV),
            ("p.ini", PLAIN_INI),
            ("p.enc.yaml", "pass: p1\nname: n1\n"),
            ("multi.yaml", "a: 1\n---\nb: 2\n"),
            ("empty.json", ""),
            ("empty.env", ""),
            ("bad.yaml", "a: [unclosed\n"),
            (
                "odd.yaml",
                "t: 2001-12-14t21:59:43.10-05:00\ninf: .inf\nn: 1\n",
            ),
        ] {
            d.write(name, text);
        }
        for (from, to) in [
            ("p.yaml", "s.yaml"),
            ("p.json", "s.json"),
            ("p.env", "s.env"),
            ("p.ini", "s.ini"),
            ("odd.yaml", "o.yaml"),
        ] {
            sealed_by_sops(&d, from, to);
        }
        let sealed = std::fs::read_to_string(d.env.path("s.yaml")).unwrap();
        d.write("a.yaml", &sealed);
        // The same file with a MAC that does not verify.
        let at = sealed.find("mac: ENC[AES256_GCM,data:").unwrap() + 25;
        let flipped = if &sealed[at..=at] == "A" { "B" } else { "A" };
        d.write(
            "badmac.yaml",
            &format!("{}{flipped}{}", &sealed[..at], &sealed[at + 1..]),
        );
        for e in ["ed_fail.sh", "ed_change.sh"] {
            let body = if e == "ed_fail.sh" {
                "#!/bin/sh\nexit 3\n"
            } else {
                "#!/bin/sh\nsed -i 's/admin/root/' \"$1\"\n"
            };
            let p = d.write(e, body);
            std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        d.write(
            "shamir.yaml",
            &format!(
                "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{r}]\n      - age: [{}]\n",
                d.recipient2
            ),
        );
        let theirs = d.env.path("theirs");
        let ours = d.env.path("ours");
        Some(Self { d, theirs, ours })
    }

    /// Fresh copies of the workspace's files in `theirs/` and `ours/`.
    fn reset(&self) {
        for dir in [&self.theirs, &self.ours] {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir.join("nokey")).unwrap();
            for entry in std::fs::read_dir(self.d.env.dir.path()).unwrap() {
                let p = entry.unwrap().path();
                if p.is_file() {
                    std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
                }
            }
        }
    }

    fn cmd(&self, theirs: bool, dir: &Path, a: &[&str], editor: Option<&str>) -> Command {
        let mut c = if theirs {
            self.d.theirs()
        } else {
            self.d.ours()
        };
        c.current_dir(dir).args(a);
        if let Some(e) = editor {
            c.env("EDITOR", dir.join(e));
        }
        c
    }

    /// Runs `a` in both copies and compares exit codes, stdout and files.
    fn same(&self, a: &[&str], editor: Option<&str>) {
        self.reset();
        let t = run(self.cmd(true, &self.theirs, a, editor), None);
        let o = run(self.cmd(false, &self.ours, a, editor), None);
        assert_eq!(
            harness::code(&o),
            harness::code(&t),
            "exit code of sops {a:?}\nsops: {}\nsealbox: {}",
            String::from_utf8_lossy(&t.stderr),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
        if t.status.success() {
            self.same_bytes(&t.stdout, &o.stdout, &format!("stdout of sops {a:?}"));
        }
        let mut names: Vec<_> = std::fs::read_dir(&self.theirs)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for name in names {
            let tp = self.theirs.join(&name);
            if !tp.is_file() {
                continue;
            }
            let tb = std::fs::read(&tp).unwrap();
            let ob = std::fs::read(self.ours.join(&name))
                .unwrap_or_else(|_| panic!("sops {a:?} left {name:?}; sealbox did not"));
            self.same_bytes(&tb, &ob, &format!("{name:?} after sops {a:?}"));
        }
    }

    /// Runs `a` in both copies as they are; asserts the same exit code and no panic.
    fn both(&self, a: &[&str]) -> (std::process::Output, std::process::Output) {
        let t = run(self.cmd(true, &self.theirs, a, None), None);
        let o = run(self.cmd(false, &self.ours, a, None), None);
        assert_eq!(harness::code(&o), harness::code(&t), "exit code of {a:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
        (t, o)
    }

    /// Runs `a` as [`Pair::both`] does and asserts the same stderr, byte for byte.
    fn same_stderr(&self, a: &[&str]) {
        let (t, o) = self.both(a);
        assert_eq!(
            String::from_utf8_lossy(&o.stderr),
            String::from_utf8_lossy(&t.stderr),
            "stderr of sops {a:?}"
        );
    }

    fn same_bytes(&self, t: &[u8], o: &[u8], what: &str) {
        if t == o {
            return;
        }
        let (ts, os) = (String::from_utf8_lossy(t), String::from_utf8_lossy(o));
        assert!(
            ts.contains("ENC[AES256_GCM") || ts.contains("sops"),
            "{what} differs:\nsops:\n{ts}\nsealbox:\n{os}"
        );
        assert_eq!(layout(&os), layout(&ts), "{what}: the layout differs");
        assert_eq!(
            self.plaintext(o),
            self.plaintext(t),
            "{what}: the plaintext differs"
        );
    }

    /// What the real sops decrypts `bytes` to (as JSON), trying each input type.
    fn plaintext(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let probe = self.d.env.path("probe");
        std::fs::write(&probe, bytes).unwrap();
        ["yaml", "json", "dotenv", "ini"].iter().find_map(|t| {
            let mut c = self.d.theirs();
            c.args(["decrypt", "--input-type", t, "--output-type", "json"])
                .arg(&probe);
            let o = run(c, None);
            o.status.success().then_some(o.stdout)
        })
    }
}

/// Encrypted text with every `ENC[…]` reduced to its type and the metadata dropped.
/// Encrypts the workspace's `plain` with the real sops (its `.sops.yaml`) into `sealed`.
fn sealed_by_sops(d: &Dropin, plain: &str, sealed: &str) {
    let mut c = d.theirs();
    c.args(["encrypt", plain]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(d.env.path(sealed), &o.stdout).unwrap();
}

fn layout(text: &str) -> String {
    let enc =
        regex::Regex::new(r"ENC\[AES256_GCM,data:[^,\]]*,iv:[^,\]]*,tag:[^,\]]*,type:(\w+)\]")
            .unwrap();
    let text = enc.replace_all(text, "ENC[$1]");
    let mut out: Vec<&str> = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("sops:")
            || line == "[sops]"
            || line.trim_start().starts_with("\"sops\": {")
        {
            skipping = true;
            continue;
        }
        if skipping && !(line.starts_with("---") || line.starts_with('}')) {
            continue;
        }
        skipping = false;
        if !line.starts_with("sops_") {
            out.push(line);
        }
    }
    out.join("\n").replace(",\n}", "\n}")
}

#[test]
fn go_stores_read_and_write_as_sops() {
    let Some(p) = Pair::new() else { return };
    for a in [
        // JSON numbers are floats (type:float), also after an edit.
        &["encrypt", "p.json"][..],
        &["encrypt", "--output-type", "yaml", "p.json"],
        // dotenv values are taken as written, quotes included.
        &["encrypt", "p.env"],
        // go-ini: a DEFAULT section always, inline comments, quotes, continuations.
        &["encrypt", "p.ini"],
        &["encrypt", "--output-type", "yaml", "p.ini"],
        &["decrypt", "--output-type", "json", "s.ini"],
        &["decrypt", "--output-type", "yaml", "s.ini"],
        // Floats and nulls in dotenv and INI as Go's %G, `<nil>`.
        &["decrypt", "--output-type", "dotenv", "s.json"],
        &["decrypt", "--output-type", "dotenv", "s.ini"],
        // sops writes the first document only to dotenv.
        &["encrypt", "--output-type", "dotenv", "multi.yaml"],
        // Empty input: JSON cannot be read (2), dotenv is an empty document.
        &["encrypt", "empty.json"],
        &["encrypt", "empty.env"],
    ] {
        p.same(a, None);
    }
    // A timestamp is JSON-quoted when extracted; JSON cannot hold an infinity (4).
    p.same(
        &[
            "decrypt",
            "--extract",
            "[\"t\"]",
            "--output-type",
            "json",
            "o.yaml",
        ],
        None,
    );
    p.same(&["decrypt", "--output-type", "json", "o.yaml"], None);
    // sops 3.11 shows the key changes only, not the threshold's.
    p.same(
        &["--config", "shamir.yaml", "updatekeys", "-y", "s.env"],
        None,
    );
    p.same(&["edit", "s.json"], Some("ed_change.sh"));
    p.same(&["set", "s.env", "[\"N\"]", "null"], None);
}

#[test]
fn extract_and_set_match_sops() {
    let Some(p) = Pair::new() else { return };
    // A mapping extracted from a file of several YAML documents takes the first
    // document's place, and sops writes the later documents after it.
    p.d.write(
        "docs.yaml",
        "# top\nmetadata:\n  name: a # n\nlist: [x]\n---\n# second\nkind: Secret\n",
    );
    sealed_by_sops(&p.d, "docs.yaml", "enc_docs.yaml");
    for path in ["[\"metadata\"]", "[\"list\"]", "[\"metadata\"][\"name\"]"] {
        for out in ["yaml", "json"] {
            p.same(
                &[
                    "decrypt",
                    "--output-type",
                    out,
                    "--extract",
                    path,
                    "enc_docs.yaml",
                ],
                None,
            );
        }
    }
    for a in [
        &["decrypt", "--extract", "", "s.yaml"][..],
        &[
            "decrypt",
            "--extract",
            "[\"ratio\"]",
            "--output-type",
            "dotenv",
            "s.yaml",
        ],
        &[
            "decrypt",
            "--extract",
            "[\"ratio\"]",
            "--output-type",
            "ini",
            "s.yaml",
        ],
        &[
            "decrypt",
            "--extract",
            "[\"list\"]",
            "--output-type",
            "ini",
            "s.yaml",
        ],
        &[
            "decrypt",
            "--extract",
            "[\"ratio\"]",
            "--output-type",
            "binary",
            "s.yaml",
        ],
        &[
            "decrypt",
            "--extract",
            "[\"db\"][\"user\"]",
            "--output-type",
            "binary",
            "s.yaml",
        ],
        &["--indent", "-1", "-d", "--extract", "[\"ratio\"]", "s.yaml"],
        &["set", "s.yaml", "[\"list\"][1]", "[1, \"b\"]"],
        &["set", "s.yaml", "[\"new\"]", "{\"a\": 1, \"b\": [1]}"],
        &["set", "--output-type", "json", "s.yaml", "[\"n\"]", "1"],
        &["set", "--output-type", "dotenv", "s.yaml", "[\"n\"]", "1"],
        &["unset", "s.yaml", "db"],
        &["unset", "s.yaml", "[\"db\"][\"user\"]"],
    ] {
        p.same(a, None);
    }
    // A JSON number extracted to JSON is written as Go's encoding/json writes it
    // (1000000, 1e-7), not as YAML's %g (1e+06).
    p.d.write(
        "n.json",
        "{\"a\": 1000000, \"b\": 4775809, \"c\": 1e-7, \"d\": 1e21, \"e\": 1.5e6}",
    );
    sealed_by_sops(&p.d, "n.json", "ne.json");
    for k in ["a", "b", "c", "d", "e"] {
        let path = format!("[\"{k}\"]");
        p.same(&["decrypt", "--extract", &path, "ne.json"], None);
        p.same(
            &[
                "decrypt",
                "--extract",
                &path,
                "--output-type",
                "yaml",
                "ne.json",
            ],
            None,
        );
    }
}

/// A path that does not lead anywhere: the same exit code and the same message, which
/// names the one component that failed (scripts print it to their users).
#[test]
fn extract_failures_say_what_sops_says() {
    let Some(p) = Pair::new() else { return };
    p.reset();
    for path in [
        "[\"nope\"]",
        "[\"db\"][\"zz\"]",
        "[\"list\"][9]",
        "[\"ratio\"][0]",
    ] {
        p.same_stderr(&["decrypt", "--extract", path, "s.yaml"]);
    }
}

/// `updatekeys` logs through Go's logger: the local time, then the file's absolute,
/// cleaned path; a run over several files ends with the count of failures.
#[test]
fn updatekeys_logs_as_sops() {
    let Some(p) = Pair::new() else { return };
    p.reset();
    let time = regex::Regex::new(r"(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ").unwrap();
    for a in [
        &["updatekeys", "-y", "s.yaml"][..],
        &["updatekeys", "-y", "./nokey/../s.yaml", "missing.yaml"],
    ] {
        let (t, o) = p.both(a);
        let shown = |out: &std::process::Output, dir: &Path| {
            let text = String::from_utf8_lossy(&out.stderr).replace(&*dir.to_string_lossy(), "WS");
            time.replace_all(&text, "TIME ").into_owned()
        };
        let (t_err, o_err) = (shown(&t, &p.theirs), shown(&o, &p.ours));
        // sops logs a failed file through logrus; the rest is the same line for line.
        let keep = |e: &str| -> Vec<String> {
            e.lines()
                .filter(|l| l.starts_with("TIME ") || l.starts_with("failed updating"))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            keep(&o_err),
            keep(&t_err),
            "stderr of {a:?}:\n{t_err}\n{o_err}"
        );
        assert!(
            t_err.contains("TIME Syncing keys for file WS/s.yaml"),
            "{t_err}"
        );
    }
}

/// `--help` for the whole command line and for each command names every flag sops'
/// does, so a script that greps the help for a flag before using it finds it.
#[test]
fn help_names_sops_flags() {
    let Some(p) = Pair::new() else { return };
    p.reset();
    let option = regex::Regex::new(r"(?m)^\s+--([a-z][a-z-]*)").unwrap();
    for cmd in [
        &[][..],
        &["encrypt"],
        &["decrypt"],
        &["edit"],
        &["rotate"],
        &["set"],
        &["unset"],
        &["updatekeys"],
        &["exec-env"],
        &["exec-file"],
        &["filestatus"],
        &["publish"],
        &["groups", "add"],
        &["groups", "delete"],
    ] {
        let a: Vec<&str> = cmd.iter().copied().chain(["--help"]).collect();
        let (t, o) = p.both(&a);
        let names = |out: &std::process::Output| -> std::collections::BTreeSet<String> {
            option
                .captures_iter(&String::from_utf8_lossy(&out.stdout))
                .map(|c| c[1].to_owned())
                .collect()
        };
        let missing: Vec<_> = names(&t).difference(&names(&o)).cloned().collect();
        assert!(
            missing.is_empty(),
            "sops {a:?} lists {missing:?}; sealbox does not"
        );
    }
}

/// A comment selector reaches the comments after the one that matched, in its run and
/// in the blocks below it, as sops' comment stack does: after an
/// `encrypted_comment_regex` match they are encrypted (the matching comment is not,
/// unless an earlier one matched too), after an `unencrypted_comment_regex` match
/// they stay plain.
#[test]
fn comment_selectors_reach_as_in_sops() {
    let Some(p) = Pair::new() else { return };
    p.d.write(
        "cr.yaml",
        "# top\n# sops:enc\ndb:\n    # inner one\n    user: admin\n    # sops:enc\n    # after marker\n    pass: s3cret # inline\n    port: 5432\n# plain\nlist:\n    # in list\n    - a\n    # sops:enc\n    - b\n    - # sops:enc\n      k: v\n# sops:enc\nnested:\n    deep:\n        # deep comment\n        x: [1, 2]\nkey: visible\n# end\n",
    );
    for (flag, regex) in [
        ("--encrypted-comment-regex", "sops:enc"),
        ("--encrypted-comment-regex", "."),
        ("--unencrypted-comment-regex", "sops:enc"),
        ("--unencrypted-comment-regex", "^.(plain|top)"),
    ] {
        p.same(&["encrypt", flag, regex, "cr.yaml"], None);
        p.same(&["encrypt", "-i", flag, regex, "cr.yaml"], None);
    }
}

#[test]
fn checks_come_in_sops_order() {
    let Some(p) = Pair::new() else { return };
    for a in [
        &["decrypt", "--extract", "db", "missing.yaml"][..],
        &["decrypt", "-i"],
        &["encrypt", "--output", "o.yaml", "-i", "empty.json"],
        // A selector flag beside a rule's selector of another kind conflicts (8),
        // before the file is read; one of the same kind takes its place.
        &["encrypt", "--unencrypted-suffix", "_x", "p.enc.yaml"],
        &["encrypt", "--encrypted-regex", "^name$", "p.enc.yaml"],
        &[
            "encrypt",
            "--unencrypted-regex",
            "x",
            "--input-type",
            "dotenv",
            "p.enc.yaml",
        ],
        &[
            "encrypt",
            "--encrypted-regex",
            "a",
            "--unencrypted-suffix",
            "b",
            "p.yaml",
        ],
        // A rule without keys fails after the file is read (already encrypted: 203).
        &["encrypt", "--filename-override", "nokey/a.yaml", "a.yaml"],
        &["encrypt", "--filename-override", "nokey/a.yaml", "p.yaml"],
        // Rules match the path as Go's filepath.Abs leaves it: `..` taken out.
        &["encrypt", "./nokey/../p.yaml"],
        &[
            "encrypt",
            "--filename-override",
            "nokey/../p.yaml",
            "p.yaml",
        ],
        // The output store decides whether the tree is already encrypted.
        &["encrypt", "--output-type", "dotenv", "a.yaml"],
        &["filestatus", "bad.yaml"],
        &["filestatus", "--input-type", "json", "s.ini"],
        &["filestatus", "s.yaml"],
        &["rotate", "-i", "--rm-age", &p.d.env.recipient, "s.yaml"],
    ] {
        p.same(a, None);
    }
    p.same(&["edit", "s.yaml"], Some("ed_fail.sh"));
    p.same(&["new.yaml"], Some("ed_fail.sh"));
    // In sops' words first, Go's form of the status: callers look for them.
    for theirs in [true, false] {
        let dir = if theirs { &p.theirs } else { &p.ours };
        let o = run(
            p.cmd(theirs, dir, &["edit", "s.yaml"], Some("ed_fail.sh")),
            None,
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with("Could not run editor: exit status 3"),
            "{err}"
        );
    }
}

#[test]
fn flag_forms_match_sops() {
    let Some(p) = Pair::new() else { return };
    let r2 = p.d.recipient2.clone();
    for a in [
        // An unknown flag after a bool flag is still refused (urfave takes it along).
        &["decrypt", "--ignore-mac", "--bogus", "s.yaml"][..],
        // Two forms of one flag, a bad bool, a bad integer: exit 1.
        &["decrypt", "-i", "--in-place", "s.yaml"],
        &["edit", "-s", "--show-master-keys", "s.yaml"],
        &["decrypt", "--ignore-mac=maybe", "s.yaml"],
        &["-e", "--shamir-secret-sharing-threshold", "p.yaml", "0"],
        // A flag value that is the file leaves the next argument as the file (49).
        &["rotate", "--rm-age", "s.yaml", &r2],
        &[
            "exec-env",
            "--background",
            "--same-process",
            "s.yaml",
            "true",
        ],
        // `--extract` is read in the legacy `--set` form too (91).
        &["-d", "--extract", "db", "--set", "[\"a\"] 1", "s.yaml"],
        // The output store (binary: JSON) says the tree is already encrypted.
        &["-e", "--output-type", "binary", "a.yaml"],
        // A background command (deprecated) is started apart; sops exits 0 at once.
        &["exec-env", "--background", "s.env", "echo hi"],
        // `--` ends the flags; what follows is positional.
        &["decrypt", "--", "s.yaml"],
    ] {
        p.same(a, None);
    }
    // --ignore-mac reaches the editor flow.
    p.same(&["--ignore-mac", "badmac.yaml"], Some("ed_fail.sh"));
    p.same(&["badmac.yaml"], Some("ed_fail.sh"));
}

#[test]
fn sops_yaml_rules_read_as_sops_reads_them() {
    let Some(p) = Pair::new() else { return };
    let r = p.d.env.recipient.clone();
    let configs = [
        ("c_empty_list.yaml", "creation_rules: []\n".to_owned()),
        (
            "c_bad_first.yaml",
            format!("creation_rules:\n  - path_regex: \"(\"\n    age: {r}\n"),
        ),
        (
            "c_bad_later.yaml",
            format!("creation_rules:\n  - age: {r}\n  - path_regex: \"(\"\n    age: {r}\n"),
        ),
        (
            "c_group_string.yaml",
            format!("creation_rules:\n  - key_groups:\n      - age: \"{r}\"\n"),
        ),
        ("c_comments.yaml", "# nothing here\n\n".to_owned()),
        (
            "c_yes.yaml",
            format!("creation_rules:\n  - age: {r}\n    mac_only_encrypted: \"yes\"\n"),
        ),
        (
            "c_true_string.yaml",
            format!("creation_rules:\n  - age: {r}\n    mac_only_encrypted: \"true\"\n"),
        ),
        (
            "c_two_selectors.yaml",
            format!("creation_rules:\n  - age: {r}\n    encrypted_regex: a\n    unencrypted_suffix: b\n"),
        ),
        ("c_age_int.yaml", "creation_rules:\n  - age: 5\n".to_owned()),
        (
            "c_no_keys.yaml",
            "creation_rules:\n  - pgp: []\n".to_owned(),
        ),
        (
            "c_threshold_string.yaml",
            format!("creation_rules:\n  - age: {r}\n    shamir_threshold: \"2\"\n"),
        ),
        (
            "c_comment_regex.yaml",
            format!("creation_rules:\n  - age: {r}\n    unencrypted_comment_regex: ENC\n"),
        ),
        (
            "c_int_selector.yaml",
            format!("creation_rules:\n  - age: {r}\n    encrypted_regex: 5\n"),
        ),
    ];
    for (name, text) in &configs {
        p.d.write(name, text);
    }
    for (name, _) in &configs {
        for a in [
            &["encrypt", "p.yaml"][..],
            &["encrypt", "--age", &r, "p.yaml"],
            &["decrypt", "s.yaml"],
            &["updatekeys", "-y", "s.yaml"],
        ] {
            let mut argv = vec!["--config", name];
            argv.extend_from_slice(a);
            p.same(&argv, None);
        }
    }
}

/// Plaintexts the content fuzzer found, encrypted by both tools and decrypted by
/// both in every output type.
#[test]
fn content_reads_and_writes_as_sops() {
    let Some(p) = Pair::new() else { return };
    let long_keys = format!(
        "{k}: v\n{k128}: w\nm:\n  # head\n  {k}:\n    - a\n  {u}: {{n: 1}}\nl:\n  - {k}: []\n    y: 2\n",
        k = "k".repeat(129),
        k128 = "k".repeat(128),
        u = "\u{e9}".repeat(65),
    );
    let cases = [
        // go-ini comments: a key's own lines and inline comment are one comment after
        // it, whose first line loses its marks and the spaces after them (a tab
        // stays); a key given twice keeps the last value; comments after the last key
        // are dropped.
        (
            "c1.ini",
            "[s]\n; a\t\nk1 = 1\n;b\n; c\nk2 = 2\n#  d  \nk3 = 3\nk4 = 4 ;e\n; f\nk5 = 5 # g \n;\nk6 = 6\n;#x\nk6 = 7 ;y\n##z;1\n[t]\n;\t;w\nk = 8\n; lost\n",
        ),
        // Repeated marks in front of a comment go with its first mark (`## a` is `a`,
        // `;; ;x` is `x`, `#;x` is `;x`); a section's comment lines keep their blanks
        // on output.
        (
            "c5.ini",
            "## top\n[s]\n;;  ;x\nk = v ##y\n#;z\nk2 = 2\n#\t w\n[t]\nk = 1\n",
        ),
        // To INI, sops keeps a section's first comment only, the last comment after a
        // key, and no comment between sections.
        (
            "c6.yaml",
            "# top\ns:\n    # c1\n    # c2\n    k: v\n    # k1\n    # k2\n    k2: v2\n# mid\nt:\n    k: 1\n# end\n",
        ),
        // A comment after the closing quote of a block that spans lines is read (one
        // after a one-line quoted value is not).
        (
            "c8.ini",
            "[s]\nx = `a\nb#c`;d\nk = \"\"\"e\nf\"\"\"  # g\nk3 = `h;i` ;j\n",
        ),
        // exec-env gives values as the dotenv store prints them (floats as Go's %G).
        (
            "c7.json",
            "{\"A\": 1, \"B\": 1.5, \"C\": 1e3, \"D\": true, \"E\": null, \"F\": 1e21}",
        ),
        // go-ini's output quoting: `"""` for a backtick or line break, `…` for # or ;
        // (cut off on input here, so through a continuation line), "…" for blanks.
        ("c2.ini", "[s]\na = :`,\nb = x\\\n  ;y\nc = \"  z \"\n"),
        // A section holding only a comment: as YAML, sops writes the comment inside
        // its empty braces.
        ("c9.ini", "; sec note\n[empty]\n\n[s]\nk = v\n[e2]\n; b\n; c\n"),
        // A carriage return inside a dotenv comment is copied by go-yaml.
        ("c3.env", "#a\rb\nK=1\n"),
        // A key given twice in a JSON object stays twice, in its place (sops' decoder
        // keeps both, and its MAC covers both).
        ("c10.json", "{\"a\": 1, \"b\": {\"c\": 1, \"c\": [2]}, \"a\": \"x\"}"),
        // A section header given twice opens a second section, `[DEFAULT]` too: go-ini
        // as sops loads it keeps them apart.
        (
            "c11.ini",
            "k = 0\n[s]\na = 1\n[t]\nb = 2\n[s]\na = 3\n[DEFAULT]\nd = 4\n",
        ),
        ("c12.ini", "[DEFAULT]\nd = 1\n[s]\n[s]\nc = 2\n"),
        // go-yaml's emitter: a no-break space at an end stays plain, text starting
        // with a BOM has every character escaped, a `<<` value is written `!!merge <<`.
        (
            "c14.yaml",
            "i: \"\\u00a0nbsp\u{a0}\"\nz: \"\\ufeffbom é\"\nao: \"<<\"\nl: [\"<<\"]\n",
        ),
        // `!!binary` is decoded: text as a string; other bytes stay bytes, written
        // back as `!!binary` (a block past 70 characters) and as `\ufffd` in JSON.
        (
            "c15.yaml",
            "a: !!binary aGVsbG8=\nb: !!binary /w==\nc: !!binary ////////////////////////////////////////////////////////////////////////////////\nd:\n    - !!binary 4oKs4oI=\n",
        ),
        // Tags as go-yaml reads them: a local tag makes a string, the non-specific `!`
        // and a verbatim core tag resolve as usual.
        (
            "c16.yaml",
            "a: !int \"5\"\nb: !binary aGVsbG8=\nc: !foo 7\nd: ! 7\ne: !<tag:yaml.org,2002:int> 9\n",
        ),
        // Plain scalars as go-yaml resolves them: Go's integer prefixes in either case,
        // a float past f64's range and a date past its month's end stay strings.
        (
            "c17.yaml",
            "a: 0X1F\nb: 0O17\nc: 0B101\nd: 8e308\nf: 2024-2-30\ng: 2024-02-29\nh: 1900-02-29\nk: \"0X1\"\n",
        ),
        // A section header as go-ini reads it: the name to the last `]`, untrimmed, a
        // comment after it the section's; keys aligned by bytes.
        (
            "c18.ini",
            "[a] ; note\nx=1\n[ b ]\ny=2\n[c]x\n\u{e9}=1\nab=2\n",
        ),
        // A block scalar that ends the file with no line break has no final break.
        ("c19.yaml", "a: |\n    -----BEGIN KEY-----\n    x\nb: |\n    y"),
        // A key of more than 128 bytes is written `? key` / `: value`, as go-yaml
        // writes it, at any depth and before any kind of value.
        ("c20.yaml", long_keys.as_str()),
        // A CRLF file: go-ini keeps the CR inside a comment of several lines and in a
        // block value (sops panicked on a file whose comment lost its CR).
        (
            "c23.ini",
            "; top\r\n[s]\r\n; c1\r\n; c2\r\nk = v ; inline\r\n#\r\n#\nl=\r\nb = \"\"\"multi\r\n\r\nline\"\"\"\r\n",
        ),
        // Infinities and NaN: go-yaml's `.inf`, Go's `%G` (`+Inf`) in flat stores,
        // none in JSON (exit 4).
        ("c22.yaml", "limit: .inf\nfloor: -.inf\nratio: .nan\nm:\n  x: .inf\n"),
        // go-yaml breaks lines at U+2028/U+2029 too: single quotes are refused next
        // to a space, and the next character is indented; reading skips the blanks.
        (
            "c21.yaml",
            "a: \"x\\u2028y\"\nm:\n  l:\n    - \"p\\u2028 q\"\n    - \"\\u2029p\\u2028\\u2028b\"\n\"k\\u2028x\": 1\nr: x\u{2028}   y\n",
        ),
        // A byte order mark before the first line (Windows editors) is skipped.
        ("c13.ini", "\u{feff}[s]\na = 1\n"),
        // JSON floats keep their last digit (Go parses them exactly).
        (
            "c4.json",
            "{\"a\": 11.984447348974303, \"b\": 110.51550671166733, \"c\": 123456789012}",
        ),
    ];
    for (name, text) in cases {
        p.d.write(name, text);
        sealed_by_sops(&p.d, name, &format!("enc_{name}"));
    }
    for (name, _) in cases {
        p.same(&["encrypt", name], None);
        let sealed = format!("enc_{name}");
        for out in ["yaml", "json", "ini", "dotenv"] {
            p.same(&["decrypt", "--output-type", out, &sealed], None);
        }
        p.same(&["decrypt", &sealed], None);
    }
    for key in ["limit", "floor", "ratio"] {
        let path = format!("[\"{key}\"]");
        for out in ["yaml", "json", "ini"] {
            p.same(
                &[
                    "decrypt",
                    "--output-type",
                    out,
                    "--extract",
                    &path,
                    "enc_c22.yaml",
                ],
                None,
            );
        }
    }
    p.same(
        &["exec-env", "enc_c22.yaml", "echo \"$limit $floor $ratio\""],
        None,
    );
    // Bytes that are not UTF-8 (a binary file, YAML `!!binary`) reach dotenv output and
    // the environment as they are, as with sops.
    std::fs::write(p.d.env.path("blob.bin"), b"a\xffb\n").unwrap();
    p.d.write("bin.yaml", "k: !!binary Yf9i\n");
    for name in ["blob.bin", "bin.yaml"] {
        let sealed = format!("enc_{name}");
        sealed_by_sops(&p.d, name, &sealed);
        p.same(&["decrypt", "--output-type", "dotenv", &sealed], None);
        p.same(
            &[
                "exec-env",
                &sealed,
                "printf '%s|%s' \"$data\" \"$k\" | od -An -tx1",
            ],
            None,
        );
    }
    p.same(
        &[
            "exec-env",
            "enc_c7.json",
            "printf '%s|' \"$A\" \"$B\" \"$C\" \"$D\" \"$E\" \"$F\"",
        ],
        None,
    );
}

/// A file that does not exist yet opens in the editor with sops' example document
/// for its format, byte for byte; what the user saves is encrypted as sops does.
#[test]
fn new_file_starts_from_sops_example() {
    let Some(p) = Pair::new() else { return };
    let editor = p.d.write(
        "ed_show.sh",
        "#!/bin/sh\nf=\"$1\"\ncp \"$f\" \"$(dirname \"$0\")/shown.${f##*.}\"\n\
         case \"$f\" in\n*.json) printf '{\"added\": 1}\\n' > \"$f\" ;;\n\
         *.env) printf 'ADDED=1\\n' >> \"$f\" ;;\n*.ini) printf '[x]\\nk = v\\n' >> \"$f\" ;;\n\
         *.txt) printf ' more' >> \"$f\" ;;\n*) printf 'added: 1\\n' >> \"$f\" ;;\nesac\n",
    );
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for name in ["new.yaml", "new.json", "new.env", "new.ini", "new.txt"] {
        p.same(&[name], Some("ed_show.sh"));
    }
}

/// A hostile file's recipient holding a terminal escape and a NUL: the message that
/// names it (exit 128, as sops) prints them escaped, never raw.
#[test]
fn hostile_recipient_text_is_escaped_in_messages() {
    let Some(d) = Dropin::new() else {
        return;
    };
    d.write("p.yaml", "a: 1\n");
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient, "p.yaml"]);
    let o = run(c, None);
    assert!(o.status.success());
    let enc = String::from_utf8(o.stdout).unwrap();
    let hostile = enc.replace(
        &format!("recipient: {}", d.env.recipient),
        &format!("recipient: \"{}\\e[2J\\0\\nforged line\"", d.env.recipient),
    );
    assert_ne!(hostile, enc);
    d.write("h.yaml", &hostile);
    let mut c = d.ours();
    c.env("SOPS_AGE_KEY_FILE", "/dev/null")
        .args(["decrypt", "h.yaml"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 128);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains('\u{1b}') && !err.contains('\0'), "{err:?}");
    // sops' report, several lines; the recipient's line break stays escaped in its line.
    assert!(err.starts_with("Failed to get the data key"), "{err}");
    assert!(!err.lines().any(|l| l.starts_with("forged")), "{err}");
    assert!(err.contains("\\nforged line"), "{err}");
}

/// What sops' tree walk refuses to encrypt (exit 23): a YAML key go-yaml reads as
/// another type than a string, at any depth, and an integer past `i64::MAX` (go-yaml's
/// uint64). Quoted or `!!str` keys, and integers past u64 (floats), encrypt.
#[test]
fn yaml_keys_and_integers_sops_cannot_walk() {
    let Some(p) = Pair::new() else { return };
    let cases = [
        "1: a\n",
        "true: a\n",
        "1.5: a\n",
        "~: a\n",
        "2001-12-14: a\n",
        "a:\n    - 0x10: b\n",
        "a: {2: b}\n",
        "a: 18446744073709551615\n",
        "a: [9223372036854775808]\n",
        "a: !!int 0xFFFFFFFFFFFFFFFF\n",
        "\"1\": a\n!!str 2: b\n\"\": c\n",
        "a: 18446744073709551616\nb: -9223372036854775809\nc: \"18446744073709551615\"\n",
    ];
    for (i, text) in cases.iter().enumerate() {
        let name = format!("w{i}.yaml");
        p.d.write(&name, text);
        p.same(&["encrypt", &name], None);
    }
}

/// A command that fails under exec-env or exec-file: sops says so on stderr as Go
/// prints the child's state and passes its exit code on; a child killed by a signal
/// makes sops exit 255.
#[test]
fn exec_child_failures_are_reported_as_sops_reports_them() {
    let Some(p) = Pair::new() else { return };
    p.reset();
    for sub in ["exec-env", "exec-file"] {
        for c in ["exit 3", "kill -TERM $$", "kill -USR1 $$", "true"] {
            p.same_stderr(&[sub, "s.env", c]);
        }
    }
}

/// sops' warnings on stderr, as logrus prints them without a terminal: selectors a
/// binary file ignores, files past the first, a flag written after the file in the
/// legacy form, several modes at once. (A caller such as npm's sops-wrapper treats any
/// stderr as failure.) The time stamp is left out of the comparison.
#[test]
fn warnings_on_stderr_as_sops_logs_them() {
    let Some(p) = Pair::new() else { return };
    p.d.write("w.txt", "plain text\n");
    p.reset();
    let warnings = |o: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| l.starts_with("[CMD]"))
            .map(|l| {
                let at = l.find("time=\"").map_or(0, |i| i + 6);
                let end = l[at..].find('"').map_or(at, |j| at + j);
                format!("{}{}", &l[..at], &l[end..])
            })
            .collect()
    };
    for a in [
        &[
            "encrypt",
            "--encrypted-regex",
            "^a",
            "--unencrypted-suffix",
            "_u",
            "w.txt",
        ][..],
        &[
            "-e",
            "--encrypted-comment-regex",
            "x",
            "--unencrypted-comment-regex",
            "y",
            "w.txt",
        ],
        &["decrypt", "s.yaml", "s.json"],
        &["-d", "s.yaml", "--output-type", "json"],
        &["-d", "-r", "s.yaml"],
        &["filestatus", "s.yaml", "s.json"],
    ] {
        let (t, o) = p.both(a);
        assert_eq!(warnings(&o), warnings(&t), "warnings of sops {a:?}");
        assert!(a[0] == "filestatus" || !warnings(&t).is_empty(), "{a:?}");
    }
}

/// When no key opens a file (exit 128), sops' report, byte for byte: each group and
/// key, the age message built from the places sops looks in (a key file that loads,
/// one that is missing or empty, a bad `SOPS_AGE_KEY`, a failing `SOPS_AGE_KEY_CMD`,
/// nothing at all, two identities), a Shamir file with one group open, and a PGP key
/// gpg cannot open beside an age key. Programs choose their hints from these words.
#[test]
fn no_key_report_reads_as_sops() {
    let Some(d) = Dropin::new() else { return };
    d.write("p.yaml", "a: 1\n");
    let key = d.env.key.display().to_string();
    let key2 = d.key2.display().to_string();
    let sealed = |name: &str, global: &[&str], args: &[&str], gnupg: Option<&Path>| {
        let mut c = d.theirs();
        c.env("SOPS_AGE_KEY_FILE", &d.key2)
            .args(global)
            .arg("encrypt")
            .args(args)
            .arg("p.yaml");
        if let Some(g) = gnupg {
            c.env("GNUPGHOME", g);
        }
        let o = run(c, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        d.write(name, &String::from_utf8(o.stdout).unwrap());
    };
    sealed("other.yaml", &[], &["--age", &d.recipient2], None);
    d.write(
        "groups.yaml",
        &format!(
            "creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [{}]\n      - age: [{}]\n",
            d.env.recipient, d.recipient2
        ),
    );
    sealed("shamir.yaml", &["--config", "groups.yaml"], &[], None);
    let missing = d.env.path("nope.txt").display().to_string();
    let secret = std::fs::read_to_string(&d.env.key).unwrap();
    let secret = secret
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY"))
        .unwrap();
    // Each case: the file, and the variables set (`Some`) or removed (`None`).
    type Vars<'a> = Vec<(&'a str, Option<&'a str>)>;
    let cases: Vec<(&str, Vars)> = vec![
        ("other.yaml", vec![]),
        ("other.yaml", vec![("SOPS_AGE_KEY_FILE", Some(&missing))]),
        ("other.yaml", vec![("SOPS_AGE_KEY_FILE", None)]),
        ("other.yaml", vec![("SOPS_AGE_KEY_FILE", Some("/dev/null"))]),
        ("other.yaml", vec![("SOPS_AGE_KEY", Some("garbage"))]),
        (
            "other.yaml",
            vec![
                ("SOPS_AGE_KEY", Some("garbage")),
                ("SOPS_AGE_KEY_FILE", Some(&missing)),
            ],
        ),
        (
            "other.yaml",
            vec![
                ("SOPS_AGE_KEY_FILE", None),
                ("SOPS_AGE_KEY_CMD", Some("false")),
            ],
        ),
        ("other.yaml", vec![("SOPS_AGE_KEY", Some(secret))]),
        ("shamir.yaml", vec![("SOPS_AGE_KEY_FILE", Some(&key2))]),
        ("shamir.yaml", vec![("SOPS_AGE_KEY_FILE", Some(&key))]),
    ];
    let compare = |file: &str, env: &[(&str, Option<&str>)], gnupg: Option<&Path>| {
        let mut outs = Vec::new();
        for mut c in [d.theirs(), d.ours()] {
            for (k, v) in env {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
            if let Some(g) = gnupg {
                c.env("GNUPGHOME", g);
            }
            c.args(["decrypt", file]);
            outs.push(run(c, None));
        }
        assert_eq!(harness::code(&outs[1]), 128, "{env:?}");
        assert_eq!(harness::code(&outs[0]), 128, "{env:?}");
        assert_eq!(
            String::from_utf8_lossy(&outs[1].stderr),
            String::from_utf8_lossy(&outs[0].stderr),
            "{file} {env:?}"
        );
    };
    for (file, env) in &cases {
        compare(file, env, None);
    }
    let Some(gnupg) = d.fixture_gnupg() else {
        eprintln!("skipped the PGP case: ../shared/fixtures is absent");
        return;
    };
    sealed(
        "pgp.yaml",
        &[],
        &["--age", &d.recipient2, "--pgp", crate::sops_dropin::PGP_FP],
        Some(&gnupg),
    );
    let empty = d.env.path("empty-gnupg");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::set_permissions(&empty, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    // gpg's first run in a home notes that it created the keybox: not in either.
    let _ = Command::new("gpg")
        .env("GNUPGHOME", &empty)
        .args(["--batch", "--list-keys"])
        .output();
    compare("pgp.yaml", &[], Some(&empty));
}

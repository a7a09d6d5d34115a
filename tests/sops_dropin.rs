//! sealbox installed as `sops` (a symlink named `sops` to the binary) against the real
//! sops 3.11: the same argument vectors on the same files and age keys, comparing exit
//! codes, stdout and what the written files decrypt to.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::harness::{self, Env};

/// The fingerprint of the sops fixtures' PGP test key.
pub const PGP_FP: &str = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";

/// A workspace with a second age key and a `sops` symlink to sealbox.
pub struct Dropin {
    pub env: Env,
    link: PathBuf,
    pub key2: PathBuf,
    pub recipient2: String,
}

impl Dropin {
    pub fn new() -> Option<Self> {
        if !harness::have("sops") {
            return None;
        }
        let env = Env::new();
        let bin = env.path("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let link = bin.join("sops");
        std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("sealbox"), &link).unwrap();
        let id = age::x25519::Identity::generate();
        let recipient2 = id.to_public().to_string();
        use age::secrecy::ExposeSecret;
        let key2 = env.write("key2.txt", format!("{}\n", id.to_string().expose_secret()));
        Some(Self {
            env,
            link,
            key2,
            recipient2,
        })
    }

    fn base(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(self.env.dir.path());
        for (k, _) in std::env::vars() {
            if k.starts_with("SOPS_") || k.starts_with("SEALBOX_") || k == "EDITOR" {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.env.path("home"))
            .env("XDG_CONFIG_HOME", self.env.path("home/.config"))
            .env("XDG_STATE_HOME", self.env.path("home/.state"))
            .env("SOPS_AGE_KEY_FILE", &self.env.key)
            .env("SOPS_DISABLE_VERSION_CHECK", "1");
        c
    }

    /// sealbox called as `sops`.
    pub fn ours(&self) -> Command {
        self.base(&self.link)
    }

    /// The real sops.
    pub fn theirs(&self) -> Command {
        self.base(Path::new("sops"))
    }

    /// A GnuPG home holding the sops fixtures' PGP secret key (fingerprint
    /// [`PGP_FP`]); `None` (the test skips) when `../shared` is absent.
    pub fn fixture_gnupg(&self) -> Option<PathBuf> {
        let fixtures = harness::fixtures()?;
        let home = self.env.path("gnupg");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::set_permissions(&home, std::os::unix::fs::PermissionsExt::from_mode(0o700))
            .unwrap();
        let imported = Command::new("gpg")
            .env("GNUPGHOME", &home)
            .args(["--batch", "--import"])
            .arg(fixtures.join("keys/pgp-functional-tests-secret-keys.asc"))
            .output()
            .unwrap();
        assert!(imported.status.success());
        Some(home)
    }

    pub fn write(&self, rel: &str, content: &str) -> PathBuf {
        self.env.write(rel, content)
    }
}

pub fn run(mut c: Command, stdin: Option<&[u8]>) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn");
    let input = stdin.map(<[u8]>::to_vec).unwrap_or_default();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    let _ = writer.join();
    out
}

fn args(c: &mut Command, a: &[&str]) {
    c.args(a);
}

/// Runs `a` through both; asserts equal exit codes (and stdout when `stdout`).
fn same(d: &Dropin, a: &[&str], stdin: Option<&[u8]>, stdout: bool) -> (Output, Output) {
    let mut t = d.theirs();
    args(&mut t, a);
    let mut o = d.ours();
    args(&mut o, a);
    let (t, o) = (run(t, stdin), run(o, stdin));
    assert_eq!(
        harness::code(&o),
        harness::code(&t),
        "exit code of sops {a:?}\nsops: {}\nsealbox: {}",
        String::from_utf8_lossy(&t.stderr),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    if stdout {
        assert_eq!(
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&t.stdout),
            "stdout of sops {a:?}"
        );
    }
    (t, o)
}

/// What the real sops decrypts `rel` to.
fn sops_plain(d: &Dropin, rel: &str, key: &Path) -> Output {
    let mut c = d.theirs();
    c.env("SOPS_AGE_KEY_FILE", key).args(["decrypt", rel]);
    run(c, None)
}

const PLAIN: &str = "# settings\napp:\n    user: admin\n    port: 5432\n    ratio: 1.5\n    on: true\n    list:\n        - a\n        - b\n    # end of app\nflat: \"x y\"\nnote_unencrypted: visible\n";

fn setup(d: &Dropin) {
    d.write("p.yaml", PLAIN);
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient, "p.yaml"]);
    let o = run(c, None);
    assert!(o.status.success());
    std::fs::write(d.env.path("e.yaml"), &o.stdout).unwrap();
    d.write("flat.yaml", "A: 1\nB: two words\nC: true\n");
    let mut c = d.theirs();
    c.args(["encrypt", "--age", &d.env.recipient, "flat.yaml"]);
    let o = run(c, None);
    std::fs::write(d.env.path("eflat.yaml"), &o.stdout).unwrap();
    // A list item whose text starts with a line break: go-yaml writes it as `- |4-`,
    // which no YAML reader takes back, go-yaml's own included.
    d.write("lead.json", "{\"k\": [\"\\nx\", \"a\"]}");
    let mut c = d.theirs();
    c.args([
        "encrypt",
        "--age",
        &d.env.recipient,
        "--input-type",
        "json",
        "--output-type",
        "yaml",
        "lead.json",
    ]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(d.env.path("elead.yaml"), &o.stdout).unwrap();
}

#[test]
fn decrypt_forms_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
    let text = std::fs::read_to_string(d.env.path("e.yaml")).unwrap();
    d.write(
        "mac.yaml",
        &text.replace("note_unencrypted: visible", "note_unencrypted: changed"),
    );
    let port_line = text.lines().find(|l| l.contains("port:")).unwrap();
    let other_line = text.lines().find(|l| l.contains("user:")).unwrap();
    let swapped = text
        .replace(port_line, "PORT")
        .replace(other_line, &port_line.replace("port", "user"))
        .replace("PORT", &other_line.replace("user", "port"));
    d.write("value.yaml", &swapped);
    for a in [
        &["decrypt", "e.yaml"][..],
        &["-d", "e.yaml"],
        &["--decrypt", "e.yaml"],
        &["decrypt", "--output-type", "json", "e.yaml"],
        &["decrypt", "--output-type=json", "e.yaml"],
        &["decrypt", "--extract", "[\"app\"][\"user\"]", "e.yaml"],
        &["decrypt", "--extract", "[\"app\"][\"port\"]", "e.yaml"],
        &["decrypt", "--extract", "[\"app\"]['list'][1]", "e.yaml"],
        &[
            "decrypt",
            "--extract",
            "[\"app\"][\"port\"]",
            "--output-type",
            "json",
            "e.yaml",
        ],
        &["-d", "--extract", "[\"app\"]", "e.yaml"],
        &["decrypt", "--extract", "[\"app\"][\"list\"]", "e.yaml"],
        &["decrypt", "--extract", "[\"nope\"]", "e.yaml"],
        &["decrypt", "--extract", "nope", "e.yaml"],
        &["decrypt", "missing.yaml"],
        &["decrypt", "p.yaml"],
        &["decrypt", "mac.yaml"],
        &["decrypt", "--ignore-mac", "mac.yaml"],
        &["decrypt", "value.yaml"],
        &["decrypt", "--decryption-order", "age,age", "e.yaml"],
        &["decrypt", "--decryption-order", "age,pgp", "e.yaml"],
        &["decrypt", "-i", "--output", "x.yaml", "e.yaml"],
        &["decrypt", "--bogus", "e.yaml"],
        &["filestatus", "e.yaml"],
        &["filestatus", "p.yaml"],
        &["filestatus", "missing.yaml"],
        &["decrypt", "--output-type", "dotenv", "eflat.yaml"],
        &["--disable-version-check", "decrypt", "eflat.yaml"],
        &["--config", "/nonexistent.yaml", "decrypt", "eflat.yaml"],
    ] {
        let failing = matches!(a[1], "--bogus" | "-i") || a.contains(&"--decryption-order");
        same(&d, a, None, !failing);
    }
    // No key: sops exits 128.
    let mut t = d.theirs();
    t.env("SOPS_AGE_KEY_FILE", "/dev/null")
        .args(["decrypt", "e.yaml"]);
    let mut o = d.ours();
    o.env("SOPS_AGE_KEY_FILE", "/dev/null")
        .args(["decrypt", "e.yaml"]);
    assert_eq!(harness::code(&run(o, None)), harness::code(&run(t, None)));
    // --output writes the same plaintext.
    same(
        &d,
        &["decrypt", "--output", "out.yaml", "e.yaml"],
        None,
        true,
    );
    assert_eq!(
        values(&std::fs::read(d.env.path("out.yaml")).unwrap()),
        values(PLAIN.as_bytes())
    );
}

#[test]
fn version_is_sops_format() {
    let Some(d) = Dropin::new() else { return };
    let o = run(
        {
            let mut c = d.ours();
            c.arg("--version");
            c
        },
        None,
    );
    let line = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success());
    let version = line.split_whitespace().nth(1).unwrap();
    assert!(line.starts_with("sops 3.11.0"), "{line}");
    assert_eq!(version.split('.').count(), 3);
    // `sealbox sops --version` is the same front end.
    let o = d.env.cmd().args(["sops", "--version"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("sops 3.11.0"));
}

#[test]
fn stdin_pipelines_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
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
        &["decrypt", "--filename-override", "x.yaml"],
        &["decrypt", "--input-type", "yaml", "/dev/stdin"],
    ] {
        let ok = !a.ends_with(&["/dev/stdin"]) || a.contains(&"--output-type");
        same(&d, a, Some(&enc), ok);
    }
    // encrypt from stdin needs --filename-override (8), then works.
    let plain = PLAIN.as_bytes();
    same(
        &d,
        &["encrypt", "--age", &d.env.recipient],
        Some(plain),
        false,
    );
    let (t, o) = same(
        &d,
        &[
            "encrypt",
            "--age",
            &d.env.recipient,
            "--filename-override",
            "new.yaml",
        ],
        Some(plain),
        false,
    );
    std::fs::write(d.env.path("t.yaml"), &t.stdout).unwrap();
    std::fs::write(d.env.path("o.yaml"), &o.stdout).unwrap();
    assert_eq!(
        sops_plain(&d, "o.yaml", &d.env.key).stdout,
        sops_plain(&d, "t.yaml", &d.env.key).stdout
    );
}

#[test]
fn encrypt_forms_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
    d.write("empty.yaml", "");
    let r = d.env.recipient.clone();
    same(&d, &["encrypt", "--age", &r, "e.yaml"], None, true);
    same(&d, &["encrypt", "--age", &r, "empty.yaml"], None, true);
    same(&d, &["encrypt", "--age", &r, "missing.yaml"], None, true);
    same(&d, &["encrypt", "p.yaml"], None, true);
    same(
        &d,
        &["encrypt", "-i", "--output", "x", "--age", &r, "p.yaml"],
        None,
        false,
    );
    // Same plaintext in, same plaintext out, written by either.
    for (i, extra) in [
        &["--age", r.as_str()][..],
        &["--age", r.as_str(), "--encrypted-regex", "^(user|flat)$"],
        &["--age", r.as_str(), "--unencrypted-suffix", "_plain"],
        &["--age", r.as_str(), "--mac-only-encrypted"],
    ]
    .into_iter()
    .enumerate()
    {
        let (global, rest): (Vec<&str>, Vec<&str>) =
            extra.iter().partition(|a| **a == "--mac-only-encrypted");
        let mut a: Vec<&str> = global;
        a.push("encrypt");
        a.extend(rest);
        a.push("p.yaml");
        let (t, o) = same(&d, &a, None, false);
        let (tn, on) = (format!("t{i}.yaml"), format!("o{i}.yaml"));
        std::fs::write(d.env.path(&tn), &t.stdout).unwrap();
        std::fs::write(d.env.path(&on), &o.stdout).unwrap();
        let (tp, op) = (
            sops_plain(&d, &tn, &d.env.key),
            sops_plain(&d, &on, &d.env.key),
        );
        assert!(
            op.status.success(),
            "{}",
            String::from_utf8_lossy(&op.stderr)
        );
        assert!(!String::from_utf8_lossy(&op.stdout).contains("ENC["));
        assert_eq!(values(&op.stdout), values(&tp.stdout), "{a:?}");
        // The same values are left in the clear.
        let clear = |s: &[u8]| {
            String::from_utf8_lossy(s)
                .lines()
                .take_while(|l| !l.starts_with("sops:"))
                .filter(|l| !l.contains("ENC["))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(clear(&o.stdout), clear(&t.stdout), "{a:?}");
    }
    // Legacy -e -i, and keys from SOPS_AGE_RECIPIENTS and from .sops.yaml.
    for (name, how) in [("l1.yaml", 0), ("l2.yaml", 1), ("l3.yaml", 2)] {
        d.write(name, PLAIN);
        let mut c = d.ours();
        match how {
            0 => c.args(["-e", "-i", "--age", &r, name]),
            1 => c.env("SOPS_AGE_RECIPIENTS", &r).args(["-e", "-i", name]),
            _ => {
                d.write("conf/rules.yaml", &format!("creation_rules:\n  - path_regex: nomatch\n    age: {}\n  - path_regex: l3\\.yaml$\n    age: [{r}]\n", d.recipient2));
                c.args(["--config", "conf/rules.yaml", "encrypt", "-i", name])
            }
        };
        let o = run(c, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            values(&sops_plain(&d, name, &d.env.key).stdout),
            values(PLAIN.as_bytes())
        );
    }
    // A .sops.yaml in the working directory; a non-matching rule fails as in sops.
    d.write(
        ".sops.yaml",
        &format!("creation_rules:\n  - path_regex: only-this\\.yaml$\n    age: {r}\n"),
    );
    same(&d, &["encrypt", "p.yaml"], None, true);
    d.write("only-this.yaml", PLAIN);
    let (t, o) = same(&d, &["encrypt", "only-this.yaml"], None, false);
    std::fs::write(d.env.path("t.yaml"), &t.stdout).unwrap();
    std::fs::write(d.env.path("o.yaml"), &o.stdout).unwrap();
    assert_eq!(
        sops_plain(&d, "o.yaml", &d.env.key).stdout,
        sops_plain(&d, "t.yaml", &d.env.key).stdout
    );
}

/// The values of a YAML document (comments and formatting aside).
fn values(yaml: &[u8]) -> Vec<String> {
    let t = sealbox::store::Format::Yaml
        .parse_plain(yaml)
        .expect("yaml");
    t.docs.iter().map(crate::interop::canon).collect()
}

/// Runs `a` (with FILE replaced) on two copies of `src`: one by sops, one by us.
/// Returns the outputs and the names of the two copies.
fn on_copies(
    d: &Dropin,
    src: &str,
    a: &[&str],
    stdin: Option<&[u8]>,
) -> (Output, Output, String, String) {
    on_copies_with(d, src, a, stdin, &d.env.key)
}

fn on_copies_with(
    d: &Dropin,
    src: &str,
    a: &[&str],
    stdin: Option<&[u8]>,
    key: &Path,
) -> (Output, Output, String, String) {
    let (tn, on) = (format!("t-{src}"), format!("o-{src}"));
    std::fs::copy(d.env.path(src), d.env.path(&tn)).unwrap();
    std::fs::copy(d.env.path(src), d.env.path(&on)).unwrap();
    let sub = |n: &str| {
        a.iter()
            .map(|x| {
                if *x == "FILE" {
                    n.to_owned()
                } else {
                    (*x).to_owned()
                }
            })
            .collect::<Vec<_>>()
    };
    let mut t = d.theirs();
    t.env("SOPS_AGE_KEY_FILE", key).args(sub(&tn));
    let mut o = d.ours();
    o.env("SOPS_AGE_KEY_FILE", key).args(sub(&on));
    let (t, o) = (run(t, stdin), run(o, stdin));
    assert_eq!(
        harness::code(&o),
        harness::code(&t),
        "exit code of sops {a:?}\nsops: {}\nsealbox: {}",
        String::from_utf8_lossy(&t.stderr),
        String::from_utf8_lossy(&o.stderr)
    );
    (t, o, tn, on)
}

fn same_result(d: &Dropin, tn: &str, on: &str, key: &Path) {
    let (t, o) = (sops_plain(d, tn, key), sops_plain(d, on, key));
    assert_eq!(
        harness::code(&o),
        harness::code(&t),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&t.stdout)
    );
}

#[test]
fn set_unset_and_legacy_set_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
    d.write("v.json", "{\"deep\": [1, \"x\"]}");
    for a in [
        &["set", "FILE", "[\"app\"][\"user\"]", "\"root\""][..],
        &["set", "FILE", "[\"new\"][\"nested\"]", "5"],
        &["set", "FILE", "[\"app\"][\"list\"][0]", "{\"k\": true}"],
        &["set", "FILE", "[\"flat\"]", "not json"],
        &["set", "FILE", "bad path", "1"],
        &["set", "--value-file", "FILE", "[\"obj\"]", "v.json"],
        &["set", "--idempotent", "FILE", "[\"flat\"]", "\"x y\""],
        &["unset", "FILE", "[\"app\"][\"port\"]"],
        &["unset", "FILE", "[\"app\"][\"list\"][1]"],
        &["unset", "FILE", "[\"nope\"]"],
        &["unset", "--idempotent", "FILE", "[\"nope\"]"],
        &["--set", "[\"app\"][\"user\"] \"legacy\"", "FILE"],
        &["--set", "[\"app\"][\"user\"]", "FILE"],
        &["set", "missing.yaml", "[\"a\"]", "1"],
    ] {
        let (_, o, tn, on) = on_copies(&d, "e.yaml", a, None);
        if o.status.success() {
            same_result(&d, &tn, &on, &d.env.key);
        }
    }
    let (_, o, tn, on) = on_copies(
        &d,
        "e.yaml",
        &["set", "--value-stdin", "FILE", "[\"s\"]"],
        Some(b"\"from stdin\""),
    );
    assert!(o.status.success());
    same_result(&d, &tn, &on, &d.env.key);
    // Unchanged values keep their ciphertext: only the changed line differs.
    let (_, _, _, on) = on_copies(
        &d,
        "e.yaml",
        &["set", "FILE", "[\"flat\"]", "\"other\""],
        None,
    );
    let before = std::fs::read_to_string(d.env.path("e.yaml")).unwrap();
    let after = std::fs::read_to_string(d.env.path(&on)).unwrap();
    let changed = before
        .lines()
        .zip(after.lines())
        .take_while(|(b, _)| !b.starts_with("sops:"))
        .filter(|(b, a)| b != a && !b.contains("type:comment"))
        .count();
    assert_eq!(changed, 1, "{after}");
}

#[test]
fn rotate_updatekeys_groups_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
    let r2 = d.recipient2.clone();
    for a in [
        &["rotate", "-i", "FILE"][..],
        &["-r", "-i", "FILE"],
        &["rotate", "-i", "--add-age", &r2, "FILE"],
        &["-r", "-i", "--add-age", &r2, "FILE"],
    ] {
        let (_, o, tn, on) = on_copies(&d, "e.yaml", a, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        same_result(&d, &tn, &on, &d.env.key);
        if a.contains(&"--add-age") {
            same_result(&d, &tn, &on, &d.key2);
        }
    }
    let (t, o, _, _) = on_copies(&d, "e.yaml", &["rotate", "FILE"], None);
    std::fs::write(d.env.path("rt.yaml"), &t.stdout).unwrap();
    std::fs::write(d.env.path("ro.yaml"), &o.stdout).unwrap();
    same_result(&d, "rt.yaml", "ro.yaml", &d.env.key);
    same(
        &d,
        &["rotate", "--add-age", &r2, "missing.yaml"],
        None,
        true,
    );
    // Removing the first key: only key2 opens the result.
    let (_, _, tn, on) = on_copies(
        &d,
        "e.yaml",
        &["rotate", "-i", "--add-age", &r2, "FILE"],
        None,
    );
    for n in [&tn, &on] {
        let mut c = d.ours();
        c.args(["rotate", "-i", "--rm-age", &d.env.recipient, n]);
        assert!(run(c, None).status.success());
    }
    same_result(&d, &tn, &on, &d.key2);
    assert_eq!(harness::code(&sops_plain(&d, &on, &d.env.key)), 128);

    // updatekeys: the config now names both keys; -y applies, "n" leaves it.
    d.write(
        ".sops.yaml",
        &format!("creation_rules:\n  - age: {},{r2}\n", d.env.recipient),
    );
    let (_, o, _, on) = on_copies(&d, "e.yaml", &["updatekeys", "FILE"], Some(b"n\n"));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("+++ {r2}")));
    assert_eq!(
        harness::code(&sops_plain(&d, &on, &d.key2)),
        128,
        "declined: unchanged"
    );
    // The answer is read as Go's Scanln reads it, asked again until `y` or `n`: no
    // input, an empty line or two words fail (exit 1), others ask again.
    for answer in [&b""[..], b"\n", b"y n\n", b"x", b"yes\nY\nn\n", b"n"] {
        let (t, o, _, on) = on_copies(&d, "e.yaml", &["updatekeys", "FILE"], Some(answer));
        assert_eq!(o.stdout, t.stdout, "{:?}", String::from_utf8_lossy(answer));
        assert_eq!(harness::code(&sops_plain(&d, &on, &d.key2)), 128);
    }
    let (t, o, tn, on) = on_copies(&d, "e.yaml", &["updatekeys", "FILE"], Some(b"Y\ny"));
    assert_eq!(o.stdout, t.stdout);
    same_result(&d, &tn, &on, &d.key2);
    let (_, o, tn, on) = on_copies(&d, "e.yaml", &["updatekeys", "-y", "FILE"], None);
    assert!(o.status.success());
    same_result(&d, &tn, &on, &d.key2);
    let before = std::fs::read_to_string(d.env.path("e.yaml")).unwrap();
    let after = std::fs::read_to_string(d.env.path(&on)).unwrap();
    let mac = |s: &str| s.lines().find(|l| l.contains("mac:")).map(str::to_owned);
    assert_eq!(
        mac(&before),
        mac(&after),
        "updatekeys keeps the data key and MAC"
    );
    let (_, o, _, _) = on_copies(&d, &on, &["updatekeys", "-y", "FILE"], None);
    assert!(o.status.success());
    std::fs::remove_file(d.env.path(".sops.yaml")).unwrap();

    // groups add, then delete: what either writes opens the same way.
    let (t, o, _, _) = on_copies(
        &d,
        "e.yaml",
        &["groups", "add", "--file", "FILE", "--age", &r2],
        None,
    );
    std::fs::write(d.env.path("gt.yaml"), &t.stdout).unwrap();
    std::fs::write(d.env.path("go.yaml"), &o.stdout).unwrap();
    assert!(o.status.success());
    same_result(&d, "gt.yaml", "go.yaml", &d.env.key);
    // Without key2 neither can open the two-group file; with both keys, delete works.
    on_copies(
        &d,
        "go.yaml",
        &["groups", "delete", "--file", "FILE", "-i", "1"],
        None,
    );
    let both = d.write(
        "both.txt",
        &(std::fs::read_to_string(&d.env.key).unwrap()
            + &std::fs::read_to_string(&d.key2).unwrap()),
    );
    let (_, o, tn, on) = on_copies_with(
        &d,
        "go.yaml",
        &[
            "groups",
            "delete",
            "--file",
            "FILE",
            "-i",
            "--shamir-secret-sharing-threshold",
            "1",
            "1",
        ],
        None,
        &both,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    same_result(&d, &tn, &on, &d.env.key);
}

#[test]
fn exec_and_edit_match_sops() {
    let Some(d) = Dropin::new() else { return };
    setup(&d);
    for a in [
        &["exec-env", "eflat.yaml", "echo \"$A|$B|$C\""][..],
        &["exec-env", "eflat.yaml", "exit 3"],
        &["exec-env", "e.yaml", "true"],
        &[
            "exec-env",
            "--pristine",
            "eflat.yaml",
            "echo \"${HOME:-unset}|$B\"",
        ],
        &["exec-env", "missing.yaml", "true"],
        &["exec-file", "e.yaml", "cat {}"],
        &["exec-file", "--no-fifo", "e.yaml", "cat {}; test -f {}"],
        &["exec-file", "--output-type", "json", "e.yaml", "cat {}"],
        &[
            "exec-file",
            "--no-fifo",
            "--filename",
            "named.yaml",
            "e.yaml",
            "basename {}",
        ],
        &["exec-file", "e.yaml", "exit 4"],
    ] {
        same(&d, a, None, true);
    }
    // An editor that changes nothing: 200; one that appends a key: saved.
    let script = d.write("append.sh", "#!/bin/sh\nprintf 'added: yes\\n' >> \"$1\"\n");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for (editor, file) in [("true", "e.yaml"), (script.to_str().unwrap(), "e.yaml")] {
        let (tn, on) = ("t-edit.yaml", "o-edit.yaml");
        std::fs::copy(d.env.path(file), d.env.path(tn)).unwrap();
        std::fs::copy(d.env.path(file), d.env.path(on)).unwrap();
        let mut t = d.theirs();
        t.env("EDITOR", editor).args(["edit", tn]);
        let mut o = d.ours();
        o.env("EDITOR", editor).arg(on);
        let (t, o) = (run(t, None), run(o, None));
        assert_eq!(
            harness::code(&o),
            harness::code(&t),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        same_result(&d, tn, on, &d.env.key);
    }
    // A list item whose text starts with a line break: sops shows `- |4-` in the
    // editor and then cannot read its own text back; sealbox shows a layout it reads
    // back, and sops opens the saved file.
    let mut o = d.ours();
    o.env("EDITOR", script.to_str().unwrap())
        .args(["edit", "elead.yaml"]);
    let o = run(o, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = sops_plain(&d, "elead.yaml", &d.env.key);
    let text = String::from_utf8_lossy(&p.stdout);
    assert!(
        text.contains("added: \"yes\"") && text.contains("      x\n"),
        "{text}"
    );
    // A new file through the editor: the keys from --age.
    let mut o = d.ours();
    o.env("EDITOR", script.to_str().unwrap()).args([
        "edit",
        "--age",
        &d.env.recipient,
        "brand-new.yaml",
    ]);
    let o = run(o, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = sops_plain(&d, "brand-new.yaml", &d.env.key);
    assert!(String::from_utf8_lossy(&p.stdout).contains("added: \"yes\""));
}

#[test]
fn unsupported_commands_say_so() {
    let Some(d) = Dropin::new() else { return };
    let mut c = d.ours();
    c.args(["keyservice"]);
    let o = run(c, None);
    assert_eq!(harness::code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("not supported by sealbox"));
}

#[test]
fn pgp_recipients_through_gpg_both_ways() {
    let Some(d) = Dropin::new() else { return };
    if !harness::have("gpg") {
        return;
    }
    let Some(home) = d.fixture_gnupg() else {
        return;
    };
    const FP: &str = PGP_FP;
    d.write("p.yaml", PLAIN);
    let with_gpg = |mut c: Command| {
        c.env("GNUPGHOME", &home).env_remove("SOPS_AGE_KEY_FILE");
        c
    };
    // --pgp, SOPS_PGP_FP and a .sops.yaml key group mixing PGP and age.
    let rules = format!(
        "creation_rules:\n  - path_regex: mixed\\.yaml$\n    key_groups:\n      - pgp: [{FP}]\n        age: [{}]\n  - pgp: {FP}\n",
        d.env.recipient
    );
    d.write("rules.yaml", &rules);
    d.write("mixed.yaml", PLAIN);
    for (i, a) in [
        &["encrypt", "--pgp", FP, "p.yaml"][..],
        &["--config", "rules.yaml", "encrypt", "p.yaml"],
        &["--config", "rules.yaml", "encrypt", "mixed.yaml"],
    ]
    .into_iter()
    .enumerate()
    {
        let mut ours = with_gpg(d.ours());
        ours.args(a);
        let o = run(ours, None);
        assert!(
            o.status.success(),
            "{a:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let name = format!("pgp{i}.yaml");
        std::fs::write(d.env.path(&name), &o.stdout).unwrap();
        assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("fp: {FP}")));
        // The real sops opens it with gpg alone.
        let mut theirs = with_gpg(d.theirs());
        theirs.args(["decrypt", &name]);
        let t = run(theirs, None);
        assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
        assert_eq!(values(&t.stdout), values(PLAIN.as_bytes()));
    }
    let mut ours = with_gpg(d.ours());
    ours.env("SOPS_PGP_FP", FP).args(["-e", "p.yaml"]);
    let o = run(ours, None);
    assert!(o.status.success());
    std::fs::write(d.env.path("env.yaml"), &o.stdout).unwrap();
    // And what sops writes for the key, sealbox-as-sops opens through gpg.
    let mut theirs = with_gpg(d.theirs());
    theirs.args(["encrypt", "--pgp", FP, "p.yaml"]);
    let t = run(theirs, None);
    std::fs::write(d.env.path("by-sops.yaml"), &t.stdout).unwrap();
    for f in ["env.yaml", "by-sops.yaml"] {
        let mut ours = with_gpg(d.ours());
        ours.args(["decrypt", f]);
        let o = run(ours, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(values(&o.stdout), values(PLAIN.as_bytes()));
    }
    // rotate keeps the PGP key (it is wrapped again through gpg).
    let mut ours = with_gpg(d.ours());
    ours.args(["rotate", "-i", "by-sops.yaml"]);
    assert!(run(ours, None).status.success());
    let mut theirs = with_gpg(d.theirs());
    theirs.args(["decrypt", "by-sops.yaml"]);
    assert!(run(theirs, None).status.success());
}

//! YAML comments at every depth (before, between and after items of sequences and
//! mappings, inline, around flow collections, empty collections, anchors and merge keys,
//! block scalars, several documents) through the real sops 3.11 and sealbox in both
//! directions. For each shape: what sops encrypts, sealbox decrypts to sops' exact text
//! (also through the native `sealbox decrypt`); what sealbox encrypts, sops and sealbox
//! both decrypt to that same text (sealbox places every comment where sops does); an
//! edit through `sealbox` as `sops` leaves the file as `sops edit` does; an input sops
//! refuses, sealbox refuses with a one-line error.

use std::process::Command;

use crate::harness;
use crate::sops_dropin::{run, Dropin};
use crate::yaml_shapes::shape_with;

/// How a shape came out.
#[derive(Debug, PartialEq)]
enum Verdict {
    /// Every text equals sops' own round trip.
    Same,
    /// sops refused the plaintext, and so did sealbox.
    Refused,
    /// sops wrote a file it cannot open itself (a go-yaml comment misplacement);
    /// sealbox still decrypts it and its own file.
    SopsBroken,
    /// Same values, keys and comments, but a comment stands elsewhere than in sops'
    /// text (the diff says where).
    Placement(String),
    /// Same values and keys, but a comment that sops' text has is missing, or left
    /// encrypted (sops cannot open a comment of sealbox's file).
    Lost(String),
}

impl Verdict {
    fn label(&self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Refused => "refused",
            Verdict::SopsBroken => "sops-broken",
            Verdict::Placement(_) => "placement",
            Verdict::Lost(_) => "lost",
        }
    }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn out(c: Command) -> Out {
    let o = run(c, None);
    Out {
        code: harness::code(&o),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn sops(d: &Dropin, ours: bool, args: &[&str]) -> Out {
    let mut c = if ours { d.ours() } else { d.theirs() };
    c.args(args);
    out(c)
}

/// `sealbox decrypt FILE` (the native command line).
fn native_decrypt(d: &Dropin, file: &str) -> Out {
    let mut c = native(d);
    c.args(["decrypt", file]);
    out(c)
}

/// The native `sealbox` with this workspace's key.
fn native(d: &Dropin) -> Command {
    let mut c: Command = Command::new(assert_cmd::cargo::cargo_bin("sealbox"));
    c.current_dir(d.env.dir.path());
    for (k, _) in std::env::vars() {
        if k.starts_with("SOPS_") || k.starts_with("SEALBOX_") || k == "EDITOR" {
            c.env_remove(k);
        }
    }
    c.env("HOME", d.env.path("home"))
        .env("XDG_CONFIG_HOME", d.env.path("home/.config"))
        .env("SEALBOX_AGE_KEY_FILE", &d.env.key);
    c
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

fn diff(a: &str, b: &str) -> String {
    format!("--- sops\n{a}--- sealbox\n{b}")
}

/// Runs one plaintext through both tools; `edit` adds the edit round trip.
fn check(d: &Dropin, text: &str, edit: bool) -> Result<Verdict, String> {
    d.write("p.yaml", text);
    let enc = ["encrypt", "--age", &d.env.recipient, "p.yaml"];
    let (theirs, ours) = (sops(d, false, &enc), sops(d, true, &enc));
    if theirs.code != 0 {
        ensure!(
            ours.code != 0,
            "sops refused (exit {}: {}) but sealbox encrypted",
            theirs.code,
            theirs.stderr.trim()
        );
        ensure!(
            ours.stderr.trim().lines().count() == 1 && !ours.stderr.contains("panicked"),
            "sealbox's refusal is one line: {}",
            ours.stderr
        );
        return Ok(Verdict::Refused);
    }
    ensure!(
        ours.code == 0,
        "sealbox refused what sops encrypts: {}",
        ours.stderr.trim()
    );
    std::fs::write(d.env.path("by-sops.yaml"), &theirs.stdout).unwrap();
    std::fs::write(d.env.path("by-us.yaml"), &ours.stdout).unwrap();
    let reference = sops(d, false, &["decrypt", "by-sops.yaml"]);
    let ours_of_sops = sops(d, true, &["decrypt", "by-sops.yaml"]);
    let native_of_sops = native_decrypt(d, "by-sops.yaml");
    let ours_of_ours = sops(d, true, &["decrypt", "by-us.yaml"]);
    let sops_of_ours = sops(d, false, &["decrypt", "by-us.yaml"]);
    for (who, o) in [
        ("sealbox as sops, sops' file", &ours_of_sops),
        ("sealbox decrypt, sops' file", &native_of_sops),
        ("sealbox, its own file", &ours_of_ours),
    ] {
        ensure!(o.code == 0, "{who}: exit {}: {}", o.code, o.stderr.trim());
        ensure!(
            !o.stdout.contains("ENC["),
            "{who}: a comment left encrypted:\n{}",
            o.stdout
        );
    }
    if reference.code != 0 || reference.stdout.contains("ENC[") {
        return Ok(Verdict::SopsBroken);
    }
    let want = &reference.stdout;
    ensure!(
        sops_of_ours.code == 0,
        "sops cannot open sealbox's file: {}",
        sops_of_ours.stderr.trim()
    );
    // Values, keys, order and every comment must always agree; where a comment
    // stands must agree too, and the sweep counts the shapes where it does not.
    let mut placed_elsewhere = Vec::new();
    let mut lost = Vec::new();
    for (what, got) in [
        ("sealbox decrypts sops' file", &ours_of_sops.stdout),
        (
            "sealbox decrypt (native) of sops' file",
            &native_of_sops.stdout,
        ),
        ("sops decrypts sealbox's file", &sops_of_ours.stdout),
        ("sealbox decrypts its own file", &ours_of_ours.stdout),
    ] {
        ensure!(
            same_data(got, want),
            "{what}: keys or values differ from sops' own round trip\n{}",
            diff(want, got)
        );
        if comments(got) != comments(want) {
            lost.push(format!(
                "{what}: a comment is missing or not decrypted\n{}",
                diff(want, got)
            ));
        } else if got != want {
            placed_elsewhere.push(format!(
                "{what}: a comment stands elsewhere\n{}",
                diff(want, got)
            ));
        }
    }
    if !lost.is_empty() {
        return Ok(Verdict::Lost(lost.join("\n")));
    }
    if !placed_elsewhere.is_empty() {
        return Ok(Verdict::Placement(placed_elsewhere.join("\n")));
    }
    // `sops edit` cannot read back a text that go-yaml laid out so that it is not
    // YAML (it asks for a key press, again and again): no edit round trip there.
    let readable = sealbox::store::Format::Yaml
        .parse_plain(want.as_bytes())
        .is_ok();
    if edit && readable {
        if let Some(d) = check_edit(d)? {
            return Ok(Verdict::Placement(d));
        }
    }
    Ok(Verdict::Same)
}

/// Whether two texts hold the same documents, keys, order and typed values (comments
/// aside): the same lines, or, where go-yaml laid a block out its own way, the same
/// tree when parsed.
fn same_data(a: &str, b: &str) -> bool {
    let lines = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split(" #").next().unwrap_or(l).trim_end().to_owned())
            .collect()
    };
    if lines(a) == lines(b) {
        return true;
    }
    let parse = |t: &str| sealbox::store::Format::Yaml.parse_plain(t.as_bytes()).ok();
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => {
            x.docs.len() == y.docs.len()
                && x.docs.iter().zip(&y.docs).all(|(p, q)| {
                    let (mut p, mut q) = (p.duplicate(), q.duplicate());
                    strip(&mut p);
                    strip(&mut q);
                    p == q
                })
        }
        // sops' own text is laid out so that it does not read back as YAML (go-yaml
        // writes `[]` alone on a line in some nested shapes): only placement is
        // comparable there.
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

/// Removes every comment from a parsed node.
fn strip(v: &mut sealbox::store::Value) {
    use sealbox::store::Value;
    match v {
        Value::Map(m) => {
            m.retain(|(_, v)| !matches!(v, Value::Comment(_)));
            m.iter_mut().for_each(|(_, v)| strip(v));
        }
        Value::Seq(s) => {
            s.retain(|v| !matches!(v, Value::Comment(_)));
            s.iter_mut().for_each(strip);
        }
        _ => {}
    }
}

/// The comment lines of a text, sorted: which comments survive, wherever they stand.
fn comments(text: &str) -> Vec<&str> {
    let mut c: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .collect();
    c.sort_unstable();
    c
}

/// `sops edit` and sealbox-as-`sops edit` with an editor that changes one value (or
/// nothing) leave files that decrypt to the same text.
fn check_edit(d: &Dropin) -> Result<Option<String>, String> {
    let script = d.write("ed.sh", "#!/bin/sh\nsed -i '0,/: v$/s//: w/' \"$1\"\n");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let script = script.to_str().unwrap().to_owned();
    // `sealbox edit` (native) with an editor that changes nothing leaves sops' file
    // byte for byte: no comment moves.
    std::fs::copy(d.env.path("by-sops.yaml"), d.env.path("ed-native.yaml")).unwrap();
    let mut c = native(d);
    c.env("EDITOR", "true").args(["edit", "ed-native.yaml"]);
    let e = out(c);
    ensure!(
        e.code == 0,
        "sealbox edit (unchanged): exit {}: {}",
        e.code,
        e.stderr.trim()
    );
    ensure!(
        std::fs::read(d.env.path("ed-native.yaml")).unwrap()
            == std::fs::read(d.env.path("by-sops.yaml")).unwrap(),
        "sealbox edit with no change rewrote sops' file"
    );
    let mut texts = Vec::new();
    for (ours, file) in [(false, "ed-sops.yaml"), (true, "ed-us.yaml")] {
        std::fs::copy(d.env.path("by-sops.yaml"), d.env.path(file)).unwrap();
        let mut c = if ours { d.ours() } else { d.theirs() };
        c.env("EDITOR", &script).args(["edit", file]);
        let e = out(c);
        let after = sops(d, false, &["decrypt", file]);
        texts.push((e.code, after.code, after.stdout));
    }
    let (a, b) = (&texts[0], &texts[1]);
    let placement_only =
        a.0 == b.0 && a.1 == b.1 && same_data(&b.2, &a.2) && comments(&a.2) == comments(&b.2);
    if a != b && placement_only {
        return Ok(Some(format!(
            "edit: a comment stands elsewhere\n{}",
            diff(&a.2, &b.2)
        )));
    }
    ensure!(
        texts[0] == texts[1],
        "edit differs: sops (edit exit {}, decrypt {}), sealbox (edit exit {}, decrypt {})\n{}",
        texts[0].0,
        texts[0].1,
        texts[1].0,
        texts[1].1,
        diff(&texts[0].2, &texts[1].2)
    );
    Ok(None)
}

/// Whether the wide sweep writes natural shapes only (`SEALBOX_YAML_NATURAL`).
fn natural_from_env() -> bool {
    std::env::var_os("SEALBOX_YAML_NATURAL").is_some()
}

/// What a sweep found: each seed's verdict, and the failures with their text.
type Swept = (Vec<(u64, Verdict)>, Vec<String>);

/// Checks `seeds` on two threads; returns (verdict counts, failures with their text).
fn sweep(seeds: std::ops::Range<u64>, edit_every: u64, natural: bool) -> Option<Swept> {
    let workers = 2;
    let results: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let seeds = seeds.clone();
                s.spawn(move || {
                    let d = Dropin::new()?;
                    let mut done = Vec::new();
                    let mut failed = Vec::new();
                    for seed in seeds.filter(|s| s % workers == w) {
                        let text = shape_with(seed, natural);
                        match check(&d, &text, edit_every > 0 && seed % edit_every == 0) {
                            Ok(v) => {
                                if let Some(dir) = std::env::var_os("SEALBOX_YAML_DUMP") {
                                    if v != Verdict::Same {
                                        let p = std::path::Path::new(&dir)
                                            .join(format!("{seed}.{}.yaml", v.label()));
                                        std::fs::write(p, &text).unwrap();
                                    }
                                }
                                done.push((seed, v));
                            }
                            Err(e) => {
                                if let Some(dir) = std::env::var_os("SEALBOX_YAML_DUMP") {
                                    let p = std::path::Path::new(&dir).join(format!("{seed}.yaml"));
                                    std::fs::write(p, &text).unwrap();
                                }
                                failed.push(format!("seed {seed}: {e}\n--- plaintext\n{text}"));
                            }
                        }
                    }
                    Some((done, failed))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut done = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        let (d, f) = r?;
        done.extend(d);
        failed.extend(f);
    }
    Some((done, failed))
}

/// Limits for a sweep: the least share (percent) of comparable shapes that must match
/// sops byte for byte, and the most shapes allowed to lose a comment.
struct Limits {
    min_exact_pct: usize,
    max_lost: usize,
}

/// Runs a sweep: no shape may change keys or values, or differ in what sops and
/// sealbox accept; placement and lost comments are counted against `limits`.
fn assert_sweep(seeds: std::ops::Range<u64>, edit_every: u64, natural: bool, limits: &Limits) {
    let n = seeds.end - seeds.start;
    let Some((done, failed)) = sweep(seeds, edit_every, natural) else {
        return;
    };
    let count = |l: &str| done.iter().filter(|(_, x)| x.label() == l).count();
    let report: Vec<String> = done
        .iter()
        .filter_map(|(seed, v)| match v {
            Verdict::Placement(d) | Verdict::Lost(d) => Some(format!(
                "seed {seed} ({}): {d}\n--- plaintext\n{}",
                v.label(),
                shape_with(*seed, natural)
            )),
            _ => None,
        })
        .collect();
    eprintln!(
        "{n} shapes: {} byte-for-byte as sops both ways, {} with a comment placed elsewhere, \
         {} with a comment lost or left encrypted, {} refused by both, {} that sops cannot \
         open itself, {} failed",
        count("same"),
        count("placement"),
        count("lost"),
        count("refused"),
        count("sops-broken"),
        failed.len()
    );
    if std::env::var_os("SEALBOX_YAML_VERBOSE").is_some() {
        eprintln!("{}", report.join("\n\n"));
    }
    assert!(
        failed.is_empty(),
        "{} of {n} shapes differ:\n{}",
        failed.len(),
        failed.join("\n\n")
    );
    let comparable = count("same") + count("placement") + count("lost");
    assert!(
        count("same") * 100 >= comparable * limits.min_exact_pct,
        "fewer than {}% of the shapes match sops byte for byte (SEALBOX_YAML_VERBOSE=1 lists them)",
        limits.min_exact_pct
    );
    assert!(
        count("lost") <= limits.max_lost,
        "more than {} shapes lose a comment (SEALBOX_YAML_VERBOSE=1 lists them)",
        limits.max_lost
    );
    // The generator must mostly produce files both tools accept.
    assert!(
        comparable * 10 >= n as usize * 6,
        "too few comparable shapes"
    );
}

#[test]
fn generated_comment_shapes_round_trip_both_ways() {
    // Measured: 78 of 88 comparable shapes byte for byte, 7 losing a comment (most of
    // them comments go-yaml drops and sealbox keeps); the limits keep that from
    // getting worse.
    assert_sweep(
        0..120,
        8,
        false,
        &Limits {
            min_exact_pct: 85,
            max_lost: 8,
        },
    );
}

#[test]
fn natural_comment_shapes_round_trip_both_ways() {
    // Comments only where people put them (an item's column, a parent's, column 0), no
    // anchors. Measured: all 57 comparable shapes byte for byte.
    assert_sweep(
        0..80,
        8,
        true,
        &Limits {
            min_exact_pct: 95,
            max_lost: 1,
        },
    );
}

/// The wide sweep (run with `--ignored`; 1000 shapes took 218 s on two cores;
/// `SEALBOX_YAML_SEEDS=N` sets how many, `SEALBOX_YAML_VERBOSE=1` lists the differences,
/// `SEALBOX_YAML_DUMP=DIR` writes each differing plaintext there).
#[test]
#[ignore = "slow: hundreds of shapes through the real sops"]
fn generated_comment_shapes_wide_sweep() {
    let end = std::env::var("SEALBOX_YAML_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    assert_sweep(
        0..end,
        4,
        natural_from_env(),
        &Limits {
            min_exact_pct: 85,
            max_lost: usize::try_from(end / 10).unwrap_or(usize::MAX),
        },
    );
}

/// Shapes where sealbox must also place comments where sops places them when it
/// encrypts a plaintext file (the case and its relatives).
#[test]
fn comment_placement_matches_sops() {
    let Some(d) = Dropin::new() else { return };
    for text in [
        "hosts:\n    # first\n    - a\n    # second\n    - b\n    # last\nother: 1\n",
        // A comment's trailing blanks are part of its text, as go-yaml keeps them.
        "# x \n#  \na: 1 # y\t\nb:\n    # \n    c: [1, # z \n        2]\n",
        // An anchor or tag with no value: as after an empty `key:`; the note after
        // it goes before the next key of the mapping, or stays before its own.
        "k5: &a1\n\n# c6\nk6: 1\n",
        "k:\n  k5: !!null\n\n# c6\n",
        "k5: &a1 # n\n# c6\nk6: 1\n",
        "k:\n  k5: &a1 # n\nj: 1\n",
        "hosts:\n    - a\n    # c4\n  # c2\nother: 1\n",
        "hosts:\n    - a\n      # c6\nother: 1\n",
        // At the end of the document, a comment left of the block is the document's.
        "k2:\n  k3: x\n# c2\n",
        "k2:\n  k3:\n    k5: x\n# c2\n# c3\n",
        "l:\n  - a\n# c2\n",
        "k2:\n  k3: x\n  # c2\n",
        "hosts:\n- a\n# c0\nother: 1\n",
        "hosts:\n- a\n\n# c0\nother: 1\n",
        "n:\n    k: 1\n    # c4\n  # c2\n# c0\nx: 1\n",
        "l:\n    - a: 1\n      # c6\n    - b\n    # c4\n",
        "l:\n    - a: 1\n      b: 2\n    # c4\nz: 1\n",
        "l:\n    - a: 1\n      b: 2\n    # between\n    - c: 3\n",
        "l:\n    - - a\n      # c6\n    # c4\nz: 1\n",
        "a: 1 # x\nb: 2\n",
        "l:\n    - a # x\n    - \"q s\" # y\n",
        "k: # x\n    - a\n",
        "n: {a: 1} # x\nz: 2\n",
        "l: [a, b] # inline\n# after flow\nm: {x: 1}\n",
        "e: []\nm: {}\n# c\n",
        "a: 1\n# end of one\n---\n# start of two\nb: 2\n# end of two\n",
        "deep:\n    l1:\n        l2:\n            - x\n            # in l2\n        # in l1\n    # in deep\n# top\n",
        "m: &m\n    k: v\n    j: 3\nn:\n    z: 2\n    <<: *m\n    k: over\nl: &l [1, 2]\no:\n    <<: [*m]\np: *l\n",
        "a: |\n    x\n    y\n# after\nb: >\n    f\n    g\n\n  # ind\nc: 1\n\"q k\": 2\n",
        "# top\n---\n# c\na: 1\n---\n---\nb: [a, {c: 1}]\n...\n",
        // go-yaml's scan: a foot ends at the first blank line; what follows opens the
        // next token; a block's end stands at the first run in its own column.
        "a:\n    b: 1\n    # c42\n\n    # c44\nz: 2\n",
        "a:\n    b: 1\n    # c42\n    # c43\n\n    # c44\n",
        "a:\n    b: 1\n\n    # c44\nz: 2\n",
        "a:\n  b:\n    c: 1\n  # x\nz: 1\n",
        "a:\n  b:\n    c: 1\n\n  # x\nz: 1\n",
        "k17:\n    k18: {}\n    # c22\n",
        // A run that is the next item's foot goes after that item.
        "list:\n  - a: 1\n  # about b\n\n  - b\n  - c\n",
        "list:\n  - a:\n      - x\n  # about b\n\n  - b\n",
        // The foot of a block item is written where the next line starts.
        "k5:\n- {f0: ~}\n# c8\nz: 1\n",
        "a:\n  k5:\n  - {f0: ~}\n  # c8\n",
        "k3:\n    - [-3, yes] # n11\n    # c12\n# c13\n",
        "a:\n  b:\n    k6:\n    - {f0: 1}\n    # c5\n  k7: 1\n",
        "a:\n  b:\n    k6:\n    - {f0: 1}\n    # c5\nk7: 1\n",
        // A comment run right after `---` and before a blank line is the marker's foot.
        "x: 1\n---\n# c\n\na: 1\nb: 2\n",
        "# top\n---\n# c\n\na: 1\nb: 2\n",
        "x: 1\n---\n# c\n",
        // A run after the blank line that ends the foot search, then a line left of
        // the block: still the last token's foot.
        "k2:\n  a: 1.5\n\n  # c4\n\nb: 1\n",
        // A block scalar's foot counts from its last line of text.
        "k1:\n- |-\n  line 0\n# c2\n",
        "k1:\n- - a\n  - b\n  # c\n# d\nz: 1\n",
        // go-yaml's emitter writes a collection item's foot after the next value (and
        // a blank line after it), or after the next dash.
        "k4:\n    - [[1]]\n    # c4\nk5: 1\nk6: 2\n",
        "a:\n    - [[1]]\n    # c4\nb:\n    - x\n    # fx\n",
        "x:\n    - - [[1]]\n      # c\n    - a: 1\n",
        "a:\n    - [[1]]\n    # c4\nb: x\n# fx\nc: 2\n",
        "\"a\\nb\": 1\nc:\n    \"x\\ny\": 2\n",
        // An empty item takes no comment: they wait for the next key or item.
        "k1:\n    # c4\n    -\nk2: 1\n",
        "k1:\n    - a\n    # c4\n    -\n    - b\n",
        "k1:\n- # n6\n",
        "a:\n    b:\n        # c\n        -\n    k3: 1\nk2: 1\n",
        "a:\n    - # c\n      # d\n      -\n    - z\n",
        "a:\n    - # c\n      # d\n      k: y\n",
        // After `key:` with its value on a later line, a run is the next node's foot.
        "  k2:\n      # c20\n# c21\n      k15: {}\n",
        "    k9:\n        # c8\n# c9\n            line 0\n",
        "a:\n    k2:\n# c\n\n        k15: 1\n        k16: 2\n",
        "  k30:\n      # c47\n# c48\n      - k36: ~\n",
        "k2: # n4\n# c5\n\n    - x\n",
        // The foot of an item before an empty one stays with it; an empty item's own
        // foot is held for the next node (written after it) or the mapping's end.
        "k1:\n    - [] # n2\n    # c4\n\n    -\n",
        "k1:\n  - a\n  -\n  # c5\n\n  - x\n  - y\n",
        "k1:\n-\n# c5\n\n- # n6\n",
        "k1:\n    -\n      # c5\n\n      a: x\n      b: y\n",
        "k1:\n    -\n      # c5\n\n      - {f0: -3} # n6\n",
        // A mapping's only key: its value's foot, then the key's.
        "k:\n  k30:\n      # c47\n# c48\n      - k36: ~\n        # c49\n  k2: 1\n",
        // A later key's foot replaces the one the previous value handed on.
        "      k14: {}\n      # c20\n# c21\n\n      k15: {}\n",
        // Document ends keep their foot; a head before `---` becomes it only alone.
        "  a: 1\n# c15\n # c16\n# c17\n---\nb: 1\n",
        "  a: 1\n# c15\n\n# c17\n---\nb: 1\n",
        "k10: 1.5\n# x\n---\n# c24\n",
        "k10: 1.5\n...\n# x\n\n# y\n---\nb: 1\n",
        "k10: 1.5\n...\n# x\n---\n# c24\n\nb: 1\n",
        "k10: 1.5\n...\n# x\n---\n# c24\n",
        // A mapping end's own foot replaces its last key's; a block item hands its
        // foot to its first item, which drops it when it is a flow collection.
        "    k2:\n        # c2\n# c3\n        k3:\n# c6\n\n        # c8\n",
        "k1:\n    - [] # n2\n# c3\n\n    -\n            - []\n",
        "k2:\n  -\n    # c18\n# c19\n  -\n    # c20\n",
        // A value keeps its own foot when its key has one.
        "  q:\n      # c39\n# c40\n      k22: [1, -3]\n      # c41\n\n      k24: '' # n43\n",
        "x:\n  q:\n      # c39\n# c40\n      k22: x\n\n      # c41\nz: 1\n",
        "    's k5': yes\n      # c9\n\n    # c10\n# c11\n",
        // An anchor or tag on the key's line: comments after it are outside the value;
        // its note is the collection's own, after the collection's first comments.
        "k2: &a1\n  # c4\n    line 0\n",
        "k2: !!str &a1\n  # c4\n    line 0\n",
        "k1: &a1 # n1\n    # c2\n    s: 1\n    t: 2\nz: *a1\n",
        "k1: &a1 # n1\n    # c2\n    - a\n",
        // After a last `...`, only the comments right after it stay, and then a head
        // before it goes.
        "a: 1\n...\n# c12\n\n# c13\n",
        "a: 1\n# x\n...\n# c12\n\n# c13\n",
        "a: 1\n# x\n...\n# c12\n---\nb: 1\n",
        // Flow collections over several lines: a closer left of its block, a note on
        // the line where an entry ends (that entry's), one after `[` (dropped), one
        // after a closer on a later line (the collection's), comments inside `{}`.
        "args: [\n  \"--foo\",\n  \"--bar\"\n]\nnext: 1\n",
        "x:\n  w: [\n    1\n]\nw: {\n}\n",
        "w: {a: 1, # e\n  b: 2, # f\n  c: 3}\n",
        "w: [a, # e\n  b]\nv: [a, b # e\n  ]\n",
        "a: [ # c0\n  1\n  ] # c\nb: [ # c0\n  1\n  ]\n",
        "a:\n  - [ # c0\n    1\n    ] # c\n  - {\n    k: 1} # d\n",
        "a: {k: [\n  1] # c\n  }\nw: {a: [1, 2], # e\n  b: 2}\n",
        "t: {\n    # c\n}\nu: 1\nv: { # d\n  }\n",
        "w: [\n  a, # e\n  b # f\n]\nz: 1\n",
        // After a trailing comma: comments before the closer are the collection's
        // last; inside empty brackets they are dropped, not those before them; a
        // note after `key:` whose flow value starts on a later line is the key's.
        "n: {a: 1,\n  #d\n}\nz: 1\n",
        "x:\n  n: {a: 1, b: 2,\n    #d\n  }\nz: 1\n",
        "n: {a: 1, # x\n  #d\n} # y\nz: 1\n",
        "k: [{a: 1},\n #f\n]\nz: 1\n",
        "l: [\n #e\n]\nm: {\n #e\n\n}\nz: 1\n",
        "# c1\n{}\n",
        "a: # c0\n  # c1\n  {\n  # c2\n  }\nb: # c3\n  # c4\n  [\n  ]\nc: # c5\n  [x, y]\n",
        // A note after an anchored flow collection is the node's own: an alias repeats
        // it. After an anchor or tag on the key's line, a note before a flow
        // collection on a later line is dropped.
        "a: &a1 {} # n7\nb:\n  - *a1\n",
        "a: &a1 {x: 1} # n7\nb:\n  - *a1\nc: *a1\n",
        "a: &a1 [x, y] # n7\nb: *a1\nc: [*a1]\n",
        "a: &x # c0\n  [x, y] # c1\nb: !!map # c2\n  {k: v}\n",
        // That note goes to the first item's node: a flow collection drops it, a
        // block one takes it as its first comment.
        "k1: &a1 # n2\n    - {}\nk2: &a2 # n3\n    - - x\nk3: &a3 # n4\n    - a: 1\n      b: 2\n",
    ] {
        match check(&d, text, true) {
            // (A shape whose sops-written file sops cannot open itself is checked
            // only for sealbox opening both files.)
            Ok(Verdict::Same | Verdict::SopsBroken) => {}
            Ok(other) => panic!(
                "{}: {other:?}\n--- plaintext\n{text}",
                other.label()
            ),
            Err(e) => panic!("{e}\n--- plaintext\n{text}"),
        }
    }
}

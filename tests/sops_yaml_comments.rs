//! YAML comments at every depth (before, between and after items of sequences and
//! mappings, inline, around flow collections, empty collections, several documents)
//! through the real sops 3.11 and sealbox in both directions: what sops encrypts,
//! sealbox decrypts to sops' exact text (every comment decrypted, in its place); what
//! sealbox encrypts, sops decrypts to the same text as sealbox does.

use crate::harness;
use crate::sops_dropin::{run, Dropin};

/// A small deterministic generator (xorshift), so failures name a reproducible seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

struct Gen {
    rng: Rng,
    comments: usize,
}

impl Gen {
    fn comment(&mut self, col: usize) -> String {
        self.comments += 1;
        format!("{}# c{}", " ".repeat(col), self.comments)
    }
    fn scalar(&mut self) -> &'static str {
        self.rng
            .pick(&["v", "1", "true", "\"q s\"", "1.5", "null", "''", "'it''s'"])
    }
    fn inline(&mut self, pct: u64, tag: &str) -> String {
        if self.rng.chance(pct) {
            format!(" # {tag}")
        } else {
            String::new()
        }
    }
    /// The lines of a block value under a key, its items at `ind`.
    fn block(&mut self, ind: usize, depth: usize, out: &mut Vec<String>) {
        let kinds: &[&str] = if depth < 3 {
            &["map", "seq", "indentless", "seqmap", "seqseq"]
        } else {
            &["map", "seq"]
        };
        let pad = |n: usize| " ".repeat(n);
        let n = 1 + self.rng.below(3) as usize;
        match self.rng.pick(kinds) {
            "map" => {
                for i in 0..n {
                    if self.rng.chance(30) {
                        let c = ind + if self.rng.chance(30) { 2 } else { 0 };
                        out.push(self.comment(c));
                    }
                    if depth < 3 && self.rng.chance(30) {
                        let note = self.inline(20, "kn");
                        out.push(format!("{}k{i}:{note}", pad(ind)));
                        self.block(ind + 4, depth + 1, out);
                    } else {
                        let (s, note) = (self.scalar(), self.inline(20, "il"));
                        out.push(format!("{}k{i}: {s}{note}", pad(ind)));
                    }
                }
            }
            kind @ ("seq" | "indentless") => {
                let d = if kind == "seq" { ind } else { ind - 4 };
                for _ in 0..n {
                    if self.rng.chance(30) {
                        out.push(self.comment(d));
                    }
                    let (s, note) = (self.scalar(), self.inline(20, "is"));
                    out.push(format!("{}- {s}{note}", pad(d)));
                }
            }
            "seqmap" => {
                for i in 0..n {
                    if self.rng.chance(30) {
                        out.push(self.comment(ind));
                    }
                    let s = self.scalar();
                    out.push(format!("{}- a{i}: {s}", pad(ind)));
                    if self.rng.chance(50) {
                        let s = self.scalar();
                        out.push(format!("{}b{i}: {s}", pad(ind + 2)));
                    }
                    if self.rng.chance(30) {
                        out.push(self.comment(ind + 2));
                    }
                }
            }
            _ => {
                for _ in 0..n {
                    let s = self.scalar();
                    out.push(format!("{}- - {s}", pad(ind)));
                    if self.rng.chance(50) {
                        let s = self.scalar();
                        out.push(format!("{}- {s}", pad(ind + 2)));
                    }
                    if self.rng.chance(30) {
                        out.push(self.comment(ind + 2));
                    }
                }
            }
        }
        // Comments after the last item, at the columns that decide where they belong.
        for _ in 0..self.rng.below(3) {
            let cols = [0, ind.saturating_sub(4), ind, ind + 2];
            let col = cols[self.rng.below(4) as usize];
            out.push(self.comment(col));
        }
        if self.rng.chance(20) {
            out.push(String::new());
        }
    }
    fn doc(&mut self) -> String {
        let mut out = Vec::new();
        if self.rng.chance(30) {
            out.push(self.comment(0));
        }
        for i in 0..1 + self.rng.below(4) {
            if self.rng.chance(30) {
                out.push(self.comment(0));
            }
            let r = self.rng.below(100);
            if r < 50 {
                let note = self.inline(15, "kc");
                out.push(format!("t{i}:{note}"));
                self.block(4, 1, &mut out);
            } else if r < 60 {
                let (a, b, note) = (self.scalar(), self.scalar(), self.inline(50, "fl"));
                out.push(format!("t{i}: [{a}, {b}]{note}"));
            } else if r < 70 {
                let (a, note) = (self.scalar(), self.inline(50, "fm"));
                out.push(format!("t{i}: {{x: {a}}}{note}"));
            } else if r < 75 {
                out.push(format!("t{i}: {}", self.rng.pick(&["[]", "{}"])));
            } else {
                let (s, note) = (self.scalar(), self.inline(20, "sc"));
                out.push(format!("t{i}: {s}{note}"));
            }
        }
        if self.rng.chance(30) {
            out.push(self.comment(0));
        }
        out.join("\n") + "\n"
    }
}

fn shape(seed: u64) -> String {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        comments: 0,
    };
    let mut text = g.doc();
    if g.rng.chance(15) {
        text.push_str("---\n");
        text.push_str(&g.doc());
    }
    text
}

fn decrypt(d: &Dropin, ours: bool, file: &str) -> (i32, String, String) {
    let mut c = if ours { d.ours() } else { d.theirs() };
    c.args(["decrypt", file]);
    let o = run(c, None);
    (
        harness::code(&o),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn encrypt(d: &Dropin, ours: bool, plain: &str, out: &str) {
    let mut c = if ours { d.ours() } else { d.theirs() };
    c.args(["encrypt", "--age", &d.env.recipient, plain]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::write(d.env.path(out), &o.stdout).unwrap();
}

/// sealbox reads what sops writes exactly as sops does (every comment decrypted, in
/// its place); sops opens what sealbox writes. Returns (sops' text of its own file,
/// our text of ours).
fn both_ways(d: &Dropin, text: &str, what: &str) -> (String, String) {
    d.write("p.yaml", text);
    encrypt(d, false, "p.yaml", "by-sops.yaml");
    encrypt(d, true, "p.yaml", "by-us.yaml");
    let reference = decrypt(d, false, "by-sops.yaml");
    assert_eq!(reference.0, 0, "{what}: {}", reference.2);
    let ours_of_sops = decrypt(d, true, "by-sops.yaml");
    assert_eq!(ours_of_sops.0, 0, "{what}: {}", ours_of_sops.2);
    assert!(
        !ours_of_sops.1.contains("ENC["),
        "{what}: every comment decrypted"
    );
    if !reference.1.contains("ENC[") {
        assert_eq!(
            ours_of_sops.1, reference.1,
            "{what}: sealbox decrypts a sops file as sops does\n{text}"
        );
    }
    // (Otherwise go-yaml misplaced a comment of sops' own file so that sops cannot
    // open it; sealbox tries the enclosing blocks' key paths and decrypts it.)
    let ours = decrypt(d, true, "by-us.yaml");
    let sops_of_ours = decrypt(d, false, "by-us.yaml");
    assert_eq!(ours.0, 0, "{what}: {}", ours.2);
    assert!(
        !ours.1.contains("ENC["),
        "{what}: sealbox opens every comment of its own file"
    );
    assert_eq!(
        sops_of_ours.0, 0,
        "{what}: sops opens sealbox's file: {}",
        sops_of_ours.2
    );
    (reference.1, ours.1)
}

#[test]
fn generated_comment_shapes_round_trip_both_ways() {
    let Some(d) = Dropin::new() else { return };
    for seed in 0..40 {
        both_ways(&d, &shape(seed), &format!("seed {seed}"));
    }
}

/// Shapes where sealbox must also place comments where sops places them when it
/// encrypts a plaintext file (the case and its relatives).
#[test]
fn comment_placement_matches_sops() {
    let Some(d) = Dropin::new() else { return };
    for text in [
        "hosts:\n    # first\n    - a\n    # second\n    - b\n    # last\nother: 1\n",
        "hosts:\n    - a\n    # c4\n  # c2\nother: 1\n",
        "hosts:\n    - a\n      # c6\nother: 1\n",
        "hosts:\n- a\n# c0\nother: 1\n",
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
    ] {
        let (theirs, ours) = both_ways(&d, text, text);
        if !theirs.contains("ENC[") {
            assert_eq!(ours, theirs, "sealbox places comments as sops does:\n{text}");
        }
    }
}

//! A seeded generator of YAML plaintexts that exercise where comments go: comments
//! before, after and between items at every depth and at telling columns (column 0
//! inside nested blocks), blank lines, inline notes, flow collections, anchors, aliases
//! and merge keys, block scalars, quoted keys, empty collections, indentless sequences
//! and several documents. Used by `sops_yaml_comments` against the real sops.

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

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Scalar,
    Map,
    Seq,
}

struct Gen {
    rng: Rng,
    comments: usize,
    keys: usize,
    /// Anchors defined so far in the current document.
    anchors: Vec<(String, Kind)>,
    anchor_count: usize,
    /// Indentation step of the current document (2 or 4).
    step: usize,
    /// Only the shapes people write: comments at the columns of the outline (an item's
    /// own column, a parent's, or 0), no anchors, aliases or merge keys.
    natural: bool,
    out: Vec<String>,
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

impl Gen {
    fn push(&mut self, line: String) {
        self.out.push(line);
    }
    fn comment(&mut self, col: usize) {
        self.comments += 1;
        let line = format!("{}# c{}", pad(col), self.comments);
        self.push(line);
    }
    fn blank(&mut self, pct: u64) {
        if self.rng.chance(pct) {
            self.push(String::new());
        }
    }
    /// Comments (and maybe a blank line) before an item at `col` inside a block at
    /// depth `depth`; sometimes at column 0 or a little deeper.
    fn lead(&mut self, col: usize) {
        self.blank(10);
        if self.rng.chance(30) {
            for _ in 0..1 + self.rng.below(2) {
                let c = match self.rng.below(10) {
                    0 => 0,
                    1 if !self.natural => col + 2,
                    _ => col,
                };
                self.comment(c);
            }
            self.blank(10);
        }
    }
    fn note(&mut self, pct: u64) -> String {
        if self.rng.chance(pct) {
            self.comments += 1;
            format!(" # n{}", self.comments)
        } else {
            String::new()
        }
    }
    fn scalar(&mut self) -> String {
        let s = self.rng.pick(&[
            "v", "1", "true", "\"q s\"", "1.5", "null", "''", "'it''s'", "~", "yes", "-3",
        ]);
        s.to_owned()
    }
    fn key(&mut self) -> String {
        self.keys += 1;
        let k = self.keys;
        match self.rng.below(10) {
            0 => format!("\"q k{k}\""),
            1 => format!("'s k{k}'"),
            _ => format!("k{k}"),
        }
    }
    /// Maybe an anchor (`&aN `) for a node of `kind`; it can be aliased only once the
    /// node is complete (`done`), since a node that holds its own alias is refused.
    fn anchor(&mut self, kind: Kind) -> (String, Option<(String, Kind)>) {
        if self.rng.chance(15) && !self.natural {
            self.anchor_count += 1;
            let name = format!("a{}", self.anchor_count);
            (format!("&{name} "), Some((name, kind)))
        } else {
            (String::new(), None)
        }
    }
    fn done(&mut self, anchor: Option<(String, Kind)>) {
        self.anchors.extend(anchor);
    }
    fn alias(&mut self, kind: Option<Kind>) -> Option<String> {
        let fit: Vec<String> = self
            .anchors
            .iter()
            .filter(|(_, k)| kind.is_none_or(|want| *k == want))
            .map(|(n, _)| n.clone())
            .collect();
        if fit.is_empty() {
            return None;
        }
        Some(fit[self.rng.below(fit.len() as u64) as usize].clone())
    }
    fn flow(&mut self, depth: usize) -> String {
        let n = self.rng.below(3);
        let mut items = Vec::new();
        let map = self.rng.chance(40);
        for i in 0..n {
            let v = if depth < 2 && self.rng.chance(20) {
                self.flow(depth + 1)
            } else {
                self.scalar()
            };
            items.push(if map { format!("f{i}: {v}") } else { v });
        }
        if map {
            format!("{{{}}}", items.join(", "))
        } else {
            format!("[{}]", items.join(", "))
        }
    }
    fn block_scalar(&mut self, text_col: usize) {
        for i in 0..1 + self.rng.below(2) {
            self.push(format!("{}line {i}", pad(text_col)));
        }
        self.blank(20);
    }
    /// Comments after a block's last item, at the columns that decide where they go.
    fn tail(&mut self, col: usize) {
        for _ in 0..self.rng.below(3) {
            self.blank(15);
            let cols = [
                0,
                col.saturating_sub(self.step),
                col,
                col + 2,
                col.saturating_sub(2),
            ];
            let n = if self.natural { 3 } else { cols.len() };
            let c = cols[self.rng.below(n as u64) as usize];
            self.comment(c);
        }
        self.blank(15);
    }
    /// The value after `prefix` (`key:` or `-`), whose nested block is at `ind`.
    fn value(&mut self, prefix: &str, ind: usize, depth: usize, in_seq: bool) {
        let r = self.rng.below(100);
        if depth < 3 && r < 30 {
            let (a, def) = self.anchor(Kind::Map);
            let note = self.note(10);
            let sep = if a.is_empty() { "" } else { " " };
            self.push(format!("{prefix}{sep}{}{note}", a.trim_end()));
            self.map(ind, depth + 1);
            self.done(def);
        } else if depth < 3 && r < 48 {
            let (a, def) = self.anchor(Kind::Seq);
            let note = self.note(10);
            let sep = if a.is_empty() { "" } else { " " };
            self.push(format!("{prefix}{sep}{}{note}", a.trim_end()));
            // Indentless (`key:\n- a`) only under a mapping key.
            let col = if !in_seq && self.rng.chance(30) {
                ind - self.step
            } else {
                ind
            };
            self.seq(col, depth + 1);
            self.done(def);
        } else if r < 58 {
            let f = self.flow(0);
            let (a, def) = self.anchor(if f.starts_with('{') {
                Kind::Map
            } else {
                Kind::Seq
            });
            let note = self.note(30);
            self.push(format!("{prefix} {a}{f}{note}"));
            self.done(def);
        } else if r < 63 {
            let e = self.rng.pick(&["[]", "{}"]);
            let note = self.note(20);
            self.push(format!("{prefix} {e}{note}"));
        } else if r < 70 {
            let ind_char = self.rng.pick(&["|", ">", "|-", ">+", "|+"]);
            let note = self.note(20);
            self.push(format!("{prefix} {ind_char}{note}"));
            self.block_scalar(ind);
        } else if r < 76 {
            if let Some(a) = self.alias(None) {
                let note = self.note(20);
                self.push(format!("{prefix} *{a}{note}"));
            } else {
                let s = self.scalar();
                self.push(format!("{prefix} {s}"));
            }
        } else {
            let (a, def) = self.anchor(Kind::Scalar);
            let s = self.scalar();
            let note = self.note(20);
            self.push(format!("{prefix} {a}{s}{note}"));
            self.done(def);
        }
    }
    /// A block mapping with its keys at `ind`.
    fn map(&mut self, ind: usize, depth: usize) {
        let n = 1 + self.rng.below(3);
        let mut merged = false;
        for i in 0..n {
            self.lead(ind);
            if !merged && i == n - 1 && self.rng.chance(15) {
                if let Some(a) = self.alias(Some(Kind::Map)) {
                    merged = true;
                    let note = self.note(10);
                    self.push(format!("{}<<: *{a}{note}", pad(ind)));
                    continue;
                }
            }
            let k = self.key();
            self.value(&format!("{}{k}:", pad(ind)), ind + self.step, depth, false);
        }
        self.tail(ind);
    }
    /// A block sequence with its dashes at `col`.
    fn seq(&mut self, col: usize, depth: usize) {
        let n = 1 + self.rng.below(3);
        for _ in 0..n {
            self.lead(col);
            let r = self.rng.below(100);
            if depth < 3 && r < 25 {
                // A mapping as an item: `- k: v` then keys at col + 2.
                let k = self.key();
                let s = self.scalar();
                let note = self.note(15);
                self.push(format!("{}- {k}: {s}{note}", pad(col)));
                for _ in 0..self.rng.below(3) {
                    self.lead(col + 2);
                    let k = self.key();
                    self.value(
                        &format!("{}{k}:", pad(col + 2)),
                        col + 2 + self.step,
                        depth,
                        false,
                    );
                }
            } else if depth < 3 && r < 35 {
                // `- - a` compact nested sequence.
                let s = self.scalar();
                self.push(format!("{}- - {s}", pad(col)));
                for _ in 0..self.rng.below(2) {
                    self.lead(col + 2);
                    let s = self.scalar();
                    let note = self.note(15);
                    self.push(format!("{}- {s}{note}", pad(col + 2)));
                }
                self.tail(col + 2);
            } else {
                self.value(&format!("{}-", pad(col)), col + self.step, depth, true);
            }
        }
        self.tail(col);
    }
    fn doc(&mut self) {
        self.anchors.clear();
        self.step = if self.rng.chance(25) { 2 } else { 4 };
        if self.rng.chance(25) {
            self.comment(0);
            self.blank(40);
        }
        if self.rng.chance(7) {
            // A document of comments only, or nothing at all.
            self.tail(0);
            return;
        }
        if self.rng.chance(4) {
            let f = self.flow(0);
            let f = if f.starts_with('{') {
                f
            } else {
                format!("{{top: {f}}}")
            };
            self.push(f);
        } else {
            self.map(0, 0);
        }
        if self.rng.chance(25) {
            self.comment(0);
        }
        self.blank(10);
    }
}

/// The YAML text of generated shape `seed`, with only natural comment columns and no
/// anchors when `natural`.
pub fn shape_with(seed: u64, natural: bool) -> String {
    let mut g = Gen {
        rng: Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
        comments: 0,
        keys: 0,
        anchors: Vec::new(),
        anchor_count: 0,
        step: 4,
        natural,
        out: Vec::new(),
    };
    if g.rng.chance(10) {
        g.push("---".to_owned());
    }
    g.doc();
    let more = if g.rng.chance(20) {
        1 + g.rng.below(2)
    } else {
        0
    };
    for _ in 0..more {
        if g.rng.chance(20) {
            g.push("...".to_owned());
        }
        g.blank(20);
        if g.rng.chance(30) {
            g.comment(0);
        }
        let note = g.note(10);
        g.push(format!("---{note}"));
        g.doc();
    }
    let mut text = g.out.join("\n");
    text.push('\n');
    text
}

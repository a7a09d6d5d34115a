//! A sampling prefilter in front of the automaton: most text a program prints holds no
//! value at all, and the automaton reads every byte, so it would set the filter's
//! speed. Every pattern is at least `min` bytes long, so any occurrence covers a whole
//! `Q`-byte gram starting at a multiple of `step = min - Q + 1`; only those grams are
//! looked up, in a bitmap of the grams the patterns hold. Where a sampled gram is in
//! the bitmap, the automaton reads the window around it that a pattern through it could
//! span; where none is, nothing can match, and the text is passed on unread.
//!
//! The windows are merged so that they never overlap: the automaton's leftmost-longest
//! matches inside them are then exactly its matches over the whole text, since each
//! match lies inside one window and no match starts before a window and reaches into it.

use std::ops::Range;

use zeroize::Zeroize as _;

/// Bytes per gram.
const Q: usize = 4;

/// log2 of the bitmap's size in bits (256 KiB: it stays in the cache). Each gram sets
/// two bits (a Bloom filter), so with the ~20,000 grams of 30 values' forms about one
/// text gram in 2,500 passes by chance.
const BITS: u32 = 21;

/// The grams of every pattern, hashed into a bitmap.
pub(super) struct Grams {
    /// Distance between sampled grams.
    step: usize,
    /// The longest pattern: how far a window reaches on each side of a sampled gram.
    reach: usize,
    bits: Box<[u64]>,
}

impl Drop for Grams {
    fn drop(&mut self) {
        // Hashes of 4-byte pieces of secret values: little, but not ours to leave behind.
        self.bits.zeroize();
    }
}

/// The two bitmap slots of the gram `g`.
fn slots(g: [u8; Q]) -> [usize; 2] {
    let h = u64::from(u32::from_le_bytes(g)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mask = (1u64 << BITS) - 1;
    [(h >> (64 - BITS)) as usize, ((h >> 20) & mask) as usize]
}

impl Grams {
    /// The prefilter for `patterns`; `None` when the shortest is too short for sampling
    /// to skip anything (then the automaton reads everything).
    pub(super) fn new<'a>(patterns: impl Iterator<Item = &'a [u8]> + Clone) -> Option<Self> {
        let min = patterns.clone().map(<[u8]>::len).min()?;
        let reach = patterns.clone().map(<[u8]>::len).max()?;
        if min <= Q {
            return None;
        }
        let mut bits = vec![0u64; 1 << (BITS - 6)].into_boxed_slice();
        for p in patterns {
            for w in p.windows(Q) {
                let mut g = [0u8; Q];
                g.copy_from_slice(w);
                for s in slots(g) {
                    if let Some(word) = bits.get_mut(s >> 6) {
                        *word |= 1 << (s & 63);
                    }
                }
            }
        }
        Some(Self {
            step: min - Q + 1,
            reach,
            bits,
        })
    }

    /// Whether the gram at `at` is one a pattern holds (or shares both slots with one).
    #[inline]
    fn hit(&self, text: &[u8], at: usize) -> bool {
        let Some(w) = text.get(at..at + Q) else {
            return false;
        };
        let mut g = [0u8; Q];
        g.copy_from_slice(w);
        slots(g).iter().all(|&s| {
            self.bits
                .get(s >> 6)
                .is_some_and(|word| word & (1 << (s & 63)) != 0)
        })
    }

    /// Disjoint ranges of `text`, in order, outside which no pattern occurs.
    pub(super) fn windows(&self, text: &[u8]) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut at = 0;
        while at + Q <= text.len() {
            if self.hit(text, at) {
                let lo = (at + Q).saturating_sub(self.reach);
                let hi = (at + self.reach).min(text.len());
                match out.last_mut() {
                    Some(last) if last.end >= lo => last.end = last.end.max(hi),
                    _ => out.push(lo..hi),
                }
            }
            at += self.step;
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_lies_in_a_window() {
        let pats: [&[u8]; 3] = [b"abcdefgh", b"0123456789xyz", b"zzzzzz"];
        let g = Grams::new(pats.iter().copied()).unwrap();
        assert_eq!(g.step, 3);
        for p in pats {
            for pad in 0..12 {
                let mut text = vec![b'.'; pad];
                text.extend_from_slice(p);
                text.extend_from_slice(&vec![b'.'; 11 - pad]);
                let w = g.windows(&text);
                assert!(
                    w.iter().any(|r| r.start <= pad && pad + p.len() <= r.end),
                    "{pad}: {w:?}"
                );
                assert!(w.windows(2).all(|x| x[0].end < x[1].start));
            }
        }
        assert!(Grams::new([&b"abcd"[..]].into_iter()).is_none());
        assert!(g.windows(&[b'.'; 4096]).is_empty());
    }
}

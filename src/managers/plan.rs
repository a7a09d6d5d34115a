//! What a push, pull or diff would change, key by key, decided without keeping or
//! printing values: each value is reduced to an HMAC-SHA256 under a key drawn for this
//! run only, and the digests are compared in constant time.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::Values;

/// How one key differs between the side that is copied from and the side written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Only on the source side: it will be (or would be) added.
    Added,
    /// On both, with different values.
    Changed,
    /// On both, same value.
    Unchanged,
    /// Only on the destination, and `--prune` removes it.
    Removed,
    /// Only on the destination, kept (no `--prune`).
    Extra,
}

impl Status {
    /// The word the summaries print.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Removed => "removed",
            Status::Extra => "kept",
        }
    }
}

/// Every key of both sides with its status, by name.
#[derive(Debug, Default)]
pub struct Plan {
    /// Key → status.
    pub keys: BTreeMap<String, Status>,
}

/// A per-run keyed hash of values.
struct Digester(Zeroizing<[u8; 32]>);

impl Digester {
    fn new() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        // A failing RNG leaves a zero key: the digests still compare values exactly.
        let _ = crate::crypto::rng::fill_secret(key.as_mut());
        Self(key)
    }

    fn digest(&self, value: &str) -> [u8; 32] {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref()) else {
            return [0; 32];
        };
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

impl Plan {
    /// Compares `source` (what should be there) with `dest` (what is there); keys only
    /// in `dest` are [`Status::Removed`] with `prune`, else [`Status::Extra`].
    #[must_use]
    pub fn new(source: &Values, dest: &Values, prune: bool) -> Self {
        let d = Digester::new();
        let mut keys = BTreeMap::new();
        for (k, v) in &source.0 {
            let st = match dest.get(k) {
                None => Status::Added,
                Some(w) => {
                    let same: bool = d.digest(v).ct_eq(&d.digest(w)).into();
                    if same {
                        Status::Unchanged
                    } else {
                        Status::Changed
                    }
                }
            };
            keys.insert(k.clone(), st);
        }
        for k in dest.0.keys() {
            if !source.0.contains_key(k) {
                keys.insert(
                    k.clone(),
                    if prune {
                        Status::Removed
                    } else {
                        Status::Extra
                    },
                );
            }
        }
        Plan { keys }
    }

    /// Keys with one of `statuses`, in name order.
    pub fn keys_with<'a>(&'a self, statuses: &[Status]) -> impl Iterator<Item = &'a str> + 'a {
        let statuses = statuses.to_vec();
        self.keys
            .iter()
            .filter(move |(_, s)| statuses.contains(s))
            .map(|(k, _)| k.as_str())
    }

    /// How many keys have `status`.
    #[must_use]
    pub fn count(&self, status: Status) -> usize {
        self.keys.values().filter(|s| **s == status).count()
    }

    /// Whether applying it writes anything.
    #[must_use]
    pub fn has_writes(&self) -> bool {
        self.keys
            .values()
            .any(|s| matches!(s, Status::Added | Status::Changed | Status::Removed))
    }

    /// One line per key (`  added     KEY`), then the totals: names only.
    #[must_use]
    pub fn summary(&self, heading: &str) -> String {
        let mut out = String::new();
        for (k, s) in &self.keys {
            out.push_str(&format!("  {:<9} {k}\n", s.word()));
        }
        let mut totals = vec![
            format!("{} added", self.count(Status::Added)),
            format!("{} changed", self.count(Status::Changed)),
            format!("{} unchanged", self.count(Status::Unchanged)),
            format!("{} removed", self.count(Status::Removed)),
        ];
        let extra = self.count(Status::Extra);
        if extra > 0 {
            totals.push(format!(
                "{extra} kept (not in the source; --prune removes them)"
            ));
        }
        out.push_str(&format!("{heading}: {}\n", totals.join(", ")));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(items: &[(&str, &str)]) -> Values {
        Values(
            items
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Zeroizing::new((*v).to_owned())))
                .collect(),
        )
    }

    #[test]
    fn statuses() {
        let src = vals(&[("A", "1"), ("B", "2"), ("C", "3")]);
        let dst = vals(&[("B", "2"), ("C", "x"), ("D", "4")]);
        let p = Plan::new(&src, &dst, false);
        assert_eq!(p.keys["A"], Status::Added);
        assert_eq!(p.keys["B"], Status::Unchanged);
        assert_eq!(p.keys["C"], Status::Changed);
        assert_eq!(p.keys["D"], Status::Extra);
        assert!(p.has_writes());
        let p = Plan::new(&src, &dst, true);
        assert_eq!(p.keys["D"], Status::Removed);
        let s = p.summary("t");
        assert!(!s.contains('1') || s.contains("1 added"));
        assert!(!Plan::new(&src, &src, true).has_writes());
    }
}

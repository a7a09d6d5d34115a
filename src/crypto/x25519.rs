//! age X25519 recipient stanzas, wrapped and unwrapped with the same primitives as the
//! `age` crate (age-core's HKDF and ChaCha20-Poly1305, the same stanza layout), but with
//! the Diffie-Hellman step computed on the Edwards form of the curve, which
//! curve25519-dalek vectorizes (AVX2) — about twice as fast as the Montgomery ladder.
//! The recipient's point is converted once; identities cache their public key. Points
//! with no Edwards form (on the twist) fall back to the ladder, so the function computed
//! is exactly X25519. Tests check both directions against the `age` crate and the age CLI.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use age::secrecy::ExposeSecret;
use age_core::format::{FileKey, Stanza, FILE_KEY_BYTES};
use age_core::primitives::{aead_decrypt, aead_encrypt, bech32_decode, hkdf};
use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use curve25519_dalek::edwards::{EdwardsBasepointTable, EdwardsPoint};
use curve25519_dalek::montgomery::MontgomeryPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::BasepointTable as _;
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, Zeroizing};

const TAG: &str = "X25519";
const LABEL: &[u8] = b"age-encryption.org/v1/X25519";

/// X25519(k, u), via the Edwards form when `u` has one.
fn x25519(k: [u8; 32], u: &MontgomeryPoint, edwards: Option<&EdwardsPoint>) -> [u8; 32] {
    match edwards {
        Some(p) => p.mul_clamped(k).to_montgomery().to_bytes(),
        None => match u.to_edwards(0) {
            Some(p) => p.mul_clamped(k).to_montgomery().to_bytes(),
            None => u.mul_clamped(k).to_bytes(),
        },
    }
}

/// A constant-time fixed-point table for `8·P` (radix 16, as for the base point): a
/// recipient used for many files gets its scalar multiplications about three times
/// faster than the variable-base route. Multiplying `8·P` by `k/8` removes any small-order
/// part of `P` exactly as the clamped `k` (a multiple of 8) does, so the scalar may be
/// reduced modulo the group order and the result is X25519's.
struct PointTable(EdwardsBasepointTable);

impl PointTable {
    fn new(p: &EdwardsPoint) -> Self {
        Self(EdwardsBasepointTable::create(&p.mul_by_cofactor()))
    }

    fn x25519(&self, k: [u8; 32]) -> [u8; 32] {
        let mut c = curve25519_dalek::scalar::clamp_integer(k);
        let mut eighth = [0u8; 32];
        for i in 0..32 {
            let next = c.get(i + 1).copied().unwrap_or(0);
            eighth[i] = (c[i] >> 3) | (next << 5);
        }
        let mut s = Scalar::from_bytes_mod_order(eighth);
        let out = self.0.mul_base(&s).to_montgomery().to_bytes();
        c.zeroize();
        eighth.zeroize();
        s.zeroize();
        out
    }
}

/// Wraps after which a recipient builds its table (about 2 ms, worth it from here on).
const TABLE_AFTER: usize = 16;

/// Computes X25519 through the route identities use (exposed for the vector suites and
/// the differential fuzz target against x25519-dalek).
#[must_use]
pub fn diffie_hellman(k: [u8; 32], u: [u8; 32]) -> [u8; 32] {
    x25519(k, &MontgomeryPoint(u), None)
}

/// Computes X25519 through the route a recipient takes once it has been used for many
/// files (the fixed-point table of `8·P`), or the variable-base route when `u` has no
/// Edwards form. Builds a table per call (about 2 ms): for tests and fuzzing only.
#[must_use]
pub fn diffie_hellman_fixed_point(k: [u8; 32], u: [u8; 32]) -> [u8; 32] {
    match MontgomeryPoint(u).to_edwards(0) {
        Some(p) => PointTable::new(&p).x25519(k),
        None => diffie_hellman(k, u),
    }
}

/// Whether a shared secret is all zero (a low-order point), in constant time.
fn is_all_zero(shared: &[u8; 32]) -> bool {
    bool::from(shared.ct_eq(&[0u8; 32]))
}

/// An `age1…` recipient, prepared once for many files.
pub struct X25519Recipient {
    pk: [u8; 32],
    edwards: Option<EdwardsPoint>,
    uses: AtomicUsize,
    table: OnceLock<Option<PointTable>>,
}

impl X25519Recipient {
    /// Parses `age1…`.
    ///
    /// # Errors
    /// A message saying what is wrong with the string.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let pk: [u8; 32] = bech32_decode(
            s,
            |_| "invalid Bech32 encoding",
            |hrp| (hrp.as_str() == "age").then_some(()).ok_or("incorrect HRP"),
            |_, bytes| {
                let v: Vec<u8> = bytes.collect();
                <[u8; 32]>::try_from(v.as_slice()).map_err(|_| "incorrect pubkey length")
            },
        )?;
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err("recipients must be lowercase");
        }
        let u = MontgomeryPoint(pk);
        Ok(Self {
            pk,
            edwards: u.to_edwards(0),
            uses: AtomicUsize::new(0),
            table: OnceLock::new(),
        })
    }

    /// X25519(k, pk), through the table once the recipient has been used enough.
    fn shared(&self, k: [u8; 32]) -> [u8; 32] {
        if self.uses.fetch_add(1, Ordering::Relaxed) >= TABLE_AFTER {
            let table = self
                .table
                .get_or_init(|| self.edwards.as_ref().map(PointTable::new));
            if let Some(t) = table {
                return t.x25519(k);
            }
        }
        x25519(k, &MontgomeryPoint(self.pk), self.edwards.as_ref())
    }
}

impl age::Recipient for X25519Recipient {
    fn wrap_file_key(
        &self,
        file_key: &FileKey,
    ) -> Result<(Vec<Stanza>, HashSet<String>), age::EncryptError> {
        let mut esk = Zeroizing::new([0u8; 32]);
        // Straight from the OS RNG, never from a pool.
        crate::crypto::rng::fill_secret(esk.as_mut()).map_err(|_| {
            age::EncryptError::Io(std::io::Error::other(
                "the OS random number generator failed",
            ))
        })?;
        let epk = EdwardsPoint::mul_base_clamped(*esk)
            .to_montgomery()
            .to_bytes();
        let mut shared = self.shared(*esk);
        if is_all_zero(&shared) {
            return Err(age::EncryptError::Io(std::io::Error::other(
                "X25519 recipient has low order",
            )));
        }
        let mut salt = [0u8; 64];
        salt[..32].copy_from_slice(&epk);
        salt[32..].copy_from_slice(&self.pk);
        let mut key = hkdf(&salt, LABEL, &shared);
        shared.zeroize();
        let body = aead_encrypt(&key, file_key.expose_secret());
        key.zeroize();
        Ok((
            vec![Stanza {
                tag: TAG.to_owned(),
                args: vec![STANDARD_NO_PAD.encode(epk)],
                body,
            }],
            HashSet::new(),
        ))
    }
}

/// An `AGE-SECRET-KEY-1…` identity with its public key computed once.
pub struct X25519Identity {
    sk: Zeroizing<[u8; 32]>,
    pk: [u8; 32],
}

impl X25519Identity {
    /// Parses `AGE-SECRET-KEY-1…`.
    ///
    /// # Errors
    /// A message saying what is wrong (never the key itself).
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        let sk: Zeroizing<[u8; 32]> = bech32_decode(
            s,
            |_| "invalid Bech32 encoding",
            |hrp| {
                (hrp.as_str().eq_ignore_ascii_case("AGE-SECRET-KEY-"))
                    .then_some(())
                    .ok_or("incorrect HRP")
            },
            |_, bytes| {
                let mut v: Vec<u8> = bytes.collect();
                let r = <[u8; 32]>::try_from(v.as_slice()).map_err(|_| "incorrect identity length");
                v.zeroize();
                r.map(Zeroizing::new)
            },
        )?;
        Ok(Self::from_secret(sk))
    }

    /// An identity from its 32 secret bytes (tests and fuzz targets).
    #[must_use]
    pub fn from_secret(sk: Zeroizing<[u8; 32]>) -> Self {
        let pk = EdwardsPoint::mul_base_clamped(*sk)
            .to_montgomery()
            .to_bytes();
        Self { sk, pk }
    }
}

impl age::Identity for X25519Identity {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        if stanza.tag != TAG {
            return None;
        }
        let epk: [u8; 32] = match stanza.args.as_slice() {
            [arg] if arg.len() == 43 => match STANDARD_NO_PAD
                .decode(arg)
                .ok()
                .and_then(|v| v.try_into().ok())
            {
                Some(b) => b,
                None => return Some(Err(age::DecryptError::InvalidHeader)),
            },
            _ => return Some(Err(age::DecryptError::InvalidHeader)),
        };
        if stanza.body.len() != FILE_KEY_BYTES + 16 {
            return Some(Err(age::DecryptError::InvalidHeader));
        }
        let mut shared = x25519(*self.sk, &MontgomeryPoint(epk), None);
        if is_all_zero(&shared) {
            return Some(Err(age::DecryptError::InvalidHeader));
        }
        let mut salt = [0u8; 64];
        salt[..32].copy_from_slice(&epk);
        salt[32..].copy_from_slice(&self.pk);
        let mut key = hkdf(&salt, LABEL, &shared);
        shared.zeroize();
        let res = aead_decrypt(&key, FILE_KEY_BYTES, &stanza.body);
        key.zeroize();
        // Not ours: other identities may still match this stanza.
        let mut pt = res.ok()?;
        let fk = FileKey::init_with_mut(|k| k.copy_from_slice(&pt));
        pt.zeroize();
        Some(Ok(fk))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_table_route_equals_the_ladder() {
        // Random curve points carry small-order parts; the table must agree anyway.
        let mut checked = 0;
        while checked < 40 {
            let mut k = [0u8; 32];
            let mut u = [0u8; 32];
            crate::crypto::rng::fill(&mut k).unwrap();
            crate::crypto::rng::fill(&mut u).unwrap();
            if checked % 4 == 0 {
                u = MontgomeryPoint::mul_base_clamped(u).to_bytes();
            }
            let Some(p) = MontgomeryPoint(u).to_edwards(0) else {
                continue;
            };
            let table = PointTable::new(&p);
            for _ in 0..5 {
                crate::crypto::rng::fill(&mut k).unwrap();
                assert_eq!(
                    table.x25519(k),
                    MontgomeryPoint(u).mul_clamped(k).to_bytes()
                );
            }
            checked += 1;
        }
    }

    #[test]
    fn edwards_route_equals_the_ladder() {
        for i in 0..200u32 {
            let mut k = [0u8; 32];
            let mut u = [0u8; 32];
            crate::crypto::rng::fill(&mut k).unwrap();
            crate::crypto::rng::fill(&mut u).unwrap();
            if i % 3 == 0 {
                u = MontgomeryPoint::mul_base_clamped(u).to_bytes();
            }
            assert_eq!(
                diffie_hellman(k, u),
                MontgomeryPoint(u).mul_clamped(k).to_bytes()
            );
        }
    }
}

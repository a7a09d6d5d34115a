//! The sops tree MAC: SHA-512 over the typed plaintext of every hashed leaf, in file
//! order, rendered as uppercase hex. The caller decides which leaves are fed;
//! comparison is constant-time.

use sha2::{Digest, Sha512};
use subtle::ConstantTimeEq;

/// `SHA-256("sops")`, fed first when `mac_only_encrypted` is set.
const MAC_ONLY_ENCRYPTED_PREFIX: [u8; 32] = [
    0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
    0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
];

/// Incremental MAC over leaf values.
pub struct TreeMac(Sha512);

impl TreeMac {
    /// Starts a MAC; `mac_only_encrypted` selects sops' alternate mode.
    #[must_use]
    pub fn new(mac_only_encrypted: bool) -> Self {
        let mut h = Sha512::new();
        if mac_only_encrypted {
            h.update(MAC_ONLY_ENCRYPTED_PREFIX);
        }
        Self(h)
    }

    /// Feeds one leaf's plaintext bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Uppercase hex of the digest, the string sops encrypts. The hasher's block buffer
    /// (up to 127 bytes of the last plaintext fed) is overwritten before it is dropped:
    /// after the reset, 127 zero bytes fill that buffer without completing a block.
    #[must_use]
    pub fn finish(mut self) -> String {
        let out = hex::encode_upper(self.0.finalize_reset());
        self.0.update([0u8; 127]);
        out
    }
}

/// Constant-time equality of two MAC strings (case-insensitive hex is not accepted:
/// sops compares exact strings).
#[must_use]
pub fn mac_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

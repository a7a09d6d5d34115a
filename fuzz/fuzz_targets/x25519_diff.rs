//! Differential fuzzing of sealbox's X25519 against x25519-dalek's ladder.
//!
//! Input: at least 64 bytes, `k` (scalar) then `u` (u-coordinate), both taken as-is
//! (any 32-byte strings: twist points, low-order and non-canonical u, unclamped k).
//! `diffie_hellman(k, u)` (the Edwards-form route identities use) must equal
//! `x25519_dalek::x25519(k, u)`. The fixed-point-table route
//! (`diffie_hellman_fixed_point`, which builds a table per call, about 2 ms) is checked
//! too on every 64th input, on the first input of every process (so a lone crashing
//! input replays both routes), and whenever bit 0 of a 65th byte is set.
#![no_main]
use std::sync::atomic::{AtomicU64, Ordering};

use libfuzzer_sys::fuzz_target;
use sealbox::crypto::x25519::{diffie_hellman, diffie_hellman_fixed_point};

static CALLS: AtomicU64 = AtomicU64::new(0);

fuzz_target!(|data: &[u8]| {
    let (Some(k), Some(u)) = (data.get(..32), data.get(32..64)) else {
        return;
    };
    let k: [u8; 32] = k.try_into().expect("32 bytes");
    let u: [u8; 32] = u.try_into().expect("32 bytes");
    let expected = x25519_dalek::x25519(k, u);
    assert_eq!(diffie_hellman(k, u), expected, "diffie_hellman");
    let flag = data.get(64).is_some_and(|b| b & 1 == 1);
    if flag || CALLS.fetch_add(1, Ordering::Relaxed) % 64 == 0 {
        assert_eq!(
            diffie_hellman_fixed_point(k, u),
            expected,
            "diffie_hellman_fixed_point"
        );
    }
});

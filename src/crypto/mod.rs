//! Pure cryptographic primitives: the per-file data key, AES-256-GCM with 32-byte IVs
//! (as sops uses them), and the tree MAC. No I/O, no prompts, no terminal.
//! Called by `sops::` (the envelope) and by the recipients that wrap the data key.

pub mod aead;
pub mod dek;
pub mod mac;
pub mod rng;
pub mod x25519;

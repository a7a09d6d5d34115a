//! Differential fuzzing of sealbox's age-file unwrap path (`open_age_file` with sealbox's
//! own `X25519Identity`) against the age crate's (`Decryptor` over `ArmoredReader` with
//! `age::x25519::Identity`), for one fixed identity.
//!
//! The identity's 32 secret bytes are derived from constants (no key string is
//! committed): sealbox's side is `X25519Identity::from_secret`, the reference parses the
//! `AGE-SECRET-KEY-1…` string bech32-encoded from the same bytes.
//!
//! Both sides must agree exactly: the age crate decrypts ⇔ sealbox gives `Key`, with the
//! same plaintext; the age crate says `NoMatchingKeys` ⇔ sealbox gives `NoMatch`; any
//! other refusal (armor, header, HMAC, stanza, payload) ⇔ sealbox gives `Failed`.
//!
//! Two modes, chosen by the first byte:
//! - `data[0] != 0`: `data` itself is the file (binary or armored).
//! - `data[0] == 0`: a valid file is built first, then mutated. Random bytes almost never
//!   form an age file for the fixed identity, so this lets the fuzzer explore accepted
//!   files and files one mutation away from acceptance. `data[1..]` is read as:
//!   - bytes 0..2: payload length, u16 little-endian (times 4 if flag `0x02` is set, so
//!     payloads span up to five 64 KiB STREAM chunks);
//!   - byte 2: flags — `0x01` ASCII armor; `0x02` length ×4; `0x04` add a stanza for a
//!     second fixed recipient (not ours) before ours; `0x08` wrap our stanza with
//!     sealbox's `X25519Recipient` instead of the age crate's recipient;
//!   - bytes 3..11: seed of the payload bytes (xorshift64*; missing bytes are zero);
//!   - then 4-byte mutations: a u24 little-endian position (modulo the file's current
//!     length) and a mask: nonzero XORs the byte there, zero truncates the file there.
//!
//!   The file is encrypted with the age crate's `Encryptor` (fresh file key and
//!   ephemeral share each run, so the ciphertext bytes vary between runs of one input;
//!   the structure the mutations hit does not). With no mutations, the reference must
//!   accept the built file and return the payload.
#![no_main]
use std::io::{Read as _, Write as _};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sealbox::identity::Identities;
use sealbox::recipients::age::open_age_file;
use sealbox::crypto::x25519::{X25519Identity, X25519Recipient};
use sealbox::recipients::Unwrapped;

/// 32 secret bytes from a constant and an index: nothing secret is committed.
fn secret(salt: u8) -> [u8; 32] {
    std::array::from_fn(|i| {
        let i = i as u8;
        i.wrapping_mul(0x9d).wrapping_add(0x5b).rotate_left(3) ^ salt
    })
}

/// The age crate's identity parsed from the bech32 string of `sk`.
fn age_identity(sk: &[u8; 32]) -> age::x25519::Identity {
    let hrp = bech32::Hrp::parse("age-secret-key-").expect("hrp");
    age_core::primitives::bech32_encode(hrp, sk)
        .to_uppercase()
        .parse()
        .expect("identity string")
}

struct Fixed {
    /// sealbox's side: `X25519Identity::from_secret`.
    ours: Identities,
    /// The reference: the age crate's identity for the same bytes.
    reference: age::x25519::Identity,
    /// Its recipient, through the age crate.
    recipient: age::x25519::Recipient,
    /// The same recipient through sealbox's wrap path.
    sealbox_recipient: X25519Recipient,
    /// A recipient we hold no identity for.
    other: age::x25519::Recipient,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let sk = secret(0xa7);
        let reference = age_identity(&sk);
        let recipient = reference.to_public();
        let sealbox_recipient =
            X25519Recipient::parse(&recipient.to_string()).expect("recipient string");
        let ours = Identities {
            age: vec![Box::new(X25519Identity::from_secret(
                zeroize::Zeroizing::new(sk),
            ))],
            ..Identities::default()
        };
        Fixed {
            ours,
            reference,
            recipient,
            sealbox_recipient,
            other: age_identity(&secret(0x3c)).to_public(),
        }
    })
}

enum Outcome {
    Plain(Vec<u8>),
    NoMatch,
    Failed(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Plain(p) => write!(f, "Plain({} bytes)", p.len()),
            Outcome::NoMatch => write!(f, "NoMatchingKeys"),
            Outcome::Failed(m) => write!(f, "Failed({m})"),
        }
    }
}

fn reference(file: &[u8], id: &age::x25519::Identity) -> Outcome {
    let dec = match age::Decryptor::new_buffered(age::armor::ArmoredReader::new(file)) {
        Ok(d) => d,
        Err(e) => return Outcome::Failed(format!("header: {e}")),
    };
    let mut r = match dec.decrypt(std::iter::once(id as &dyn age::Identity)) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => return Outcome::NoMatch,
        Err(e) => return Outcome::Failed(format!("decrypt: {e}")),
    };
    let mut out = Vec::new();
    match r.read_to_end(&mut out) {
        Ok(_) => Outcome::Plain(out),
        Err(e) => Outcome::Failed(format!("payload: {e}")),
    }
}

fn compare(file: &[u8]) -> Outcome {
    let f = fixed();
    let want = reference(file, &f.reference);
    let got = open_age_file(file, &f.ours);
    match (&want, &got) {
        (Outcome::Plain(a), Unwrapped::Key(b)) => assert!(
            a.as_slice() == b.as_slice(),
            "plaintexts differ ({} and {} bytes)",
            a.len(),
            b.len()
        ),
        (Outcome::NoMatch, Unwrapped::NoMatch) | (Outcome::Failed(_), Unwrapped::Failed(_)) => {}
        (want, got) => {
            let got = match got {
                Unwrapped::Key(k) => format!("Key({} bytes)", k.len()),
                Unwrapped::NoMatch => "NoMatch".to_owned(),
                Unwrapped::Declined(m) => format!("Declined({m})"),
                Unwrapped::Failed(m) => format!("Failed({m})"),
                Unwrapped::Unavailable(m) => format!("Unavailable({m})"),
                Unwrapped::Pending => "Pending".to_owned(),
            };
            panic!("age crate: {want}; sealbox: {got}");
        }
    }
    want
}

/// xorshift64* bytes from a seed.
fn payload(seed: u64, len: usize) -> Vec<u8> {
    let mut s = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        out.extend_from_slice(&s.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

fn seeded(p: &[u8]) {
    let byte = |i: usize| p.get(i).copied().unwrap_or(0);
    let flags = byte(2);
    let mut len = usize::from(u16::from_le_bytes([byte(0), byte(1)]));
    if flags & 0x02 != 0 {
        len *= 4;
    }
    let seed = u64::from_le_bytes(std::array::from_fn(|i| byte(3 + i)));
    let plain = payload(seed, len);

    let f = fixed();
    let mut recipients: Vec<&dyn age::Recipient> = Vec::new();
    if flags & 0x04 != 0 {
        recipients.push(&f.other);
    }
    if flags & 0x08 != 0 {
        recipients.push(&f.sealbox_recipient);
    } else {
        recipients.push(&f.recipient);
    }
    let enc = age::Encryptor::with_recipients(recipients.into_iter()).expect("encryptor");
    let format = if flags & 0x01 != 0 {
        age::armor::Format::AsciiArmor
    } else {
        age::armor::Format::Binary
    };
    let armored = age::armor::ArmoredWriter::wrap_output(Vec::new(), format).expect("armor");
    let mut w = enc.wrap_output(armored).expect("wrap");
    w.write_all(&plain).expect("write");
    let mut file = w.finish().and_then(|a| a.finish()).expect("finish");

    let mutations = p.get(11..).unwrap_or_default().chunks_exact(4);
    let mutated = mutations.len() > 0;
    for m in mutations {
        if file.is_empty() {
            break;
        }
        let pos = u32::from_le_bytes([m[0], m[1], m[2], 0]) as usize % file.len();
        match m[3] {
            0 => file.truncate(pos),
            mask => file[pos] ^= mask,
        }
    }
    let outcome = compare(&file);
    if !mutated {
        match outcome {
            Outcome::Plain(p) => assert!(p == plain, "the built file decrypts to other bytes"),
            other => panic!("the built file is refused: {other}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((0, params)) => seeded(params),
        _ => {
            compare(data);
        }
    }
});

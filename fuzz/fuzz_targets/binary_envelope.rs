//! Fuzzes the in-place opening of whole-file (binary store) values: any bytes go through
//! `BinaryEnvelope::parse` and, when it finds the shape, through in-place base64
//! decoding, decryption with a fixed key and the MAC check, never panicking; the
//! general tree path must refuse whatever the fast path refuses (same accept/reject).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::crypto::dek::DataKey;
use sealbox::sops::binary::BinaryEnvelope;
use sealbox::sops::Sealed;
use sealbox::store::Format;

fuzz_target!(|data: &[u8]| {
    let key = DataKey::from_slice(&[9u8; 32]).expect("32 bytes");
    let general = Format::Binary
        .parse_encrypted(data)
        .ok()
        .and_then(|t| Sealed::from_tree(Format::Binary, t).ok())
        .map(|s| s.open(&key, false).is_ok());
    if let Ok(envelope) = BinaryEnvelope::parse(data.to_vec()) {
        let fast = envelope.open(&key, false).is_ok();
        assert_eq!(fast, general == Some(true), "fast and general paths disagree");
    }
});

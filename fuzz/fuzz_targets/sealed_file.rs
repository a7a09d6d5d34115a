//! Fuzzes the envelope: any bytes, read as an encrypted file of each format, go through
//! metadata parsing and decryption with a fixed key without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::crypto::dek::DataKey;
use sealbox::sops::Sealed;
use sealbox::store::Format;

fuzz_target!(|data: &[u8]| {
    let key = DataKey::from_slice(&[9u8; 32]).expect("32 bytes");
    for f in [Format::Yaml, Format::Json, Format::Dotenv, Format::Ini, Format::Binary] {
        if let Ok(tree) = f.parse_encrypted(data) {
            if let Ok(sealed) = Sealed::from_tree(f, tree) {
                let _ = sealed.open(&key, false);
                let _ = sealed.to_bytes(f);
            }
        }
    }
});

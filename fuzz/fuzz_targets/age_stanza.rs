//! Fuzzes the unwrapping of an age stanza's `enc` field (armor, header, MAC, the
//! one-chunk path and the age crate's fallback) with a fixed X25519 identity: any text
//! fails cleanly or yields a key, never a panic. (A stanza for this identity cannot be
//! guessed, so the fuzzer covers parsing and refusal; the unit tests cover success.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::identity::Identities;
use sealbox::crypto::x25519::X25519Identity;
use sealbox::sops::MasterKey;
use sealbox::store::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A fresh identity per process (no key in the repository); parsed by sealbox's own
    // X25519 code, as bulk decryption uses it.
    let text_key = {
        use age::secrecy::ExposeSecret;
        age::x25519::Identity::generate().to_string().expose_secret().to_owned()
    };
    let id = X25519Identity::parse(&text_key).expect("generated identity");
    let ids = Identities {
        age: vec![Box::new(id)],
        ..Identities::default()
    };
    let key = MasterKey {
        kind: "age".to_owned(),
        fields: vec![("enc".to_owned(), Value::Str(text.to_owned()))],
    };
    let _ = sealbox::recipients::unwrap(&key, &ids);
});

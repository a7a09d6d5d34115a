//! Fuzzes the `ENC[…]` parser: never panics; whatever parses re-formats to a string
//! that parses to the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::sops::value::EncValue;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(v) = EncValue::parse(s) {
            let again = EncValue::parse(&v.format()).expect("formatted value parses");
            assert_eq!(again, v);
        }
    }
});

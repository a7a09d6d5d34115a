//! Fuzzes the ini store: parsing never panics, and a parsed tree emits and parses again.
//! go-ini's reading (sealbox called as `sops`) must not panic either.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::store::Format;

fuzz_target!(|data: &[u8]| {
    let _ = sealbox::store::ini::parse_go(data);
    if let Ok(tree) = Format::Ini.parse_plain(data) {
        if let Ok(out) = Format::Ini.emit_plain(&tree) {
            let _ = Format::Ini.parse_plain(&out).expect("emitted output parses");
        }
    }
});

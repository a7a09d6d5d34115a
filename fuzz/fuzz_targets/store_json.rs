//! Fuzzes the json store: parsing never panics, and a parsed tree emits and parses again.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::store::Format;

fuzz_target!(|data: &[u8]| {
    if let Ok(tree) = Format::Json.parse_plain(data) {
        if let Ok(out) = Format::Json.emit_plain(&tree) {
            let _ = Format::Json.parse_plain(&out).expect("emitted output parses");
        }
    }
});

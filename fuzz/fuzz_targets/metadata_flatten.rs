//! Fuzzes the dotenv and INI metadata (the `sops_…__map_…__list_N` keys that sops
//! flattens the metadata into): any text is parsed as an encrypted dotenv and INI file
//! and its metadata unflattened. Run with `-rss_limit_mb=256`: a small input must never
//! cost more than a small multiple of its size (a list index may only append).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sealbox::sops::Sealed;
use sealbox::store::Format;

fuzz_target!(|data: &[u8]| {
    for f in [Format::Dotenv, Format::Ini] {
        if let Ok(tree) = f.parse_encrypted(data) {
            if let Ok(sealed) = Sealed::from_tree(f, tree) {
                let _ = sealed.to_bytes(f);
            }
        }
    }
    // Pairs as the flattener sees them, from lines of `key=value`.
    let text = String::from_utf8_lossy(data);
    let pairs: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    if let Ok(v) = sealbox::sops::flatten::unflatten(pairs) {
        let _ = sealbox::sops::flatten::flatten(&v);
    }
});

//! Fuzzes the scanner on arbitrary text: keyword prefilter, single- and multi-line rule
//! windows, decoding, with and without a set of "added" lines as in staged scans.
#![no_main]
use std::collections::BTreeSet;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sealbox::scan::Scanner;

fuzz_target!(|data: &[u8]| {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    let scanner = SCANNER.get_or_init(|| Scanner::builtin().expect("built-in rules"));
    let text = String::from_utf8_lossy(data);
    let _ = scanner.scan("fuzz.yaml", &text, None);
    let lines: BTreeSet<usize> = (1..=text.lines().count()).step_by(2).collect();
    let _ = scanner.scan("fuzz.yaml", &text, Some(&lines));
});

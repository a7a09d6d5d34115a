#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::forms::json_escape;
use super::*;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use proptest::prelude::*;

fn pats(pairs: &[(&str, &str)], min: usize) -> Patterns {
    Patterns::new(pairs.iter().map(|(k, v)| (*k, v.as_bytes())), min).unwrap()
}

fn red(p: &Patterns, text: &str) -> String {
    String::from_utf8(p.redact(text.as_bytes())).unwrap()
}

#[test]
fn every_form_is_replaced() {
    let v = "p@ss/wörd+?=&\"\\ x";
    let p = pats(&[("DB_PASS", v)], 6);
    let mut forms = vec![
        v.to_owned(),
        STANDARD.encode(v),
        URL_SAFE_NO_PAD.encode(v),
        url_encode(v.as_bytes(), true, false)
            .into_iter()
            .map(char::from)
            .collect(),
        String::from_utf8(url_encode(v.as_bytes(), false, false)).unwrap(),
        String::from_utf8(url_encode(v.as_bytes(), true, true)).unwrap(),
        serde_json::to_string(v)
            .unwrap()
            .trim_matches('"')
            .to_owned(),
        json_escape(v, true),
        {
            // As Go's encoding/json writes it: `&` as \u0026.
            let mut go = String::new();
            crate::store::json::write_string(&mut go, v);
            assert!(go.contains("\\u0026"), "{go}");
            go.trim_matches('"').to_owned()
        },
    ];
    forms.dedup();
    for f in forms {
        let text = format!("before {f} after\n");
        assert_eq!(red(&p, &text), "before [REDACTED:DB_PASS] after\n", "{f}");
    }
}

#[test]
fn base64_inside_a_longer_text_at_each_offset() {
    let v = "s3cr3t-token-value";
    let p = pats(&[("T", v)], 6);
    for k in 0..3 {
        for tail in 0..3 {
            let mut data = b"Authorization: Basic "[..k + 1].to_vec();
            data.extend_from_slice(v.as_bytes());
            data.extend_from_slice(&b"\x00\x01\x02"[..tail]);
            for enc in [STANDARD.encode(&data), URL_SAFE_NO_PAD.encode(&data)] {
                let out = red(&p, &enc);
                assert!(out.contains("[REDACTED:T]"), "offset {k}: {enc} -> {out}");
                assert!(!out.contains(&STANDARD.encode(v)[..8]), "{out}");
            }
        }
    }
}

#[test]
fn short_values_and_text_without_values_pass_through() {
    let p = pats(&[("SHORT", "true"), ("LONG", "abcdef123")], 6);
    assert_eq!(red(&p, "true abcdef12"), "true abcdef12");
    assert_eq!(red(&p, "xabcdef123x"), "x[REDACTED:LONG]x");
    let none = pats(&[("A", "x")], 6);
    assert!(none.is_empty());
    assert_eq!(red(&none, "anything"), "anything");
    assert_eq!(pats(&[("A", "xy")], 2).keys(), ["A"]);
}

#[test]
fn longest_value_wins_and_shared_values_name_the_first_key() {
    let p = pats(
        &[("A", "secret"), ("B", "secret-longer"), ("C", "secret")],
        6,
    );
    assert_eq!(red(&p, "secret-longer secret"), "[REDACTED:B] [REDACTED:A]");
    assert_eq!(p.keys(), ["A", "B", "C"]);
}

#[test]
fn a_value_split_across_pieces_is_caught_and_holdback_is_small() {
    let p = pats(&[("K", "hunter2hunter2")], 6);
    let mut s = Stream::new(&p);
    let mut out = Vec::new();
    s.feed(b"line one\nhas hunt", &mut out);
    assert_eq!(out, b"line one\nhas ");
    assert_eq!(s.held(), 4);
    s.feed(b"er2hun", &mut out);
    s.feed(b"ter2!\n", &mut out);
    // Nothing that can start a value is held after a newline.
    assert_eq!(s.held(), 0);
    assert_eq!(out, b"line one\nhas [REDACTED:K]!\n");
    s.feed(b"hunter", &mut out);
    s.finish(&mut out);
    assert_eq!(out, b"line one\nhas [REDACTED:K]!\nhunter");
}

#[test]
fn a_short_match_waits_for_a_possible_longer_one() {
    let p = pats(&[("A", "abcdef"), ("B", "abcdefghij")], 6);
    let mut s = Stream::new(&p);
    let mut out = Vec::new();
    s.feed(b"xxabcdef", &mut out);
    assert_eq!(out, b"xx");
    s.feed(b"ghij.", &mut out);
    s.finish(&mut out);
    assert_eq!(out, b"xx[REDACTED:B].");
    // An earlier, longer candidate beats a later complete match.
    let p = pats(&[("A", "cdefgh"), ("B", "abcdefghijkl")], 6);
    let mut s = Stream::new(&p);
    let mut out = Vec::new();
    s.feed(b"abcdefgh", &mut out);
    s.feed(b"ijkl", &mut out);
    s.finish(&mut out);
    assert_eq!(out, b"[REDACTED:B]");
}

#[test]
fn debug_shows_no_value() {
    let p = pats(&[("K", "very-secret-value")], 6);
    assert!(!format!("{p:?}").contains("very-secret"));
}

proptest! {
    #[test]
    fn splitting_never_changes_the_result(
        values in prop::collection::vec("[a-c]{6,12}", 1..4),
        filler in prop::collection::vec(prop_oneof!["[a-d ]{0,8}".prop_map(|s| s), Just(String::new())], 1..6),
        picks in prop::collection::vec(0usize..8, 1..6),
        cuts in prop::collection::vec(0usize..200, 0..8),
    ) {
        let pairs: Vec<(String, String)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("K{i}"), v.clone()))
            .collect();
        let p = Patterns::new(pairs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())), 6).unwrap();
        let mut text = String::new();
        for (i, f) in filler.iter().enumerate() {
            text.push_str(f);
            if let Some(&pick) = picks.get(i) {
                let v = &values[pick % values.len()];
                if pick % 2 == 0 { text.push_str(v) } else { text.push_str(&STANDARD.encode(v)) }
            }
        }
        let whole = p.redact(text.as_bytes());
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).collect();
        cuts.sort_unstable();
        let mut out = Vec::new();
        let mut s = Stream::new(&p);
        let mut at = 0;
        for c in cuts {
            s.feed(&text.as_bytes()[at..c], &mut out);
            prop_assert!(s.held() < p.max_len().max(1));
            at = c;
        }
        s.feed(&text.as_bytes()[at..], &mut out);
        s.finish(&mut out);
        prop_assert_eq!(&out, &whole);
        // And the whole-text result has no value left in it.
        let shown = String::from_utf8(whole).unwrap();
        for v in &values {
            prop_assert!(!shown.contains(v.as_str()), "{}", shown);
        }
    }
}

proptest! {
    /// The prefilter changes nothing: the matches read in its windows are the
    /// automaton's matches over the whole text, whatever the text holds.
    #[test]
    fn the_prefilter_finds_what_the_whole_automaton_finds(
        values in prop::collection::vec("[a-e]{5,14}", 1..5),
        filler in prop::collection::vec("[a-f \n]{0,30}", 1..8),
        picks in prop::collection::vec(0usize..12, 1..8),
    ) {
        let pairs: Vec<(String, String)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("K{i}"), v.clone()))
            .collect();
        let p = Patterns::new(pairs.iter().map(|(k, v)| (k.as_str(), v.as_bytes())), 5).unwrap();
        prop_assert!(p.grams.is_some());
        let mut text = String::new();
        for (i, f) in filler.iter().enumerate() {
            text.push_str(f);
            if let Some(&pick) = picks.get(i) {
                let v = &values[pick % values.len()];
                match pick % 3 {
                    0 => text.push_str(v),
                    1 => text.push_str(&STANDARD.encode(v)),
                    _ => text.push_str(&v[..v.len() - 1]),
                }
            }
        }
        let ac = p.ac.as_ref().unwrap();
        let whole: Vec<(usize, usize, usize)> = ac
            .find_iter(text.as_bytes())
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let sampled: Vec<(usize, usize, usize)> = p
            .matches(ac, text.as_bytes())
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        prop_assert_eq!(sampled, whole);
    }
}

//! The IV invariant of `walk`, as properties over arbitrary documents and edits.
use proptest::prelude::*;

use super::*;
use crate::crypto::dek::DataKey;

/// Every scalar leaf (comments included) with a readable place: document index,
/// key names with their occurrence, list indices, comment ordinals.
fn leaves(docs: &[Value]) -> Vec<(String, Value)> {
    fn go(v: &Value, place: &str, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Map(m) => {
                let mut seen: HashMap<&str, usize> = HashMap::new();
                let mut comments = 0;
                for (k, v) in m {
                    if let Value::Comment(_) = v {
                        go(v, &format!("{place}/#{comments}"), out);
                        comments += 1;
                        continue;
                    }
                    let n = seen.entry(k.as_str()).or_insert(0);
                    go(v, &format!("{place}/{k:?}.{n}"), out);
                    *n += 1;
                }
            }
            Value::Seq(s) => {
                for (i, v) in s.iter().enumerate() {
                    go(v, &format!("{place}/[{i}]"), out);
                }
            }
            other => out.push((place.to_owned(), other.clone())),
        }
    }
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        go(d, &format!("doc{i}"), &mut out);
    }
    out
}

/// The IV of an encrypted leaf.
fn iv_of(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::Str(s) | Value::Comment(s) if is_enc(s) => EncValue::parse(s).ok().map(|e| e.iv),
        _ => None,
    }
}

/// Seals `plain` (with `cache` if given); returns the sealed documents.
fn seal(cipher: &ValueCipher, plain: &[Value], cache: Option<&mut IvCache>) -> Vec<Value> {
    let mut docs = plain.to_vec();
    encrypt(&mut docs, cipher, &Selector::All, false, cache).unwrap();
    docs
}

/// The IV cache a decryption of `sealed` fills (what edit, set and merge start from).
fn cache_of(cipher: &ValueCipher, sealed: &[Value]) -> IvCache {
    let mut opened = sealed.to_vec();
    let mut cache = IvCache::default();
    decrypt(&mut opened, cipher, &Selector::All, false, Some(&mut cache)).unwrap();
    cache
}

/// Checks the IV invariant between an old sealed version and a new one made with the
/// old version's cache: IVs are unique in the new file, and an IV the old file had
/// appears only at the same place with the same plaintext.
fn check(old_plain: &[Value], new_plain: &[Value]) {
    let key = DataKey::generate().unwrap();
    let cipher = ValueCipher::new(&key);
    let old_sealed = seal(&cipher, old_plain, None);
    let mut cache = cache_of(&cipher, &old_sealed);
    let new_sealed = seal(&cipher, new_plain, Some(&mut cache));

    let old: HashMap<Vec<u8>, (String, Value)> = leaves(&old_sealed)
        .into_iter()
        .zip(leaves(old_plain))
        .filter_map(|((place, enc), (_, plain))| iv_of(&enc).map(|iv| (iv, (place, plain))))
        .collect();
    let mut seen = HashSet::new();
    for ((place, enc), (_, plain)) in leaves(&new_sealed).into_iter().zip(leaves(new_plain)) {
        let Some(iv) = iv_of(&enc) else { continue };
        assert!(
            seen.insert(iv.clone()),
            "IV shared by two leaves, one at {place}"
        );
        if let Some((old_place, old_value)) = old.get(&iv) {
            assert_eq!(old_place, &place, "IV moved to another place");
            assert!(
                old_value == &plain,
                "IV reused for another value at {place}"
            );
        }
    }
}

#[test]
fn issue_14_finding_1_length_ambiguity() {
    let old = vec![Value::Map(vec![(
        "a".into(),
        Value::Str("b:\0str\0hello".into()),
    )])];
    let mut new = old.clone();
    if let Value::Map(m) = &mut new[0] {
        m.push(("a:\0str\0b".into(), Value::Str("hello".into())));
    }
    check(&old, &new);
}

#[test]
fn issue_14_finding_2_equal_list_items() {
    let list = Value::Seq(vec![Value::Str("same".into()); 4]);
    let old = vec![Value::Map(vec![("l".into(), list)])];
    let mut new = old.clone();
    if let Value::Map(m) = &mut new[0] {
        m.push(("k".into(), Value::Str("v".into())));
    }
    check(&old, &new);
    // Unchanged items keep their ciphertext, each its own.
    let key = DataKey::generate().unwrap();
    let cipher = ValueCipher::new(&key);
    let sealed = seal(&cipher, &old, None);
    let mut cache = cache_of(&cipher, &sealed);
    let again = seal(&cipher, &new, Some(&mut cache));
    assert_eq!(again[0].get("l"), sealed[0].get("l"));
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a:s\\x00\"]{0,5}".prop_map(Value::Str),
        (0i64..3).prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
        "[a:\\x00]{0,3}".prop_map(Value::Comment),
        proptest::collection::vec(prop_oneof![Just(0u8), Just(0xff), Just(b'a')], 1..4)
            .prop_map(Value::Bytes),
        Just(Value::Null),
    ]
}

fn entry(v: Value, k: String) -> (String, Value) {
    if matches!(v, Value::Comment(_)) {
        (String::new(), v)
    } else {
        (k, v)
    }
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Seq),
            proptest::collection::vec((inner, "[a:s\\x00]{0,3}"), 0..4)
                .prop_map(|es| Value::Map(es.into_iter().map(|(v, k)| entry(v, k)).collect())),
        ]
    })
}

fn docs() -> impl Strategy<Value = Vec<Value>> {
    proptest::collection::vec(
        proptest::collection::vec((tree(), "[a:s\\x00]{0,3}"), 0..5)
            .prop_map(|es| Value::Map(es.into_iter().map(|(v, k)| entry(v, k)).collect())),
        1..3,
    )
}

/// An edit: insert an entry, duplicate one, or replace a value, at the top level of
/// the first document.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String, Value),
    Duplicate(usize),
    Replace(usize, Value),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        prop_oneof![
            (any::<usize>(), "[a:s\\x00]{0,3}", tree()).prop_map(|(i, k, v)| Edit::Insert(i, k, v)),
            any::<usize>().prop_map(Edit::Duplicate),
            (any::<usize>(), tree()).prop_map(|(i, v)| Edit::Replace(i, v)),
        ],
        0..4,
    )
}

fn apply(docs: &mut [Value], edits: Vec<Edit>) {
    let Some(Value::Map(m)) = docs.first_mut() else {
        return;
    };
    for e in edits {
        match e {
            Edit::Insert(i, k, v) => {
                let at = i % (m.len() + 1);
                m.insert(at, entry(v, k));
            }
            Edit::Duplicate(i) if !m.is_empty() => {
                let e = m[i % m.len()].clone();
                m.insert(i % m.len(), e);
            }
            Edit::Replace(i, v) if !m.is_empty() => {
                let at = i % m.len();
                let k = m[at].0.clone();
                m[at] = entry(v, if k.is_empty() { "r".into() } else { k });
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_iv_serves_two_places_or_values(old in docs(), edits in edits(), other in docs()) {
        let mut edited = old.clone();
        apply(&mut edited, edits);
        check(&old, &edited);
        // An unrelated document sealed with the same cache (a small alphabet makes
        // equal keys and values at other places common).
        check(&old, &other);
    }
}

#[test]
fn a_value_that_seals_to_other_bytes_gets_a_new_iv() {
    // Another writer stored the float as "1.0"; sealbox opens it as 1 and seals "1".
    let key = DataKey::generate().unwrap();
    let cipher = ValueCipher::new(&key);
    let iv = [7u8; IV_LEN];
    let mut raw = b"1.0".to_vec();
    let tag = cipher.seal(&iv, b"x:", &mut raw);
    let enc = EncValue {
        data: raw,
        iv: iv.to_vec(),
        tag: tag.to_vec(),
        kind: "float".into(),
    };
    let mut docs = vec![Value::Map(vec![("x".into(), Value::Str(enc.format()))])];
    let mut cache = IvCache::default();
    decrypt(&mut docs, &cipher, &Selector::All, false, Some(&mut cache)).unwrap();
    assert!(cache.is_empty(), "an inexact value must not be cached");
    let sealed = seal(&cipher, &docs, Some(&mut cache));
    let again = sealed[0].get("x").and_then(iv_of);
    assert!(again.is_some() && again != Some(iv.to_vec()));
}

//! Criterion benches of the per-file hot path: one value seal/open, a 30-key dotenv
//! file encrypt/decrypt (parse + crypto + MAC + emit), and age wrap/unwrap of a data key.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use sealbox::crypto::aead::ValueCipher;
use sealbox::crypto::dek::DataKey;
use sealbox::identity::Identities;
use sealbox::recipients;
use sealbox::sops::{self, Metadata, Sealed, Selector};
use sealbox::store::{Format, Value};

fn dotenv_30() -> String {
    (0..30)
        .map(|i| format!("SERVICE_{i:02}_API_TOKEN=tok_{i:02}_{}\n", "x".repeat(24)))
        .collect()
}

fn x25519(c: &mut Criterion) {
    use curve25519_dalek::montgomery::MontgomeryPoint;
    let k = [0x5au8; 32];
    let peer = MontgomeryPoint::mul_base_clamped([0x17u8; 32]);
    c.bench_function("x25519 montgomery ladder", |b| {
        b.iter(|| black_box(peer).mul_clamped(k))
    });
    let ed = peer.to_edwards(0).unwrap();
    c.bench_function("x25519 via edwards (cached point)", |b| {
        b.iter(|| black_box(ed).mul_clamped(k).to_montgomery())
    });
    c.bench_function("x25519 via edwards (with conversion)", |b| {
        b.iter(|| {
            black_box(peer)
                .to_edwards(0)
                .unwrap()
                .mul_clamped(k)
                .to_montgomery()
        })
    });
    c.bench_function("x25519 base mult", |b| {
        b.iter(|| MontgomeryPoint::mul_base_clamped(black_box(k)))
    });
    assert_eq!(ed.mul_clamped(k).to_montgomery(), peer.mul_clamped(k));
    use curve25519_dalek::traits::BasepointTable;
    c.bench_function("radix256 table create", |b| {
        b.iter(|| {
            curve25519_dalek::edwards::EdwardsBasepointTableRadix256::create(
                &curve25519_dalek::constants::ED25519_BASEPOINT_POINT,
            )
        })
    });
    let t = curve25519_dalek::edwards::EdwardsBasepointTableRadix256::create(
        &curve25519_dalek::constants::ED25519_BASEPOINT_POINT,
    );
    c.bench_function("x25519 base mult radix256", |b| {
        b.iter(|| t.mul_base_clamped(black_box(k)).to_montgomery())
    });
}

fn bench(c: &mut Criterion) {
    let key = DataKey::generate().unwrap();
    let cipher = ValueCipher::new(&key);
    let value = Value::Str("postgres://user:password@db.internal:5432/app".to_owned());
    let iv = [7u8; 32];
    c.bench_function("value seal", |b| {
        b.iter(|| sops::value::seal(&cipher, black_box(&value), &iv, "DATABASE_URL:"))
    });
    let enc = sops::value::seal(&cipher, &value, &iv, "DATABASE_URL:").unwrap();
    c.bench_function("value open", |b| {
        b.iter(|| sops::value::open(&cipher, black_box(&enc), "DATABASE_URL:").unwrap())
    });

    let id = age::x25519::Identity::generate();
    let recipient = recipients::parse_age(&id.to_public().to_string()).unwrap();
    let mut ids = Identities::default();
    ids.age.push(Box::new(id));
    c.bench_function("age wrap data key", |b| {
        b.iter(|| recipient.wrap(black_box(key.expose())).unwrap())
    });
    let stanza = recipient.wrap(key.expose()).unwrap();
    c.bench_function("age unwrap data key", |b| {
        b.iter(|| {
            matches!(
                recipients::unwrap(black_box(&stanza), &ids),
                recipients::Unwrapped::Key(_)
            )
        })
    });

    let text = dotenv_30();
    let meta = || Metadata {
        lastmodified: String::new(),
        mac: None,
        version: sops::SOPS_FORMAT_VERSION.to_owned(),
        selector: Selector::UnencryptedSuffix("_unencrypted".to_owned()),
        mac_only_encrypted: false,
        shamir_threshold: 0,
        groups: vec![vec![stanza.clone()]],
    };
    c.bench_function("dotenv 30 keys encrypt (no key wrap)", |b| {
        b.iter(|| {
            let tree = Format::Dotenv
                .parse_plain(black_box(text.as_bytes()))
                .unwrap();
            let sealed = sops::seal(tree, &key, meta(), None).unwrap();
            sealed.to_bytes(Format::Dotenv).unwrap()
        })
    });
    let sealed = sops::seal(
        Format::Dotenv.parse_plain(text.as_bytes()).unwrap(),
        &key,
        meta(),
        None,
    )
    .unwrap();
    let enc_bytes = sealed.to_bytes(Format::Dotenv).unwrap();
    c.bench_function("dotenv 30 keys decrypt (no key unwrap)", |b| {
        b.iter(|| {
            let tree = Format::Dotenv
                .parse_encrypted(black_box(&enc_bytes))
                .unwrap();
            let sealed = Sealed::from_tree(Format::Dotenv, tree).unwrap();
            let opened = sealed.open(&key, false).unwrap();
            Format::Dotenv.emit_plain(&opened.tree).unwrap()
        })
    });
}

criterion_group!(benches, x25519, bench);
criterion_main!(benches);

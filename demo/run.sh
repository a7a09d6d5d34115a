#!/usr/bin/env bash
# Demo of sealbox's main job on a local age identity (no cloud, no network):
# encrypt a dotenv and a YAML file, show what git would store, decrypt, edit one
# value without touching the others, rotate the data key. Runs in a temp directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${SEALBOX:-$here/../target/release/sealbox}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/secrets" "$work/"
cd "$work"
export SEALBOX_AGE_KEY_FILE="$here/../fixtures/demo/identity.txt"
recipient=age1dhu6elqa4qk2ygzfxhk6082fmpytsfxhllmlelmwmx560268r5esev3nfz

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "encrypt secrets/ in place for $recipient"
"$bin" encrypt --age "$recipient" --in-place secrets
step "what git stores: secrets/dev.env"
cat secrets/dev.env
step "what git stores: secrets/app.yaml (keys and order readable, values encrypted)"
head -12 secrets/app.yaml
step "decrypt secrets/dev.env (MAC verified)"
"$bin" decrypt secrets/dev.env
step "one value: --extract '[\"database\"][\"password\"]'"
"$bin" decrypt --extract '["database"]["password"]' secrets/app.yaml; echo
step "edit one value; the other ciphertexts stay the same (small git diffs)"
cp secrets/dev.env before.env
EDITOR="sed -i s/FEATURE_FLAG=true/FEATURE_FLAG=false/" "$bin" edit secrets/dev.env
diff before.env secrets/dev.env | grep '^[<>]' | cut -c1-60 || true
step "rotate: new data key, every value re-encrypted"
"$bin" rotate secrets/dev.env secrets/app.yaml
"$bin" decrypt secrets/dev.env
step "tamper with a value: exit code 4"
sed -i 's/^STRIPE_KEY=ENC\[AES256_GCM,data:./STRIPE_KEY=ENC[AES256_GCM,data:A/' secrets/dev.env
set +e; "$bin" decrypt secrets/dev.env; echo "exit code: $?"

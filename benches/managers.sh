#!/usr/bin/env bash
# Secrets-manager benchmark (issue 16): one environment of N keys pushed to and pulled
# from per-key targets on the local moto server (aws-sm-prefix: one Secrets Manager
# secret per key, aws-ssm: one SecureString parameter per key), through a proxy that
# adds LATENCY_MS per round trip (default 20, as a real region does). Each run starts
# from an empty moto. Timed, medians of RUNS:
#   push      first push, every key added (list + one write per key)
#   push=     push again, nothing changed (list + reads only)
#   diff      compare (list + reads)
#   pull      into a new encrypted file (list + reads + one write)
# with the bounded request pool (SEALBOX_KMS_CONCURRENCY, default 16), and once with
# one request at a time (SEALBOX_KMS_CONCURRENCY=1) for the serial figure.
#
#   bash benches/managers.sh [N_KEYS] [RUNS]
#   LATENCY_MS=0 bash benches/managers.sh     # no added latency
#
# Needs: cargo, moto_server (PyPI moto[server]), curl, python3, /usr/bin/time, age-keygen.
set -euo pipefail
N=${1:-1000}
RUNS=${2:-3}
LAT=${LATENCY_MS:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
work=$(mktemp -d /tmp/sealbox-managers.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

mport=$(free_port)
moto_server -H 127.0.0.1 -p "$mport" >"$work/moto.log" 2>&1 &
pids+=($!)
murl="http://127.0.0.1:$mport"
for _ in $(seq 1 100); do curl -fs "$murl/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
url=$murl
if [ "$LAT" != 0 ]; then
  pport=$(free_port)
  python3 "$here/benches/latency_proxy.py" "$pport" "$mport" "$LAT" &
  pids+=($!)
  url="http://127.0.0.1:$pport"
  for _ in $(seq 1 50); do curl -fs "$url/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
fi

# A project: one file environment of N keys (values of 24-64 characters, some
# multi-line), and an empty one to pull into.
cd "$work"
python3 - "$N" <<'PY'
import hashlib, sys
n = int(sys.argv[1])
with open("plain.env", "w") as f:
    for i in range(n):
        v = hashlib.sha256(str(i).encode()).hexdigest()[: 24 + i % 40]
        if i % 10 == 0:
            v = v + "\\nsecond line"
        f.write(f"KEY_{i:05d}={v}\n")
PY
if command -v age-keygen >/dev/null; then
  age-keygen -o "$work/key.txt" 2>/dev/null
else
  echo "age-keygen is needed (apt install age)" >&2; exit 1
fi
rcpt=$(grep -o 'age1[0-9a-z]*' "$work/key.txt" | head -1)
mkdir -p secrets
cat > .sealbox.toml <<EOF
allow_shared_recipients = true
[environments.bench]
files = ["secrets/bench.env"]
age = ["$rcpt"]
[environments.copy]
files = ["secrets/copy.env"]
age = ["$rcpt"]
EOF
"$bin" --quiet --no-audit encrypt --age "$rcpt" plain.env -o secrets/bench.env
export SEALBOX_AGE_KEY_FILE="$work/key.txt" HOME="$work" AWS_ACCESS_KEY_ID=bench \
  AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_ENDPOINT_URL="$url"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "keys: $N; moto $(python3 -c 'import moto; print(moto.__version__)'); added round-trip latency: ${LAT} ms; runs: $RUNS"

timed() {
  /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" >"$work/stdout.out" 2>"$work/stderr.out" || {
    local rc=$?
    # diff exits 1 on drift, which the bench does not expect either.
    echo "failed ($rc): $*" >&2; tail -3 "$work/stderr.out" >&2; exit 1; }
  cat "$work/time.out"
}
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

one_run() { # target conc -> "push push= diff pull" seconds
  local target=$1 conc=$2 out=()
  curl -fsS -X POST "$murl/moto-api/reset" >/dev/null
  rm -f secrets/copy.env
  for step in "push -e bench --to $target" "push -e bench --to $target" "diff -e bench --against $target" "pull -e copy --from $target"; do
    # shellcheck disable=SC2086
    read -r t _ < <(SEALBOX_KMS_CONCURRENCY=$conc timed "$bin" --quiet --no-audit $step)
    out+=("$t")
  done
  echo "${out[*]}"
}

for target in "aws-sm-prefix:bench/" "aws-ssm:/bench/"; do
  declare -a P=() P2=() D=() L=()
  for r in $(seq 1 "$RUNS"); do
    read -r a b c d < <(one_run "$target" "${SEALBOX_KMS_CONCURRENCY:-16}")
    P+=("$a"); P2+=("$b"); D+=("$c"); L+=("$d")
  done
  # The copy must hold exactly the bench environment's values.
  "$bin" --quiet --no-audit export -e bench --format json >"$work/a.json"
  "$bin" --quiet --no-audit export -e copy --format json >"$work/b.json"
  cmp -s "$work/a.json" "$work/b.json" || { echo "pulled values differ" >&2; exit 1; }
  printf '%-22s concurrent: push %5.2f s  push(unchanged) %5.2f s  diff %5.2f s  pull %5.2f s   (medians of %d)\n' \
    "$target" "$(median "${P[@]}")" "$(median "${P2[@]}")" "$(median "${D[@]}")" "$(median "${L[@]}")" "$RUNS"
  if [ "${SERIAL:-1}" != 0 ]; then
    read -r a b c d < <(one_run "$target" 1)
    printf '%-22s serial:     push %5.2f s  push(unchanged) %5.2f s  diff %5.2f s  pull %5.2f s   (one run)\n' "$target" "$a" "$b" "$c" "$d"
  fi
done

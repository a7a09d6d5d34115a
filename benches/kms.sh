#!/usr/bin/env bash
# KMS bulk-decrypt benchmark: N files whose data keys are wrapped by AWS KMS (the local
# moto server), decrypted with `sealbox decrypt --output-dir` one request after another
# (SEALBOX_KMS_CONCURRENCY=1) and with the default bounded pool, in one run; then a loop
# of the sops CLI over a sample of the same files.
#
#   bash benches/kms.sh [N_FILES] [RUNS] [SOPS_SAMPLE]
#   LATENCY_MS=20 bash benches/kms.sh    # decrypt through a proxy adding 20 ms per round trip
#
# Needs: cargo, moto_server (PyPI moto[server]), curl, /usr/bin/time; sops for the peer
# loop (skipped when absent). Uses $SEALBOX_BENCH_MOTO_URL when set, else starts moto.
set -euo pipefail
N=${1:-200}
RUNS=${2:-5}
SAMPLE=${3:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
work=$(mktemp -d /tmp/sealbox-kms.XXXXXX)

if [ -n "${SEALBOX_BENCH_MOTO_URL:-}" ]; then
  url=$SEALBOX_BENCH_MOTO_URL
else
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
  moto_pid=$!
  trap 'kill $moto_pid 2>/dev/null || true' EXIT
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -fs "$url/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
fi
curl -fsS -X POST "$url/moto-api/reset" >/dev/null
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_ENDPOINT_URL_KMS=$url
arn=$(curl -fsS -X POST "$url/" -H 'X-Amz-Target: TrentService.CreateKey' \
  -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'Authorization: AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00' \
  -d '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["KeyMetadata"]["Arn"])')

python3 - "$work/plain" "$N" <<'PY'
import hashlib, os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root, exist_ok=True)
for i in range(n):
    lines = [f"SERVICE_{j:02d}_SECRET_TOKEN={hashlib.sha256(f'{i}:{j}'.encode()).hexdigest()[:22]}" for j in range(30)]
    open(os.path.join(root, f"f{i:04d}.env"), "w").write("\n".join(lines) + "\n")
PY
"$bin" --quiet encrypt --aws-kms "$arn" "$work/plain" --output-dir "$work/enc"
latency=${LATENCY_MS:-0}
if [ "$latency" != 0 ]; then
  pport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 "$here/benches/latency_proxy.py" "$pport" "${url##*:}" "$latency" &
  proxy_pid=$!
  trap 'kill ${moto_pid:-} $proxy_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$pport/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
  export AWS_ENDPOINT_URL_KMS="http://127.0.0.1:$pport"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "files: $N dotenv files encrypted for one AWS KMS key on moto $(python3 -c 'import moto; print(moto.__version__)'); added round-trip latency: ${latency} ms; runs: $RUNS"

timed() {
  /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || {
    cat "$work/stderr.out" >&2; exit 1; }
  cat "$work/time.out"
}
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

declare -A T M
for mode in serial concurrent; do
  ts=(); ms=()
  for r in $(seq 1 "$RUNS"); do
    if [ "$mode" = serial ]; then conc=1; else conc=${SEALBOX_KMS_CONCURRENCY:-16}; fi
    read -r t m < <(SEALBOX_KMS_CONCURRENCY=$conc timed "$bin" --quiet decrypt "$work/enc" --output-dir "$work/out.$mode.$r")
    ts+=("$t"); ms+=("$m")
  done
  T[$mode]=$(median "${ts[@]}"); M[$mode]=$(median "${ms[@]}")
  printf '%-30s median %6.2f s  (%s)  %7.0f files/s  peak RSS %5.1f MiB\n' "sealbox decrypt, $mode" "${T[$mode]}" "${ts[*]}" \
    "$(python3 -c "print($N/${T[$mode]})")" "$(python3 -c "print(${M[$mode]}/1024)")"
done
cmp -s "$work/plain/f0000.env" "$work/out.concurrent.1/f0000.env" || { echo "output differs" >&2; exit 1; }
printf 'concurrent vs serial: %.1fx\n' "$(python3 -c "print(${T[serial]}/${T[concurrent]})")"

if [ "$SAMPLE" -gt 0 ] && command -v sops >/dev/null; then
  start=$(date +%s.%N)
  for f in $(ls "$work/enc" | head -n "$SAMPLE"); do
    sops --disable-version-check decrypt "$work/enc/$f" >/dev/null
  done
  end=$(date +%s.%N)
  per=$(python3 -c "print(($end-$start)/$SAMPLE)")
  printf '%-30s %6.2f s for %d files (%.0f ms/file) -> %.1f s for %d; sealbox is %.0fx faster\n' "sops decrypt loop" \
    "$(python3 -c "print($end-$start)")" "$SAMPLE" "$(python3 -c "print($per*1000)")" "$(python3 -c "print($per*$N)")" "$N" \
    "$(python3 -c "print($per*$N/${T[concurrent]})")"
fi

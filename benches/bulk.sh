#!/usr/bin/env bash
# Bulk encrypt/decrypt benchmark: sealbox against one-process-per-file loops of the
# age CLI and of sops, on the same generated dotenv files, in one run.
#
#   bash benches/bulk.sh [N_FILES] [RUNS] [SAMPLE]
#
# N_FILES dotenv files (30 KEY=value lines, ~1.5 KiB each, deterministic) are made once;
# every timed run writes into a fresh directory (this machine's file system is slow
# right after mass deletions, so nothing is deleted until the end). sealbox is timed
# RUNS times (median reported); the age and sops loops run over SAMPLE files and are
# scaled to N_FILES. Peak RSS comes from GNU time. Needs: cargo, age, sops, /usr/bin/time.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
SAMPLE=${3:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
for tool in age age-keygen sops /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bulk.sh needs $tool" >&2; exit 2; }
done
work=${BULK_DIR:-$(mktemp -d /tmp/sealbox-bulk.XXXXXX)}
mkdir -p "$work"
age-keygen -o "$work/key.txt" 2>/dev/null
R=$(grep -o 'age1[0-9a-z]*' "$work/key.txt")
export SEALBOX_AGE_KEY_FILE="$work/key.txt" SOPS_AGE_KEY_FILE="$work/key.txt"

python3 - "$work/plain" "$N" <<'PY'
import hashlib, os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"d{i // 1000:03d}")
    os.makedirs(d, exist_ok=True)
    lines = []
    for j in range(30):
        h = hashlib.sha256(f"{i}:{j}".encode()).hexdigest()
        lines.append(f"SERVICE_{j:02d}_SECRET_TOKEN={h[:22]}")
    with open(os.path.join(d, f"f{i:05d}.env"), "w") as f:
        f.write("\n".join(lines) + "\n")
PY
size=$(du -sk "$work/plain" | cut -f1)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "files: $N dotenv files, $((size / 1024)) MiB on disk; runs: $RUNS; peer sample: $SAMPLE files"

# timed CMD...: prints "seconds peak_rss_kib"
timed() {
  /usr/bin/time -f '%e %M' -o "$work/time.out" "$@" >/dev/null 2>"$work/stderr.out" || {
    cat "$work/stderr.out" >&2; exit 1; }
  cat "$work/time.out"
}
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

declare -A T M
run_sealbox() { # name, then args with OUT for the output dir
  local name=$1; shift
  local ts=() ms=()
  for r in $(seq 1 "$RUNS"); do
    local out="$work/$name.$r"
    read -r t m < <(timed "$bin" --quiet "${@//OUT/$out}")
    ts+=("$t"); ms+=("$m")
  done
  T[$name]=$(median "${ts[@]}"); M[$name]=$(median "${ms[@]}")
}

run_sealbox enc encrypt --age "$R" "$work/plain" --output-dir OUT
run_sealbox dec decrypt "$work/enc.1" --output-dir OUT
# --in-place: on copies made beforehand (copying is not timed)
for r in $(seq 1 "$RUNS"); do cp -r "$work/plain" "$work/inplace.$r"; done
ts=(); ms=()
for r in $(seq 1 "$RUNS"); do
  read -r t m < <(timed "$bin" --quiet encrypt --age "$R" --in-place "$work/inplace.$r")
  ts+=("$t"); ms+=("$m")
done
T[inplace]=$(median "${ts[@]}"); M[inplace]=$(median "${ms[@]}")

# Peers: one process per file, as users script them today, over a sample.
mapfile -t sample < <(cd "$work/plain" && find . -name '*.env' | sort | head -n "$SAMPLE")
mkdir -p "$work/age-enc" "$work/age-dec" "$work/sops-enc" "$work/sops-dec"
peer_loop() { # name, command template run per file
  local name=$1 script=$2
  local start end
  start=$(date +%s.%N)
  for f in "${sample[@]}"; do
    local flat=${f//\//_}
    eval "$script" || exit 1
  done
  end=$(date +%s.%N)
  T[$name]=$(python3 -c "print(($end - $start) * $N / ${#sample[@]})")
}
peer_loop age_enc '/usr/bin/time -f %M -a -o "$work/age.rss" age -r "$R" -a -o "$work/age-enc/$flat" "$work/plain/$f"'
peer_loop age_dec 'age -d -i "$work/key.txt" -o "$work/age-dec/$flat" "$work/age-enc/$flat"'
peer_loop sops_enc 'sops --disable-version-check encrypt --age "$R" --output "$work/sops-enc/$flat" "$work/plain/$f"'
peer_loop sops_dec 'sops --disable-version-check decrypt --output "$work/sops-dec/$flat" "$work/sops-enc/$flat"'
M[age]=$(sort -n "$work/age.rss" | tail -1)

rate() { python3 -c "print(f'{$N / $1:,.0f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:,.0f}x')"; }
printf '\n%-40s %10s %12s %14s\n' "job ($N files)" "wall s" "files/s" "peak RSS MiB"
row() { printf '%-40s %10.2f %12s %14s\n' "$1" "$2" "$(rate "$2")" "$3"; }
row "sealbox encrypt --output-dir (median)" "${T[enc]}" "$((${M[enc]%.*} / 1024))"
row "sealbox decrypt --output-dir (median)" "${T[dec]}" "$((${M[dec]%.*} / 1024))"
row "sealbox encrypt --in-place (median)" "${T[inplace]}" "$((${M[inplace]%.*} / 1024))"
row "age CLI loop, encrypt (scaled)" "${T[age_enc]}" "$((${M[age]} / 1024)) per process"
row "age CLI loop, decrypt (scaled)" "${T[age_dec]}" "-"
row "sops loop, encrypt (scaled)" "${T[sops_enc]}" "-"
row "sops loop, decrypt (scaled)" "${T[sops_dec]}" "-"
echo
echo "encrypt: $(ratio "${T[age_enc]}" "${T[enc]}") faster than the age loop, $(ratio "${T[sops_enc]}" "${T[enc]}") faster than the sops loop"
echo "decrypt: $(ratio "${T[age_dec]}" "${T[dec]}") faster than the age loop, $(ratio "${T[sops_dec]}" "${T[dec]}") faster than the sops loop"
echo "work directory: $work (remove it when done)"

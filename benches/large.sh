#!/usr/bin/env bash
# Large-file benchmark: one binary file of SIZE_MIB MiB on tmpfs (so disk flushes do not
# count), encrypted and decrypted by sealbox and by the age CLI in the same run, RUNS
# times each, taking turns; prints the median wall time, MB/s and the median peak RSS
# (GNU time), and the RSS as a multiple of the file size.
#
#   bash benches/large.sh [SIZE_MIB] [RUNS]
#
# Needs: age, age-keygen, /usr/bin/time, a tmpfs at /dev/shm (or LARGE_DIR).
set -euo pipefail
SIZE=${1:-256}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
for tool in age age-keygen /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "large.sh needs $tool" >&2; exit 2; }
done
work=$(mktemp -d "${LARGE_DIR:-/dev/shm}/sealbox-large.XXXXXX")
trap 'rm -rf "$work"' EXIT
age-keygen -o "$work/key.txt" 2>/dev/null
R=$(grep -o 'age1[0-9a-z]*' "$work/key.txt")
head -c $((SIZE * 1024 * 1024)) /dev/urandom > "$work/plain.bin"
export SEALBOX_AGE_KEY_FILE="$work/key.txt"

run() { # label, then the command; appends "seconds KiB" to $work/label
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/t" "$@" >/dev/null
  cat "$work/t" >> "$work/$label"
}
for _ in $(seq "$RUNS"); do
  run sealbox-enc "$bin" --no-audit --quiet encrypt --age "$R" "$work/plain.bin" -o "$work/s.enc"
  run age-enc age -r "$R" -o "$work/a.age" "$work/plain.bin"
  run sealbox-dec "$bin" --no-audit --quiet decrypt "$work/s.enc" -o "$work/s.out"
  run age-dec age -d -i "$work/key.txt" -o "$work/a.out" "$work/a.age"
  cmp -s "$work/plain.bin" "$work/s.out" || { echo "sealbox round trip differs" >&2; exit 1; }
  rm -f "$work/s.out" "$work/a.out"
done
python3 - "$work" "$SIZE" "$RUNS" <<'PY'
import statistics, sys
work, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
mb = size * 1024 * 1024 / 1e6
print(f"{size} MiB file on tmpfs, medians of {runs} runs")
print(f"{'job':<14}{'wall':>9}{'MB/s':>8}{'peak RSS':>12}{'x file':>8}")
rows = {}
for label in ["sealbox-enc", "age-enc", "sealbox-dec", "age-dec"]:
    pairs = [tuple(map(float, l.split())) for l in open(f"{work}/{label}") if l.strip()]
    wall = statistics.median(p[0] for p in pairs)
    rss = statistics.median(p[1] for p in pairs) / 1024
    rows[label] = wall
    print(f"{label:<14}{wall:>8.2f}s{mb / wall:>8.0f}{rss:>9.0f} MiB{rss / size:>7.2f}x")
for op in ["enc", "dec"]:
    print(f"sealbox/age {op}: {rows['sealbox-' + op] / rows['age-' + op]:.1f}x the age CLI's time")
PY

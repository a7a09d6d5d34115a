#!/usr/bin/env bash
# `scan --values` beside plain `scan` on the generated scan corpus:
#
#   bash benches/scan_values.sh [CORPUS_MB] [RUNS]
#
# benches/scan_corpus.py writes CORPUS_MB MiB (default 100, seed SEED, default 1) into a
# fresh temp directory. An environment `bench` gets 40 values: 20 of the secrets the
# corpus plants (taken from its manifest, so there is something to find) and 20 random
# ones. The page cache is warmed once, then `sealbox scan CORPUS` (the rules) and
# `sealbox scan --values -e bench CORPUS` (the values and their encoded forms, ~700
# patterns) run RUNS times each (default 3), alternating; median wall times, MiB/s and
# the findings of each are printed. Never builds: run `cargo build --release` first.
set -euo pipefail
MB=${1:-100}
RUNS=${2:-3}
SEED=${SEED:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || { echo "scan_values.sh: no sealbox binary at $bin (cargo build --release, or set SEALBOX)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scan_values.sh needs python3" >&2; exit 2; }
command -v age-keygen >/dev/null || { echo "scan_values.sh needs age-keygen" >&2; exit 2; }

work=$(mktemp -d /tmp/sealbox-valuesbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config SEALBOX_AUDIT_LOG=$work/audit.jsonl
mkdir -p "$XDG_CONFIG_HOME"
python3 "$here/benches/scan_corpus.py" corpus --size-mb "$MB" --seed "$SEED" --manifest manifest.jsonl > /dev/null
age-keygen -o key.txt 2>/dev/null
export SEALBOX_AGE_KEY_FILE=$work/key.txt
printf '[environments.bench]\nfiles = ["secrets/bench.env"]\nage = ["%s"]\n' \
  "$(age-keygen -y key.txt)" > .sealbox.toml
python3 - > values.txt <<'EOF'
import json, random, string
r = random.Random(3)
planted = [json.loads(l) for l in open("manifest.jsonl")]
planted = [p["secret"] for p in planted if not p.get("trap") and "\n" not in p["secret"] and 12 <= len(p["secret"]) <= 200]
for i, s in enumerate(r.sample(planted, 20)):
    print(f"PLANTED_{i:02d}\t{s}")
alpha = string.ascii_letters + string.digits
for i in range(20):
    print(f"RANDOM_{i:02d}\t" + "".join(r.choice(alpha) for _ in range(r.randint(20, 40))))
EOF
while IFS=$'\t' read -r k v; do printf '%s\n' "$v" | "$bin" -q set bench "$k" - ; done < values.txt
bytes=$(find corpus -type f -printf '%s\n' | awk '{s += $1} END {print s}')
find corpus -type f -print0 | xargs -0 cat > /dev/null

echo "== machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "== $("$bin" --version | head -1); corpus $((bytes >> 20)) MiB, $(find corpus -type f | wc -l) files, seed $SEED"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
: > rules.t; : > values.t
for _ in $(seq "$RUNS"); do
  t0=$(now); "$bin" -q scan corpus --format json > rules.json || [ $? -eq 1 ]; t1=$(now)
  echo "$t1 - $t0" | bc >> rules.t
  t0=$(now); "$bin" -q scan --values -e bench corpus --format json > values.json || [ $? -eq 1 ]; t1=$(now)
  echo "$t1 - $t0" | bc >> values.t
done
count() { python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$1"; }
r=$(median < rules.t); v=$(median < values.t)
printf 'scan (rules)       %7ss  %6.0f MiB/s  %6s findings\n' "$r" "$(echo "$bytes / 1048576 / $r" | bc -l)" "$(count rules.json)"
printf 'scan --values      %7ss  %6.0f MiB/s  %6s findings (40 values, 20 of them planted)\n' "$v" "$(echo "$bytes / 1048576 / $v" | bc -l)" "$(count values.json)"

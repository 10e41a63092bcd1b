#!/usr/bin/env bash
# Install the independent peer implementations used by tests/interop/run.sh, once, into a
# cache outside the repository:
#
#   ${LAISSEZ_INTEROP_CACHE:-$HOME/.cache/laissez/interop}/
#     venv/        Python venv: sd-jwt (IETF reference implementation), pymdoccbor, cbor2,
#                  pycose, cryptography
#     node/        npm prefix: @auth0/mdl, @sd-jwt/jwt-status-list, jose, @openid4vc/openid4vci
#                  and @openid4vc/oauth2
#     stamp        the pinned versions this cache was built with
#     freeze.txt   everything that ended up installed (pip freeze + npm ls)
#
# Idempotent and non-interactive: when the stamp matches the pins below, it does nothing
# (prints one line). When a pin changes (or the cache is damaged), it rebuilds the cache.
# Needs python3 (3.9+, with venv) and node/npm (20+); reaches PyPI and npm only.
#
# Usage: tests/interop/setup.sh [--force] [--quiet]
#   --force   rebuild even when the stamp matches
#   --quiet   print nothing when the cache is already up to date
# Prints the cache directory's environment on the last line: `LAISSEZ_INTEROP_CACHE=...`.
set -euo pipefail

# ---- pins (change a version here and the next run rebuilds the cache) -------------------
PY_PINS=(
  "sd-jwt==0.10.4"        # IETF SD-JWT reference implementation (module sd_jwt)
  "pymdoccbor==1.4.0"     # mdoc issuer (eu-digital-identity-wallet lineage)
  "cbor2==6.3.0"
  "pycose==1.1.0"
  "claim169==0.3.0"      # MOSIP Claim 169 QR codes (idpass/claim-169), group p
  "cryptography==50.0.2"
)
NPM_PINS=(
  "@auth0/mdl@3.0.1"      # mdoc verifier (and DeviceResponse builder)
  "@sd-jwt/jwt-status-list@0.19.0"  # Token Status List (openwallet-foundation sd-jwt-js)
  "jose@4.15.9"           # JWS for the status list peers; the version @auth0/mdl resolves
  "@openid4vc/openid4vci@0.4.6"  # OpenID4VCI 1.0 wallet client (OpenWallet Foundation), group m
  "@openid4vc/oauth2@0.4.6"      # its OAuth 2 half (token endpoint, client authentication)
)
STAMP_FORMAT=1

CACHE="${LAISSEZ_INTEROP_CACHE:-$HOME/.cache/laissez/interop}"
PYTHON="${LAISSEZ_INTEROP_PYTHON:-python3}"
FORCE=0
QUIET=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --quiet) QUIET=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { echo "interop-setup: $*"; }
die() { echo "interop-setup: error: $*" >&2; exit 3; }

command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set LAISSEZ_INTEROP_PYTHON)"
command -v node >/dev/null || die "node not found (Node 20+ needed for @auth0/mdl and @sd-jwt/jwt-status-list)"
command -v npm >/dev/null || die "npm not found"

PY_VERSION="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" -ge 20 ] || die "node $NODE_MAJOR is too old; @sd-jwt/jwt-status-list needs 20+"

want_stamp() {
  echo "format=$STAMP_FORMAT"
  echo "python=$PY_VERSION"
  echo "node=$NODE_MAJOR"
  printf 'pip %s\n' "${PY_PINS[@]}"
  printf 'npm %s\n' "${NPM_PINS[@]}"
}

mkdir -p "$CACHE"
# One setup at a time (run.sh may be started twice); flock is in util-linux.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.lock"
  flock 9
fi

STAMP="$CACHE/stamp"
healthy() {
  [ -x "$CACHE/venv/bin/python" ] &&
    [ -f "$CACHE/node/node_modules/@auth0/mdl/package.json" ] &&
    [ -f "$CACHE/node/node_modules/@sd-jwt/jwt-status-list/package.json" ] &&
    [ -f "$CACHE/node/node_modules/jose/package.json" ] &&
    [ -f "$CACHE/node/node_modules/@openid4vc/openid4vci/package.json" ] &&
    [ -f "$CACHE/node/node_modules/@openid4vc/oauth2/package.json" ] &&
    "$CACHE/venv/bin/python" -c 'import sd_jwt, pymdoccbor, cbor2, pycose, cryptography' 2>/dev/null
}

if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] && healthy; then
  [ "$QUIET" = 1 ] || say "up to date in $CACHE ($(grep -c '' "$STAMP") pins)"
  [ "$QUIET" = 1 ] || echo "LAISSEZ_INTEROP_CACHE=$CACHE"
  exit 0
fi

start=$(date +%s)
if [ -f "$STAMP" ]; then
  say "pins changed or cache damaged: rebuilding $CACHE"
else
  say "first run: building $CACHE"
fi
rm -f "$STAMP"
rm -rf "$CACHE/venv" "$CACHE/node"

say "python $PY_VERSION venv at $CACHE/venv"
"$PYTHON" -m venv "$CACHE/venv" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
for pin in "${PY_PINS[@]}"; do say "pip install $pin"; done
"$CACHE/venv/bin/python" -m pip install --quiet --no-input "${PY_PINS[@]}" \
  || die "pip install failed"

say "npm prefix at $CACHE/node"
mkdir -p "$CACHE/node"
for pin in "${NPM_PINS[@]}"; do say "npm install $pin"; done
# --ignore-scripts: no package install scripts run. The only one in the tree is the optional
# native accelerator cbor-extract; cbor-x falls back to its pure-JS decoder without it.
(cd "$CACHE/node" && npm install --prefix "$CACHE/node" --save-exact --no-audit --no-fund \
  --ignore-scripts --loglevel=error "${NPM_PINS[@]}" >/dev/null) || die "npm install failed"

# Check that what is importable is what was pinned.
"$CACHE/venv/bin/python" - "${PY_PINS[@]}" <<'EOF' || die "installed Python versions differ from the pins"
import sys
from importlib.metadata import version
bad = []
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    have = version(name)
    if have != want:
        bad.append(f"{name}: pinned {want}, installed {have}")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
for pin in "${NPM_PINS[@]}"; do
  name="${pin%@*}"; want="${pin##*@}"
  have="$(node -p "require('$CACHE/node/node_modules/$name/package.json').version")"
  [ "$have" = "$want" ] || die "$name: pinned $want, installed $have"
done

{
  echo "# pip freeze ($CACHE/venv, python $PY_VERSION)"
  "$CACHE/venv/bin/python" -m pip freeze
  echo "# npm ls ($CACHE/node, node $(node --version))"
  npm ls --all --prefix "$CACHE/node" 2>/dev/null || true
} >"$CACHE/freeze.txt"

want_stamp >"$STAMP"
say "done in $(( $(date +%s) - start ))s; installed versions in $CACHE/freeze.txt"
echo "LAISSEZ_INTEROP_CACHE=$CACHE"

#!/usr/bin/env bash
# Laissez interoperability tests: the `laissez` CLI (wallet, issuer, verifier) against
# implementations no one here wrote, and against the published test vectors.
#
#   tests/interop/run.sh [--build] [--keep] [--only GROUPS]
#
# Peers (installed once by setup.sh into ${LAISSEZ_INTEROP_CACHE:-~/.cache/laissez/interop}):
#   IETF SD-JWT reference implementation (PyPI sd-jwt), pymdoccbor, @auth0/mdl,
#   @sd-jwt/jwt-status-list with jose (npm).
# Groups (default: all):
#   peer    the peers themselves against the vectors and each other (is the harness sound?)
#   wallet  laissez wallet init / holder-key, issuer new (run whenever a later group needs them)
#   a       reference-issued SD-JWT VC -> laissez import/present -> laissez + reference verify
#   b       laissez-issued SD-JWT VC -> laissez present -> reference verify
#   c       pymdoccbor-issued mdoc -> laissez import/present -> laissez (+ @auth0/mdl) verify
#   d       laissez-issued mdoc -> laissez present -> @auth0/mdl verify (our transcript bytes)
#   e       tampered / replayed presentations rejected by both sides (runs b and d too)
#   f       laissez verify-presentation on the published vectors (../shared/vectors)
#   g       third-party holders: reference holder / @auth0/mdl DeviceResponse -> laissez verify
#   h       Token Status Lists: laissez-issued -> @sd-jwt/jwt-status-list; lists it builds ->
#           laissez verifier status, and the verdicts on laissez-issued credentials
#   i       ES384 and EdDSA issuer keys: reference-issued (P-384, Ed25519) -> laissez import/
#           present/verify + reference verify; `issuer new --alg` -> reference verify
#   j       certificate chains: reference-issued SD-JWT VCs with x5c (root -> intermediate ->
#           leaf, P-256/P-384) and pymdoccbor mdocs under an IACA -> laissez, with refusals;
#           laissez's chained credentials -> reference verifier, @auth0/mdl (root only)
#   k       the real VICALs (../shared/vectors/vical): `trust import-vical` anchors = the
#           certificates an independent reader (cbor2, pycose, cryptography) lists; tampered
#           copies refused by both
#   l       the signed portrait (ADR 0018): `issuer issue --portrait` -> laissez present ->
#           reference verifier (SD-JWT VC `picture` data URL) and @auth0/mdl (mdoc `portrait`
#           bstr, its JPEG check), each portrait byte for byte the JPEG signed; laissez's verdict
#           the same
#
#   m       OpenID4VCI 1.0: a wallet on @openid4vc/openid4vci (OpenWallet Foundation) receives a
#           batch of SD-JWT VC and mdoc copies from `laissez issuer serve` on 127.0.0.1
#           (pre-authorized code + transaction code, nonce, proofs); a wrong code is refused
#   n       OpenID4VCI 1.0, the other way: `laissez wallet fetch-credential` receives batches of
#           SD-JWT VC and mdoc copies from an issuer on @openid4vc/openid4vci and
#           @openid4vc/oauth2 (peers/oid4vci_issuer.mjs, 127.0.0.1); claims, metadata labels and
#           one holder key per copy checked; a wrong code and a broken issuer give typed errors
#   o       verifier registration certificates and signed requests (ADR 0020), against pycose
#           and cbor2 (peers/registration.py): pycose verifies `registrar certify`'s certificate
#           with the registrar's key and reads its claims; pycose verifies a signed request
#           (`verifier request`, certificate carried and by reference) with the certificate's
#           cnf key, and refuses it with another key's certificate; a certificate pycose makes
#           verifies in `laissez registrar verify`, and is refused with another registrar key
#   p       MOSIP Claim 169 QR codes (issue 16): the PyPI claim169 package decodes and verifies
#           codes of `laissez claim169 issue` (EdDSA, ES256, encrypted), pycose verifies their
#           COSE_Sign1 signatures, Laissez verifies the package's codes; wrong keys refused;
#           the signed vectors verify through the CLI and an unsigned one is reported unsigned
#
# Environment: LAISSEZ_BIN (default target/debug/laissez under the repo root),
# LAISSEZ_VECTORS (default ../shared/vectors next to the repo root; absent -> SKIP lines
# naming what is missing, or FAIL lines when CI is set, e.g. CI=true),
# LAISSEZ_INTEROP_CACHE. --build runs `cargo build -p laissez-cli` first; --keep keeps the
# temp dir (with every command's stdout/stderr under logs/) and prints its path.
# Output: one line per check, `PASS name`, `FAIL name (why)` or `SKIP name (why)`, then
# `interop: N passed, M failed, K skipped`; exit 1 if any failed.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PEERS="$HERE/peers"
LIB="$HERE/lib"
VECTORS="${LAISSEZ_VECTORS:-$ROOT/../shared/vectors}"
BIN="${LAISSEZ_BIN:-$ROOT/target/debug/laissez}"
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac

BUILD=0 KEEP=0 ONLY="peer,wallet,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) BUILD=1 ;;
    --keep) KEEP=1 ;;
    --only) shift; ONLY="${1:?--only needs a list, e.g. a,b,f}" ;;
    --only=*) ONLY="${1#--only=}" ;;
    -h|--help) sed -n '2,55p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
want() { [[ ",$ONLY," == *",$1,"* ]]; }

PASSED=0 FAILED=0 SKIPPED=0
pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1 ($2)"; FAILED=$((FAILED + 1)); }
skip() { echo "SKIP $1 ($2)"; SKIPPED=$((SKIPPED + 1)); }
# CI set to anything but "", "0" or "false": missing test data is a failure, not a skip.
is_ci() { case "${CI:-}" in "" | 0 | [Ff][Aa][Ll][Ss][Ee]) return 1 ;; *) return 0 ;; esac; }
# missing_data NAME WHAT: the checks of NAME cannot run without the test data WHAT (paths).
missing_data() {
  if is_ci; then fail "$1" "missing test data: $2 (CI is set)"; else skip "$1" "missing test data: $2"; fi
}
# fail_all REASON NAME...: the checks that cannot run because an earlier step failed
fail_all() { local why="$1"; shift; for n in "$@"; do fail "$n" "$why"; done; }
finish() {
  echo "interop: $PASSED passed, $FAILED failed, $SKIPPED skipped"
  [ "$FAILED" -eq 0 ]
  exit $?
}

# ---- peers -------------------------------------------------------------------------------
if ! setup_out="$("$HERE/setup.sh" --quiet 2>&1)"; then
  echo "$setup_out"
  fail setup "tests/interop/setup.sh failed"
  finish
fi
[ -n "$setup_out" ] && echo "$setup_out"
CACHE="${LAISSEZ_INTEROP_CACHE:-$HOME/.cache/laissez/interop}"
export LAISSEZ_INTEROP_CACHE="$CACHE"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the repo
PY="$CACHE/venv/bin/python"
NODE="node"

if [ "$BUILD" = 1 ]; then
  echo "building laissez (cargo build -p laissez-cli)"
  (cd "$ROOT" && cargo build -q -p laissez-cli) || { fail build "cargo build -p laissez-cli failed"; finish; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/laissez-interop.XXXXXX")"
if [ "$KEEP" = 1 ]; then
  echo "work dir: $WORK"
else
  trap 'rm -rf "$WORK"' EXIT
fi
LOGS="$WORK/logs"
mkdir -p "$LOGS"
cd "$WORK" || exit 3

# ---- running commands --------------------------------------------------------------------
# r CMD...: run with stdout -> $OUT, stderr -> $ERR (kept under logs/), exit code -> $RC
N=0 OUT="" ERR="" RC=0 REASON=""
r() {
  N=$((N + 1))
  OUT="$LOGS/$(printf %03d "$N").out"
  ERR="$LOGS/$(printf %03d "$N").err"
  printf '%s\n' "$*" >"$LOGS/$(printf %03d "$N").cmd"
  "$@" >"$OUT" 2>"$ERR" </dev/null
  RC=$?
}
# what the last command said, on one line: its error lines if any, else the end of stderr
# (or of stdout)
tail_of() {
  local t f
  for f in "$ERR" "$OUT"; do
    t="$(grep -i -m 2 -E '^(error|fail|invalid)|"error"' "$f" 2>/dev/null)"
    [ -n "$t" ] || t="$(tail -n 4 "$f" 2>/dev/null)"
    t="$(printf '%s' "$t" | tr '\n\t' '  ' | sed 's/  */ /g')"
    [ -n "${t// /}" ] && break
  done
  printf '%s' "${t:0:220}"
}
# expect RC_WANTED DESCRIPTION CMD...: run; on a different exit code set REASON, return 1
expect() {
  local want="$1" what="$2"
  shift 2
  r "$@"
  if [ "$RC" -ne "$want" ]; then
    REASON="$what: exit $RC, expected $want: $(tail_of)"
    return 1
  fi
  return 0
}
ok() { local what="$1"; shift; expect 0 "$what" "$@"; }
# assert DESCRIPTION CMD...: a check (lib/checks.py ...) that prints its complaint
assert() {
  local what="$1"
  shift
  r "$@"
  if [ "$RC" -ne 0 ]; then
    REASON="$what: $(head -c 220 "$OUT" | tr '\n' ' ')"
    return 1
  fi
}
# shellcheck disable=SC2317 # called through r/ok/expect
lz() { "$BIN" "$@"; }
py() { "$PY" "$@"; }
chk() { "$PY" "$LIB/checks.py" "$@"; }
# nonces: hex, so that a value never starts with '-' (which argument parsers take for an option)
rand() { "$PY" -c 'import secrets; print("n" + secrets.token_hex(10))'; }

export LAISSEZ_PIN="482915"
AUD="https://verifier.interop.example/response"
VCT="https://credentials.interop.example/identity"
DOCTYPE="org.iso.18013.5.1.mDL"
MDL_NS="org.iso.18013.5.1"
SL_URI="https://status.interop.example/lists"

HAVE_BIN=1
if [ ! -x "$BIN" ]; then
  HAVE_BIN=0
  NOBIN="laissez binary not found at $BIN: build it (cargo build -p laissez-cli, or run.sh --build) or set LAISSEZ_BIN"
fi
# The vector folders that are not there (space-separated); empty when both are.
MISSING_VECTORS=""
for v in "$VECTORS/sd-jwt" "$VECTORS/mdoc"; do
  [ -d "$v" ] || MISSING_VECTORS="${MISSING_VECTORS:+$MISSING_VECTORS }$v"
done

# Claims used below. The "UNDISCLOSED-..." values are never requested: they must not show up
# in any presentation or verifier output.
cat >claims-sdjwt.json <<'EOF'
{
  "given_name": "Amina",
  "family_name": "Okafor",
  "birthdate": "1990-04-12",
  "nationality": "UT",
  "address": {"locality": "Anytown", "country": "UT"},
  "registration_id": "UNDISCLOSED-REG-7731"
}
EOF
cat >claims-mdoc.json <<'EOF'
{
  "family_name": "Okafor",
  "given_name": "Amina",
  "birth_date": "1990-04-12",
  "issuing_country": "UT",
  "issuing_authority": "Utopia Registry",
  "document_number": "UNDISCLOSED-DOC-4455",
  "age_over_18": true
}
EOF
SD_PRESENT="given_name,family_name"
SD_PRESENT_VALUES="Amina,Okafor"
SD_ABSENT_VALUES="UNDISCLOSED-REG-7731,Anytown,1990-04-12"
MDOC_PRESENT="family_name,given_name"
MDOC_PRESENT_VALUES="Okafor,Amina"
MDOC_ABSENT_VALUES="UNDISCLOSED-DOC-4455,Utopia Registry"

# =========================================================================================
# peer: the peers against the published vectors and each other
# =========================================================================================
peer_checks() {
  if ok "OpenID4VP 1.0 B.2.6.1 example" py "$PEERS/oid4vp_transcript.py" --self-test; then
    pass peer.transcript-kat
  else fail peer.transcript-kat "$REASON"; fi

  # reference issuer -> reference holder -> reference verifier
  local n
  n="$(rand)"
  if ok "keygen" py "$PEERS/keygen.py" --private peer-i.jwk --public peer-i.pub &&
    ok "keygen" py "$PEERS/keygen.py" --private peer-h.jwk --public peer-h.pub &&
    ok "sdjwt_issue" py "$PEERS/sdjwt_issue.py" --issuer-key peer-i.jwk --holder-key peer-h.pub --vct "$VCT" \
      --claims claims-sdjwt.json --out peer-sd.txt &&
    ok "sdjwt_present" py "$PEERS/sdjwt_present.py" --holder-key peer-h.jwk --claims "$SD_PRESENT" --nonce "$n" \
      --audience "$AUD" --out peer-sd-p.txt peer-sd.txt &&
    ok "sdjwt_verify" py "$PEERS/sdjwt_verify.py" --issuer-key peer-i.pub --nonce "$n" --audience "$AUD" \
      --expect-typ dc+sd-jwt peer-sd-p.txt && cp "$OUT" peer-sd-v.json &&
    assert "disclosed" chk disclosed sd-jwt peer-sd-v.json "$SD_PRESENT"; then
    pass peer.roundtrip-sdjwt
  else fail peer.roundtrip-sdjwt "$REASON"; fi

  # pymdoccbor issuer -> @auth0/mdl holder -> @auth0/mdl verifier
  if ok "keygen" py "$PEERS/keygen.py" --private peer-mi.jwk --public peer-mi.pub --cert peer-mi.pem &&
    ok "mdoc_issue" py "$PEERS/mdoc_issue.py" --issuer-key peer-mi.jwk --issuer-cert peer-mi.pem \
      --holder-key peer-h.pub --claims claims-mdoc.json --out peer-m.cbor &&
    ok "mdoc_issuer_verify" py "$PEERS/mdoc_issuer_verify.py" --issuer-cert peer-mi.pem --holder-key peer-h.pub \
      --doctype "$DOCTYPE" peer-m.cbor &&
    ok "oid4vp_transcript" py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$n" --out peer-t.cbor &&
    ok "mdoc_present" "$NODE" "$PEERS/mdoc_present.mjs" --holder-key peer-h.jwk --transcript peer-t.cbor \
      --claims "$MDOC_PRESENT" --out peer-m-p.cbor peer-m.cbor &&
    ok "mdoc_verify" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert peer-mi.pem --transcript peer-t.cbor peer-m-p.cbor &&
    cp "$OUT" peer-m-v.json && assert "disclosed" chk disclosed mdoc peer-m-v.json "$MDOC_PRESENT"; then
    pass peer.roundtrip-mdoc
  else fail peer.roundtrip-mdoc "$REASON"; fi

  # @sd-jwt/jwt-status-list: the draft's examples and test vectors; its own list, signed and
  # verified with jose, read back; another key and a wrong expectation are refused
  if ok "status_list_verify --self-test" "$NODE" "$PEERS/status_list_verify.mjs" --self-test; then
    pass peer.status-list-kat
  else fail peer.status-list-kat "$REASON"; fi
  if ok "keygen" py "$PEERS/keygen.py" --private peer-sl.jwk --public peer-sl.pub &&
    ok "keygen" py "$PEERS/keygen.py" --private peer-sl-other.jwk --public peer-sl-other.pub &&
    ok "status_list_issue" "$NODE" "$PEERS/status_list_issue.mjs" --issuer-key peer-sl.jwk --uri "$SL_URI/peer-0" \
      --bits 2 --size 40 --set 0=1,21=2,39=3 --out peer-sl.jwt &&
    ok "status_list_verify" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key peer-sl.pub --uri "$SL_URI/peer-0" \
      --bits 2 --size 40 --expect 0=1,21=2,39=3 peer-sl.jwt &&
    expect 1 "status_list_verify, another key" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key peer-sl-other.pub \
      peer-sl.jwt &&
    expect 1 "status_list_verify, 39 expected VALID" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key peer-sl.pub \
      --size 40 --expect 0=1,21=2 peer-sl.jwt; then
    pass peer.status-list-roundtrip
  else fail peer.status-list-roundtrip "$REASON"; fi

  if [ -n "$MISSING_VECTORS" ]; then
    missing_data peer.vectors "$MISSING_VECTORS"
    return
  fi
  local name kind expect file key nonce aud at payload args want
  while IFS=$'\t' read -r name kind expect file key nonce aud at payload; do
    args=(--issuer-key "$key" --at "$at")
    case "$kind" in
      kb | json-kb) args+=(--nonce "$nonce" --audience "$aud") ;;
      *) args+=(--no-kb) ;;
    esac
    [ "$payload" != - ] && args+=(--expected-payload "$payload")
    want=0
    [ "$expect" = invalid ] && want=1
    if expect "$want" "sdjwt_verify" py "$PEERS/sdjwt_verify.py" "${args[@]}" "$file"; then
      pass "peer.sdjwt-verify.$name"
    else fail "peer.sdjwt-verify.$name" "$REASON"; fi
  done < <(py "$LIB/vector_cases.py" sd-jwt "$VECTORS")

  local _set tr cert rk
  while IFS=$'\t' read -r name _set expect file tr cert at rk nonce aud; do
    args=(--issuer-cert "$cert" --transcript "$tr" --at "$at")
    [ "$rk" != - ] && args+=(--reader-key "$rk")
    want=0
    [ "$expect" = invalid ] && want=1
    if expect "$want" "mdoc_verify" "$NODE" "$PEERS/mdoc_verify.mjs" "${args[@]}" "$file"; then
      pass "peer.mdoc-verify.$name"
    else fail "peer.mdoc-verify.$name" "$REASON"; fi
  done < <(py "$LIB/vector_cases.py" mdoc "$VECTORS")
}

# =========================================================================================
# wallet: one wallet for every scenario
# =========================================================================================
W="$WORK/W.db"
HOLDER="$WORK/holder.jwk.json"
WALLET_OK=0
wallet_setup() {
  if ok "wallet init" lz wallet init --db "$W" --insecure-fast-kdf &&
    assert "24 words" py -c 'import re,sys; w=re.findall(r"\b[a-z]{3,8}\b", open(sys.argv[1]).read()); sys.exit(0 if len(w) >= 24 else print(f"{len(w)} words printed, 24 expected") or 1)' "$OUT"; then
    pass wallet.init
  else
    fail wallet.init "$REASON"
    fail_all "needs wallet.init" wallet.holder-key
    return
  fi
  if ok "wallet holder-key" lz wallet holder-key --db "$W" --out "$HOLDER" &&
    assert "holder key" chk public-jwk "$HOLDER"; then
    pass wallet.holder-key
    WALLET_OK=1
  else fail wallet.holder-key "$REASON"; fi
}

# import FILE [wallet import options] -> sets CRED_ID, or REASON
import_cred() {
  ok "wallet import" lz wallet import --db "$W" "$@" || return 1
  CRED_ID="$(chk credential-id "$OUT")" || { REASON="wallet import: no credential id in its output"; return 1; }
  ok "wallet list" lz wallet list --db "$W" --json || return 1
  assert "wallet list" grep -qF -- "$CRED_ID" "$OUT" || { REASON="wallet list --json does not show $CRED_ID"; return 1; }
}

# =========================================================================================
# a: reference-issued SD-JWT VC to our holder key
# =========================================================================================
ISSUER="$WORK/issuer"
scenario_a() {
  local names=(a.import a.verify-laissez a.verify-reference)
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${names[@]}"; return; }
  local n
  n="$(rand)"
  if ! { ok "keygen" py "$PEERS/keygen.py" --private a-iss.jwk --public a-iss.pub &&
    ok "sdjwt_issue (reference)" py "$PEERS/sdjwt_issue.py" --issuer-key a-iss.jwk --holder-key "$HOLDER" \
      --vct "$VCT" --claims claims-sdjwt.json --out a-cred.txt; }; then
    fail_all "peer: $REASON" "${names[@]}"
    return
  fi
  # The reference issuer puts no certificate in the credential: the holder is given its key.
  if import_cred a-cred.txt --issuer-key a-iss.pub && A_ID="$CRED_ID" &&
    ok "wallet present" lz wallet present --db "$W" "$A_ID" --claims "$SD_PRESENT" --nonce "$n" --audience "$AUD" \
      --out a-pres.txt; then
    pass a.import
  else
    fail a.import "$REASON"
    fail_all "needs a.import" a.verify-laissez a.verify-reference
    return
  fi
  if ok "verify-presentation" lz verify-presentation --trust-key a-iss.pub --nonce "$n" --audience "$AUD" --json a-pres.txt &&
    assert "verifier output" chk text "$OUT" --present "$SD_PRESENT_VALUES" --absent "$SD_ABSENT_VALUES"; then
    pass a.verify-laissez
  else fail a.verify-laissez "$REASON"; fi
  if ok "reference verifier" py "$PEERS/sdjwt_verify.py" --issuer-key a-iss.pub --nonce "$n" --audience "$AUD" \
    --kb-max-age 600 a-pres.txt && cp "$OUT" a-ref.json &&
    assert "disclosed" chk disclosed sd-jwt a-ref.json "$SD_PRESENT"; then
    pass a.verify-reference
  else fail a.verify-reference "$REASON"; fi
}

# =========================================================================================
# b: laissez-issued SD-JWT VC
# =========================================================================================
ISSUER_OK=0
# ---- l: the signed portrait -------------------------------------------------------------
scenario_l() {
  local names=(l.issue-sd-jwt l.verify-reference l.issue-mdoc l.verify-auth0 l.verify-laissez)
  [ "$ISSUER_OK" = 1 ] || { fail_all "needs issuer.new" "${names[@]}"; return; }
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${names[@]}"; return; }
  # the vendored public-domain face; the default portrait is deterministic, so the JPEG the
  # issuer signs is the vendored one (wallet-core/tests/portrait.rs checks the same)
  local face="$ROOT/wallet-core/tests/data/portrait/astronaut-240x300.jpg"
  local signed="$ROOT/wallet-core/tests/data/portrait/astronaut-80x100-q30-grey.jpg"
  if ok "issuer issue --portrait (sd-jwt)" lz issuer issue --issuer "$ISSUER" --format sd-jwt --type "$VCT" \
    --claims claims-sdjwt.json --holder-key "$HOLDER" --portrait "$face" --out l-cred.txt; then
    pass l.issue-sd-jwt
    local nonce
    nonce="$(rand)"
    if import_cred l-cred.txt &&
      ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims given_name,picture --nonce "$nonce" \
        --audience "$AUD" --out l-pres.txt &&
      ok "reference verifier" py "$PEERS/sdjwt_verify.py" --trust-cert "$ISSUER/iaca.cert.pem" --nonce "$nonce" \
        --audience "$AUD" --kb-max-age 600 --expect-typ dc+sd-jwt l-pres.txt && cp "$OUT" l-ref.json &&
      assert "picture" chk portrait sd-jwt l-ref.json "$signed"; then
      pass l.verify-reference
    else fail l.verify-reference "$REASON"; fi
  else
    fail l.issue-sd-jwt "$REASON"
    fail l.verify-reference "needs l.issue-sd-jwt"
  fi
  if ! ok "issuer issue --portrait (mdoc)" lz issuer issue --issuer "$ISSUER" --format mdoc --type "$DOCTYPE" \
    --claims claims-mdoc.json --holder-key "$HOLDER" --portrait "$face" --out l-cred.cbor; then
    fail_all "$REASON" l.issue-mdoc l.verify-auth0 l.verify-laissez
    return
  fi
  pass l.issue-mdoc
  local nonce
  nonce="$(rand)"
  if ! { import_cred l-cred.cbor &&
    ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "given_name,$MDL_NS/portrait" \
      --nonce "$nonce" --audience "$AUD" --out l-pres.cbor --transcript-out l-t.cbor; }; then
    fail_all "$REASON" l.verify-auth0 l.verify-laissez
    return
  fi
  if ok "@auth0/mdl verifier" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$ISSUER/iaca.cert.pem" \
    --transcript l-t.cbor l-pres.cbor && cp "$OUT" l-auth0.json &&
    assert "portrait" chk portrait mdoc l-auth0.json "$signed"; then
    pass l.verify-auth0
  else fail l.verify-auth0 "$REASON"; fi
  if ok "verify-presentation" lz verify-presentation --trust-key "$ISSUER/iaca.cert.pem" --nonce "$nonce" \
    --audience "$AUD" --json l-pres.cbor && cp "$OUT" l-laissez.json &&
    assert "portrait" chk portrait laissez l-laissez.json "$signed"; then
    pass l.verify-laissez
  else fail l.verify-laissez "$REASON"; fi
}
issuer_setup() {
  # --country UT: the mdoc claims say issuing_country UT, which must be the certificates' C
  if ok "issuer new" lz issuer new --country UT --out "$ISSUER" && assert "issuer dir" chk issuer-dir "$ISSUER"; then
    pass issuer.new
    ISSUER_OK=1
  else fail issuer.new "$REASON"; fi
}
B_NONCE="" B_PRES=""
scenario_b() {
  [ "$ISSUER_OK" = 1 ] || { fail_all "needs issuer.new" b.issue b.issue-reference b.verify-reference; return; }
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" b.issue b.issue-reference b.verify-reference; return; }
  if ok "issuer issue" lz issuer issue --issuer "$ISSUER" --format sd-jwt --type "$VCT" --claims claims-sdjwt.json \
    --holder-key "$HOLDER" --out b-cred.txt &&
    assert "issued SD-JWT VC" chk sdjwt-issued b-cred.txt "$HOLDER" "$VCT" claims-sdjwt.json "$ISSUER"; then
    pass b.issue
  else
    fail b.issue "$REASON"
    fail_all "needs b.issue" b.issue-reference b.verify-reference
    return
  fi
  # the reference verifier on the credential as issued (no KB): signature, digests. It
  # trusts the authority's root, as a deployment would: the script checks x5c up to it and
  # iss against the leaf's SAN with `cryptography`, then gives the reference the leaf's key.
  if ok "reference verifier (issuance)" py "$PEERS/sdjwt_verify.py" --trust-cert "$ISSUER/iaca.cert.pem" --no-kb \
    --expect-typ dc+sd-jwt b-cred.txt && cp "$OUT" b-ref-iss.json &&
    assert "all claims disclosable" chk disclosed sd-jwt b-ref-iss.json "$(py -c 'import json
c = json.load(open("claims-sdjwt.json"))
# every claim, and the members of object claims (laissez discloses those recursively)
print(",".join(list(c) + [m for v in c.values() if isinstance(v, dict) for m in v]))')"; then
    pass b.issue-reference
  else fail b.issue-reference "$REASON"; fi
  B_NONCE="$(rand)"
  if import_cred b-cred.txt && B_ID="$CRED_ID" &&
    ok "wallet present" lz wallet present --db "$W" "$B_ID" --claims "$SD_PRESENT" --nonce "$B_NONCE" \
      --audience "$AUD" --out b-pres.txt &&
    ok "reference verifier" py "$PEERS/sdjwt_verify.py" --trust-cert "$ISSUER/iaca.cert.pem" --nonce "$B_NONCE" \
      --audience "$AUD" --kb-max-age 600 --expect-typ dc+sd-jwt b-pres.txt && cp "$OUT" b-ref.json &&
    assert "disclosed" chk disclosed sd-jwt b-ref.json "$SD_PRESENT"; then
    pass b.verify-reference
    B_PRES="$WORK/b-pres.txt"
  else fail b.verify-reference "$REASON"; fi
}

# =========================================================================================
# c: pymdoccbor-issued mdoc to our holder key
# =========================================================================================
scenario_c() {
  local names=(c.import c.verify-laissez c.verify-auth0 c.transcript c.import-document c.import-issuer-signed)
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${names[@]}"; return; }
  local n
  n="$(rand)"
  if ! { ok "keygen" py "$PEERS/keygen.py" --private c-iss.jwk --public c-iss.pub --cert c-iss.pem &&
    ok "mdoc_issue (pymdoccbor)" py "$PEERS/mdoc_issue.py" --issuer-key c-iss.jwk --issuer-cert c-iss.pem \
      --holder-key "$HOLDER" --claims claims-mdoc.json --doctype "$DOCTYPE" --out c-cred.cbor &&
    ok "oid4vp_transcript" py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$n" --out c-t-peer.cbor; }; then
    fail_all "peer: $REASON" "${names[@]}"
    return
  fi
  if import_cred c-cred.cbor && C_ID="$CRED_ID" &&
    ok "wallet present" lz wallet present --db "$W" "$C_ID" --claims "$MDOC_PRESENT" --nonce "$n" --audience "$AUD" \
      --out c-pres.cbor --transcript-out c-t.cbor; then
    pass c.import
  else
    fail c.import "$REASON"
    fail_all "needs c.import" c.verify-laissez c.verify-auth0 c.transcript
  fi
  if [ -f c-pres.cbor ]; then
    if ok "verify-presentation" lz verify-presentation --trust-key c-iss.pem --nonce "$n" --audience "$AUD" --json c-pres.cbor &&
      assert "verifier output" chk text "$OUT" --present "$MDOC_PRESENT_VALUES" --absent "$MDOC_ABSENT_VALUES"; then
      pass c.verify-laissez
    else fail c.verify-laissez "$REASON"; fi
    if ok "@auth0/mdl verifier" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert c-iss.pem --transcript c-t.cbor c-pres.cbor &&
      cp "$OUT" c-auth0.json && assert "disclosed" chk disclosed mdoc c-auth0.json "$MDOC_PRESENT"; then
      pass c.verify-auth0
    else fail c.verify-auth0 "$REASON"; fi
    if assert "transcript" chk same-transcript c-t.cbor c-t-peer.cbor; then
      pass c.transcript
    else fail c.transcript "laissez --transcript-out vs OpenID4VP 1.0 computed by oid4vp_transcript.py: $REASON"; fi
  fi
  # the other two forms our importer takes: a bare Document and a bare IssuerSigned
  local form
  for form in document issuer-signed; do
    if ok "mdoc_issue --form $form" py "$PEERS/mdoc_issue.py" --issuer-key c-iss.jwk --issuer-cert c-iss.pem \
      --holder-key "$HOLDER" --claims claims-mdoc.json --doctype "$DOCTYPE" --form "$form" --out "c-cred-$form.cbor" &&
      import_cred "c-cred-$form.cbor" &&
      ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$MDOC_PRESENT" --nonce "$n" \
        --audience "$AUD" --out "c-pres-$form.cbor" &&
      ok "verify-presentation" lz verify-presentation --trust-key c-iss.pem --nonce "$n" --audience "$AUD" "c-pres-$form.cbor"; then
      pass "c.import-$form"
    else fail "c.import-$form" "$REASON"; fi
  done
}

# =========================================================================================
# d: laissez-issued mdoc, verified by @auth0/mdl
# =========================================================================================
D_NONCE="" D_PRES="" D_T=""
scenario_d() {
  local names=(d.issue d.issue-pymdoccbor d.verify-auth0 d.transcript d.verify-laissez)
  [ "$ISSUER_OK" = 1 ] || { fail_all "needs issuer.new" "${names[@]}"; return; }
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${names[@]}"; return; }
  if ok "issuer issue" lz issuer issue --issuer "$ISSUER" --format mdoc --type "$DOCTYPE" --claims claims-mdoc.json \
    --holder-key "$HOLDER" --out d-cred.cbor &&
    assert "x5chain" chk mdoc-x5chain d-cred.cbor "$ISSUER"; then
    pass d.issue
  else
    fail_all "$REASON" "${names[@]}"
    return
  fi
  # the peers trust the authority (IACA) root only, as a reader would; the mdoc carries the
  # document signer's certificate
  if ok "pymdoccbor verifier (issuance)" py "$PEERS/mdoc_issuer_verify.py" --issuer-cert "$ISSUER/iaca.cert.pem" \
    --holder-key "$HOLDER" --doctype "$DOCTYPE" d-cred.cbor; then
    pass d.issue-pymdoccbor
  else fail d.issue-pymdoccbor "$REASON"; fi
  D_NONCE="$(rand)"
  # one claim with an explicit namespace: `namespace/element` must work too
  if ! { import_cred d-cred.cbor && D_ID="$CRED_ID" &&
    ok "wallet present" lz wallet present --db "$W" "$D_ID" --claims "$MDL_NS/family_name,given_name" \
      --nonce "$D_NONCE" --audience "$AUD" --out d-pres.cbor --transcript-out d-t.cbor; }; then
    fail_all "$REASON" d.verify-auth0 d.transcript d.verify-laissez
    return
  fi
  D_PRES="$WORK/d-pres.cbor" D_T="$WORK/d-t.cbor"
  if ok "@auth0/mdl verifier" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$ISSUER/iaca.cert.pem" \
    --transcript d-t.cbor d-pres.cbor && cp "$OUT" d-auth0.json &&
    assert "disclosed" chk disclosed mdoc d-auth0.json "$MDOC_PRESENT"; then
    pass d.verify-auth0
  else fail d.verify-auth0 "$REASON"; fi
  if ok "oid4vp_transcript" py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$D_NONCE" --out d-t-peer.cbor &&
    assert "transcript" chk same-transcript d-t.cbor d-t-peer.cbor; then
    pass d.transcript
  else fail d.transcript "laissez --transcript-out vs OpenID4VP 1.0 computed by oid4vp_transcript.py: $REASON"; fi
  if ok "verify-presentation" lz verify-presentation --trust-key "$ISSUER/iaca.cert.pem" --nonce "$D_NONCE" \
    --audience "$AUD" --json d-pres.cbor &&
    assert "verifier output" chk text "$OUT" --present "$MDOC_PRESENT_VALUES" --absent "$MDOC_ABSENT_VALUES"; then
    pass d.verify-laissez
  else fail d.verify-laissez "$REASON"; fi
}

# =========================================================================================
# e: tampered and replayed presentations are rejected by both sides
# =========================================================================================
# both_reject NAME LAISSEZ_ARGS... -- PEER_CMD...: laissez must exit 1 and the peer must exit 1
both_reject() {
  local name="$1"
  shift
  local lzargs=()
  while [ "$1" != "--" ]; do lzargs+=("$1"); shift; done
  shift
  local ours peer
  r lz verify-presentation "${lzargs[@]}"
  ours=$RC
  local ours_tail
  ours_tail="$(tail_of)"
  r "$@"
  peer=$RC
  if [ "$ours" = 1 ] && [ "$peer" = 1 ]; then
    pass "$name"
  elif [ "$ours" != 1 ]; then
    fail "$name" "laissez verify-presentation exit $ours, expected 1: $ours_tail"
  else
    fail "$name" "peer exit $peer, expected 1: $(tail_of)"
  fi
}
scenario_e() {
  if [ -n "$B_PRES" ]; then
    # both sides trust the authority's root (the peer: x5c checked with `cryptography`)
    local key="$ISSUER/iaca.cert.pem" other
    other="$(rand)"
    py "$PEERS/tamper.py" sd-jwt-disclosure "$B_PRES" e-sd-disclosure.txt >/dev/null
    both_reject e.sdjwt-tampered-disclosure --trust-key "$key" --nonce "$B_NONCE" --audience "$AUD" e-sd-disclosure.txt -- \
      py "$PEERS/sdjwt_verify.py" --trust-cert "$key" --nonce "$B_NONCE" --audience "$AUD" e-sd-disclosure.txt
    py "$PEERS/tamper.py" sd-jwt-kb-signature "$B_PRES" e-sd-kbsig.txt >/dev/null
    both_reject e.sdjwt-tampered-kb-signature --trust-key "$key" --nonce "$B_NONCE" --audience "$AUD" e-sd-kbsig.txt -- \
      py "$PEERS/sdjwt_verify.py" --trust-cert "$key" --nonce "$B_NONCE" --audience "$AUD" e-sd-kbsig.txt
    both_reject e.sdjwt-wrong-nonce --trust-key "$key" --nonce "$other" --audience "$AUD" "$B_PRES" -- \
      py "$PEERS/sdjwt_verify.py" --trust-cert "$key" --nonce "$other" --audience "$AUD" "$B_PRES"
    both_reject e.sdjwt-wrong-audience --trust-key "$key" --nonce "$B_NONCE" --audience "$AUD/other" "$B_PRES" -- \
      py "$PEERS/sdjwt_verify.py" --trust-cert "$key" --nonce "$B_NONCE" --audience "$AUD/other" "$B_PRES"
    # untrusted issuer: a key that did not sign it
    py "$PEERS/keygen.py" --private e-stranger.jwk --public e-stranger.pub >/dev/null
    both_reject e.sdjwt-untrusted-issuer --trust-key e-stranger.pub --nonce "$B_NONCE" --audience "$AUD" "$B_PRES" -- \
      py "$PEERS/sdjwt_verify.py" --issuer-key e-stranger.pub --nonce "$B_NONCE" --audience "$AUD" "$B_PRES"
  else
    fail_all "needs b.verify-reference" e.sdjwt-tampered-disclosure e.sdjwt-tampered-kb-signature e.sdjwt-wrong-nonce \
      e.sdjwt-wrong-audience e.sdjwt-untrusted-issuer
  fi
  if [ -n "$D_PRES" ]; then
    local cert="$ISSUER/iaca.cert.pem" other
    other="$(rand)"
    py "$PEERS/tamper.py" mdoc-element "$D_PRES" e-m-element.cbor >/dev/null
    both_reject e.mdoc-tampered-element --trust-key "$cert" --nonce "$D_NONCE" --audience "$AUD" e-m-element.cbor -- \
      "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$cert" --transcript "$D_T" e-m-element.cbor
    py "$PEERS/tamper.py" mdoc-device-signature "$D_PRES" e-m-devsig.cbor >/dev/null
    both_reject e.mdoc-tampered-device-signature --trust-key "$cert" --nonce "$D_NONCE" --audience "$AUD" e-m-devsig.cbor -- \
      "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$cert" --transcript "$D_T" e-m-devsig.cbor
    py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$other" --out e-m-other-t.cbor >/dev/null
    both_reject e.mdoc-wrong-nonce --trust-key "$cert" --nonce "$other" --audience "$AUD" "$D_PRES" -- \
      "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$cert" --transcript e-m-other-t.cbor "$D_PRES"
    py "$PEERS/keygen.py" --private e-stranger-m.jwk --public e-stranger-m.pub --cert e-stranger-m.pem >/dev/null
    both_reject e.mdoc-untrusted-issuer --trust-key e-stranger-m.pem --nonce "$D_NONCE" --audience "$AUD" "$D_PRES" -- \
      "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert e-stranger-m.pem --transcript "$D_T" "$D_PRES"
  else
    fail_all "needs d.verify-auth0" e.mdoc-tampered-element e.mdoc-tampered-device-signature e.mdoc-wrong-nonce \
      e.mdoc-untrusted-issuer
  fi
  # exit code 2 for input that is not a presentation at all (and not because the command
  # itself is unknown, which exits 2 too)
  if ok "verify-presentation --help" lz verify-presentation --help &&
    expect 2 "verify-presentation on a missing file" lz verify-presentation --trust-key "$HOLDER" --nonce x \
      --audience "$AUD" "$WORK/does-not-exist.txt"; then
    pass e.bad-input-exit-2
  else fail e.bad-input-exit-2 "$REASON"; fi
}

# =========================================================================================
# f: laissez verify-presentation on the published vectors
# =========================================================================================
scenario_f() {
  if [ -n "$MISSING_VECTORS" ]; then
    missing_data f.vectors "$MISSING_VECTORS (they live in ../shared/vectors next to the repo)"
    return
  fi
  local name kind expect file key nonce aud at payload want
  while IFS=$'\t' read -r name kind expect file key nonce aud at payload; do
    [ "$kind" = kb ] || continue # laissez verifies presentations with Key Binding
    want=0
    [ "$expect" = invalid ] && want=1
    # Laissez verifies SD-JWT VCs (typ dc+sd-jwt). The plain SD-JWT examples of the SD-JWT
    # draft (typ example+sd-jwt) must be refused as not VCs; the library-level vector tests
    # (wallet-core/tests/sdjwt_vectors.rs) verify them with the plain SD-JWT profile.
    if [ "$want" = 0 ] && ! py -c 'import sys,json,base64
h=open(sys.argv[1]).read().split(".")[0]; h+="="*(-len(h)%4)
sys.exit(0 if json.loads(base64.urlsafe_b64decode(h)).get("typ")=="dc+sd-jwt" else 1)' "$file"; then
      if expect 1 "verify-presentation" lz verify-presentation --trust-key "$key" --nonce "$nonce" \
        --audience "$aud" --at "$at" --json "$file" && grep -q wrong_credential_type "$OUT"; then
        pass "f.sdjwt.$name (plain SD-JWT, refused as not a VC)"
      else fail "f.sdjwt.$name" "${REASON:-plain SD-JWT not refused with wrong_credential_type}"; fi
      continue
    fi
    if expect "$want" "verify-presentation" lz verify-presentation --trust-key "$key" --nonce "$nonce" \
      --audience "$aud" --at "$at" "$file"; then
      pass "f.sdjwt.$name"
    else fail "f.sdjwt.$name" "$REASON"; fi
  done < <(py "$LIB/vector_cases.py" sd-jwt "$VECTORS")

  local _set tr cert rk raw rawt
  while IFS=$'\t' read -r name _set expect file tr cert at rk nonce aud; do
    if [ "$rk" != - ]; then
      skip "f.mdoc.$name" "deviceMac: needs the reader's ephemeral key, which verify-presentation does not take"
      continue
    fi
    # hex -> raw bytes; the transcript as the bare SessionTranscript (what --transcript-out writes)
    raw="$WORK/f-$name.cbor"
    rawt="$WORK/f-$name-t.cbor"
    py -c 'import sys,cbor2; b=bytes.fromhex(open(sys.argv[1]).read().strip()); open(sys.argv[2],"wb").write(b)
t=bytes.fromhex(open(sys.argv[3]).read().strip()); v=cbor2.loads(t)
open(sys.argv[4],"wb").write(v.value if isinstance(v,cbor2.CBORTag) and v.tag==24 else t)' "$file" "$raw" "$tr" "$rawt"
    want=0
    [ "$expect" = invalid ] && want=1
    [ "$at" = now ] && at="$(date +%s)"
    if expect "$want" "verify-presentation" lz verify-presentation --trust-key "$cert" \
      --transcript "$rawt" --at "$at" "$raw"; then
      pass "f.mdoc.$name"
    else fail "f.mdoc.$name" "$REASON"; fi
  done < <(py "$LIB/vector_cases.py" mdoc "$VECTORS")
}

# =========================================================================================
# g: holders no one here wrote, verified by laissez
# =========================================================================================
scenario_g() {
  local n
  n="$(rand)"
  py "$PEERS/keygen.py" --private g-h.jwk --public g-h.pub >/dev/null
  if [ "$ISSUER_OK" = 1 ]; then
    if ok "issuer issue" lz issuer issue --issuer "$ISSUER" --format sd-jwt --type "$VCT" --claims claims-sdjwt.json \
      --holder-key g-h.pub --out g-sd.txt &&
      ok "reference holder" py "$PEERS/sdjwt_present.py" --holder-key g-h.jwk --claims "$SD_PRESENT" --nonce "$n" \
        --audience "$AUD" --out g-sd-p.txt g-sd.txt &&
      ok "verify-presentation" lz verify-presentation --trust-key "$ISSUER/iaca.cert.pem" --nonce "$n" \
        --audience "$AUD" --json g-sd-p.txt &&
      assert "verifier output" chk text "$OUT" --present "$SD_PRESENT_VALUES" --absent "$SD_ABSENT_VALUES"; then
      pass g.sdjwt-reference-holder
    else fail g.sdjwt-reference-holder "$REASON"; fi
    if ok "issuer issue" lz issuer issue --issuer "$ISSUER" --format mdoc --type "$DOCTYPE" --claims claims-mdoc.json \
      --holder-key g-h.pub --out g-m.cbor &&
      ok "oid4vp_transcript" py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$n" --out g-t.cbor &&
      ok "@auth0/mdl holder" "$NODE" "$PEERS/mdoc_present.mjs" --holder-key g-h.jwk --transcript g-t.cbor \
        --claims "$MDOC_PRESENT" --out g-m-p.cbor g-m.cbor &&
      ok "verify-presentation" lz verify-presentation --trust-key "$ISSUER/iaca.cert.pem" --nonce "$n" \
        --audience "$AUD" --json g-m-p.cbor &&
      assert "verifier output" chk text "$OUT" --present "$MDOC_PRESENT_VALUES" --absent "$MDOC_ABSENT_VALUES"; then
      pass g.mdoc-auth0-holder
    else fail g.mdoc-auth0-holder "$REASON"; fi
  else
    fail_all "needs issuer.new" g.sdjwt-reference-holder g.mdoc-auth0-holder
  fi
  # no laissez code but the verifier: pymdoccbor issues, @auth0/mdl presents
  if ok "keygen" py "$PEERS/keygen.py" --private g-mi.jwk --public g-mi.pub --cert g-mi.pem &&
    ok "mdoc_issue" py "$PEERS/mdoc_issue.py" --issuer-key g-mi.jwk --issuer-cert g-mi.pem --holder-key g-h.pub \
      --claims claims-mdoc.json --out g-pm.cbor &&
    ok "oid4vp_transcript" py "$PEERS/oid4vp_transcript.py" --client-id "$AUD" --nonce "$n" --out g-t.cbor &&
    ok "@auth0/mdl holder" "$NODE" "$PEERS/mdoc_present.mjs" --holder-key g-h.jwk --transcript g-t.cbor \
      --claims "$MDOC_PRESENT" --out g-pm-p.cbor g-pm.cbor &&
    ok "verify-presentation" lz verify-presentation --trust-key g-mi.pem --nonce "$n" --audience "$AUD" --json g-pm-p.cbor &&
    assert "verifier output" chk text "$OUT" --present "$MDOC_PRESENT_VALUES" --absent "$MDOC_ABSENT_VALUES"; then
    pass g.mdoc-pymdoccbor-auth0-holder
  else fail g.mdoc-pymdoccbor-auth0-holder "$REASON"; fi
}

# =========================================================================================
# h: Token Status Lists (draft-ietf-oauth-status-list-20) with @sd-jwt/jwt-status-list
# =========================================================================================
HV="$WORK/h-verifier.db"
H_TYPE="https://credentials.interop.example/status"
H_DOCTYPE="org.example.interop.status.1"
# h_credential NAME FORMAT TYPE URI INDEX STATE: laissez issues a credential with that status
# entry to our holder key; the holder answers a request for it; `verifier verify --json` must
# give STATE (exit 0 for valid, 1 otherwise) for that URI and index
h_credential() {
  local name="$1" format="$2" type="$3" uri="$4" index="$5" state="$6" want=1 claims="claims-sdjwt.json"
  [ "$state" = valid ] && want=0
  [ "$format" = mdoc ] && claims="claims-mdoc.json"
  # The verifier has no registration certificate (group o covers those): the holder answers an
  # unverified verifier after acknowledging it; what is checked here is the status list.
  if ok "issuer issue" lz issuer issue --issuer "$ISSUER" --format "$format" --type "$type" --claims "$claims" \
    --holder-key "$HOLDER" --status-index "$index" --status-uri "$uri" --out "h-$name.cred" &&
    import_cred "h-$name.cred" &&
    ok "verifier request" lz verifier request --db "$HV" --type "$type" --claims given_name --out "h-$name-req.png" &&
    ok "wallet respond" lz wallet respond --db "$W" --request "h-$name-req.png" --accept-unverified \
      --frames-dir "h-$name-frames" &&
    expect "$want" "verifier verify" lz verifier verify --db "$HV" --json "h-$name-frames"/*.png &&
    assert "verdict" chk status-verdict "$OUT" "$state" "$uri" "$index"; then
    pass "h.peer-list-$name"
  else fail "h.peer-list-$name" "$REASON"; fi
}
scenario_h() {
  local to_peer=(h.laissez-list-1bit h.laissez-list-2bit h.laissez-list-wrong-key)
  local to_laissez=(h.peer-list-import h.peer-list-revoked h.peer-list-valid h.peer-list-suspended
    h.peer-list-mdoc-revoked h.peer-list-wrong-key)
  [ "$ISSUER_OK" = 1 ] || { fail_all "needs issuer.new" "${to_peer[@]}" "${to_laissez[@]}"; return; }
  local pub="$ISSUER/issuer.pub.json"

  # laissez -> peer: jose verifies the ES256 signature with the issuer's public JWK, the
  # library decodes the list; every entry below --size must be what was asked (0 elsewhere)
  if ok "issuer status-list" lz issuer status-list --issuer "$ISSUER" --uri "$SL_URI/laissez-1" --size 1024 \
    --revoke 0,7,8,513,1023 --out h-l1.jwt &&
    ok "status_list_verify" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key "$pub" --uri "$SL_URI/laissez-1" \
      --bits 1 --size 1024 --expect 0=1,7=1,8=1,513=1,1023=1 h-l1.jwt; then
    pass h.laissez-list-1bit
  else fail h.laissez-list-1bit "$REASON"; fi
  # 250 2-bit entries: 62.5 bytes, so the last byte is half padding
  if ok "issuer status-list" lz issuer status-list --issuer "$ISSUER" --uri "$SL_URI/laissez-2" --size 250 \
    --revoke 0,50,131 --suspend 1,130,249 --out h-l2.jwt &&
    ok "status_list_verify" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key "$pub" --uri "$SL_URI/laissez-2" \
      --bits 2 --size 250 --expect 0=1,50=1,131=1,1=2,130=2,249=2 h-l2.jwt; then
    pass h.laissez-list-2bit
  else fail h.laissez-list-2bit "$REASON"; fi
  if ok "keygen" py "$PEERS/keygen.py" --private h-stranger.jwk --public h-stranger.pub &&
    ok "issuer status-list" lz issuer status-list --issuer "$ISSUER" --uri "$SL_URI/laissez-1" --size 16 --out h-l3.jwt &&
    expect 1 "status_list_verify, another key" "$NODE" "$PEERS/status_list_verify.mjs" --issuer-key h-stranger.pub \
      h-l3.jwt &&
    assert "refused for its signature" chk text "$OUT" --present '"check": "jws'; then
    pass h.laissez-list-wrong-key
  else fail h.laissez-list-wrong-key "$REASON"; fi

  # peer -> laissez: a verifier store trusting the issuer (signed trust list), lists the
  # library builds and jose signs with the issuer's private JWK
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${to_laissez[@]}"; return; }
  if ! { ok "verifier init" lz verifier init --db "$HV" --insecure-fast-kdf &&
    ok "trust new-signer" lz trust new-signer --out h-signer &&
    ok "trust build" lz trust build --sequence 1 --issuer "Interop issuer=$ISSUER/issuer.cert.pem" --out h-trust.json &&
    ok "trust sign" lz trust sign --signer h-signer --in h-trust.json --out h-trust.jwt &&
    ok "trust import" lz trust import --db "$HV" --signer-key h-signer/signer.pub.json h-trust.jwt; }; then
    fail_all "verifier setup: $REASON" "${to_laissez[@]}"
    return
  fi
  if ok "status_list_issue" "$NODE" "$PEERS/status_list_issue.mjs" --issuer-key "$ISSUER/issuer.key.json" \
    --uri "$SL_URI/peer-1" --size 256 --set 0=1,13=1,255=1 --out h-p1.jwt &&
    ok "status_list_issue" "$NODE" "$PEERS/status_list_issue.mjs" --issuer-key "$ISSUER/issuer.key.json" \
      --uri "$SL_URI/peer-2" --bits 2 --size 64 --set 6=2,7=1,63=2 --out h-p2.jwt &&
    ok "verifier status" lz verifier status --db "$HV" h-p1.jwt h-p2.jwt &&
    assert "verifier status output" chk text "$OUT" --present "$SL_URI/peer-1,$SL_URI/peer-2,Interop issuer"; then
    pass h.peer-list-import
    # neighbours of differing values: a wrong bit order would swap the verdicts
    h_credential revoked sd-jwt "$H_TYPE/revoked" "$SL_URI/peer-1" 13 revoked
    h_credential valid sd-jwt "$H_TYPE/valid" "$SL_URI/peer-1" 12 valid
    h_credential suspended sd-jwt "$H_TYPE/suspended" "$SL_URI/peer-2" 6 suspended
    h_credential mdoc-revoked mdoc "$H_DOCTYPE" "$SL_URI/peer-2" 7 revoked
  else
    fail h.peer-list-import "$REASON"
    fail_all "needs h.peer-list-import" h.peer-list-revoked h.peer-list-valid h.peer-list-suspended h.peer-list-mdoc-revoked
  fi
  # a list of the same URI, all VALID, signed with a key not on the trust list
  if ok "status_list_issue" "$NODE" "$PEERS/status_list_issue.mjs" --issuer-key h-stranger.jwk \
    --uri "$SL_URI/peer-1" --size 256 --out h-px.jwt &&
    expect 1 "verifier status (another key)" lz verifier status --db "$HV" h-px.jwt &&
    assert "refusal" chk text "$ERR" --present "no trusted issuer"; then
    pass h.peer-list-wrong-key
  else fail h.peer-list-wrong-key "$REASON"; fi
}

# =========================================================================================
want peer && peer_checks
# e checks the presentations made in b and d
want e && { want b || ONLY="$ONLY,b"; want d || ONLY="$ONLY,d"; }
# =========================================================================================
# i: issuer signatures in ES384 and EdDSA (issue 13 item 3), both directions
# =========================================================================================
scenario_i() {
  local curve alg tag n
  for pair in "P-384:ES384" "Ed25519:EdDSA"; do
    curve="${pair%%:*}" alg="${pair#*:}" tag="$(echo "$alg" | tr '[:upper:]' '[:lower:]')"
    local names=("i.$tag.reference-issued" "i.$tag.laissez-issued")
    [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${names[@]}"; continue; }
    # The reference issues with a P-384 or Ed25519 key; Laissez imports, presents and verifies,
    # and the reference verifier checks Laissez's presentation.
    n="$(rand)"
    if ok "keygen $curve" py "$PEERS/keygen.py" --curve "$curve" --private "i-$tag.jwk" --public "i-$tag.pub" &&
      ok "sdjwt_issue (reference, $alg)" py "$PEERS/sdjwt_issue.py" --issuer-key "i-$tag.jwk" --holder-key "$HOLDER" \
        --vct "$VCT" --claims claims-sdjwt.json --out "i-$tag-cred.txt" &&
      assert "the reference signed $alg" py -c 'import base64, json, sys
h = open(sys.argv[1]).read().split(".")[0]
sys.exit(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["alg"] != sys.argv[2])' "i-$tag-cred.txt" "$alg" &&
      import_cred "i-$tag-cred.txt" --issuer-key "i-$tag.pub" &&
      ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$SD_PRESENT" --nonce "$n" \
        --audience "$AUD" --out "i-$tag-pres.txt" &&
      ok "verify-presentation" lz verify-presentation --trust-key "i-$tag.pub" --nonce "$n" --audience "$AUD" \
        --json "i-$tag-pres.txt" &&
      assert "verifier output" chk text "$OUT" --present "$SD_PRESENT_VALUES" --absent "$SD_ABSENT_VALUES" &&
      ok "reference verifier" py "$PEERS/sdjwt_verify.py" --issuer-key "i-$tag.pub" --nonce "$n" --audience "$AUD" \
        --kb-max-age 600 "i-$tag-pres.txt" && cp "$OUT" "i-$tag-ref.json" &&
      assert "disclosed" chk disclosed sd-jwt "i-$tag-ref.json" "$SD_PRESENT"; then
      pass "i.$tag.reference-issued"
    else fail "i.$tag.reference-issued" "$REASON"; fi
    # Laissez issues with `issuer new --alg`; the reference verifier checks the credential and a
    # presentation of it.
    n="$(rand)"
    if ok "issuer new --alg $alg" lz issuer new --alg "$alg" --out "$WORK/issuer-$tag" &&
      ok "issuer issue" lz issuer issue --issuer "$WORK/issuer-$tag" --format sd-jwt --type "$VCT" \
        --claims claims-sdjwt.json --holder-key "$HOLDER" --out "i-$tag-lz.txt" &&
      assert "Laissez signed $alg" py -c 'import base64, json, sys
h = open(sys.argv[1]).read().split(".")[0]
sys.exit(json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["alg"] != sys.argv[2])' "i-$tag-lz.txt" "$alg" &&
      ok "reference verifier (issuance)" py "$PEERS/sdjwt_verify.py" --issuer-key "$WORK/issuer-$tag/issuer.pub.json" \
        --no-kb --expect-typ dc+sd-jwt "i-$tag-lz.txt" &&
      import_cred "i-$tag-lz.txt" &&
      ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$SD_PRESENT" --nonce "$n" \
        --audience "$AUD" --out "i-$tag-lz-pres.txt" &&
      ok "reference verifier" py "$PEERS/sdjwt_verify.py" --issuer-key "$WORK/issuer-$tag/issuer.pub.json" \
        --nonce "$n" --audience "$AUD" --kb-max-age 600 --expect-typ dc+sd-jwt "i-$tag-lz-pres.txt" &&
      cp "$OUT" "i-$tag-lz-ref.json" && assert "disclosed" chk disclosed sd-jwt "i-$tag-lz-ref.json" "$SD_PRESENT"; then
      pass "i.$tag.laissez-issued"
    else fail "i.$tag.laissez-issued" "$REASON"; fi
  done
}

# =========================================================================================
# j: certificate chains (issue 13, items 1-2), both directions
# =========================================================================================
J_ISS="https://issuer.interop.example/chains"
# j_sdjwt_refused NAME REASON CRED: the reference holder (which checks nothing) presents CRED;
# laissez must refuse it with REASON and the reference verifier (x5c checked with
# cryptography against the same root) must refuse it too
j_sdjwt_refused() {
  local name="$1" reason="$2" cred="$3" root="$4" n
  n="$(rand)"
  if ok "reference holder" py "$PEERS/sdjwt_present.py" --holder-key j-h.jwk --claims "$SD_PRESENT" --nonce "$n" \
    --audience "$AUD" --out "$cred.p" "$cred" &&
    expect 1 "verify-presentation" lz verify-presentation --trust-key "$root" --nonce "$n" --audience "$AUD" \
      --json "$cred.p" &&
    assert "reason $reason" chk text "$OUT" --present "\"$reason\"" --absent "$SD_PRESENT_VALUES" &&
    expect 1 "reference verifier" py "$PEERS/sdjwt_verify.py" --trust-cert "$root" --nonce "$n" --audience "$AUD" \
      "$cred.p" &&
    assert "refused for the chain" chk text "$OUT" --present '"stage": "x509"'; then
    pass "$name"
  else fail "$name" "$REASON"; fi
}
scenario_j() {
  local curve tag n d
  local all=(j.sdjwt.p256.reference-issued j.sdjwt.p256.iss-mismatch j.sdjwt.p256.intermediate-missing
    j.sdjwt.p384.reference-issued j.sdjwt.p384.iss-mismatch j.sdjwt.p384.intermediate-missing
    j.sdjwt.laissez-issued j.sdjwt.laissez-second-signer j.mdoc.pymdoccbor-issued j.mdoc.other-iaca
    j.mdoc.laissez-issued)
  [ "$WALLET_OK" = 1 ] || { fail_all "needs wallet.holder-key" "${all[@]}"; return; }
  py "$PEERS/keygen.py" --private j-h.jwk --public j-h.pub >/dev/null
  for curve in P-256 P-384; do
    tag="p$(echo "$curve" | tr -dc 0-9)" d="j-$tag"
    # root -> intermediate -> leaf (URI SAN = iss), made with cryptography; the reference
    # issues with the leaf key and x5c = [leaf, intermediate]
    n="$(rand)"
    if ok "x509_chain $curve" py "$PEERS/x509_chain.py" --out-dir "$d" --curve "$curve" --san "$J_ISS" &&
      ok "sdjwt_issue (reference, x5c)" py "$PEERS/sdjwt_issue.py" --issuer-key "$d/leaf.jwk" --x5c "$d/x5c.pem" \
        --iss "$J_ISS" --holder-key "$HOLDER" --vct "$VCT" --claims claims-sdjwt.json --out "$d-cred.txt" &&
      import_cred "$d-cred.txt" &&
      ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$SD_PRESENT" --nonce "$n" \
        --audience "$AUD" --out "$d-pres.txt" &&
      ok "verify-presentation --trust-key ROOT" lz verify-presentation --trust-key "$d/root.pem" --nonce "$n" \
        --audience "$AUD" --json "$d-pres.txt" &&
      assert "verifier output" chk text "$OUT" --present "$SD_PRESENT_VALUES,\"name\": \"interop peer root CA\"" \
        --absent "$SD_ABSENT_VALUES" &&
      expect 1 "verify-presentation --trust-key OTHER-ROOT" lz verify-presentation --trust-key "$d/other-root.pem" \
        --nonce "$n" --audience "$AUD" --json "$d-pres.txt" &&
      assert "unknown_issuer" chk text "$OUT" --present '"unknown_issuer"' &&
      ok "reference verifier (x5c to the root)" py "$PEERS/sdjwt_verify.py" --trust-cert "$d/root.pem" --nonce "$n" \
        --audience "$AUD" --kb-max-age 600 "$d-pres.txt" && cp "$OUT" "$d-ref.json" &&
      assert "disclosed" chk disclosed sd-jwt "$d-ref.json" "$SD_PRESENT"; then
      pass "j.sdjwt.$tag.reference-issued"
    else fail "j.sdjwt.$tag.reference-issued" "$REASON"; fi
    # iss that is not the leaf's SAN; x5c without the intermediate
    if ok "sdjwt_issue (iss not the SAN)" py "$PEERS/sdjwt_issue.py" --issuer-key "$d/leaf.jwk" --x5c "$d/x5c.pem" \
      --iss "https://elsewhere.interop.example" --holder-key j-h.pub --vct "$VCT" --claims claims-sdjwt.json \
      --out "$d-iss.txt"; then
      j_sdjwt_refused "j.sdjwt.$tag.iss-mismatch" issuer_name_mismatch "$d-iss.txt" "$d/root.pem"
    else fail "j.sdjwt.$tag.iss-mismatch" "$REASON"; fi
    if ok "sdjwt_issue (x5c = leaf only)" py "$PEERS/sdjwt_issue.py" --issuer-key "$d/leaf.jwk" --x5c "$d/leaf.pem" \
      --iss "$J_ISS" --holder-key j-h.pub --vct "$VCT" --claims claims-sdjwt.json --out "$d-noint.txt"; then
      j_sdjwt_refused "j.sdjwt.$tag.intermediate-missing" unknown_issuer "$d-noint.txt" "$d/root.pem"
    else fail "j.sdjwt.$tag.intermediate-missing" "$REASON"; fi
  done

  # Laissez's chained SD-JWT VCs in the reference verifier, which is given only the root
  local lz="$WORK/j-issuer"
  n="$(rand)"
  if ok "issuer new" lz issuer new --country UT --identifier "$J_ISS/laissez" --out "$lz" &&
    ok "issuer issue" lz issuer issue --issuer "$lz" --format sd-jwt --type "$VCT" --claims claims-sdjwt.json \
      --holder-key "$HOLDER" --out j-lz.txt &&
    assert "x5c and iss" chk sdjwt-issued j-lz.txt "$HOLDER" "$VCT" claims-sdjwt.json "$lz" &&
    ok "reference verifier (issuance)" py "$PEERS/sdjwt_verify.py" --trust-cert "$lz/iaca.cert.pem" --no-kb \
      --expect-typ dc+sd-jwt j-lz.txt &&
    import_cred j-lz.txt &&
    ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$SD_PRESENT" --nonce "$n" \
      --audience "$AUD" --out j-lz-pres.txt &&
    ok "reference verifier" py "$PEERS/sdjwt_verify.py" --trust-cert "$lz/iaca.cert.pem" --nonce "$n" \
      --audience "$AUD" --kb-max-age 600 --expect-typ dc+sd-jwt j-lz-pres.txt && cp "$OUT" j-lz-ref.json &&
    assert "disclosed" chk disclosed sd-jwt j-lz-ref.json "$SD_PRESENT" &&
    assert "iss = SAN" chk text j-lz-ref.json --present "\"$J_ISS/laissez\""; then
    pass j.sdjwt.laissez-issued
  else fail j.sdjwt.laissez-issued "$REASON"; fi
  # a second signer certified by the same authority (`issuer new --authority`): the root
  # that trusted the first one trusts it; the first signer's certificate does not
  n="$(rand)"
  if [ -f "$lz/iaca.cert.pem" ] &&
    ok "issuer new --authority" lz issuer new --authority "$lz/authority" --identifier "$J_ISS/second" \
      --out "$WORK/j-issuer2" &&
    ok "issuer issue" lz issuer issue --issuer "$WORK/j-issuer2" --format sd-jwt --type "$VCT" \
      --claims claims-sdjwt.json --holder-key "$HOLDER" --out j-lz2.txt &&
    import_cred j-lz2.txt &&
    ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$SD_PRESENT" --nonce "$n" \
      --audience "$AUD" --out j-lz2-pres.txt &&
    ok "reference verifier" py "$PEERS/sdjwt_verify.py" --trust-cert "$lz/iaca.cert.pem" --nonce "$n" \
      --audience "$AUD" --kb-max-age 600 j-lz2-pres.txt && cp "$OUT" j-lz2-ref.json &&
    assert "disclosed" chk disclosed sd-jwt j-lz2-ref.json "$SD_PRESENT" &&
    expect 1 "reference verifier, the first signer's certificate as anchor" py "$PEERS/sdjwt_verify.py" \
      --trust-cert "$lz/issuer.cert.pem" --nonce "$n" --audience "$AUD" j-lz2-pres.txt &&
    ok "verify-presentation --trust-key ROOT" lz verify-presentation --trust-key "$lz/iaca.cert.pem" --nonce "$n" \
      --audience "$AUD" --json j-lz2-pres.txt &&
    expect 1 "verify-presentation --trust-key FIRST-SIGNER" lz verify-presentation --trust-key "$lz/issuer.cert.pem" \
      --nonce "$n" --audience "$AUD" --json j-lz2-pres.txt; then
    pass j.sdjwt.laissez-second-signer
  else fail j.sdjwt.laissez-second-signer "$REASON"; fi

  # pymdoccbor issues under an IACA -> document signer chain made with cryptography (Annex B
  # EKU); Laissez and @auth0/mdl trust the IACA only
  n="$(rand)"
  if ok "x509_chain --profile mdoc" py "$PEERS/x509_chain.py" --profile mdoc --out-dir j-m &&
    ok "mdoc_issue (pymdoccbor, x5chain = DS)" py "$PEERS/mdoc_issue.py" --issuer-key j-m/leaf.jwk \
      --issuer-cert j-m/leaf.pem --holder-key "$HOLDER" --claims claims-mdoc.json --doctype "$DOCTYPE" \
      --out j-m.cbor &&
    ok "pymdoccbor verifier (IACA)" py "$PEERS/mdoc_issuer_verify.py" --issuer-cert j-m/root.pem \
      --holder-key "$HOLDER" --doctype "$DOCTYPE" j-m.cbor &&
    import_cred j-m.cbor &&
    ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$MDOC_PRESENT" --nonce "$n" \
      --audience "$AUD" --out j-m-pres.cbor --transcript-out j-m-t.cbor &&
    ok "verify-presentation --trust-key IACA" lz verify-presentation --trust-key j-m/root.pem --nonce "$n" \
      --audience "$AUD" --json j-m-pres.cbor &&
    assert "verifier output" chk text "$OUT" --present "$MDOC_PRESENT_VALUES,\"name\": \"interop peer IACA\"" \
      --absent "$MDOC_ABSENT_VALUES" &&
    ok "@auth0/mdl verifier (IACA)" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert j-m/root.pem \
      --transcript j-m-t.cbor j-m-pres.cbor; then
    pass j.mdoc.pymdoccbor-issued
  else fail j.mdoc.pymdoccbor-issued "$REASON"; fi
  if [ -f j-m-pres.cbor ] &&
    expect 1 "verify-presentation --trust-key OTHER-IACA" lz verify-presentation --trust-key j-m/other-root.pem \
      --nonce "$n" --audience "$AUD" --json j-m-pres.cbor &&
    assert "unknown_issuer" chk text "$OUT" --present '"unknown_issuer"' --absent "$MDOC_PRESENT_VALUES" &&
    expect 1 "@auth0/mdl verifier (other IACA)" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert j-m/other-root.pem \
      --transcript j-m-t.cbor j-m-pres.cbor &&
    assert "certificate check failed" chk text "$OUT" --present "ISSUER_CERTIFICATE_VALIDITY"; then
    pass j.mdoc.other-iaca
  else fail j.mdoc.other-iaca "${REASON:-no presentation from j.mdoc.pymdoccbor-issued}"; fi
  # Laissez's chained DeviceResponse (second signer of the authority) in @auth0/mdl with only
  # the IACA as trusted certificate
  n="$(rand)"
  if [ -d "$WORK/j-issuer2" ] &&
    ok "issuer issue" lz issuer issue --issuer "$WORK/j-issuer2" --format mdoc --type "$DOCTYPE" \
      --claims claims-mdoc.json --holder-key "$HOLDER" --out j-lzm.cbor &&
    assert "x5chain" chk mdoc-x5chain j-lzm.cbor "$WORK/j-issuer2" &&
    import_cred j-lzm.cbor &&
    ok "wallet present" lz wallet present --db "$W" "$CRED_ID" --claims "$MDOC_PRESENT" --nonce "$n" \
      --audience "$AUD" --out j-lzm-pres.cbor --transcript-out j-lzm-t.cbor &&
    ok "@auth0/mdl verifier (IACA only)" "$NODE" "$PEERS/mdoc_verify.mjs" --issuer-cert "$lz/iaca.cert.pem" \
      --transcript j-lzm-t.cbor j-lzm-pres.cbor && cp "$OUT" j-lzm-auth0.json &&
    assert "disclosed" chk disclosed mdoc j-lzm-auth0.json "$MDOC_PRESENT" &&
    ok "pymdoccbor verifier (IACA)" py "$PEERS/mdoc_issuer_verify.py" --issuer-cert "$lz/iaca.cert.pem" \
      --holder-key "$HOLDER" --doctype "$DOCTYPE" j-lzm.cbor; then
    pass j.mdoc.laissez-issued
  else fail j.mdoc.laissez-issued "${REASON:-needs the second signer of j.sdjwt.laissez-second-signer}"; fi
}

# =========================================================================================
# k: the real VICALs, read by Laissez and by an independent reader
# =========================================================================================
scenario_k() {
  local dir="$VECTORS/vical" case file root at name
  if [ ! -d "$dir" ]; then
    missing_data k.vical "$dir (they live in ../shared/vectors next to the repo)"
    return
  fi
  # file, provider root, verification time (the README's: several lists are stale today)
  for case in \
    "aamva_vical_2024-09-24.cbor aamva_dts_root_ca.pem 1727222400" \
    "austroads_vical_2024-09-19.cbor austroads_preprod_dts_root_ca.pem 1726790400" \
    "austroads_test_event_vical_2024-10-02.cbor austroads_preprod_dts_root_ca.pem 1727913600"; do
    read -r file root at <<<"$case"
    name="k.${file%%.cbor}"
    if ok "vical_list.py" py "$PEERS/vical_list.py" "$dir/$file" --provider-root "$dir/$root" &&
      cp "$OUT" "$name.peer.json" &&
      ok "trust import-vical" lz trust import-vical "$dir/$file" --provider-root "$dir/$root" --at "$at" \
        --out "$name.anchors.json" &&
      assert "same certificates" chk vical-anchors "$name.anchors.json" "$name.peer.json"; then
      pass "$name"
    else fail "$name" "$REASON"; fi
  done
  # RDW's root is unpublished: the peer verifies the signature with x5chain[0]; Laissez, which
  # needs a provider root, refuses it under another provider's root (and so does the peer).
  if ok "vical_list.py" py "$PEERS/vical_list.py" "$dir/rdw_test_vical_2025-02-25.cbor" \
    --provider-root "$dir/austroads_preprod_dts_root_ca.pem" &&
    assert "peer: signature valid, not under that root" py -c 'import json, sys
d = json.load(open(sys.argv[1])); sys.exit(0 if d["signature_valid"] and not d["signer_under_root"] and len(d["certificates"]) == 45 else 1)' "$OUT" &&
    expect 1 "trust import-vical" lz trust import-vical "$dir/rdw_test_vical_2025-02-25.cbor" \
      --provider-root "$dir/austroads_preprod_dts_root_ca.pem" --at 1740787200 --out k-rdw.json &&
    assert "refused as untrusted" chk text "$ERR" --present "not issued under the given provider root"; then
    pass "k.rdw-untrusted-root"
  else fail "k.rdw-untrusted-root" "$REASON"; fi
  for case in \
    "aamva_vical_2024-09-24_provider_tampered.cbor aamva_dts_root_ca.pem 1727222400" \
    "austroads_vical_2024-09-19_signature_tampered.cbor austroads_preprod_dts_root_ca.pem 1726790400"; do
    read -r file root at <<<"$case"
    name="k.${file%%.cbor}"
    if ok "vical_list.py" py "$PEERS/vical_list.py" "$dir/negative/$file" &&
      assert "peer: signature invalid" py -c 'import json, sys
sys.exit(0 if not json.load(open(sys.argv[1]))["signature_valid"] else 1)' "$OUT" &&
      expect 1 "trust import-vical" lz trust import-vical "$dir/negative/$file" --provider-root "$dir/$root" \
        --at "$at" --out "$name.anchors.json" &&
      assert "refused for its signature" chk text "$ERR" --present "signature does not verify"; then
      pass "$name"
    else fail "$name" "$REASON"; fi
  done
}

# ---- m: OpenID4VCI, a wallet on @openid4vc/openid4vci <- laissez issuer serve --------------
scenario_m() {
  local port pid link tx
  port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  export LAISSEZ_ISSUER_PASSPHRASE="interop issuer store"
  printf '%s' '{"given_name":"Amina","family_name":"Haddad","birth_date":"1994-03-12","nationality":"SDN"}' >m-claims.json
  if ! ok "issuer new" lz issuer new --out m-issuer --name "Interop desk"; then
    fail_all "$REASON" m.sd-jwt m.mdoc m.wrong-tx-code
    return
  fi
  "$BIN" issuer serve --issuer m-issuer --store m-store.db --listen "127.0.0.1:$port" \
    --stop-after 120 --insecure-fast-kdf >"$LOGS/m-serve.out" 2>"$LOGS/m-serve.err" &
  pid=$!
  for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$LOGS/m-serve.out" 2>/dev/null && break; sleep 0.3; done
  offer() {
    ok "issuer offer-online" lz issuer offer-online --issuer m-issuer --store m-store.db \
      --base-url "http://127.0.0.1:$port" --claims m-claims.json --json --insecure-fast-kdf &&
      link="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["link"])' "$OUT")" &&
      tx="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["tx_code"])' "$OUT")"
  }
  if offer && ok "oid4vci_wallet.mjs" "$NODE" "$PEERS/oid4vci_wallet.mjs" "$link" "$tx" 3; then
    cp "$OUT" m-received.json
    for format in sd-jwt mdoc; do
      if assert "3 copies, each its own key" "$PY" -c 'import base64, json, sys
d = json.load(open(sys.argv[1]))
fmt = sys.argv[2]
copies = d["registration_sd_jwt" if fmt == "sd-jwt" else "registration_mdoc"]
assert len(copies) == 3, "copies: %d" % len(copies)
if fmt == "sd-jwt":
    keys = set()
    for c in copies:
        payload = c.split("~")[0].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        keys.add(claims["cnf"]["jwk"]["x"])
    assert len(keys) == 3, "holder keys: %d" % len(keys)
else:
    assert len(set(copies)) == 3 and all(base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)) for c in copies)
' m-received.json "$format"; then
        pass "m.$format"
      else fail "m.$format" "$REASON"; fi
    done
  else
    fail_all "$REASON" m.sd-jwt m.mdoc
  fi
  if offer && { [ "$tx" = 000000 ] && tx=111111 || tx=000000; } &&
    expect 1 "oid4vci_wallet.mjs, wrong transaction code" "$NODE" "$PEERS/oid4vci_wallet.mjs" \
    "$link" "$tx" 1 && assert "invalid_grant" chk text "$ERR" --present "invalid_grant"; then
    pass "m.wrong-tx-code"
  else fail "m.wrong-tx-code" "$REASON"; fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# ---- n: OpenID4VCI, laissez wallet fetch-credential <- an issuer on @openid4vc/openid4vci --
# n_serve NAME [peer options]: start peers/oid4vci_issuer.mjs (claims n-claims.json, issued
# copies' keys in NAME-issued.json, transaction code $N_CODE); sets N_PID, N_OFFER, or REASON
N_CODE=493817
n_serve() {
  local name="$1"
  shift
  "$NODE" "$PEERS/oid4vci_issuer.mjs" --issuer-key n-iss.jwk --cert n-iss.pem --claims n-claims.json \
    --tx-code "$N_CODE" --issued "$name-issued.json" --stop-after 120 "$@" >"$LOGS/$name-serve.out" 2>"$LOGS/$name-serve.err" &
  N_PID=$!
  for _ in $(seq 40); do [ -s "$LOGS/$name-serve.out" ] && break; sleep 0.25; done
  N_OFFER="$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["offer"])' "$LOGS/$name-serve.out" 2>/dev/null)" ||
    { REASON="oid4vci_issuer.mjs did not start: $(tail -n 3 "$LOGS/$name-serve.err" | tr '\n' ' ')"; return 1; }
}
n_stop() { kill "$N_PID" 2>/dev/null; wait "$N_PID" 2>/dev/null; }
# n_fetch DESCRIPTION WANTED_RC [fetch-credential options]: against the running peer
n_fetch() {
  local what="$1" want="$2"
  shift 2
  expect "$want" "$what" lz wallet fetch-credential --db n-W.db --offer "$N_OFFER" --batch 3 --allow-http \
    --timeout 20 "$@"
}
# n_refused NAME RC MESSAGE TX_CODE [peer options]: a fetch of the peer's SD-JWT VC ends in
# exit RC with MESSAGE on stderr (no panic), and the wallet holds what it held before
n_refused() {
  local name="$1" rc="$2" message="$3" tx="$4" before key=(--issuer-key n-iss.pub)
  shift 4
  [ "$name" = n.issuer-key-needed ] && key=()
  before="$(lz wallet list --db n-W.db --json 2>&1)"
  if n_serve "$name" --configurations peer_sd_jwt "$@" &&
    n_fetch "fetch-credential ($name)" "$rc" --tx-code "$tx" "${key[@]}" &&
    assert "typed error" chk text "$ERR" --present "$message" --absent "panicked,RUST_BACKTRACE" &&
    assert "wallet unchanged" test "$(lz wallet list --db n-W.db --json 2>&1)" = "$before"; then
    pass "$name"
  else fail "$name" "$REASON"; fi
  n_stop
}
scenario_n() {
  local names=(n.issuer-key-needed n.sd-jwt n.mdoc n.wrong-tx-code n.invalid-nonce n.invalid-proof n.same-key) n
  local lib="$CACHE/node/node_modules/@openid4vc/openid4vci/package.json"
  if [ ! -f "$lib" ]; then
    for n in "${names[@]}"; do
      if is_ci; then fail "$n" "peer not installed: $lib (CI is set)"; else skip "$n" "peer not installed: $lib"; fi
    done
    return
  fi
  printf '%s' '{"given_name":"Amina","family_name":"Haddad","birth_date":"1994-03-12","nationality":"SD"}' >n-claims.json
  if ! { ok "wallet init" lz wallet init --db n-W.db --insecure-fast-kdf &&
    ok "keygen" py "$PEERS/keygen.py" --private n-iss.jwk --public n-iss.pub --cert n-iss.pem; }; then
    fail_all "$REASON" "${names[@]}"
    return
  fi
  # The SD-JWT VCs carry no certificate: without --issuer-key the wallet cannot check them.
  n_refused n.issuer-key-needed 2 "no issuer certificate" "$N_CODE"
  # Both configurations in one offer, 3 copies each, the SD-JWT VC checked with the peer's key.
  # The issuer's clock runs 5 s ahead: its mdoc copies start being valid "in the future".
  if n_serve n-both --clock-ahead 5 && n_fetch "fetch-credential" 0 --tx-code "$N_CODE" --issuer-key n-iss.pub --json; then
    cp "$OUT" n-fetched.json
    cp "n-both-issued.json" n-issued.json
    for kind in sd-jwt mdoc; do
      local config="peer_sd_jwt" claim="given_name" label="Peer Residence Card" id i pres=()
      [ "$kind" = mdoc ] && config="peer_mdoc" claim="$MDL_NS/given_name" label="Peer Driving Licence"
      id="$("$PY" -c 'import json, sys
items = [c for c in json.load(open(sys.argv[1])) if c["format"] == sys.argv[2]]
assert len(items) == 1 and items[0]["copies"] == 3, items
print(items[0]["id"])' n-fetched.json "$kind" 2>&1)" || { fail "n.$kind" "fetch-credential --json: not one $kind credential of 3 copies: $id"; continue; }
      if ok "wallet show" lz wallet show --db n-W.db "$id" --json &&
        assert "claims and label" chk text "$OUT" --present "Amina,Haddad,1994-03-12,$label,Peer given name" &&
        ok "wallet list" lz wallet list --db n-W.db &&
        assert "list" chk text "$OUT" --present "$id" &&
        ok "wallet show --lang fr" lz wallet show --db n-W.db "$id" --lang fr &&
        assert "French labels" chk text "$OUT" --present "Prénom (pair)"; then
        for i in 1 2 3; do
          ok "wallet present (copy $i)" lz wallet present --db n-W.db "$id" --claims "$claim" --nonce "$(rand)" \
            --audience "$AUD" --out "n-$kind-pres$i" || break
          pres+=("n-$kind-pres$i")
        done
        if [ "${#pres[@]}" = 3 ] && assert "each copy its own key" chk presented-keys "$kind" n-issued.json "$config" "${pres[@]}"; then
          pass "n.$kind"
        else fail "n.$kind" "$REASON"; fi
      else fail "n.$kind" "$REASON"; fi
    done
  else
    fail_all "$REASON" n.sd-jwt n.mdoc
  fi
  n_stop

  n_refused n.wrong-tx-code 1 "token endpoint refused: invalid_grant" 000000
  n_refused n.invalid-nonce 1 "credential endpoint refused: invalid_nonce" "$N_CODE" --fault invalid_nonce
  n_refused n.invalid-proof 1 "credential endpoint refused: invalid_proof" "$N_CODE" --fault invalid_proof
  n_refused n.same-key 2 "not bound to one of the keys proven for it" "$N_CODE" --fault same-key
}

# =========================================================================================
# o: verifier registration certificates and signed requests (ADR 0020)
# =========================================================================================
scenario_o() {
  local names="o.certificate-by-pycose o.signed-request-by-pycose o.by-reference-by-pycose o.other-key-refused o.pycose-certificate-in-laissez o.other-registrar-refused"
  # shellcheck disable=SC2086 # names is a word list
  if ! ok "registrar new" lz registrar new --out o-registrar --id https://registrar.interop.example --name "Interop registrar" ||
    ! ok "verifier init" lz verifier init --db o-verifier.db --insecure-fast-kdf ||
    ! ok "verifier signing-key" lz verifier signing-key --db o-verifier.db --out o-verifier.jwk ||
    ! ok "registrar certify" lz registrar certify --registrar o-registrar --verifier-key o-verifier.jwk \
      --organisation "Interop Aid Desk" --country KE --purpose "Food distribution" \
      --claims "$VCT=given_name,family_name" --valid-days 30 --out o-cert.cwt ||
    ! ok "verifier install-certificate" lz verifier install-certificate --db o-verifier.db o-cert.cwt; then
    fail_all "$REASON" $names
    return
  fi
  if ok "registration.py verify-cert" py "$PEERS/registration.py" verify-cert o-cert.cwt o-registrar/registrar.pub.jwk &&
    assert "claims as certified" chk text "$OUT" \
      --present '"organisation": "Interop Aid Desk","country": "KE","iss": "https://registrar.interop.example","Food distribution"'; then
    pass o.certificate-by-pycose
  else fail o.certificate-by-pycose "$REASON"; fi
  local extra name
  for name in signed-request by-reference; do
    extra=""
    [ "$name" = by-reference ] && extra="--certificate-reference"
    # shellcheck disable=SC2086 # extra is empty or one option
    if ok "verifier request" lz verifier request --db o-verifier.db --type "$VCT" --claims given_name \
      --out "o-$name.png" $extra && ok "qr decode" lz qr decode "o-$name.png" && cp "$OUT" "o-$name.txt" &&
      ok "registration.py verify-request" py "$PEERS/registration.py" verify-request "o-$name.txt" o-cert.cwt; then
      pass "o.$name-by-pycose"
    else fail "o.$name-by-pycose" "$REASON"; fi
  done
  # The same request checked against a certificate of another key (the registrar's own).
  if ok "registrar certify (another key)" lz registrar certify --registrar o-registrar \
    --verifier-key o-registrar/registrar.pub.jwk --organisation "Interop Aid Desk" --country KE \
    --purpose "Food distribution" --claims "$VCT=given_name" --out o-other.cwt &&
    expect 1 "registration.py verify-request, another key's certificate" py "$PEERS/registration.py" \
      verify-request o-signed-request.txt o-other.cwt &&
    expect 2 "verifier install-certificate, another key's certificate" lz verifier install-certificate \
      --db o-verifier.db o-other.cwt; then
    pass o.other-key-refused
  else fail o.other-key-refused "$REASON"; fi
  if ok "registration.py make-cert" py "$PEERS/registration.py" make-cert o-peer.cwt o-peer-registrar.jwk o-verifier.jwk &&
    ok "registrar verify (pycose-made)" lz registrar verify --registrar-key o-peer-registrar.jwk \
      --registrar-id https://peer-registrar.example o-peer.cwt &&
    assert "claims read by laissez" chk text "$OUT" --present '"organisation": "Peer Aid Desk","country": "KE","given_name"'; then
    pass o.pycose-certificate-in-laissez
  else fail o.pycose-certificate-in-laissez "$REASON"; fi
  if expect 1 "registrar verify, another registrar key" lz registrar verify \
    --registrar-key o-registrar/registrar.pub.jwk --registrar-id https://peer-registrar.example o-peer.cwt &&
    expect 1 "registrar verify, another registrar identifier" lz registrar verify \
      --registrar-key o-peer-registrar.jwk --registrar-id https://registrar.interop.example o-peer.cwt; then
    pass o.other-registrar-refused
  else fail o.other-registrar-refused "$REASON"; fi
}

# =========================================================================================
# p: MOSIP Claim 169 identity QR codes (issue 16), against PyPI claim169 and pycose
# =========================================================================================
# field FILE KEY: one string field of a JSON file, on stdout
field() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
scenario_p() {
  local aes="101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
  local name alg extra key
  # Laissez's test encoder -> the claim169 package (decode + verify) and pycose (signature).
  for name in eddsa es256 encrypted; do
    alg=EdDSA extra=""
    [ "$name" = es256 ] && alg=ES256
    [ "$name" = encrypted ] && extra="--encrypt-key-hex $aes"
    # shellcheck disable=SC2086 # extra is empty or one option with its value
    if ok "claim169 issue ($name)" lz claim169 issue --alg "$alg" --id "ID-LZ-$name" \
      --full-name "Amina Yusuf Abdi" --secondary "أمينة يوسف عبدي" ara --exp 2000000000 $extra &&
      cp "$OUT" "p-$name.json" && field "p-$name.json" qr_text >"p-$name.txt" &&
      key="$(field "p-$name.json" public_key_hex)" && echo "$key" >"p-$name.key"; then :; else
      fail_all "$REASON" "p.laissez-$name-by-claim169"
      [ "$name" != encrypted ] && fail "p.laissez-$name-by-pycose" "$REASON"
      continue
    fi
    extra=""
    [ "$name" = encrypted ] && extra="--decrypt-key-hex $aes"
    # shellcheck disable=SC2086
    if ok "claim169_peer.py decode ($name)" py "$PEERS/claim169_peer.py" decode "p-$name.txt" \
      --public-key-hex "$key" $extra &&
      assert "claim169 read it" chk text "$OUT" \
        --present "\"verified\": true,\"id\": \"ID-LZ-$name\",\"full_name\": \"Amina Yusuf Abdi\",\"secondary_full_name\": \"أمينة يوسف عبدي\",\"secondary_language\": \"ara\",\"issuer\": \"https://id.laissez.example\""; then
      pass "p.laissez-$name-by-claim169"
    else fail "p.laissez-$name-by-claim169" "$REASON"; fi
    [ "$name" = encrypted ] && continue
    if ok "claim169_peer.py pycose-verify ($name)" py "$PEERS/claim169_peer.py" pycose-verify \
      "p-$name.txt" --public-key-hex "$key" &&
      assert "pycose verified it" chk text "$OUT" --present "\"verified\": true,\"id\": \"ID-LZ-$name\""; then
      pass "p.laissez-$name-by-pycose"
    else fail "p.laissez-$name-by-pycose" "$REASON"; fi
  done
  # A key that did not sign (a fresh Ed25519 key): refused by the package, pycose and Laissez.
  if [ -s p-eddsa.txt ] && [ -s p-es256.key ]; then
    local other
    other="$("$PY" -c 'from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives import serialization as s
print(ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(s.Encoding.Raw, s.PublicFormat.Raw).hex())')"
    if expect 1 "claim169 package, another key" py "$PEERS/claim169_peer.py" decode p-eddsa.txt \
      --public-key-hex "$other" &&
      expect 1 "pycose, another key" py "$PEERS/claim169_peer.py" pycose-verify p-eddsa.txt \
        --public-key-hex "$other" &&
      expect 1 "laissez claim169 verify, another key" lz claim169 verify p-eddsa.txt \
        --public-key-hex "$other" --at 1760000000 &&
      expect 1 "laissez claim169 verify, key of another algorithm" lz claim169 verify p-eddsa.txt \
        --public-key-hex "$(cat p-es256.key)" --at 1760000000; then
      pass p.wrong-key-refused
    else fail p.wrong-key-refused "$REASON"; fi
  else fail p.wrong-key-refused "no Laissez codes were made"; fi
  # The claim169 package's encoder -> Laissez (decode + verify at a fixed time).
  for name in eddsa es256 encrypted; do
    alg=EdDSA extra=""
    [ "$name" = es256 ] && alg=ES256
    [ "$name" = encrypted ] && extra="--encrypt-key-hex $aes"
    # shellcheck disable=SC2086
    if ok "claim169_peer.py issue ($name)" py "$PEERS/claim169_peer.py" issue "q-$name.txt" "q-$name.key" \
      --alg "$alg" $extra; then :; else
      fail "p.claim169-$name-in-laissez" "$REASON"
      continue
    fi
    extra=""
    [ "$name" = encrypted ] && extra="--decrypt-key-hex $aes"
    # shellcheck disable=SC2086
    if ok "laissez claim169 verify ($name)" lz claim169 verify "q-$name.txt" \
      --public-key-hex "$(cat "q-$name.key")" --at 1760000000 --json $extra &&
      assert "Laissez read it" chk text "$OUT" \
        --present "\"verified\": true,\"id\": \"ID-PEER-169\",\"fullName\": \"Peer Test Person\",\"secondaryFullName\": \"شخص اختبار\",\"secondaryLanguage\": \"ara\",\"gender\": 2,\"nationality\": \"KEN\",\"issuer\": \"https://peer.claim169.example\""; then
      pass "p.claim169-$name-in-laissez"
    else fail "p.claim169-$name-in-laissez" "$REASON"; fi
  done
  # The published vectors through the CLI: the signed ones verify, an unsigned one does not.
  local v="$VECTORS/claim169/idpass-test-vectors"
  if [ ! -d "$v" ]; then
    missing_data p.vectors "$v"
    return
  fi
  local ok_all=1 file
  for file in ed25519-signed ecdsa-p256-signed; do
    field "$v/valid/$file.json" qr_data >"p-vector-$file.txt"
    "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["signing_key"]["public_key_hex"])' \
      "$v/valid/$file.json" >"p-vector-$file.key"
    ok "laissez claim169 verify ($file)" lz claim169 verify "p-vector-$file.txt" \
      --public-key-hex "$(cat "p-vector-$file.key")" --at 1760000000 || ok_all=0
  done
  field "$v/valid/minimal.json" qr_data >p-vector-minimal.txt
  if [ "$ok_all" = 1 ] &&
    expect 1 "laissez claim169 verify (unsigned vector)" lz claim169 verify p-vector-minimal.txt \
      --public-key-hex "$(cat p-vector-ed25519-signed.key)" --at 1760000000 &&
    assert "reported as unsigned" chk text "$ERR" --present "not signed"; then
    pass p.vectors
  else fail p.vectors "$REASON"; fi
}

if [ "$HAVE_BIN" = 0 ]; then
  for g in wallet a b c d e f g h i j k l m n o p; do
    want "$g" && fail "$g" "$NOBIN"
  done
  finish
fi
if want wallet || want a || want b || want c || want d || want g || want h || want i || want j || want k || want l; then wallet_setup; fi
if want b || want d || want g || want h || want l; then issuer_setup; fi
want a && scenario_a
want b && scenario_b
want c && scenario_c
want d && scenario_d
want e && scenario_e
want f && scenario_f
want g && scenario_g
want h && scenario_h
want i && scenario_i
want j && scenario_j
want k && scenario_k
want l && scenario_l
want m && scenario_m
want n && scenario_n
want o && scenario_o
want p && scenario_p
finish

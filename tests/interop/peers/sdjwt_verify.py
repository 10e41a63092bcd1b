#!/usr/bin/env python3
"""Verify an SD-JWT (+KB) presentation with the IETF reference verifier (PyPI `sd-jwt`).

  sdjwt_verify.py --issuer-key ISSUER_PUBLIC_JWK.json --nonce N --audience A FILE
  sdjwt_verify.py --issuer-key ISSUER_PUBLIC_JWK.json --no-kb FILE
  sdjwt_verify.py --trust-cert ROOT.pem [--trust-cert ...] (--nonce N --audience A | --no-kb) FILE
      [--at UNIX] [--skew S] [--kb-max-age S] [--expect-typ TYP] [--expected-payload JSON]
      [--reference-only]

What the reference verifier (sd_jwt.verifier.SDJWTVerifier, 0.10.4) checks: the issuer
signature (alg from the header, key from --issuer-key), Disclosure digests (sha-256,
`_sd_alg`), duplicate digests/claims, and with --nonce/--audience the KB-JWT: signature with
cnf.jwk (ES256 only), typ `kb+jwt`, aud, nonce and sd_hash.

X.509 (--trust-cert instead of --issuer-key): the reference library does no X.509 at all (it
asks its callback for a key). This script then does what an SD-JWT VC verifier does with
`x5c` (draft-ietf-oauth-sd-jwt-vc s3.5): it checks the header's x5c chain up to one of the
given anchors with `cryptography`'s RFC 5280 path validation (at --at or now), requires `iss`
to be a uniformResourceIdentifier SAN of the leaf, and gives the reference verifier the
leaf's public key. A chain that reaches no anchor or an `iss` not in the SAN is
{"valid": false, "stage": "x509"} (exit 1).

What it does NOT check, and this script adds unless --reference-only ("supplementary"
checks, each named in the output): every presented Disclosure is referenced by a digest
(RFC 9901 s7.1 step 5); Disclosures are well-formed (2 or 3 elements, claim name a string
and not `_sd` / `...`); exp / nbf / iat of the Issuer-signed JWT against --at (default now,
with --skew seconds of tolerance: 60 by default, 0 with --at); KB-JWT iat present, not in
the future, and with --kb-max-age not older than that; --expect-typ on the JWT header typ.
A JWS JSON serialization (RFC 9901 s8, Disclosures in the unprotected header) is moved to
the layout sd-jwt 0.10.4 reads (top-level `disclosures`/`kb_jwt`); for it the reference
does not check sd_hash.

Prints JSON: {"valid": true, "header", "payload" (the processed payload, with the always
visible claims), "disclosed" (the claim names and array elements that were disclosed),
"key_binding" (KB-JWT payload or null), "checks"} and exits 0; or {"valid": false,
"stage": "reference"|"supplementary"|"expected-payload", "error"} and exits 1.
Exit 2: bad input (missing file, unusable key, bad arguments).
"""

import argparse
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    EXIT_INVALID, BadInput, Invalid, b64url_decode, b64url_encode, emit, load_json, load_jwk, public_jwk,
    public_jwk_of_cert, read_text, run, san_uris, verify_x5c,
)


def fail(stage, error, **extra):
    emit(dict({"valid": False, "stage": stage, "error": error}, **extra))
    return EXIT_INVALID


def split_presentation(text, fmt):
    """(issuer_jwt_compact_or_None, [disclosures], kb_jwt_or_empty)."""
    if fmt == "compact":
        parts = text.split("~")
        return parts[0], parts[1:-1], parts[-1]
    obj = json.loads(text)
    return None, list(obj.get("disclosures", [])), obj.get("kb_jwt", "")


def json_to_reference_layout(text):
    """sd-jwt 0.10.4 reads `disclosures` / `kb_jwt` as top-level members of the JWS JSON
    object (an older draft's layout); draft-22 / RFC 9901 s8 put them in the unprotected
    `header` (of the first signature, for the General serialization). Move them up."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput(f"not JSON: {e}") from None
    if "disclosures" not in obj:
        hdr = obj.get("header") or ((obj.get("signatures") or [{}])[0].get("header")) or {}
        if "disclosures" in hdr:
            obj["disclosures"] = hdr["disclosures"]
            if "kb_jwt" in hdr:
                obj["kb_jwt"] = hdr["kb_jwt"]
    return json.dumps(obj)


def jwt_part(jwt, i):
    return json.loads(b64url_decode(jwt.split(".")[i]))


def supplementary_checks(payload_raw, header, disclosures, kb_jwt, args, require_kb):
    """Checks the reference implementation leaves out. Returns (names_of_checks, error_or_None)."""
    done = []
    digest_of = {}
    decoded = {}
    # Well-formed Disclosures.
    for d in disclosures:
        try:
            arr = json.loads(b64url_decode(d))
        except Exception as e:
            return done, f"Disclosure {d[:16]}... is not base64url JSON: {e}"
        if not isinstance(arr, list) or len(arr) not in (2, 3) or not isinstance(arr[0], str):
            return done, f"Disclosure {arr!r} is not [salt, (name,) value]"
        if len(arr) == 3 and (not isinstance(arr[1], str) or arr[1] in ("_sd", "...")):
            return done, f"Disclosure {arr!r} has an invalid claim name"
        h = b64url_encode(hashlib.sha256(d.encode("ascii")).digest())
        digest_of[d] = h
        decoded[h] = arr
    done.append("disclosures-well-formed")

    # Every Disclosure referenced (RFC 9901 s7.1 step 5), directly or via other Disclosures.
    referenced = set()

    def walk(node):
        if isinstance(node, dict):
            for dg in node.get("_sd", []) if isinstance(node.get("_sd"), list) else []:
                if dg in decoded and dg not in referenced:
                    referenced.add(dg)
                    walk(decoded[dg][-1])
            for k, v in node.items():
                if k != "_sd":
                    walk(v)
        elif isinstance(node, list):
            for el in node:
                if isinstance(el, dict) and len(el) == 1 and isinstance(el.get("..."), str):
                    dg = el["..."]
                    if dg in decoded and dg not in referenced:
                        referenced.add(dg)
                        walk(decoded[dg][-1])
                else:
                    walk(el)

    walk(payload_raw)
    unreferenced = [decoded[h] for h in decoded if h not in referenced]
    if unreferenced:
        return done, f"Disclosure(s) not referenced by any digest: {unreferenced}"
    done.append("all-disclosures-referenced")

    now = args.at if args.at is not None else int(time.time())
    skew = args.skew
    exp, nbf, iat = payload_raw.get("exp"), payload_raw.get("nbf"), payload_raw.get("iat")
    for name, v in (("exp", exp), ("nbf", nbf), ("iat", iat)):
        if v is not None and not isinstance(v, (int, float)):
            return done, f"{name} is not a number: {v!r}"
    if exp is not None and now >= exp + skew:
        return done, f"expired: exp {exp} <= time {now}"
    if nbf is not None and now + skew < nbf:
        return done, f"not yet valid: nbf {nbf} > time {now}"
    if iat is not None and now + skew < iat:
        return done, f"issued in the future: iat {iat} > time {now}"
    done.append(f"time-valid-at-{now}")

    if args.expect_typ is not None:
        if header.get("typ") != args.expect_typ:
            return done, f"header typ {header.get('typ')!r}, expected {args.expect_typ!r}"
        done.append(f"typ-{args.expect_typ}")

    if require_kb:
        kb = jwt_part(kb_jwt, 1)
        kb_iat = kb.get("iat")
        if not isinstance(kb_iat, (int, float)):
            return done, "KB-JWT has no numeric iat"
        if now + skew < kb_iat:
            return done, f"KB-JWT iat {kb_iat} is in the future (time {now})"
        if args.kb_max_age is not None and now - kb_iat > args.kb_max_age:
            return done, f"KB-JWT iat {kb_iat} is older than {args.kb_max_age}s (time {now})"
        done.append("kb-iat")
    return done, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="the presentation: compact SD-JWT+KB text (or JWS JSON serialization)")
    who = ap.add_mutually_exclusive_group(required=True)
    who.add_argument("--issuer-key", help="issuer public JWK (a private one is reduced to its public part)")
    who.add_argument("--trust-cert", action="append",
                     help="trusted root or intermediate (PEM): the issuer key is the x5c leaf's, once its chain "
                          "reaches one of these and iss is its URI SAN; repeat for several")
    ap.add_argument("--nonce", help="expected KB-JWT nonce")
    ap.add_argument("--audience", help="expected KB-JWT aud")
    ap.add_argument("--no-kb", action="store_true", help="do not require Key Binding (then --nonce/--audience are not used)")
    ap.add_argument("--at", type=int, help="verification time, UNIX seconds (default now)")
    ap.add_argument("--skew", type=int, help="clock tolerance in seconds (default 60, or 0 with --at)")
    ap.add_argument("--kb-max-age", type=int, help="reject a KB-JWT whose iat is older than this many seconds")
    ap.add_argument("--expect-typ", help="require this JWT header typ (e.g. dc+sd-jwt)")
    ap.add_argument("--expected-payload", help="JSON file: the processed payload must equal it")
    ap.add_argument("--reference-only", action="store_true", help="only the reference implementation's checks")
    args = ap.parse_args()

    require_kb = not args.no_kb
    if args.skew is None:
        args.skew = 0 if args.at is not None else 60
    if require_kb and not (args.nonce and args.audience):
        raise BadInput("--nonce and --audience are required (or --no-kb)")
    text = read_text(args.file).strip()
    if not text:
        raise BadInput(f"{args.file} is empty")
    fmt = "json" if text.startswith("{") else "compact"
    if fmt == "json":
        text = json_to_reference_layout(text)
    expected = load_json(args.expected_payload) if args.expected_payload else None
    x509_info = None
    if args.trust_cert:
        try:
            first = text.split("~")[0] if fmt == "compact" else json.loads(text)["payload"]
            if fmt == "compact":
                header0, payload0 = jwt_part(first, 0), jwt_part(first, 1)
            else:
                obj = json.loads(text)
                prot = obj.get("protected") or (obj.get("signatures") or [{}])[0].get("protected")
                header0, payload0 = json.loads(b64url_decode(prot)), json.loads(b64url_decode(first))
        except Exception as e:
            return fail("reference", f"cannot read the issuer-signed JWT: {type(e).__name__}: {e}")
        try:
            leaf, chain = verify_x5c(header0.get("x5c"), args.trust_cert, args.at)
        except Invalid as e:
            return fail("x509", str(e))
        uris = san_uris(leaf)
        if payload0.get("iss") not in uris:
            return fail("x509", f"iss {payload0.get('iss')!r} is not a URI SAN of the x5c leaf {uris}")
        try:
            issuer_jwk = public_jwk_of_cert(leaf)
        except ValueError as e:
            return fail("x509", f"x5c leaf: {e}")
        x509_info = {"chain": chain, "anchor": chain[-1], "san_uris": uris}
    else:
        try:
            issuer_jwk = public_jwk(load_jwk(args.issuer_key))
        except KeyError as e:
            raise BadInput(f"{args.issuer_key}: missing JWK member {e}") from None
    key_source = args.trust_cert[0] if args.trust_cert else args.issuer_key

    from jwcrypto.jwk import JWK
    from sd_jwt.verifier import SDJWTVerifier

    try:
        issuer_key = JWK(**issuer_jwk)
    except Exception as e:
        raise BadInput(f"{key_source}: unusable JWK: {e}") from None

    seen = {}

    def get_issuer_key(iss, header):
        # a list of headers for the General JSON serialization: report the first
        seen["iss"], seen["header"] = iss, dict(header[0] if isinstance(header, list) else header)
        return issuer_key

    try:
        verifier = SDJWTVerifier(
            text,
            get_issuer_key,
            expected_aud=args.audience if require_kb else None,
            expected_nonce=args.nonce if require_kb else None,
            serialization_format=fmt,
        )
        payload = verifier.get_verified_payload()
    except Exception as e:  # the reference raises ValueError, KeyError, jwcrypto errors...
        return fail("reference", f"{type(e).__name__}: {e}")

    try:
        issuer_jwt, disclosures, kb_jwt = split_presentation(text, fmt)
    except Exception as e:
        return fail("reference", f"cannot split presentation: {e}")
    payload_raw = verifier._sd_jwt_payload  # the verified Issuer-signed JWT payload
    header = seen.get("header", {})
    checks = ["reference"]
    if not args.reference_only:
        try:
            done, err = supplementary_checks(payload_raw, header, disclosures, kb_jwt, args, require_kb)
        except Exception as e:
            return fail("supplementary", f"{type(e).__name__}: {e}")
        if err:
            return fail("supplementary", err, checks=checks + done)
        checks += done

    if expected is not None:
        if payload != expected:
            return fail("expected-payload", "processed payload differs from --expected-payload",
                        payload=payload, expected=expected)
        checks.append("expected-payload")

    disclosed = []
    for d in disclosures:
        arr = json.loads(b64url_decode(d))
        disclosed.append(arr[1] if len(arr) == 3 else {"array_element": arr[1]})
    emit({
        "valid": True,
        "header": header,
        "payload": payload,
        "disclosed": disclosed,
        "key_binding": jwt_part(kb_jwt, 1) if (require_kb and kb_jwt) else None,
        "checks": checks + (["x5c-chain", "iss-in-san"] if x509_info else []),
        "x509": x509_info,
    })
    return 0


if __name__ == "__main__":
    run(main)

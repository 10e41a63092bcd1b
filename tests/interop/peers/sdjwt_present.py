#!/usr/bin/env python3
"""Present an SD-JWT (VC) with the IETF reference holder (PyPI `sd-jwt`, SDJWTHolder).

  sdjwt_present.py --holder-key HOLDER_PRIVATE_JWK.json --claims a,b --nonce N --audience A \
                   --out FILE SDJWT_FILE

SDJWT_FILE: the SD-JWT as issued (`<JWT>~<D1>~...~`). --claims: top-level claim names to
disclose (each selectively disclosable top-level claim is disclosed whole; claims that are
always visible need not be listed). Adds a KB-JWT {nonce, aud, iat = now, sd_hash} signed
with the holder key (header {"alg": "ES256", "typ": "kb+jwt"}). Writes the SD-JWT+KB to
FILE and prints {"out", "disclosed", "key_binding"}.
Exit 0 ok, 1 a requested claim has no Disclosure in the credential, 2 bad input.
Note: the reference holder does not verify the credential it is given.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import EXIT_INVALID, BadInput, b64url_decode, emit, jws_alg_for, load_jwk, read_text, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="the SD-JWT as issued")
    ap.add_argument("--holder-key", required=True, help="holder private JWK (with d) = cnf.jwk")
    ap.add_argument("--claims", required=True, help="comma-separated top-level claim names to disclose")
    ap.add_argument("--nonce", required=True)
    ap.add_argument("--audience", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    from jwcrypto.jwk import JWK
    from sd_jwt.holder import SDJWTHolder

    jwk = load_jwk(args.holder_key, need_private=True)
    try:
        holder_key = JWK(**jwk)
    except Exception as e:
        raise BadInput(f"{args.holder_key}: unusable JWK: {e}") from None
    issuance = read_text(args.file).strip()
    if "~" not in issuance:
        raise BadInput(f"{args.file}: not a compact SD-JWT (no ~)")
    wanted = [c.strip() for c in args.claims.split(",") if c.strip()]
    if not wanted:
        raise BadInput("--claims is empty")

    try:
        holder = SDJWTHolder(issuance, serialization_format="compact")
    except Exception as e:
        raise BadInput(f"{args.file}: the reference holder cannot parse it: {type(e).__name__}: {e}") from None
    available = {}
    for d in holder._input_disclosures:
        arr = json.loads(b64url_decode(d))
        if len(arr) == 3:
            available[arr[1]] = d
    missing = [c for c in wanted if c not in available]
    if missing:
        emit({"error": "no Disclosure for the requested claim(s)", "missing": missing,
              "available": sorted(available)})
        return EXIT_INVALID

    holder.create_presentation({c: True for c in wanted}, nonce=args.nonce, aud=args.audience,
                               holder_key=holder_key, sign_alg=jws_alg_for(jwk))
    presentation = holder.sd_jwt_presentation
    try:
        with open(args.out, "w", encoding="ascii") as f:
            f.write(presentation + "\n")
    except OSError as e:
        raise BadInput(f"cannot write {args.out}: {e.strerror}") from None
    emit({
        "out": args.out,
        "disclosed": [json.loads(b64url_decode(d))[1] for d in holder.hs_disclosures],
        "key_binding": holder.key_binding_jwt_payload,
    })
    return 0


if __name__ == "__main__":
    run(main)

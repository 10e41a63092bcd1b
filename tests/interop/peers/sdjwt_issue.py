#!/usr/bin/env python3
"""Issue an SD-JWT VC with the IETF reference implementation (PyPI `sd-jwt`, module `sd_jwt`).

  sdjwt_issue.py --issuer-key ISSUER_PRIVATE_JWK.json --holder-key HOLDER_PUBLIC_JWK.json \
                 --vct VCT --claims CLAIMS.json --out FILE
                 [--iss URL] [--iat UNIX] [--exp UNIX | --days N] [--kid KID] [--no-decoys]
                 [--x5c CHAIN.pem]

Payload: iss, iat, exp, vct and cnf.jwk (= the holder key) in the clear; every top-level
member of CLAIMS.json selectively disclosable (one Disclosure each; nested objects and
arrays are disclosed whole, as plain JSON inside the Disclosure). Header:
{"alg": ES256 (from the key), "typ": "dc+sd-jwt"[, "kid"][, "x5c"]}. --x5c: a PEM file of
certificates, the issuer key's own first, then its intermediates (RFC 7515 s4.1.6: standard
base64 DER, in that order); the key must be the first certificate's (else exit 2). The
reference library only copies the header parameter: it does nothing with certificates. By default the reference
implementation also adds 2-5 decoy digests to every object (its add_decoy_claims option),
including inside disclosed object values: a verifier must ignore digests it has no
Disclosure for. Writes the compact issuance `<JWT>~<D1>~...~<Dn>~` to FILE and prints
{"out", "header", "payload", "disclosures": [[salt, name, value], ...]} as JSON.
Exit 0 ok, 2 bad input.
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import (  # noqa: E402
    BadInput, b64url_decode, emit, jws_alg_for, load_json, load_jwk, public_jwk, public_jwk_of_cert, read_bytes, run,
)

RESERVED = {"iss", "iat", "exp", "nbf", "vct", "cnf", "status", "_sd", "_sd_alg", "..."}


def x5c_header(path, issuer_jwk):
    """The x5c array from a PEM file; its first certificate must hold the issuer key."""
    import base64

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        certs = x509.load_pem_x509_certificates(read_bytes(path))
    except ValueError as e:
        raise BadInput(f"{path}: not PEM certificates: {e}") from None
    try:
        leaf_jwk = public_jwk_of_cert(certs[0])
    except ValueError as e:
        raise BadInput(f"{path}: {e}") from None
    if leaf_jwk != public_jwk(issuer_jwk):
        raise BadInput(f"{path}: the first certificate's key is not the issuer key")
    return [base64.b64encode(c.public_bytes(Encoding.DER)).decode("ascii") for c in certs]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issuer-key", required=True, help="issuer private JWK (with d), EC P-256")
    ap.add_argument("--holder-key", required=True, help="holder public JWK, put in cnf.jwk")
    ap.add_argument("--vct", required=True, help="the vct claim (credential type)")
    ap.add_argument("--claims", required=True, help="JSON object: the claims, each made selectively disclosable")
    ap.add_argument("--out", required=True, help="write the SD-JWT (compact, ends in ~) here")
    ap.add_argument("--iss", default="https://interop-peer.example/sd-jwt-python", help="iss claim")
    ap.add_argument("--iat", type=int, help="iat (default: now)")
    ap.add_argument("--exp", type=int, help="exp (default: iat + --days)")
    ap.add_argument("--days", type=int, default=365, help="validity when --exp is not given (default 365)")
    ap.add_argument("--kid", help="kid header parameter")
    ap.add_argument("--no-decoys", action="store_true", help="do not add decoy digests")
    ap.add_argument("--x5c", help="PEM certificates for the x5c header: the issuer key's first, then intermediates")
    args = ap.parse_args()

    from jwcrypto.jwk import JWK
    from sd_jwt.common import SDObj
    from sd_jwt.issuer import SDJWTIssuer

    issuer_jwk = load_jwk(args.issuer_key, need_private=True)
    holder_jwk = load_jwk(args.holder_key)
    claims = load_json(args.claims)
    if not isinstance(claims, dict) or not claims:
        raise BadInput(f"{args.claims}: a non-empty JSON object of claims is expected")
    clash = sorted(RESERVED & set(claims))
    if clash:
        raise BadInput(f"{args.claims}: reserved claim names are set by this script, not the claims file: {clash}")

    try:
        issuer_key = JWK(**issuer_jwk)
        holder_key = JWK(**{k: v for k, v in holder_jwk.items() if k != "d"})
    except Exception as e:  # jwcrypto raises several types for bad keys
        raise BadInput(f"unusable JWK: {e}") from None
    alg = jws_alg_for(issuer_jwk)

    iat = args.iat if args.iat is not None else int(time.time())
    exp = args.exp if args.exp is not None else iat + args.days * 86400
    user_claims = {"iss": args.iss, "iat": iat, "exp": exp, "vct": args.vct}
    for name, value in claims.items():
        user_claims[SDObj(name)] = value

    header = {"typ": "dc+sd-jwt"}
    if args.x5c:
        header["x5c"] = x5c_header(args.x5c, issuer_jwk)
    if args.kid:
        header["kid"] = args.kid
    issuer = SDJWTIssuer(
        user_claims,
        issuer_key,
        holder_key=holder_key,
        sign_alg=alg,
        add_decoy_claims=not args.no_decoys,
        serialization_format="compact",
        extra_header_parameters=header,
    )
    issuance = issuer.sd_jwt_issuance
    try:
        with open(args.out, "w", encoding="ascii") as f:
            f.write(issuance + "\n")
    except OSError as e:
        raise BadInput(f"cannot write {args.out}: {e.strerror}") from None

    jwt = issuance.split("~")[0]
    emit({
        "out": args.out,
        "header": json.loads(b64url_decode(jwt.split(".")[0])),
        "payload": issuer.sd_jwt_payload,
        "disclosures": [json.loads(d.json) for d in issuer.ii_disclosures],
        "decoy_digests": len(issuer.decoy_digests),
    })
    return 0


if __name__ == "__main__":
    run(main)

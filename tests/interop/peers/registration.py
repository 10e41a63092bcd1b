#!/usr/bin/env python3
"""Verifier registration certificates and signed requests (ADR 0020), checked and made with
pycose and cbor2, which Laissez did not write.

  registration.py verify-cert CERT REGISTRAR_JWK
      pycose verifies the certificate's COSE_Sign1 (ES256) with the registrar's public JWK;
      cbor2 reads its CWT claims; prints them as JSON (organisation, country, purposes, scope,
      the cnf key as a JWK, iss, sub, nbf, exp). Exit 1 if the signature does not verify.
  registration.py verify-request QR_TEXT_FILE CERT
      decodes the request code's text (LZ1: Base45, zlib, CBOR [9, payload]), and pycose
      verifies the signed request's COSE_Sign1 with the cnf key of CERT and the external AAD
      "LaissezReaderAuthentication"; prints the request's nonce and verifier key as JSON.
      Exit 1 if it does not verify (also with the certificate of another key).
  registration.py make-cert OUT_CERT OUT_REGISTRAR_JWK VERIFIER_JWK
      makes a registrar key and a certificate with the claims Laissez's tests use, with pycose.
"""

import json
import sys
import time
import zlib

import cbor2
from pycose.algorithms import Es256
from pycose.headers import KID, Algorithm
from pycose.keys import EC2Key
from pycose.keys.curves import P256
from pycose.messages import Sign1Message

from _common import BadInput, EXIT_INVALID, b64url_decode, b64url_encode, emit, load_jwk, read_bytes, read_text, run

ORGANISATION, COUNTRY, PURPOSES, SCOPE = -65537, -65538, -65539, -65540
AAD = b"LaissezReaderAuthentication"
B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_decode(text: str) -> bytes:
    """RFC 9285."""
    out = bytearray()
    values = [B45.index(c) for c in text]
    for i in range(0, len(values), 3):
        chunk = values[i:i + 3]
        if len(chunk) == 3:
            n = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            out += bytes([n // 256, n % 256])
        else:
            n = chunk[0] + chunk[1] * 45
            out.append(n)
    return bytes(out)


def ec2_key(jwk: dict) -> EC2Key:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise BadInput("not a P-256 JWK")
    return EC2Key(crv=P256, x=b64url_decode(jwk["x"]), y=b64url_decode(jwk["y"]),
                  d=b64url_decode(jwk["d"]) if "d" in jwk else b"")


def sign1_of(data: bytes) -> Sign1Message:
    """A tagged COSE_Sign1. pycose's decode() wants the message to hold a list (cbor2 6 gives a
    tuple): the message is built from its four parts instead, as vical_list.py does."""
    try:
        outer = cbor2.loads(data)
    except Exception as e:  # noqa: BLE001 - any decode failure is bad input here
        raise BadInput(f"not CBOR: {e}")
    if not isinstance(outer, cbor2.CBORTag) or outer.tag != 18 or len(outer.value) != 4:
        raise BadInput("not a tagged COSE_Sign1")
    parts = list(outer.value)
    parts[1] = dict(parts[1])  # cbor2 6 gives an immutable map; pycose wants a dict
    return Sign1Message.from_cose_obj(parts, True)


def claims_of(cert: bytes) -> tuple:
    msg = sign1_of(cert)
    return msg, cbor2.loads(msg.payload)


def verified(msg: Sign1Message) -> bool:
    try:
        return bool(msg.verify_signature())
    except Exception:  # noqa: BLE001 - any failure is "does not verify"
        return False


def cnf_jwk(claims: dict) -> dict:
    key = claims[8][1]
    return {"kty": "EC", "crv": "P-256", "x": b64url_encode(key[-2]), "y": b64url_encode(key[-3])}


def verify_cert(cert_path: str, registrar_jwk: str) -> int:
    msg, claims = claims_of(read_bytes(cert_path))
    if msg.phdr.get(Algorithm) != Es256:
        print(json.dumps({"error": "not ES256"}))
        return EXIT_INVALID
    msg.key = ec2_key(load_jwk(registrar_jwk))
    if not verified(msg):
        print(json.dumps({"error": "signature does not verify"}))
        return EXIT_INVALID
    emit({
        "iss": claims[1], "sub": claims[2], "exp": claims[4], "nbf": claims[5], "iat": claims[6],
        "organisation": claims[ORGANISATION], "country": claims[COUNTRY],
        "purposes": claims[PURPOSES], "scope": claims[SCOPE], "cnf": cnf_jwk(claims),
        "kid": msg.phdr.get(KID, b"").hex(),
    })
    return 0


def verify_request(text_path: str, cert_path: str) -> int:
    text = read_text(text_path).strip()
    if not text.startswith("LZ1:"):
        raise BadInput("not an LZ1: code")
    kind, payload = cbor2.loads(zlib.decompress(base45_decode(text[4:])))
    if kind != 9:
        raise BadInput(f"message kind {kind}, not a signed request (9)")
    _, claims = claims_of(read_bytes(cert_path))
    msg = sign1_of(payload)
    msg.key = ec2_key(cnf_jwk(claims))
    msg.external_aad = AAD
    if not verified(msg):
        print(json.dumps({"error": "request signature does not verify with the certificate's key"}))
        return EXIT_INVALID
    request = cbor2.loads(msg.payload)
    emit({"nonce": request[1].hex(), "verifier_key": request[2].hex(), "name": request[3],
          "kcwt": any(getattr(k, "identifier", k) == 13 for k in msg.phdr)})
    return 0


def make_cert(out_cert: str, out_jwk: str, verifier_jwk: str) -> int:
    registrar = EC2Key.generate_key(crv=P256)
    verifier = load_jwk(verifier_jwk)
    from hashlib import sha256
    sec1 = b"\x04" + registrar.x + registrar.y
    kid = sha256(sec1).digest()[:8]
    now = int(time.time())
    claims = {
        1: "https://peer-registrar.example", 2: "peer-desk", 4: now + 86400, 5: now - 60, 6: now - 60,
        8: {1: {1: 2, -1: 1, -2: b64url_decode(verifier["x"]), -3: b64url_decode(verifier["y"])}},
        ORGANISATION: "Peer Aid Desk", COUNTRY: "KE", PURPOSES: ["Food distribution"],
        SCOPE: {"urn:laissez:id:1": ["given_name", "family_name"]},
    }
    msg = Sign1Message(phdr={Algorithm: Es256, KID: kid}, payload=cbor2.dumps(claims))
    msg.key = registrar
    with open(out_cert, "wb") as f:
        f.write(msg.encode(tag=True))
    with open(out_jwk, "w") as f:
        json.dump({"kty": "EC", "crv": "P-256", "x": b64url_encode(registrar.x),
                   "y": b64url_encode(registrar.y)}, f)
    return 0


def main() -> int:
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "verify-cert":
        return verify_cert(args[1], args[2])
    if len(args) == 3 and args[0] == "verify-request":
        return verify_request(args[1], args[2])
    if len(args) == 4 and args[0] == "make-cert":
        return make_cert(args[1], args[2], args[3])
    raise BadInput(__doc__)


if __name__ == "__main__":
    run(main)

#!/usr/bin/env python3
"""MOSIP Claim 169 QR codes, the peer side of group p (tests/interop/run.sh).

Two implementations no one here wrote:
- PyPI `claim169` (idpass/claim-169's decoder and encoder): `decode` verifies a code's
  signature with the issuer's public key and checks its times; `issue` makes a signed code.
- pycose (with cbor2 and cryptography): `pycose-verify` undoes Base45 and zlib itself, verifies
  the COSE_Sign1 signature with pycose and reads claim 169 with cbor2, so the signature is
  checked by a second COSE library that knows nothing of Claim 169.

  claim169_peer.py decode QRFILE --public-key-hex HEX [--decrypt-key-hex HEX]
  claim169_peer.py pycose-verify QRFILE --public-key-hex HEX
  claim169_peer.py issue QRFILE KEYFILE --alg EdDSA|ES256 [--encrypt-key-hex HEX]

decode / pycose-verify print one JSON object (id, full name, secondary full name and language,
issuer); exit 0 verified, 1 refused (signature, time), 2 unusable input. issue writes the QR
text to QRFILE and the public key (hex: Ed25519 raw, P-256 uncompressed) to KEYFILE.
"""

import argparse
import json
import os
import sys
import zlib

import cbor2
import claim169
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_decode(text):
    """RFC 9285 Base45, written out here (no package used on either side)."""
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = text[i : i + 3]
        n = sum(B45.index(c) * 45**k for k, c in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def read_text(path):
    with open(path, encoding="ascii") as f:
        return f.read().strip()


def decode(args):
    text = read_text(args.qrfile)
    key = bytes.fromhex(args.public_key_hex)
    verifier = {"verify_with_ed25519": key} if len(key) == 32 else {"verify_with_ecdsa_p256": key}
    try:
        if args.decrypt_key_hex:
            # Nested signature checked by a verifier callback of the same library.
            def verify(alg, key_id, data, signature):
                if len(key) == 32:
                    ed25519.Ed25519PublicKey.from_public_bytes(key).verify(signature, data)
                else:
                    from cryptography.hazmat.primitives import hashes
                    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

                    r = int.from_bytes(signature[:32], "big")
                    s = int.from_bytes(signature[32:], "big")
                    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), key).verify(
                        encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256())
                    )

            result = claim169.decode_encrypted_aes(
                text, bytes.fromhex(args.decrypt_key_hex), verifier=verify
            )
        else:
            result = claim169.decode(text, **verifier)
    except claim169.SignatureError as e:
        print(json.dumps({"verified": False, "error": f"signature: {e}"}))
        return 1
    except claim169.Claim169Exception as e:
        print(json.dumps({"verified": False, "error": f"{type(e).__name__}: {e}"}))
        return 1
    c = result.claim169
    print(
        json.dumps(
            {
                "verified": result.is_verified(),
                "verification_status": result.verification_status,
                "id": c.id,
                "full_name": c.full_name,
                "secondary_full_name": c.secondary_full_name,
                "secondary_language": c.secondary_language,
                "issuer": result.cwt_meta.issuer,
                "expires_at": result.cwt_meta.expires_at,
            },
            ensure_ascii=False,
        )
    )
    return 0 if result.is_verified() else 1


def pycose_verify(args):
    from pycose.keys import EC2Key, OKPKey
    from pycose.keys.curves import P256, Ed25519
    from pycose.messages import Sign1Message

    cose = zlib.decompress(base45_decode(read_text(args.qrfile)))
    key = bytes.fromhex(args.public_key_hex)
    if len(key) == 32:
        cose_key = OKPKey(crv=Ed25519, x=key)
    else:
        cose_key = EC2Key(crv=P256, x=key[1:33], y=key[33:65])
    # pycose's decode() wants the message to hold a list (cbor2 6 gives a tuple): the message
    # is built from its four parts instead, as registration.py does.
    outer = cbor2.loads(cose)
    if not isinstance(outer, cbor2.CBORTag) or outer.tag != 18 or len(outer.value) != 4:
        raise ValueError("not a tagged COSE_Sign1")
    parts = list(outer.value)
    parts[1] = dict(parts[1])
    message = Sign1Message.from_cose_obj(parts, True)
    message.key = cose_key
    try:
        ok = bool(message.verify_signature())
    except Exception:  # noqa: BLE001 - any failure is "does not verify"
        ok = False
    claims = cbor2.loads(message.payload)
    identity = claims.get(169, {})
    print(
        json.dumps(
            {
                "verified": ok,
                "id": identity.get(1),
                "full_name": identity.get(4),
                "secondary_full_name": identity.get(19),
                "secondary_language": identity.get(20),
                "issuer": claims.get(1),
            },
            ensure_ascii=False,
        )
    )
    return 0 if ok else 1


def issue(args):
    data = claim169.Claim169Input(id="ID-PEER-169", full_name="Peer Test Person")
    data.secondary_full_name = "شخص اختبار"
    data.secondary_language = "ara"
    data.gender = 2
    data.nationality = "KEN"
    meta = claim169.CwtMetaInput()
    meta.issuer = "https://peer.claim169.example"
    meta.issued_at = 1_700_000_000
    meta.not_before = 1_700_000_000
    meta.expires_at = 2_000_000_000
    secret = os.urandom(32)
    if args.alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.from_private_bytes(secret)
        public = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        sign = {"sign_with_ed25519": secret}
    else:
        private = ec.derive_private_key(int.from_bytes(secret, "big") % (2**255), ec.SECP256R1())
        scalar = private.private_numbers().private_value.to_bytes(32, "big")
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        sign = {"sign_with_ecdsa_p256": scalar}
    if args.encrypt_key_hex:
        sign["encrypt_with_aes256"] = bytes.fromhex(args.encrypt_key_hex)
    text = claim169.encode(data, meta, **sign)
    with open(args.qrfile, "w", encoding="ascii") as f:
        f.write(text)
    with open(args.keyfile, "w", encoding="ascii") as f:
        f.write(public.hex())
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("qrfile")
    d.add_argument("--public-key-hex", required=True)
    d.add_argument("--decrypt-key-hex")
    v = sub.add_parser("pycose-verify")
    v.add_argument("qrfile")
    v.add_argument("--public-key-hex", required=True)
    i = sub.add_parser("issue")
    i.add_argument("qrfile")
    i.add_argument("keyfile")
    i.add_argument("--alg", choices=["EdDSA", "ES256"], required=True)
    i.add_argument("--encrypt-key-hex")
    args = p.parse_args()
    try:
        return {"decode": decode, "pycose-verify": pycose_verify, "issue": issue}[args.cmd](args)
    except Exception as e:  # noqa: BLE001 - anything unexpected is unusable input, never "refused"
        print(f"claim169_peer: {type(e).__name__}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""An independent reading of a signed VICAL (ISO/IEC 18013-5 Annex C): cbor2 parses it,
pycose verifies the COSE_Sign1 with the key of x5chain[0], cryptography reads each
certificateInfo's certificate. Prints one JSON object:
{"provider", "issue_id", "signature_valid", "signer_under_root" (if --provider-root),
 "certificates": [{"sha256", "key", "strict_der"}]}, where `key` is P-256, P-384, P-521,
brainpoolP384r1, ..., Ed25519, RSA-<bits>, and `strict_der` whether cryptography reads the
certificate's extensions (a strict DER reader refuses non-DER BasicConstraints).
Usage: vical_list.py VICAL.cbor [--provider-root ROOT.pem]
"""
import argparse
import hashlib
import json
import sys

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from pycose.keys import EC2Key
from pycose.messages import Sign1Message


def key_name(cert):
    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}.get(
            key.curve.name, key.curve.name)
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    return type(key).__name__


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vical")
    ap.add_argument("--provider-root")
    a = ap.parse_args()
    raw = open(a.vical, "rb").read()
    outer = cbor2.loads(raw)
    if isinstance(outer, cbor2.CBORTag):
        outer = outer.value
    protected, unprotected, payload, _sig = outer
    chain = unprotected.get(33) or cbor2.loads(protected).get(33)
    chain = [chain] if isinstance(chain, bytes) else list(chain)
    signer = x509.load_der_x509_certificate(chain[0])
    # pycose's decode() wants a tagged message holding a list (cbor2 6 gives a tuple): build
    # the message from the four parts instead.
    msg = Sign1Message.from_cose_obj(list(outer), True)
    nums = signer.public_key().public_numbers()
    size = (signer.public_key().curve.key_size + 7) // 8
    crv = {"secp256r1": "P_256", "secp384r1": "P_384", "secp521r1": "P_521"}[signer.public_key().curve.name]
    msg.key = EC2Key(crv=crv, x=nums.x.to_bytes(size, "big"), y=nums.y.to_bytes(size, "big"))
    try:
        valid = bool(msg.verify_signature())
    except Exception:  # noqa: BLE001 - any failure is "does not verify"
        valid = False
    vical = cbor2.loads(payload)
    out = {
        "provider": vical["vicalProvider"],
        "issue_id": vical.get("vicalIssueID"),
        "signature_valid": valid,
        "certificates": [],
    }
    if a.provider_root:
        root = x509.load_pem_x509_certificate(open(a.provider_root, "rb").read())
        top = x509.load_der_x509_certificate(chain[-1])
        if top.fingerprint(top.signature_hash_algorithm) == root.fingerprint(root.signature_hash_algorithm) and len(chain) > 1:
            top = x509.load_der_x509_certificate(chain[-2])
        try:
            top.verify_directly_issued_by(root)
            out["signer_under_root"] = True
        except Exception:  # noqa: BLE001
            out["signer_under_root"] = False
    for info in vical["certificateInfos"]:
        der = info["certificate"]
        cert = x509.load_der_x509_certificate(der)
        try:
            list(cert.extensions)
            strict = True
        except Exception:  # noqa: BLE001
            strict = False
        out["certificates"].append(
            {"sha256": hashlib.sha256(der).hexdigest(), "key": key_name(cert), "strict_der": strict})
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()

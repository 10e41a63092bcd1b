#!/usr/bin/env python3
"""Issue an ISO 18013-5 mdoc with pymdoccbor (PyPI `pymdoccbor`) to a holder device key.

  mdoc_issue.py --issuer-key ISSUER_KEY (PEM or private JWK) \
                [--issuer-cert CERT.pem | --cert-out CERT.pem [--subject DN]] \
                --holder-key HOLDER_PUBLIC_JWK.json --claims CLAIMS.json --out FILE \
                [--doctype org.iso.18013.5.1.mDL] [--namespace org.iso.18013.5.1] \
                [--days 365] [--form device-response|document|issuer-signed]

CLAIMS.json: a flat JSON object of element identifier -> value, all put in --namespace; or
{"nameSpaces": {NS: {element: value, ...}, ...}} for several namespaces. JSON has no byte
strings or CBOR tags, so these spellings are converted: {"$bstr": "<base64>"} -> bstr,
{"$tdate": "2024-01-01T00:00:00Z"} -> tag 0, {"$fulldate": "2024-01-01"} -> tag 1004.
pymdoccbor itself tags the values of birth_date, expiry_date, issue_date and
issuance_date (also inside nested maps) as 1004 full-date: give those as plain
"YYYY-MM-DD" strings.

The issuer signs the MSO (COSE_Sign1, ES256, alg in the protected header, x5chain = the
certificate as one bstr in the unprotected header, label 33). Without --issuer-cert, a
self-signed certificate for the key is made with `cryptography` (subject with C, as
@auth0/mdl requires) and written to --cert-out: it is the trust anchor to give a verifier.

Output (raw CBOR bytes, no hex) in the --form chosen:
  device-response (default) exactly what pymdoccbor produces, MdocCborIssuer.dump():
      {"version": "1.0", "documents": [{"docType", "issuerSigned": {"nameSpaces",
      "issuerAuth"}}], "status": 0}  -- a DeviceResponse without deviceSigned
  document        the one Document {"docType", "issuerSigned"}
  issuer-signed   the bare IssuerSigned {"nameSpaces", "issuerAuth"}
Every form holds the very same IssuerSignedItemBytes and issuerAuth bytes.
Prints JSON: out, form, docType, namespaces with element identifiers, MSO validity, and
pymdoccbor's own verification of what it produced. Exit 0 ok, 2 bad input.
"""

import argparse
import base64
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import BadInput, b64url_decode, ec_private_key, emit, load_json, load_jwk, run  # noqa: E402


def convert_value(v):
    import cbor2

    if isinstance(v, dict):
        if len(v) == 1 and "$bstr" in v:
            try:
                return base64.b64decode(v["$bstr"] + "=" * (-len(v["$bstr"]) % 4), altchars=b"-_")
            except Exception:
                return base64.b64decode(v["$bstr"])
        if len(v) == 1 and "$tdate" in v:
            return cbor2.CBORTag(0, v["$tdate"])
        if len(v) == 1 and "$fulldate" in v:
            return cbor2.CBORTag(1004, v["$fulldate"])
        return {k: convert_value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [convert_value(x) for x in v]
    return v


AUTO_TAGGED = ("birth_date", "expiry_date", "issue_date", "issuance_date")  # pymdoccbor settings.CBORTAGS_ATTR_MAP


def check_auto_tagged(node, where="claims"):
    """pymdoccbor wraps these elements in tag 1004 itself: they must be plain strings here."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in AUTO_TAGGED and not isinstance(v, str):
                raise BadInput(f"{where}/{k}: pymdoccbor tags it 1004 itself; give a plain \"YYYY-MM-DD\" string")
            check_auto_tagged(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_auto_tagged(v, f"{where}[{i}]")


def cose_private_key(key):
    """pycose CoseKey dict for pymdoccbor from a cryptography EC private key."""
    from cryptography.hazmat.primitives.asymmetric import ec

    curves = {"secp256r1": ("P_256", "ES256", 32)}
    if key.curve.name not in curves:
        raise BadInput(f"issuer key curve {key.curve.name} not supported here (P-256 only)")
    crv, alg, size = curves[key.curve.name]
    nums = key.private_numbers()
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return {
        "KTY": "EC2",
        "CURVE": crv,
        "ALG": alg,
        "D": nums.private_value.to_bytes(size, "big"),
        "X": nums.public_numbers.x.to_bytes(size, "big"),
        "Y": nums.public_numbers.y.to_bytes(size, "big"),
    }, alg


def cose_public_key(jwk):
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise BadInput("holder key: an EC P-256 JWK is expected")
    try:
        return {"KTY": "EC2", "CURVE": "P_256", "X": b64url_decode(jwk["x"]), "Y": b64url_decode(jwk["y"])}
    except (KeyError, ValueError) as e:
        raise BadInput(f"holder key: bad JWK: {e}") from None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--issuer-key", required=True, help="issuer private key: PEM or private JWK (P-256)")
    ap.add_argument("--issuer-cert", help="issuer certificate (PEM or DER) for x5chain")
    ap.add_argument("--cert-out", help="without --issuer-cert: write the self-signed certificate made here")
    ap.add_argument("--subject", default="C=UT,ST=Utopia,O=pymdoccbor interop peer,CN=pymdoccbor peer issuer",
                    help="subject of the self-signed certificate")
    ap.add_argument("--holder-key", required=True, help="holder device public JWK (P-256)")
    ap.add_argument("--claims", required=True, help="JSON claims (see above)")
    ap.add_argument("--out", required=True, help="write the CBOR here")
    ap.add_argument("--doctype", default="org.iso.18013.5.1.mDL")
    ap.add_argument("--namespace", default="org.iso.18013.5.1")
    ap.add_argument("--days", type=int, default=365, help="MSO validity in days (default 365)")
    ap.add_argument("--form", choices=("device-response", "document", "issuer-signed"), default="device-response")
    args = ap.parse_args()

    logging.getLogger("pymdoccbor").setLevel(logging.ERROR)
    import datetime

    import cbor2
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pymdoccbor.mdoc.issuer import MdocCborIssuer
    from pymdoccbor.mdoc.verifier import MdocCbor

    key = ec_private_key(args.issuer_key)
    cose_key, alg = cose_private_key(key)
    device_key = cose_public_key(load_jwk(args.holder_key))

    claims = load_json(args.claims)
    if not isinstance(claims, dict) or not claims:
        raise BadInput(f"{args.claims}: a non-empty JSON object is expected")
    check_auto_tagged(claims)
    if "nameSpaces" in claims:
        data = {ns: convert_value(items) for ns, items in claims["nameSpaces"].items()}
    else:
        data = {args.namespace: convert_value(claims)}
    for ns, items in data.items():
        if not isinstance(items, dict) or not items:
            raise BadInput(f"namespace {ns}: a non-empty object of elements is expected")

    if args.issuer_cert:
        cert_path = args.issuer_cert
        try:
            from pymdoccbor.x509 import load_x509_certificates_from_source
            cert = load_x509_certificates_from_source(cert_path)[0]
        except (OSError, ValueError) as e:
            raise BadInput(f"{cert_path}: not a certificate: {e}") from None
    else:
        if not args.cert_out:
            raise BadInput("give --issuer-cert, or --cert-out to write the self-signed certificate made here")
        from keygen import parse_dn, self_signed_cert
        cert = self_signed_cert(key, parse_dn(args.subject), max(args.days, 1) + 30)
        try:
            with open(args.cert_out, "wb") as f:
                f.write(cert.public_bytes(serialization.Encoding.PEM))
        except OSError as e:
            raise BadInput(f"cannot write {args.cert_out}: {e.strerror}") from None
        cert_path = args.cert_out
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        raise BadInput("the certificate's public key is not the issuer key's")

    today = datetime.datetime.now(datetime.timezone.utc).date()
    validity = {
        "issuance_date": today.isoformat(),
        "expiry_date": (today + datetime.timedelta(days=args.days)).isoformat(),
    }
    issuer = MdocCborIssuer(private_key=cose_key, alg=alg)
    try:
        issuer.new(data=data, doctype=args.doctype, validity=validity, devicekeyinfo=device_key,
                   cert_path=cert_path)
    except AttributeError as e:
        # pymdoccbor 1.4.0 walks every list value as a list of maps (except `nationality`)
        raise BadInput(f"pymdoccbor cannot issue this claims file (a list of scalars other than "
                       f"`nationality`?): {e}") from None
    native = issuer.dump()  # cbor2.dumps(..., canonical=True) of the DeviceResponse-like map

    decoded = cbor2.loads(native)
    doc = decoded["documents"][0]
    if args.form == "device-response":
        out = native
    elif args.form == "document":
        out = cbor2.dumps(doc, canonical=True)
    else:
        out = cbor2.dumps(doc["issuerSigned"], canonical=True)
    try:
        with open(args.out, "wb") as f:
            f.write(out)
    except OSError as e:
        raise BadInput(f"cannot write {args.out}: {e.strerror}") from None

    # What did we make? Decode the MSO and check with pymdoccbor's own verifier.
    issuer_auth = doc["issuerSigned"]["issuerAuth"]
    mso = cbor2.loads(cbor2.loads(issuer_auth[2]).value)
    elements = {}
    for ns, items in doc["issuerSigned"]["nameSpaces"].items():
        elements[ns] = [cbor2.loads(i.value)["elementIdentifier"] for i in items]
    self_check = MdocCbor()
    self_check.loads(native)
    try:
        ok = self_check.verify(trusted_root_certs=[cert])
    except Exception as e:  # report, do not hide
        ok = f"error: {e}"
    vi = mso["validityInfo"]
    emit({
        "out": args.out,
        "form": args.form,
        "bytes": len(out),
        "docType": doc["docType"],
        "elements": elements,
        "mso": {
            "version": mso["version"],
            "digestAlgorithm": mso["digestAlgorithm"],
            "validityInfo": {k: (v.value if isinstance(v, cbor2.CBORTag) else str(v)) for k, v in vi.items()},
            "deviceKey": {str(k): (v.hex() if isinstance(v, bytes) else v) for k, v in
                          mso["deviceKeyInfo"]["deviceKey"].items()},
        },
        "certificate": {"file": cert_path, "subject": cert.subject.rfc4514_string(),
                        "not_after": cert.not_valid_after_utc.isoformat()},
        "pymdoccbor_self_verify": ok,
    })
    return 0


if __name__ == "__main__":
    run(main)

#!/usr/bin/env python3
"""Check an *issued* mdoc (before any presentation) with pymdoccbor's verifier.

  mdoc_issuer_verify.py --issuer-cert CERT.pem [--holder-key HOLDER_PUBLIC_JWK.json]
                        [--doctype DOCTYPE] FILE

FILE: raw CBOR or hex, a DeviceResponse-like {version, documents}, a Document
{docType, issuerSigned} or a bare IssuerSigned {nameSpaces, issuerAuth}.
pymdoccbor (MdocCbor.verify) checks: the issuerAuth COSE_Sign1 signature with the first
x5chain certificate, that certificate signed by --issuer-cert and within its validity, and
every IssuerSignedItem digest against the MSO valueDigests (SHA-256). This script adds:
MSO docType (= --doctype) and deviceKeyInfo.deviceKey (= --holder-key: same x and y).
Prints {"valid", "docType", "elements": {ns: {element: value}}, "problems"}; exit 0 valid,
1 invalid, 2 bad input.
"""

import argparse
import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import EXIT_INVALID, BadInput, b64url_decode, emit, load_jwk, read_bytes, read_cbor_file, run  # noqa: E402


def jsonable(v):
    import base64
    import datetime

    import cbor2

    if isinstance(v, bytes):
        return {"$bstr": base64.urlsafe_b64encode(v).decode().rstrip("=")}
    if isinstance(v, cbor2.CBORTag):
        return {"$tag": v.tag, "value": jsonable(v.value)}
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, dict) or hasattr(v, "items"):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--issuer-cert", required=True, help="trusted certificate (PEM): root or the self-signed issuer cert")
    ap.add_argument("--holder-key", help="expected device key (public JWK)")
    ap.add_argument("--doctype", help="expected docType")
    args = ap.parse_args()

    logging.getLogger("pymdoccbor").setLevel(logging.CRITICAL)
    import cbor2
    from cryptography import x509
    from pymdoccbor.mdoc.verifier import MdocCbor
    from pymdoccbor.tools import thaw_cbor

    try:
        trusted = x509.load_pem_x509_certificates(read_bytes(args.issuer_cert))
    except ValueError as e:
        raise BadInput(f"{args.issuer_cert}: not a PEM certificate: {e}") from None
    holder = load_jwk(args.holder_key) if args.holder_key else None
    raw = read_cbor_file(args.file)
    try:
        top = thaw_cbor(cbor2.loads(raw))
    except Exception as e:
        emit({"valid": False, "problems": [f"not CBOR: {e}"]})
        return EXIT_INVALID
    if not isinstance(top, dict):
        emit({"valid": False, "problems": ["not a CBOR map"]})
        return EXIT_INVALID
    problems = []
    form = "device-response"
    if "documents" not in top:
        if "issuerSigned" in top:
            form, top = "document", {"version": "1.0", "documents": [top], "status": 0}
        elif "issuerAuth" in top:
            ia = top["issuerAuth"]
            mso = cbor2.loads(cbor2.loads(ia[2]).value)
            form = "issuer-signed"
            top = {"version": "1.0", "documents": [{"docType": mso["docType"], "issuerSigned": top}], "status": 0}
        else:
            emit({"valid": False, "problems": ["neither DeviceResponse, Document nor IssuerSigned"]})
            return EXIT_INVALID
    docs = top["documents"]
    if len(docs) != 1:
        problems.append(f"{len(docs)} documents, 1 expected")

    checker = MdocCbor()
    checker.loads(cbor2.dumps(top))
    try:
        ok = checker.verify(trusted_root_certs=trusted)
    except Exception as e:
        ok = False
        problems.append(f"pymdoccbor: {type(e).__name__}: {e}")
    if not ok:
        for d in checker.documents_invalid:
            hv = getattr(d, "hash_verification", None)
            problems.append(f"pymdoccbor rejected the document (hash check: {hv})" if hv else
                            "pymdoccbor rejected the document (signature or certificate chain)")

    doc = docs[0]
    ia = doc["issuerSigned"]["issuerAuth"]
    mso = cbor2.loads(cbor2.loads(ia[2]).value)
    if args.doctype and mso.get("docType") != args.doctype:
        problems.append(f"MSO docType {mso.get('docType')!r}, expected {args.doctype!r}")
    if doc.get("docType") != mso.get("docType"):
        problems.append(f"Document docType {doc.get('docType')!r} differs from MSO docType {mso.get('docType')!r}")
    if holder:
        dk = mso.get("deviceKeyInfo", {}).get("deviceKey", {})
        try:
            same = dk.get(1) == 2 and dk.get(-1) == 1 and dk.get(-2) == b64url_decode(holder["x"]) \
                and dk.get(-3) == b64url_decode(holder["y"])
        except KeyError as e:
            raise BadInput(f"{args.holder_key}: missing {e}") from None
        if not same:
            problems.append("MSO deviceKey is not the holder key")
    elements = {}
    for ns, items in doc["issuerSigned"]["nameSpaces"].items():
        elements[ns] = {}
        for it in items:
            d = cbor2.loads(it.value)
            elements[ns][d["elementIdentifier"]] = jsonable(d["elementValue"])
    valid = ok and not problems
    emit({
        "valid": valid,
        "form": form,
        "docType": mso.get("docType"),
        "digestAlgorithm": mso.get("digestAlgorithm"),
        "validityInfo": jsonable(mso.get("validityInfo")),
        "elements": elements,
        "problems": problems,
    })
    return 0 if valid else EXIT_INVALID


if __name__ == "__main__":
    run(main)

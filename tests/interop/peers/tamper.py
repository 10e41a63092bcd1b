#!/usr/bin/env python3
"""Make a tampered copy of a presentation, with one well-defined change, for negative tests.

  tamper.py sd-jwt-disclosure     IN OUT   replace the first claim Disclosure with a
                                           well-formed one of the same salt and name but
                                           another value (digest no longer referenced, and
                                           the KB-JWT sd_hash no longer matches)
  tamper.py sd-jwt-kb-signature   IN OUT   change one byte of the KB-JWT signature
  tamper.py mdoc-element          IN OUT   change the first character of the first text
                                           elementValue inside its IssuerSignedItemBytes,
                                           in place (same length: only its digest breaks)
  tamper.py mdoc-device-signature IN OUT   change one byte of the deviceSignature

Everything else is kept byte for byte. Prints what was changed as JSON.
Exit 0 ok, 2 bad input (nothing suitable to tamper with).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import BadInput, b64url_decode, b64url_encode, emit, read_cbor_file, read_text, run  # noqa: E402


def other_char(c):
    return "X" if c != "X" else "Y"


def sd_jwt_disclosure(text):
    parts = text.strip().split("~")
    candidates = []
    for i in range(1, len(parts) - 1):
        arr = json.loads(b64url_decode(parts[i]))
        if len(arr) == 3:
            candidates.append((not isinstance(arr[2], str), i, arr))  # text values first
    if not candidates:
        raise BadInput("no claim Disclosure to tamper with")
    _, i, (salt, name, value) = min(candidates, key=lambda c: (c[0], c[1]))
    new_value = (other_char(value[0]) + value[1:]) if isinstance(value, str) and value else "tampered"
    parts[i] = b64url_encode(json.dumps([salt, name, new_value]).encode("utf-8"))
    return "~".join(parts) + "\n", {"disclosure": i, "claim": name, "from": value, "to": new_value}


def sd_jwt_kb_signature(text):
    parts = text.strip().split("~")
    kb = parts[-1]
    if kb.count(".") != 2:
        raise BadInput("no KB-JWT at the end")
    h, p, s = kb.split(".")
    sig = bytearray(b64url_decode(s))
    sig[len(sig) // 2] ^= 0x01
    parts[-1] = ".".join([h, p, b64url_encode(bytes(sig))])
    return "~".join(parts) + "\n", {"kb_signature_byte": len(sig) // 2}


def documents(top):
    if "documents" in top:
        return top["documents"]
    raise BadInput("not a DeviceResponse (no documents)")


def mdoc_element(raw):
    import cbor2

    top = cbor2.loads(raw)
    for doc in documents(top):
        for ns, items in doc["issuerSigned"]["nameSpaces"].items():
            for item in items:
                inner = item.value  # the bstr content of #6.24
                dec = cbor2.loads(inner)
                v = dec.get("elementValue")
                if not (isinstance(v, str) and v and v[0].isascii()):
                    continue
                enc = cbor2.dumps(v)
                if inner.count(enc) != 1 or raw.count(inner) != 1:
                    continue
                new_v = other_char(v[0]) + v[1:]
                new_inner = inner.replace(enc, cbor2.dumps(new_v))
                out = raw.replace(inner, new_inner)
                return out, {"namespace": ns, "element": dec["elementIdentifier"], "from": v, "to": new_v}
    raise BadInput("no disclosed text element to tamper with")


def mdoc_device_signature(raw):
    import cbor2

    top = cbor2.loads(raw)
    for doc in documents(top):
        sig = doc.get("deviceSigned", {}).get("deviceAuth", {}).get("deviceSignature")
        if sig and raw.count(sig[3]) == 1:
            new = bytearray(sig[3])
            new[len(new) // 2] ^= 0x01
            return raw.replace(sig[3], bytes(new)), {"device_signature_byte": len(new) // 2}
    raise BadInput("no deviceSignature to tamper with")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("sd-jwt-disclosure", "sd-jwt-kb-signature", "mdoc-element", "mdoc-device-signature"))
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args()
    if args.what.startswith("sd-jwt"):
        fn = sd_jwt_disclosure if args.what == "sd-jwt-disclosure" else sd_jwt_kb_signature
        out, info = fn(read_text(args.input))
        data = out.encode("ascii")
    else:
        fn = mdoc_element if args.what == "mdoc-element" else mdoc_device_signature
        try:
            data, info = fn(read_cbor_file(args.input))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise BadInput(f"{args.input}: cannot find the structure to tamper with: {e}") from None
    try:
        with open(args.output, "wb") as f:
            f.write(data)
    except OSError as e:
        raise BadInput(f"cannot write {args.output}: {e.strerror}") from None
    emit(dict(info, tamper=args.what, out=args.output))
    return 0


if __name__ == "__main__":
    run(main)

#!/usr/bin/env python3
"""List the published test vector cases (../shared/vectors) as tab-separated lines for run.sh.

  vector_cases.py sd-jwt VECTORS_DIR   ->  name kind expect file issuer_key nonce aud at expected_payload
  vector_cases.py mdoc   VECTORS_DIR   ->  name set expect file transcript trust_cert at reader_key
                                           nonce audience

Everything comes from the folders' manifest.json, so new cases there are picked up.
`kind` for sd-jwt: `kb` (compact SD-JWT+KB, Key Binding required), `nokb` (SD-JWT without
Key Binding, or a case whose expectation assumes none), `json-kb` / `json-nokb` (JWS JSON
serialization, RFC 9901 s8, with / without a KB-JWT).
`expect`: valid | invalid. `-` stands for an empty field. Times are UNIX seconds.
For mdoc, nonce/audience are read from a 2023-draft ISO 18013-7 OID4VP handover
[mdocGeneratedNonce, clientIdHash, responseUri, verifierNonce] (auth0-mdl): verifierNonce and
responseUri; `-` for other handovers (the Annex D NFC one).
"""

import datetime
import json
import os
import sys


def iso_to_unix(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def sd_jwt(root):
    base = os.path.join(root, "sd-jwt")
    with open(os.path.join(base, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    default_at = m["clock"]["recommended_verify_at"]
    kb_defaults = m["key_binding_expectations"]
    seen = {}
    for case in m["cases"]:
        rel = case["file"]
        if case.get("role") == "holder" or case["kind"] == "jwt":
            continue  # not a verifier's case / a bare JWT
        expect_text = case["expect"]
        folder = rel.split("/")[0]
        kb = case.get("key_binding") or {}
        exp_ctx = case.get("verifier_expects") or {}
        defaults = kb_defaults.get(folder) or kb_defaults["sd-jwt-draft22"]
        nonce = exp_ctx.get("nonce") or kb.get("nonce") or defaults["nonce"]
        aud = exp_ctx.get("aud") or kb.get("aud") or defaults["aud"]
        at = case.get("verify_at") or kb.get("iat") or default_at
        if case["kind"] == "sd-jwt-json":
            kind = "json-kb" if "presentation_kb" in rel else "json-nokb"
        elif case["kind"] == "sd-jwt+kb":
            kind = "kb"
        else:
            kind = "nokb"
        if expect_text.startswith("valid if Key Binding is not required"):
            # negative/s5-presentation-kb_stripped: invalid for a verifier requiring KB
            kind, expect = "kb", "invalid"
        elif expect_text.startswith("valid"):
            expect = "valid"
        else:
            expect = "invalid"
        name = os.path.splitext(os.path.basename(rel))[0]
        if "verifier_expects" in case:
            name += "@" + ("wrong-nonce" if "nonce" in expect_text else "wrong-aud")
        elif "verify_at" in case:
            name += "@after-exp"
        n = seen.get(name, 0)
        seen[name] = n + 1
        if n:
            name += f"#{n + 1}"
        payload = case.get("expected_processed_payload")
        print("\t".join([
            name, kind, expect, os.path.join(base, rel), os.path.join(base, case["issuer_key"]),
            nonce, aud, str(at), os.path.join(base, payload) if payload else "-",
        ]))


def handover_nonce_aud(transcript_hex_file):
    """(nonce, audience) from an OID4VP-2023-draft handover, else ("-", "-") (also when
    cbor2 is not importable: run this with the interop venv's python)."""
    try:
        import cbor2
    except ImportError:
        return "-", "-"
    with open(transcript_hex_file, encoding="ascii") as f:
        v = cbor2.loads(bytes.fromhex(f.read().strip()))
    if isinstance(v, cbor2.CBORTag) and v.tag == 24:
        v = cbor2.loads(v.value)
    h = v[2] if isinstance(v, (list, tuple)) and len(v) == 3 else None
    if isinstance(h, (list, tuple)) and len(h) == 4 and all(isinstance(x, str) for x in h):
        return h[3], h[2]
    return "-", "-"


def mdoc(root):
    base = os.path.join(root, "mdoc")
    with open(os.path.join(base, "manifest.json"), encoding="utf-8") as f:
        m = json.load(f)
    for s in m["sets"]:
        d = os.path.join(base, s["dir"])
        anchor = s["trust_anchor"].split(" ")[0]
        at = iso_to_unix(s["verify_at"])
        transcript = os.path.join(d, s["session_transcript"].split(" ")[0])
        reader_key = os.path.join(d, "keys.json") if s.get("keys") else "-"
        nonce, aud = handover_nonce_aud(transcript)
        for case in s["cases"]:
            f_ = case["file"]
            if not f_.startswith("device_response") and not f_.startswith("negative/device_response") \
                    and not f_.startswith("example"):
                continue  # requests, session messages: not DeviceResponses
            expect = "valid" if case["expect"] == "valid" else "invalid"
            case_at = at
            name = os.path.splitext(os.path.basename(f_))[0]
            if case.get("verify_at", "").startswith("now"):
                case_at = "now"
                name += "@now"
            print("\t".join([name, s["dir"], expect, os.path.join(d, f_), transcript,
                             os.path.join(d, anchor), str(case_at), reader_key, nonce, aud]))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("sd-jwt", "mdoc"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    {"sd-jwt": sd_jwt, "mdoc": mdoc}[sys.argv[1]](sys.argv[2])

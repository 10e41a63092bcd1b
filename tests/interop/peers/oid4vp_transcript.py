#!/usr/bin/env python3
"""Compute the ISO 18013-5 SessionTranscript of OpenID4VP 1.0 (Appendix B.2.6.1, redirect
flows), independently of the Rust code, with cbor2.

  oid4vp_transcript.py --client-id A [--response-uri U] --nonce N [--jwk-thumbprint HEX]
                       [--tagged] --out FILE
  oid4vp_transcript.py --self-test

  SessionTranscript     = [null, null, OpenID4VPHandover]
  OpenID4VPHandover     = ["OpenID4VPHandover", sha-256(OpenID4VPHandoverInfoBytes)]
  OpenID4VPHandoverInfo = [clientId, nonce, jwkThumbprint / null, responseUri]

--response-uri defaults to --client-id (the laissez contract: client_id = response_uri = the
audience). --jwk-thumbprint: the RFC 7638 thumbprint of the verifier's response encryption
key, only for encrypted responses (otherwise null). Writes the SessionTranscript CBOR
(preferred/canonical encoding) to FILE; with --tagged, SessionTranscriptBytes instead
(#6.24(bstr .cbor SessionTranscript), the form @auth0/mdl's `encodedSessionTranscript` takes).
Prints {"session_transcript_hex", "handover_info_hex", ...}. --self-test checks the
OpenID4VP 1.0 Appendix B.2.6.1 published example and exits 0 / 1.
"""

import argparse
import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import EXIT_INVALID, BadInput, emit, run  # noqa: E402

# OpenID4VP 1.0, Appendix B.2.6.1 (non-normative example); the same values are used as a
# known answer by several independent implementations (EUDI reference wallets, multipaz).
KAT = {
    "client_id": "x509_san_dns:example.com",
    "nonce": "exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA",
    "jwk_thumbprint": bytes.fromhex("4283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6bd669047"),
    "response_uri": "https://example.com/response",
    "session_transcript": "83f6f682714f70656e494434565048616e646f7665725820"
                          "048bc053c00442af9b8eed494cefdd9d95240d254b046b11b68013722aad38ac",
}


def transcript(client_id, nonce, jwk_thumbprint, response_uri):
    import cbor2

    info = cbor2.dumps([client_id, nonce, jwk_thumbprint, response_uri], canonical=True)
    handover = ["OpenID4VPHandover", hashlib.sha256(info).digest()]
    return info, cbor2.dumps([None, None, handover], canonical=True)


def tagged(session_transcript):
    import cbor2

    return cbor2.dumps(cbor2.CBORTag(24, session_transcript), canonical=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--client-id", help="client_id (the audience)")
    ap.add_argument("--response-uri", help="response_uri (default: = --client-id)")
    ap.add_argument("--nonce", help="the verifier's nonce")
    ap.add_argument("--jwk-thumbprint", help="hex SHA-256 JWK thumbprint of the response encryption key")
    ap.add_argument("--tagged", action="store_true", help="write #6.24(bstr) SessionTranscriptBytes")
    ap.add_argument("--out", help="write the CBOR bytes here")
    ap.add_argument("--self-test", action="store_true", help="check the OpenID4VP 1.0 B.2.6.1 example")
    args = ap.parse_args()

    if args.self_test:
        _, st = transcript(KAT["client_id"], KAT["nonce"], KAT["jwk_thumbprint"], KAT["response_uri"])
        ok = st.hex() == KAT["session_transcript"]
        emit({"self_test": "OpenID4VP 1.0 Appendix B.2.6.1", "ok": ok, "computed": st.hex(),
              "published": KAT["session_transcript"]})
        return 0 if ok else EXIT_INVALID

    if not (args.client_id and args.nonce and args.out):
        raise BadInput("--client-id, --nonce and --out are required (or --self-test)")
    try:
        thumb = bytes.fromhex(args.jwk_thumbprint) if args.jwk_thumbprint else None
    except ValueError:
        raise BadInput("--jwk-thumbprint must be hex") from None
    info, st = transcript(args.client_id, args.nonce, thumb, args.response_uri or args.client_id)
    data = tagged(st) if args.tagged else st
    try:
        with open(args.out, "wb") as f:
            f.write(data)
    except OSError as e:
        raise BadInput(f"cannot write {args.out}: {e.strerror}") from None
    emit({
        "out": args.out,
        "tagged": args.tagged,
        "session_transcript_hex": st.hex(),
        "handover_info_hex": info.hex(),
        "handover_info_sha256": hashlib.sha256(info).hexdigest(),
    })
    return 0


if __name__ == "__main__":
    run(main)

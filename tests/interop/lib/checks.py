#!/usr/bin/env python3
"""Assertions run.sh makes on files (the contract of the laissez CLI and the peers' output).
Each prints nothing and exits 0 when the assertion holds, or prints one line saying what is
wrong and exits 1 (2 for unusable arguments).

  checks.py public-jwk FILE                      EC P-256 public JWK: kty, crv, x, y; no d
  checks.py issuer-dir DIR                       issuer.key.json (with d), issuer.pub.json (its
                                                 public part), issuer.cert.pem (self-signed,
                                                 same key)
  checks.py sdjwt-issued FILE HOLDER_JWK VCT CLAIMS_JSON
                                                 SD-JWT VC as issued: header typ dc+sd-jwt, alg
                                                 ES256; iss, iat, exp, vct, cnf.jwk (= holder) in
                                                 the clear; each claim of CLAIMS_JSON only in a
                                                 Disclosure, with its value
  checks.py disclosed sd-jwt|mdoc VERIFY_JSON a,b
                                                 the peer verifier's output disclosed exactly
                                                 these claims / element identifiers
  checks.py text FILE --present v1,v2 --absent v3,v4
                                                 literal values present in / absent from a file
  checks.py same-transcript A B                  the same SessionTranscript (bare or tag 24, raw
                                                 or hex)
  checks.py credential-id FILE                   print the credential id from `wallet import`
                                                 output: the last non-empty line, or its "id"
                                                 member if that line is a JSON object
  checks.py status-verdict FILE STATE URI INDEX  `verifier verify --json` output: one verdict,
                                                 status {state: STATE, uri: URI, index: INDEX},
                                                 valid exactly when STATE is "valid", and no
                                                 claims shown unless valid
  checks.py vical-anchors ANCHORS_JSON PEER_JSON  `trust import-vical` anchors against the
                                                 independent reading of peers/vical_list.py:
                                                 the peer verified the signature (and the
                                                 signer under the root); Laissez's anchors are,
                                                 in order, exactly the peer's certificates with
                                                 a P-256 or P-384 key that strict DER reads,
                                                 and every other one is listed as skipped
"""

import base64
import hashlib
import json
import os
import string
import sys
import time


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def fail(msg):
    print(msg)
    sys.exit(1)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{path} is not JSON: {e}")


def public_jwk(path):
    j = load(path)
    if not isinstance(j, dict):
        fail(f"{path}: not a JSON object")
    if j.get("kty") != "EC" or j.get("crv") != "P-256":
        fail(f"{path}: kty/crv {j.get('kty')}/{j.get('crv')}, EC/P-256 expected")
    for k in ("x", "y"):
        if not isinstance(j.get(k), str) or len(b64d(j[k])) != 32:
            fail(f"{path}: {k} is not 32 bytes base64url")
    if "d" in j:
        fail(f"{path}: holds the private key (d)")
    return j


def issuer_dir(d):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    key, pub, cert = (os.path.join(d, n) for n in ("issuer.key.json", "issuer.pub.json", "issuer.cert.pem"))
    for p in (key, pub, cert):
        if not os.path.isfile(p):
            fail(f"missing {p}")
    k = load(key)
    if "d" not in k:
        fail(f"{key}: no d")
    p = public_jwk(pub)
    if (k.get("x"), k.get("y")) != (p["x"], p["y"]):
        fail(f"{pub} is not the public part of {key}")
    priv = ec.derive_private_key(int.from_bytes(b64d(k["d"]), "big"), ec.SECP256R1())
    n = priv.public_key().public_numbers()
    if (n.x.to_bytes(32, "big"), n.y.to_bytes(32, "big")) != (b64d(k["x"]), b64d(k["y"])):
        fail(f"{key}: d does not match x/y")
    try:
        with open(cert, "rb") as f:
            c = x509.load_pem_x509_certificate(f.read())
    except ValueError as e:
        fail(f"{cert}: not a PEM certificate: {e}")
    if c.public_key().public_numbers() != priv.public_key().public_numbers():
        fail(f"{cert}: certificate key is not the issuer key")
    if c.subject != c.issuer:
        fail(f"{cert}: not self-signed (subject {c.subject.rfc4514_string()}, issuer {c.issuer.rfc4514_string()})")
    try:
        c.public_key().verify(c.signature, c.tbs_certificate_bytes, ec.ECDSA(c.signature_hash_algorithm))
    except Exception:
        fail(f"{cert}: self-signature does not verify")


def sdjwt_issued(path, holder_path, vct, claims_path):
    with open(path, encoding="ascii") as f:
        text = f.read().strip()
    parts = text.split("~")
    if len(parts) < 3 or parts[-1] != "":
        fail("not `<JWT>~<Disclosure>~...~` (SD-JWT without KB ends in ~)")
    jwt = parts[0].split(".")
    header, payload = json.loads(b64d(jwt[0])), json.loads(b64d(jwt[1]))
    if header.get("typ") != "dc+sd-jwt":
        fail(f"header typ {header.get('typ')!r}, dc+sd-jwt expected")
    if header.get("alg") != "ES256":
        fail(f"header alg {header.get('alg')!r}, ES256 expected")
    for k in ("iss", "iat", "exp", "vct", "cnf"):
        if k not in payload:
            fail(f"payload has no {k} in the clear")
    now = time.time()
    if not (payload["iat"] <= now + 60 < payload["exp"] + 60):
        fail(f"iat {payload['iat']} / exp {payload['exp']} do not cover now")
    if payload["vct"] != vct:
        fail(f"vct {payload['vct']!r}, {vct!r} expected")
    holder = public_jwk(holder_path)
    cnf = payload["cnf"].get("jwk", {}) if isinstance(payload["cnf"], dict) else {}
    if (cnf.get("kty"), cnf.get("crv"), cnf.get("x"), cnf.get("y")) != ("EC", "P-256", holder["x"], holder["y"]):
        fail(f"cnf.jwk {cnf} is not the holder key")
    if payload.get("_sd_alg", "sha-256") != "sha-256":
        fail(f"_sd_alg {payload['_sd_alg']!r}")
    claims = load(claims_path)
    clear = sorted(set(claims) & set(payload))
    if clear:
        fail(f"claims in the clear, not selectively disclosable: {clear}")
    # Rebuild the claims from the digests (RFC 9901 s7.1), recursively: a disclosed object may
    # itself hold `_sd` digests of its members (recursive disclosure), and decoys have none.
    by_digest = {}
    for d in parts[1:-1]:
        digest = base64.urlsafe_b64encode(hashlib.sha256(d.encode("ascii")).digest()).rstrip(b"=").decode()
        by_digest[digest] = json.loads(b64d(d))

    def resolve(v):
        if isinstance(v, dict):
            out = {k: resolve(x) for k, x in v.items() if k not in ("_sd", "_sd_alg")}
            for digest in v.get("_sd", []):
                found = by_digest.get(digest)
                if found and len(found) == 3:
                    out[found[1]] = resolve(found[2])
            return out
        if isinstance(v, list):
            items = []
            for x in v:
                if isinstance(x, dict) and list(x) == ["..."]:
                    found = by_digest.get(x["..."])
                    if found and len(found) == 2:
                        items.append(resolve(found[1]))
                else:
                    items.append(resolve(x))
            return items
        return v

    rebuilt = resolve(payload)
    for k, v in claims.items():
        if k not in rebuilt:
            fail(f"no Disclosure for claim {k!r}")
        if rebuilt[k] != v:
            fail(f"claim {k!r} rebuilds to {rebuilt[k]!r}, {v!r} expected")


def disclosed(kind, path, expected):
    out = load(path)
    want = {c.split("/")[-1] for c in expected.split(",") if c}
    if kind == "sd-jwt":
        got = {d for d in out.get("disclosed", []) if isinstance(d, str)}
    else:
        got = set()
        for doc in out.get("documents", []):
            for items in doc.get("issuerSigned", {}).values():
                got |= set(items)
    if got != want:
        fail(f"disclosed {sorted(got)}, expected exactly {sorted(want)}")


def text(path, present, absent):
    with open(path, "rb") as f:
        data = f.read()
    for v in filter(None, present.split(",")):
        if v.encode() not in data:
            fail(f"{v!r} not found in the output")
    for v in filter(None, absent.split(",")):
        if v.encode() in data:
            fail(f"{v!r} (not requested) is in the output")


def transcript_bytes(path):
    with open(path, "rb") as f:
        data = f.read()
    s = data.strip()
    if s and len(s) % 2 == 0 and all(chr(c) in string.hexdigits for c in s):
        data = bytes.fromhex(s.decode())
    import cbor2

    v = cbor2.loads(data)
    if isinstance(v, cbor2.CBORTag) and v.tag == 24:
        return v.value
    return data


def same_transcript(a, b):
    ta, tb = transcript_bytes(a), transcript_bytes(b)
    if ta != tb:
        fail(f"SessionTranscripts differ: {ta.hex()} vs {tb.hex()}")


def credential_id(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = [ln.strip() for ln in f if ln.strip()]
    if not lines:
        fail("no output")
    last = lines[-1]
    if last.startswith("{"):
        try:
            obj = json.loads(last)
            last = str(obj.get("id") or obj.get("credential_id") or "")
        except json.JSONDecodeError:
            pass
    if not last:
        fail("no credential id in the output")
    print(last)


def status_verdict(path, state, uri, index):
    verdicts = load(path)
    if not isinstance(verdicts, list) or len(verdicts) != 1 or not isinstance(verdicts[0], dict):
        fail(f"{path}: one verdict (a JSON array of one object) expected")
    v = verdicts[0]
    status = v.get("status")
    if not isinstance(status, dict):
        fail(f"verdict has no status object (reasons {v.get('reasons')})")
    got = (status.get("state"), status.get("uri"), status.get("index"))
    if got != (state, uri, int(index)):
        fail(f"status state/uri/index {got}, expected {(state, uri, int(index))} (reasons {v.get('reasons')})")
    if v.get("valid") is not (state == "valid"):
        fail(f"valid is {v.get('valid')} with status {state} (reasons {v.get('reasons')})")
    if state != "valid" and v.get("claims"):
        fail(f"claims shown although the credential is {state}")


def vical_anchors(anchors_path, peer_path):
    anchors, peer = load(anchors_path), load(peer_path)
    if not peer["signature_valid"]:
        fail("the peer (pycose) does not verify the VICAL signature")
    if peer.get("signer_under_root") is False:
        fail("the peer does not find the VICAL signer under the root")
    if anchors["source"]["provider"] != peer["provider"]:
        fail(f"provider {anchors['source']['provider']!r}, the peer read {peer['provider']!r}")
    usable = [c["sha256"] for c in peer["certificates"] if c["key"] in ("P-256", "P-384", "Ed25519") and c["strict_der"]]
    ours = [hashlib.sha256(base64.b64decode(e["certificate"])).hexdigest() for e in anchors["entries"]]
    if ours != usable:
        fail(f"anchors differ from the peer's usable certificates: {len(ours)} vs {len(usable)}, "
             f"ours not in the peer's: {len(set(ours) - set(usable))}")
    skipped = len(anchors.get("skipped", []))
    if len(ours) + skipped != len(peer["certificates"]):
        fail(f"{len(ours)} anchors + {skipped} skipped != {len(peer['certificates'])} certificateInfos")


def main():
    a = sys.argv[1:]
    if not a:
        print(__doc__)
        sys.exit(2)
    cmd = a[0]
    if cmd == "public-jwk" and len(a) == 2:
        public_jwk(a[1])
    elif cmd == "issuer-dir" and len(a) == 2:
        issuer_dir(a[1])
    elif cmd == "sdjwt-issued" and len(a) == 5:
        sdjwt_issued(*a[1:])
    elif cmd == "disclosed" and len(a) == 4:
        disclosed(*a[1:])
    elif cmd == "text" and len(a) in (4, 6):
        opts = dict(zip(a[2::2], a[3::2]))
        text(a[1], opts.get("--present", ""), opts.get("--absent", ""))
    elif cmd == "same-transcript" and len(a) == 3:
        same_transcript(a[1], a[2])
    elif cmd == "credential-id" and len(a) == 2:
        credential_id(a[1])
    elif cmd == "status-verdict" and len(a) == 5:
        status_verdict(*a[1:])
    elif cmd == "vical-anchors" and len(a) == 3:
        vical_anchors(*a[1:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()

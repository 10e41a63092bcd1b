#!/usr/bin/env python3
"""Assertions run.sh makes on files (the contract of the laissez CLI and the peers' output).
Each prints nothing and exits 0 when the assertion holds, or prints one line saying what is
wrong and exits 1 (2 for unusable arguments).

  checks.py public-jwk FILE                      EC P-256 public JWK: kty, crv, x, y; no d
  checks.py issuer-dir DIR                       `issuer new` output: issuer.key.json (with d),
                                                 issuer.pub.json (its public part),
                                                 authority/iaca.{key.json,cert.pem} and the copy
                                                 iaca.cert.pem: a self-signed root (Annex B
                                                 B.1: CA, pathLen 0, keyCertSign+cRLSign, C,
                                                 SKI, issuerAltName); issuer.cert.pem: the
                                                 signer key, signed by the root (B.3: end
                                                 entity, digitalSignature, critical EKU
                                                 1.0.18013.5.1.2, AKI = root SKI, the root's
                                                 issuerAltName, one URI SAN, C, within the
                                                 root's validity)
  checks.py sdjwt-issued FILE HOLDER_JWK VCT CLAIMS_JSON [ISSUER_DIR]
                                                 SD-JWT VC as issued: header typ dc+sd-jwt, alg
                                                 ES256; iss, iat, exp, vct, cnf.jwk (= holder) in
                                                 the clear; each claim of CLAIMS_JSON only in a
                                                 Disclosure, with its value; with ISSUER_DIR
                                                 also header x5c = [issuer.cert.pem] (no
                                                 root) and iss = its URI SAN
  checks.py mdoc-x5chain FILE ISSUER_DIR         issued mdoc: issuerAuth x5chain = the signer
                                                 certificate alone (not the IACA root)
  checks.py disclosed sd-jwt|mdoc VERIFY_JSON a,b
                                                 the peer verifier's output disclosed exactly
                                                 these claims / element identifiers
  checks.py portrait sd-jwt|mdoc|laissez VERIFY_JSON EXPECTED.jpg
                                                 the verifier output's portrait (reference
                                                 `picture` data URL, @auth0/mdl `portrait` bstr,
                                                 laissez verdict `portrait.jpeg`) is exactly
                                                 EXPECTED's bytes (and, for laissez, its size)
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
  checks.py presented-keys sd-jwt|mdoc ISSUED_JSON CONFIG PRESENTATION...
                                                 each presentation (SD-JWT+KB or DeviceResponse)
                                                 shows a copy bound to another holder key (cnf.jwk
                                                 / the MSO's deviceKey), and together they are
                                                 exactly the keys peers/oid4vci_issuer.mjs wrote
                                                 in ISSUED_JSON for CONFIG
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


EKU_MDL_DS = "1.0.18013.5.1.2"  # ISO/IEC 18013-5 Annex B: id-mdl-kp-mdlDS


def load_cert(path):
    from cryptography import x509

    try:
        with open(path, "rb") as f:
            return x509.load_pem_x509_certificate(f.read())
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    except ValueError as e:
        fail(f"{path}: not a PEM certificate: {e}")


def ext(cert, oid_or_class, path, critical=None):
    """The extension's value; fails if absent, or if `critical` is given and differs."""
    from cryptography import x509

    try:
        e = cert.extensions.get_extension_for_class(oid_or_class) if isinstance(oid_or_class, type) \
            else cert.extensions.get_extension_for_oid(oid_or_class)
    except x509.ExtensionNotFound:
        fail(f"{path}: no {getattr(oid_or_class, '__name__', oid_or_class)} extension")
    if critical is not None and e.critical != critical:
        fail(f"{path}: {e.oid._name} is {'' if e.critical else 'not '}critical")
    return e.value


def signed_by(cert, issuer_cert, path, by):
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        issuer_cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes,
                                        ec.ECDSA(cert.signature_hash_algorithm))
    except Exception:
        fail(f"{path}: its signature does not verify with {by}'s key")


def ec_key_of_jwk(path, j):
    from cryptography.hazmat.primitives.asymmetric import ec

    curves = {"P-256": (ec.SECP256R1(), 32), "P-384": (ec.SECP384R1(), 48)}
    if "d" not in j:
        fail(f"{path}: no d")
    if j.get("kty") != "EC" or j.get("crv") not in curves:
        fail(f"{path}: EC P-256/P-384 JWK expected")
    curve, size = curves[j["crv"]]
    priv = ec.derive_private_key(int.from_bytes(b64d(j["d"]), "big"), curve)
    n = priv.public_key().public_numbers()
    if (n.x.to_bytes(size, "big"), n.y.to_bytes(size, "big")) != (b64d(j["x"]), b64d(j["y"])):
        fail(f"{path}: d does not match x/y")
    return priv.public_key().public_numbers()


def signer_san_uris(cert):
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return san.get_values_for_type(x509.UniformResourceIdentifier)


def issuer_dir(d):
    """`issuer new` output: an issuing authority (IACA root, ISO 18013-5 Annex B table B.1)
    and a document signer it certified (table B.3; its URI SAN is the SD-JWT VC `iss`)."""
    from cryptography import x509
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: F401

    key, pub, cert = (os.path.join(d, n) for n in ("issuer.key.json", "issuer.pub.json", "issuer.cert.pem"))
    auth_key, auth_cert = os.path.join(d, "authority", "iaca.key.json"), os.path.join(d, "authority", "iaca.cert.pem")
    root_copy = os.path.join(d, "iaca.cert.pem")
    for p in (key, pub, cert, auth_key, auth_cert, root_copy):
        if not os.path.isfile(p):
            fail(f"missing {p}")
    k = load(key)
    p = public_jwk(pub)
    if (k.get("x"), k.get("y")) != (p["x"], p["y"]):
        fail(f"{pub} is not the public part of {key}")
    signer_nums = ec_key_of_jwk(key, k)
    root_nums = ec_key_of_jwk(auth_key, load(auth_key))
    with open(auth_cert, "rb") as f1, open(root_copy, "rb") as f2:
        if f1.read() != f2.read():
            fail(f"{root_copy} is not a copy of {auth_cert}")

    # The root: self-signed, CA with pathLen 0, keyCertSign + cRLSign only (Annex B B.1)
    root = load_cert(auth_cert)
    if root.public_key().public_numbers() != root_nums:
        fail(f"{auth_cert}: certificate key is not the authority key")
    if root.subject != root.issuer:
        fail(f"{auth_cert}: not self-signed")
    signed_by(root, root, auth_cert, "its own")
    bc = ext(root, x509.BasicConstraints, auth_cert, critical=True)
    if not bc.ca or bc.path_length != 0:
        fail(f"{auth_cert}: basicConstraints CA={bc.ca} pathLen={bc.path_length}, CA with pathLen 0 expected")
    ku = ext(root, x509.KeyUsage, auth_cert, critical=True)
    if not (ku.key_cert_sign and ku.crl_sign) or ku.digital_signature:
        fail(f"{auth_cert}: keyUsage must be keyCertSign and cRLSign only")
    root_ski = ext(root, x509.SubjectKeyIdentifier, auth_cert).digest
    if not root.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME):
        fail(f"{auth_cert}: no countryName (C) in the subject")
    root_ian = ext(root, x509.IssuerAlternativeName, auth_cert)

    # The document signer: under the root, end entity, digitalSignature, the mdoc DS EKU
    # (critical), issuerAltName copied from the root, a URI SAN (the SD-JWT VC iss)
    c = load_cert(cert)
    if c.public_key().public_numbers() != signer_nums:
        fail(f"{cert}: certificate key is not the issuer key")
    if c.issuer != root.subject:
        fail(f"{cert}: issuer {c.issuer.rfc4514_string()} is not the root's subject {root.subject.rfc4514_string()}")
    if c.subject == c.issuer:
        fail(f"{cert}: self-signed; a signer certified by the authority expected")
    signed_by(c, root, cert, "the authority")
    try:
        bc = c.extensions.get_extension_for_class(x509.BasicConstraints).value
        if bc.ca:
            fail(f"{cert}: basicConstraints CA=TRUE on a document signer")
    except x509.ExtensionNotFound:
        pass
    ku = ext(c, x509.KeyUsage, cert, critical=True)
    if not ku.digital_signature or ku.key_cert_sign or ku.crl_sign:
        fail(f"{cert}: keyUsage must be digitalSignature only")
    eku = ext(c, x509.ExtendedKeyUsage, cert, critical=True)
    if [o.dotted_string for o in eku] != [EKU_MDL_DS]:
        fail(f"{cert}: extendedKeyUsage {[o.dotted_string for o in eku]}, [{EKU_MDL_DS}] expected")
    aki = ext(c, x509.AuthorityKeyIdentifier, cert)
    if aki.key_identifier != root_ski:
        fail(f"{cert}: authorityKeyIdentifier is not the root's subjectKeyIdentifier")
    ext(c, x509.SubjectKeyIdentifier, cert)
    if ext(c, x509.IssuerAlternativeName, cert) != root_ian:
        fail(f"{cert}: issuerAltName differs from the root's")
    uris = signer_san_uris(c)
    if len(uris) != 1:
        fail(f"{cert}: {len(uris)} URI SANs, one (the SD-JWT VC iss) expected")
    if not c.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME):
        fail(f"{cert}: no countryName (C) in the subject (@auth0/mdl requires it)")
    if c.not_valid_before_utc < root.not_valid_before_utc or c.not_valid_after_utc > root.not_valid_after_utc:
        fail(f"{cert}: validity is not within the root's")
    now = time.time()
    if not (c.not_valid_before_utc.timestamp() <= now + 60 <= c.not_valid_after_utc.timestamp() + 60):
        fail(f"{cert}: not valid now")


def x5c_and_iss(header, payload, issuer):
    """The SD-JWT VC draft (s3.5, x5c): x5c holds the signer's certificate and, if any, its
    intermediates, never the trust anchor; `iss` equals a URI SAN of the leaf."""
    from cryptography import x509

    signer = load_cert(os.path.join(issuer, "issuer.cert.pem"))
    root = load_cert(os.path.join(issuer, "iaca.cert.pem"))
    from cryptography.hazmat.primitives.serialization import Encoding

    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c:
        fail(f"header x5c {x5c!r}: a non-empty array expected")
    try:
        ders = [base64.b64decode(c, validate=True) for c in x5c]
    except Exception:
        fail("header x5c: not standard base64 (RFC 7515 s4.1.6)")
    if root.public_bytes(Encoding.DER) in ders:
        fail("header x5c holds the root (the trust anchor must not be sent)")
    if ders != [signer.public_bytes(Encoding.DER)]:
        fail(f"header x5c: {len(ders)} certificate(s), exactly [issuer.cert.pem] expected")
    leaf = x509.load_der_x509_certificate(ders[0])
    if payload.get("iss") not in signer_san_uris(leaf):
        fail(f"iss {payload.get('iss')!r} is not a URI SAN of the x5c leaf {signer_san_uris(leaf)}")


def mdoc_x5chain(path, issuer):
    """An issued mdoc (laissez issuer issue --format mdoc): issuerAuth's x5chain (label 33, in
    the unprotected header) is the document signer's certificate alone, not the IACA."""
    import cbor2
    from cryptography.hazmat.primitives.serialization import Encoding

    with open(path, "rb") as f:
        top = cbor2.loads(f.read())
    try:
        if "documents" in top:
            top = top["documents"][0]
        if "issuerSigned" in top:
            top = top["issuerSigned"]
        ia = top["issuerAuth"]
    except (KeyError, IndexError, TypeError):
        fail(f"{path}: no issuerAuth found")
    if isinstance(ia, cbor2.CBORTag):
        ia = ia.value
    protected = cbor2.loads(ia[0]) if ia[0] else {}
    chain = ia[1].get(33, protected.get(33))
    if chain is None:
        fail("issuerAuth has no x5chain (label 33)")
    ders = chain if isinstance(chain, list) else [chain]
    signer = load_cert(os.path.join(issuer, "issuer.cert.pem")).public_bytes(Encoding.DER)
    root = load_cert(os.path.join(issuer, "iaca.cert.pem")).public_bytes(Encoding.DER)
    if root in ders:
        fail("x5chain holds the IACA root (a reader has it; Annex B sends the signer only)")
    if ders != [signer]:
        fail(f"x5chain: {len(ders)} certificate(s), exactly [issuer.cert.pem] expected")


def sdjwt_issued(path, holder_path, vct, claims_path, issuer=None):
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
    if issuer:
        x5c_and_iss(header, payload, issuer)
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


def portrait(kind, path, expected_path):
    """The signed portrait a verifier output carries is byte for byte EXPECTED."""
    with open(expected_path, "rb") as f:
        expected = f.read()
    out = load(path)
    if kind == "sd-jwt":
        url = out.get("payload", {}).get("picture")
        prefix = "data:image/jpeg;base64,"
        if not isinstance(url, str) or not url.startswith(prefix):
            fail(f"picture is not a JPEG data URL: {str(url)[:40]!r}")
        got = base64.b64decode(url[len(prefix):])
    elif kind == "mdoc":
        found = [items["portrait"] for doc in out.get("documents", [])
                 for items in doc.get("issuerSigned", {}).values() if "portrait" in items]
        if len(found) != 1 or not isinstance(found[0], dict) or "$bstr" not in found[0]:
            fail(f"expected one portrait bstr, found {found!r:.80}")
        b = found[0]["$bstr"]
        got = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))
    elif kind == "laissez":
        verdicts = out if isinstance(out, list) else [out]
        found = [v.get("portrait") for v in verdicts if v.get("portrait")]
        if len(found) != 1:
            fail(f"expected one verdict with a portrait, found {len(found)}")
        got = base64.b64decode(found[0]["jpeg"])
        if (found[0]["width"], found[0]["height"]) != jpeg_size(expected):
            fail(f"portrait size {found[0]['width']}x{found[0]['height']}, the JPEG says {jpeg_size(expected)}")
    else:
        fail(f"unknown kind {kind}")
    if got != expected:
        fail(f"portrait differs from what was signed: {len(got)} bytes, expected {len(expected)}")


def jpeg_size(data):
    """(width, height) from the first SOFn marker of a JPEG."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            fail("not a JPEG marker stream")
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    fail("no JPEG frame header")


def presented_key_x(kind, path):
    with open(path, "rb") as f:
        data = f.read()
    if kind == "sd-jwt":
        payload = data.decode().strip().split("~")[0].split(".")[1]
        return json.loads(b64d(payload))["cnf"]["jwk"]["x"]
    import cbor2

    untag = lambda v: v.value if isinstance(v, cbor2.CBORTag) else v  # noqa: E731
    document = cbor2.loads(data)["documents"][0]
    mso = cbor2.loads(untag(cbor2.loads(untag(document["issuerSigned"]["issuerAuth"])[2])))
    return base64.urlsafe_b64encode(mso["deviceKeyInfo"]["deviceKey"][-2]).rstrip(b"=").decode()


def presented_keys(kind, issued_path, config, presentations):
    issued = [e for e in load(issued_path) if e.get("configuration") == config]
    if len(issued) != 1:
        fail(f"{issued_path}: {len(issued)} requests for {config}, expected 1")
    want = issued[0]["holder_x"]
    got = [presented_key_x(kind, p) for p in presentations]
    if len(set(got)) != len(got):
        fail(f"{len(got)} presentations show {len(set(got))} holder keys")
    if sorted(got) != sorted(want):
        fail(f"presented holder keys {sorted(got)} are not the {len(want)} the issuer bound: {sorted(want)}")


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
    elif cmd == "sdjwt-issued" and len(a) in (5, 6):
        sdjwt_issued(*a[1:])
    elif cmd == "mdoc-x5chain" and len(a) == 3:
        mdoc_x5chain(a[1], a[2])
    elif cmd == "disclosed" and len(a) == 4:
        disclosed(*a[1:])
    elif cmd == "portrait" and len(a) == 4:
        portrait(*a[1:])
    elif cmd == "text" and len(a) in (4, 6):
        opts = dict(zip(a[2::2], a[3::2]))
        text(a[1], opts.get("--present", ""), opts.get("--absent", ""))
    elif cmd == "same-transcript" and len(a) == 3:
        same_transcript(a[1], a[2])
    elif cmd == "credential-id" and len(a) == 2:
        credential_id(a[1])
    elif cmd == "status-verdict" and len(a) == 5:
        status_verdict(*a[1:])
    elif cmd == "presented-keys" and len(a) >= 5:
        presented_keys(a[1], a[2], a[3], a[4:])
    elif cmd == "vical-anchors" and len(a) == 3:
        vical_anchors(*a[1:])
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()

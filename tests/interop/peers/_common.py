"""Small helpers shared by the Python peer scripts (no protocol logic lives here).

Exit codes of every peer: 0 success / valid, 1 invalid (the thing checked is wrong),
2 bad input (missing or unreadable file, bad arguments, unusable key).
"""

import base64
import json
import string
import sys

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """The caller gave us something unusable: exit 2."""


class Invalid(Exception):
    """The object under test is not valid: exit 1."""


def run(main):
    """Run main(), mapping BadInput to exit 2 with a JSON error on stderr."""
    try:
        code = main()
    except BadInput as e:
        print(json.dumps({"error": "bad input", "detail": str(e)}), file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(code if code is not None else EXIT_OK)


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def read_text(path: str) -> str:
    try:
        with open(path, "r", encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not UTF-8 text") from None


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise BadInput(f"cannot read {path}: {e.strerror}") from None


def read_cbor_file(path: str) -> bytes:
    """Raw CBOR bytes, or a file of hex text (as in ../shared/vectors/mdoc/*.hex)."""
    data = read_bytes(path)
    stripped = data.strip()
    if stripped and len(stripped) % 2 == 0 and all(chr(c) in string.hexdigits for c in stripped):
        return bytes.fromhex(stripped.decode("ascii"))
    return data


def load_json(path: str):
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise BadInput(f"{path} is not JSON: {e}") from None


def load_jwk(path: str, need_private: bool = False) -> dict:
    jwk = load_json(path)
    if not isinstance(jwk, dict) or "kty" not in jwk:
        raise BadInput(f"{path} is not a JWK (no kty)")
    if need_private and "d" not in jwk:
        raise BadInput(f"{path} is a public JWK; a private key (with d) is needed")
    return jwk


def public_jwk(jwk: dict) -> dict:
    """The public members of an EC/OKP JWK, in a stable order."""
    if jwk.get("kty") == "EC":
        return {k: jwk[k] for k in ("kty", "crv", "x", "y")}
    if jwk.get("kty") == "OKP":
        return {k: jwk[k] for k in ("kty", "crv", "x")}
    raise BadInput(f"unsupported JWK kty {jwk.get('kty')!r} (EC or OKP expected)")


def jws_alg_for(jwk: dict) -> str:
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "EC":
        algs = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
        if crv in algs:
            return algs[crv]
    if kty == "OKP" and crv == "Ed25519":
        return "EdDSA"
    raise BadInput(f"unsupported key kty={kty!r} crv={crv!r}")


def ec_private_key(path: str):
    """A cryptography EC private key from a PEM (PKCS#8 or SEC1) or a private JWK file."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    data = read_bytes(path)
    if b"-----BEGIN" in data:
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as e:
            raise BadInput(f"{path}: not a usable PEM private key: {e}") from None
    else:
        jwk = load_jwk(path, need_private=True)
        curves = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
        if jwk.get("kty") != "EC" or jwk.get("crv") not in curves:
            raise BadInput(f"{path}: EC P-256/384/521 JWK expected")
        try:
            key = ec.derive_private_key(int.from_bytes(b64url_decode(jwk["d"]), "big"), curves[jwk["crv"]])
        except (ValueError, KeyError) as e:
            raise BadInput(f"{path}: bad EC JWK: {e}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise BadInput(f"{path}: an EC private key is expected")
    return key


def ec_public_jwk_from_key(public_key) -> dict:
    from cryptography.hazmat.primitives.asymmetric import ec

    size = (public_key.curve.key_size + 7) // 8
    nums = public_key.public_numbers()
    crv = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}[public_key.curve.name]
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    return {
        "kty": "EC",
        "crv": crv,
        "x": b64url_encode(nums.x.to_bytes(size, "big")),
        "y": b64url_encode(nums.y.to_bytes(size, "big")),
    }


def public_jwk_of_cert(cert) -> dict:
    """The public JWK (EC P-256/384/521 or Ed25519) of a `cryptography` certificate."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    key = cert.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in ("secp256r1", "secp384r1", "secp521r1"):
            raise ValueError(f"unsupported curve {key.curve.name}")
        return ec_public_jwk_from_key(key)
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}
    raise ValueError(f"unsupported certificate key {type(key).__name__}")


def verify_x5c(x5c, anchor_paths, at=None):
    """Check an x5c header (RFC 7515 s4.1.6: standard base64 DER, leaf first) against trust
    anchors (PEM files: roots or intermediates taken as trusted) with `cryptography`'s X.509
    path validation (RFC 5280: signatures, validity at `at` (UNIX seconds, default now), CA
    basicConstraints, pathLen, keyUsage keyCertSign). The leaf's extensions are not judged
    (no EKU is required of an SD-JWT VC issuer); the caller matches `iss` to its SAN.
    Returns (leaf certificate, [subjects from the leaf to the anchor]). Raises Invalid when
    no path reaches an anchor, BadInput for unreadable anchor files."""
    import base64
    import datetime

    from cryptography import x509
    from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

    anchors = []
    for p in anchor_paths:
        try:
            anchors += x509.load_pem_x509_certificates(read_bytes(p))
        except ValueError as e:
            raise BadInput(f"{p}: not PEM certificates: {e}") from None
    if not anchors:
        raise BadInput("no trust anchor certificate given")
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        raise Invalid("the JWT header has no x5c array of certificates")
    try:
        certs = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
    except ValueError as e:
        raise Invalid(f"x5c: not base64 DER certificates: {e}") from None
    when = datetime.datetime.fromtimestamp(at, datetime.timezone.utc) if at is not None \
        else datetime.datetime.now(datetime.timezone.utc)
    verifier = (
        PolicyBuilder().store(Store(anchors)).time(when)
        .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all())
        .build_client_verifier()
    )
    try:
        verified = verifier.verify(certs[0], certs[1:])
    except (VerificationError, ValueError) as e:
        raise Invalid(f"x5c does not chain to a trust anchor: {e}") from None
    return certs[0], [c.subject.rfc4514_string() for c in verified.chain]


def san_uris(cert) -> list:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return san.get_values_for_type(x509.UniformResourceIdentifier)


def emit(obj) -> None:
    print(json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False, default=str))

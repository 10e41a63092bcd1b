#!/usr/bin/env python3
"""Make a key pair for a peer (issuer or holder), with `cryptography`: P-256 by default, or
P-384 or Ed25519 (`--curve`, issuer keys of ES384 and EdDSA); and optionally a self-signed
X.509 certificate for it (what an mdoc issuer puts in x5chain).

  keygen.py --private K.jwk.json --public P.jwk.json [--curve P-256|P-384|Ed25519]
            [--cert C.pem] [--subject DN] [--days N]

The certificate: self-signed, ECDSA-SHA256, CA:TRUE (it is its own trust anchor),
keyUsage digitalSignature+keyCertSign, valid from yesterday for N days (default 1825).
The default subject carries C (countryName): @auth0/mdl rejects an issuer certificate
without it. Prints the public JWK (and certificate subject) as JSON. Exit 0 ok, 2 bad input.
"""

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import BadInput, b64url_encode, ec_public_jwk_from_key, emit, run  # noqa: E402

DEFAULT_SUBJECT = "C=UT,ST=Utopia,O=Laissez interop peer,CN=interop peer issuer"


def parse_dn(text):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    oids = {
        "C": NameOID.COUNTRY_NAME,
        "ST": NameOID.STATE_OR_PROVINCE_NAME,
        "L": NameOID.LOCALITY_NAME,
        "O": NameOID.ORGANIZATION_NAME,
        "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
        "CN": NameOID.COMMON_NAME,
    }
    attrs = []
    for part in text.split(","):
        if "=" not in part:
            raise BadInput(f"bad subject part {part!r} (want K=V,K=V)")
        k, v = part.split("=", 1)
        k = k.strip().upper()
        if k not in oids:
            raise BadInput(f"unsupported subject attribute {k!r} (use {', '.join(oids)})")
        attrs.append(x509.NameAttribute(oids[k], v.strip()))
    return x509.Name(attrs)


def self_signed_cert(key, subject, days):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256())
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--private", required=True, help="write the private JWK (with d) here")
    ap.add_argument("--public", required=True, help="write the public JWK here")
    ap.add_argument("--curve", default="P-256", choices=["P-256", "P-384", "Ed25519"],
                    help="key type (default P-256; P-384 signs ES384, Ed25519 signs EdDSA)")
    ap.add_argument("--cert", help="also write a self-signed certificate (PEM) here")
    ap.add_argument("--key-pem", help="also write the private key as PKCS#8 PEM here")
    ap.add_argument("--subject", default=DEFAULT_SUBJECT, help=f"certificate subject (default {DEFAULT_SUBJECT!r})")
    ap.add_argument("--days", type=int, default=1825, help="certificate validity in days (default 1825)")
    args = ap.parse_args()

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    if args.curve == "Ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
        raw = serialization.Encoding.Raw
        pub = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": b64url_encode(key.public_key().public_bytes(raw, serialization.PublicFormat.Raw)),
        }
        d = key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        priv = dict(pub, d=b64url_encode(d))
    else:
        curve, size = (ec.SECP384R1(), 48) if args.curve == "P-384" else (ec.SECP256R1(), 32)
        key = ec.generate_private_key(curve)
        pub = ec_public_jwk_from_key(key.public_key())
        priv = dict(pub, d=b64url_encode(key.private_numbers().private_value.to_bytes(size, "big")))
    subject = parse_dn(args.subject) if args.cert else None  # validate before writing anything

    def write(path, data, mode=0o644):
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(data)
            os.chmod(path, mode)
        except OSError as e:
            raise BadInput(f"cannot write {path}: {e.strerror}") from None

    write(args.private, json.dumps(priv, indent=2) + "\n", 0o600)
    write(args.public, json.dumps(pub, indent=2) + "\n")
    out = {"public_jwk": pub}
    if args.key_pem:
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        write(args.key_pem, pem.decode("ascii"), 0o600)
    if args.cert:
        cert = self_signed_cert(key, subject, args.days)
        write(args.cert, cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        out["certificate"] = {
            "subject": cert.subject.rfc4514_string(),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
        }
    emit(out)
    return 0


if __name__ == "__main__":
    run(main)

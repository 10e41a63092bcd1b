#!/usr/bin/env python3
"""Make an X.509 certificate chain for a peer issuer, with `cryptography` (no Laissez code).

  x509_chain.py --out-dir DIR [--profile sd-jwt|mdoc] [--curve P-256|P-384]
                [--san URI] [--no-intermediate] [--country CC] [--days N]

--profile sd-jwt (default): a root CA (basicConstraints CA, pathLen 1, keyCertSign+cRLSign),
  an intermediate CA under it (CA, pathLen 0) and a leaf under the intermediate
  (digitalSignature, end entity, a uniformResourceIdentifier SAN = --san: the SD-JWT VC
  `iss`). --no-intermediate: the root certifies the leaf directly.
--profile mdoc: an IACA root and a document signer, ISO/IEC 18013-5 Annex B: IACA (C and
  CN, CA pathLen 0, keyUsage critical keyCertSign+cRLSign, issuerAltName); document signer
  (C and CN, keyUsage critical digitalSignature, extendedKeyUsage critical 1.0.18013.5.1.2,
  the IACA's issuerAltName, AKI/SKI). No intermediate (the IACA's pathLen is 0).

Every key on --curve (default P-256; ECDSA with SHA-256, or SHA-384 for P-384). Valid from
yesterday: the leaf for --days (default 365), the CAs for ten times that.

Writes to DIR: root.pem, root.key.pem, [intermediate.pem, intermediate.key.pem], leaf.pem,
leaf.jwk (private JWK, with d), leaf.pub.jwk, x5c.pem (the leaf then its intermediate: the
chain an issuer sends, without the root), other-root.pem (an unrelated root of the same
profile: a trust anchor that must not work). Prints the subjects and files as JSON.
Exit 0 ok, 2 bad input.
"""

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import BadInput, b64url_encode, ec_public_jwk_from_key, emit, run  # noqa: E402

EKU_MDOC_DS = "1.0.18013.5.1.2"


def name(cn, country):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, country), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key_usage(sign=False, ca=False):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def build(subject, subject_key, issuer, issuer_key, days, hash_alg, ca_path_len=None, extra=()):
    """One certificate; ca_path_len None = end entity, else a CA with that pathLen."""
    from cryptography import x509

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    ski = x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key())
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(ski, critical=False)
    )
    if ca_path_len is None:
        b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        b = b.add_extension(key_usage(sign=True), critical=True)
    else:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=ca_path_len), critical=True)
        b = b.add_extension(key_usage(ca=True), critical=True)
    if issuer_key is not subject_key:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    for ext, critical in extra:
        b = b.add_extension(ext, critical=critical)
    return b.sign(issuer_key, hash_alg)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", required=True, help="folder to write the certificates and keys to (made if absent)")
    ap.add_argument("--profile", choices=("sd-jwt", "mdoc"), default="sd-jwt")
    ap.add_argument("--curve", choices=("P-256", "P-384"), default="P-256")
    ap.add_argument("--san", help="sd-jwt profile: the leaf's URI SAN (the credential's iss); required for it")
    ap.add_argument("--no-intermediate", action="store_true", help="sd-jwt profile: the root certifies the leaf")
    ap.add_argument("--country", default="UT", help="countryName of every subject (default UT)")
    ap.add_argument("--days", type=int, default=365, help="leaf validity in days (default 365)")
    args = ap.parse_args()
    if args.profile == "sd-jwt" and not args.san:
        raise BadInput("--san URI is required for the sd-jwt profile (it must equal the credential's iss)")
    if len(args.country) != 2 or not args.country.isalpha():
        raise BadInput("--country: two letters (ISO 3166-1 alpha-2)")
    if args.days < 1:
        raise BadInput("--days must be at least 1")

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    curve, size, hash_alg = (ec.SECP384R1(), 48, hashes.SHA384()) if args.curve == "P-384" \
        else (ec.SECP256R1(), 32, hashes.SHA256())
    new_key = lambda: ec.generate_private_key(curve)  # noqa: E731
    c = args.country.upper()
    ca_days = args.days * 10
    try:
        os.makedirs(args.out_dir, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot make {args.out_dir}: {e.strerror}") from None

    def write(fname, data, mode=0o644):
        path = os.path.join(args.out_dir, fname)
        try:
            with open(path, "wb") as f:
                f.write(data)
            os.chmod(path, mode)
        except OSError as e:
            raise BadInput(f"cannot write {path}: {e.strerror}") from None
        return path

    pem = lambda cert: cert.public_bytes(serialization.Encoding.PEM)  # noqa: E731
    key_pem = lambda k: k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,  # noqa: E731
                                        serialization.NoEncryption())

    def make_root(cn):
        k = new_key()
        extra = ()
        if args.profile == "mdoc":
            extra = ((x509.IssuerAlternativeName([x509.UniformResourceIdentifier("https://iaca.interop.example")]),
                      False),)
        path_len = 0 if args.profile == "mdoc" or args.no_intermediate else 1
        return k, build(name(cn, c), k, name(cn, c), k, ca_days, hash_alg, path_len, extra)

    files = {}
    if args.profile == "mdoc":
        root_key, root = make_root("interop peer IACA")
        leaf_key = new_key()
        ian = root.extensions.get_extension_for_class(x509.IssuerAlternativeName).value
        eku = x509.ExtendedKeyUsage([x509.ObjectIdentifier(EKU_MDOC_DS)])
        leaf = build(name("interop peer document signer", c), leaf_key, root.subject, root_key, args.days, hash_alg,
                     None, ((eku, True), (ian, False)))
        chain = [leaf]
    else:
        root_key, root = make_root("interop peer root CA")
        parent, parent_key, chain_tail = root, root_key, []
        if not args.no_intermediate:
            inter_key = new_key()
            inter = build(name("interop peer intermediate CA", c), inter_key, root.subject, root_key, ca_days,
                          hash_alg, 0)
            files["intermediate"] = write("intermediate.pem", pem(inter))
            write("intermediate.key.pem", key_pem(inter_key), 0o600)
            parent, parent_key, chain_tail = inter, inter_key, [inter]
        leaf_key = new_key()
        san = x509.SubjectAlternativeName([x509.UniformResourceIdentifier(args.san)])
        leaf = build(name("interop peer SD-JWT VC issuer", c), leaf_key, parent.subject, parent_key, args.days,
                     hash_alg, None, ((san, False),))
        chain = [leaf] + chain_tail
    _, other = make_root("interop peer unrelated root")

    files["root"] = write("root.pem", pem(root))
    write("root.key.pem", key_pem(root_key), 0o600)
    files["leaf"] = write("leaf.pem", pem(leaf))
    files["x5c"] = write("x5c.pem", b"".join(pem(x) for x in chain))
    files["other_root"] = write("other-root.pem", pem(other))
    pub = ec_public_jwk_from_key(leaf_key.public_key())
    priv = dict(pub, d=b64url_encode(leaf_key.private_numbers().private_value.to_bytes(size, "big")))
    files["leaf_jwk"] = write("leaf.jwk", (json.dumps(priv, indent=2) + "\n").encode(), 0o600)
    files["leaf_pub_jwk"] = write("leaf.pub.jwk", (json.dumps(pub, indent=2) + "\n").encode())
    emit({
        "profile": args.profile,
        "curve": args.curve,
        "chain": [x.subject.rfc4514_string() for x in chain] + [root.subject.rfc4514_string()],
        "san": args.san,
        "files": files,
    })
    return 0


if __name__ == "__main__":
    run(main)

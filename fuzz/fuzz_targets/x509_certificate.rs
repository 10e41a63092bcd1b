//! A certificate file (DER or PEM): `Certificate::from_der_or_pem`, the checks trust
//! evaluation makes on it, and the verifier's trusted-issuer reader (certificate or JWK).
#![no_main]

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use wallet_core::verifier::TrustedIssuer;
use wallet_core::x509::Certificate;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Certificate::from_der_or_pem(data) {
        let root = &fixtures().root;
        let _ = cert.validity_at(NOW);
        let _ = cert.is_signed_by(root);
        let _ = root.is_signed_by(&cert);
        let _ = cert.is_signed_by(&cert);
        let again = Certificate::from_der(cert.der()).expect("parsed DER reads back");
        assert_eq!(again.der(), cert.der());
    }
    let _ = TrustedIssuer::from_bytes(data);
});

//! A verifier registration certificate as a holder checks it (`registration::verify` against
//! the registrar `fixtures().issuer` at `NOW`), ADR 0020.
//!
//! Certificates are authenticated before their claims are read, so random bytes stop at the
//! signature. Input starting with a CBOR map header (0xa0..=0xbf) is therefore taken as the
//! CWT claims and signed here with the registrar key (ES256, its key id); anything else (a
//! `0xd2` COSE_Sign1, a `0xd8 0x3d` CWT tag) is verified as given. The claims of an accepted
//! certificate are then checked against their documented limits.
#![no_main]

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use laissez_crypto::ecdsa::Es256Signer;
use laissez_formats::registration::{self, TrustedRegistrar};
use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;

fn sign(claims: &[u8]) -> Option<Vec<u8>> {
    let key = &fixtures().issuer;
    let sign1 = CoseSign1Builder::new()
        .protected(
            HeaderBuilder::new()
                .algorithm(iana::Algorithm::ES256)
                .key_id(registration::key_id(key.public_key()).to_vec())
                .build(),
        )
        .payload(claims.to_vec())
        .try_create_signature(b"", |tbs| key.sign(tbs).map(|s| s.to_vec()).map_err(|_| ()))
        .ok()?
        .build();
    sign1.to_tagged_vec().ok()
}

fuzz_target!(|data: &[u8]| {
    let certificate = match data.first() {
        Some(0xa0..=0xbf) => sign(data),
        _ => Some(data.to_vec()),
    };
    let Some(certificate) = certificate else {
        return;
    };
    let trusted = [TrustedRegistrar {
        id: "https://registrar.example".into(),
        key: fixtures().issuer.public_key().clone(),
    }];
    // Reading without trust never panics either.
    let _ = registration::read_unverified(&certificate);
    let Ok(verified) = registration::verify(&certificate, &trusted, NOW) else {
        return;
    };
    assert!(certificate.len() <= registration::MAX_CERTIFICATE_BYTES);
    assert!(verified.organisation.len() <= registration::MAX_ORGANISATION);
    assert_eq!(verified.country.len(), 2);
    assert!(!verified.purposes.is_empty() && verified.purposes.len() <= registration::MAX_PURPOSES);
    assert!(!verified.scope.is_empty() && verified.scope.len() <= registration::MAX_SCOPE_TYPES);
    assert!(verified.not_before - registration::NOT_BEFORE_SKEW_SECS <= NOW);
    assert!(NOW < verified.not_after);
    assert_eq!(verified.reference, registration::reference(&certificate));
});

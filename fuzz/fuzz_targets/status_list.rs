//! A Status List Token as a verifier fetches it (`StatusList::from_token`, JWT or CWT form,
//! with the issuer key `fixtures().issuer` at `NOW`), then lookups by index.
//!
//! Tokens are authenticated before their claims are read, so random bytes stop at the
//! signature. Input starting with `{` is therefore taken as JWT claims and input starting
//! with a CBOR map header (0xa0..=0xbf) as CWT claims, and signed here with the issuer key
//! under the header the draft asks for; anything else (a `0xd2` COSE_Sign1, JWT text) is
//! verified as given.
#![no_main]

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};
use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use laissez_crypto::ecdsa::Es256Signer;
use laissez_formats::jose::{JwsHeader, base64url};
use laissez_formats::status_list::{
    STATUS_LIST_CWT_TYP, STATUS_LIST_JWT_TYP, StatusList, StatusListError,
};

/// COSE header parameter `typ` (RFC 9596).
const COSE_HEADER_TYP: i64 = 16;

fn sign_jwt(claims: &[u8]) -> Option<Vec<u8>> {
    let header =
        serde_json::to_vec(&JwsHeader::es256().with_typ(STATUS_LIST_JWT_TYP).to_json()).ok()?;
    let mut text = format!(
        "{}.{}",
        base64url::encode(&header),
        base64url::encode(claims)
    );
    let signature = fixtures().issuer.sign(text.as_bytes()).ok()?;
    text.push('.');
    text.push_str(&base64url::encode(&signature));
    Some(text.into_bytes())
}

fn sign_cwt(claims: &[u8]) -> Option<Vec<u8>> {
    let protected = HeaderBuilder::new()
        .algorithm(iana::Algorithm::ES256)
        .value(COSE_HEADER_TYP, STATUS_LIST_CWT_TYP.into())
        .build();
    let sign1 = CoseSign1Builder::new()
        .protected(protected)
        .payload(claims.to_vec())
        .try_create_signature(b"", |tbs| {
            fixtures()
                .issuer
                .sign(tbs)
                .map(|s| s.to_vec())
                .map_err(|_| ())
        })
        .ok()?
        .build();
    sign1.to_tagged_vec().ok()
}

fuzz_target!(|data: &[u8]| {
    let token = match data.first() {
        Some(b'{') => sign_jwt(data),
        Some(0xa0..=0xbf) => sign_cwt(data),
        _ => Some(data.to_vec()),
    };
    let Some(token) = token else {
        return;
    };
    let Ok(list) = StatusList::from_token(&token, fixtures().issuer.public_key(), NOW) else {
        return;
    };
    assert!(!list.bytes.is_empty());
    let len = list.len();
    assert!(len > 0 && !list.is_empty());
    for index in [0, len / 2, len - 1] {
        list.status(index).expect("an index below len reads");
    }
    for index in [len, u64::MAX] {
        assert!(matches!(
            list.status(index),
            Err(StatusListError::IndexOutOfRange { .. })
        ));
    }
});

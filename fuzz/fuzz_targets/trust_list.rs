//! A signed trust list as a field verifier imports it (`TrustList::verify` with the pinned
//! signer key `fixtures().issuer` at `NOW`).
//!
//! The list is authenticated before its payload is read, so random bytes stop at the
//! signature. Input starting with `{` is therefore taken as the payload and signed here with
//! the pinned key (header `{"alg":"ES256","typ":"laissez-trust-list+jwt"}`), which takes the
//! fuzzer through the payload checks; anything else is verified as given.
#![no_main]

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use wallet_core::crypto::ecdsa::Es256Signer;
use wallet_core::jose::{JwsHeader, base64url};
use wallet_core::verifier::trust_list::{TRUST_LIST_TYP, TrustList};

fn sign(payload: &[u8]) -> Option<String> {
    let header = serde_json::to_vec(&JwsHeader::es256().with_typ(TRUST_LIST_TYP).to_json()).ok()?;
    let mut text = format!(
        "{}.{}",
        base64url::encode(&header),
        base64url::encode(payload)
    );
    let signature = fixtures().issuer.sign(text.as_bytes()).ok()?;
    text.push('.');
    text.push_str(&base64url::encode(&signature));
    Some(text)
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let pinned = f.issuer.public_key();
    let text = if data.first() == Some(&b'{') {
        let Some(text) = sign(data) else {
            return;
        };
        text
    } else {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        text.to_owned()
    };
    let Ok(list) = TrustList::verify(&text, pinned, NOW) else {
        return;
    };
    assert!(list.is_current_at(NOW));
    let _ = list.check_newer_than(Some(list.sequence));
    for entry in &list.entries {
        let _ = entry.applies_at(NOW, Some("urn:example:registration:1"));
    }
    let _ = list.issuers_at(NOW, None);
    // An accepted list signs again and reads back as the same list.
    let again = list.sign(&f.issuer).expect("an accepted list signs again");
    assert_eq!(TrustList::verify(&again, pinned, NOW).as_ref(), Ok(&list));
});

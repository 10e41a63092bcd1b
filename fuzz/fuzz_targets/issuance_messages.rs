//! Offline issuance messages as the holder and the desk receive them: an offer read against
//! the fixtures' trusted issuers, QR texts (one a line) assembled into a message, a proof
//! given to a desk with an empty ledger (parsed, then refused), and the desk's ledger file.
#![no_main]

use std::sync::OnceLock;

use laissez_fuzz::{NOW, fixtures};
use libfuzzer_sys::fuzz_target;
use wallet_core::issuance::desk::{self, DeliveryRequest, DeskLedger};
use wallet_core::issuance::{assemble, read_offer};
use wallet_core::issuer::IssuerIdentity;
use wallet_core::qr::{Envelope, MessageKind};

fn issuer() -> &'static IssuerIdentity {
    static ISSUER: OnceLock<IssuerIdentity> = OnceLock::new();
    ISSUER.get_or_init(|| IssuerIdentity::generate("Fuzz desk", NOW, 30).expect("issuer"))
}

fuzz_target!(|data: &[u8]| {
    let f = fixtures();
    let offer = Envelope {
        kind: MessageKind::IssuanceOffer,
        payload: data.to_vec(),
    };
    if let Ok(view) = read_offer(&offer, &f.trusted, NOW) {
        assert!(view.offer.credential().is_ok());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let _ = assemble(&lines);
    }
    let proof = Envelope {
        kind: MessageKind::IssuanceProof,
        payload: data.to_vec(),
    };
    let claims = serde_json::Map::new();
    let delivered = desk::deliver(
        issuer(),
        &mut DeskLedger::new(),
        &proof,
        &mut DeliveryRequest {
            claims: &claims,
            valid_days: 1,
            status: None,
            portrait: None,
        },
        NOW,
    );
    // An empty ledger answers no proof.
    assert!(delivered.is_err());
    let _ = DeskLedger::from_json(data);
});

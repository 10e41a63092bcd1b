//! What the fuzz targets and the seed generator share: fixed keys, time, nonce, audience,
//! SessionTranscript and trust anchors. Seeds made with these verify inside the targets, so
//! the fuzzer starts from inputs that reach the deepest checks.
//!
//! Keys come from fixed scalars; certificates are generated (ECDSA signatures are
//! randomised, but a certificate made here at start-up has the same key and names as the
//! one the seed generator made, so chains built by either verify against the other).

use std::sync::LazyLock;

use wallet_core::crypto::ecdsa::SigningKey;
use wallet_core::crypto::issuer_key::IssuerKey;
use wallet_core::mdoc::{SessionTranscript, TrustAnchors};
use wallet_core::sdjwt::{Validation, VerifyOptions};
use wallet_core::verifier::{ExpectedBinding, TrustedIssuer};
use wallet_core::x509::{Certificate, issue_certificate, self_signed_certificate};

/// The verification time, Unix seconds (2025-06-15).
pub const NOW: i64 = 1_750_000_000;
/// One day in seconds.
pub const DAY: i64 = 86_400;
/// The verifier's nonce.
pub const NONCE: &str = "fuzz-nonce-0S6_WzA2Mj";
/// The verifier's identifier (SD-JWT `aud`; mdoc OpenID4VP client_id and response_uri).
pub const AUDIENCE: &str = "https://verifier.example";
/// The root (IACA) certificate's common name.
pub const ROOT_CN: &str = "Fuzz IACA";
/// The document signer certificate's common name.
pub const SIGNER_CN: &str = "Fuzz DS";

/// Everything fixed about one verification.
pub struct Fixtures {
    /// Trusted by key: signs SD-JWTs and mdocs without a certificate.
    pub issuer: SigningKey,
    /// A document signer whose certificate chains to `root` (not trusted by key).
    pub signer: SigningKey,
    /// The root's key.
    pub root_key: SigningKey,
    /// The holder's device key.
    pub holder: SigningKey,
    /// The root certificate, a trust anchor.
    pub root: Certificate,
    /// The document signer certificate (DER), issued by `root`.
    pub signer_cert: Vec<u8>,
    /// OpenID4VP SessionTranscript for `AUDIENCE` and `NONCE`, as the verifier builds it.
    pub transcript: SessionTranscript,
    /// mdoc anchors: `issuer`'s key and `root`.
    pub anchors: TrustAnchors,
    /// Verifier issuers: `issuer`'s key and `root`.
    pub trusted: Vec<TrustedIssuer>,
    /// SD-JWT issuer keys: `issuer`'s.
    pub issuer_keys: Vec<IssuerKey>,
    /// SD-JWT presentation checks at `NOW` for `NONCE` and `AUDIENCE`.
    pub sd_jwt_options: VerifyOptions,
    /// SD-JWT VC import checks at `NOW`.
    pub validation: Validation,
    /// Both verifier binding kinds.
    pub bindings: [ExpectedBinding; 2],
}

fn key(byte: u8) -> SigningKey {
    SigningKey::from_scalar(&[byte; 32]).expect("a fixed scalar below the group order")
}

fn build() -> Fixtures {
    let issuer = key(0x11);
    let signer = key(0x22);
    let root_key = key(0x33);
    let holder = key(0x44);
    let root_der = self_signed_certificate(&root_key, ROOT_CN, NOW - 365 * DAY, 3650)
        .expect("root certificate");
    let root = Certificate::from_der(&root_der).expect("root certificate parses");
    let signer_cert = issue_certificate(
        signer.public_key(),
        SIGNER_CN,
        NOW - 30 * DAY,
        730,
        &root_key,
        ROOT_CN,
    )
    .expect("signer certificate");
    let transcript = SessionTranscript::openid4vp(AUDIENCE, NONCE, None, AUDIENCE)
        .expect("OpenID4VP transcript");
    let anchors = TrustAnchors::new()
        .with_key(issuer.public_key().clone())
        .with_certificate(root.clone());
    let trusted = vec![
        TrustedIssuer {
            name: Some("Fuzz issuer".into()),
            key: issuer.public_key().clone().into(),
            certificate: None,
            credential_types: Vec::new(),
            countries: Vec::new(),
        },
        TrustedIssuer::from_bytes(&root_der).expect("root as a trusted issuer"),
    ];
    let bindings = [
        ExpectedBinding::NonceAudience {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
        },
        ExpectedBinding::SessionTranscript(transcript.as_bytes().to_vec()),
    ];
    Fixtures {
        issuer_keys: vec![issuer.public_key().clone().into()],
        sd_jwt_options: VerifyOptions::new(NONCE, AUDIENCE, NOW),
        validation: Validation::sd_jwt_vc(NOW),
        issuer,
        signer,
        root_key,
        holder,
        root,
        signer_cert,
        transcript,
        anchors,
        trusted,
        bindings,
    }
}

static FIXTURES: LazyLock<Fixtures> = LazyLock::new(build);

/// The fixtures, built once per process.
pub fn fixtures() -> &'static Fixtures {
    &FIXTURES
}

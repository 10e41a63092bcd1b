//! Issuers as certificate chains, end to end: a verifier that trusts an authority's root
//! (IACA) or an intermediate accepts SD-JWT VCs and mdocs signed by any document signer under
//! it, names the trusted entry, and follows status lists signed in the chain; every refused
//! chain is a typed reason in the verdict, and pinned keys keep working.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use serde_json::json;
use wallet_core::credential::CredentialFormat;
use wallet_core::credential::StatusReference;
use wallet_core::crypto::ecdsa::{HighS, SigningKey};
use wallet_core::crypto::issuer_key::{IssuerSigningKey, SignatureAlgorithm};
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::issuer::{
    CredentialOrder, IssuerIdentity, IssuingAuthority, SignerOrder, issue_credential,
};
use wallet_core::mdoc;
use wallet_core::sdjwt::{self, ClaimPath, KeyBindingRequest, SdJwt};
use wallet_core::store::{StoreOptions, WalletStore};
use wallet_core::verifier::status_cache;
use wallet_core::verifier::status_list::{StatusList, StatusListBuilder, StatusState};
use wallet_core::verifier::{
    DEFAULT_MAX_STATUS_AGE_SECS, ExpectedBinding, Reason, TrustedIssuer, Verdict,
    VerificationRequest, verify_presentation,
};
use wallet_core::x509::Certificate;

const NOW: i64 = 1_790_000_000;
const DAY: i64 = 86_400;
const VCT: &str = "urn:laissez:test:identity:1";
const ISS: &str = "https://issuer.example/office";
const NONCE: &str = "n-0123456789abcdef";
const AUDIENCE: &str = "verifier:field-1";

/// One certificate of a test chain: parameters and an rcgen key (ring P-256), or for a
/// signer our own P-384 key as rcgen sees it.
struct Node {
    params: CertificateParams,
    key: KeyPair,
    signing_key: Option<IssuerSigningKey>,
}

/// Sets `notBefore` and `notAfter` (Unix seconds).
fn validity(params: &mut CertificateParams, from: i64, until: i64) {
    let epoch = rcgen::date_time_ymd(1970, 1, 1);
    params.not_before = epoch + std::time::Duration::from_secs(from as u64);
    params.not_after = epoch + std::time::Duration::from_secs(until as u64);
}

fn node(name: &str) -> Node {
    let mut params = CertificateParams::new(Vec::new()).unwrap();
    params.distinguished_name.push(DnType::CountryName, "UT");
    params.distinguished_name.push(DnType::CommonName, name);
    validity(&mut params, NOW - 30 * DAY, NOW + 365 * DAY);
    Node {
        params,
        key: KeyPair::generate().unwrap(),
        signing_key: None,
    }
}

fn ca(name: &str) -> Node {
    let mut n = node(name);
    n.params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    n.params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    n
}

/// A document signer for both formats: digitalSignature, the mdoc EKU, `ISS` as URI SAN.
fn signer(name: &str) -> Node {
    let mut n = node(name);
    n.params.is_ca = IsCa::ExplicitNoCa;
    n.params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    n.params.extended_key_usages = vec![ExtendedKeyUsagePurpose::Other(vec![1, 0, 18013, 5, 1, 2])];
    n.params.subject_alt_names = vec![SanType::URI(ISS.try_into().unwrap())];
    let ours = IssuerSigningKey::generate(SignatureAlgorithm::Es384).unwrap();
    let IssuerSigningKey::P384 { pkcs8, .. } = &ours else {
        panic!("a P-384 key");
    };
    n.key = KeyPair::try_from(pkcs8.as_slice()).unwrap();
    n.signing_key = Some(ours);
    n
}

/// Each node issued by the next, the last self-signed: DER, signer first.
fn build(nodes: &[Node]) -> Vec<Vec<u8>> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| match nodes.get(i + 1) {
            Some(parent) => {
                let issuer = Issuer::from_params(&parent.params, &parent.key);
                n.params.signed_by(&n.key, &issuer).unwrap().der().to_vec()
            }
            None => n.params.self_signed(&n.key).unwrap().der().to_vec(),
        })
        .collect()
}

fn signing_key(n: &Node) -> &IssuerSigningKey {
    n.signing_key.as_ref().expect("a signer node")
}

fn trusted(name: &str, der: &[u8]) -> TrustedIssuer {
    let certificate = Certificate::from_der(der).unwrap();
    TrustedIssuer {
        name: Some(name.into()),
        key: certificate.public_key().clone(),
        certificate: Some(certificate),
        credential_types: Vec::new(),
        countries: Vec::new(),
    }
}

/// An SD-JWT VC signed by `key` carrying `x5c`, presented with key binding.
fn sd_jwt(key: &IssuerSigningKey, x5c: Vec<Vec<u8>>, iss: &str) -> String {
    let holder = SigningKey::generate().unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad"});
    let mut request =
        sdjwt::IssueRequest::new(VCT, iss, NOW - DAY, claims.as_object().cloned().unwrap());
    request.holder_key = Some(holder.public_key().clone());
    request.expires_at = Some(NOW + 30 * DAY);
    request.selectively_disclosable = vec![ClaimPath::key("given_name")];
    request.x5c = x5c;
    let issued = sdjwt::issue(&request, key).unwrap().to_compact();
    let parsed = SdJwt::parse(&issued).unwrap();
    sdjwt::present(
        &parsed,
        &[ClaimPath::key("given_name")],
        &KeyBindingRequest {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
            issued_at: NOW,
        },
        &holder,
    )
    .unwrap()
}

fn verify(presentation: &[u8], trusted: &[TrustedIssuer], now: i64) -> Verdict {
    let binding = ExpectedBinding::NonceAudience {
        nonce: NONCE.into(),
        audience: AUDIENCE.into(),
    };
    verify_presentation(&VerificationRequest {
        presentation,
        binding: &binding,
        trusted,
        now,
        lang: "en",
        status_lists: &[],
        max_status_age_secs: DEFAULT_MAX_STATUS_AGE_SECS,
        holder_high_s: HighS::Refuse,
        type_metadata: &[],
    })
}

fn reasons(presentation: &str, trusted: &[TrustedIssuer]) -> Vec<Reason> {
    verify(presentation.as_bytes(), trusted, NOW).reasons
}

#[test]
fn an_sd_jwt_vc_verifies_through_its_chain_to_a_root_or_an_intermediate() {
    let nodes = [signer("DS"), ca("Intermediate"), ca("Root")];
    let certs = build(&nodes);
    let key = signing_key(&nodes[0]);
    // x5c carries the signer and the intermediate, never the root.
    let shown = sd_jwt(key, certs[..2].to_vec(), ISS);
    let by_root = [trusted("Ministry root", &certs[2])];
    let verdict = verify(shown.as_bytes(), &by_root, NOW);
    assert!(verdict.valid, "{:?}", verdict.reasons);
    assert_eq!(
        verdict.issuer.as_ref().unwrap().name.as_deref(),
        Some("Ministry root")
    );
    assert!(verdict.claims.iter().any(|c| c.path == "given_name"));
    // An intermediate on the list anchors it as well; so does the signer pinned directly.
    assert!(verify(shown.as_bytes(), &[trusted("Mid", &certs[1])], NOW).valid);
    assert!(verify(shown.as_bytes(), &[trusted("Pinned", &certs[0])], NOW).valid);
    // Another root: unknown.
    let other = build(&[ca("Root")]);
    assert_eq!(
        reasons(&shown, &[trusted("Other", &other[0])]),
        vec![Reason::UnknownIssuer]
    );
    // Without the intermediate in x5c the signer does not reach the root.
    let short = sd_jwt(key, certs[..1].to_vec(), ISS);
    assert_eq!(reasons(&short, &by_root), vec![Reason::UnknownIssuer]);
}

#[test]
fn refused_chains_are_typed_reasons() {
    // A document signer used as an intermediate.
    let nodes = [signer("Forged"), signer("DS"), ca("Root")];
    let certs = build(&nodes);
    let shown = sd_jwt(signing_key(&nodes[0]), certs[..2].to_vec(), ISS);
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[2])]),
        vec![Reason::UntrustedChain]
    );

    // An expired intermediate, and a signer not yet valid.
    let mut mid = ca("Intermediate");
    validity(&mut mid.params, NOW - 30 * DAY, NOW - DAY);
    let nodes = [signer("DS"), mid, ca("Root")];
    let certs = build(&nodes);
    let shown = sd_jwt(signing_key(&nodes[0]), certs[..2].to_vec(), ISS);
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[2])]),
        vec![Reason::Expired]
    );
    let mut early = signer("DS");
    validity(&mut early.params, NOW + DAY, NOW + 365 * DAY);
    let nodes = [early, ca("Root")];
    let certs = build(&nodes);
    let shown = sd_jwt(signing_key(&nodes[0]), certs[..1].to_vec(), ISS);
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[1])]),
        vec![Reason::NotYetValid]
    );

    // An unknown critical extension in the signer's certificate.
    let mut odd = signer("DS");
    let mut ext = CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![5, 0]);
    ext.set_criticality(true);
    odd.params.custom_extensions = vec![ext];
    let nodes = [odd, ca("Root")];
    let certs = build(&nodes);
    let shown = sd_jwt(signing_key(&nodes[0]), certs[..1].to_vec(), ISS);
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[1])]),
        vec![Reason::UntrustedChain]
    );

    // Too many links: a signer under six CAs (seven certificates, the limit is six).
    let mut nodes = vec![signer("DS")];
    for i in 0..6 {
        nodes.push(ca(&format!("CA {i}")));
    }
    let certs = build(&nodes);
    let shown = sd_jwt(signing_key(&nodes[0]), certs[..6].to_vec(), ISS);
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[6])]),
        vec![Reason::UntrustedChain]
    );

    // `iss` that is not the signer's subject alternative name.
    let nodes = [signer("DS"), ca("Root")];
    let certs = build(&nodes);
    let shown = sd_jwt(
        signing_key(&nodes[0]),
        certs[..1].to_vec(),
        "https://impostor.example",
    );
    assert_eq!(
        reasons(&shown, &[trusted("Root", &certs[1])]),
        vec![Reason::IssuerNameMismatch]
    );
    // Pinned directly, the signer is trusted as it is, whatever its name.
    assert!(verify(shown.as_bytes(), &[trusted("DS", &certs[0])], NOW).valid);
}

#[test]
fn an_anchor_vouches_only_for_its_types_and_countries() {
    let authority = IssuingAuthority::generate(
        SignatureAlgorithm::Es256,
        "Utopia IACA",
        "UT",
        "https://a.example",
        NOW - DAY,
        3650,
    )
    .unwrap();
    let issuer = authority
        .issue_signer(&SignerOrder {
            alg: SignatureAlgorithm::Es256,
            name: "Utopia DS",
            identifier: None,
            now: NOW - DAY,
            days: 457,
        })
        .unwrap();
    for format in [CredentialFormat::SdJwt, CredentialFormat::Mdoc] {
        let shown = present(&issuer, format);
        let mut root = trusted("Utopia", &authority.certificate);
        let verdict = verify(&shown, std::slice::from_ref(&root), NOW);
        assert!(verdict.valid, "{format:?}: {:?}", verdict.reasons);
        root.credential_types = vec!["org.other.type".into()];
        let verdict = verify(&shown, std::slice::from_ref(&root), NOW);
        assert_eq!(
            verdict.reasons,
            vec![Reason::IssuerNotAllowed],
            "{format:?}"
        );
        assert!(verdict.claims.is_empty());
        root.credential_types = vec![VCT.into()];
        root.countries = vec!["NE".into()];
        let verdict = verify(&shown, std::slice::from_ref(&root), NOW);
        match format {
            // The issuing country is an mdoc's; an SD-JWT VC names none.
            CredentialFormat::SdJwt => assert!(verdict.valid),
            CredentialFormat::Mdoc => assert_eq!(verdict.reasons, vec![Reason::IssuerNotAllowed]),
        }
        root.countries = vec!["NE".into(), "UT".into()];
        assert!(verify(&shown, std::slice::from_ref(&root), NOW).valid);
    }
}

/// A credential from `issuer` presented as `format` for the nonce and audience above.
fn present(issuer: &IssuerIdentity, format: CredentialFormat) -> Vec<u8> {
    let holder = SigningKey::generate().unwrap();
    let claims = json!({"given_name": "Amina", "family_name": "Haddad"});
    let issued = issue_credential(
        issuer,
        &CredentialOrder {
            format,
            credential_type: VCT.into(),
            claims: claims.as_object().cloned().unwrap(),
            holder_key: holder.public_key().clone(),
            valid_days: 30,
            status: None,
            now: NOW - DAY,
            portrait: None,
        },
    )
    .unwrap();
    match format {
        CredentialFormat::SdJwt => {
            let parsed = SdJwt::parse(std::str::from_utf8(&issued).unwrap()).unwrap();
            sdjwt::present(
                &parsed,
                &[ClaimPath::key("given_name")],
                &KeyBindingRequest {
                    nonce: NONCE.into(),
                    audience: AUDIENCE.into(),
                    issued_at: NOW,
                },
                &holder,
            )
            .unwrap()
            .into_bytes()
        }
        CredentialFormat::Mdoc => {
            let credential = mdoc::IssuedMdoc::from_bytes(&issued).unwrap();
            let transcript =
                mdoc::SessionTranscript::openid4vp(AUDIENCE, NONCE, None, AUDIENCE).unwrap();
            mdoc::present(
                &[mdoc::Disclosure {
                    credential: &credential,
                    elements: &[mdoc::ElementRef::new(VCT, "given_name")],
                    device_signer: &holder,
                }],
                &transcript,
            )
            .unwrap()
        }
    }
}

#[test]
fn a_status_list_signed_in_the_chain_revokes_under_the_root() {
    let authority = IssuingAuthority::generate(
        SignatureAlgorithm::Es384,
        "Root",
        "UT",
        "https://a.example",
        NOW - DAY,
        3650,
    )
    .unwrap();
    let order = |name| SignerOrder {
        alg: SignatureAlgorithm::Es256,
        name,
        identifier: None,
        now: NOW - DAY,
        days: 457,
    };
    // Credentials and the status list are signed by two signers of one authority.
    let credentials_signer = authority.issue_signer(&order("Credentials")).unwrap();
    let status_signer = authority.issue_signer(&order("Status")).unwrap();
    let mut builder = StatusListBuilder::new(1, 1024).unwrap();
    builder.set(7, 1).unwrap();
    let uri = "https://status.example/1";
    let jwt = builder
        .to_jwt_with_chain(
            uri,
            NOW - 60,
            Some(NOW + DAY),
            None,
            &status_signer.key,
            &status_signer.chain(),
        )
        .unwrap()
        .into_bytes();
    let cwt = builder
        .to_cwt_with_chain(
            uri,
            NOW - 60,
            Some(NOW + DAY),
            None,
            &status_signer.key,
            &status_signer.chain(),
        )
        .unwrap();
    let root = [trusted("Utopia root", &authority.certificate)];
    for token in [jwt, cwt] {
        assert_eq!(
            StatusList::token_certificates(&token).unwrap(),
            status_signer.chain()
        );
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(&dir);
        let imported = status_cache::import(&mut store, &token, &root, NOW).unwrap();
        assert_eq!(imported.issuer_name.as_deref(), Some("Utopia root"));
        // Another root does not vouch for it.
        let other = build(&[ca("Other")]);
        assert!(matches!(
            status_cache::import(&mut store, &token, &[trusted("Other", &other[0])], NOW),
            Err(status_cache::StatusCacheError::UnknownSigner)
        ));
        let cached = status_cache::cached(&store, &root).unwrap();
        assert_eq!(cached.len(), 1);
        for (index, expected) in [(7, StatusState::Revoked), (8, StatusState::Valid)] {
            let shown = present_with_status(&credentials_signer, uri, index);
            let binding = ExpectedBinding::NonceAudience {
                nonce: NONCE.into(),
                audience: AUDIENCE.into(),
            };
            let verdict = verify_presentation(&VerificationRequest {
                presentation: &shown,
                binding: &binding,
                trusted: &root,
                now: NOW,
                lang: "en",
                status_lists: &cached,
                max_status_age_secs: DEFAULT_MAX_STATUS_AGE_SECS,
                holder_high_s: HighS::Refuse,
                type_metadata: &[],
            });
            assert_eq!(verdict.status.unwrap().state, expected);
        }
    }
}

fn store(dir: &tempfile::TempDir) -> WalletStore {
    let options = StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    WalletStore::create(dir.path().join("verifier.db"), "2468", options)
        .unwrap()
        .0
}

fn present_with_status(issuer: &IssuerIdentity, uri: &str, index: u64) -> Vec<u8> {
    let holder = SigningKey::generate().unwrap();
    let claims = json!({"given_name": "Amina"});
    let issued = issue_credential(
        issuer,
        &CredentialOrder {
            format: CredentialFormat::SdJwt,
            credential_type: VCT.into(),
            claims: claims.as_object().cloned().unwrap(),
            holder_key: holder.public_key().clone(),
            valid_days: 30,
            status: Some(StatusReference {
                index,
                uri: uri.into(),
            }),
            now: NOW - DAY,
            portrait: None,
        },
    )
    .unwrap();
    let parsed = SdJwt::parse(std::str::from_utf8(&issued).unwrap()).unwrap();
    sdjwt::present(
        &parsed,
        &[ClaimPath::key("given_name")],
        &KeyBindingRequest {
            nonce: NONCE.into(),
            audience: AUDIENCE.into(),
            issued_at: NOW,
        },
        &holder,
    )
    .unwrap()
    .into_bytes()
}

#[test]
fn an_mdoc_issuing_country_must_be_its_signers() {
    let issuer = IssuerIdentity::generate_with(
        SignatureAlgorithm::Es256,
        "Utopia",
        Some("UT"),
        NOW - DAY,
        30,
    )
    .unwrap();
    let holder = SigningKey::generate().unwrap();
    let order = |country: &str| CredentialOrder {
        format: CredentialFormat::Mdoc,
        credential_type: "org.iso.18013.5.1.mDL".into(),
        claims: json!({"family_name": "Haddad", "issuing_country": country})
            .as_object()
            .cloned()
            .unwrap(),
        holder_key: holder.public_key().clone(),
        valid_days: 30,
        status: None,
        now: NOW - DAY,
        portrait: None,
    };
    // The issuer refuses to sign a country its certificate does not name.
    assert!(matches!(
        issue_credential(&issuer, &order("NE")),
        Err(wallet_core::issuer::IssuerError::InvalidInput(_))
    ));
    assert!(issue_credential(&issuer, &order("UT")).is_ok());

    // Signed anyway (by the formats layer), the verifier refuses it.
    let mut elements = mdoc::DataElements::new();
    elements
        .insert_json(
            "org.iso.18013.5.1",
            &json!({"family_name": "Haddad", "issuing_country": "NE"}),
            &[],
        )
        .unwrap();
    let issued = mdoc::issue(
        &mdoc::IssueRequest {
            doc_type: "org.iso.18013.5.1.mDL".into(),
            elements,
            device_key: holder.public_key().clone(),
            validity: mdoc::ValidityInfo {
                signed: NOW - DAY,
                valid_from: NOW - DAY,
                valid_until: NOW + DAY,
                expected_update: None,
            },
            issuer_certificate: Some(issuer.certificate.clone()),
            status: None,
        },
        &issuer.key,
    )
    .unwrap();
    let credential = mdoc::IssuedMdoc::from_bytes(issued.as_bytes()).unwrap();
    let transcript = mdoc::SessionTranscript::openid4vp(AUDIENCE, NONCE, None, AUDIENCE).unwrap();
    let shown = mdoc::present(
        &[mdoc::Disclosure {
            credential: &credential,
            elements: &[mdoc::ElementRef::new(
                "org.iso.18013.5.1",
                "issuing_country",
            )],
            device_signer: &holder,
        }],
        &transcript,
    )
    .unwrap();
    let root = trusted("Utopia", issuer.trust_anchor());
    assert_eq!(
        verify(&shown, &[root], NOW).reasons,
        vec![Reason::IssuerNotAllowed]
    );
}

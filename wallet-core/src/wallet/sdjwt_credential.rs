//! SD-JWT VC credentials in the holder's wallet.

use super::error::{CredentialError, CredentialResult};
use super::format_parts::{ClaimEntry, ImportOptions, Parsed, Presentation};
use laissez_crypto::ecdsa::Es256Signer;
use laissez_formats::credential::PresentationBinding;
use laissez_formats::credential::SD_JWT_METADATA_CLAIMS;
use laissez_formats::credential::display::{self, DisplayMetadata};
use laissez_formats::credential::{CredentialFormat, StoredCopy, StoredCredential};
use laissez_formats::sdjwt::{
    ClaimPath, KeyBindingRequest, SdJwt, Validation, disclosable_paths, import_issued,
    present as present_sd_jwt,
};
use laissez_formats::sdjwt::{lookup, resolve};
use laissez_formats::x509::Certificate;

fn text(input: &[u8]) -> CredentialResult<&str> {
    std::str::from_utf8(input)
        .map(str::trim)
        .map_err(|_| CredentialError::UnknownFormat)
}

/// Checks an issued SD-JWT VC against the certificate it carries (`x5c`) or the keys given.
pub(crate) fn parse_issued(input: &[u8], options: &ImportOptions) -> CredentialResult<Parsed> {
    let compact = text(input)?;
    let unverified = SdJwt::parse(compact)?;
    let mut keys = options.issuer_keys.clone();
    let mut certificate_name = None;
    if let Some(der) = unverified.issuer_jwt().header().x5c().first() {
        let certificate = Certificate::from_der(der)?;
        certificate_name = certificate.common_name().map(str::to_owned);
        keys.push(certificate.public_key().clone());
    }
    if keys.is_empty() {
        return Err(CredentialError::NoIssuerKey);
    }
    let (_, processed) = import_issued(compact, &keys, &Validation::sd_jwt_vc(options.now))?;
    let holder_key = processed
        .holder_key
        .clone()
        .ok_or(CredentialError::NoHolderKey)?;
    let issuer_key = keys
        .get(processed.issuer_key_index)
        .cloned()
        .ok_or(CredentialError::NoIssuerKey)?;
    let display = processed
        .claims
        .get(display::SD_JWT_CLAIM)
        .and_then(DisplayMetadata::from_json);
    let issuer_name = display
        .as_ref()
        .and_then(|d| display::pick(&d.issuer_name, "en").map(str::to_owned))
        .or(certificate_name)
        .or(processed.issuer.clone());
    let validity = processed.validity;
    Ok(Parsed {
        stored: StoredCredential {
            format: CredentialFormat::SdJwt,
            copies: vec![StoredCopy {
                issued: compact.as_bytes().to_vec(),
                holder_key_slot: 0,
                presented_at: None,
            }],
            credential_type: processed.vct.clone().unwrap_or_default(),
            issuer_fingerprint: issuer_key.fingerprint(),
            issuer_key: issuer_key.public_bytes(),
            issuer_name,
            valid_from: validity.not_before.or(validity.issued_at),
            valid_until: validity.expires_at,
            display,
            imported_at: options.now,
            type_metadata: None,
        },
        holder_key,
        vct_integrity: processed
            .claims
            .get("vct#integrity")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    })
}

/// Every claim of an issued SD-JWT VC (one copy), disclosable ones marked.
pub(crate) fn claims(issued: &[u8]) -> CredentialResult<Vec<ClaimEntry>> {
    let sd_jwt = SdJwt::parse(text(issued)?)?;
    let resolved = resolve(sd_jwt.issuer_jwt().claims(), sd_jwt.disclosures())?;
    let selectable = disclosable_paths(&sd_jwt)?;
    let mut entries = Vec::new();
    for (name, value) in &resolved.claims {
        if SD_JWT_METADATA_CLAIMS.contains(&name.as_str()) || name == display::SD_JWT_CLAIM {
            continue;
        }
        let path = ClaimPath::key(name.clone());
        entries.push(ClaimEntry {
            path: path.to_string(),
            value: value.clone(),
            label: None,
            selectable: selectable.contains(&path),
        });
    }
    // Nested disclosable claims can be chosen on their own (address.locality).
    for path in selectable.iter().filter(|p| p.segments().len() > 1) {
        if let Some(value) = lookup(&resolved.claims, path) {
            entries.push(ClaimEntry {
                path: path.to_string(),
                value: value.clone(),
                label: None,
                selectable: true,
            });
        }
    }
    Ok(entries)
}

/// An SD-JWT+KB presentation of `claims` from one issued copy.
pub(crate) fn present(
    issued: &[u8],
    claims: &[String],
    binding: &PresentationBinding,
    now: i64,
    signer: &dyn Es256Signer,
) -> CredentialResult<Presentation> {
    let PresentationBinding::NonceAudience { nonce, audience } = binding else {
        return Err(CredentialError::WrongBinding("a nonce and an audience"));
    };
    let sd_jwt = SdJwt::parse(text(issued)?)?;
    let paths = claims
        .iter()
        .map(|c| ClaimPath::parse(c))
        .collect::<Result<Vec<_>, _>>()?;
    // Name the claim that is missing, as the mdoc side does.
    let resolved = resolve(sd_jwt.issuer_jwt().claims(), sd_jwt.disclosures())?;
    if let Some((claim, _)) = claims
        .iter()
        .zip(&paths)
        .find(|(_, path)| lookup(&resolved.claims, path).is_none())
    {
        return Err(CredentialError::UnknownClaim(claim.clone()));
    }
    let request = KeyBindingRequest {
        nonce: nonce.clone(),
        audience: audience.clone(),
        issued_at: now,
    };
    let compact = present_sd_jwt(&sd_jwt, &paths, &request, signer)?;
    Ok(Presentation {
        format: CredentialFormat::SdJwt,
        bytes: compact.into_bytes(),
        session_transcript: None,
    })
}

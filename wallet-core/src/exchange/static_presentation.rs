//! The static flow, for when the verifier cannot show a QR: the holder shows a presentation
//! bound to a short time window instead of a verifier's nonce; the verifier accepts the
//! current and the previous window only and remembers what it has seen (replay cache).
//!
//! It is not encrypted (there is no verifier key to encrypt to): a photo of it shows the
//! disclosed claims, so apps should prefer the engaged flow.
//!
//! A holder who knows the verifier's identifier ([`VerifierId`], scanned once from its poster
//! or badge) binds the presentation to it: the SD-JWT `aud` and the mdoc handover name it, and
//! any other verifier refuses it. Without one, any verifier accepts it within its window and
//! says in the verdict that it is not bound to it.
//!
//! Payload CBOR: `[format (1 SD-JWT, 2 mdoc), presentation bytes, window start,
//! verifier id (10 bytes, when bound)]`.

use ciborium::Value;

use super::error::{ExchangeError, ExchangeResult};
use super::verifier_id::{VERIFIER_ID_LEN, VerifierId};
use laissez_formats::credential::CredentialFormat;
use laissez_formats::credential::PresentationBinding;

/// Length of one window, seconds.
pub const WINDOW_SECS: i64 = 120;
/// The SD-JWT audience of static presentations.
pub const STATIC_AUDIENCE: &str = "urn:laissez:static";
const HANDOVER: &str = "LaissezStaticHandover";

/// The window that contains `now`.
pub fn window_start(now: i64) -> i64 {
    now.div_euclid(WINDOW_SECS) * WINDOW_SECS
}

fn transcript(window: i64, verifier: Option<&VerifierId>) -> Vec<u8> {
    let mut handover = vec![Value::Text(HANDOVER.into()), Value::Integer(window.into())];
    if let Some(verifier) = verifier {
        handover.push(Value::Bytes(verifier.0.to_vec()));
    }
    let value = Value::Array(vec![Value::Null, Value::Null, Value::Array(handover)]);
    let mut out = Vec::new();
    let _ = ciborium::into_writer(&value, &mut out);
    out
}

fn nonce(window: i64) -> String {
    format!("laissez-static:{window}")
}

/// When a static presentation made at `now` stops being accepted (Unix seconds): verifiers
/// take the current and the previous window, so the end of the window after the one it was
/// made in. What a countdown on the holder's screen shows.
pub fn accepted_until(now: i64) -> i64 {
    window_start(now) + 2 * WINDOW_SECS
}

/// Who a disclosure was shown to without a request, read back from its recorded audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticRecipient {
    /// Any verifier within the window ([`STATIC_AUDIENCE`]).
    AnyVerifier,
    /// Only the verifier with this identifier.
    Verifier(VerifierId),
}

/// How a recorded disclosure's `audience` was shown: `None` for an answer to a request (or an
/// audience from elsewhere), else the static presentation's recipient.
pub fn static_recipient(audience: &str) -> Option<StaticRecipient> {
    if audience == STATIC_AUDIENCE {
        return Some(StaticRecipient::AnyVerifier);
    }
    VerifierId::from_audience(audience).map(StaticRecipient::Verifier)
}

/// The audience of a static presentation: the verifier's, or [`STATIC_AUDIENCE`] for any.
pub fn audience(verifier: Option<&VerifierId>) -> String {
    verifier.map_or_else(|| STATIC_AUDIENCE.into(), VerifierId::audience)
}

/// What a static presentation of `format` in `window`, for `verifier` (or any), is bound to:
/// the holder binds to it, the verifier expects it (for the current and the previous window).
pub fn binding(
    format: CredentialFormat,
    window: i64,
    verifier: Option<&VerifierId>,
) -> PresentationBinding {
    match format {
        CredentialFormat::Mdoc => {
            PresentationBinding::SessionTranscript(transcript(window, verifier))
        }
        CredentialFormat::SdJwt => PresentationBinding::NonceAudience {
            nonce: nonce(window),
            audience: audience(verifier),
        },
    }
}

/// A static presentation as carried by the QR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaticPresentation {
    /// Its format.
    pub format: CredentialFormat,
    /// The presentation.
    pub bytes: Vec<u8>,
    /// The window it is bound to.
    pub window: i64,
    /// The verifier it is bound to, if the holder knew it.
    pub verifier: Option<VerifierId>,
}

impl StaticPresentation {
    /// The payload bytes.
    pub fn encode(&self) -> ExchangeResult<Vec<u8>> {
        let code = match self.format {
            CredentialFormat::SdJwt => 1,
            CredentialFormat::Mdoc => 2,
        };
        let mut items = vec![
            Value::Integer(code.into()),
            Value::Bytes(self.bytes.clone()),
            Value::Integer(self.window.into()),
        ];
        if let Some(verifier) = &self.verifier {
            items.push(Value::Bytes(verifier.0.to_vec()));
        }
        let value = Value::Array(items);
        let mut out = Vec::new();
        ciborium::into_writer(&value, &mut out)
            .map_err(|_| ExchangeError::Malformed("static presentation"))?;
        Ok(out)
    }

    /// Parses the payload bytes.
    pub fn decode(bytes: &[u8]) -> ExchangeResult<Self> {
        if bytes.len() > super::response::MAX_RESPONSE_BYTES {
            return Err(ExchangeError::TooLarge("static presentation"));
        }
        let value: Value = ciborium::from_reader(bytes)
            .map_err(|_| ExchangeError::Malformed("static presentation"))?;
        let Value::Array(items) = value else {
            return Err(ExchangeError::Malformed("static presentation"));
        };
        let (verifier, items) = match items.as_slice() {
            [rest @ .., Value::Bytes(id)] if rest.len() == 3 => {
                let id = <[u8; VERIFIER_ID_LEN]>::try_from(id.as_slice())
                    .map_err(|_| ExchangeError::Malformed("verifier id"))?;
                (Some(VerifierId(id)), rest)
            }
            rest => (None, rest),
        };
        match items {
            [
                Value::Integer(code),
                Value::Bytes(presentation),
                Value::Integer(window),
            ] => {
                let format = match u64::try_from(*code) {
                    Ok(1) => CredentialFormat::SdJwt,
                    Ok(2) => CredentialFormat::Mdoc,
                    _ => return Err(ExchangeError::Malformed("format")),
                };
                let window =
                    i64::try_from(*window).map_err(|_| ExchangeError::Malformed("window"))?;
                Ok(Self {
                    format,
                    bytes: presentation.clone(),
                    window,
                    verifier,
                })
            }
            _ => Err(ExchangeError::Malformed("static presentation")),
        }
    }

    /// Accepts the current and the previous window only.
    pub fn check_window(&self, now: i64) -> ExchangeResult<()> {
        let current = window_start(now);
        if self.window == current || self.window == current - WINDOW_SECS {
            Ok(())
        } else {
            Err(ExchangeError::OutsideWindow)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_presentation_is_accepted_until_the_end_of_the_next_window() {
        assert_eq!(accepted_until(0), 2 * WINDOW_SECS);
        assert_eq!(accepted_until(WINDOW_SECS - 1), 2 * WINDOW_SECS);
        assert_eq!(accepted_until(WINDOW_SECS), 3 * WINDOW_SECS);
        assert_eq!(accepted_until(-1), WINDOW_SECS);
    }

    #[test]
    fn the_recorded_audience_tells_how_a_disclosure_was_shown() {
        let id = VerifierId([9; 10]);
        assert_eq!(
            static_recipient(&audience(None)),
            Some(StaticRecipient::AnyVerifier)
        );
        assert_eq!(
            static_recipient(&audience(Some(&id))),
            Some(StaticRecipient::Verifier(id))
        );
        assert_eq!(static_recipient("laissez:request:0011"), None);
    }
}

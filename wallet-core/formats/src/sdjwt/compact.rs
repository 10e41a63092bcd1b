//! The compact serialisation (RFC 9901 s4):
//! `<Issuer-signed JWT>~<Disclosure 1>~…~<Disclosure N>~<optional KB-JWT>`.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use crate::jose::SignedJwt;

use super::disclosure::Disclosure;
use super::error::{Part, SdJwtError, SdJwtResult};
use super::limits::{MAX_DISCLOSURES, MAX_SD_JWT_LEN};

/// An SD-JWT split into its parts. Parsing checks structure only (base64url, JSON,
/// header policy, Disclosure shape, duplicates, sizes); signatures and digests are
/// checked by [`process`](super::process::process) and [`super::verify_presentation`].
#[derive(Debug, Clone)]
pub struct SdJwt {
    issuer_jwt: SignedJwt,
    disclosures: Vec<Disclosure>,
    key_binding_jwt: Option<SignedJwt>,
}

impl SdJwt {
    /// Parses the compact serialisation. No whitespace is allowed, not even a trailing
    /// newline.
    pub fn parse(text: &str) -> SdJwtResult<Self> {
        if text.len() > MAX_SD_JWT_LEN {
            return Err(SdJwtError::TooLarge {
                what: "SD-JWT length",
            });
        }
        let separators = text.bytes().filter(|&b| b == b'~').count();
        if separators == 0 {
            return Err(SdJwtError::malformed(
                Part::Serialization,
                "no '~' separator (a bare JWT is not an SD-JWT)",
            ));
        }
        if separators - 1 > MAX_DISCLOSURES {
            return Err(SdJwtError::TooLarge {
                what: "number of disclosures",
            });
        }
        let mut parts: Vec<&str> = text.split('~').collect();
        let last = parts.pop().unwrap_or_default();
        let (first, middle) = parts
            .split_first()
            .ok_or(SdJwtError::malformed(Part::Serialization, "no issuer JWT"))?;
        let issuer_jwt =
            SignedJwt::parse(first).map_err(|e| SdJwtError::from_jose(Part::IssuerJwt, e))?;
        let mut seen = HashSet::with_capacity(middle.len());
        let mut disclosures = Vec::with_capacity(middle.len());
        for encoded in middle {
            if encoded.is_empty() {
                return Err(SdJwtError::malformed(
                    Part::Serialization,
                    "empty disclosure between separators",
                ));
            }
            if !seen.insert(*encoded) {
                return Err(SdJwtError::DuplicateDisclosure);
            }
            disclosures.push(Disclosure::parse(encoded)?);
        }
        let key_binding_jwt = if last.is_empty() {
            None
        } else {
            Some(
                SignedJwt::parse(last)
                    .map_err(|e| SdJwtError::from_jose(Part::KeyBindingJwt, e))?,
            )
        };
        Ok(Self {
            issuer_jwt,
            disclosures,
            key_binding_jwt,
        })
    }

    /// Assembles an SD-JWT from parts already parsed or made. Refuses duplicate
    /// Disclosures.
    pub fn from_parts(
        issuer_jwt: SignedJwt,
        disclosures: Vec<Disclosure>,
        key_binding_jwt: Option<SignedJwt>,
    ) -> SdJwtResult<Self> {
        if disclosures.len() > MAX_DISCLOSURES {
            return Err(SdJwtError::TooLarge {
                what: "number of disclosures",
            });
        }
        let mut seen = HashSet::with_capacity(disclosures.len());
        if !disclosures.iter().all(|d| seen.insert(d.digest())) {
            return Err(SdJwtError::DuplicateDisclosure);
        }
        Ok(Self {
            issuer_jwt,
            disclosures,
            key_binding_jwt,
        })
    }

    /// The Issuer-signed JWT.
    pub fn issuer_jwt(&self) -> &SignedJwt {
        &self.issuer_jwt
    }

    /// The Disclosures, in the order given.
    pub fn disclosures(&self) -> &[Disclosure] {
        &self.disclosures
    }

    /// The Key Binding JWT, if any.
    pub fn key_binding_jwt(&self) -> Option<&SignedJwt> {
        self.key_binding_jwt.as_ref()
    }

    /// `<Issuer-signed JWT>~<D1>~…~<DN>~`: the SD-JWT without Key Binding, which is also
    /// the input of `sd_hash`.
    pub fn without_key_binding(&self) -> String {
        let mut out = String::from(self.issuer_jwt.as_str());
        out.push('~');
        for disclosure in &self.disclosures {
            out.push_str(disclosure.encoded());
            out.push('~');
        }
        out
    }

    /// The compact serialisation.
    pub fn to_compact(&self) -> String {
        let mut out = self.without_key_binding();
        if let Some(kb) = &self.key_binding_jwt {
            out.push_str(kb.as_str());
        }
        out
    }
}

impl fmt::Display for SdJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_compact())
    }
}

impl FromStr for SdJwt {
    type Err = SdJwtError;

    fn from_str(text: &str) -> SdJwtResult<Self> {
        Self::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::JwsHeader;
    use laissez_crypto::ecdsa::SigningKey;
    use serde_json::json;

    fn jwt() -> String {
        let key = SigningKey::generate().unwrap();
        let claims = json!({"_sd": [], "iss": "x"}).as_object().unwrap().clone();
        SignedJwt::sign(&JwsHeader::es256(), &claims, &key)
            .unwrap()
            .as_str()
            .to_owned()
    }

    #[test]
    fn splits_and_reassembles() {
        let jwt = jwt();
        let d1 = Disclosure::new_property("a", json!(1)).unwrap();
        let d2 = Disclosure::new_element(json!("x")).unwrap();
        let text = format!("{jwt}~{}~{}~", d1.encoded(), d2.encoded());
        let sd = SdJwt::parse(&text).unwrap();
        assert_eq!(sd.disclosures().len(), 2);
        assert!(sd.key_binding_jwt().is_none());
        assert_eq!(sd.to_compact(), text);
        assert_eq!(sd.without_key_binding(), text);

        let with_kb = format!("{text}{jwt}");
        let sd = SdJwt::parse(&with_kb).unwrap();
        assert!(sd.key_binding_jwt().is_some());
        assert_eq!(sd.to_compact(), with_kb);
        assert_eq!(sd.without_key_binding(), text);

        let bare = SdJwt::parse(&format!("{jwt}~")).unwrap();
        assert!(bare.disclosures().is_empty());
    }

    #[test]
    fn structural_errors() {
        let jwt = jwt();
        let d = Disclosure::new_property("a", json!(1)).unwrap();
        let d = d.encoded();
        assert!(matches!(
            SdJwt::parse(&jwt),
            Err(SdJwtError::Malformed {
                part: Part::Serialization,
                ..
            })
        ));
        assert!(matches!(
            SdJwt::parse(&format!("{jwt}~~{d}~")),
            Err(SdJwtError::Malformed {
                part: Part::Serialization,
                ..
            })
        ));
        assert_eq!(
            SdJwt::parse(&format!("{jwt}~{d}~{d}~")).unwrap_err(),
            SdJwtError::DuplicateDisclosure
        );
        assert!(matches!(
            SdJwt::parse(&format!("{jwt}~{d}~garbage")),
            Err(SdJwtError::Malformed {
                part: Part::KeyBindingJwt,
                ..
            })
        ));
        assert!(matches!(
            SdJwt::parse(&format!("x{jwt}~{d}~")),
            Err(SdJwtError::Malformed {
                part: Part::IssuerJwt,
                ..
            })
        ));
        assert!(matches!(
            SdJwt::parse(&format!("{jwt}~{d}~\n")),
            Err(SdJwtError::Malformed {
                part: Part::KeyBindingJwt,
                ..
            })
        ));
        assert!(matches!(
            SdJwt::parse(&format!("{jwt}{}", "~".repeat(MAX_DISCLOSURES + 2))),
            Err(SdJwtError::TooLarge { .. })
        ));
        assert!(matches!(
            SdJwt::parse(&"~".repeat(MAX_SD_JWT_LEN + 1)),
            Err(SdJwtError::TooLarge { .. })
        ));
    }
}

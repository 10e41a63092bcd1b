//! Canonical (low-S) ECDSA signatures.
//!
//! If `(r, s)` is a valid ECDSA signature, so is `(r, n - s)`: anyone can turn one valid
//! signature into a second one over the same message without the key. Whatever keys a
//! decision on signature bytes (a replay cache, a seen-list) must therefore accept only one of
//! the two. We take the BIP 62 / libsecp256k1 rule: `s <= n / 2` ("low S"). Everything we sign
//! is normalised to it; [`super::VerifyingKey::verify`] refuses the other form.

use super::SIGNATURE_LEN;

/// Half the order of the P-256 group, `floor(n / 2)`, big-endian.
const HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xde, 0x73, 0x7d, 0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

/// The order `n` of the P-256 group, big-endian.
const ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Whether the `s` half of a fixed-size `r || s` signature is at most `n / 2`. Signatures of
/// another length are not low-S (they are not ES256 signatures at all).
pub fn is_low_s(signature: &[u8]) -> bool {
    signature.len() == SIGNATURE_LEN && signature[32..] <= HALF_ORDER[..]
}

/// The low-S twin of a `r || s` signature: unchanged if `s <= n / 2`, else `r || n - s`.
/// Both verify under the same key; only the low-S one passes [`super::VerifyingKey::verify`].
pub fn normalize_s(signature: &[u8; SIGNATURE_LEN]) -> [u8; SIGNATURE_LEN] {
    let mut out = *signature;
    if !is_low_s(signature) {
        let mut s = [0u8; 32];
        s.copy_from_slice(&signature[32..]);
        out[32..].copy_from_slice(&subtract(&ORDER, &s));
    }
    out
}

/// `a - b` for 256-bit big-endian numbers with `a >= b` (here `n - s` with `s < n`).
fn subtract(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut digit = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(digit < 0);
        if digit < 0 {
            digit += 256;
        }
        out[i] = digit as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_s(s: [u8; 32]) -> [u8; SIGNATURE_LEN] {
        let mut sig = [0x11u8; SIGNATURE_LEN];
        sig[32..].copy_from_slice(&s);
        sig
    }

    #[test]
    fn half_order_is_the_boundary() {
        assert!(is_low_s(&with_s(HALF_ORDER)));
        let mut above = HALF_ORDER;
        above[31] += 1;
        assert!(!is_low_s(&with_s(above)));
        assert!(!is_low_s(&[0u8; 63]));
    }

    #[test]
    fn normalising_negates_high_s_and_keeps_low_s() {
        let mut above = HALF_ORDER;
        above[31] += 1; // n/2 + 1, whose negation is n - (n/2 + 1) = n/2 (n is odd)
        let normal = normalize_s(&with_s(above));
        assert_eq!(normal[32..], HALF_ORDER[..]);
        assert_eq!(normal[..32], [0x11u8; 32]);
        let low = with_s(HALF_ORDER);
        assert_eq!(normalize_s(&low), low);
        // n - 1 becomes 1.
        let mut top = ORDER;
        top[31] -= 1;
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(normalize_s(&with_s(top))[32..], one[..]);
    }
}

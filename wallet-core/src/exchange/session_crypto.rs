//! Encryption of the engaged response to the verifier's ephemeral key: ECDH P-256, HKDF-SHA256
//! bound to the request hash and both public keys, AES-256-GCM. A photo of the response QR
//! reveals nothing without the verifier's ephemeral private key. The holder's key pair is
//! fresh for every response, so every AEAD key seals one message and no nonce is sent.
//!
//! The holder's side is one-shot (ring's `EphemeralPrivateKey`). The verifier's key must
//! survive between showing the request and scanning the answer (possibly in another process),
//! which ring's ephemeral keys cannot; the verifier side computes the same ECDH with the `p256`
//! crate's arithmetic from a stored scalar — the one place ring has no primitive.

use ring::agreement::{ECDH_P256, EphemeralPrivateKey, UnparsedPublicKey, agree_ephemeral};
use ring::rand::SystemRandom;

use super::error::{ExchangeError, ExchangeResult};
use laissez_crypto::aead::OneTimeKey;
use laissez_crypto::derive::hkdf_key;
use laissez_crypto::ecdsa::{SigningKey, VerifyingKey};

const INFO: &str = "laissez/v1/engaged-response";

fn session_key(
    shared_x: &[u8],
    context_hash: &[u8; 32],
    info: &str,
    sender_public: &[u8],
    recipient_public: &[u8],
) -> ExchangeResult<OneTimeKey> {
    let context = [sender_public, recipient_public].concat();
    let key = hkdf_key(shared_x, context_hash, info, &context)
        .map_err(|_| ExchangeError::Crypto("key derivation"))?;
    OneTimeKey::new(&key).map_err(|_| ExchangeError::Crypto("AEAD key"))
}

/// Holder: encrypts `plaintext` to the verifier's key. Returns the holder's ephemeral public
/// key (uncompressed SEC1) and the sealed box.
pub fn seal_to_verifier(
    verifier_key: &VerifyingKey,
    request_hash: &[u8; 32],
    plaintext: &[u8],
) -> ExchangeResult<(Vec<u8>, Vec<u8>)> {
    seal_to(verifier_key, request_hash, INFO, plaintext)
}

/// Verifier: decrypts what [`seal_to_verifier`] made, with its ephemeral private key.
pub fn open_from_holder(
    verifier_key: &SigningKey,
    request_hash: &[u8; 32],
    holder_public: &[u8],
    sealed: &[u8],
) -> ExchangeResult<zeroize::Zeroizing<Vec<u8>>> {
    open_from(verifier_key, request_hash, INFO, holder_public, sealed)
}

/// Encrypts `plaintext` to `recipient` with a fresh one-shot sender key: ECDH P-256, HKDF-SHA256
/// (salt `context_hash`, label `info`, context both public keys, sender's first), AES-256-GCM
/// with `context_hash` as associated data. Returns the sender's public key (uncompressed SEC1)
/// and the sealed box. Each use has a label of its own (`info`), so a box sealed for one
/// purpose never opens as another's.
pub(crate) fn seal_to(
    recipient: &VerifyingKey,
    context_hash: &[u8; 32],
    info: &str,
    plaintext: &[u8],
) -> ExchangeResult<(Vec<u8>, Vec<u8>)> {
    let rng = SystemRandom::new();
    let private = EphemeralPrivateKey::generate(&ECDH_P256, &rng)
        .map_err(|_| ExchangeError::Crypto("ephemeral key"))?;
    let sender_public = private
        .compute_public_key()
        .map_err(|_| ExchangeError::Crypto("ephemeral key"))?
        .as_ref()
        .to_vec();
    let recipient_public = recipient.to_sec1();
    let peer = UnparsedPublicKey::new(&ECDH_P256, recipient_public);
    let key = agree_ephemeral(private, &peer, |shared| {
        session_key(
            shared,
            context_hash,
            info,
            &sender_public,
            &recipient_public,
        )
    })
    .map_err(|_| ExchangeError::Crypto("key agreement"))??;
    let sealed = key
        .seal(plaintext, context_hash)
        .map_err(|_| ExchangeError::Crypto("encryption"))?;
    Ok((sender_public, sealed))
}

/// Decrypts what [`seal_to`] made with the same `context_hash` and `info`, with the
/// recipient's stored private key (compressed or uncompressed `sender_public`).
pub(crate) fn open_from(
    recipient: &SigningKey,
    context_hash: &[u8; 32],
    info: &str,
    sender_public: &[u8],
    sealed: &[u8],
) -> ExchangeResult<zeroize::Zeroizing<Vec<u8>>> {
    let sender = p256::PublicKey::from_sec1_bytes(sender_public)
        .map_err(|_| ExchangeError::Malformed("holder key"))?;
    let secret = p256::SecretKey::from_bytes(recipient.scalar().into())
        .map_err(|_| ExchangeError::Crypto("verifier key"))?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), sender.as_affine());
    let recipient_public = recipient.public_key().to_sec1();
    let sender_uncompressed = VerifyingKey::from_sec1(sender_public)
        .ok_or(ExchangeError::Malformed("holder key"))?
        .to_sec1();
    let key = session_key(
        shared.raw_secret_bytes().as_slice(),
        context_hash,
        info,
        &sender_uncompressed,
        &recipient_public,
    )?;
    key.open(sealed, context_hash)
        .map_err(|_| ExchangeError::Undecryptable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_verifier_key_and_the_same_request_open_it() {
        let verifier = SigningKey::generate().unwrap();
        let hash = [7u8; 32];
        let (holder_public, sealed) =
            seal_to_verifier(verifier.public_key(), &hash, b"claims").unwrap();
        let opened = open_from_holder(&verifier, &hash, &holder_public, &sealed).unwrap();
        assert_eq!(&opened[..], b"claims");
        let stranger = SigningKey::generate().unwrap();
        assert_eq!(
            open_from_holder(&stranger, &hash, &holder_public, &sealed).unwrap_err(),
            ExchangeError::Undecryptable
        );
        assert_eq!(
            open_from_holder(&verifier, &[8u8; 32], &holder_public, &sealed).unwrap_err(),
            ExchangeError::Undecryptable
        );
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open_from_holder(&verifier, &hash, &holder_public, &bad).is_err());
        }
    }
}

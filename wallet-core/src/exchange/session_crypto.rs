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
    request_hash: &[u8; 32],
    holder_public: &[u8],
    verifier_public: &[u8],
) -> ExchangeResult<OneTimeKey> {
    let context = [holder_public, verifier_public].concat();
    let key = hkdf_key(shared_x, request_hash, INFO, &context)
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
    let rng = SystemRandom::new();
    let private = EphemeralPrivateKey::generate(&ECDH_P256, &rng)
        .map_err(|_| ExchangeError::Crypto("ephemeral key"))?;
    let holder_public = private
        .compute_public_key()
        .map_err(|_| ExchangeError::Crypto("ephemeral key"))?
        .as_ref()
        .to_vec();
    let verifier_public = verifier_key.to_sec1();
    let peer = UnparsedPublicKey::new(&ECDH_P256, verifier_public);
    let key = agree_ephemeral(private, &peer, |shared| {
        session_key(shared, request_hash, &holder_public, &verifier_public)
    })
    .map_err(|_| ExchangeError::Crypto("key agreement"))??;
    let sealed = key
        .seal(plaintext, request_hash)
        .map_err(|_| ExchangeError::Crypto("encryption"))?;
    Ok((holder_public, sealed))
}

/// Verifier: decrypts what [`seal_to_verifier`] made, with its ephemeral private key.
pub fn open_from_holder(
    verifier_key: &SigningKey,
    request_hash: &[u8; 32],
    holder_public: &[u8],
    sealed: &[u8],
) -> ExchangeResult<zeroize::Zeroizing<Vec<u8>>> {
    let holder = p256::PublicKey::from_sec1_bytes(holder_public)
        .map_err(|_| ExchangeError::Malformed("holder key"))?;
    let secret = p256::SecretKey::from_bytes(verifier_key.scalar().into())
        .map_err(|_| ExchangeError::Crypto("verifier key"))?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), holder.as_affine());
    let verifier_public = verifier_key.public_key().to_sec1();
    let holder_uncompressed = VerifyingKey::from_sec1(holder_public)
        .ok_or(ExchangeError::Malformed("holder key"))?
        .to_sec1();
    let key = session_key(
        shared.raw_secret_bytes().as_slice(),
        request_hash,
        &holder_uncompressed,
        &verifier_public,
    )?;
    key.open(sealed, request_hash)
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

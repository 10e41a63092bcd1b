//! Cryptographic building blocks, all through `ring` except Argon2id (RustCrypto `argon2`).

pub mod aead;
pub mod blind_index;
pub mod derive;
pub mod ecdsa;
pub mod pin_kdf;
pub mod random;
pub mod secret;

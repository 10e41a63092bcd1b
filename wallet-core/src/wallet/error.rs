//! Errors of the holder's credential operations.

use laissez_formats::mdoc::MdocError;
use laissez_formats::sdjwt::SdJwtError;
use laissez_formats::type_metadata::TypeMetadataError;
use laissez_formats::x509::X509Error;
use laissez_store::StoreError;

/// What can go wrong importing, showing or presenting a credential. Messages never contain
/// claim values.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// The store refused (locked, damaged, ...).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An SD-JWT VC problem.
    #[error("SD-JWT: {0}")]
    SdJwt(#[from] SdJwtError),
    /// An mdoc problem.
    #[error("mdoc: {0}")]
    Mdoc(#[from] MdocError),
    /// An issuer certificate problem.
    #[error("issuer certificate: {0}")]
    Certificate(#[from] X509Error),
    /// Neither an SD-JWT VC nor an mdoc.
    #[error("not a credential this wallet understands (neither SD-JWT VC nor mdoc)")]
    UnknownFormat,
    /// The credential names no holder key, so it cannot be bound to this wallet.
    #[error("the credential is not bound to a holder key")]
    NoHolderKey,
    /// The credential is bound to a key that is not one of this wallet's.
    #[error("the credential is bound to a key that is not this wallet's")]
    NotBoundToThisWallet,
    /// Neither the credential nor the caller gives a key to check the issuer's signature.
    #[error("the credential carries no issuer certificate; give the issuer's key to check it")]
    NoIssuerKey,
    /// The record is not a credential.
    #[error("that record is not a credential")]
    NotACredential,
    /// A requested claim is not in the credential (the name is the caller's own input).
    #[error("the credential has no claim '{0}'")]
    UnknownClaim(String),
    /// The binding does not fit the format (an SD-JWT needs a nonce and an audience).
    #[error("this presentation needs {0}")]
    WrongBinding(&'static str),
    /// The credential is already in the wallet.
    #[error("this credential is already in the wallet")]
    AlreadyImported,
    /// The type metadata given with the credential was refused (malformed, too large, for
    /// another type, not matching the credential's `vct#integrity`, extending a type not
    /// given).
    #[error("type metadata: {0}")]
    TypeMetadata(#[from] TypeMetadataError),
    /// A batch was given with no copy in it.
    #[error("the batch holds no copy of a credential")]
    EmptyBatch,
    /// A batch holds more copies than one credential may (the limit).
    #[error("a batch may hold at most {0} copies")]
    TooManyCopies(usize),
    /// The copies of a batch are not the same credential (what differs: format, type,
    /// issuer or claim values; never the values themselves).
    #[error("the copies of the batch are not the same credential: their {0} differ")]
    CopiesDiffer(&'static str),
    /// Two copies of a batch are bound to the same holder key (each copy needs its own).
    #[error("two copies of the batch are bound to the same holder key")]
    HolderKeyUsedTwice,
    /// Every copy of the credential has been presented, and the wallet does not reuse copies.
    #[error(
        "every copy of this credential has been presented: ask the issuer for new copies, or \
         turn on reusing the last copy (its presentations can then be linked)"
    )]
    NoCopiesLeft,
}

/// Result alias for credential operations.
pub type CredentialResult<T> = Result<T, CredentialError>;

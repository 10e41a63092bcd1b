//! Reading the files a command is given (claims, keys, credentials, presentations) and
//! writing the files it makes. Every problem with an input file is bad input (exit 2) and
//! names the file and what was expected, never its contents.

use std::path::Path;

use serde_json::{Map, Value};
use wallet_core::crypto::ecdsa::VerifyingKey;
use wallet_core::jose::P256Jwk;
use wallet_core::verifier::TrustedIssuer;

use crate::exit::{CliError, CliResult};

/// The whole file, or bad input naming it and `what` it should have been.
pub fn read_bytes(path: &Path, what: &str) -> CliResult<Vec<u8>> {
    std::fs::read(path).map_err(|err| {
        CliError::BadInput(format!(
            "cannot read the {what} {}: {}",
            path.display(),
            err.kind()
        ))
    })
}

/// The file parsed as JSON.
pub fn read_json(path: &Path, what: &str) -> CliResult<Value> {
    let bytes = read_bytes(path, what)?;
    serde_json::from_slice(&bytes)
        .map_err(|_| CliError::BadInput(format!("the {what} {} is not valid JSON", path.display())))
}

/// The file as a JSON object (claims).
pub fn read_json_object(path: &Path, what: &str) -> CliResult<Map<String, Value>> {
    match read_json(path, what)? {
        Value::Object(map) => Ok(map),
        _ => Err(CliError::BadInput(format!(
            "the {what} {} is not a JSON object",
            path.display()
        ))),
    }
}

/// A public P-256 JWK file (`{"kty":"EC","crv":"P-256","x":…,"y":…}`).
pub fn read_public_jwk(path: &Path, what: &str) -> CliResult<VerifyingKey> {
    let json = read_json(path, what)?;
    P256Jwk::from_json(&json)
        .map(P256Jwk::into_verifying_key)
        .map_err(|err| {
            CliError::BadInput(format!(
                "the {what} {} is not a public P-256 JWK ({err})",
                path.display()
            ))
        })
}

/// An issuer's certificate (PEM or DER) or public JWK, as a verifier trusts it.
pub fn read_trusted_issuer(path: &Path) -> CliResult<TrustedIssuer> {
    let bytes = read_bytes(path, "issuer key or certificate")?;
    TrustedIssuer::from_bytes(&bytes).map_err(|err| {
        CliError::BadInput(format!(
            "{}: {err} (expected a PEM or DER certificate or a public P-256, P-384 or Ed25519 JWK)",
            path.display()
        ))
    })
}

/// Writes `bytes` to `path`, replacing it. A path that cannot be written (no such folder,
/// no permission, a folder) is bad input; any other failure is one of the machine.
pub fn write_output(path: &Path, bytes: &[u8], what: &str) -> CliResult {
    use std::io::ErrorKind;
    std::fs::write(path, bytes).map_err(|err| {
        let message = format!("cannot write the {what} {}: {}", path.display(), err.kind());
        match err.kind() {
            ErrorKind::NotFound
            | ErrorKind::PermissionDenied
            | ErrorKind::IsADirectory
            | ErrorKind::NotADirectory => CliError::BadInput(message),
            _ => CliError::Failed(message),
        }
    })
}

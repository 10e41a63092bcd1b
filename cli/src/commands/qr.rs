//! `laissez qr decode`: the raw text of every QR code in image files, nothing interpreted.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use wallet_core::claim169;
use wallet_core::qr::scan::scan_image;

use crate::args::{QrCommand, QrDecodeArgs};
use crate::exit::{CliError, CliResult};
use crate::{input_files, output};

/// Runs one qr subcommand.
pub fn run(command: QrCommand) -> CliResult {
    match command {
        QrCommand::Decode(args) => decode(&args),
    }
}

/// One image's codes, as `--json` prints them.
#[derive(Serialize)]
struct ImageCodes {
    file: String,
    codes: Vec<String>,
    /// The MOSIP Claim 169 identity codes among them, decoded but NOT verified (structure
    /// only: `laissez verifier verify` checks the issuer): one object per such code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    claim169: Vec<serde_json::Value>,
}

/// A Claim 169 code's decoded fields (unverified), or why it does not decode.
fn claim169_json(text: &str) -> serde_json::Value {
    match claim169::decode(text, None) {
        Ok(code) => serde_json::json!({
            "verified": false,
            "signed": code.is_signed(),
            "alg": code.signature_algorithm().map(|alg| alg.jose_name()),
            "cwt": code.cwt.to_json(),
            "claim169": code.identity.to_json(),
        }),
        Err(err) => serde_json::json!({ "error": err.to_string() }),
    }
}

fn read_codes(path: &Path) -> CliResult<Vec<String>> {
    let bytes = input_files::read_bytes(path, "image")?;
    let codes = scan_image(&bytes)
        .map_err(|err| CliError::BadInput(format!("{}: {err}", path.display())))?;
    Ok(codes.into_iter().map(|code| code.text).collect())
}

fn decode(args: &QrDecodeArgs) -> CliResult {
    // Read every file before printing anything: an unreadable one is reported alone.
    let images = args
        .images
        .iter()
        .map(|path| {
            let codes = read_codes(path)?;
            let claim169 = codes
                .iter()
                .filter(|text| claim169::looks_like_code(text))
                .map(|text| claim169_json(text))
                .collect();
            Ok(ImageCodes {
                file: path.display().to_string(),
                codes,
                claim169,
            })
        })
        .collect::<CliResult<Vec<_>>>()?;
    if args.json {
        output::print_json(&images)?;
    } else {
        let prefix = images.len() > 1;
        let mut out = std::io::stdout().lock();
        for image in &images {
            for code in &image.codes {
                if prefix {
                    writeln!(out, "{}: {code}", image.file)?;
                } else {
                    writeln!(out, "{code}")?;
                }
            }
        }
    }
    let empty: Vec<&str> = images
        .iter()
        .filter(|image| image.codes.is_empty())
        .map(|image| image.file.as_str())
        .collect();
    if empty.is_empty() {
        Ok(())
    } else {
        Err(CliError::Negative(format!(
            "no QR code found in {}",
            empty.join(", ")
        )))
    }
}

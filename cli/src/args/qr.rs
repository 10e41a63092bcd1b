//! `laissez qr ...`: reading QR codes from image files.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// QR commands.
#[derive(Debug, Subcommand)]
pub enum QrCommand {
    /// Print the raw text of every QR code found in PNG or JPEG images.
    #[command(after_help = "\
One line per code; with several images each line starts with the file name and a colon.
Exit codes: 0 a code was found in every image; 1 some image held no readable code; 2 a file
that cannot be read or is not a PNG or JPEG image.")]
    Decode(QrDecodeArgs),
}

/// Options of `laissez qr decode`.
#[derive(Debug, Args)]
pub struct QrDecodeArgs {
    /// The PNG or JPEG files to read.
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<PathBuf>,
    /// Print one JSON array: [{"file": …, "codes": [text, …]}, …].
    #[arg(long)]
    pub json: bool,
}

//! Options of `laissez wallet backup` and `laissez wallet restore`.

use std::path::PathBuf;

use clap::Args;

use super::{DbArg, KdfArg};

/// Options of `laissez wallet backup`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("target").required(true).multiple(true))]
pub struct BackupArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Write the encrypted backup to this file (readable only with the 24 words).
    #[arg(long, value_name = "FILE", group = "target")]
    pub out: Option<PathBuf>,
    /// Write it as the PNG frames of an animated QR sequence in this folder, for a new phone
    /// to scan (`frame-01.png`, `frame-02.png`…; three digits from 100 frames on, so the
    /// names sort in display order).
    #[arg(long, value_name = "DIR", group = "target")]
    pub frames_dir: Option<PathBuf>,
    /// Characters per QR frame (970: version 20 at ECC M; up to 3,391, version 40).
    #[arg(long, value_name = "N", default_value_t = 970,
          value_parser = clap::value_parser!(u32).range(200..=3_391))]
    pub frame_chars: u32,
}

/// Options of `laissez wallet restore`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true))]
pub struct RestoreArgs {
    /// The wallet to restore into: a new file (made from the 24 words with a new PIN), or an
    /// existing wallet made from the same words (merged, without duplicates; its PIN).
    #[command(flatten)]
    pub db: DbArg,
    /// The backup file.
    #[arg(long, value_name = "FILE", group = "source")]
    pub backup: Option<PathBuf>,
    /// A folder of scanned QR frame images (PNG or JPEG, any order; missing frames are fine
    /// while enough remain).
    #[arg(long, value_name = "DIR", group = "source")]
    pub frames_dir: Option<PathBuf>,
    #[command(flatten)]
    pub kdf: KdfArg,
}

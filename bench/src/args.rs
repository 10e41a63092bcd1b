//! The command tree, as clap parses it: the same subcommands and options `laissez bench` had,
//! plus `qr-scan`. No behaviour here: only names, docs and value syntax.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Progress goes to stderr, results to stdout (a table, or one JSON object with --json).
Exit codes: 0 measured; 2 bad options or input files; 3 a step failed or a result did not
check out (a fast wrong answer never becomes a number).";

/// Laissez's benchmarks: the wallet core measured on this machine (docs/BENCHMARKS.md).
#[derive(Debug, Parser)]
#[command(name = "laissez-bench", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// What to measure.
    #[command(subcommand)]
    pub command: Command,
}

/// The benchmarks.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Time the encrypted store: unlock, inserts, gets, tag queries, counts, size on disk.
    Store(StoreArgs),
    /// Time issue, import, present and verify in both formats; sizes of what travels.
    Credentials(CredentialsArgs),
    /// Verification through a certificate chain beside a pinned key; signed trust list sizes.
    Chains(ChainsArgs),
    /// Decode and verify MOSIP Claim 169 identity QR codes (EdDSA, ES256, encrypted).
    Claim169(Claim169Args),
    /// Write Claim 169 codes with a real face image (three sizes), for the scan benchmark of
    /// bench/claim169-frames.
    Claim169Codes(Claim169CodesArgs),
    /// Simulate animated QR transfers: frames shown until a message is rebuilt, with loss.
    Frames(FramesArgs),
    /// Sizes of the engaged QR response and the time from a camera frame to a verdict.
    Exchange(ExchangeArgs),
    /// The request code signed by a certified verifier (ADR 0020): sizes, time to check it.
    SignedRequest(SignedRequestArgs),
    /// Backup and restore of a large wallet; the animated transfer of a small one.
    Backup(BackupArgs),
    /// Import of a batch of one-time copies (key derivation timed apart), both formats.
    BatchImport(BatchImportArgs),
    /// Read QR codes from camera-like frames and image files, beside ZXing-C++'s figures.
    #[command(subcommand)]
    QrScan(QrScanCommand),
}

/// Options of `laissez-bench backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Credentials in the large wallet.
    #[arg(long, value_name = "N", default_value_t = 1_000,
          value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub credentials: u32,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench batch-import`.
#[derive(Debug, Args)]
pub struct BatchImportArgs {
    /// Copies per batch.
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub copies: u32,
    /// Batches imported per format (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(3..=10_000))]
    pub reps: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench exchange`.
#[derive(Debug, Args)]
pub struct ExchangeArgs {
    /// End-to-end runs per format (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 60,
          value_parser = clap::value_parser!(u32).range(3..=10_000))]
    pub reps: u32,
    /// A folder of EU DCC QR images (PNG) to report their median length beside ours
    /// (../shared/vectors/dcc-qr in the development tree).
    #[arg(long, value_name = "DIR")]
    pub dcc: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench signed-request`.
#[derive(Debug, Args)]
pub struct SignedRequestArgs {
    /// Repetitions (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(3..=100_000))]
    pub reps: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench frames`.
#[derive(Debug, Args)]
pub struct FramesArgs {
    /// Payload size in bytes (random bytes, and a JSON document of about this size).
    #[arg(long, value_name = "N", default_value_t = 20_000,
          value_parser = clap::value_parser!(u32).range(1_000..=500_000))]
    pub bytes: u32,
    /// Characters per frame (970: version 20 at ECC M); comma-separated for several.
    #[arg(long, value_name = "C,...", value_delimiter = ',', default_values_t = [970, 1400, 1800, 2000],
          value_parser = clap::value_parser!(u32).range(100..=3_391))]
    pub frame_chars: Vec<u32>,
    /// Repair frames as a fraction of the frames needed (`split` allows up to 4).
    #[arg(long, value_name = "R", default_value_t = 4.0)]
    pub repair_ratio: f32,
    /// Display rate, frames per second.
    #[arg(long, value_name = "FPS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=120))]
    pub fps: u32,
    /// Probability that the camera loses a shown frame.
    #[arg(long, value_name = "P", default_value_t = 0.25)]
    pub drop: f64,
    /// The window of the target, in seconds.
    #[arg(long, value_name = "S", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=600))]
    pub seconds: u32,
    /// Simulated transfers per payload and frame size (text mode).
    #[arg(long, value_name = "N", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub trials: u32,
    /// Transfers in camera mode (frames drawn and read by the scanner; 0 skips it).
    #[arg(long, value_name = "N", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(0..=10_000))]
    pub scan_trials: u32,
    /// Side of the code in the 1280x720 camera frame, pixels.
    #[arg(long, value_name = "PX", default_value_t = 600,
          value_parser = clap::value_parser!(u32).range(100..=720))]
    pub code_px: u32,
    /// Seed of the first trial's RNG.
    #[arg(long, value_name = "SEED", default_value_t = 20_261_123)]
    pub seed: u64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench credentials`.
#[derive(Debug, Args)]
pub struct CredentialsArgs {
    /// Repetitions of each operation (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(5..=100_000))]
    pub reps: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench claim169`.
#[derive(Debug, Args)]
pub struct Claim169Args {
    /// Repetitions of each measurement (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 1_000,
          value_parser = clap::value_parser!(u32).range(5..=1_000_000))]
    pub reps: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench claim169-codes`.
#[derive(Debug, Args)]
pub struct Claim169CodesArgs {
    /// The face photo (JPEG or PNG), cropped and scaled as portraits are.
    #[arg(
        long,
        value_name = "PHOTO",
        default_value = "wallet-core/tests/data/portrait/astronaut-240x300.jpg"
    )]
    pub photo: PathBuf,
    /// Where to write the codes (a JSON array).
    #[arg(long, value_name = "CODES.json")]
    pub out: PathBuf,
}

/// Options of `laissez-bench chains`.
#[derive(Debug, Args)]
pub struct ChainsArgs {
    /// Verifications timed per format and trust setting (the medians are over these).
    #[arg(long, value_name = "R", default_value_t = 200,
          value_parser = clap::value_parser!(u32).range(5..=100_000))]
    pub reps: u32,
    /// Anchors in the signed trust lists whose sizes are measured.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub anchors: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Options of `laissez-bench store`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Records in the main wallet (about 1.5 KB each, 3 tags).
    #[arg(long, value_name = "N", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    pub records: u32,
    /// Repetitions of the slow whole-wallet steps (create, unlock, bulk insert).
    #[arg(long, value_name = "R", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=20))]
    pub reps: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `laissez-bench qr-scan`: the QR scanner on the frame set of `../shared/bench/qr_frames.sh`.
#[derive(Debug, Subcommand)]
pub enum QrScanCommand {
    /// Decode every PNG of a folder at camera effort; write `file, ok, decode_us, payload_hex`
    /// rows for `qr_summarize.py`.
    Frames {
        /// The folder of frames (`OUT/img` of qr_frames.sh).
        #[arg(value_name = "IMG_DIR")]
        img_dir: PathBuf,
        /// The TSV file to write.
        #[arg(value_name = "OUT.tsv")]
        out: PathBuf,
    },
    /// Each decoding pass alone on every frame, then the chain pass by pass.
    Passes {
        /// The frame set (holds `manifest.jsonl` and `img/`).
        #[arg(value_name = "FRAMES_DIR")]
        frames_dir: PathBuf,
    },
    /// A continuous camera scan (`Scanner::new`'s) on every frame: the same frame pushed
    /// until read or the passes have all run; writes the first push as `NAME.tsv` rows for
    /// `qr_summarize.py` and prints the time of every push.
    Continuous {
        /// The frame set (holds `manifest.jsonl` and `img/`).
        #[arg(value_name = "FRAMES_DIR")]
        frames_dir: PathBuf,
        /// The TSV of first pushes to write (`file, ok, decode_us, payload_hex`).
        #[arg(value_name = "OUT.tsv")]
        out: PathBuf,
        /// Work units per frame (default: the scanner's).
        #[arg(long, value_name = "UNITS")]
        budget: Option<u64>,
        /// Most work units of one crop of a pass (default: the scanner's).
        #[arg(long, value_name = "UNITS")]
        piece: Option<u64>,
        /// Overlap of crops in pixels (default: the scanner's).
        #[arg(long, value_name = "PIXELS")]
        overlap: Option<u32>,
    },
    /// Each camera pass alone on every frame, timed (where a frame's time goes): writes
    /// `file, expected?, then ok and microseconds per pass, then the chain's` rows.
    Profile {
        /// The frame set (holds `manifest.jsonl` and `img/`).
        #[arg(value_name = "FRAMES_DIR")]
        frames_dir: PathBuf,
        /// The TSV file to write.
        #[arg(value_name = "OUT.tsv")]
        out: PathBuf,
    },
    /// Engaged-answer-like envelopes of given lengths as one code and as today's animated
    /// sequence (JSON for `bench/scripts/qr_one_code.py`, which draws them as camera frames).
    AnswerTexts {
        /// Target lengths of the single-code text, in characters (comma-separated).
        #[arg(long, value_name = "N,N,...", value_delimiter = ',', required = true)]
        chars: Vec<usize>,
        /// Characters per animated frame (today's default: 970, version 20 at M).
        #[arg(long, value_name = "N", default_value_t = 970)]
        frame_chars: usize,
        /// The JSON file to write.
        #[arg(value_name = "OUT.json")]
        out: PathBuf,
    },
    /// A 1920x1080 frame holding a ~900-character envelope, from luma to the message.
    E2e,
    /// The EU DCC real-world PNGs through `scan_image`, PNG decoding included.
    Dcc {
        /// The folder (holds `manifest.tsv` and `png/`; ../shared/vectors/dcc-qr).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}

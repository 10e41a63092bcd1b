//! Size limits applied before and while a code is decoded (ADR 0022).

/// Longest QR text accepted, in characters. The largest QR code (version 40, level L) holds
/// 4,296 alphanumeric characters; twice that leaves room for line breaks or spaces a reader
/// may add, and stops a hostile text before Base45 allocates for it.
pub const MAX_QR_TEXT_CHARS: usize = 8_192;

/// Most bytes the zlib stream may inflate to: 64 KiB. A version-40 QR code carries at most
/// 2,864 bytes after Base45; identity data whose face image is already compressed inflates a
/// few times at most, so a real code stays far below (22 times the largest input), while a
/// zlib bomb (deflate reaches about 1,000:1) is cut here instead of at ~2.8 MB.
pub const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024;

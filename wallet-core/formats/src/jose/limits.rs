//! Size limits on JOSE input. Everything a verifier reads comes from a QR code or a file
//! that anyone can craft; these bounds keep parsing cheap and the stack shallow.

/// Longest compact JWS (JWT) accepted, in bytes: 64 KiB. An SD-JWT VC with a thousand
/// digests and a certificate chain fits comfortably.
pub const MAX_JWT_LEN: usize = 64 * 1024;

/// Deepest JSON nesting accepted (objects and arrays, the outermost counting as 1): 32.
/// `serde_json` alone would allow 128; real credentials rarely go beyond 6.
pub const MAX_JSON_DEPTH: usize = 32;

/// Most certificates accepted in an `x5c` header: 10.
pub const MAX_X5C_CERTS: usize = 10;

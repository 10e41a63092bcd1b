//! Size limits applied to every input before and while it is decoded.

/// Largest accepted input (DeviceResponse, stored credential, embedded structure), in bytes.
/// A full mDL with a portrait is typically 5-60 KiB.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Most CBOR data items (of any kind) accepted in one decoded input.
pub const MAX_DATA_ITEMS: usize = 65_536;
/// Deepest accepted nesting of arrays, maps and tags in one decoded input. Embedded
/// (tag 24) structures are decoded separately, each with this limit.
pub const MAX_NESTING_DEPTH: usize = 32;
/// Most data elements per document (issuer-signed items, device-signed items, and MSO
/// digests, each counted separately).
pub const MAX_ELEMENTS: usize = 1_024;
/// Most documents in one DeviceResponse.
pub const MAX_DOCUMENTS: usize = 16;
/// Most certificates in an `x5chain`.
pub const MAX_CHAIN_LENGTH: usize = 4;

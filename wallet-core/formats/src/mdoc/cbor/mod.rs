//! CBOR plumbing for mdoc: a decoder that keeps exact byte spans ([`node`]), a check of
//! preferred serialization on raw bytes ([`preferred`]), an encoder that splices received
//! items unchanged ([`write`]), and JSON conversion ([`json`]).

pub(crate) mod json;
pub(crate) mod node;
pub(crate) mod preferred;
pub(crate) mod write;

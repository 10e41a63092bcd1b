//! The holder's wallet on top of the store: holder keys, credentials, presentations.

pub mod holder_keys;

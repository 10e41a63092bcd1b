//! The record kinds of the field verifier's state, in one place: the modules that keep each
//! kind and the security manifest that protects them all name them from here, so neither
//! imports the other for a name.

/// Record kind of the installed trust list.
pub const TRUST_LIST_KIND: &str = "trust_list";
/// Record kind of a cached Status List Token.
pub const STATUS_LIST_KIND: &str = "status_list";
/// Record kind of the replay cache.
pub const SEEN_KIND: &str = "seen_presentation";
/// Record kind of requests shown and not yet expired.
pub const PENDING_KIND: &str = "pending_request";

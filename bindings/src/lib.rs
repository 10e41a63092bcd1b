//! UniFFI bindings of the Laissez wallet core (bootstrap: expanded by the store API).

uniffi::setup_scaffolding!("laissez");

/// The version of the Laissez core library.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

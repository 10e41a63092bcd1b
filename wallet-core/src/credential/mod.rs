//! Credentials in the wallet: formats-independent pieces (display metadata, storage).

pub mod display;
pub mod stored;

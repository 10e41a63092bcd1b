//! Where PINs and the recovery phrase come from: an environment variable when set,
//! otherwise the terminal without echo. Never from arguments (they show in `ps`), and never
//! a wait on a pipe that will not answer: with no terminal, a clear error (exit 2).

use std::io::IsTerminal;

use zeroize::Zeroizing;

use crate::exit::{CliError, CliResult};

/// The wallet's current PIN.
pub const PIN_ENV: &str = "LAISSEZ_PIN";
/// The new PIN for `change-pin` and `recover`.
pub const NEW_PIN_ENV: &str = "LAISSEZ_NEW_PIN";
/// The 24-word recovery phrase for `recover`.
pub const MNEMONIC_ENV: &str = "LAISSEZ_MNEMONIC";

/// A secret read from the environment or the terminal, wiped when dropped.
pub type Secret = Zeroizing<String>;

/// The wallet's PIN: `LAISSEZ_PIN`, or asked once.
pub fn current_pin() -> CliResult<Secret> {
    match from_env(PIN_ENV)? {
        Some(pin) => Ok(pin),
        None => prompt("PIN", PIN_ENV),
    }
}

/// A PIN being set: from `env_name`, or asked twice and compared.
pub fn new_pin(env_name: &str) -> CliResult<Secret> {
    if let Some(pin) = from_env(env_name)? {
        return Ok(pin);
    }
    let first = prompt("new PIN", env_name)?;
    let second = prompt("new PIN again", env_name)?;
    if *first != *second {
        return Err(CliError::BadInput(
            "the two PINs differ; nothing was changed".into(),
        ));
    }
    Ok(first)
}

/// The recovery phrase: `LAISSEZ_MNEMONIC`, or asked once (words separated by spaces).
pub fn mnemonic() -> CliResult<Secret> {
    match from_env(MNEMONIC_ENV)? {
        Some(words) => Ok(words),
        None => prompt("recovery phrase (24 words)", MNEMONIC_ENV),
    }
}

fn from_env(name: &str) -> CliResult<Option<Secret>> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(Zeroizing::new(value))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(CliError::BadInput(format!("{name} is not valid UTF-8")))
        }
    }
}

fn prompt(what: &str, env_name: &str) -> CliResult<Secret> {
    // rpassword reads /dev/tty, which exists even when stdin is a pipe or /dev/null; a
    // script with no input must fail here instead of waiting on a terminal nobody watches.
    if !std::io::stdin().is_terminal() {
        return Err(CliError::BadInput(format!(
            "no terminal to ask for the {what}: set {env_name}"
        )));
    }
    rpassword::prompt_password(format!("{what}: "))
        .map(Zeroizing::new)
        .map_err(|err| {
            CliError::BadInput(format!(
                "cannot read the {what} from the terminal ({}): set {env_name}",
                err.kind()
            ))
        })
}

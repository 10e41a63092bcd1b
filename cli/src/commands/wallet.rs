//! `laissez wallet ...`: create, describe, change PIN, recover and rekey a wallet file; the
//! credential subcommands are dispatched to `credentials.rs` and `present.rs`.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::store::{WalletInfo, WalletStore};

use super::{backup, cards, credentials, present, present_static, respond};
use crate::args::{KdfArg, WalletCommand};
use crate::exit::CliResult;
use crate::secrets_input::{self, NEW_PIN_ENV, PIN_ENV};
use crate::{output, wallet_file};

/// Runs one wallet subcommand.
pub fn run(command: WalletCommand) -> CliResult {
    match command {
        WalletCommand::Init { db, kdf } => init(&db.db, &kdf),
        WalletCommand::Info { db, json } => info(&db.db, json),
        WalletCommand::ChangePin { db, kdf } => change_pin(&db.db, &kdf),
        WalletCommand::Recover { db, kdf } => recover(&db.db, &kdf),
        WalletCommand::Rekey { db } => rekey(&db.db),
        WalletCommand::HolderKey(args) => credentials::holder_key(&args),
        WalletCommand::Import(args) => credentials::import(&args),
        WalletCommand::List(args) => credentials::list(&args),
        WalletCommand::Card(command) => cards::run(command),
        WalletCommand::Show(args) => credentials::show(&args),
        WalletCommand::Delete(args) => credentials::delete(&args),
        WalletCommand::History(args) => credentials::history(&args),
        WalletCommand::Present(args) => present::run(&args),
        WalletCommand::Settings(args) => credentials::settings(&args),
        WalletCommand::Respond(args) => respond::run(&args),
        WalletCommand::AcceptOffer(args) => super::offline_issuance::accept_offer(&args),
        WalletCommand::Receive(args) => super::offline_issuance::receive(&args),
        WalletCommand::PresentStatic(args) => present_static::run(&args),
        WalletCommand::Backup(args) => backup::backup(&args),
        WalletCommand::Restore(args) => backup::restore(&args),
        WalletCommand::FetchCredential(args) => super::online::fetch_credential(&args),
    }
}

/// Creates a wallet file and prints its recovery phrase (also the verifier's store).
pub fn init(db: &Path, kdf: &KdfArg) -> CliResult {
    // Ask before touching the disk: a refused prompt leaves no half-made file.
    let pin = secrets_input::new_pin(PIN_ENV)?;
    let options = wallet_file::options(wallet_file::kdf_params(kdf));
    let (store, phrase) = WalletStore::create(db, &pin, options)?;
    let info = store.info()?;
    drop(store);
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Created wallet {} at {}\n",
        info.wallet_id,
        db.display()
    )?;
    drop(out);
    output::print_recovery_phrase(&phrase.words())
}

/// `wallet info --json`: the same facts as the text form, no secrets.
#[derive(Serialize)]
struct InfoJson<'a> {
    wallet_id: &'a str,
    schema_version: u32,
    locked: bool,
    record_count: u64,
    pin_kdf: KdfParams,
    platform_protected: bool,
    failed_pin_attempts: u32,
    retry_after_secs: u64,
}

impl<'a> From<&'a WalletInfo> for InfoJson<'a> {
    fn from(info: &'a WalletInfo) -> Self {
        Self {
            wallet_id: &info.wallet_id,
            schema_version: info.schema_version,
            locked: info.locked,
            record_count: info.record_count,
            pin_kdf: info.pin_kdf,
            platform_protected: info.platform_protected,
            failed_pin_attempts: info.failed_pin_attempts,
            retry_after_secs: info.retry_after_secs,
        }
    }
}

fn info(db: &Path, json: bool) -> CliResult {
    let store = wallet_file::open_locked(db, KdfParams::PHONE)?;
    let info = store.info()?;
    if json {
        return output::print_json(&InfoJson::from(&info));
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let kdf = info.pin_kdf;
    let mut out = std::io::stdout().lock();
    writeln!(out, "wallet id            {}", info.wallet_id)?;
    writeln!(out, "schema version       {}", info.schema_version)?;
    writeln!(out, "records              {}", info.record_count)?;
    writeln!(
        out,
        "PIN key              Argon2id, {} KiB, {} passes, {} lanes",
        kdf.memory_kib, kdf.iterations, kdf.lanes
    )?;
    writeln!(
        out,
        "platform key         {}",
        yes_no(info.platform_protected)
    )?;
    writeln!(out, "failed PIN attempts  {}", info.failed_pin_attempts)?;
    writeln!(out, "next PIN try in      {} s", info.retry_after_secs)?;
    Ok(())
}

fn change_pin(db: &Path, kdf: &KdfArg) -> CliResult {
    let mut store = wallet_file::open_locked(db, wallet_file::kdf_params(kdf))?;
    let current = secrets_input::current_pin()?;
    let new = secrets_input::new_pin(NEW_PIN_ENV)?;
    store.change_pin(&current, &new)?;
    writeln!(std::io::stdout(), "PIN changed")?;
    Ok(())
}

fn recover(db: &Path, kdf: &KdfArg) -> CliResult {
    let mut store = wallet_file::open_locked(db, wallet_file::kdf_params(kdf))?;
    // Check the words before asking for a new PIN: a typo is reported at once.
    let phrase = RecoveryPhrase::parse(&secrets_input::mnemonic()?)?;
    let new = secrets_input::new_pin(NEW_PIN_ENV)?;
    store.recover(&phrase, &new)?;
    writeln!(
        std::io::stdout(),
        "Recovered: the new PIN is set and the wrong-PIN counter is cleared"
    )?;
    Ok(())
}

fn rekey(db: &Path) -> CliResult {
    let mut store = wallet_file::open_unlocked(db)?;
    let count = store.rekey()?;
    writeln!(
        std::io::stdout(),
        "New data key: {count} records re-encrypted"
    )?;
    Ok(())
}

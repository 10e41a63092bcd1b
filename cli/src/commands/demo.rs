//! `laissez demo`: a wallet's whole life in one run, every step checked, not just printed.
//!
//! The store: create, store, lock, reopen, unlock, query by tag, refuse a wrong PIN,
//! recover with the 24 words, rekey, read everything back. Then credentials (in
//! `demo/credentials.rs`): issue, import, present and verify in both formats, and refuse
//! what must be refused. Then the offline QR exchange (in `demo/exchange.rs`): trust list,
//! status list, request QR, consent, encrypted response QR as PNG, scan, verdict. Then offline
//! issuance (in `demo/issuance.rs`): offer QR, trust, proof code, a batch of one-time copies
//! with the signed portrait as animated frames, the portrait in the verdict, unlinkable
//! copies. Then verifiers the holder can trust (in `demo/verifiers.rs`): a registrar's
//! certificate, a signed request shown VERIFIED with its scope, a forged and a relayed one
//! shown UNVERIFIED. Then an identity card the person already carries (in `demo/cards.rs`): a
//! MOSIP Claim 169 code kept in the wallet, shown whole, VALID with possession not proven.
//! Exits 0 only if every check held; the first check that fails stops
//! the demo with exit code 3.

mod cards;
mod credentials;
mod exchange;
mod issuance;
mod verifiers;

use std::io::{StdoutLock, Write};
use std::path::{Path, PathBuf};

use wallet_core::StoreError;
use wallet_core::crypto::CryptoError;
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::store::{FREE_ATTEMPTS, RecordId, Tag, WalletStore, wallet_files};

use crate::args::DemoArgs;
use crate::demo_records::{ATTESTATION, MUST_NOT_LEAK, SAMPLES};
use crate::exit::{CliError, CliResult};
use crate::{output, wallet_file};

const DEMO_PIN: &str = "2468";
const WRONG_PIN: &str = "0000";
const NEW_PIN: &str = "1357";
/// Steps of the store part, then of the credentials part, then of the QR exchange, then of
/// offline issuance, then of verifiers the holder can trust, then of identity cards.
const STORE_STEPS: usize = 10;
const STEPS: usize = STORE_STEPS + 6 + 5 + 7 + 3 + 1;

/// Prints numbered steps and checks; the first failed check ends the demo.
struct Steps<'a> {
    out: StdoutLock<'a>,
    step: usize,
    checks: usize,
}

impl Steps<'_> {
    fn step(&mut self, title: &str) -> CliResult {
        self.step += 1;
        writeln!(self.out, "\n[{}/{STEPS}] {title}", self.step)?;
        Ok(())
    }

    fn say(&mut self, text: &str) -> CliResult {
        writeln!(self.out, "      {text}")?;
        Ok(())
    }

    fn check(&mut self, ok: bool, what: &str) -> CliResult {
        if !ok {
            return Err(CliError::Failed(format!(
                "demo step {} failed its check: {what}",
                self.step
            )));
        }
        self.checks += 1;
        writeln!(self.out, "      ok  {what}")?;
        Ok(())
    }
}

/// Runs the demo.
pub fn run(args: DemoArgs) -> CliResult {
    let temp;
    let dir: PathBuf = match &args.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|err| {
                CliError::BadInput(format!("cannot create {}: {}", dir.display(), err.kind()))
            })?;
            dir.clone()
        }
        None => {
            temp = tempfile::Builder::new()
                .prefix("laissez-demo-")
                .tempdir()
                .map_err(|err| {
                    CliError::Failed(format!("cannot make a temporary folder: {}", err.kind()))
                })?;
            temp.path().to_path_buf()
        }
    };
    let db = dir.join("laissez-demo.db");
    let kdf = wallet_file::kdf_params(&args.kdf);
    let mut steps = Steps {
        out: std::io::stdout().lock(),
        step: 0,
        checks: 0,
    };
    writeln!(
        steps.out,
        "Laissez demo: a wallet at {} (Argon2id {} KiB, {} passes; demo PIN {DEMO_PIN})",
        db.display(),
        kdf.memory_kib,
        kdf.iterations
    )?;
    let walked = walk(&mut steps, &db, kdf);
    let walked = walked.and_then(|()| credentials::walk(&mut steps, &dir, &db, kdf));
    let walked = walked.and_then(|()| exchange::walk(&mut steps, &dir, &db, kdf));
    let walked = walked.and_then(|()| issuance::walk(&mut steps, &dir, &db, kdf));
    let walked = walked.and_then(|()| verifiers::walk(&mut steps, &dir, &db, kdf));
    let walked = walked.and_then(|()| cards::walk(&mut steps, &dir, &db, kdf));
    walked.map_err(|err| match err {
        // A demo folder that already holds a demo wallet is the user's to clear.
        CliError::Store(StoreError::AlreadyExists) if steps.step == 1 => {
            CliError::BadInput(format!(
                "{} already exists; choose another --dir or remove it",
                db.display()
            ))
        }
        // Any other refusal by the core means a step did not check out.
        CliError::Store(_) | CliError::Credential(_) | CliError::Issuer(_) => {
            CliError::Failed(format!("demo step {}: {err}", steps.step))
        }
        other => other,
    })?;
    writeln!(
        steps.out,
        "\nAll {} checks passed in {STEPS} steps.{}",
        steps.checks,
        if args.dir.is_some() {
            format!(
                " The wallet is kept at {}, the issuer in {}.",
                db.display(),
                dir.join("issuer").display()
            )
        } else {
            " The temporary wallet and issuer are deleted.".into()
        }
    )?;
    Ok(())
}

fn walk(s: &mut Steps<'_>, db: &Path, kdf: wallet_core::crypto::pin_kdf::KdfParams) -> CliResult {
    let options = || wallet_file::options(kdf);

    s.step("Create a wallet protected by a PIN")?;
    let (mut store, phrase) = WalletStore::create(db, DEMO_PIN, options())?;
    let words = phrase.words();
    s.say("The recovery phrase (a real wallet shows it once; write it down):")?;
    for line in output::word_grid(&words).lines() {
        s.say(line)?;
    }
    s.check(words.len() == 24, "the phrase has 24 words")?;
    s.check(store.info()?.record_count == 0, "the new wallet is empty")?;

    s.step("Store attestations from several issuers, and a note")?;
    let mut ids = Vec::new();
    for sample in SAMPLES {
        let id = store.put(&sample.new_record())?;
        s.say(&format!(
            "{id}  {:<22} {}",
            sample.label,
            output::tags_text(&sample.new_record().tags)
        ))?;
        ids.push(id);
    }
    let attestations = SAMPLES.iter().filter(|r| r.kind == ATTESTATION).count() as u64;
    s.check(
        store.count(ATTESTATION, &[])? == attestations,
        &format!("{attestations} attestations counted"),
    )?;
    s.check(
        nothing_leaks(db, MUST_NOT_LEAK)?,
        "no name, number, issuer, tag or kind appears in the file or its WAL",
    )?;

    s.step("Lock and close the wallet")?;
    store.lock();
    s.check(store.is_locked(), "the keys are out of memory")?;
    s.check(
        matches!(store.get(ids[0]), Err(StoreError::Locked)),
        "a locked wallet refuses to read",
    )?;
    drop(store);

    s.step("Reopen the file and unlock it with the PIN")?;
    let mut store = WalletStore::open(db, options())?;
    s.check(store.is_locked(), "a reopened wallet starts locked")?;
    store.unlock(DEMO_PIN)?;
    s.check(!store.is_locked(), "the PIN unlocks it")?;

    s.step("Query by tag (blind indexes: the file never holds the tag values)")?;
    let iom = store.find(ATTESTATION, &[Tag::new("issuer", "iom.int")], 10, None)?;
    s.check(
        iom.records.len() == 1
            && iom.records[0].id == ids[0]
            && iom.records[0].body.as_slice() == SAMPLES[0].body.as_bytes(),
        "issuer=iom.int finds exactly the IOM registration, body intact",
    )?;
    let country = [Tag::new("country", "NE")];
    let in_niger = store.find(ATTESTATION, &country, 10, None)?;
    s.check(
        in_niger.records.iter().map(|r| r.id).collect::<Vec<_>>() == ids[..3],
        "country=NE finds the three attestations, oldest first",
    )?;
    let both = [
        Tag::new("issuer", "clinique-espoir"),
        Tag::new("type", "health-card"),
    ];
    s.check(
        store.count(ATTESTATION, &both)? == 1,
        "issuer=clinique-espoir AND type=health-card counts 1",
    )?;
    s.check(
        store.count(ATTESTATION, &[Tag::new("issuer", "unknown")])? == 0,
        "an issuer nobody used counts 0",
    )?;
    s.check(
        store.count("note", &country)? == 0,
        "tags are per kind: no note is tagged country=NE",
    )?;

    s.step("Try a wrong PIN")?;
    store.lock();
    let refused = store.unlock(WRONG_PIN);
    if let Err(err) = &refused {
        s.say(&format!("refused: {err}"))?;
    }
    s.check(
        matches!(refused, Err(StoreError::WrongPin { attempts_left, .. })
            if attempts_left == FREE_ATTEMPTS - 1),
        &format!(
            "the wrong PIN is refused with {} attempts left",
            FREE_ATTEMPTS - 1
        ),
    )?;
    s.check(store.is_locked(), "the wallet stays locked")?;
    s.check(
        store.info()?.failed_pin_attempts == 1,
        "the failure is counted in the file",
    )?;

    s.step("Recover with the 24 words and set a new PIN")?;
    let typed = RecoveryPhrase::parse(&phrase.phrase())?;
    let mut typo: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    typo[6] = "notaword".into();
    let typo_result = RecoveryPhrase::parse(&typo.join(" "));
    s.check(
        matches!(typo_result, Err(CryptoError::InvalidMnemonic(_))),
        "a phrase with a word not in the list is rejected as invalid",
    )?;
    let other = RecoveryPhrase::generate()?;
    s.check(
        matches!(
            store.recover(&other, NEW_PIN),
            Err(StoreError::MnemonicMismatch)
        ),
        "another wallet's valid phrase is refused",
    )?;
    store.recover(&typed, NEW_PIN)?;
    s.check(!store.is_locked(), "the right words unlock the wallet")?;
    s.check(
        store.info()?.failed_pin_attempts == 0,
        "the wrong-PIN counter is cleared",
    )?;
    store.lock();
    s.check(
        matches!(store.unlock(DEMO_PIN), Err(StoreError::WrongPin { .. })),
        "the old PIN no longer opens it",
    )?;
    store.unlock(NEW_PIN)?;
    s.check(!store.is_locked(), "the new PIN does")?;

    s.step("Rekey: a new data key, every record re-encrypted in one transaction")?;
    let before = store.data_key_fingerprint()?;
    let resealed = store.rekey()?;
    s.check(
        resealed == SAMPLES.len() as u64,
        &format!("{resealed} records re-encrypted"),
    )?;
    s.check(
        store.data_key_fingerprint()? != before,
        "the data key changed",
    )?;
    drop(store);

    s.step("Reopen with the new PIN and read everything back")?;
    let mut store = WalletStore::open(db, options())?;
    store.unlock(NEW_PIN)?;
    s.check(
        all_bodies_intact(&store, &ids)?,
        "every record reads back byte for byte",
    )?;
    let clinic = store.find(ATTESTATION, &both, 10, None)?;
    s.check(
        clinic.records.len() == 1 && clinic.records[0].id == ids[1],
        "the rebuilt tag index still finds the clinic card",
    )?;
    s.check(
        store.count("note", &[Tag::new("topic", "appointment")])? == 1,
        "the note is still found by its tag",
    )?;
    store.lock();
    drop(store);

    s.step("Look at the file as a thief would")?;
    s.check(
        nothing_leaks(db, MUST_NOT_LEAK)?,
        "no name, number, issuer, tag or kind appears in the file or its WAL",
    )?;
    let info = WalletStore::open(db, options())?.info()?;
    s.check(
        info.record_count == SAMPLES.len() as u64 && info.locked,
        "without the PIN only the record count and KDF settings can be read",
    )?;
    Ok(())
}

fn all_bodies_intact(store: &WalletStore, ids: &[RecordId]) -> CliResult<bool> {
    for (id, sample) in ids.iter().zip(SAMPLES) {
        let record = store.get(*id)?;
        if record.body.as_slice() != sample.body.as_bytes() || record.kind != sample.kind {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether none of `markers` appear in the wallet file or any companion SQLite keeps beside it.
fn nothing_leaks(db: &Path, markers: &[&str]) -> CliResult<bool> {
    for path in wallet_files(db) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                return Err(CliError::Failed(format!(
                    "cannot read the wallet file back: {}",
                    err.kind()
                )));
            }
        };
        for marker in markers {
            if bytes.windows(marker.len()).any(|w| w == marker.as_bytes()) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

//! `laissez store ...`: put, get, find, count and delete records in an unlocked wallet.

use std::io::{Read, Write};
use std::path::Path;

use serde::Serialize;
use wallet_core::credential::CREDENTIAL_KIND;
use wallet_core::store::{NewRecord, PageCursor, Record, RecordId, Tag};
use wallet_core::wallet::credentials::DISCLOSURE_KIND;
use wallet_core::wallet::holder_keys::HOLDER_KEY_KIND;
use zeroize::{Zeroize, Zeroizing};

use crate::args::StoreCommand;
use crate::exit::{CliError, CliResult};
use crate::output::{self, TagJson};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::wallet_file;

/// Runs one store subcommand.
pub fn run(command: StoreCommand) -> CliResult {
    match command {
        StoreCommand::Put {
            db,
            kind,
            tags,
            body_file,
        } => put(&db.db, kind, tags, &body_file),
        StoreCommand::Get { db, id, json } => get(&db.db, &id, json),
        StoreCommand::Find {
            db,
            kind,
            tags,
            limit,
            after,
            json,
        } => find(&db.db, &kind, &tags, limit, after.as_deref(), json),
        StoreCommand::Count { db, kind, tags } => count(&db.db, &kind, &tags),
        StoreCommand::Delete { db, id } => delete(&db.db, &id),
    }
}

/// Reads the body from a file, or from stdin for `-`.
fn read_body(path: &Path) -> CliResult<Zeroizing<Vec<u8>>> {
    let mut body = Zeroizing::new(Vec::new());
    let result = if path == Path::new("-") {
        std::io::stdin().lock().read_to_end(&mut body).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut body).map(|_| ()))
    };
    result.map_err(|err| {
        CliError::BadInput(format!(
            "cannot read the body file {}: {}",
            path.display(),
            err.kind()
        ))
    })?;
    Ok(body)
}

/// Kinds the wallet's credential layer owns: a raw record of one of them would look like a
/// damaged credential, holder key or history entry to `laissez wallet list|show|history`.
const RESERVED_KINDS: [&str; 3] = [CREDENTIAL_KIND, HOLDER_KEY_KIND, DISCLOSURE_KIND];

fn put(db: &Path, kind: String, tags: Vec<Tag>, body_file: &Path) -> CliResult {
    if RESERVED_KINDS.contains(&kind.as_str()) {
        return Err(CliError::BadInput(format!(
            "the kind '{kind}' belongs to the wallet's credentials (use laissez wallet import); \
             choose another kind"
        )));
    }
    // Inputs first: a missing file costs no PIN prompt and no unlock.
    let mut body = read_body(body_file)?;
    let mut store = wallet_file::open_unlocked(db)?;
    let mut record = NewRecord {
        kind,
        tags,
        body: std::mem::take(&mut *body),
    };
    let result = store.put(&record);
    record.body.zeroize();
    let id = result?;
    writeln!(std::io::stdout(), "{id}")?;
    Ok(())
}

/// `store get --json`.
#[derive(Serialize)]
struct RecordJson<'a> {
    id: String,
    kind: &'a str,
    tags: Vec<TagJson<'a>>,
    created_at: i64,
    updated_at: i64,
    body_base64: &'a str,
}

fn get(db: &Path, id: &str, json: bool) -> CliResult {
    let id = RecordId::parse(id)?;
    let store = wallet_file::open_unlocked(db)?;
    let record = store.get(id)?;
    if json {
        let body = Zeroizing::new(BASE64.encode(&record.body[..]));
        return output::print_json(&RecordJson {
            id: record.id.to_string(),
            kind: &record.kind,
            tags: output::tags_json(&record.tags),
            created_at: record.created_at,
            updated_at: record.updated_at,
            body_base64: &body,
        });
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&record.body)?;
    out.flush()?;
    Ok(())
}

/// One record in `store find --json`.
#[derive(Serialize)]
struct FoundJson<'a> {
    id: String,
    tags: Vec<TagJson<'a>>,
    created_at: i64,
    updated_at: i64,
}

/// `store find --json`.
#[derive(Serialize)]
struct PageJson<'a> {
    records: Vec<FoundJson<'a>>,
    next: Option<String>,
}

fn found_json(record: &Record) -> FoundJson<'_> {
    FoundJson {
        id: record.id.to_string(),
        tags: output::tags_json(&record.tags),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn find(
    db: &Path,
    kind: &str,
    tags: &[Tag],
    limit: u32,
    after: Option<&str>,
    json: bool,
) -> CliResult {
    let after = after.map(PageCursor::from_token).transpose()?;
    let store = wallet_file::open_unlocked(db)?;
    let page = store.find(kind, tags, limit, after)?;
    let next = page.next.map(|c| c.to_token());
    if json {
        return output::print_json(&PageJson {
            records: page.records.iter().map(found_json).collect(),
            next,
        });
    }
    let mut out = std::io::stdout().lock();
    for record in &page.records {
        writeln!(out, "{}  {}", record.id, output::tags_text(&record.tags))?;
    }
    if let Some(next) = next {
        writeln!(out, "next: {next}")?;
    }
    Ok(())
}

fn count(db: &Path, kind: &str, tags: &[Tag]) -> CliResult {
    let store = wallet_file::open_unlocked(db)?;
    let n = store.count(kind, tags)?;
    writeln!(std::io::stdout(), "{n}")?;
    Ok(())
}

fn delete(db: &Path, id: &str) -> CliResult {
    let id = RecordId::parse(id)?;
    let mut store = wallet_file::open_unlocked(db)?;
    store.delete(id)?;
    writeln!(std::io::stdout(), "deleted {id}")?;
    Ok(())
}

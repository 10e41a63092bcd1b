//! Tampering: bytes altered, swapped or moved in the file are reported as integrity or
//! corruption errors, for the damaged part only, and never read as another record or as a
//! wrong PIN.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use tempfile::TempDir;
use wallet_core::StoreError;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::mnemonic::RecoveryPhrase;
use wallet_core::store::{NewRecord, RecordId, StoreOptions, Tag, WalletStore};

const PIN: &str = "2468";

fn options() -> StoreOptions {
    StoreOptions {
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    }
}

/// A closed wallet with four records, and a raw SQLite handle on it for tampering.
struct Fixture {
    _dir: TempDir,
    db: PathBuf,
    phrase: RecoveryPhrase,
    /// `doc` holder=amira type=id
    a: RecordId,
    /// `doc` holder=amira type=visa
    b: RecordId,
    /// `doc` holder=omar
    c: RecordId,
    /// `note` holder=amira
    e: RecordId,
}

fn record(kind: &str, tags: &[(&str, &str)], body: &str) -> NewRecord {
    NewRecord {
        kind: kind.into(),
        tags: tags.iter().map(|(n, v)| Tag::new(*n, *v)).collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let (mut store, phrase) = WalletStore::create(&db, PIN, options()).unwrap();
    let ids = store
        .put_many(&[
            record("doc", &[("holder", "amira"), ("type", "id")], "body a"),
            record("doc", &[("holder", "amira"), ("type", "visa")], "body b"),
            record("doc", &[("holder", "omar")], "body c"),
            record("note", &[("holder", "amira")], "body e"),
        ])
        .unwrap();
    drop(store);
    Fixture {
        _dir: dir,
        db,
        phrase,
        a: ids[0],
        b: ids[1],
        c: ids[2],
        e: ids[3],
    }
}

fn raw(db: &Path) -> Connection {
    Connection::open(db).unwrap()
}

fn unlocked(db: &Path) -> WalletStore {
    let mut store = WalletStore::open(db, options()).unwrap();
    store.unlock(PIN).unwrap();
    store
}

fn seq(conn: &Connection, id: RecordId) -> i64 {
    conn.query_row(
        "SELECT seq FROM records WHERE id = ?1",
        [id.as_bytes()],
        |r| r.get(0),
    )
    .unwrap()
}

fn sealed(conn: &Connection, id: RecordId) -> Vec<u8> {
    conn.query_row(
        "SELECT sealed FROM records WHERE id = ?1",
        [id.as_bytes()],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_sealed(conn: &Connection, id: RecordId, value: &[u8]) {
    let changed = conn
        .execute(
            "UPDATE records SET sealed = ?1 WHERE id = ?2",
            params![value, id.as_bytes()],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

fn integrity(id: RecordId) -> StoreError {
    StoreError::RecordIntegrity { id: id.to_string() }
}

fn body(store: &WalletStore, id: RecordId) -> Vec<u8> {
    store.get(id).unwrap().body.to_vec()
}

#[test]
fn an_altered_ciphertext_fails_alone() {
    // Sealed layout: version (1) || nonce (12) || ciphertext || tag (16).
    type Alter = fn(&mut Vec<u8>);
    let cases: &[(&str, Alter)] = &[
        ("version byte", |s| s[0] ^= 0x01),
        ("nonce", |s| s[5] ^= 0x80),
        ("ciphertext", |s| {
            let mid = 13 + (s.len() - 29) / 2;
            s[mid] ^= 0x01;
        }),
        ("auth tag", |s| *s.last_mut().unwrap() ^= 0x01),
        ("last byte cut", |s| {
            s.pop();
        }),
        ("byte appended", |s| s.push(0)),
        ("emptied", |s| s.clear()),
    ];
    for (what, alter) in cases {
        let f = fixture();
        let conn = raw(&f.db);
        let mut value = sealed(&conn, f.a);
        alter(&mut value);
        set_sealed(&conn, f.a, &value);
        drop(conn);

        let store = unlocked(&f.db);
        assert_eq!(store.get(f.a).unwrap_err(), integrity(f.a), "{what}");
        assert_eq!(body(&store, f.b), b"body b", "{what}");
        assert_eq!(body(&store, f.c), b"body c", "{what}");
        // A query that reaches the damaged record says so instead of skipping it.
        assert_eq!(
            store
                .find("doc", &[Tag::new("holder", "amira")], 10, None)
                .unwrap_err(),
            integrity(f.a),
            "{what}"
        );
        let omar = store
            .find("doc", &[Tag::new("holder", "omar")], 10, None)
            .unwrap();
        assert_eq!(omar.records.len(), 1, "{what}");
    }
}

#[test]
fn ciphertexts_swapped_between_rows_are_both_rejected() {
    let f = fixture();
    let conn = raw(&f.db);
    let (sa, sb) = (sealed(&conn, f.a), sealed(&conn, f.b));
    set_sealed(&conn, f.a, &sb);
    set_sealed(&conn, f.b, &sa);
    drop(conn);

    let store = unlocked(&f.db);
    assert_eq!(store.get(f.a).unwrap_err(), integrity(f.a));
    assert_eq!(store.get(f.b).unwrap_err(), integrity(f.b));
    assert_eq!(body(&store, f.c), b"body c");
}

#[test]
fn a_record_moved_to_another_kind_is_rejected() {
    // The kind's blind index is bound into the record's associated data: relabelling a
    // `doc` as a `note` does not make it show up among the notes.
    let f = fixture();
    let conn = raw(&f.db);
    conn.execute(
        "UPDATE records SET kind_index = (SELECT kind_index FROM records WHERE id = ?1) \
         WHERE id = ?2",
        [f.e.as_bytes(), f.a.as_bytes()],
    )
    .unwrap();
    drop(conn);

    let store = unlocked(&f.db);
    assert_eq!(store.get(f.a).unwrap_err(), integrity(f.a));
    assert_eq!(
        store.find("note", &[], 10, None).unwrap_err(),
        integrity(f.a)
    );
    assert_eq!(body(&store, f.e), b"body e");
}

#[test]
fn a_tag_row_pointing_at_another_record_is_an_error_not_a_match() {
    // Moving the index row "type=id" from a to c would make c answer a query it does not
    // match; copying it would add c to the answer. Both must be refused.
    type Retarget = fn(&Connection, &[u8], i64, i64);
    let cases: [(&str, Retarget); 2] = [
        ("moved", |conn, index, from, to| {
            let sql =
                "UPDATE record_tags SET record_seq = ?1 WHERE tag_index = ?2 AND record_seq = ?3";
            assert_eq!(conn.execute(sql, params![to, index, from]).unwrap(), 1);
        }),
        ("copied", |conn, index, _, to| {
            let sql = "INSERT INTO record_tags (tag_index, record_seq) VALUES (?1, ?2)";
            assert_eq!(conn.execute(sql, params![index, to]).unwrap(), 1);
        }),
    ];
    for (what, retarget) in cases {
        let f = fixture();
        let conn = raw(&f.db);
        let (sa, sb, sc) = (seq(&conn, f.a), seq(&conn, f.b), seq(&conn, f.c));
        // a's index rows are holder=amira (shared with b) and type=id (a's alone).
        let only_a: Vec<u8> = conn
            .query_row(
                "SELECT tag_index FROM record_tags WHERE record_seq = ?1 AND tag_index NOT IN \
                 (SELECT tag_index FROM record_tags WHERE record_seq = ?2)",
                [sa, sb],
                |r| r.get(0),
            )
            .unwrap();
        retarget(&conn, &only_a, sa, sc);
        drop(conn);

        let store = unlocked(&f.db);
        assert_eq!(
            store
                .find("doc", &[Tag::new("type", "id")], 10, None)
                .unwrap_err(),
            integrity(f.c),
            "{what}"
        );
        // The records themselves are intact.
        assert_eq!(body(&store, f.a), b"body a", "{what}");
        assert_eq!(body(&store, f.c), b"body c", "{what}");
    }
}

fn failed_attempts(db: &Path) -> u32 {
    raw(db)
        .query_row(
            "SELECT failed_attempts FROM pin_guard WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Flips one bit of a key slot column.
fn flip_slot_byte(conn: &Connection, slot: &str, column: &str) {
    let mut value: Vec<u8> = conn
        .query_row(
            &format!("SELECT {column} FROM key_slots WHERE slot = ?1"),
            [slot],
            |r| r.get(0),
        )
        .unwrap();
    value[4] ^= 0x01;
    conn.execute(
        &format!("UPDATE key_slots SET {column} = ?1 WHERE slot = ?2"),
        params![value, slot],
    )
    .unwrap();
}

#[test]
fn a_damaged_key_slot_is_corruption_not_a_wrong_pin() {
    type Damage = fn(&Connection, &str);
    let cases: [(&str, &str, Damage); 7] = [
        ("pin", "wrapped bytes", |c, s| {
            flip_slot_byte(c, s, "wrapped")
        }),
        ("pin", "parameters", |c, s| flip_slot_byte(c, s, "params")),
        ("pin", "checksum", |c, s| flip_slot_byte(c, s, "checksum")),
        ("pin", "wrapped cut short", |c, s| {
            let sql = "UPDATE key_slots SET wrapped = substr(wrapped, 1, 20) WHERE slot = ?1";
            c.execute(sql, [s]).unwrap();
        }),
        ("pin", "slot deleted", |c, s| {
            c.execute("DELETE FROM key_slots WHERE slot = ?1", [s])
                .unwrap();
        }),
        ("recovery", "wrapped bytes", |c, s| {
            flip_slot_byte(c, s, "wrapped")
        }),
        ("recovery", "slot deleted", |c, s| {
            c.execute("DELETE FROM key_slots WHERE slot = ?1", [s])
                .unwrap();
        }),
    ];
    for (slot, what, damage) in cases {
        let f = fixture();
        damage(&raw(&f.db), slot);

        let mut store = WalletStore::open(&f.db, options()).unwrap();
        if slot == "pin" {
            assert!(
                matches!(store.unlock(PIN), Err(StoreError::Corrupted(_))),
                "{slot} {what}"
            );
            // Damage is not a guess: no PIN attempt is used up.
            assert_eq!(failed_attempts(&f.db), 0, "{slot} {what}");
            // The 24 words rebuild the PIN slot.
            store.recover(&f.phrase, "1357").unwrap();
            assert_eq!(body(&store, f.a), b"body a", "{slot} {what}");
            store.lock();
            store.unlock("1357").unwrap();
        } else {
            assert!(
                matches!(
                    store.recover(&f.phrase, "1357"),
                    Err(StoreError::Corrupted(_))
                ),
                "{slot} {what}"
            );
            // The PIN still opens the wallet.
            store.unlock(PIN).unwrap();
            assert_eq!(body(&store, f.a), b"body a", "{slot} {what}");
        }
    }
}

fn flip_meta_byte(conn: &Connection, name: &str) {
    let mut value: Vec<u8> = conn
        .query_row(
            "SELECT value FROM wallet_meta WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    value[20] ^= 0x01;
    conn.execute(
        "UPDATE wallet_meta SET value = ?1 WHERE name = ?2",
        params![value, name],
    )
    .unwrap();
}

#[test]
fn a_damaged_canary_or_seed_is_corruption_and_the_wallet_stays_locked() {
    type Damage = fn(&Connection);
    let cases: [(&str, Damage); 4] = [
        ("canary altered", |c| flip_meta_byte(c, "canary")),
        ("canary deleted", |c| {
            c.execute("DELETE FROM wallet_meta WHERE name = 'canary'", [])
                .unwrap();
        }),
        // A valid ciphertext under the right key, but sealed for another purpose.
        ("canary replaced by the sealed seed", |c| {
            let sql = "UPDATE wallet_meta SET value = \
                       (SELECT value FROM wallet_meta WHERE name = 'seed') WHERE name = 'canary'";
            c.execute(sql, []).unwrap();
        }),
        ("seed altered", |c| flip_meta_byte(c, "seed")),
    ];
    for (what, damage) in cases {
        let f = fixture();
        damage(&raw(&f.db));
        let mut store = WalletStore::open(&f.db, options()).unwrap();
        assert!(
            matches!(store.unlock(PIN), Err(StoreError::Corrupted(_))),
            "{what}"
        );
        assert!(store.is_locked(), "{what}");
        assert_eq!(store.get(f.a).unwrap_err(), StoreError::Locked, "{what}");
        // The PIN was right: the failure did not count as a wrong guess.
        assert_eq!(failed_attempts(&f.db), 0, "{what}");
    }
}

#[test]
fn a_damaged_wallet_id_is_corruption_not_a_wrong_secret() {
    let f = fixture();
    {
        let conn = raw(&f.db);
        let mut id: Vec<u8> = conn
            .query_row(
                "SELECT value FROM wallet_meta WHERE name = 'wallet_id'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        id[3] ^= 0x10;
        conn.execute(
            "UPDATE wallet_meta SET value = ?1 WHERE name = 'wallet_id'",
            params![id],
        )
        .unwrap();
    }
    let mut store = WalletStore::open(&f.db, options()).unwrap();
    assert!(matches!(store.unlock(PIN), Err(StoreError::Corrupted(_))));
    assert!(matches!(
        store.recover(&f.phrase, "1357"),
        Err(StoreError::Corrupted(_))
    ));
    assert_eq!(
        failed_attempts(&f.db),
        0,
        "damage must not cost a PIN attempt"
    );
}

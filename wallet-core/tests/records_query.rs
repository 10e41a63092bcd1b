//! Records and queries: pagination, tag filters (AND), kinds kept apart, counts, update and
//! delete, size limits, and a property-based round trip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use proptest::prelude::*;
use tempfile::TempDir;
use wallet_core::StoreError;
use wallet_core::clock::Clock;
use wallet_core::crypto::pin_kdf::KdfParams;
use wallet_core::store::{
    MAX_BODY_LEN, MAX_KIND_LEN, MAX_PAGE_SIZE, MAX_TAG_NAME_LEN, MAX_TAG_VALUE_LEN, MAX_TAGS,
    NewRecord, PageCursor, RecordId, StoreOptions, Tag, WalletStore,
};

struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now_unix(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

const START: i64 = 1_700_000_000;

/// An unlocked wallet in a temporary directory, with a clock the test moves.
fn wallet() -> (TempDir, WalletStore, Arc<TestClock>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(AtomicI64::new(START)));
    let options = StoreOptions {
        clock: clock.clone(),
        pin_kdf: KdfParams::INSECURE_FAST,
        ..StoreOptions::default()
    };
    let (store, _) = WalletStore::create(dir.path().join("w.db"), "2468", options).unwrap();
    (dir, store, clock)
}

fn rec(kind: &str, tags: &[(&str, &str)], body: &[u8]) -> NewRecord {
    NewRecord {
        kind: kind.into(),
        tags: tags.iter().map(|(n, v)| Tag::new(*n, *v)).collect(),
        body: body.to_vec(),
    }
}

fn tags(pairs: &[(&str, &str)]) -> Vec<Tag> {
    pairs.iter().map(|(n, v)| Tag::new(*n, *v)).collect()
}

/// Every id matching `kind` and `filter`, page by page, checking the pages as it goes.
fn all_pages(store: &WalletStore, kind: &str, filter: &[Tag], page_size: u32) -> Vec<RecordId> {
    let mut ids = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.find(kind, filter, page_size, cursor).unwrap();
        assert!(page.records.len() <= page_size as usize);
        if page.next.is_some() {
            assert_eq!(page.records.len(), page_size as usize, "a short page");
        }
        ids.extend(page.records.iter().map(|r| r.id));
        match page.next {
            None => return ids,
            // The cursor survives its text form (apps keep it as a string).
            Some(next) => cursor = Some(PageCursor::from_token(&next.to_token()).unwrap()),
        }
    }
}

#[test]
fn pages_cover_every_match_once_in_insertion_order() {
    let (_dir, mut store, _) = wallet();
    let mut all = Vec::new();
    let mut tagged = Vec::new();
    for i in 0..23 {
        // Every third record carries the tag; a second kind is interleaved and must not show.
        let tag = if i % 3 == 0 { "yes" } else { "no" };
        let id = store
            .put(&rec("doc", &[("pick", tag)], format!("{i}").as_bytes()))
            .unwrap();
        store.put(&rec("other", &[("pick", "yes")], b"x")).unwrap();
        all.push(id);
        if i % 3 == 0 {
            tagged.push(id);
        }
    }
    // Page sizes that divide evenly, leave a remainder, take one, or take everything.
    for page_size in [1, 2, 5, 7, 8, 23, 24, MAX_PAGE_SIZE] {
        assert_eq!(all_pages(&store, "doc", &[], page_size), all, "{page_size}");
        assert_eq!(
            all_pages(&store, "doc", &tags(&[("pick", "yes")]), page_size),
            tagged,
            "{page_size} tagged"
        );
    }
    let ids: HashSet<_> = all.iter().collect();
    assert_eq!(ids.len(), all.len());
    assert!(
        all_pages(&store, "doc", &tags(&[("pick", "maybe")]), 5).is_empty(),
        "no match is one empty page"
    );
}

#[test]
fn a_page_cut_by_a_delete_or_insert_continues_correctly() {
    let (_dir, mut store, _) = wallet();
    let ids: Vec<RecordId> = (0..6)
        .map(|i| store.put(&rec("doc", &[], &[i])).unwrap())
        .collect();
    let first = store.find("doc", &[], 3, None).unwrap();
    let cursor = first.next.unwrap();
    // The record the cursor points after is deleted, and a new one is added at the end.
    store.delete(ids[2]).unwrap();
    let late = store.put(&rec("doc", &[], b"late")).unwrap();
    let rest: Vec<RecordId> = store
        .find("doc", &[], 10, Some(cursor))
        .unwrap()
        .records
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(rest, vec![ids[3], ids[4], ids[5], late]);
}

#[test]
fn tag_filters_are_and_and_stay_within_their_kind() {
    let (_dir, mut store, _) = wallet();
    let put = |store: &mut WalletStore, kind: &str, t: &[(&str, &str)]| {
        store.put(&rec(kind, t, b"")).unwrap()
    };
    let a = put(
        &mut store,
        "doc",
        &[("issuer", "iom"), ("type", "id"), ("lang", "fr")],
    );
    let b = put(
        &mut store,
        "doc",
        &[("issuer", "iom"), ("type", "id"), ("lang", "ar")],
    );
    let c = put(&mut store, "doc", &[("issuer", "iom"), ("type", "visa")]);
    let d = put(
        &mut store,
        "doc",
        &[("issuer", "unhcr"), ("type", "id"), ("lang", "fr")],
    );
    // Same tags on another kind: never part of a "doc" answer.
    let x = put(
        &mut store,
        "note",
        &[("issuer", "iom"), ("type", "id"), ("lang", "fr")],
    );
    // Name and value that concatenate like "issuer" + "iom": must not match that tag.
    let y = put(&mut store, "doc", &[("issuerio", "m")]);

    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [RecordId]);
    let cases: &[Case<'_>] = &[
        ("no tag", &[], &[a, b, c, d, y]),
        ("one tag", &[("issuer", "iom")], &[a, b, c]),
        ("two tags", &[("issuer", "iom"), ("type", "id")], &[a, b]),
        (
            "three tags",
            &[("issuer", "iom"), ("type", "id"), ("lang", "fr")],
            &[a],
        ),
        (
            "order does not matter",
            &[("lang", "fr"), ("type", "id"), ("issuer", "iom")],
            &[a],
        ),
        (
            "duplicate tag",
            &[("issuer", "iom"), ("issuer", "iom")],
            &[a, b, c],
        ),
        (
            "duplicates with others",
            &[("type", "id"), ("lang", "fr"), ("type", "id")],
            &[a, d],
        ),
        (
            "no record has both",
            &[("type", "visa"), ("lang", "fr")],
            &[],
        ),
        (
            "same name, two values",
            &[("lang", "fr"), ("lang", "ar")],
            &[],
        ),
        ("unknown value", &[("issuer", "nobody")], &[]),
        ("value is not a name", &[("issuerio", "m")], &[y]),
    ];
    for (what, filter, expected) in cases {
        let filter = tags(filter);
        assert_eq!(
            all_pages(&store, "doc", &filter, 2),
            expected.to_vec(),
            "{what}"
        );
        assert_eq!(
            store.count("doc", &filter).unwrap(),
            expected.len() as u64,
            "{what}"
        );
    }
    let in_notes = tags(&[("issuer", "iom"), ("type", "id")]);
    assert_eq!(all_pages(&store, "note", &in_notes, 10), vec![x]);
    assert_eq!(store.count("note", &in_notes).unwrap(), 1);
    assert_eq!(store.count("note", &[]).unwrap(), 1);
    assert_eq!(store.count("nothing", &[]).unwrap(), 0);
    assert_eq!(store.info().unwrap().record_count, 6);
}

#[test]
fn update_replaces_tags_and_body_and_keeps_creation_time() {
    let (_dir, mut store, clock) = wallet();
    let id = store
        .put(&rec("doc", &[("status", "draft"), ("keep", "1")], b"v1"))
        .unwrap();
    let other = store
        .put(&rec("doc", &[("status", "draft")], b"o"))
        .unwrap();
    clock.0.store(START + 3_600, Ordering::SeqCst);
    store
        .update(
            id,
            &tags(&[("status", "final"), ("keep", "1")]),
            b"version two",
        )
        .unwrap();

    let got = store.get(id).unwrap();
    assert_eq!(got.kind, "doc");
    assert_eq!(got.tags, tags(&[("status", "final"), ("keep", "1")]));
    assert_eq!(got.body.as_slice(), b"version two");
    assert_eq!(got.created_at, START);
    assert_eq!(got.updated_at, START + 3_600);
    // The index follows: the old tag no longer finds it, the new one does, the kept one too.
    let ids =
        |store: &WalletStore, filter: &[(&str, &str)]| all_pages(store, "doc", &tags(filter), 10);
    assert_eq!(ids(&store, &[("status", "draft")]), vec![other]);
    assert_eq!(ids(&store, &[("status", "final")]), vec![id]);
    assert_eq!(ids(&store, &[("keep", "1")]), vec![id]);
    // An update does not move the record in the page order.
    assert_eq!(ids(&store, &[]), vec![id, other]);
    // Removing every tag leaves it findable by kind only.
    store.update(id, &[], b"").unwrap();
    assert_eq!(ids(&store, &[("keep", "1")]), Vec::<RecordId>::new());
    assert_eq!(ids(&store, &[]), vec![id, other]);
    assert_eq!(store.get(id).unwrap().body.len(), 0);
}

#[test]
fn deleted_records_are_gone_everywhere() {
    let (_dir, mut store, _) = wallet();
    let id = store.put(&rec("doc", &[("t", "1")], b"bye")).unwrap();
    let kept = store.put(&rec("doc", &[("t", "1")], b"stay")).unwrap();
    store.delete(id).unwrap();
    assert_eq!(store.get(id).unwrap_err(), StoreError::RecordNotFound);
    assert_eq!(store.delete(id).unwrap_err(), StoreError::RecordNotFound);
    assert_eq!(
        store.update(id, &[], b"back?").unwrap_err(),
        StoreError::RecordNotFound
    );
    assert_eq!(
        all_pages(&store, "doc", &tags(&[("t", "1")]), 10),
        vec![kept]
    );
    assert_eq!(store.count("doc", &tags(&[("t", "1")])).unwrap(), 1);
    // An id that never existed is the same error.
    let never = RecordId::parse(&"ab".repeat(16)).unwrap();
    assert_eq!(store.get(never).unwrap_err(), StoreError::RecordNotFound);
}

fn is_invalid_input<T>(result: Result<T, StoreError>) -> bool {
    matches!(result, Err(StoreError::InvalidInput(_)))
}

#[test]
fn limits_are_enforced_at_the_boundary() {
    let (_dir, mut store, _) = wallet();
    let at = |n: usize| "k".repeat(n);
    let many_tags = |n: usize| {
        (0..n)
            .map(|i| Tag::new(format!("t{i}"), "v"))
            .collect::<Vec<_>>()
    };
    let record = |kind: String, tags: Vec<Tag>, body_len: usize| NewRecord {
        kind,
        tags,
        body: vec![1u8; body_len],
    };
    let cases = [
        ("kind empty", record(String::new(), vec![], 0), false),
        ("kind at limit", record(at(MAX_KIND_LEN), vec![], 0), true),
        (
            "kind over limit",
            record(at(MAX_KIND_LEN + 1), vec![], 0),
            false,
        ),
        // Limits are in bytes, not characters: 33 two-byte characters are 66 bytes.
        (
            "kind over limit in bytes",
            record("é".repeat(MAX_KIND_LEN / 2 + 1), vec![], 0),
            false,
        ),
        (
            "tag name empty",
            record(at(1), vec![Tag::new("", "v")], 0),
            false,
        ),
        (
            "tag name at limit",
            record(at(1), vec![Tag::new(at(MAX_TAG_NAME_LEN), "v")], 0),
            true,
        ),
        (
            "tag name over limit",
            record(at(1), vec![Tag::new(at(MAX_TAG_NAME_LEN + 1), "v")], 0),
            false,
        ),
        (
            "tag value empty",
            record(at(1), vec![Tag::new("n", "")], 0),
            true,
        ),
        (
            "tag value at limit",
            record(at(1), vec![Tag::new("n", at(MAX_TAG_VALUE_LEN))], 0),
            true,
        ),
        (
            "tag value over limit",
            record(at(1), vec![Tag::new("n", at(MAX_TAG_VALUE_LEN + 1))], 0),
            false,
        ),
        ("tags at limit", record(at(1), many_tags(MAX_TAGS), 0), true),
        (
            "tags over limit",
            record(at(1), many_tags(MAX_TAGS + 1), 0),
            false,
        ),
        ("body at limit", record(at(1), vec![], MAX_BODY_LEN), true),
        (
            "body over limit",
            record(at(1), vec![], MAX_BODY_LEN + 1),
            false,
        ),
    ];
    for (what, new, accepted) in cases {
        let before = store.info().unwrap().record_count;
        if accepted {
            let id = store.put(&new).unwrap_or_else(|e| panic!("{what}: {e}"));
            let got = store.get(id).unwrap();
            assert_eq!(
                (got.kind, got.tags, got.body.len()),
                (new.kind, new.tags, new.body.len())
            );
            continue;
        }
        assert!(is_invalid_input(store.put(&new)), "{what}: put");
        // In a batch, one bad record stops the whole batch.
        let good = record(at(1), vec![], 1);
        assert!(
            is_invalid_input(store.put_many(&[good, new.clone()])),
            "{what}: put_many"
        );
        assert_eq!(
            store.info().unwrap().record_count,
            before,
            "{what}: nothing stored"
        );
        // The same limits hold for the other entry points that take the field.
        let kind_ok = !new.kind.is_empty() && new.kind.len() <= MAX_KIND_LEN;
        let kind = if kind_ok { new.kind.as_str() } else { "k" };
        let id = store.put(&record(kind.into(), vec![], 0)).unwrap();
        let tags_ok = new.tags.len() <= MAX_TAGS
            && new.tags.iter().all(|t| {
                !t.name.is_empty()
                    && t.name.len() <= MAX_TAG_NAME_LEN
                    && t.value.len() <= MAX_TAG_VALUE_LEN
            });
        assert_eq!(
            is_invalid_input(store.update(id, &new.tags, &new.body)),
            !tags_ok || new.body.len() > MAX_BODY_LEN,
            "{what}: update"
        );
        assert_eq!(
            is_invalid_input(store.find(&new.kind, &new.tags, 10, None)),
            !(kind_ok && tags_ok),
            "{what}: find"
        );
        assert_eq!(
            is_invalid_input(store.count(&new.kind, &new.tags)),
            !(kind_ok && tags_ok),
            "{what}: count"
        );
        store.delete(id).unwrap();
    }
    for (size, accepted) in [
        (0, false),
        (1, true),
        (MAX_PAGE_SIZE, true),
        (MAX_PAGE_SIZE + 1, false),
    ] {
        assert_eq!(
            !is_invalid_input(store.find("k", &[], size, None)),
            accepted,
            "page size {size}"
        );
    }
    assert!(is_invalid_input(PageCursor::from_token("-1")));
    assert!(is_invalid_input(PageCursor::from_token("page two")));
}

/// Strings of 1..=`max_chars` arbitrary characters (control characters and NUL included):
/// at most 4 bytes each, so `max_chars * 4` stays within the byte limit.
fn text(min_chars: usize, max_chars: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), min_chars..=max_chars).prop_map(String::from_iter)
}

fn new_record() -> impl Strategy<Value = NewRecord> {
    let tag = (
        text(1, MAX_TAG_NAME_LEN / 4),
        text(0, MAX_TAG_VALUE_LEN / 4),
    )
        .prop_map(|(name, value)| Tag::new(name, value));
    (
        text(1, MAX_KIND_LEN / 4),
        prop::collection::vec(tag, 0..=MAX_TAGS),
        prop::collection::vec(any::<u8>(), 0..4096),
    )
        .prop_map(|(kind, tags, body)| NewRecord { kind, tags, body })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn what_is_put_is_what_is_got_and_found(new in new_record()) {
        let (_dir, mut store, _) = wallet();
        let id = store.put(&new).unwrap();
        let got = store.get(id).unwrap();
        prop_assert_eq!(&got.kind, &new.kind);
        prop_assert_eq!(&got.tags, &new.tags);
        prop_assert_eq!(got.body.as_slice(), new.body.as_slice());
        // Whatever the bytes, the record is found by its kind and all of its tags.
        let page = store.find(&new.kind, &new.tags, 10, None).unwrap();
        prop_assert_eq!(page.records.len(), 1);
        prop_assert_eq!(page.records[0].id, id);
        prop_assert_eq!(store.count(&new.kind, &new.tags).unwrap(), 1);
    }
}

#[test]
fn a_write_commits_all_its_changes_or_none() {
    let (_dir, mut store, _clock) = wallet();
    let old = store.put(&rec("list", &[("v", "1")], b"old")).unwrap();
    // The closure fails after a put and a delete: both are rolled back.
    let failed: Result<(), StoreError> = store.write(|w| {
        w.put(&rec("list", &[("v", "2")], b"new"))?;
        w.delete(old)?;
        Err(StoreError::InvalidInput("stop".into()))
    });
    assert!(failed.is_err());
    assert_eq!(all_pages(&store, "list", &[], 10), vec![old]);
    // It succeeds: the new record and the deletion land together, and reads inside the
    // transaction already see its own writes.
    let new = store
        .write(|w| {
            let new = w.put(&rec("list", &[("v", "2")], b"new"))?;
            w.delete(old)?;
            assert_eq!(w.find("list", &[], 10, None)?.records.len(), 1);
            Ok::<_, StoreError>(new)
        })
        .unwrap();
    assert_eq!(all_pages(&store, "list", &[], 10), vec![new]);
    store.lock();
    assert_eq!(
        store.write(|_| Ok::<_, StoreError>(())).unwrap_err(),
        StoreError::Locked
    );
}

-- Laissez wallet schema, version 1.
-- Nothing personal is stored in clear: record bodies, kinds, tag names and values are
-- encrypted or blind-indexed (HMAC-SHA256). Plaintext columns hold only random ids,
-- sequence numbers, KDF parameters and the PIN attempt counter.

-- Small facts about the wallet: its random id, the data-key canary, the sealed seed.
CREATE TABLE wallet_meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- The data key, wrapped once per unlock method ('pin', 'recovery').
CREATE TABLE key_slots (
    slot     TEXT PRIMARY KEY,
    params   BLOB NOT NULL,  -- CBOR: KDF parameters, salt, platform key id
    wrapped  BLOB NOT NULL,  -- sealed data key
    checksum BLOB NOT NULL   -- SHA-256 over slot, params, wrapped: tells corruption from a wrong secret
) WITHOUT ROWID;

-- Failed PIN attempts, written before each attempt is checked.
CREATE TABLE pin_guard (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    failed_attempts  INTEGER NOT NULL,
    last_failure_at  INTEGER NOT NULL
);
INSERT INTO pin_guard (id, failed_attempts, last_failure_at) VALUES (1, 0, 0);

-- Encrypted records. `seq` orders pages; `id` is random; `kind_index` is a blind index.
CREATE TABLE records (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         BLOB NOT NULL UNIQUE,
    kind_index BLOB NOT NULL,
    sealed     BLOB NOT NULL
);
CREATE INDEX records_by_kind ON records (kind_index, seq);

-- One row per (tag, record): the blind index of kind + tag name + tag value.
CREATE TABLE record_tags (
    tag_index  BLOB NOT NULL,
    record_seq INTEGER NOT NULL REFERENCES records (seq) ON DELETE CASCADE,
    PRIMARY KEY (tag_index, record_seq)
) WITHOUT ROWID;
CREATE INDEX record_tags_by_record ON record_tags (record_seq);

-- Council scoring (offline tablets): every change a tablet sent, kept once by its
-- client-made id; the sheet those changes make; every submitted version, chained
-- by hash per round. Once a round is sealed nothing here changes (triggers).
ALTER TABLE rounds ADD COLUMN chain_length INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN chain_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

CREATE TABLE sheet_changes (
    change_id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    device_ms INTEGER NOT NULL,
    -- JSON: the edit (answer, note, knock-out or submit).
    edit TEXT NOT NULL,
    received_ms INTEGER NOT NULL
);
CREATE INDEX sheet_changes_by_sheet ON sheet_changes (member_id, product_id);

CREATE TABLE sheets (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    -- JSON: the replayed sheet (answers, notes, knock-outs, each with its stamp).
    content TEXT NOT NULL,
    submitted INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (member_id, product_id)
);
CREATE INDEX sheets_by_round ON sheets (round_id, product_id);

CREATE TABLE sheet_versions (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    position INTEGER NOT NULL,
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    content TEXT NOT NULL,
    previous_digest TEXT NOT NULL,
    digest TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (round_id, position)
);

CREATE TRIGGER sheet_versions_no_update BEFORE UPDATE ON sheet_versions
BEGIN
    SELECT RAISE(ABORT, 'sheet_versions is append-only');
END;
CREATE TRIGGER sheet_versions_no_delete BEFORE DELETE ON sheet_versions
BEGIN
    SELECT RAISE(ABORT, 'sheet_versions is append-only');
END;
CREATE TRIGGER sheet_versions_sealed_insert BEFORE INSERT ON sheet_versions
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER sheets_sealed_insert BEFORE INSERT ON sheets
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER sheets_sealed_update BEFORE UPDATE ON sheets
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER sheets_sealed_delete BEFORE DELETE ON sheets
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER sheet_changes_sealed_insert BEFORE INSERT ON sheet_changes
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER sheet_changes_no_update BEFORE UPDATE ON sheet_changes
BEGIN
    SELECT RAISE(ABORT, 'sheet_changes is append-only');
END;
CREATE TRIGGER sheet_changes_no_delete BEFORE DELETE ON sheet_changes
BEGIN
    SELECT RAISE(ABORT, 'sheet_changes is append-only');
END;

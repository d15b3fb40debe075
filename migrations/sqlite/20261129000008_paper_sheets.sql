-- The paper fallback: a member's paper sheet keyed in by two officials apart.
-- It counts only when both entries agree; sealed rounds refuse changes here too.
CREATE TABLE paper_entries (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    entered_by TEXT NOT NULL REFERENCES users (id),
    -- JSON: criterion code → option index (null: none applies).
    answers TEXT NOT NULL,
    entered_ms INTEGER NOT NULL,
    PRIMARY KEY (member_id, product_id, entered_by)
);

CREATE TRIGGER paper_entries_sealed_insert BEFORE INSERT ON paper_entries
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER paper_entries_sealed_update BEFORE UPDATE ON paper_entries
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER paper_entries_sealed_delete BEFORE DELETE ON paper_entries
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

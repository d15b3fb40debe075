-- The chair's decision on a knock-out a member flagged: confirmed (the product
-- is disqualified) or dismissed. One decision per criterion of a product in a
-- round, changeable until the round is sealed.
CREATE TABLE knockout_decisions (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    criterion TEXT NOT NULL,
    -- 1: confirmed, 0: dismissed.
    confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    decided_by TEXT NOT NULL REFERENCES users (id),
    decided_ms INTEGER NOT NULL,
    PRIMARY KEY (round_id, product_id, criterion)
);

CREATE TRIGGER knockout_decisions_sealed_insert BEFORE INSERT ON knockout_decisions
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER knockout_decisions_sealed_update BEFORE UPDATE ON knockout_decisions
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER knockout_decisions_sealed_delete BEFORE DELETE ON knockout_decisions
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

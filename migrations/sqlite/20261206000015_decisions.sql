-- Issue 16: the recognition decision a sealed round leads to, recorded once with
-- its number, signing day and signer; one line per product, taken from the
-- results stored at the seal; certificates issued for the recognised ones.
-- Recorded means frozen: no line or decision changes or goes away afterwards,
-- except the publication stamp, set once.
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL UNIQUE REFERENCES rounds (id),
    province_code INTEGER NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms INTEGER NOT NULL,
    published_ms INTEGER,
    CONSTRAINT decisions_number_unique UNIQUE (province_code, number)
);

CREATE TABLE decision_items (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    position INTEGER NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'forwarded', 'returned', 'not_recognised')),
    stars INTEGER CHECK ((outcome = 'recognised') = (stars IS NOT NULL) AND (stars IS NULL OR stars BETWEEN 3 AND 5)),
    -- The level a forwarded or returned product goes to, by its profile's name.
    next_level TEXT CHECK ((outcome IN ('forwarded', 'returned')) = (next_level IS NOT NULL)),
    mean TEXT NOT NULL,
    certificate_code TEXT REFERENCES certificates (code),
    PRIMARY KEY (decision_id, position),
    UNIQUE (decision_id, product_id)
);

CREATE TRIGGER decisions_frozen_update BEFORE UPDATE ON decisions
WHEN NOT (OLD.published_ms IS NULL AND NEW.published_ms IS NOT NULL
    AND NEW.id IS OLD.id AND NEW.round_id IS OLD.round_id AND NEW.province_code IS OLD.province_code
    AND NEW.number IS OLD.number AND NEW.signed_on IS OLD.signed_on AND NEW.signer IS OLD.signer
    AND NEW.recorded_by IS OLD.recorded_by AND NEW.recorded_ms IS OLD.recorded_ms)
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;
CREATE TRIGGER decisions_frozen_delete BEFORE DELETE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;
CREATE TRIGGER decision_items_frozen_update BEFORE UPDATE ON decision_items
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;
CREATE TRIGGER decision_items_frozen_delete BEFORE DELETE ON decision_items
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;

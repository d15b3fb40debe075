-- Issue 16: the recognition decision a sealed round leads to, recorded once with
-- its number, signing day and signer; one line per product, taken from the
-- results stored at the seal; certificates issued for the recognised ones.
-- Recorded means frozen: no line or decision changes or goes away afterwards,
-- except the publication stamp, set once.
CREATE TABLE decisions (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL UNIQUE REFERENCES rounds (id),
    province_code BIGINT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms BIGINT NOT NULL,
    published_ms BIGINT,
    CONSTRAINT decisions_number_unique UNIQUE (province_code, number)
);

CREATE TABLE decision_items (
    decision_id TEXT NOT NULL REFERENCES decisions (id),
    position BIGINT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'forwarded', 'returned', 'not_recognised')),
    stars BIGINT CHECK ((outcome = 'recognised') = (stars IS NOT NULL) AND (stars IS NULL OR stars BETWEEN 3 AND 5)),
    -- The level a forwarded or returned product goes to, by its profile's name.
    next_level TEXT CHECK ((outcome IN ('forwarded', 'returned')) = (next_level IS NOT NULL)),
    mean TEXT NOT NULL,
    certificate_code TEXT REFERENCES certificates (code),
    PRIMARY KEY (decision_id, position),
    UNIQUE (decision_id, product_id)
);

CREATE FUNCTION decisions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.published_ms IS NULL AND NEW.published_ms IS NOT NULL
        AND NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.round_id IS NOT DISTINCT FROM OLD.round_id
        AND NEW.province_code IS NOT DISTINCT FROM OLD.province_code
        AND NEW.number IS NOT DISTINCT FROM OLD.number AND NEW.signed_on IS NOT DISTINCT FROM OLD.signed_on
        AND NEW.signer IS NOT DISTINCT FROM OLD.signer AND NEW.recorded_by IS NOT DISTINCT FROM OLD.recorded_by
        AND NEW.recorded_ms IS NOT DISTINCT FROM OLD.recorded_ms THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a recorded decision is sealed: it does not change';
END;
$$;
CREATE TRIGGER decisions_frozen BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION decisions_frozen();
CREATE FUNCTION decision_items_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded decision is sealed: it does not change';
END;
$$;
CREATE TRIGGER decision_items_frozen BEFORE UPDATE OR DELETE ON decision_items
    FOR EACH ROW EXECUTE FUNCTION decision_items_frozen();

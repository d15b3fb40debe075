-- Issue 16: rounds at every level a workflow profile names. A central round is
-- the ministry's (no province); a district round (the seed's three tiers) is a
-- province's, for a district: a named group of the province's communes. The
-- ministry's decisions have no province either; a level below records its own
-- decision on a result returned from above (Điều 7.4g; QĐ 148's "< 70 back").
-- Districts are the `district_group`s of migration 1 (named groups of communes).

ALTER TABLE rounds ALTER COLUMN province_code DROP NOT NULL;
ALTER TABLE rounds ADD COLUMN district_id TEXT REFERENCES district_group (id);
ALTER TABLE rounds ADD CONSTRAINT rounds_body CHECK (
    (level = 'central' AND province_code IS NULL AND district_id IS NULL)
    OR (level = 'province' AND province_code IS NOT NULL AND district_id IS NULL)
    OR (level = 'district' AND province_code IS NOT NULL AND district_id IS NOT NULL));

-- NULL for the ministry's decisions (central rounds), numbered once each too.
ALTER TABLE decisions ALTER COLUMN province_code DROP NOT NULL;
CREATE UNIQUE INDEX decisions_central_number_unique ON decisions (number) WHERE province_code IS NULL;

-- A level's decision on a result returned to it from the level above: the
-- product, the round above that returned it, and the lower level's outcome
-- (recognised with its stars and certificate, or not). Recorded once; frozen.
CREATE TABLE return_decisions (
    id TEXT PRIMARY KEY,
    from_round_id TEXT NOT NULL REFERENCES rounds (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    level TEXT NOT NULL CHECK (level IN ('district', 'province')),
    province_code BIGINT NOT NULL REFERENCES province (code),
    district_id TEXT REFERENCES district_group (id),
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'not_recognised')),
    stars BIGINT CHECK ((outcome = 'recognised') = (stars IS NOT NULL) AND (stars IS NULL OR stars BETWEEN 3 AND 4)),
    mean TEXT NOT NULL,
    certificate_code TEXT REFERENCES certificates (code),
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms BIGINT NOT NULL,
    CHECK ((level = 'district') = (district_id IS NOT NULL)),
    CONSTRAINT return_decisions_once UNIQUE (from_round_id, product_id),
    CONSTRAINT return_decisions_number_unique UNIQUE (province_code, number)
);
CREATE TRIGGER return_decisions_frozen BEFORE UPDATE OR DELETE ON return_decisions
    FOR EACH ROW EXECUTE FUNCTION decision_items_frozen();

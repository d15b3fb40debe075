-- Issue 16: rounds at every level a workflow profile names. A central round is
-- the ministry's (no province); a district round (the seed's three tiers) is a
-- province's, for a district: a named group of the province's communes. The
-- ministry's decisions have no province either; a level below records its own
-- decision on a result returned from above (Điều 7.4g; QĐ 148's "< 70 back").
--
-- SQLite cannot drop a NOT NULL: `rounds` and `decisions` are rebuilt (the
-- documented twelve steps), with foreign keys checked at commit and the other
-- tables' triggers left naming the tables by name.
PRAGMA defer_foreign_keys = ON;
PRAGMA legacy_alter_table = ON;

-- Districts are the `district_group`s of migration 1 (named groups of communes).

CREATE TABLE rounds_new (
    id TEXT PRIMARY KEY,
    province_code INTEGER REFERENCES province (code),
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    profile TEXT NOT NULL,
    proposal_cutoff TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    state TEXT NOT NULL,
    quorum_numerator INTEGER NOT NULL,
    quorum_denominator INTEGER NOT NULL,
    divergence_limit INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    chain_length INTEGER NOT NULL DEFAULT 0,
    chain_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    seal_digest TEXT,
    sealed_ms INTEGER,
    sealed_by TEXT,
    district_id TEXT REFERENCES district_group (id),
    CONSTRAINT rounds_body CHECK (
        (level = 'central' AND province_code IS NULL AND district_id IS NULL)
        OR (level = 'province' AND province_code IS NOT NULL AND district_id IS NULL)
        OR (level = 'district' AND province_code IS NOT NULL AND district_id IS NOT NULL))
);
INSERT INTO rounds_new (id, province_code, level, name, rule_set, profile, proposal_cutoff,
    closes_on, state, quorum_numerator, quorum_denominator, divergence_limit, created_ms,
    chain_length, chain_head, seal_digest, sealed_ms, sealed_by, district_id)
SELECT id, province_code, level, name, rule_set, profile, proposal_cutoff,
    closes_on, state, quorum_numerator, quorum_denominator, divergence_limit, created_ms,
    chain_length, chain_head, seal_digest, sealed_ms, sealed_by, NULL
FROM rounds;
DROP TABLE rounds;
ALTER TABLE rounds_new RENAME TO rounds;

CREATE TRIGGER rounds_sealed_update BEFORE UPDATE ON rounds
WHEN OLD.state IN ('sealed', 'decided') AND NOT (
    OLD.state = 'sealed' AND NEW.state = 'decided'
    AND NEW.id IS OLD.id AND NEW.province_code IS OLD.province_code AND NEW.level IS OLD.level
    AND NEW.name IS OLD.name AND NEW.rule_set IS OLD.rule_set AND NEW.profile IS OLD.profile
    AND NEW.proposal_cutoff IS OLD.proposal_cutoff AND NEW.closes_on IS OLD.closes_on
    AND NEW.quorum_numerator IS OLD.quorum_numerator AND NEW.quorum_denominator IS OLD.quorum_denominator
    AND NEW.divergence_limit IS OLD.divergence_limit AND NEW.created_ms IS OLD.created_ms
    AND NEW.chain_length IS OLD.chain_length AND NEW.chain_head IS OLD.chain_head
    AND NEW.seal_digest IS OLD.seal_digest AND NEW.sealed_ms IS OLD.sealed_ms AND NEW.sealed_by IS OLD.sealed_by
    AND NEW.district_id IS OLD.district_id)
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER rounds_sealed_delete BEFORE DELETE ON rounds
WHEN OLD.state IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER rounds_seal_needs_digest BEFORE UPDATE OF state ON rounds
WHEN NEW.state = 'sealed' AND NEW.seal_digest IS NULL
BEGIN
    SELECT RAISE(ABORT, 'a round is sealed with its digest');
END;

CREATE TABLE decisions_new (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL UNIQUE REFERENCES rounds (id),
    -- NULL for the ministry's decisions (central rounds).
    province_code INTEGER,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms INTEGER NOT NULL,
    published_ms INTEGER,
    CONSTRAINT decisions_number_unique UNIQUE (province_code, number)
);
INSERT INTO decisions_new SELECT id, round_id, province_code, number, signed_on, signer,
    recorded_by, recorded_ms, published_ms FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_new RENAME TO decisions;
-- The ministry numbers its decisions once each too.
CREATE UNIQUE INDEX decisions_central_number_unique ON decisions (number) WHERE province_code IS NULL;

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

-- A level's decision on a result returned to it from the level above: the
-- product, the round above that returned it, and the lower level's outcome
-- (recognised with its stars and certificate, or not). Recorded once; frozen.
CREATE TABLE return_decisions (
    id TEXT PRIMARY KEY,
    from_round_id TEXT NOT NULL REFERENCES rounds (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    level TEXT NOT NULL CHECK (level IN ('district', 'province')),
    province_code INTEGER NOT NULL REFERENCES province (code),
    district_id TEXT REFERENCES district_group (id),
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('recognised', 'not_recognised')),
    stars INTEGER CHECK ((outcome = 'recognised') = (stars IS NOT NULL) AND (stars IS NULL OR stars BETWEEN 3 AND 4)),
    mean TEXT NOT NULL,
    certificate_code TEXT REFERENCES certificates (code),
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms INTEGER NOT NULL,
    CHECK ((level = 'district') = (district_id IS NOT NULL)),
    CONSTRAINT return_decisions_once UNIQUE (from_round_id, product_id),
    CONSTRAINT return_decisions_number_unique UNIQUE (province_code, number)
);
CREATE TRIGGER return_decisions_frozen_update BEFORE UPDATE ON return_decisions
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;
CREATE TRIGGER return_decisions_frozen_delete BEFORE DELETE ON return_decisions
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision is sealed: it does not change');
END;

PRAGMA legacy_alter_table = OFF;

-- Sealed means frozen (issue 12): the results stored at the seal with the seal's
-- digest, the chair's acknowledgements of the model's flags, paper keyings per
-- sheet version, and triggers that refuse every change a sealed round's result
-- depends on: the round itself, its council, conflicts, assignments, products.
ALTER TABLE rounds ADD COLUMN seal_digest TEXT;
ALTER TABLE rounds ADD COLUMN sealed_ms INTEGER;
ALTER TABLE rounds ADD COLUMN sealed_by TEXT;

-- One row per product of the round, written once at the seal: the result as the
-- shared model computed it (JSON), in the order the seal digest covers them.
CREATE TABLE round_results (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    position INTEGER NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    content TEXT NOT NULL,
    PRIMARY KEY (round_id, position),
    UNIQUE (round_id, product_id)
);

-- The chair acknowledges each flag of the model (divergence, near a boundary,
-- missing quorum) before sealing; `flag` is the flag with its value, so a flag
-- that changes after a re-score needs a new acknowledgement.
CREATE TABLE flag_acknowledgements (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    flag TEXT NOT NULL,
    acknowledged_by TEXT NOT NULL REFERENCES users (id),
    acknowledged_ms INTEGER NOT NULL,
    PRIMARY KEY (round_id, product_id, flag)
);

-- A paper keying belongs to one version of the member's sheet (0: the first).
ALTER TABLE paper_entries ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER rounds_sealed_update BEFORE UPDATE ON rounds
WHEN OLD.state IN ('sealed', 'decided') AND NOT (
    OLD.state = 'sealed' AND NEW.state = 'decided'
    AND NEW.id IS OLD.id AND NEW.province_code IS OLD.province_code AND NEW.level IS OLD.level
    AND NEW.name IS OLD.name AND NEW.rule_set IS OLD.rule_set AND NEW.profile IS OLD.profile
    AND NEW.proposal_cutoff IS OLD.proposal_cutoff AND NEW.closes_on IS OLD.closes_on
    AND NEW.quorum_numerator IS OLD.quorum_numerator AND NEW.quorum_denominator IS OLD.quorum_denominator
    AND NEW.divergence_limit IS OLD.divergence_limit AND NEW.created_ms IS OLD.created_ms
    AND NEW.chain_length IS OLD.chain_length AND NEW.chain_head IS OLD.chain_head
    AND NEW.seal_digest IS OLD.seal_digest AND NEW.sealed_ms IS OLD.sealed_ms AND NEW.sealed_by IS OLD.sealed_by)
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

CREATE TRIGGER council_members_sealed_insert BEFORE INSERT ON council_members
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER council_members_sealed_update BEFORE UPDATE ON council_members
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
  OR (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER council_members_sealed_delete BEFORE DELETE ON council_members
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER conflicts_sealed_insert BEFORE INSERT ON conflicts_of_interest
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = NEW.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER conflicts_sealed_update BEFORE UPDATE ON conflicts_of_interest
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = OLD.member_id) IN ('sealed', 'decided')
  OR (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = NEW.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER conflicts_sealed_delete BEFORE DELETE ON conflicts_of_interest
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = OLD.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER assignments_sealed_insert BEFORE INSERT ON council_assignments
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = NEW.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER assignments_sealed_update BEFORE UPDATE ON council_assignments
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = OLD.member_id) IN ('sealed', 'decided')
  OR (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = NEW.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER assignments_sealed_delete BEFORE DELETE ON council_assignments
WHEN (SELECT r.state FROM rounds r JOIN council_members m ON m.round_id = r.id WHERE m.id = OLD.member_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER round_dossiers_sealed_insert BEFORE INSERT ON round_dossiers
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER round_dossiers_sealed_update BEFORE UPDATE ON round_dossiers
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
  OR (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER round_dossiers_sealed_delete BEFORE DELETE ON round_dossiers
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

-- A product's scorecard may not change while it is in a sealed round.
CREATE TRIGGER products_sealed_scorecard BEFORE UPDATE OF rule_set, product_set ON products
WHEN EXISTS (SELECT 1 FROM round_dossiers d JOIN rounds r ON r.id = d.round_id
             WHERE d.product_id = OLD.id AND r.state IN ('sealed', 'decided'))
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER round_results_no_update BEFORE UPDATE ON round_results
BEGIN
    SELECT RAISE(ABORT, 'round_results is append-only');
END;
CREATE TRIGGER round_results_no_delete BEFORE DELETE ON round_results
BEGIN
    SELECT RAISE(ABORT, 'round_results is append-only');
END;
CREATE TRIGGER round_results_only_at_seal BEFORE INSERT ON round_results
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IS NOT 'deliberation'
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

CREATE TRIGGER flag_acknowledgements_sealed_insert BEFORE INSERT ON flag_acknowledgements
WHEN (SELECT state FROM rounds WHERE id = NEW.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER flag_acknowledgements_sealed_update BEFORE UPDATE ON flag_acknowledgements
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;
CREATE TRIGGER flag_acknowledgements_sealed_delete BEFORE DELETE ON flag_acknowledgements
WHEN (SELECT state FROM rounds WHERE id = OLD.round_id) IN ('sealed', 'decided')
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

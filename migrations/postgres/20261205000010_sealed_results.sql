-- Sealed means frozen (issue 12): the results stored at the seal with the seal's
-- digest, the chair's acknowledgements of the model's flags, paper keyings per
-- sheet version, and triggers that refuse every change a sealed round's result
-- depends on: the round itself, its council, conflicts, assignments, products.
ALTER TABLE rounds ADD COLUMN seal_digest TEXT;
ALTER TABLE rounds ADD COLUMN sealed_ms BIGINT;
ALTER TABLE rounds ADD COLUMN sealed_by TEXT;

-- One row per product of the round, written once at the seal: the result as the
-- shared model computed it (JSON), in the order the seal digest covers them.
CREATE TABLE round_results (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    position BIGINT NOT NULL,
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
    acknowledged_ms BIGINT NOT NULL,
    PRIMARY KEY (round_id, product_id, flag)
);

-- A paper keying belongs to one version of the member's sheet (0: the first).
ALTER TABLE paper_entries ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;

-- A sealed round changes only from sealed to decided, nothing else in its row.
CREATE FUNCTION rounds_refuse_when_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.state IN ('sealed', 'decided') THEN
            RAISE EXCEPTION 'the round is sealed';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.state = 'sealed' AND NEW.seal_digest IS NULL THEN
        RAISE EXCEPTION 'a round is sealed with its digest';
    END IF;
    IF OLD.state IN ('sealed', 'decided') AND NOT (
        OLD.state = 'sealed' AND NEW.state = 'decided'
        AND (to_jsonb(NEW) - 'state') = (to_jsonb(OLD) - 'state')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER rounds_sealed BEFORE UPDATE OR DELETE ON rounds
    FOR EACH ROW EXECUTE FUNCTION rounds_refuse_when_sealed();

-- Rows keyed by a council member: refused when that member's round is sealed.
CREATE FUNCTION council_refuse_when_member_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM rounds r JOIN council_members m ON m.round_id = r.id
        WHERE m.id = OLD.member_id AND r.state IN ('sealed', 'decided')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
        SELECT 1 FROM rounds r JOIN council_members m ON m.round_id = r.id
        WHERE m.id = NEW.member_id AND r.state IN ('sealed', 'decided')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

-- Rows keyed by a round, checked on both the old and the new round.
CREATE FUNCTION council_refuse_when_either_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM rounds WHERE id = OLD.round_id AND state IN ('sealed', 'decided')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
        SELECT 1 FROM rounds WHERE id = NEW.round_id AND state IN ('sealed', 'decided')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER council_members_sealed BEFORE INSERT OR UPDATE OR DELETE ON council_members
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_either_sealed();
CREATE TRIGGER conflicts_sealed BEFORE INSERT OR UPDATE OR DELETE ON conflicts_of_interest
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_member_sealed();
CREATE TRIGGER assignments_sealed BEFORE INSERT OR UPDATE OR DELETE ON council_assignments
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_member_sealed();
CREATE TRIGGER round_dossiers_sealed BEFORE INSERT OR UPDATE OR DELETE ON round_dossiers
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_either_sealed();
CREATE TRIGGER flag_acknowledgements_sealed BEFORE INSERT OR UPDATE OR DELETE ON flag_acknowledgements
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_either_sealed();

-- A product's scorecard may not change while it is in a sealed round.
CREATE FUNCTION products_refuse_sealed_scorecard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.rule_set IS DISTINCT FROM OLD.rule_set OR NEW.product_set IS DISTINCT FROM OLD.product_set)
       AND EXISTS (SELECT 1 FROM round_dossiers d JOIN rounds r ON r.id = d.round_id
                   WHERE d.product_id = OLD.id AND r.state IN ('sealed', 'decided')) THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER products_sealed_scorecard BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION products_refuse_sealed_scorecard();

-- Results are written once, while the round is being sealed (still deliberating).
CREATE FUNCTION round_results_only_at_seal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM rounds WHERE id = NEW.round_id AND state = 'deliberation') THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER round_results_append_only BEFORE UPDATE OR DELETE ON round_results
    FOR EACH ROW EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER round_results_no_truncate BEFORE TRUNCATE ON round_results
    FOR EACH STATEMENT EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER round_results_at_seal BEFORE INSERT ON round_results
    FOR EACH ROW EXECUTE FUNCTION round_results_only_at_seal();

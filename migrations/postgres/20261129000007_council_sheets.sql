-- Council scoring (offline tablets): every change a tablet sent, kept once by its
-- client-made id; the sheet those changes make; every submitted version, chained
-- by hash per round. Once a round is sealed nothing here changes (triggers).
ALTER TABLE rounds ADD COLUMN chain_length BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rounds ADD COLUMN chain_head TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

CREATE TABLE sheet_changes (
    change_id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    device_id TEXT NOT NULL,
    device_seq BIGINT NOT NULL,
    device_ms BIGINT NOT NULL,
    -- JSON: the edit (answer, note, knock-out or submit).
    edit TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE INDEX sheet_changes_by_sheet ON sheet_changes (member_id, product_id);

CREATE TABLE sheets (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    -- JSON: the replayed sheet (answers, notes, knock-outs, each with its stamp).
    content TEXT NOT NULL,
    submitted BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (member_id, product_id)
);
CREATE INDEX sheets_by_round ON sheets (round_id, product_id);

CREATE TABLE sheet_versions (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    position BIGINT NOT NULL,
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    content TEXT NOT NULL,
    previous_digest TEXT NOT NULL,
    digest TEXT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (round_id, position)
);

CREATE FUNCTION council_refuse_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

-- The round a row belongs to must not be sealed (or decided).
CREATE FUNCTION council_refuse_when_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    round_state TEXT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT state INTO round_state FROM rounds WHERE id = OLD.round_id;
    ELSE
        SELECT state INTO round_state FROM rounds WHERE id = NEW.round_id;
    END IF;
    IF round_state IN ('sealed', 'decided') THEN
        RAISE EXCEPTION 'the round is sealed';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER sheet_versions_append_only BEFORE UPDATE OR DELETE ON sheet_versions
    FOR EACH ROW EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER sheet_versions_no_truncate BEFORE TRUNCATE ON sheet_versions
    FOR EACH STATEMENT EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER sheet_versions_sealed BEFORE INSERT ON sheet_versions
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_sealed();

CREATE TRIGGER sheets_sealed BEFORE INSERT OR UPDATE OR DELETE ON sheets
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_sealed();

CREATE TRIGGER sheet_changes_append_only BEFORE UPDATE OR DELETE ON sheet_changes
    FOR EACH ROW EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER sheet_changes_no_truncate BEFORE TRUNCATE ON sheet_changes
    FOR EACH STATEMENT EXECUTE FUNCTION council_refuse_append_only();
CREATE TRIGGER sheet_changes_sealed BEFORE INSERT ON sheet_changes
    FOR EACH ROW EXECUTE FUNCTION council_refuse_when_sealed();

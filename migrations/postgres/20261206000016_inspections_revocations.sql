-- Issue 16: a certificate's life after the decision. Inspections (Điều 9):
-- periodic or ad hoc, the mark's use, findings per criterion, an outcome.
-- Revocation (Điều 8): one per certificate, on a ground of 8.1, signed by the
-- competent authority; it stamps the certificate in the same transaction.
-- Both are records of what was decided: they do not change or go away, and a
-- certificate changes only by that one stamp.
CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    certificate_code TEXT NOT NULL REFERENCES certificates (code),
    kind TEXT NOT NULL CHECK (kind IN ('periodic', 'ad_hoc')),
    inspected_on TEXT NOT NULL,
    mark_use TEXT NOT NULL CHECK (mark_use IN ('proper', 'misused', 'not_used')),
    -- JSON: [{"criterion": "2.3", "note": "…"}]
    findings TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('kept', 'warning', 'propose_revocation')),
    inspector_id TEXT NOT NULL REFERENCES users (id),
    recorded_ms BIGINT NOT NULL
);
CREATE INDEX inspections_by_certificate ON inspections (certificate_code, inspected_on);

CREATE TABLE revocations (
    certificate_code TEXT PRIMARY KEY REFERENCES certificates (code),
    province_code BIGINT NOT NULL,
    ground TEXT NOT NULL CHECK (ground IN ('a', 'b', 'c', 'd', 'dd', 'e')),
    detail TEXT NOT NULL,
    found_on TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms BIGINT NOT NULL,
    CONSTRAINT revocations_dates_ordered CHECK (found_on <= signed_on),
    CONSTRAINT revocations_number_unique UNIQUE (province_code, number)
);

CREATE FUNCTION inspections_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded inspection does not change';
END;
$$;
CREATE TRIGGER inspections_frozen BEFORE UPDATE OR DELETE ON inspections
    FOR EACH ROW EXECUTE FUNCTION inspections_frozen();
CREATE FUNCTION revocations_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a recorded revocation does not change';
END;
$$;
CREATE TRIGGER revocations_frozen BEFORE UPDATE OR DELETE ON revocations
    FOR EACH ROW EXECUTE FUNCTION revocations_frozen();
CREATE FUNCTION certificates_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL
        AND NEW.revocation_ground IS NOT NULL
        AND NEW.code IS NOT DISTINCT FROM OLD.code AND NEW.province_code IS NOT DISTINCT FROM OLD.province_code
        AND NEW.product_id IS NOT DISTINCT FROM OLD.product_id
        AND NEW.product_name IS NOT DISTINCT FROM OLD.product_name
        AND NEW.subject_name IS NOT DISTINCT FROM OLD.subject_name AND NEW.stars IS NOT DISTINCT FROM OLD.stars
        AND NEW.issued_on IS NOT DISTINCT FROM OLD.issued_on AND NEW.valid_until IS NOT DISTINCT FROM OLD.valid_until
        AND NEW.source IS NOT DISTINCT FROM OLD.source AND NEW.created_ms IS NOT DISTINCT FROM OLD.created_ms THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a certificate changes only by its revocation';
END;
$$;
CREATE TRIGGER certificates_frozen BEFORE UPDATE OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION certificates_frozen();

-- The re-evaluation reminders sent (Điều 7.6a: at the window's opening, and 30
-- days before it closes): one row per certificate and reminder, so each goes once.
CREATE TABLE certificate_reminders (
    certificate_code TEXT NOT NULL REFERENCES certificates (code),
    reminder INTEGER NOT NULL CHECK (reminder IN (0, 1)),
    sent_on TEXT NOT NULL,
    PRIMARY KEY (certificate_code, reminder)
);

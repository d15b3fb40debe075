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
    recorded_ms INTEGER NOT NULL
);
CREATE INDEX inspections_by_certificate ON inspections (certificate_code, inspected_on);

CREATE TABLE revocations (
    certificate_code TEXT PRIMARY KEY REFERENCES certificates (code),
    province_code INTEGER NOT NULL,
    ground TEXT NOT NULL CHECK (ground IN ('a', 'b', 'c', 'd', 'dd', 'e')),
    detail TEXT NOT NULL,
    found_on TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_ms INTEGER NOT NULL,
    CONSTRAINT revocations_dates_ordered CHECK (found_on <= signed_on),
    CONSTRAINT revocations_number_unique UNIQUE (province_code, number)
);

CREATE TRIGGER inspections_frozen_update BEFORE UPDATE ON inspections
BEGIN
    SELECT RAISE(ABORT, 'a recorded inspection does not change');
END;
CREATE TRIGGER inspections_frozen_delete BEFORE DELETE ON inspections
BEGIN
    SELECT RAISE(ABORT, 'a recorded inspection does not change');
END;
CREATE TRIGGER revocations_frozen_update BEFORE UPDATE ON revocations
BEGIN
    SELECT RAISE(ABORT, 'a recorded revocation does not change');
END;
CREATE TRIGGER revocations_frozen_delete BEFORE DELETE ON revocations
BEGIN
    SELECT RAISE(ABORT, 'a recorded revocation does not change');
END;
CREATE TRIGGER certificates_frozen_update BEFORE UPDATE ON certificates
WHEN NOT (OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL AND NEW.revocation_ground IS NOT NULL
    AND NEW.code IS OLD.code AND NEW.province_code IS OLD.province_code
    AND NEW.product_id IS OLD.product_id AND NEW.product_name IS OLD.product_name
    AND NEW.subject_name IS OLD.subject_name AND NEW.stars IS OLD.stars
    AND NEW.issued_on IS OLD.issued_on AND NEW.valid_until IS OLD.valid_until
    AND NEW.source IS OLD.source AND NEW.created_ms IS OLD.created_ms)
BEGIN
    SELECT RAISE(ABORT, 'a certificate changes only by its revocation');
END;
CREATE TRIGGER certificates_frozen_delete BEFORE DELETE ON certificates
BEGIN
    SELECT RAISE(ABORT, 'a certificate changes only by its revocation');
END;

-- The re-evaluation reminders sent (Điều 7.6a: at the window's opening, and 30
-- days before it closes): one row per certificate and reminder, so each goes once.
CREATE TABLE certificate_reminders (
    certificate_code TEXT NOT NULL REFERENCES certificates (code),
    reminder INTEGER NOT NULL CHECK (reminder IN (0, 1)),
    sent_on TEXT NOT NULL,
    PRIMARY KEY (certificate_code, reminder)
);

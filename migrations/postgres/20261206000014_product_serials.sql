-- Issue 16: product codes "(T)-(X)-(STT)-year" (every scorecard's header): STT is
-- the commune's serial of the year. One counter row per commune and year, moved
-- by one upsert inside the recognising transaction, so concurrent recognitions
-- get distinct, consecutive serials and a rolled-back one leaves no gap.
CREATE TABLE product_serials (
    commune_code BIGINT NOT NULL,
    year BIGINT NOT NULL,
    last_serial BIGINT NOT NULL CHECK (last_serial > 0),
    PRIMARY KEY (commune_code, year)
);

-- A certificate (Điều 4.3: 36 months from issue). Recognised here, or imported
-- from the province's list of products certified before Sao (Điều 12: old
-- certificates stay valid until they expire). The public verification page
-- reads it by code; a revocation (Điều 8) stamps it, never deletes it.
CREATE TABLE certificates (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 40),
    -- The province whose office inspects it and whose chair revokes it (Điều 8.2, 9.4).
    province_code BIGINT NOT NULL,
    product_id TEXT REFERENCES products (id),
    product_name TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    stars BIGINT NOT NULL CHECK (stars BETWEEN 3 AND 5),
    issued_on TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('recognised', 'imported')),
    revoked_on TEXT,
    revocation_ground TEXT,
    created_ms BIGINT NOT NULL,
    CONSTRAINT certificates_dates_ordered CHECK (issued_on < valid_until)
);

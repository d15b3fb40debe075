-- Producers' subjects (chủ thể OCOP), their products, self-assessments, evidence
-- uploads and submitted dossier versions. Times are Unix milliseconds.
CREATE TABLE subjects (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    registration_date TEXT NOT NULL,
    tax_code TEXT NOT NULL,
    commune_code INTEGER NOT NULL REFERENCES commune (code),
    address TEXT NOT NULL,
    representative TEXT NOT NULL,
    -- Criterion 3.2 asks these of the representative (0 or 1).
    representative_woman INTEGER NOT NULL,
    representative_ethnic_minority INTEGER NOT NULL,
    representative_disability INTEGER NOT NULL,
    workers_total INTEGER NOT NULL,
    workers_local INTEGER NOT NULL,
    value_chain_contracts INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX subjects_by_commune ON subjects (commune_code);

CREATE TABLE subject_sales_channels (
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    channel TEXT NOT NULL,
    PRIMARY KEY (subject_id, channel)
);

-- Who may act for a subject: one account may hold several, a subject may have several users.
CREATE TABLE subject_members (
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (subject_id, user_id)
);
CREATE INDEX subject_members_by_user ON subject_members (user_id);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    name TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    product_set INTEGER NOT NULL,
    kind TEXT NOT NULL,
    -- Upgrade or re-evaluation: the certificate of the recognised product.
    previous_certificate TEXT NOT NULL,
    changes TEXT NOT NULL,
    state TEXT NOT NULL,
    -- The last frozen version (0 before the first submission).
    version INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX products_by_subject ON products (subject_id);

-- The producer's draft answers (Mẫu 02), JSON {criterion: option index or null}.
CREATE TABLE self_assessments (
    product_id TEXT PRIMARY KEY REFERENCES products (id),
    answers TEXT NOT NULL,
    -- The browser's counter: an older save never overwrites a newer one.
    revision INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);

-- Evidence files, received in chunks; stored by SHA-256 once complete.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    slot TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    received INTEGER NOT NULL,
    state TEXT NOT NULL,
    content_type TEXT,
    sha256 TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
);
CREATE INDEX evidence_by_product ON evidence (product_id);

-- Each submission freezes the dossier as a numbered version.
CREATE TABLE dossier_versions (
    product_id TEXT NOT NULL REFERENCES products (id),
    version INTEGER NOT NULL,
    submitted_ms INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (product_id, version)
);

-- The status timeline the producer sees.
CREATE TABLE dossier_events (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    at_ms INTEGER NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    note TEXT NOT NULL,
    deadline TEXT
);
CREATE INDEX dossier_events_by_product ON dossier_events (product_id, at_ms);

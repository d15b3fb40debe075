-- Evaluation rounds, the dossiers assigned to them, their councils, members'
-- conflicts of interest and assignments. Dates are YYYY-MM-DD, times Unix ms.
CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    province_code INTEGER NOT NULL REFERENCES province (code),
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    profile TEXT NOT NULL,
    proposal_cutoff TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    state TEXT NOT NULL,
    -- From the workflow profile, editable per council (each change audited).
    quorum_numerator INTEGER NOT NULL,
    quorum_denominator INTEGER NOT NULL,
    divergence_limit INTEGER NOT NULL,
    created_ms INTEGER NOT NULL
);

CREATE TABLE round_dossiers (
    round_id TEXT NOT NULL REFERENCES rounds (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    assigned_ms INTEGER NOT NULL,
    PRIMARY KEY (round_id, product_id)
);
CREATE INDEX round_dossiers_by_product ON round_dossiers (product_id);

CREATE TABLE council_members (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    name TEXT NOT NULL,
    department TEXT NOT NULL,
    -- 'chair', 'member' or 'advisor' (Tổ tư vấn).
    position TEXT NOT NULL,
    user_id TEXT REFERENCES users (id)
);
CREATE INDEX council_members_by_round ON council_members (round_id);

CREATE TABLE conflicts_of_interest (
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    reason TEXT NOT NULL,
    declared_by TEXT NOT NULL,
    declared_ms INTEGER NOT NULL,
    PRIMARY KEY (member_id, product_id)
);

-- Rows only when the council splits; no row for a product: every member scores it.
CREATE TABLE council_assignments (
    member_id TEXT NOT NULL REFERENCES council_members (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    PRIMARY KEY (member_id, product_id)
);

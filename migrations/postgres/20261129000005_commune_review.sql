-- The commune's pre-assessment (Điều 7.2, Mẫu 03) and the public holidays that
-- working-day deadlines skip.
CREATE TABLE public_holidays (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE commune_reviews (
    product_id TEXT NOT NULL REFERENCES products (id),
    version BIGINT NOT NULL,
    officer_id TEXT NOT NULL REFERENCES users (id),
    -- JSON: the checklist items ticked, the four contents, samples received.
    content TEXT NOT NULL,
    updated_ms BIGINT NOT NULL,
    PRIMARY KEY (product_id, version)
);

-- Issue 17 (the seed plan's section II): a year's targets for a scope — a
-- province (`province:51`), a district group (`district:<id>`) or a commune
-- (`commune:23344`) — set by the province's office; progress is computed from
-- the data, never stored. And the showcase and sales points (điểm giới thiệu
-- và bán sản phẩm OCOP) the trade-promotion target counts.
CREATE TABLE plan_targets (
    year INTEGER NOT NULL CONSTRAINT plan_targets_year CHECK (year BETWEEN 2000 AND 2100),
    scope TEXT NOT NULL,
    province_code INTEGER NOT NULL REFERENCES province (code),
    kind TEXT NOT NULL CONSTRAINT plan_targets_kind CHECK (kind IN ('new_three_star',
        'new_four_star', 'value_chain_share', 'cooperative_share', 'sme_share',
        'modern_channel_share', 'showcase_points')),
    target INTEGER NOT NULL CONSTRAINT plan_targets_target CHECK (target BETWEEN 0 AND 10000),
    set_by TEXT REFERENCES users (id),
    set_ms INTEGER NOT NULL,
    PRIMARY KEY (year, scope, kind)
);
CREATE INDEX plan_targets_by_province ON plan_targets (province_code, year);

CREATE TABLE sales_points (
    id TEXT PRIMARY KEY,
    commune_code INTEGER NOT NULL REFERENCES commune (code),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT sales_points_kind CHECK (kind IN ('showcase', 'shop')),
    opened_on TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX sales_points_by_commune ON sales_points (commune_code);

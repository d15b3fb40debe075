-- Issue 17 (the seed plan's section III.5): the certified products a showcase
-- or sales point carries, and the fairs and exhibitions of a province with the
-- products that took part. Products are named by their certificate's code, as
-- the public catalogue names them.
CREATE TABLE sales_point_products (
    point_id TEXT NOT NULL REFERENCES sales_points (id),
    certificate_code TEXT NOT NULL REFERENCES certificates (code),
    added_ms BIGINT NOT NULL,
    PRIMARY KEY (point_id, certificate_code)
);
CREATE INDEX sales_point_products_by_code ON sales_point_products (certificate_code);

CREATE TABLE fairs (
    id TEXT PRIMARY KEY,
    province_code BIGINT NOT NULL REFERENCES province (code),
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    CONSTRAINT fairs_dates CHECK (ends_on >= starts_on)
);
CREATE INDEX fairs_by_province ON fairs (province_code, starts_on);

CREATE TABLE fair_products (
    fair_id TEXT NOT NULL REFERENCES fairs (id),
    certificate_code TEXT NOT NULL REFERENCES certificates (code),
    added_ms BIGINT NOT NULL,
    PRIMARY KEY (fair_id, certificate_code)
);
CREATE INDEX fair_products_by_code ON fair_products (certificate_code);

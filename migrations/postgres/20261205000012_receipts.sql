-- Issue 14: the commune's receipt of a dossier (Mẫu 01, "Phiếu số …/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)").
-- One receipt per dossier version the commune takes in, numbered per commune and year.
CREATE TABLE dossier_receipts (
    product_id TEXT NOT NULL REFERENCES products (id),
    version BIGINT NOT NULL,
    commune_code BIGINT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (product_id, version),
    CONSTRAINT dossier_receipts_seq_unique UNIQUE (commune_code, year, seq)
);

-- Issue 14: the commune's receipt of a dossier (Mẫu 01, "Phiếu số …/PĐK-(Mã tỉnh)-(Mã xã)-(Năm)").
-- One receipt per dossier version the commune takes in, numbered per commune and year.
CREATE TABLE dossier_receipts (
    product_id TEXT NOT NULL REFERENCES products (id),
    version INTEGER NOT NULL,
    commune_code INTEGER NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (product_id, version),
    CONSTRAINT dossier_receipts_seq_unique UNIQUE (commune_code, year, seq)
);

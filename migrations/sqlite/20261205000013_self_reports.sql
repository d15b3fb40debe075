-- Issue 14: what the producer writes in words for the dossier: Mẫu 01's contact
-- lines and samples, Mẫu 02's Parts I, II and IV (JSON of domain::self_report::SelfReport).
CREATE TABLE self_reports (
    product_id TEXT PRIMARY KEY REFERENCES products (id),
    content TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
);

-- Mẫu 01's commune part names who took the dossier in.
ALTER TABLE dossier_receipts ADD COLUMN received_by TEXT NOT NULL DEFAULT '';

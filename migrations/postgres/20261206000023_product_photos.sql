-- Issue 17: a product photo (an evidence file of the `product_photo` slot) as
-- the public catalogue shows it — made at upload in a few widths, each as WebP
-- and as JPEG, stored by SHA-256 beside the evidence. A rendition is public
-- only while its product holds a certificate (the route checks).
CREATE TABLE photo_renditions (
    evidence_id TEXT NOT NULL REFERENCES evidence (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (evidence_id, width, format),
    CONSTRAINT photo_renditions_format CHECK (format IN ('webp', 'jpeg')),
    CONSTRAINT photo_renditions_size CHECK (width > 0 AND height > 0 AND bytes > 0)
);
CREATE INDEX photo_renditions_by_sha ON photo_renditions (sha256);
CREATE INDEX photo_renditions_by_product ON photo_renditions (product_id);

-- Issue 17: the catalogue finds a province's certificates, and a commune's
-- through their products, without reading every certificate.
CREATE INDEX certificates_by_product ON certificates (product_id);
CREATE INDEX certificates_by_province ON certificates (province_code);

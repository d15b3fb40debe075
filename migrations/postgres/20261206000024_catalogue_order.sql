-- Issue 17: the catalogue lists the highest stars first, then by name; a
-- search by stars walks this index in that order and stops at its page, and
-- counts what is in force from the index alone.
CREATE INDEX certificates_catalogue_order ON certificates (stars DESC, product_name, code);
CREATE INDEX certificates_in_force ON certificates (stars, issued_on, valid_until, revoked_on);

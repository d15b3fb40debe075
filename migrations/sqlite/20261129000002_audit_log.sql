-- Who did what to which object, when: one row per state change, written in the
-- change's own transaction. Rows are never changed or removed (triggers below).
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_digest TEXT,
    after_digest TEXT
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at_ms);
CREATE INDEX audit_log_by_object ON audit_log (object_kind, object_id, at_ms);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

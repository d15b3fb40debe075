-- Issue 16 (QĐ 26/2026, Điều 7.6 d): a council evaluates at a meeting or by
-- written opinion (re-evaluation). A written-opinion round may become a
-- meeting once, before the seal, with the chair's reason; the sealed-round
-- trigger freezes all of it with the rest of the row.
ALTER TABLE rounds ADD COLUMN sitting TEXT NOT NULL DEFAULT 'meeting'
    CONSTRAINT rounds_sitting CHECK (sitting IN ('meeting', 'written'));
ALTER TABLE rounds ADD COLUMN meeting_reason TEXT;
ALTER TABLE rounds ADD COLUMN meeting_asked_ms BIGINT;
ALTER TABLE rounds ADD COLUMN meeting_asked_by TEXT REFERENCES users (id);
ALTER TABLE rounds ADD CONSTRAINT rounds_meeting_asked CHECK (
    (meeting_asked_ms IS NULL AND meeting_reason IS NULL AND meeting_asked_by IS NULL)
    OR (sitting = 'meeting' AND meeting_asked_ms IS NOT NULL AND meeting_reason IS NOT NULL
        AND meeting_asked_by IS NOT NULL));

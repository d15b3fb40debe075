-- Issue 16 (QĐ 26/2026, Điều 7.6 d): a council evaluates at a meeting or by
-- written opinion (re-evaluation). A written-opinion round may become a
-- meeting once, before the seal, with the chair's reason; the sealed-round
-- trigger freezes all of it with the rest of the row.
ALTER TABLE rounds ADD COLUMN sitting TEXT NOT NULL DEFAULT 'meeting'
    CONSTRAINT rounds_sitting CHECK (sitting IN ('meeting', 'written'));
ALTER TABLE rounds ADD COLUMN meeting_reason TEXT;
ALTER TABLE rounds ADD COLUMN meeting_asked_ms INTEGER
    CONSTRAINT rounds_meeting_asked CHECK (
        (meeting_asked_ms IS NULL AND meeting_reason IS NULL)
        OR (sitting = 'meeting' AND meeting_asked_ms IS NOT NULL AND meeting_reason IS NOT NULL));
ALTER TABLE rounds ADD COLUMN meeting_asked_by TEXT REFERENCES users (id);

-- The sealed-round trigger names every column: it now names these too.
DROP TRIGGER rounds_sealed_update;
CREATE TRIGGER rounds_sealed_update BEFORE UPDATE ON rounds
WHEN OLD.state IN ('sealed', 'decided') AND NOT (
    OLD.state = 'sealed' AND NEW.state = 'decided'
    AND NEW.id IS OLD.id AND NEW.province_code IS OLD.province_code AND NEW.level IS OLD.level
    AND NEW.name IS OLD.name AND NEW.rule_set IS OLD.rule_set AND NEW.profile IS OLD.profile
    AND NEW.proposal_cutoff IS OLD.proposal_cutoff AND NEW.closes_on IS OLD.closes_on
    AND NEW.quorum_numerator IS OLD.quorum_numerator AND NEW.quorum_denominator IS OLD.quorum_denominator
    AND NEW.divergence_limit IS OLD.divergence_limit AND NEW.created_ms IS OLD.created_ms
    AND NEW.chain_length IS OLD.chain_length AND NEW.chain_head IS OLD.chain_head
    AND NEW.seal_digest IS OLD.seal_digest AND NEW.sealed_ms IS OLD.sealed_ms AND NEW.sealed_by IS OLD.sealed_by
    AND NEW.district_id IS OLD.district_id AND NEW.sitting IS OLD.sitting
    AND NEW.meeting_reason IS OLD.meeting_reason AND NEW.meeting_asked_ms IS OLD.meeting_asked_ms
    AND NEW.meeting_asked_by IS OLD.meeting_asked_by)
BEGIN
    SELECT RAISE(ABORT, 'the round is sealed');
END;

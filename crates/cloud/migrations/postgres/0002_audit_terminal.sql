-- The fingerprint of the terminal an event came from, so that an account's
-- recent activity can mark the terminal asking. Kept in the database only:
-- the log line never names it.
ALTER TABLE audit_events ADD COLUMN sign TEXT;

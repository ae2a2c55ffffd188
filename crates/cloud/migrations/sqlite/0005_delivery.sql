-- Delivery: a delayed message waits for deliver_at on the cloud's clock; one for
-- SMTP or the SMS webhook is 'queued' until sent or given up ('failed').
ALTER TABLE outbox ADD COLUMN deliver_at INTEGER;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE INDEX outbox_delayed ON outbox (status, deliver_at);

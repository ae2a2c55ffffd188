-- QA state that every instance on one database shares: how far the clock has
-- been moved, and the faults in force (on a delivery channel, or on a path).
CREATE TABLE qa_clock (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    offset_secs INTEGER NOT NULL,
    -- Counts every change to the QA state, so that instances see cheaply
    -- whether theirs is current.
    version     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO qa_clock (id, offset_secs) VALUES (1, 0);
CREATE TABLE qa_delivery_faults (
    channel       TEXT PRIMARY KEY CHECK (channel IN ('email', 'sms')),
    delay_seconds INTEGER NOT NULL,
    drop_rate     REAL NOT NULL,
    fail_next     INTEGER NOT NULL
);
CREATE TABLE qa_endpoint_faults (
    path       TEXT PRIMARY KEY,
    status     INTEGER,
    latency_ms INTEGER NOT NULL,
    rate       REAL NOT NULL
);
-- A message being sent is claimed by one instance until lease_until (wall
-- clock); one that instance never finished is claimed again after it.
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;

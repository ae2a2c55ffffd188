-- The audit trail: security events, kept after the account is gone (no
-- foreign key), never holding a secret.
CREATE TABLE audit_events (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    user_id  INTEGER,
    event    TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    terminal TEXT,
    ip       TEXT NOT NULL,
    detail   TEXT
);
CREATE INDEX audit_by_user ON audit_events (user_id, id);

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT UNIQUE,
    phone         TEXT UNIQUE,
    phone_code    TEXT,
    area_id       INTEGER NOT NULL,
    user_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    two_step      INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);
CREATE TABLE terminals (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sign         TEXT NOT NULL,
    name         TEXT NOT NULL,
    client_type  INTEGER NOT NULL,
    added_at     INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, sign)
);
-- Verification codes, stored only as keyed hashes. `subject` is `u:<user id>`
-- for an account's codes and `a:<address>` for a sign-up address.
CREATE TABLE codes (
    id         INTEGER PRIMARY KEY,
    subject    TEXT NOT NULL,
    biz_type   TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    sent_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    wrong      INTEGER NOT NULL DEFAULT 0,
    state      TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'used', 'burned', 'replaced'))
);
CREATE INDEX codes_by_subject ON codes (subject, biz_type, id);
-- Every send (codes and notices alike) counts against cooldown and hourly limit.
CREATE TABLE sends (
    id       INTEGER PRIMARY KEY,
    subject  TEXT NOT NULL,
    biz_type TEXT NOT NULL,
    sent_at  INTEGER NOT NULL
);
CREATE INDEX sends_by_subject ON sends (subject, biz_type, sent_at);
CREATE TABLE refresh_tokens (
    token_hash   TEXT PRIMARY KEY,
    family       TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    feature_code TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    used_at      INTEGER,
    revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_by_family ON refresh_tokens (family);
CREATE TABLE sessions (
    jti_hash     TEXT PRIMARY KEY,
    family       TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    feature_code TEXT NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_family ON sessions (family);
-- Messages as delivered: the body carries the code, as a real email would.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    to_addr      TEXT NOT NULL,
    biz_type     TEXT,
    code         TEXT,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    sent_at      INTEGER NOT NULL,
    delivered_at INTEGER,
    status       TEXT NOT NULL
);

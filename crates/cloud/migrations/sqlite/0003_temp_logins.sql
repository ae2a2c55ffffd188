-- 1069: a login that found the account full gets a temporary id with which it
-- may remove terminals (POST /v3/terminals/nologin). Stored as a keyed hash.
CREATE TABLE temp_logins (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);

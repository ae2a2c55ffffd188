-- Password guessing: wrong passwords in a row, and a lock (docs/protocol.md, "Rules" and "Codes").
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
-- The current captcha of an account: one at a time, used up by any attempt.
CREATE TABLE captchas (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    answer     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

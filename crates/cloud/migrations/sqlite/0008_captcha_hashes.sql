-- Captcha answers are kept as keyed hashes, as codes are. A live captcha lasts
-- minutes; those of the moment of the upgrade are dropped (a new picture is
-- drawn on the next attempt). The QA surface's copy of the answer, like the
-- outbox's copy of a code, is written only by a cloud serving QA.
DROP TABLE captchas;
CREATE TABLE captchas (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    answer_hash TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE TABLE qa_captcha_answers (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    answer  TEXT NOT NULL
);

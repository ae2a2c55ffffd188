-- The language the account's owner reads (en-US or zh-CN): set at sign-up
-- from the request's lang header and at each login that sends one; codes
-- and notices to the account are written in it.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'en-US';

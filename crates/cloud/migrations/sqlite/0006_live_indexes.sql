-- Revocation only ever touches live rows: index just those, by family, so a
-- refresh does not revisit (or rewrite) every session its chain ever had.
DROP INDEX sessions_by_family;
DROP INDEX refresh_by_family;
CREATE INDEX sessions_live_by_family ON sessions (family) WHERE revoked = 0;
CREATE INDEX refresh_live_by_family ON refresh_tokens (family) WHERE revoked = 0;
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked = 0;
CREATE INDEX refresh_live_by_user ON refresh_tokens (user_id) WHERE revoked = 0;

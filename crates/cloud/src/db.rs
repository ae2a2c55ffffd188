//! The cloud's SQLite database: WAL, foreign keys on, migrations embedded and run
//! at open. One thread owns the connection and runs every job, which gives one
//! writer at a time and is also what makes "consume a code" atomic.

use crate::error::ApiError;
use rusqlite::{Connection, OptionalExtension, Savepoint};
use std::path::Path;

/// Schema versions in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    r#"
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
"#,
    r#"
-- Password guessing: wrong passwords in a row, and a lock (PROTOCOL.md section 5).
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER NOT NULL DEFAULT 0;
-- The current captcha of an account: one at a time, used up by any attempt.
CREATE TABLE captchas (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    answer     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
"#,
    r#"
-- 1069: a login that found the account full gets a temporary id with which it
-- may remove terminals (POST /v3/terminals/nologin). Stored as a keyed hash.
CREATE TABLE temp_logins (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);
"#,
    r#"
-- The account's simulated Hikvision devices and their camera channels.
CREATE TABLE devices (
    id                INTEGER PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    serial            TEXT NOT NULL UNIQUE,
    full_serial       TEXT NOT NULL,
    name              TEXT NOT NULL,
    device_type       TEXT NOT NULL,
    category          TEXT NOT NULL CHECK (category IN ('IPC', 'NVR', 'DVR')),
    version           TEXT NOT NULL,
    online            INTEGER NOT NULL,
    upgrade_available INTEGER NOT NULL DEFAULT 0,
    local_ip          TEXT NOT NULL,
    net_ip            TEXT NOT NULL,
    wifi_address      TEXT,
    wifi_signal       INTEGER
);
CREATE INDEX devices_by_user ON devices (user_id, id);
CREATE TABLE cameras (
    id            INTEGER PRIMARY KEY,
    device_id     INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
    channel_no    INTEGER NOT NULL,
    name          TEXT NOT NULL,
    is_show       INTEGER NOT NULL,
    signal_status INTEGER NOT NULL,
    UNIQUE (device_id, channel_no)
);
"#,
    r#"
-- Delivery: a delayed message waits for deliver_at on the cloud's clock; one for
-- SMTP or the SMS webhook is 'queued' until sent or given up ('failed').
ALTER TABLE outbox ADD COLUMN deliver_at INTEGER;
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
CREATE INDEX outbox_delayed ON outbox (status, deliver_at);
"#,
    r#"
-- Revocation only ever touches live rows: index just those, by family, so a
-- refresh does not revisit (or rewrite) every session its chain ever had.
DROP INDEX sessions_by_family;
DROP INDEX refresh_by_family;
CREATE INDEX sessions_live_by_family ON sessions (family) WHERE revoked = 0;
CREATE INDEX refresh_live_by_family ON refresh_tokens (family) WHERE revoked = 0;
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked = 0;
CREATE INDEX refresh_live_by_user ON refresh_tokens (user_id) WHERE revoked = 0;
"#,
    r#"
-- A device's Wi-Fi address is its IP address on the Wi-Fi network (what the
-- public clients read as the local IP), not a MAC address.
UPDATE devices SET wifi_address = local_ip WHERE wifi_address IS NOT NULL;
"#,
    r#"
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
"#,
    r#"
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
"#,
];

/// A job runs inside a savepoint of the current batch's transaction and returns
/// how to hand its result over once the batch has committed (`true`) or not.
type Job = Box<dyn FnOnce(&mut Savepoint<'_>) -> Handover + Send>;
type Handover = Box<dyn FnOnce(bool) + Send>;

/// The most jobs one transaction groups. Enough to absorb a burst of 64
/// clients; small enough that the first of them never waits long.
const MAX_BATCH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot start a database thread: {0}")]
    Thread(std::io::Error),
}

/// The database: one thread owns the connection and runs jobs one after the
/// other, so there is one writer at a time and requests never convoy on a lock.
///
/// Group commit: the jobs waiting in the queue when the thread gets to them run
/// in one transaction, each in a savepoint of its own, and none of them is
/// answered before that transaction commits. Under load this turns dozens of
/// commits (each a WAL append and wal-index update) into one, which is what
/// keeps the latency tail short; alone, a job is its own batch. A job sees the
/// same semantics as with autocommit: what it wrote stays even if it returns an
/// error (a wrong code's counter, say), and a job that wants all-or-nothing opens
/// a nested savepoint. Jobs get a `Savepoint`, not a `Connection`, so opening a
/// second top-level transaction does not even compile.
#[derive(Clone)]
pub struct Db {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl Db {
    /// Open (creating if needed), migrate, and return the server secret that keys
    /// every stored hash and signs session tokens (made once, on first open).
    pub fn open(path: &Path) -> Result<(Self, Vec<u8>), OpenError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoint often, on this thread, as each commit finds the WAL past
        // 1,000 pages (4 MB; SQLite's default). A checkpoint's fsync stalls the
        // writer for as long as the unsynced WAL takes to reach the disk, so a
        // short WAL keeps the stall short. Measured with `cargo bench` (64
        // clients refreshing): p99 14 ms at 1,000 pages, 21 ms at 2,000, 56 ms
        // at 10,000; a separate checkpoint thread made no difference (its fsync
        // holds the writer up just the same), so there is none.
        conn.pragma_update(None, "wal_autocheckpoint", 1_000)?;
        // Every hot statement is prepared once and reused (prepare_cached).
        conn.set_prepared_statement_cache_capacity(128);
        migrate(&mut conn)?;
        let secret = server_secret(&conn)?;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite".into())
            .spawn(move || {
                // Runs until every `Db` handle is gone.
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    run_batch(&mut conn, batch);
                }
            })
            .map_err(OpenError::Thread)?;
        Ok((Self { jobs }, secret))
    }

    /// Run `f` on the database thread; its result comes back once what it wrote
    /// is committed.
    pub async fn call<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Savepoint<'_>) -> Result<R, ApiError> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        // The request this job serves, for the audit trail's lines.
        let origin = crate::audit::Origin::of_task();
        let job: Job = Box::new(move |sp| {
            let result = crate::audit::Origin::run_as(origin, || f(sp));
            Box::new(move |committed| {
                let _ = reply.send(if committed {
                    result
                } else {
                    Err(ApiError::internal("the database could not commit"))
                });
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::internal("the database thread stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::internal("the database thread dropped a job"))?
    }
}

/// Run `batch` in one transaction, a savepoint per job, then answer every job.
/// A job whose savepoint cannot be opened is dropped, which its caller sees as an
/// internal error; if the commit fails, every job of the batch is told so.
fn run_batch(conn: &mut Connection, batch: Vec<Job>) {
    let mut tx = match conn.transaction() {
        Ok(tx) => tx,
        Err(e) => {
            tracing::error!(error = %e, "cannot begin a transaction");
            return;
        }
    };
    let mut handovers = Vec::with_capacity(batch.len());
    for job in batch {
        let mut sp = match tx.savepoint() {
            Ok(sp) => sp,
            Err(e) => {
                tracing::error!(error = %e, "cannot open a savepoint");
                continue;
            }
        };
        // A job that panics is rolled back (its savepoint dropped) and its
        // caller answered with an internal error (its reply dropped); the
        // thread, the batch and every other job go on.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut sp))) {
            Ok(handover) => {
                handovers.push(handover);
                if let Err(e) = sp.commit() {
                    tracing::error!(error = %e, "cannot release a savepoint");
                }
            }
            Err(_) => {
                tracing::error!(
                    "a database job panicked; it was rolled back and its request failed"
                );
                drop(sp);
            }
        }
    }
    let committed = match tx.commit() {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "a batch of {} jobs did not commit", handovers.len());
            false
        }
    };
    for handover in handovers {
        handover(committed);
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn server_secret(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    let existing: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'secret'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(hex) = existing {
        if let Some(bytes) = crate::crypto::unhex(&hex) {
            return Ok(bytes);
        }
    }
    let bytes = crate::crypto::random_bytes::<32>().to_vec();
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('secret', ?1)",
        [crate::crypto::hex(&bytes)],
    )?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_that_panics_fails_alone_and_the_thread_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _) = Db::open(&dir.path().join("t.db")).unwrap();
        let write = |v: &'static str| {
            let db = db.clone();
            async move {
                db.call(move |sp| {
                    sp.execute("INSERT INTO meta (key, value) VALUES (?1, 'x')", [v])?;
                    Ok(())
                })
                .await
            }
        };
        // In one batch with others: the panicking job's write is undone, the
        // others' are kept.
        let (a, b, c) = tokio::join!(
            write("before"),
            db.call(|sp| -> Result<(), ApiError> {
                sp.execute("INSERT INTO meta (key, value) VALUES ('panicked', 'x')", [])?;
                panic!("injected");
            }),
            write("after"),
        );
        assert!(a.is_ok() && c.is_ok());
        let e = b.unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let keys: Vec<String> = db
            .call(|sp| {
                let mut st = sp.prepare("SELECT key FROM meta WHERE value = 'x' ORDER BY key")?;
                let keys = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
                Ok(keys)
            })
            .await
            .unwrap();
        assert_eq!(keys, ["after", "before"]);
        write("later").await.unwrap();
    }
}

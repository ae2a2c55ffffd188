//! SQLite, the embedded default: WAL, foreign keys on, migrations embedded and
//! run at open. One thread owns the connection and runs every job, which gives
//! one writer at a time and is also what makes "consume a code" atomic. One
//! process serves a database file; several instances need PostgreSQL.

use super::sql::{self, Effect, Param, Row, Sql, Value};
use super::OpenError;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use std::cell::RefCell;
use std::path::Path;

/// Schema versions in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_schema.sql"),
    include_str!("../../migrations/sqlite/0002_password_guessing.sql"),
    include_str!("../../migrations/sqlite/0003_temp_logins.sql"),
    include_str!("../../migrations/sqlite/0004_devices.sql"),
    include_str!("../../migrations/sqlite/0005_delivery.sql"),
    include_str!("../../migrations/sqlite/0006_live_indexes.sql"),
    include_str!("../../migrations/sqlite/0007_wifi_address.sql"),
    include_str!("../../migrations/sqlite/0008_captcha_hashes.sql"),
    include_str!("../../migrations/sqlite/0009_audit.sql"),
    include_str!("../../migrations/sqlite/0010_shared_qa_state.sql"),
    include_str!("../../migrations/sqlite/0011_audit_terminal.sql"),
    include_str!("../../migrations/sqlite/0012_account_language.sql"),
];

/// A job runs inside a savepoint of the current batch's transaction and
/// says whether to keep what it wrote (it returned `Ok`), and how to hand
/// its result over once the batch has committed (`true`) or not.
type Job = Box<dyn FnOnce(&Connection) -> (bool, Handover) + Send>;
type Handover = Box<dyn FnOnce(bool) + Send>;

/// The most jobs one transaction groups. Enough to absorb a burst of 64
/// clients; small enough that the first of them never waits long.
const MAX_BATCH: usize = 64;

/// The database: one thread owns the connection and runs jobs one after the
/// other, so there is one writer at a time and requests never convoy on a lock.
///
/// Group commit: the jobs waiting in the queue when the thread gets to them run
/// in one transaction, each in a savepoint of its own, and none of them is
/// answered before that transaction commits. Under load this turns dozens of
/// commits (each a WAL append and wal-index update) into one, which is what
/// keeps the latency tail short; alone, a job is its own batch. A job sees the
/// transaction of its own: what it wrote stays if it returns `Ok` and is
/// rolled back (its savepoint) if it returns `Err`. Jobs get `&dyn Sql`, not
/// a `Connection`, so opening a second top-level transaction does not even
/// compile.
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

    /// Run `f` on the database thread as a transaction of its own (see
    /// `super::Db::call`); its result comes back once the batch it ran in
    /// has committed.
    pub async fn call<R, E, F>(&self, mut f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<sql::Error> + Send + 'static,
        F: FnMut(&dyn Sql) -> Result<R, E> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            let tx = Tx {
                conn,
                effects: RefCell::new(Vec::new()),
            };
            let result = f(&tx);
            let keep = result.is_ok();
            let effects = tx.effects.into_inner();
            let handover: Handover = Box::new(move |committed| {
                let answer = match result {
                    Ok(_) if !committed => Err(super::gone("the database could not commit")),
                    Ok(value) => {
                        effects.into_iter().for_each(|effect| effect());
                        Ok(value)
                    }
                    // Rolled back already, whatever became of the batch.
                    Err(e) => Err(e),
                };
                let _ = reply.send(answer);
            });
            (keep, handover)
        });
        super::submit(&self.jobs, job, answer).await
    }
}

/// A job's transaction: its connection (inside the job's savepoint) and what
/// it does once committed.
struct Tx<'c> {
    conn: &'c Connection,
    effects: RefCell<Vec<Effect>>,
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
        let sp = match tx.savepoint() {
            Ok(sp) => sp,
            Err(e) => {
                tracing::error!(error = %e, "cannot open a savepoint");
                continue;
            }
        };
        // A job that panics is rolled back (its savepoint dropped) and its
        // caller answered with an internal error (its reply dropped); the
        // thread, the batch and every other job go on.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&sp))) {
            Ok((keep, handover)) => {
                handovers.push(handover);
                if !keep {
                    // Its savepoint rolled back: none of its writes stays.
                    drop(sp);
                } else if let Err(e) = sp.commit() {
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
        if let Ok(bytes) = hex::decode(&hex) {
            return Ok(bytes);
        }
    }
    let bytes = crate::random::random_bytes::<32>().to_vec();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('secret', ?1)
         ON CONFLICT (key) DO UPDATE SET value = ?1",
        [hex::encode(&bytes)],
    )?;
    Ok(bytes)
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Param::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Param::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
        })
    }
}

impl From<rusqlite::Error> for sql::Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Self::Unique
            }
            _ => Self::Database(e.to_string()),
        }
    }
}

/// Statements are prepared once per connection and reused (`prepare_cached`).
impl Sql for Tx<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> sql::Result<u64> {
        let mut st = self.conn.prepare_cached(sql)?;
        let changed = st.execute(rusqlite::params_from_iter(params))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn query(&self, sql: &str, params: &[Param<'_>]) -> sql::Result<Vec<Row>> {
        let mut st = self.conn.prepare_cached(sql)?;
        let columns = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => {
                        return Err(sql::Error::Decode(format!("column {i} is a blob")))
                    }
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn after_commit(&self, effect: Effect) {
        self.effects.borrow_mut().push(effect);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn write(db: &Db, key: &'static str) -> sql::Result<()> {
        db.call(move |sp| {
            sp.execute(
                "INSERT INTO meta (key, value) VALUES (?1, 'x')",
                sql::params![key],
            )?;
            Ok(())
        })
        .await
    }

    async fn keys(db: &Db) -> Vec<String> {
        db.call(|sp| {
            sp.map(
                "SELECT key FROM meta WHERE value = 'x' ORDER BY key",
                sql::params![],
                |r| r.get::<String>(0),
            )
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_job_that_panics_fails_alone_and_the_thread_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _) = Db::open(&dir.path().join("t.db")).unwrap();
        // In one batch with others: the panicking job's write is undone, the
        // others' are kept.
        let (a, b, c) = tokio::join!(
            write(&db, "before"),
            db.call(|sp| -> sql::Result<()> {
                sp.execute(
                    "INSERT INTO meta (key, value) VALUES ('panicked', 'x')",
                    sql::params![],
                )?;
                panic!("injected");
            }),
            write(&db, "after"),
        );
        assert!(a.is_ok() && c.is_ok());
        assert!(matches!(b, Err(sql::Error::Database(_))), "{b:?}");
        assert_eq!(keys(&db).await, ["after", "before"]);
        write(&db, "later").await.unwrap();
    }

    #[tokio::test]
    async fn a_job_that_returns_an_error_keeps_none_of_its_writes_and_runs_no_effect() {
        let dir = tempfile::tempdir().unwrap();
        let (db, _) = Db::open(&dir.path().join("t.db")).unwrap();
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&ran);
        let (a, b) = tokio::join!(
            write(&db, "kept"),
            db.call(move |sp| -> sql::Result<()> {
                sp.execute(
                    "INSERT INTO meta (key, value) VALUES ('undone', 'x')",
                    sql::params![],
                )?;
                let flag = std::sync::Arc::clone(&flag);
                sp.after_commit(Box::new(move || {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                }));
                Err(sql::Error::Decode("refused after a write".into()))
            }),
        );
        assert!(a.is_ok());
        assert!(matches!(b, Err(sql::Error::Decode(_))), "{b:?}");
        assert_eq!(keys(&db).await, ["kept"]);
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
    }
}

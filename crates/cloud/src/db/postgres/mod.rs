//! PostgreSQL, for any number of instances on one database: tokio-postgres,
//! the async driver, with a pool of connections per instance, each owned by a
//! database thread.
//!
//! The stores are synchronous (`Sql`), as SQLite's thread needs them to be.
//! A job goes to whichever database thread is free, which runs it on its
//! connection and awaits each statement on a runtime of its own: the thread
//! that waits for a reply is the one that reads it from the socket, so a round
//! trip costs two wake-ups, not four (measured: 3,400 refreshes a second
//! instead of 2,300 for three instances, p99 38 ms instead of 75 to 240, than
//! with a deadpool pool awaited from blocking threads). A thread whose
//! connection is gone connects again for its next job.
//!
//! Every job is one READ COMMITTED transaction. The rules that must hold
//! across requests hold across instances as they do in one process, because
//! the stores say what they serialise on: transaction-scoped advisory locks
//! named after what they guard (`Sql::lock`: an account, a code's subject, a
//! token family, the QA state), and single statements where one suffices
//! (`failed_logins = failed_logins + 1`, a captcha taken with `DELETE ...
//! RETURNING`, a message claimed with `UPDATE ... RETURNING`). Locks are taken
//! account first; a deadlock all the same (PostgreSQL detects it) or a
//! serialisation failure runs the transaction again from the start, after a
//! short random pause. (SERIALIZABLE was tried first: two concurrent refreshes
//! of one account's tokens conflicted over index pages a third of the time.)

mod tx;

use super::sql::{self, Sql};
use super::OpenError;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::NoTls;
use tx::{placeholders, Tx};

/// Schema versions in order; `schema_migrations` records which have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../../../migrations/postgres/0001_schema.sql"),
    include_str!("../../../migrations/postgres/0002_audit_terminal.sql"),
    include_str!("../../../migrations/postgres/0003_account_language.sql"),
];

/// How many times a job is run before a conflict is reported as an error.
const ATTEMPTS: u32 = 40;

/// Any one key for the advisory lock that lets one instance at a time migrate.
const MIGRATION_LOCK: i64 = 0x6869_6b2d_636c_6f75; // "hik-clou"

#[derive(Clone)]
pub struct Db {
    /// Jobs, for the database threads.
    jobs: std::sync::mpsc::Sender<Job>,
}

/// A job, run by a database thread.
type Job = Box<dyn FnOnce(&Link) + Send>;

/// A database thread's runtime (which drives the connection while a job
/// waits) and its connection, made (again) when it has none that is open.
struct Link {
    config: tokio_postgres::Config,
    rt: tokio::runtime::Runtime,
    open: RefCell<Option<Rc<Connected>>>,
}

struct Connected {
    client: tokio_postgres::Client,
    /// Statements prepared on this connection, by their text.
    cache: RefCell<std::collections::HashMap<String, tokio_postgres::Statement>>,
}

impl Link {
    fn connected(&self) -> Result<Rc<Connected>, tokio_postgres::Error> {
        if let Some(c) = self.open.borrow().as_ref() {
            if !c.client.is_closed() {
                return Ok(Rc::clone(c));
            }
        }
        self.forget();
        let (client, connection) = self.rt.block_on(self.config.connect(NoTls))?;
        self.rt.spawn(connection);
        let c = Rc::new(Connected {
            client,
            cache: RefCell::default(),
        });
        *self.open.borrow_mut() = Some(Rc::clone(&c));
        Ok(c)
    }

    /// The connection was lost: the next job connects again.
    fn forget(&self) {
        self.open.borrow_mut().take();
    }

    /// `sql` prepared on `c`, once.
    fn statement(
        &self,
        c: &Connected,
        sql: &str,
    ) -> Result<tokio_postgres::Statement, tokio_postgres::Error> {
        if let Some(st) = c.cache.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self.rt.block_on(c.client.prepare(&placeholders(sql)))?;
        c.cache.borrow_mut().insert(sql.to_owned(), st.clone());
        Ok(st)
    }
}

/// A database thread: takes jobs from the queue and runs each.
fn database_thread(
    config: tokio_postgres::Config,
    jobs: std::sync::Arc<std::sync::Mutex<std::sync::mpsc::Receiver<Job>>>,
) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    let link = Link {
        config,
        rt,
        open: RefCell::new(None),
    };
    loop {
        let job = {
            let queue = crate::lock(&jobs);
            match queue.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        // A job that panics answers its caller with an error (its reply is
        // dropped); the thread goes on.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&link)));
    }
}

/// The connection itself failed (the server went away), rather than a
/// statement.
fn is_lost(e: &tokio_postgres::Error) -> bool {
    // The server's goodbye (57P01 on shutdown, ...) and connection failures
    // (class 08) arrive as its errors; a closed socket as the driver's.
    let class = e.code().map(|c| &c.code()[..2]);
    e.is_closed()
        || matches!(class, Some("57" | "08"))
        || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
}

/// A PostgreSQL error as people read it: the server's message when it sent
/// one (`tokio_postgres` itself says only "db error").
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    }
}

impl Db {
    /// Connect, migrate (one instance at a time) and read the shared secret
    /// (made by whichever instance came first).
    pub async fn open(url: &str, pool_size: usize) -> Result<(Self, Vec<u8>), OpenError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| OpenError::Postgres(format!("not a PostgreSQL URL: {e}")))?;
        if config.get_connect_timeout().is_none() {
            // A server that cannot be reached fails a request in seconds.
            config.connect_timeout(Duration::from_secs(5));
        }
        let (mut client, connection) = config.connect(NoTls).await.map_err(pg_open)?;
        let connection = tokio::spawn(connection);
        migrate(&mut client).await.map_err(pg_open)?;
        let secret = server_secret(&client).await?;
        drop(client);
        let _ = connection.await;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..pool_size {
            let (config, queue) = (config.clone(), std::sync::Arc::clone(&queue));
            std::thread::Builder::new()
                .name(format!("postgres-{n}"))
                .spawn(move || database_thread(config, queue))
                .map_err(OpenError::Thread)?;
        }
        Ok((Self { jobs }, secret))
    }

    /// One row of two integers, read by a database thread in one round trip,
    /// outside any transaction.
    pub async fn read_pair(&self, sql: &'static str) -> sql::Result<(i64, i64)> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |link| {
            let read = || -> Result<(i64, i64), tokio_postgres::Error> {
                let c = link.connected()?;
                let st = link.statement(&c, sql)?;
                let row = link.rt.block_on(c.client.query_one(&st, &[]))?;
                Ok((row.try_get(0)?, row.try_get(1)?))
            };
            // A read is safe to repeat: once more on a new connection if the
            // old one was found gone.
            let result = read().or_else(|e| {
                if is_lost(&e) {
                    link.forget();
                    read()
                } else {
                    Err(e)
                }
            });
            let _ = reply.send(result.map_err(internal));
        });
        super::submit(&self.jobs, job, answer).await
    }

    /// Run `f` as one transaction (see `super::Db::call`).
    pub async fn call<R, E, F>(&self, mut f: F) -> Result<R, E>
    where
        R: Send + 'static,
        E: From<sql::Error> + Send + 'static,
        F: FnMut(&dyn Sql) -> Result<R, E> + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |link| {
            let _ = reply.send(run(link, &mut f));
        });
        super::submit(&self.jobs, job, answer).await
    }
}

/// Run `f` as one transaction on `link`'s connection: again after a
/// conflict, and once on a new connection if the old one is found gone
/// before the commit (the server rolled that transaction back). A connection
/// lost during the commit leaves its outcome unknown: that is an error.
fn run<R, E: From<sql::Error>>(
    link: &Link,
    f: &mut dyn FnMut(&dyn Sql) -> Result<R, E>,
) -> Result<R, E> {
    let mut reconnected = false;
    for attempt in 0..ATTEMPTS {
        if attempt > 0 {
            pause(attempt);
        }
        let conn = link.connected().map_err(|e| {
            sql::Error::Database(format!("PostgreSQL cannot be reached: {}", describe(&e)))
        })?;
        let pg = Tx {
            link,
            conn,
            conflict: Cell::new(false),
            lost: Cell::new(false),
            open: Cell::new(false),
            pending: RefCell::new(Vec::new()),
            effects: RefCell::new(Vec::new()),
        };
        let result = f(&pg);
        if pg.lost.get() {
            drop(pg);
            link.forget();
            if reconnected {
                return Err(super::gone("the connection to PostgreSQL was lost twice"));
            }
            reconnected = true;
            continue;
        }
        if pg.conflict.get() {
            drop(pg);
            continue;
        }
        // An error rolls back all the job wrote (dropping `pg` does).
        let value = result?;
        let effects = pg.effects.take();
        match pg.commit() {
            Ok(()) => {
                effects.into_iter().for_each(|effect| effect());
                return Ok(value);
            }
            Err(e) if is_conflict(&e) => continue,
            Err(e) => {
                if is_lost(&e) {
                    link.forget();
                }
                return Err(internal(e).into());
            }
        }
    }
    Err(super::gone(&format!(
        "a transaction conflicted with concurrent ones {ATTEMPTS} times"
    )))
}

fn internal(e: tokio_postgres::Error) -> sql::Error {
    sql::Error::Database(format!("PostgreSQL: {}", describe(&e)))
}

fn pg_open(e: tokio_postgres::Error) -> OpenError {
    OpenError::Postgres(describe(&e))
}

/// Before running a conflicted transaction again: a random pause that grows
/// with the attempts (up to about 50 ms), so that the transactions that
/// collided do not collide again.
fn pause(attempt: u32) {
    let ceiling = 1u64 << attempt.min(6);
    let jitter = u64::from(u16::from_le_bytes(crate::random::random_bytes::<2>()));
    let micros = 200 + jitter * ceiling * 800 / u64::from(u16::MAX);
    std::thread::sleep(Duration::from_micros(micros));
}

fn is_conflict(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(&SqlState::T_R_SERIALIZATION_FAILURE | &SqlState::T_R_DEADLOCK_DETECTED)
    )
}

async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let result = apply(client).await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await?;
    result
}

async fn apply(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    client
        .batch_execute(
            "SET client_min_messages TO warning;
             CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)",
        )
        .await?;
    let done: i64 = client
        .query_one(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    for (version, script) in (1i64..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(done).unwrap_or(0))
    {
        let tx = client.transaction().await?;
        tx.batch_execute(script).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

async fn server_secret(client: &tokio_postgres::Client) -> Result<Vec<u8>, OpenError> {
    let fresh = hex::encode(crate::random::random_bytes::<32>());
    client
        .execute(
            "INSERT INTO meta (key, value) VALUES ('secret', $1) ON CONFLICT (key) DO NOTHING",
            &[&fresh],
        )
        .await
        .map_err(pg_open)?;
    let hex: String = client
        .query_one("SELECT value FROM meta WHERE key = 'secret'", &[])
        .await
        .map_err(pg_open)?
        .get(0);
    hex::decode(&hex)
        .ok()
        .ok_or_else(|| OpenError::Postgres("the stored server secret is not hex".into()))
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d > ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d > $12"
        );
    }
}
